//! `docs/texts.md`: every text in its three languages, with an example, its encoding and its parts, for a
//! native speaker to review. Written from the templates by this test (`UPDATE_TEXTS_DOC=1 cargo test -p
//! domain texts_doc` rewrites it); the test fails when the document and the templates differ.

use super::outcomes::ends_as;
use super::sms::Template;
use crate::model::{Address, AddressParts, Language, ReasonCode, RegistrationKind};
use crate::sms::Encoding;

const DOC: &str = include_str!("../../../../docs/texts.md");

/// Each template once with example values, and who gets it when.
fn examples(address: &str) -> Vec<(&'static str, Template<'_>)> {
    let (code, name, from, until) = ("482913", "Serikov D.", "2026-12-01", Some("2027-02-28"));
    let mut all = vec![
        ("To the applicant, when asking for a signing code.", Template::SigningCode { code }),
        (
            "To each owner asked for consent (permanent).",
            Template::ConsentRequest { registrant: name, address, kind: RegistrationKind::Permanent, code },
        ),
        (
            "To each owner asked for consent (temporary).",
            Template::ConsentRequest {
                registrant: name,
                address,
                kind: RegistrationKind::Temporary { months: 3 },
                code,
            },
        ),
        ("To an owner whose yes was recorded.", Template::ConsentApproved),
        ("To an owner whose no was recorded.", Template::ConsentDeclined),
        ("To a reply that is still unclear (nothing changed).", Template::ReplyNotUnderstood),
        ("To a reply with a code that is not the request's.", Template::ReplyWrongCode),
        ("To a reply after the hour.", Template::ReplyExpired),
        ("To a reply after the applicant withdrew.", Template::ReplyWithdrawn),
        ("To a second reply.", Template::ReplyAlreadyAnswered),
        ("To a reply from a number that was asked nothing.", Template::ReplyNothingPending),
        (
            "To the registrant, registered (temporary: with its last day).",
            Template::Registered { address, from, until },
        ),
        (
            "To a parent or guardian who applied for the registrant.",
            Template::RegisteredOther { person: name, address, from, until: None },
        ),
        (
            "To the registrant, when the new registration closed the previous permanent one.",
            Template::RegistrationClosed { address },
        ),
        ("To each owner of the new address.", Template::OwnerNoticeRegistered { person: name, address }),
        ("To each owner of the address left.", Template::OwnerNoticeRemoved { person: name, address }),
        ("To each owner asked, when the applicant withdrew.", Template::OwnerRequestWithdrawn { registrant: name }),
        ("To each owner who did not answer in time.", Template::OwnerRequestExpired { registrant: name }),
    ];
    for reason in ReasonCode::ALL.iter().copied().filter(|r| *r != ReasonCode::Withdrawn) {
        all.push((
            "To the applicant (and the registrant, if another person): the outcome and its reason.",
            Template::Ended { status: ends_as(reason), reason },
        ));
    }
    all
}

fn render_doc() -> String {
    let mut doc = String::from(
        "# Every text from 1414\n\n\
         Written from `shared/domain/src/texts/` by its test (`UPDATE_TEXTS_DOC=1 cargo test -p domain texts_doc`);\n\
         the test fails when this page and the templates differ. Names are cut to 20 characters, addresses to 48\n\
         (their short form: locality, street, house, flat). GSM-7: 160 characters a part (153 when split); UCS-2\n\
         (any Cyrillic or Kazakh letter): 70 (67). A text that names an address may take two parts; every other,\n\
         one: `max` is what the template is held to with the longest values.\n",
    );
    let place = Address::Parts(AddressParts {
        locality: "Astana".into(),
        street: "Mangilik El".into(),
        house: "10".into(),
        flat: Some("1".into()),
    });
    let count = examples("").len();
    for i in 0..count {
        let english = place.short(Language::En);
        let (who, template) = examples(&english).swap_remove(i);
        let title = match &template {
            Template::Ended { status, reason } => format!("{} ({status}, {reason})", template.kind()),
            _ => template.kind().to_string(),
        };
        doc.push_str(&format!("\n## {title}\n\n{who} Max {} part(s).\n\n", template.max_parts()));
        doc.push_str("| lang | example | encoding | parts |\n|---|---|---|---|\n");
        for lang in [Language::Kk, Language::Ru, Language::En] {
            let address = place.short(lang);
            let (_, template) = examples(&address).swap_remove(i);
            let m = template.render(lang);
            let encoding = match m.encoding {
                Encoding::Gsm7 => "GSM-7",
                Encoding::Ucs2 => "UCS-2",
            };
            doc.push_str(&format!("| {lang} | {} | {encoding} | {} |\n", m.text.replace('|', "\\|"), m.parts));
        }
    }
    doc.push_str("\n# In the apps and the API (by Accept-Language, Kazakh by default)\n");
    doc.push_str("\n## Reasons (`reasons[].message`)\n\n| code | kk | ru | en |\n|---|---|---|---|\n");
    for reason in ReasonCode::ALL.iter().copied() {
        let [kk, ru, en] = [Language::Kk, Language::Ru, Language::En].map(|l| super::reasons::message(reason, l));
        doc.push_str(&format!("| {reason} | {kk} | {ru} | {en} |\n"));
    }
    doc.push_str("\n## Timeline titles (`timeline[].title`)\n\n| event | kk | ru | en |\n|---|---|---|---|\n");
    for event in crate::model::TimelineEvent::ALL.iter().copied() {
        let [kk, ru, en] = [Language::Kk, Language::Ru, Language::En].map(|l| super::timeline::title(event, l));
        doc.push_str(&format!("| {event} | {kk} | {ru} | {en} |\n"));
    }
    doc.push_str("\n## Problem titles (`title` of problem+json)\n\n| type | kk | ru | en |\n|---|---|---|---|\n");
    for kind in super::problems::ProblemKind::ALL {
        let [kk, ru, en] = [Language::Kk, Language::Ru, Language::En].map(|l| kind.title(l));
        doc.push_str(&format!("| {} | {kk} | {ru} | {en} |\n", kind.code()));
    }
    doc.push_str(
        "\n## The registration certificate (the PDF's words)\n\n| label | kk | ru | en |\n|---|---|---|---|\n",
    );
    for label in super::certificate::Label::ALL {
        let [kk, ru, en] = [Language::Kk, Language::Ru, Language::En].map(|l| super::certificate::label(label, l));
        doc.push_str(&format!("| {label:?} | {kk} | {ru} | {en} |\n"));
    }
    doc.push_str("\n## Broken rules (`detail` of a 400 or 422, after the field; English says it with the value)\n\n| rule | kk | ru |\n|---|---|---|\n");
    for rule in super::problems::RULES {
        let [kk, ru] = [Language::Kk, Language::Ru].map(|l| super::problems::rule(rule, l).unwrap_or_default());
        doc.push_str(&format!("| {rule} | {kk} | {ru} |\n"));
    }
    doc
}

#[test]
fn texts_doc_lists_every_template_as_it_renders() {
    let doc = render_doc();
    if std::env::var_os("UPDATE_TEXTS_DOC").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/texts.md");
        std::fs::write(path, &doc).expect("write docs/texts.md");
        return;
    }
    assert!(
        doc == DOC,
        "docs/texts.md differs from the templates: run UPDATE_TEXTS_DOC=1 cargo test -p domain texts_doc"
    );
    for kind in ["SigningCode", "ConsentRequest", "Registered", "Ended", "OwnerRequestWithdrawn", "ReplyWithdrawn"] {
        assert!(doc.contains(&format!("## {kind}")), "{kind} is listed");
    }
}
