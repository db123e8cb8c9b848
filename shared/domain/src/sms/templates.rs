//! Every message the service sends, in Kazakh, Russian and English. Each fits one SMS part with the
//! longest values it can carry (names are cut to 20 characters by `Person::short_name`).

use super::SmsMessage;
use crate::model::Language;

#[derive(Clone, PartialEq, Eq)]
pub enum Template<'a> {
    /// To the applicant: the code that signs the application.
    SigningCode {
        code: &'a str,
    },
    /// To an owner: consent request with the code to answer with.
    ConsentRequest {
        registrant: &'a str,
        code: &'a str,
    },
    ConsentApproved,
    ConsentDeclined,
    ReplyNotUnderstood,
    ReplyWrongCode,
    ReplyExpired,
    ReplyAlreadyAnswered,
    ReplyNothingPending,
    /// To the registrant: registered at an address from a date.
    Registered {
        rka: &'a str,
        from: &'a str,
    },
    /// To an owner: someone is now registered at their property.
    OwnerNoticeRegistered {
        person: &'a str,
        rka: &'a str,
    },
    /// To an owner of the previous address: someone is no longer registered there.
    OwnerNoticeRemoved {
        person: &'a str,
        rka: &'a str,
    },
}

impl Template<'_> {
    pub fn render(&self, lang: Language) -> SmsMessage {
        use Language::*;
        use Template::*;
        let text = match (self, lang) {
            (SigningCode { code }, Kk) => format!("Тіркеу өтінішіне қол қою коды: {code}. Ешкімге бермеңіз."),
            (SigningCode { code }, Ru) => format!("Код подписи заявления на прописку: {code}. Никому не сообщайте."),
            (SigningCode { code }, En) => format!("Your residence registration signing code: {code}. Do not share it."),
            (ConsentRequest { registrant, code }, Kk) => {
                format!("Тіркеу: {registrant}, келісім: ИӘ {code}/ЖОҚ {code}, 1 сағ")
            }
            (ConsentRequest { registrant, code }, Ru) => {
                format!("Прописка: {registrant}, согласие: ДА {code}/НЕТ {code}, 1 час")
            }
            (ConsentRequest { registrant, code }, En) => {
                format!("Register {registrant}? YES {code} / NO {code} within 1h")
            }
            (ConsentApproved, Kk) => "Келісіміңіз қабылданды. Рақмет!".into(),
            (ConsentApproved, Ru) => "Согласие принято. Спасибо!".into(),
            (ConsentApproved, En) => "Consent recorded. Thank you!".into(),
            (ConsentDeclined, Kk) => "Бас тартуыңыз тіркелді.".into(),
            (ConsentDeclined, Ru) => "Отказ записан.".into(),
            (ConsentDeclined, En) => "Refusal recorded.".into(),
            (ReplyNotUnderstood, Kk) => "Жауап түсініксіз. Жауап беріңіз: ИӘ 123456 не ЖОҚ 123456".into(),
            (ReplyNotUnderstood, Ru) => "Ответ не распознан. Ответьте: ДА 123456 или НЕТ 123456".into(),
            (ReplyNotUnderstood, En) => "Reply not understood. Answer YES 123456 or NO 123456".into(),
            (ReplyWrongCode, Kk) => "Код қате. Хабарламадағы кодты тексеріңіз.".into(),
            (ReplyWrongCode, Ru) => "Неверный код. Проверьте код из сообщения.".into(),
            (ReplyWrongCode, En) => "Wrong code. Check the code in the request.".into(),
            (ReplyExpired, Kk) => "Сұраудың мерзімі өтті, өтініш жойылды.".into(),
            (ReplyExpired, Ru) => "Срок запроса истёк, заявление отменено.".into(),
            (ReplyExpired, En) => "The request has expired; the application was cancelled.".into(),
            (ReplyAlreadyAnswered, Kk) => "Бұл сұрауға жауап берілген.".into(),
            (ReplyAlreadyAnswered, Ru) => "На этот запрос уже дан ответ.".into(),
            (ReplyAlreadyAnswered, En) => "This request has already been answered.".into(),
            (ReplyNothingPending, Kk) => "Бұл нөмірге күтудегі сұрау жоқ.".into(),
            (ReplyNothingPending, Ru) => "Для этого номера нет ожидающих запросов.".into(),
            (ReplyNothingPending, En) => "There is no pending request for this number.".into(),
            (Registered { rka, from }, Kk) => format!("Сіз {rka} мекенжайына тіркелдіңіз, {from} бастап."),
            (Registered { rka, from }, Ru) => format!("Вы прописаны по адресу {rka} с {from}."),
            (Registered { rka, from }, En) => format!("You are registered at {rka} from {from}."),
            (OwnerNoticeRegistered { person, rka }, Kk) => format!("{person} сіздің {rka} мекенжайыңызға тіркелді."),
            (OwnerNoticeRegistered { person, rka }, Ru) => format!("{person} прописан(а) по вашему адресу {rka}."),
            (OwnerNoticeRegistered { person, rka }, En) => format!("{person} is registered at {rka}."),
            (OwnerNoticeRemoved { person, rka }, Kk) => format!("{person} {rka} мекенжайынан шығарылды."),
            (OwnerNoticeRemoved { person, rka }, Ru) => format!("{person} выписан(а) с адреса {rka}."),
            (OwnerNoticeRemoved { person, rka }, En) => format!("{person} is deregistered from {rka}."),
        };
        SmsMessage::new(text).in_language(lang)
    }
}

