//! The kinds of problem+json answers ([`ProblemKind`]: type, status, title in each language) and their
//! details in the reader's language. The type, `field` and `rule` stay codes. A detail that is technical
//! (which field broke which rule) keeps the English it was built with.

use super::reasons;
use crate::model::{Language, ReasonCode};

/// Every kind of problem+json answer: its type (`urn:problem:residence-registration:<code>`), its HTTP status and
/// its title in each language, by exhaustive match. No problem type is written as a string anywhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    InvalidField,
    MalformedJson,
    BodyTooLarge,
    UnsupportedMediaType,
    Unauthorized,
    NotFound,
    Unavailable,
    NotAuthorisedForRegistrant,
    OpenApplicationExists,
    TooManyRequests,
    NoBmgPhone,
    SignatureInvalid,
    IdempotencyKeyReused,
    AlreadyFinished,
    ConsentAlreadyAnswered,
    ConsentExpired,
    ConsentWithdrawn,
    /// The API has no such path (a local control neither).
    NoSuchRoute,
    /// The path exists, not with this method.
    MethodNotAllowed,
    /// The local stack's fault control was given a fault it cannot inject.
    InvalidFault,
    /// The local stack failed at something only it does (signing with its test PKI).
    Internal,
    /// A certificate was asked for an application that is not REGISTERED.
    NotRegistered,
    /// The `Accept` header names no type the route can give.
    NotAcceptable,
}

impl ProblemKind {
    pub const ALL: [ProblemKind; 23] = [
        ProblemKind::InvalidField,
        ProblemKind::MalformedJson,
        ProblemKind::BodyTooLarge,
        ProblemKind::UnsupportedMediaType,
        ProblemKind::Unauthorized,
        ProblemKind::NotFound,
        ProblemKind::Unavailable,
        ProblemKind::NotAuthorisedForRegistrant,
        ProblemKind::OpenApplicationExists,
        ProblemKind::TooManyRequests,
        ProblemKind::NoBmgPhone,
        ProblemKind::SignatureInvalid,
        ProblemKind::IdempotencyKeyReused,
        ProblemKind::AlreadyFinished,
        ProblemKind::ConsentAlreadyAnswered,
        ProblemKind::ConsentExpired,
        ProblemKind::ConsentWithdrawn,
        ProblemKind::NoSuchRoute,
        ProblemKind::MethodNotAllowed,
        ProblemKind::InvalidFault,
        ProblemKind::Internal,
        ProblemKind::NotRegistered,
        ProblemKind::NotAcceptable,
    ];

