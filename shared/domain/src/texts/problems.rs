//! The titles and details of problem+json answers in the reader's language, by problem type (the stable
//! `urn:problem:residence-registration:<type>`). The type, `field` and `rule` stay codes. A type missing here,
//! or a detail that is technical (which field broke which rule), keeps the English it was built with.

use super::reasons;
use crate::model::{Language, ReasonCode};

/// Every problem type with a title here.
pub const TYPES: [&str; 17] = [
    "invalid-field",
    "malformed-json",
    "body-too-large",
    "unsupported-media-type",
    "unauthorized",
    "not-found",
    "unavailable",
    "not-authorised-for-registrant",
    "open-application-exists",
    "too-many-requests",
    "no-bmg-phone",
    "signature-invalid",
    "idempotency-key-reused",
    "already-finished",
    "consent-already-answered",
    "consent-expired",
    "consent-withdrawn",
];

/// The title of a problem type.
pub fn title(problem: &str, lang: Language) -> Option<&'static str> {
    use Language::*;
    Some(match (problem, lang) {
        ("invalid-field", Kk) => "Өріс дұрыс емес",
        ("invalid-field", Ru) => "Поле заполнено неверно",
        ("invalid-field", En) => "A field is not valid",
        ("malformed-json", Kk) => "Сұрау денесі JSON емес",
        ("malformed-json", Ru) => "Тело запроса — не JSON",
        ("malformed-json", En) => "The body is not valid JSON",
        ("body-too-large", Kk) => "Сұрау тым үлкен",
        ("body-too-large", Ru) => "Слишком большой запрос",
        ("body-too-large", En) => "The body is too large",
        ("unsupported-media-type", Kk) => "Мазмұн түрі қолдау көрсетілмейді",
        ("unsupported-media-type", Ru) => "Тип содержимого не поддерживается",
        ("unsupported-media-type", En) => "Unsupported media type",
        ("unauthorized", Kk) => "Жүйеге кірмегенсіз",
        ("unauthorized", Ru) => "Вход не выполнен",
        ("unauthorized", En) => "Not signed in",
        ("not-found", Kk) => "Табылмады",
        ("not-found", Ru) => "Не найдено",
        ("not-found", En) => "Not found",
        ("unavailable", Kk) => "Қызмет уақытша қолжетімсіз",
        ("unavailable", Ru) => "Сервис временно недоступен",
        ("unavailable", En) => "The service is temporarily unavailable",
        ("not-authorised-for-registrant", Kk) => "Бұл адам үшін өтініш бере алмайсыз",
        ("not-authorised-for-registrant", Ru) => "Вы не можете подать заявление за этого человека",
        ("not-authorised-for-registrant", En) => "Not authorised to apply for this person",
        ("open-application-exists", Kk) => "Аяқталмаған өтініш бар",
        ("open-application-exists", Ru) => "Уже есть незавершённое заявление",
        ("open-application-exists", En) => "An application is already open",
        ("too-many-requests", Kk) => "Сұраулар тым көп",
        ("too-many-requests", Ru) => "Слишком много запросов",
        ("too-many-requests", En) => "Too many requests",
        ("no-bmg-phone", Kk) => "Нөмір Мобильді азаматтар базасында жоқ",
        ("no-bmg-phone", Ru) => "Номера нет в базе мобильных граждан",
        ("no-bmg-phone", En) => "No phone in the Mobile Citizens Database",
        ("signature-invalid", Kk) => "Қолтаңба жарамсыз",
        ("signature-invalid", Ru) => "Подпись недействительна",
        ("signature-invalid", En) => "The signature is not valid",
        ("idempotency-key-reused", Kk) => "Idempotency-Key қайта қолданылды",
        ("idempotency-key-reused", Ru) => "Idempotency-Key использован повторно",
        ("idempotency-key-reused", En) => "Idempotency-Key reused",
        ("already-finished", Kk) => "Өтініш аяқталған",
        ("already-finished", Ru) => "Заявление уже завершено",
        ("already-finished", En) => "The application is already finished",
        ("consent-already-answered", Kk) => "Жауап берілген",
        ("consent-already-answered", Ru) => "Ответ уже дан",
        ("consent-already-answered", En) => "Already answered",
        ("consent-expired", Kk) => "Сұраудың мерзімі өтті",
        ("consent-expired", Ru) => "Срок запроса истёк",
        ("consent-expired", En) => "The request has expired",
        ("consent-withdrawn", Kk) => "Сұрау қайтарылды",
        ("consent-withdrawn", Ru) => "Запрос отозван",
        ("consent-withdrawn", En) => "The request was withdrawn",
        _ => return None,
    })
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
        (other, _) => other.to_string(),
    }
}

