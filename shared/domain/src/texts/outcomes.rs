//! The texts of an application that ends other than REGISTERED, to the applicant (and the registrant when that
//! is someone else): the outcome and its reason in plain words; for OFFLINE_REQUIRED, what to bring to a
//! Public Service Center (ЦОН / ХҚКО).

use crate::model::{Language, ReasonCode, Status};

/// The reason in a few plain words, as an SMS carries it (the problem+json and the timeline say more).
pub fn reason_words(reason: ReasonCode, lang: Language) -> &'static str {
    use Language::*;
    use ReasonCode::*;
    match (reason, lang) {
        (NoBmgPhone, Kk) => "нөмір БМГ-да жоқ",
        (NoBmgPhone, Ru) => "номер не в БМГ",
        (NoBmgPhone, En) => "the phone is not in BMG",
        (UnknownPerson, Kk) => "адам тізілімде жоқ",
        (UnknownPerson, Ru) => "человек не найден в ГБД ФЛ",
        (UnknownPerson, En) => "the person is not in the register",
        (NotACitizen, Kk) => "тек ҚР азаматтары үшін",
        (NotACitizen, Ru) => "только для граждан РК",
        (NotACitizen, En) => "for citizens of Kazakhstan only",
        (ChildUnder14, Kk) => "14 жасқа дейінгі бала бөлек тіркелмейді",
        (ChildUnder14, Ru) => "дети до 14 лет не прописываются отдельно",
        (ChildUnder14, En) => "children under 14 are not registered separately",
        (NotRepresentative, Kk) => "14-16 жастағыны ата-анасы тіркейді",
        (NotRepresentative, Ru) => "ребёнка 14-16 лет прописывает родитель",
        (NotRepresentative, En) => "a child of 14 to 16 is registered by a parent",
        (NotGuardian, Kk) => "тек қорғаншы тіркей алады",
        (NotGuardian, Ru) => "прописать может только опекун",
        (NotGuardian, En) => "only the guardian can register this person",
        (MustApplyInPerson, Kk) => "ересек адам өзі өтініш береді",
        (MustApplyInPerson, Ru) => "взрослый подаёт заявление сам",
        (MustApplyInPerson, En) => "adults apply for themselves",
        (UnknownAddress, Kk) => "РКА бойынша мекенжай жоқ",
        (UnknownAddress, Ru) => "адрес с таким РКА не найден",
        (UnknownAddress, En) => "no address has this RKA",
        (NotInRentalAgreement, Kk) => "жалдау шартында жоқ",
        (NotInRentalAgreement, Ru) => "нет в договоре найма",
        (NotInRentalAgreement, En) => "not in the state rental agreement; ask the housing authority",
        (OwnerIsMinor, Kk) => "жеке куәлік, құжат, иесінің ата-анасы",
        (OwnerIsMinor, Ru) => "удостоверение, документ на жильё, родитель собственника",
        (OwnerIsMinor, En) => "bring ID, the title deed and the minor owner's parent",
        (OwnerIncapable, Kk) => "жеке куәлік, құжат, иесінің қорғаншысы",
        (OwnerIncapable, Ru) => "удостоверение, документ на жильё, опекун собственника",
        (OwnerIncapable, En) => "bring ID, the title deed and the owner's guardian",
        (ConsentDeclined, Kk) => "меншік иесі келісім бермеді",
        (ConsentDeclined, Ru) => "собственник не дал согласия",
        (ConsentDeclined, En) => "the owner did not consent",
        (ConsentExpired, Kk) => "иесі 1 сағатта жауап бермеді",
        (ConsentExpired, Ru) => "собственник не ответил за 1 час",
        (ConsentExpired, En) => "the owner did not answer within 1 hour",
        (Withdrawn, Kk) => "өтініш қайтарылды",
        (Withdrawn, Ru) => "заявление отозвано",
        (Withdrawn, En) => "the application was withdrawn",
        (ConsentRequestUndelivered, Kk) => "иесіне SMS жетпеді",
        (ConsentRequestUndelivered, Ru) => "SMS собственнику не дошло",
        (ConsentRequestUndelivered, En) => "the owner could not be texted",
        (OwnerAskedTooOften, Kk) => "иесіне сұрау тым көп",
        (OwnerAskedTooOften, Ru) => "собственнику слишком много запросов",
        (OwnerAskedTooOften, En) => "the owner was asked too often",
        (WorkflowError, Kk) => "жүйе қатесі",
        (WorkflowError, Ru) => "ошибка системы",
        (WorkflowError, En) => "a system error",
    }
}

/// The status an application ends with for each reason (`eligibility` and `outcome` decide it; this is what
/// the texts are written for).
pub fn ends_as(reason: ReasonCode) -> Status {
    use ReasonCode::*;
    match reason {
        OwnerIsMinor | OwnerIncapable => Status::OfflineRequired,
        ConsentExpired | Withdrawn | ConsentRequestUndelivered => Status::Cancelled,
        WorkflowError => Status::Failed,
        _ => Status::Rejected,
    }
}

/// "Registration refused: <reason>." and its kin, by how the application ended.
pub fn ended(status: Status, reason: ReasonCode, lang: Language) -> String {
    use Language::*;
    let r = reason_words(reason, lang);
    match (status, lang) {
        (Status::Rejected, Kk) => format!("Тіркеуден бас тартылды: {r}."),
        (Status::Rejected, Ru) => format!("В прописке отказано: {r}."),
        (Status::Rejected, En) => format!("Registration refused: {r}."),
        (Status::OfflineRequired, Kk) => format!("Тіркеу тек ХҚКО-да. Әкеліңіз: {r}."),
        (Status::OfflineRequired, Ru) => format!("Прописка только в ЦОН. Возьмите: {r}."),
        (Status::OfflineRequired, En) => format!("Register in person at a Public Service Center: {r}."),
        (Status::Cancelled, Kk) => format!("Өтініш жойылды: {r}. Қайта беріңіз."),
        (Status::Cancelled, Ru) => format!("Заявление отменено: {r}. Подайте снова."),
        (Status::Cancelled, En) => format!("Application cancelled: {r}. Please apply again."),
        (_, Kk) => format!("Тіркелмеді ({r}). Қайта беріңіз."),
        (_, Ru) => format!("Прописка не выполнена ({r}). Подайте снова."),
        (_, En) => format!("Nothing was registered ({r}). Please apply again."),
    }
}