impl std::fmt::Debug for Template<'_> {
    /// The kind of message only: the values are names and one-time codes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Template::SigningCode { .. } => "SigningCode",
            Template::ConsentRequest { .. } => "ConsentRequest",
            Template::ConsentApproved => "ConsentApproved",
            Template::ConsentDeclined => "ConsentDeclined",
            Template::ReplyNotUnderstood => "ReplyNotUnderstood",
            Template::ReplyWrongCode => "ReplyWrongCode",
            Template::ReplyExpired => "ReplyExpired",
            Template::ReplyAlreadyAnswered => "ReplyAlreadyAnswered",
            Template::ReplyNothingPending => "ReplyNothingPending",
            Template::Registered { .. } => "Registered",
            Template::OwnerNoticeRegistered { .. } => "OwnerNoticeRegistered",
            Template::OwnerNoticeRemoved { .. } => "OwnerNoticeRemoved",
        };
        write!(f, "Template::{kind}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Iin, Language, Person};
    use crate::sms::Encoding;

    /// The longest name `short_name` can produce, in letters that force UCS-2.
    fn longest_name() -> String {
        let person = Person {
            iin: Iin::parse("900315400017").expect("iin"),
            last_name: "Жұмабайқызы-Әбдірахманова".into(),
            first_name: "Әйгерім".into(),
            citizen: true,
            capacity: Default::default(),
            parents: vec![],
            representatives: vec![],
            guardians: vec![],
            bmg_phone: None,
            language: Language::Kk,
        };
        person.short_name()
    }

    #[test]
    fn every_template_fits_one_part_in_every_language_with_longest_values() {
        let name = longest_name();
        assert_eq!(name.chars().count(), 20);
        let code = "999999";
        let rka = "9999999999999999";
        let date = "2026-12-31";
        let all = [
            Template::SigningCode { code },
            Template::ConsentRequest { registrant: &name, code },
            Template::ConsentApproved,
            Template::ConsentDeclined,
            Template::ReplyNotUnderstood,
            Template::ReplyWrongCode,
            Template::ReplyExpired,
            Template::ReplyAlreadyAnswered,
            Template::ReplyNothingPending,
            Template::Registered { rka, from: date },
            Template::OwnerNoticeRegistered { person: &name, rka },
            Template::OwnerNoticeRemoved { person: &name, rka },
        ];
        for t in &all {
            for lang in [Language::Kk, Language::Ru, Language::En] {
                let m = t.render(lang);
                let limit = if m.encoding == Encoding::Ucs2 { 70 } else { 160 };
                assert_eq!(m.parts, 1, "{t:?} in {lang:?} takes {} parts: {:?}", m.parts, m.text);
                assert!(m.text.encode_utf16().count() <= limit, "{t:?} {lang:?}");
            }
        }
    }

    #[test]
    fn debug_names_the_kind_and_hides_names_and_codes() {
        let t = Template::ConsentRequest { registrant: "Serikov D.", code: "123456" };
        assert_eq!(format!("{t:?}"), "Template::ConsentRequest");
        let m = t.render(Language::Ru);
        assert_eq!(m.language, Language::Ru);
        let shown = format!("{m:?}");
        assert!(!shown.contains("Serikov") && !shown.contains("123456"), "{shown}");
    }

    #[test]
    fn english_texts_without_names_stay_gsm7() {
        let m = Template::SigningCode { code: "123456" }.render(Language::En);
        assert_eq!(m.encoding, Encoding::Gsm7);
        let m = Template::ConsentRequest { registrant: "Serikov D.", code: "123456" }.render(Language::En);
        assert_eq!(m.encoding, Encoding::Gsm7);
    }
}