    /// The stable code at the end of the type URN.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::InvalidField => "invalid-field",
            ProblemKind::MalformedJson => "malformed-json",
            ProblemKind::BodyTooLarge => "body-too-large",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::NotFound => "not-found",
            ProblemKind::Unavailable => "unavailable",
            ProblemKind::NotAuthorisedForRegistrant => "not-authorised-for-registrant",
            ProblemKind::OpenApplicationExists => "open-application-exists",
            ProblemKind::TooManyRequests => "too-many-requests",
            ProblemKind::NoBmgPhone => "no-bmg-phone",
            ProblemKind::SignatureInvalid => "signature-invalid",
            ProblemKind::IdempotencyKeyReused => "idempotency-key-reused",
            ProblemKind::AlreadyFinished => "already-finished",
            ProblemKind::ConsentAlreadyAnswered => "consent-already-answered",
            ProblemKind::ConsentExpired => "consent-expired",
            ProblemKind::ConsentWithdrawn => "consent-withdrawn",
            ProblemKind::NoSuchRoute => "no-such-route",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::InvalidFault => "invalid-fault",
            ProblemKind::Internal => "internal",
            ProblemKind::NotRegistered => "not-registered",
            ProblemKind::NotAcceptable => "not-acceptable",
        }
    }

    /// The type URN.
    pub fn urn(self) -> String {
        format!("urn:problem:residence-registration:{}", self.code())
    }

    /// The HTTP status it is answered with.
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::InvalidField => 400,
            ProblemKind::MalformedJson => 400,
            ProblemKind::BodyTooLarge => 413,
            ProblemKind::UnsupportedMediaType => 415,
            ProblemKind::Unauthorized => 401,
            ProblemKind::NotFound => 404,
            ProblemKind::Unavailable => 503,
            ProblemKind::NotAuthorisedForRegistrant => 403,
            ProblemKind::OpenApplicationExists => 409,
            ProblemKind::TooManyRequests => 429,
            ProblemKind::NoBmgPhone => 422,
            ProblemKind::SignatureInvalid => 422,
            ProblemKind::IdempotencyKeyReused => 422,
            ProblemKind::AlreadyFinished => 409,
            ProblemKind::ConsentAlreadyAnswered => 409,
            ProblemKind::ConsentExpired => 410,
            ProblemKind::ConsentWithdrawn => 410,
            ProblemKind::NoSuchRoute => 404,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::InvalidFault => 400,
            ProblemKind::Internal => 500,
            ProblemKind::NotRegistered => 409,
            ProblemKind::NotAcceptable => 406,
        }
    }

    /// Its title in `lang`.
    pub fn title(self, lang: Language) -> &'static str {
        use Language::*;
        match (self, lang) {
            (ProblemKind::InvalidField, Kk) => "Өріс дұрыс емес",
            (ProblemKind::InvalidField, Ru) => "Поле заполнено неверно",
            (ProblemKind::InvalidField, En) => "A field is not valid",
            (ProblemKind::MalformedJson, Kk) => "Сұрау денесі JSON емес",
            (ProblemKind::MalformedJson, Ru) => "Тело запроса — не JSON",
            (ProblemKind::MalformedJson, En) => "The body is not valid JSON",
            (ProblemKind::BodyTooLarge, Kk) => "Сұрау тым үлкен",
            (ProblemKind::BodyTooLarge, Ru) => "Слишком большой запрос",
            (ProblemKind::BodyTooLarge, En) => "The body is too large",
            (ProblemKind::UnsupportedMediaType, Kk) => "Мазмұн түрі қолдау көрсетілмейді",
            (ProblemKind::UnsupportedMediaType, Ru) => "Тип содержимого не поддерживается",
            (ProblemKind::UnsupportedMediaType, En) => "Unsupported media type",
            (ProblemKind::Unauthorized, Kk) => "Жүйеге кірмегенсіз",
            (ProblemKind::Unauthorized, Ru) => "Вход не выполнен",
            (ProblemKind::Unauthorized, En) => "Not signed in",
            (ProblemKind::NotFound, Kk) => "Табылмады",
            (ProblemKind::NotFound, Ru) => "Не найдено",
            (ProblemKind::NotFound, En) => "Not found",
            (ProblemKind::Unavailable, Kk) => "Қызмет уақытша қолжетімсіз",
            (ProblemKind::Unavailable, Ru) => "Сервис временно недоступен",
            (ProblemKind::Unavailable, En) => "The service is temporarily unavailable",
            (ProblemKind::NotAuthorisedForRegistrant, Kk) => "Бұл адам үшін өтініш бере алмайсыз",
            (ProblemKind::NotAuthorisedForRegistrant, Ru) => "Вы не можете подать заявление за этого человека",
            (ProblemKind::NotAuthorisedForRegistrant, En) => "Not authorised to apply for this person",
            (ProblemKind::OpenApplicationExists, Kk) => "Аяқталмаған өтініш бар",
            (ProblemKind::OpenApplicationExists, Ru) => "Уже есть незавершённое заявление",
            (ProblemKind::OpenApplicationExists, En) => "An application is already open",
            (ProblemKind::TooManyRequests, Kk) => "Сұраулар тым көп",
            (ProblemKind::TooManyRequests, Ru) => "Слишком много запросов",
            (ProblemKind::TooManyRequests, En) => "Too many requests",
            (ProblemKind::NoBmgPhone, Kk) => "Нөмір Мобильді азаматтар базасында жоқ",
            (ProblemKind::NoBmgPhone, Ru) => "Номера нет в базе мобильных граждан",
            (ProblemKind::NoBmgPhone, En) => "No phone in the Mobile Citizens Database",
            (ProblemKind::SignatureInvalid, Kk) => "Қолтаңба жарамсыз",
            (ProblemKind::SignatureInvalid, Ru) => "Подпись недействительна",
            (ProblemKind::SignatureInvalid, En) => "The signature is not valid",
            (ProblemKind::IdempotencyKeyReused, Kk) => "Idempotency-Key қайта қолданылды",
            (ProblemKind::IdempotencyKeyReused, Ru) => "Idempotency-Key использован повторно",
            (ProblemKind::IdempotencyKeyReused, En) => "Idempotency-Key reused",
            (ProblemKind::AlreadyFinished, Kk) => "Өтініш аяқталған",
            (ProblemKind::AlreadyFinished, Ru) => "Заявление уже завершено",
            (ProblemKind::AlreadyFinished, En) => "The application is already finished",
            (ProblemKind::ConsentAlreadyAnswered, Kk) => "Жауап берілген",
            (ProblemKind::ConsentAlreadyAnswered, Ru) => "Ответ уже дан",
            (ProblemKind::ConsentAlreadyAnswered, En) => "Already answered",
            (ProblemKind::ConsentExpired, Kk) => "Сұраудың мерзімі өтті",
            (ProblemKind::ConsentExpired, Ru) => "Срок запроса истёк",
            (ProblemKind::ConsentExpired, En) => "The request has expired",
            (ProblemKind::ConsentWithdrawn, Kk) => "Сұрау қайтарылды",
            (ProblemKind::ConsentWithdrawn, Ru) => "Запрос отозван",
            (ProblemKind::ConsentWithdrawn, En) => "The request was withdrawn",
            (ProblemKind::NoSuchRoute, Kk) => "Табылмады",
            (ProblemKind::NoSuchRoute, Ru) => "Не найдено",
            (ProblemKind::NoSuchRoute, En) => "Not found",
            (ProblemKind::MethodNotAllowed, Kk) => "Бұл әдіске рұқсат жоқ",
            (ProblemKind::MethodNotAllowed, Ru) => "Метод не разрешён",
            (ProblemKind::MethodNotAllowed, En) => "Method not allowed",
            (ProblemKind::InvalidFault, Kk) => "Ақау сипаттамасы дұрыс емес",
            (ProblemKind::InvalidFault, Ru) => "Описание сбоя неверно",
            (ProblemKind::InvalidFault, En) => "The fault is not valid",
            (ProblemKind::Internal, Kk) => "Ішкі қате",
            (ProblemKind::Internal, Ru) => "Внутренняя ошибка",
            (ProblemKind::Internal, En) => "Internal error",
            (ProblemKind::NotRegistered, Kk) => "Өтініш тіркелмеген",
            (ProblemKind::NotRegistered, Ru) => "Заявление не завершено регистрацией",
            (ProblemKind::NotRegistered, En) => "The application is not registered",
            (ProblemKind::NotAcceptable, Kk) => "Бұл пішімде беру мүмкін емес",
            (ProblemKind::NotAcceptable, Ru) => "Этот формат недоступен",
            (ProblemKind::NotAcceptable, En) => "Not acceptable",
        }
    }
}