/// The detail in Kazakh or Russian for the types whose detail is for people; `extra` gives the members the
/// problem carries (`retryAt`, `openApplicationId`, `dependency`, `applicationId`). English keeps the detail
/// it was built with.
pub fn detail(problem: &str, lang: Language, extra: impl Fn(&str) -> Option<String>) -> Option<String> {
    use Language::*;
    if lang == En {
        return None;
    }
    let text = match (problem, lang) {
        ("unavailable", _) if extra("applicationId").is_some() => match lang {
            Kk => "Өтінішті өңдеу қызметі қолжетімсіз; өтініш FAILED деп жазылды, қайта өтініш беріңіз.".to_string(),
            _ => "Служба обработки недоступна; заявление записано как FAILED, подайте его снова.".to_string(),
        },
        ("unavailable", _) => {
            let what = dependency(&extra("dependency").unwrap_or_default(), lang);
            match lang {
                Kk => format!("{what} уақытша қолжетімсіз; ештеңе өзгерген жоқ, бір минуттан кейін қайталаңыз."),
                _ => format!("{what} временно недоступно; ничего не изменено, повторите через минуту."),
            }
        }
        ("not-found", Kk) => "Осы идентификатормен сізге көрінетін ештеңе жоқ.".into(),
        ("not-found", Ru) => "С этим идентификатором вам ничего не доступно.".into(),
        ("unauthorized", Kk) => "IIN талабы бар расталған токен қажет.".into(),
        ("unauthorized", Ru) => "Нужен подтверждённый токен с ИИН.".into(),
        ("not-authorised-for-registrant", Kk) => "Өзіңіз үшін, 16 жасқа дейінгі балаңыз немесе заңды өкілі болып табылатын балаңыз үшін, не қорғаншылығыңыздағы адам үшін өтініш бере аласыз; бұл адам өзі өтініш беруі керек.".into(),
        ("not-authorised-for-registrant", Ru) => "Можно подать заявление за себя, за своего ребёнка или ребёнка до 16 лет, чьим законным представителем вы являетесь, или за человека под вашей опекой; этот человек должен подать заявление сам.".into(),
        ("open-application-exists", Kk) => format!("Бұл адамның {} өтініші әлі аяқталмаған.", extra("openApplicationId").unwrap_or_default()),
        ("open-application-exists", Ru) => format!("Заявление {} по этому человеку ещё не завершено.", extra("openApplicationId").unwrap_or_default()),
        ("too-many-requests", Kk) => format!("Шекке жеттіңіз; ештеңе жасалмады. {} кейін қайталаңыз.", extra("retryAt").unwrap_or_default()),
        ("too-many-requests", Ru) => format!("Достигнут лимит; ничего не сделано. Повторите после {}.", extra("retryAt").unwrap_or_default()),
        ("no-bmg-phone", _) => reasons::message(ReasonCode::NoBmgPhone, lang).to_string(),
        ("already-finished", Kk) => "Тек күтудегі өтінішті қайтарып алуға болады.".into(),
        ("already-finished", Ru) => "Отозвать можно только незавершённое заявление.".into(),
        ("consent-already-answered", Kk) => "Бұл келісім сұрауына жауап берілген.".into(),
        ("consent-already-answered", Ru) => "На этот запрос согласия уже дан ответ.".into(),
        ("consent-expired", Kk) => "Жауап беру уақыты өтті немесе өтініш аяқталды.".into(),
        ("consent-expired", Ru) => "Час на ответ прошёл или заявление завершено.".into(),
        ("consent-withdrawn", Kk) => "Өтініш беруші өтінішті қайтарып алды; жауап керек емес.".into(),
        ("consent-withdrawn", Ru) => "Заявитель отозвал заявление; отвечать не нужно.".into(),
        _ => return None,
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
        for t in TYPES {
            for lang in [Language::Kk, Language::Ru, Language::En] {
                assert!(title(t, lang).is_some_and(|s| !s.is_empty()), "{t} {lang}");
            }
        }
        let extra = |k: &str| (k == "retryAt").then(|| "2026-12-01T10:15:00+00:00".to_string());
        let ru = detail("too-many-requests", Language::Ru, extra).expect("detail");
        assert!(ru.contains("2026-12-01T10:15:00+00:00"), "{ru}");
        assert_eq!(detail("too-many-requests", Language::En, extra), None, "English keeps its own");
        let storage = |k: &str| (k == "dependency").then(|| "storage".to_string());
        assert!(detail("unavailable", Language::Kk, storage).expect("kk").starts_with("Деректер қоймасы"));
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
