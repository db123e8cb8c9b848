//! What each timeline entry is called in the service history, in the reader's language. The event's name
//! (`SUBMITTED`, ...) stays the stable code; its `detail` is the record written at the time.

use crate::model::{ConsentChannel, Language, TimelineEntry, TimelineEvent, TimelineFacts};
use chrono::{DateTime, Utc};

impl TimelineEntry {
    /// An entry with its record typed (and written in English too, in its `detail`).
    pub fn of(at: DateTime<Utc>, event: TimelineEvent, facts: TimelineFacts) -> Self {
        let detail = detail(&facts, Language::En);
        TimelineEntry { at, event, detail: Some(detail), facts: Some(facts) }
    }
}

pub fn title(event: TimelineEvent, lang: Language) -> &'static str {
    use Language::*;
    use TimelineEvent::*;
    match (event, lang) {
        (Submitted, Kk) => "Өтініш берілді",
        (Submitted, Ru) => "Заявление подано",
        (Submitted, En) => "Application submitted",
        (LateRegistration, Kk) => "Көшкеннен кейін 10 күннен кеш берілді",
        (LateRegistration, Ru) => "Подано позже 10 дней после переезда",
        (LateRegistration, En) => "Submitted more than 10 days after moving in",
        (EligibilityChecked, Kk) => "Деректер тексерілді",
        (EligibilityChecked, Ru) => "Данные проверены",
        (EligibilityChecked, En) => "Eligibility checked",
        (ConsentRequested, Kk) => "Меншік иесінен келісім сұралды",
        (ConsentRequested, Ru) => "Запрошено согласие собственника",
        (ConsentRequested, En) => "Owner's consent requested",
        (ConsentApproved, Kk) => "Меншік иесі келісті",
        (ConsentApproved, Ru) => "Собственник дал согласие",
        (ConsentApproved, En) => "Owner consented",
        (ConsentDeclined, Kk) => "Меншік иесі бас тартты",
        (ConsentDeclined, Ru) => "Собственник отказал",
        (ConsentDeclined, En) => "Owner declined",
        (Registered, Kk) => "Тіркелді",
        (Registered, Ru) => "Прописан(а)",
        (Registered, En) => "Registered",
        (Rejected, Kk) => "Бас тартылды",
        (Rejected, Ru) => "Отказано",
        (Rejected, En) => "Refused",
        (OfflineRequired, Kk) => "ХҚКО-ға жүгіну керек",
        (OfflineRequired, Ru) => "Требуется обращение в ЦОН",
        (OfflineRequired, En) => "To be done at a Public Service Center",
        (Cancelled, Kk) => "Жойылды",
        (Cancelled, Ru) => "Отменено",
        (Cancelled, En) => "Cancelled",
        (Failed, Kk) => "Орындалмады",
        (Failed, Ru) => "Не выполнено",
        (Failed, En) => "Failed",
        (FlaggedForReview, Kk) => "Мекенжай тексеруге белгіленді",
        (FlaggedForReview, Ru) => "Адрес отмечен для проверки",
        (FlaggedForReview, En) => "Address flagged for review",
        (CertificateIssued, Kk) => "Мекенжай анықтамасы берілді",
        (CertificateIssued, Ru) => "Выдана адресная справка",
        (CertificateIssued, En) => "Registration certificate issued",
    }
}