/// The words for a dependency a 503 names (`storage`, `registries`, `SMS`, `workflow`, `revocation`, `EDS`).
fn dependency(name: &str, lang: Language) -> String {
    use Language::*;
    match (name, lang) {
        ("storage", Kk) => "Деректер қоймасы".into(),
        ("storage", Ru) => "Хранилище данных".into(),
        ("registries", Kk) => "Мемлекеттік тізілімдер".into(),
        ("registries", Ru) => "Государственные реестры".into(),
        ("workflow", Kk) => "Өтінішті өңдеу қызметі".into(),
        ("workflow", Ru) => "Служба обработки заявлений".into(),
        ("revocation", Kk) => "ЭЦҚ қайтарып алу тізімінің қызметі (OCSP, CRL)".into(),
        ("revocation", Ru) => "Служба проверки отзыва ЭЦП (OCSP, CRL)".into(),
        ("EDS", Kk) => "ЭЦҚ тексеру".into(),
        ("EDS", Ru) => "Проверка ЭЦП".into(),
        ("signing", Kk) => "Қызметтің қол қою кілті".into(),
        ("signing", Ru) => "Ключ подписи службы".into(),
        (other, _) => other.to_string(),
    }
}

/// The detail in Kazakh or Russian for the types whose detail is for people; `extra` gives the members the
/// problem carries (`retryAt`, `openApplicationId`, `dependency`, `applicationId`). English keeps the detail
/// it was built with.
pub fn detail(problem: ProblemKind, lang: Language, extra: impl Fn(&str) -> Option<String>) -> Option<String> {
    use Language::*;
    use ProblemKind as P;
    if lang == En {
        return None;
    }
    let text = match (problem, lang) {
        (P::Unavailable, _) if extra("applicationId").is_some() => match lang {
            Kk => "Өтінішті өңдеу қызметі қолжетімсіз; өтініш FAILED деп жазылды, қайта өтініш беріңіз.".to_string(),
            _ => "Служба обработки недоступна; заявление записано как FAILED, подайте его снова.".to_string(),
        },
        (P::Unavailable, _) if extra("stored").is_some() => match lang {
            Kk => "Сақтау қызметі өтінішті растамады: ол сақталған болуы мүмкін; сол сұрауды сол Idempotency-Key кілтімен қайта жіберіңіз (екі рет сақталмайды).".to_string(),
            _ => "Хранилище не подтвердило заявление: оно могло быть сохранено; отправьте тот же запрос ещё раз с тем же Idempotency-Key (дважды оно не сохранится).".to_string(),
        },
        (P::Unavailable, _) if extra("consentStatus").is_some() => match lang {
            Kk => "Жауабыңыз тіркелді, бірақ әзірге жіберілмеді; бір минуттан кейін сол жауапты қайта жіберіңіз.".to_string(),
            _ => "Ваш ответ записан, но пока не передан; отправьте тот же ответ ещё раз через минуту.".to_string(),
        },
        (P::Unavailable, _) => {
            let what = dependency(&extra("dependency").unwrap_or_default(), lang);
            match lang {
                Kk => format!("{what} уақытша қолжетімсіз; ештеңе өзгерген жоқ, бір минуттан кейін қайталаңыз."),
                _ => format!("{what} временно недоступно; ничего не изменено, повторите через минуту."),
            }
        }
        (P::NotFound, Kk) => "Осы идентификатормен сізге көрінетін ештеңе жоқ.".into(),
        (P::NotFound, Ru) => "С этим идентификатором вам ничего не доступно.".into(),
        (P::Unauthorized, Kk) => "IIN талабы бар расталған токен қажет.".into(),
        (P::Unauthorized, Ru) => "Нужен подтверждённый токен с ИИН.".into(),
        (P::NotAuthorisedForRegistrant, Kk) => "Өзіңіз үшін, 16 жасқа дейінгі балаңыз немесе заңды өкілі болып табылатын балаңыз үшін, не қорғаншылығыңыздағы адам үшін өтініш бере аласыз; бұл адам өзі өтініш беруі керек.".into(),
        (P::NotAuthorisedForRegistrant, Ru) => "Можно подать заявление за себя, за своего ребёнка или ребёнка до 16 лет, чьим законным представителем вы являетесь, или за человека под вашей опекой; этот человек должен подать заявление сам.".into(),
        (P::OpenApplicationExists, Kk) => format!("Бұл адамның {} өтініші әлі аяқталмаған.", extra("openApplicationId").unwrap_or_default()),
        (P::OpenApplicationExists, Ru) => format!("Заявление {} по этому человеку ещё не завершено.", extra("openApplicationId").unwrap_or_default()),
        (P::TooManyRequests, Kk) => format!("Шекке жеттіңіз; ештеңе жасалмады. {} кейін қайталаңыз.", extra("retryAt").unwrap_or_default()),
        (P::TooManyRequests, Ru) => format!("Достигнут лимит; ничего не сделано. Повторите после {}.", extra("retryAt").unwrap_or_default()),
        (P::NoBmgPhone, _) => reasons::message(ReasonCode::NoBmgPhone, lang).to_string(),
        (P::AlreadyFinished, Kk) => "Тек күтудегі өтінішті қайтарып алуға болады.".into(),
        (P::AlreadyFinished, Ru) => "Отозвать можно только незавершённое заявление.".into(),
        (P::ConsentAlreadyAnswered, Kk) => "Бұл келісім сұрауына жауап берілген.".into(),
        (P::ConsentAlreadyAnswered, Ru) => "На этот запрос согласия уже дан ответ.".into(),
        (P::ConsentExpired, Kk) => "Жауап беру уақыты өтті немесе өтініш аяқталды.".into(),
        (P::ConsentExpired, Ru) => "Час на ответ прошёл или заявление завершено.".into(),
        (P::ConsentWithdrawn, Kk) => "Өтініш беруші өтінішті қайтарып алды; жауап керек емес.".into(),
        (P::ConsentWithdrawn, Ru) => "Заявитель отозвал заявление; отвечать не нужно.".into(),
        (P::NotRegistered, Kk) => format!("Анықтама тек тіркелген өтініш бойынша беріледі; бұл өтініштің күйі: {}.", extra("applicationStatus").unwrap_or_default()),
        (P::NotRegistered, Ru) => format!("Справка выдаётся только по заявлению, завершённому регистрацией; статус этого заявления: {}.", extra("applicationStatus").unwrap_or_default()),
        // Technical: the detail says which field broke which rule, or names a path; it stays as built.
        (P::InvalidField | P::MalformedJson | P::BodyTooLarge | P::UnsupportedMediaType | P::SignatureInvalid | P::IdempotencyKeyReused | P::NoSuchRoute | P::MethodNotAllowed | P::InvalidFault | P::Internal | P::NotAcceptable, _) => return None,
        // Kazakh and Russian are matched above; English returned before.
        (_, En) => return None,
    };
    Some(text)
}

