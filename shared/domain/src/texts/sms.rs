//! Every message the service sends, in Kazakh, Russian and English. Each fits its [`Template::max_parts`]
//! with the longest values it can carry (names are cut to 20 characters by `Person::short_name`, addresses to
//! 48 by `Address::short`): one part, or two for a text that names an address. `docs/texts.md` lists them all.

use crate::model::{Language, ReasonCode, RegistrationKind, Status};
use crate::sms::SmsMessage;

#[derive(Clone, PartialEq, Eq)]
pub enum Template<'a> {
    /// To the applicant: the code that signs the application.
    SigningCode {
        code: &'a str,
    },
    /// To an owner: who is to be registered where, for how long, and the code to answer with.
    ConsentRequest {
        registrant: &'a str,
        address: &'a str,
        kind: RegistrationKind,
        code: &'a str,
    },
    ConsentApproved,
    ConsentDeclined,
    /// A reply that is still unclear after every variant people type: how to answer; nothing changed.
    ReplyNotUnderstood,
    ReplyWrongCode,
    ReplyExpired,
    /// A reply to a request whose application was withdrawn.
    ReplyWithdrawn,
    ReplyAlreadyAnswered,
    ReplyNothingPending,
    /// To the registrant: registered at an address from a date (to a date, if temporary).
    Registered {
        address: &'a str,
        from: &'a str,
        until: Option<&'a str>,
    },
    /// To a parent or guardian who applied for someone else.
    RegisteredOther {
        person: &'a str,
        address: &'a str,
        from: &'a str,
        until: Option<&'a str>,
    },
    /// To the person: the previous permanent registration was closed by the new one.
    RegistrationClosed {
        address: &'a str,
    },
    /// To an owner: someone is now registered at their property.
    OwnerNoticeRegistered {
        person: &'a str,
        address: &'a str,
    },
    /// To an owner of the previous address: someone is no longer registered there.
    OwnerNoticeRemoved {
        person: &'a str,
        address: &'a str,
    },
    /// To the applicant (and the registrant, if another person): an outcome other than REGISTERED.
    Ended {
        status: Status,
        reason: ReasonCode,
    },
    /// To an owner who was asked: the request needs no answer any more.
    OwnerRequestWithdrawn {
        registrant: &'a str,
    },
    OwnerRequestExpired {
        registrant: &'a str,
    },
}

/// "permanent" or "temporary, N months" in each language.
fn kind_words(kind: RegistrationKind, lang: Language) -> String {
    match (kind, lang) {
        (RegistrationKind::Permanent, Language::Kk) => "тұрақты".into(),
        (RegistrationKind::Permanent, Language::Ru) => "постоянно".into(),
        (RegistrationKind::Permanent, Language::En) => "permanently".into(),
        (RegistrationKind::Temporary { months }, Language::Kk) => format!("уақытша, {months} ай"),
        (RegistrationKind::Temporary { months }, Language::Ru) => format!("временно {months} мес"),
        (RegistrationKind::Temporary { months }, Language::En) => format!("for {months} months"),
    }
}

fn until_words(until: Option<&str>, lang: Language) -> String {
    match (until, lang) {
        (None, _) => String::new(),
        (Some(d), Language::Kk) => format!(", {d} дейін"),
        (Some(d), Language::Ru) => format!(" по {d}"),
        (Some(d), Language::En) => format!(" to {d}"),
    }
}