/// A record in `lang`. English is what operators read; it is also written into the entry's `detail`.
pub fn detail(facts: &TimelineFacts, lang: Language) -> String {
    use Language::*;
    match (facts, lang) {
        (TimelineFacts::SignedWithSmsCode, Kk) => "1414 SMS-кодымен қол қойылды".into(),
        (TimelineFacts::SignedWithSmsCode, Ru) => "подписано SMS-кодом от 1414".into(),
        (TimelineFacts::SignedWithSmsCode, En) => "signed with an SMS code from 1414".into(),
        (TimelineFacts::SignedWithEds { serial, issuer }, Kk) => format!("ЭЦҚ-мен қол қойылды: сертификат {serial}, берген {issuer}"),
        (TimelineFacts::SignedWithEds { serial, issuer }, Ru) => format!("подписано ЭЦП: сертификат {serial}, выдан {issuer}"),
        (TimelineFacts::SignedWithEds { serial, issuer }, En) => format!("signed with EDS: certificate {serial}, issued by {issuer}"),
        (TimelineFacts::LateRegistration, Kk) => "көшкеннен кейін 10 күнтізбелік күннен кеш".into(),
        (TimelineFacts::LateRegistration, Ru) => "более чем через 10 календарных дней после переезда".into(),
        (TimelineFacts::LateRegistration, En) => "registered more than 10 calendar days after moving in".into(),
        (TimelineFacts::Eligible, Kk) => "шарттар орындалды".into(),
        (TimelineFacts::Eligible, Ru) => "условия выполнены".into(),
        (TimelineFacts::Eligible, En) => "ELIGIBLE".into(),
        (TimelineFacts::ConsentRequired { owners }, Kk) => format!("меншік иелерінің келісімі керек: {owners}"),
        (TimelineFacts::ConsentRequired { owners }, Ru) => format!("нужно согласие собственников: {owners}"),
        (TimelineFacts::ConsentRequired { owners }, En) => format!("CONSENT_REQUIRED from {owners} owner(s)"),
        (TimelineFacts::Reasons { codes }, En) => codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
        (TimelineFacts::Reasons { codes }, _) => {
            codes.iter().map(|c| super::outcomes::reason_words(*c, lang)).collect::<Vec<_>>().join("; ")
        }
        (TimelineFacts::OwnerAsked { owner, by_sms: true }, Kk) => format!("меншік иесі {owner}: 1414 SMS және қосымша арқылы сұралды"),
        (TimelineFacts::OwnerAsked { owner, by_sms: true }, Ru) => format!("собственник {owner}: запрос по SMS от 1414 и в приложении"),
        (TimelineFacts::OwnerAsked { owner, by_sms: true }, En) => format!("owner {owner} asked by SMS from 1414 and in the app"),
        (TimelineFacts::OwnerAsked { owner, by_sms: false }, Kk) => format!("меншік иесі {owner} БМГ-да жоқ: тек қосымшада сұралды"),
        (TimelineFacts::OwnerAsked { owner, by_sms: false }, Ru) => format!("у собственника {owner} нет номера в БМГ: запрос только в приложении"),
        (TimelineFacts::OwnerAsked { owner, by_sms: false }, En) => format!("owner {owner} has no BMG phone: asked in the app only"),
        (TimelineFacts::OwnerAnswered { owner, channel }, _) => {
            let how = match (channel, lang) {
                (ConsentChannel::Sms, Kk) => "SMS арқылы",
                (ConsentChannel::Sms, Ru) => "по SMS",
                (ConsentChannel::Sms, En) => "by SMS",
                (ConsentChannel::App, Kk) => "қосымшада",
                (ConsentChannel::App, Ru) => "в приложении",
                (ConsentChannel::App, En) => "in the app",
            };
            match lang {
                Kk => format!("меншік иесі {owner}, {how}"),
                Ru => format!("собственник {owner}, {how}"),
                En => format!("owner {owner} {how}"),
            }
        }
        (TimelineFacts::Registration { rka, from, until, closed }, _) => {
            let mut text = match (until, lang) {
                (None, Kk) => format!("{rka} бойынша тұрақты тіркеу, {from} бастап"),
                (None, Ru) => format!("постоянная прописка по {rka} с {from}"),
                (None, En) => format!("permanent registration at {rka} from {from}"),
                (Some(to), Kk) => format!("{rka} бойынша уақытша тіркеу, {from} – {to}"),
                (Some(to), Ru) => format!("временная прописка по {rka} с {from} по {to}"),
                (Some(to), En) => format!("temporary registration at {rka} from {from} to {to}"),
            };
            match (closed, lang) {
                (None, _) => {}
                (Some(old), Kk) => text.push_str(&format!("; {old} бойынша бұрынғы тұрақты тіркеу тоқтатылды")),
                (Some(old), Ru) => text.push_str(&format!("; прежняя постоянная прописка по {old} прекращена")),
                (Some(old), En) => text.push_str(&format!("; previous permanent registration at {old} closed")),
            }
            text
        }
        (TimelineFacts::Certificate { number }, Kk) => format!("анықтама № {number}"),
        (TimelineFacts::Certificate { number }, Ru) => format!("справка № {number}"),
        (TimelineFacts::Certificate { number }, En) => format!("certificate no. {number}"),
        (TimelineFacts::StepError { error }, Kk) => format!("қате {error}"),
        (TimelineFacts::StepError { error }, Ru) => format!("ошибка {error}"),
        (TimelineFacts::StepError { error }, En) => format!("error {error}"),
        (TimelineFacts::WorkflowNotStarted, Kk) => "өңдеуді бастау мүмкін болмады".into(),
        (TimelineFacts::WorkflowNotStarted, Ru) => "не удалось запустить обработку".into(),
        (TimelineFacts::WorkflowNotStarted, En) => "the workflow could not be started".into(),
        (TimelineFacts::Review { threshold, window_days }, Kk) => format!(
            "соңғы {window_days} күнде бұл мекенжайда {threshold}-дан көп тіркеу: қызметкер тексереді; тіркеу күшінде"
        ),
        (TimelineFacts::Review { threshold, window_days }, Ru) => format!(
            "более {threshold} прописок по этому адресу за {window_days} дней: адрес проверит сотрудник; прописка остаётся в силе"
        ),
        (TimelineFacts::Review { threshold, window_days }, En) => format!(
            "more than {threshold} registrations at this address in the last {window_days} days: a person will review it; the registration stands"
        ),
    }
}