/// Every rule with a text here.
pub const RULES: [&str; 45] = [
    "IIN_FORMAT",
    "IIN_IS_BIN",
    "IIN_CENTURY_DIGIT",
    "IIN_BIRTH_DATE",
    "IIN_CHECK_DIGIT",
    "RKA_FORMAT",
    "KIND_VALUES",
    "TEMPORARY_1_TO_12_MONTHS",
    "MONTHS_ONLY_FOR_TEMPORARY",
    "REASON_VALUES",
    "DATE_FORMAT",
    "NOT_IN_FUTURE",
    "NOT_BEFORE_BIRTH",
    "REQUIRED",
    "UNKNOWN_FIELD",
    "JSON_SYNTAX",
    "DECISION_VALUES",
    "CURSOR_FROM_PREVIOUS_PAGE",
    "LIMIT_1_TO_50",
    "IDEMPOTENCY_KEY_FORMAT",
    "IDEMPOTENCY_KEY_SAME_REQUEST",
    "SIGNATURE_METHOD_VALUES",
    "SIGNING_REQUEST_KNOWN",
    "SIGNING_CODE_NOT_EXPIRED",
    "SIGNING_CODE_SINGLE_USE",
    "SIGNING_CODE_FOR_THIS_FORM",
    "SIGNING_CODE_ATTEMPTS",
    "SIGNING_CODE_MATCHES",
    "PHONE_CHARACTERS",
    "PHONE_KZ_MOBILE",
    "NOT_ALLOWED",
    "EDS_CMS_STRUCTURE",
    "EDS_SIGNER_CERTIFICATE",
    "EDS_ALGORITHM_UNSUPPORTED",
    "EDS_CONTENT_IS_FORM",
    "EDS_SIGNATURE_VALID",
    "EDS_TIMESTAMP_VALID",
    "EDS_CHAIN_TRUSTED",
    "EDS_CERTIFICATE_VALID",
    "EDS_SIGNED_RECENTLY",
    "EDS_KEY_USAGE_SIGNING",
    "EDS_INDIVIDUAL_KEY",
    "EDS_SIGNER_IS_APPLICANT",
    "EDS_NOT_REVOKED",
    "EDS_SINGLE_USE",
];