impl Template<'_> {
    /// How many billed parts it may take with the longest values: two for a text that names an address in
    /// words (it does not fit one UCS-2 part of 70 characters beside a name), one for every other.
    pub fn max_parts(&self) -> u32 {
        use Template::*;
        match self {
            ConsentRequest { .. }
            | Registered { .. }
            | RegisteredOther { .. }
            | RegistrationClosed { .. }
            | OwnerNoticeRegistered { .. }
            | OwnerNoticeRemoved { .. } => 2,
            Ended { status: Status::OfflineRequired, .. } => 2,
            _ => 1,
        }
    }

    pub fn render(&self, lang: Language) -> SmsMessage {
        use Language::*;
        use Template::*;
        let text = match (self, lang) {
            (SigningCode { code }, Kk) => format!("Тіркеу өтінішіне қол қою коды: {code}. Ешкімге бермеңіз."),
            (SigningCode { code }, Ru) => format!("Код подписи заявления на прописку: {code}. Никому не сообщайте."),
            (SigningCode { code }, En) => format!("Your residence registration signing code: {code}. Do not share it."),
            (ConsentRequest { registrant, address, kind, code }, Kk) => {
                format!("Тіркеу: {registrant}, {address}, {}. ИӘ {code} / ЖОҚ {code} (1 сағ)", kind_words(*kind, lang))
            }
            (ConsentRequest { registrant, address, kind, code }, Ru) => {
                format!(
                    "Прописка: {registrant}, {address}, {}. ДА {code} / НЕТ {code} (1 час)",
                    kind_words(*kind, lang)
                )
            }
            (ConsentRequest { registrant, address, kind, code }, En) => {
                format!(
                    "Register {registrant} at {address} {}? YES {code} / NO {code} (1 hour)",
                    kind_words(*kind, lang)
                )
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
            (ReplyWithdrawn, Kk) => "Сұрау қайтарылған, жауабыңыз тіркелмеді.".into(),
            (ReplyWithdrawn, Ru) => "Запрос был отозван, ответ не записан.".into(),
            (ReplyWithdrawn, En) => "The request was withdrawn; your answer was not recorded.".into(),
            (ReplyAlreadyAnswered, Kk) => "Бұл сұрауға жауап берілген.".into(),
            (ReplyAlreadyAnswered, Ru) => "На этот запрос уже дан ответ.".into(),
            (ReplyAlreadyAnswered, En) => "This request has already been answered.".into(),
            (ReplyNothingPending, Kk) => "Бұл нөмірге күтудегі сұрау жоқ.".into(),
            (ReplyNothingPending, Ru) => "Для этого номера нет ожидающих запросов.".into(),
            (ReplyNothingPending, En) => "There is no pending request for this number.".into(),
            (Registered { address, from, until }, Kk) => {
                format!("Сіз тіркелдіңіз: {address}, {from} бастап{}.", until_words(*until, lang))
            }
            (Registered { address, from, until }, Ru) => {
                format!("Вы прописаны: {address}, с {from}{}.", until_words(*until, lang))
            }
            (Registered { address, from, until }, En) => {
                format!("You are registered at {address} from {from}{}.", until_words(*until, lang))
            }
            (RegisteredOther { person, address, from, until }, Kk) => {
                format!("{person} тіркелді: {address}, {from} бастап{}.", until_words(*until, lang))
            }
            (RegisteredOther { person, address, from, until }, Ru) => {
                format!("{person} прописан(а): {address}, с {from}{}.", until_words(*until, lang))
            }
            (RegisteredOther { person, address, from, until }, En) => {
                format!("{person} is registered at {address} from {from}{}.", until_words(*until, lang))
            }
            (RegistrationClosed { address }, Kk) => format!("{address} мекенжайындағы тіркеуіңіз тоқтатылды."),
            (RegistrationClosed { address }, Ru) => format!("Ваша прописка по адресу {address} прекращена."),
            (RegistrationClosed { address }, En) => format!("Your registration at {address} has ended."),
            (OwnerNoticeRegistered { person, address }, Kk) => {
                format!("{person} сіздің мекенжайыңызға тіркелді: {address}.")
            }
            (OwnerNoticeRegistered { person, address }, Ru) => {
                format!("{person} прописан(а) по вашему адресу: {address}.")
            }
            (OwnerNoticeRegistered { person, address }, En) => {
                format!("{person} is registered at your address: {address}.")
            }
            (OwnerNoticeRemoved { person, address }, Kk) => format!("{person} мекенжайыңыздан шығарылды: {address}."),
            (OwnerNoticeRemoved { person, address }, Ru) => format!("{person} выписан(а) с вашего адреса: {address}."),
            (OwnerNoticeRemoved { person, address }, En) => {
                format!("{person} is deregistered from your address: {address}.")
            }
            (Ended { status, reason }, _) => super::outcomes::ended(*status, *reason, lang),
            (OwnerRequestWithdrawn { registrant }, Kk) => {
                format!("{registrant} тіркеу сұрауы қайтарылды, жауап керек емес.")
            }
            (OwnerRequestWithdrawn { registrant }, Ru) => format!("Запрос на прописку {registrant} отозван."),
            (OwnerRequestWithdrawn { registrant }, En) => {
                format!("Request to register {registrant} withdrawn: no answer needed.")
            }
            (OwnerRequestExpired { registrant }, Kk) => format!("{registrant} тіркеу сұрауының мерзімі өтті."),
            (OwnerRequestExpired { registrant }, Ru) => format!("Срок запроса на прописку {registrant} истёк."),
            (OwnerRequestExpired { registrant }, En) => format!("The request to register {registrant} has expired."),
        };
        SmsMessage::new(text).in_language(lang)
    }

    /// The kind of message only: the values are names, addresses and one-time codes.
    pub fn kind(&self) -> &'static str {
        use Template::*;
        match self {
            SigningCode { .. } => "SigningCode",
            ConsentRequest { .. } => "ConsentRequest",
            ConsentApproved => "ConsentApproved",
            ConsentDeclined => "ConsentDeclined",
            ReplyNotUnderstood => "ReplyNotUnderstood",
            ReplyWrongCode => "ReplyWrongCode",
            ReplyExpired => "ReplyExpired",
            ReplyWithdrawn => "ReplyWithdrawn",
            ReplyAlreadyAnswered => "ReplyAlreadyAnswered",
            ReplyNothingPending => "ReplyNothingPending",
            Registered { .. } => "Registered",
            RegisteredOther { .. } => "RegisteredOther",
            RegistrationClosed { .. } => "RegistrationClosed",
            OwnerNoticeRegistered { .. } => "OwnerNoticeRegistered",
            OwnerNoticeRemoved { .. } => "OwnerNoticeRemoved",
            Ended { .. } => "Ended",
            OwnerRequestWithdrawn { .. } => "OwnerRequestWithdrawn",
            OwnerRequestExpired { .. } => "OwnerRequestExpired",
        }
    }
}