/// What a broken rule means, in Kazakh or Russian (English keeps the detail it was built with, which says
/// the same with the offending value's details). The field and the rule stay codes beside it.
pub fn rule(rule: &str, lang: Language) -> Option<&'static str> {
    use Language::*;
    Some(match (rule, lang) {
        ("IIN_FORMAT", Kk) => "ЖСН 12 цифрдан тұрады",
        ("IIN_FORMAT", Ru) => "ИИН состоит из 12 цифр",
        ("IIN_IS_BIN", Kk) => "бұл ЖСН емес, БСН (заңды тұлға)",
        ("IIN_IS_BIN", Ru) => "это не ИИН, а БИН (юридическое лицо)",
        ("IIN_CENTURY_DIGIT", Kk) => "ЖСН-нің 7-цифры (ғасыр мен жыныс) дұрыс емес",
        ("IIN_CENTURY_DIGIT", Ru) => "7-я цифра ИИН (век и пол) неверна",
        ("IIN_BIRTH_DATE", Kk) => "ЖСН-дегі туған күн жоқ күн",
        ("IIN_BIRTH_DATE", Ru) => "дата рождения в ИИН не существует",
        ("IIN_CHECK_DIGIT", Kk) => "ЖСН-нің бақылау цифры сәйкес келмейді",
        ("IIN_CHECK_DIGIT", Ru) => "контрольная цифра ИИН не совпадает",
        ("RKA_FORMAT", Kk) => "РКА 16 цифрдан тұрады",
        ("RKA_FORMAT", Ru) => "РКА состоит из 16 цифр",
        ("KIND_VALUES", Kk) => "түрі: PERMANENT не TEMPORARY",
        ("KIND_VALUES", Ru) => "вид: PERMANENT или TEMPORARY",
        ("TEMPORARY_1_TO_12_MONTHS", Kk) => "уақытша тіркеу 1-ден 12 айға дейін",
        ("TEMPORARY_1_TO_12_MONTHS", Ru) => "временная прописка — от 1 до 12 месяцев",
        ("MONTHS_ONLY_FOR_TEMPORARY", Kk) => "айлар тек уақытша тіркеуге беріледі",
        ("MONTHS_ONLY_FOR_TEMPORARY", Ru) => "месяцы указываются только для временной прописки",
        ("REASON_VALUES", Kk) => "себебі: OWN_PROPERTY, RENTAL, STATE_RENTAL, FAMILY_MEMBER не OTHER",
        ("REASON_VALUES", Ru) => "основание: OWN_PROPERTY, RENTAL, STATE_RENTAL, FAMILY_MEMBER или OTHER",
        ("DATE_FORMAT", Kk) => "күн ЖЖЖЖ-АА-КК түрінде",
        ("DATE_FORMAT", Ru) => "дата в виде ГГГГ-ММ-ДД",
        ("NOT_IN_FUTURE", Kk) => "күн болашақта болмауы керек",
        ("NOT_IN_FUTURE", Ru) => "дата не может быть в будущем",
        ("NOT_BEFORE_BIRTH", Kk) => "күн туған күннен бұрын болмауы керек",
        ("NOT_BEFORE_BIRTH", Ru) => "дата не может быть раньше рождения",
        ("REQUIRED", Kk) => "міндетті өріс",
        ("REQUIRED", Ru) => "обязательное поле",
        ("UNKNOWN_FIELD", Kk) => "мұндай өріс жоқ",
        ("UNKNOWN_FIELD", Ru) => "такого поля нет",
        ("JSON_SYNTAX", Kk) => "сұрау денесі дұрыс JSON емес",
        ("JSON_SYNTAX", Ru) => "тело запроса — не корректный JSON",
        ("DECISION_VALUES", Kk) => "шешім: APPROVE не DECLINE",
        ("DECISION_VALUES", Ru) => "решение: APPROVE или DECLINE",
        ("CURSOR_FROM_PREVIOUS_PAGE", Kk) => "курсор алдыңғы беттің nextCursor мәні болуы керек",
        ("CURSOR_FROM_PREVIOUS_PAGE", Ru) => "курсор — это nextCursor предыдущей страницы без изменений",
        ("LIMIT_1_TO_50", Kk) => "шек 1-ден 50-ге дейін",
        ("LIMIT_1_TO_50", Ru) => "лимит от 1 до 50",
        ("IDEMPOTENCY_KEY_FORMAT", Kk) => "Idempotency-Key 1-128 көрінетін ASCII таңба",
        ("IDEMPOTENCY_KEY_FORMAT", Ru) => "Idempotency-Key — от 1 до 128 видимых символов ASCII",
        ("IDEMPOTENCY_KEY_SAME_REQUEST", Kk) => "бұл Idempotency-Key басқа өтінішке қолданылған",
        ("IDEMPOTENCY_KEY_SAME_REQUEST", Ru) => "этот Idempotency-Key использован для другого заявления",
        ("SIGNATURE_METHOD_VALUES", Kk) => "қол қою тәсілі: SMS_CODE не EDS",
        ("SIGNATURE_METHOD_VALUES", Ru) => "способ подписи: SMS_CODE или EDS",
        ("SIGNING_REQUEST_KNOWN", Kk) => "мұндай қол қою сұрауы жоқ",
        ("SIGNING_REQUEST_KNOWN", Ru) => "такого запроса подписи нет",
        ("SIGNING_CODE_NOT_EXPIRED", Kk) => "кодтың мерзімі өтті, жаңасын сұраңыз",
        ("SIGNING_CODE_NOT_EXPIRED", Ru) => "срок кода истёк, запросите новый",
        ("SIGNING_CODE_SINGLE_USE", Kk) => "код бұрын қолданылған",
        ("SIGNING_CODE_SINGLE_USE", Ru) => "код уже использован",
        ("SIGNING_CODE_FOR_THIS_FORM", Kk) => "код басқа өтінішке жіберілген",
        ("SIGNING_CODE_FOR_THIS_FORM", Ru) => "код был отправлен для другого заявления",
        ("SIGNING_CODE_ATTEMPTS", Kk) => "әрекеттер таусылды, жаңа код сұраңыз",
        ("SIGNING_CODE_ATTEMPTS", Ru) => "попытки исчерпаны, запросите новый код",
        ("SIGNING_CODE_MATCHES", Kk) => "код қате",
        ("SIGNING_CODE_MATCHES", Ru) => "неверный код",
        ("PHONE_CHARACTERS", Kk) => "телефонда тек цифрлар, + және бос орын",
        ("PHONE_CHARACTERS", Ru) => "в телефоне только цифры, + и пробелы",
        ("PHONE_KZ_MOBILE", Kk) => "Қазақстанның ұялы нөмірі +7 7XX",
        ("PHONE_KZ_MOBILE", Ru) => "мобильный номер Казахстана +7 7XX",
        ("NOT_ALLOWED", Kk) => "бұл өріс мұнда берілмейді",
        ("NOT_ALLOWED", Ru) => "это поле здесь не передаётся",
        ("EDS_CMS_STRUCTURE", Kk) => "қолтаңба CMS (PKCS #7) пішімінде емес",
        ("EDS_CMS_STRUCTURE", Ru) => "подпись не в формате CMS (PKCS #7)",
        ("EDS_SIGNER_CERTIFICATE", Kk) => "қол қоюшының сертификаты қолтаңбада жоқ",
        ("EDS_SIGNER_CERTIFICATE", Ru) => "в подписи нет сертификата подписавшего",
        ("EDS_ALGORITHM_UNSUPPORTED", Kk) => "бұл алгоритм қабылданбайды: RSA кілтімен қол қойыңыз",
        ("EDS_ALGORITHM_UNSUPPORTED", Ru) => "этот алгоритм не принимается: подпишите ключом RSA",
        ("EDS_CONTENT_IS_FORM", Kk) => "қол басқа құжатқа қойылған, бұл өтінішке емес",
        ("EDS_CONTENT_IS_FORM", Ru) => "подписан другой документ, а не это заявление",
        ("EDS_SIGNATURE_VALID", Kk) => "қолтаңба сертификат кілтімен расталмайды",
        ("EDS_SIGNATURE_VALID", Ru) => "подпись не подтверждается ключом сертификата",
        ("EDS_TIMESTAMP_VALID", Kk) => "қолтаңбаның уақыт белгісі расталмайды: қайта қол қойыңыз",
        ("EDS_TIMESTAMP_VALID", Ru) => "метка времени подписи не подтверждается: подпишите заново",
        ("EDS_CHAIN_TRUSTED", Kk) => "сертификатты ҰКО бермеген",
        ("EDS_CHAIN_TRUSTED", Ru) => "сертификат выдан не НУЦ РК",
        ("EDS_CERTIFICATE_VALID", Kk) => "қол қойылған кезде сертификат жарамсыз болды",
        ("EDS_CERTIFICATE_VALID", Ru) => "сертификат не действовал в момент подписания",
        ("EDS_SIGNED_RECENTLY", Kk) => "қол бір сағаттан бұрын қойылған: қайта қол қойыңыз",
        ("EDS_SIGNED_RECENTLY", Ru) => "подпись старше часа: подпишите заново",
        ("EDS_KEY_USAGE_SIGNING", Kk) => "бұл қол қою кілті емес, аутентификация кілті (AUTH_…)",
        ("EDS_KEY_USAGE_SIGNING", Ru) => "это не ключ подписи, а ключ аутентификации (AUTH_…)",
        ("EDS_INDIVIDUAL_KEY", Kk) => "бұл заңды тұлғаның кілті: жеке тұлғаның ЭЦҚ-сымен қол қойыңыз",
        ("EDS_INDIVIDUAL_KEY", Ru) => "это ключ юридического лица: подпишите ЭЦП физического лица",
        ("EDS_SIGNER_IS_APPLICANT", Kk) => "сертификат басқа адамдікі: өз ЭЦҚ-ңызбен қол қойыңыз",
        ("EDS_SIGNER_IS_APPLICANT", Ru) => "сертификат другого человека: подпишите своей ЭЦП",
        ("EDS_NOT_REVOKED", Kk) => "сертификат кері қайтарылған: ҰКО-дан жаңа ЭЦҚ алыңыз",
        ("EDS_NOT_REVOKED", Ru) => "сертификат отозван: получите новую ЭЦП в НУЦ",
        ("EDS_SINGLE_USE", Kk) => "бұл қолтаңба бұрын қолданылған: қайта қол қойыңыз",
        ("EDS_SINGLE_USE", Ru) => "эта подпись уже использована: подпишите заново",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_title_in_every_language_and_details_fill_their_members() {
        for kind in ProblemKind::ALL {
            for lang in [Language::Kk, Language::Ru, Language::En] {
                assert!(!kind.title(lang).is_empty(), "{kind:?} {lang}");
            }
            assert!((400..600).contains(&kind.status()), "{kind:?}");
            assert!(kind.urn().ends_with(kind.code()));
        }
        let codes: std::collections::HashSet<_> = ProblemKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), ProblemKind::ALL.len(), "one code, one kind");
        let extra = |k: &str| (k == "retryAt").then(|| "2026-12-01T10:15:00+00:00".to_string());
        let ru = detail(ProblemKind::TooManyRequests, Language::Ru, extra).expect("detail");
        assert!(ru.contains("2026-12-01T10:15:00+00:00"), "{ru}");
        assert_eq!(detail(ProblemKind::TooManyRequests, Language::En, extra), None, "English keeps its own");
        let storage = |k: &str| (k == "dependency").then(|| "storage".to_string());
        assert!(detail(ProblemKind::Unavailable, Language::Kk, storage).expect("kk").starts_with("Деректер қоймасы"));
        assert_eq!(rule("IIN_CHECK_DIGIT", Language::Ru), Some("контрольная цифра ИИН не совпадает"));
        for r in RULES {
            assert!(rule(r, Language::Kk).is_some() && rule(r, Language::Ru).is_some(), "{r} in kk and ru");
        }
        assert_eq!(rule("IIN_CHECK_DIGIT", Language::En), None, "English keeps the detail it was built with");
        // Every EDS rule a citizen can break is explained; the two that are the service's fault are 503s.
        for r in crate::eds::EdsRule::ALL.into_iter().filter(|r| !r.is_unavailable()) {
            assert!(RULES.contains(&r.name()), "{} has kk and ru texts", r.name());
        }
    }
}