impl std::fmt::Debug for Template<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Template::{}", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Address, AddressParts, Iin, Person};
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

    /// Every template with the longest values it can carry.
    pub(crate) fn every_template<'a>(name: &'a str, address: &'a str) -> Vec<Template<'a>> {
        let (code, date) = ("999999", "2026-12-31");
        let mut all = vec![
            Template::SigningCode { code },
            Template::ConsentRequest { registrant: name, address, kind: RegistrationKind::Permanent, code },
            Template::ConsentRequest {
                registrant: name,
                address,
                kind: RegistrationKind::Temporary { months: 12 },
                code,
            },
            Template::ConsentApproved,
            Template::ConsentDeclined,
            Template::ReplyNotUnderstood,
            Template::ReplyWrongCode,
            Template::ReplyExpired,
            Template::ReplyWithdrawn,
            Template::ReplyAlreadyAnswered,
            Template::ReplyNothingPending,
            Template::Registered { address, from: date, until: Some(date) },
            Template::RegisteredOther { person: name, address, from: date, until: Some(date) },
            Template::RegistrationClosed { address },
            Template::OwnerNoticeRegistered { person: name, address },
            Template::OwnerNoticeRemoved { person: name, address },
            Template::OwnerRequestWithdrawn { registrant: name },
            Template::OwnerRequestExpired { registrant: name },
        ];
        for reason in ReasonCode::ALL.iter().copied() {
            all.push(Template::Ended { status: crate::texts::outcomes::ends_as(reason), reason });
        }
        all
    }

    #[test]
    fn every_template_fits_its_parts_in_every_language_with_longest_values() {
        let name = longest_name();
        assert_eq!(name.chars().count(), 20);
        let long = Address::Parts(AddressParts {
            locality: "Нұр-Сұлтан қаласы, Есіл ауданы".into(),
            street: "Қабанбай батыр даңғылы".into(),
            house: "123/4".into(),
            flat: Some("567".into()),
        });
        for lang in [Language::Kk, Language::Ru, Language::En] {
            let address = long.short(lang);
            assert_eq!(address.chars().count(), crate::model::ADDRESS_SHORT_MAX_CHARS);
            for t in every_template(&name, &address) {
                let m = t.render(lang);
                assert!(m.parts <= t.max_parts(), "{t:?} in {lang:?} takes {} parts: {:?}", m.parts, m.text);
            }
        }
    }

    #[test]
    fn debug_names_the_kind_and_hides_names_and_codes() {
        let kind = RegistrationKind::Permanent;
        let t = Template::ConsentRequest { registrant: "Serikov D.", address: "Astana", kind, code: "123456" };
        assert_eq!(format!("{t:?}"), "Template::ConsentRequest");
        let m = t.render(Language::Ru);
        assert_eq!(m.language, Language::Ru);
        let shown = format!("{m:?}");
        assert!(!shown.contains("Serikov") && !shown.contains("123456"), "{shown}");
    }

    #[test]
    fn english_texts_with_latin_values_stay_gsm7_and_the_request_names_place_and_kind() {
        let m = Template::SigningCode { code: "123456" }.render(Language::En);
        assert_eq!(m.encoding, Encoding::Gsm7);
        let kind = RegistrationKind::Temporary { months: 3 };
        let t = Template::ConsentRequest {
            registrant: "Serikov D.",
            address: "Astana, Mangilik El 10, flat 1",
            kind,
            code: "123456",
        };
        let m = t.render(Language::En);
        assert_eq!((m.encoding, m.parts), (Encoding::Gsm7, 1));
        assert_eq!(
            m.text,
            "Register Serikov D. at Astana, Mangilik El 10, flat 1 for 3 months? YES 123456 / NO 123456 (1 hour)"
        );
        let kk = t.render(Language::Kk).text;
        assert!(kk.contains("уақытша, 3 ай") && kk.contains("Mangilik El 10"), "{kk}");
    }
}
