//! Why an application was refused or ended, as the apps and the precheck show it, in the reader's language:
//! what happened and what to do. The SMS carry the short form ([`super::outcomes::reason_words`]).

use crate::model::{Language, ReasonCode};

impl ReasonCode {
    /// In English; the apps show it in the reader's language ([`message`]).
    pub fn message(&self) -> &'static str {
        message(*self, Language::En)
    }
}

pub fn message(reason: ReasonCode, lang: Language) -> &'static str {
    use Language::*;
    use ReasonCode::*;
    match (reason, lang) {
        (NoBmgPhone, Kk) => "Өтініш берушінің телефон нөмірі Мобильді азаматтар базасында (БМГ) жоқ. Оны ХҚКО-да немесе банк қосымшасында тіркеп, қайта өтініш беріңіз.",
        (NoBmgPhone, Ru) => "Номер телефона заявителя не зарегистрирован в базе мобильных граждан (БМГ). Зарегистрируйте его в ЦОН или в приложении банка и подайте заявление снова.",
        (NoBmgPhone, En) => "The applicant's phone number is not in the Mobile Citizens Database (BMG). Link it at a PSC or in a bank app, then apply again.",
        (UnknownPerson, Kk) => "Тіркелетін адам жеке тұлғалардың мемлекеттік дерекқорында табылмады.",
        (UnknownPerson, Ru) => "Прописываемый человек не найден в государственной базе данных физических лиц.",
        (UnknownPerson, En) => "The person to register is not found in the state database of individuals.",
        (NotACitizen, Kk) => "Онлайн тіркеу Қазақстан азаматтарына арналған.",
        (NotACitizen, Ru) => "Онлайн-прописка доступна гражданам Казахстана.",
        (NotACitizen, En) => "Online registration is for citizens of Kazakhstan.",
        (ChildUnder14, Kk) => "14 жасқа дейінгі балалар бөлек тіркелмейді: заң бойынша олардың тұрғылықты жері ата-анасының немесе заңды өкілдерінің мекенжайы.",
        (ChildUnder14, Ru) => "Дети до 14 лет не прописываются отдельно: по закону их место жительства — адрес родителей или законных представителей.",
        (ChildUnder14, En) => "Children under 14 are not registered separately: by law their residence is the address of their parents or legal guardians.",
        (NotRepresentative, Kk) => "14–16 жастағы баланы ата-анасы немесе заңды өкілі тіркейді.",
        (NotRepresentative, Ru) => "Ребёнка 14–16 лет прописывает родитель или законный представитель.",
        (NotRepresentative, En) => "A child aged 14 to 16 is registered by a parent or legal representative.",
        (NotGuardian, Kk) => "Әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп танылған ересекті оның қорғаншысы тіркейді.",
        (NotGuardian, Ru) => "Взрослого, признанного недееспособным или ограниченно дееспособным, прописывает его опекун.",
        (NotGuardian, En) => "An adult declared incapable or partially incapable is registered by their guardian.",
        (MustApplyInPerson, Kk) => "Ересектер өздері тіркеледі: өтініш беруші тіркелетін адамның өзі болуы керек.",
        (MustApplyInPerson, Ru) => "Взрослые прописываются сами: заявителем должен быть сам прописываемый.",
        (MustApplyInPerson, En) => "Adults register themselves: the applicant must be the person being registered.",
        (UnknownAddress, Kk) => "Мекенжай тізілімінде осы тіркеу коды (РКА) бар мекенжай жоқ.",
        (UnknownAddress, Ru) => "В адресном регистре нет адреса с таким регистрационным кодом (РКА).",
        (UnknownAddress, En) => "No address with this registration code (RKA) is in the address register.",
        (NotInRentalAgreement, Kk) => "Мемлекеттік жалға берілетін тұрғын үйде тек жалдау шартында көрсетілген адамдар тіркеле алады. Жергілікті тұрғын үй органына жүгініңіз.",
        (NotInRentalAgreement, Ru) => "В государственном арендном жилье прописать можно только людей, указанных в договоре найма. Обратитесь в местный жилищный орган.",
        (NotInRentalAgreement, En) => "In state rental housing only the people listed in the rental agreement can be registered. Contact the local housing authority.",
        (OwnerIsMinor, Kk) => "Мүлік толық немесе ішінара кәмелетке толмағанға тиесілі: тіркеу ХҚКО-да жүргізіледі. Жеке куәлікті, меншік құжатын алып, иесінің ата-анасымен келіңіз.",
        (OwnerIsMinor, Ru) => "Жильё полностью или частично принадлежит несовершеннолетнему: прописка оформляется в ЦОН. Возьмите удостоверение личности, документ на жильё и приходите с родителем собственника.",
        (OwnerIsMinor, En) => "The property is owned fully or partly by a minor: registration is done at a Public Service Center. Bring your ID and the title deed, with the owner's parent.",
        (OwnerIncapable, Kk) => "Меншік иесі әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп танылған: тіркеу ХҚКО-да жүргізіледі. Жеке куәлікті, меншік құжатын алып, иесінің қорғаншысымен келіңіз.",
        (OwnerIncapable, Ru) => "Собственник признан недееспособным или ограниченно дееспособным: прописка оформляется в ЦОН. Возьмите удостоверение личности, документ на жильё и приходите с опекуном собственника.",
        (OwnerIncapable, En) => "An owner is declared incapable or partially incapable: registration is done at a Public Service Center. Bring your ID and the title deed, with the owner's guardian.",
        (ConsentDeclined, Kk) => "Мүлік иесі келісім беруден бас тартты.",
        (ConsentDeclined, Ru) => "Собственник отказал в согласии.",
        (ConsentDeclined, En) => "A property owner declined to consent.",
        (ConsentExpired, Kk) => "Мүлік иесі бір сағат ішінде жауап бермеді; сұрау жойылды.",
        (ConsentExpired, Ru) => "Собственник не ответил в течение часа; запрос отменён.",
        (ConsentExpired, En) => "A property owner did not answer within one hour; the request was cancelled.",
        (Withdrawn, Kk) => "Өтініш беруші өтінішті қайтарып алды.",
        (Withdrawn, Ru) => "Заявитель отозвал заявление.",
        (Withdrawn, En) => "The applicant withdrew the application.",
        (ConsentRequestUndelivered, Kk) => "Мүлік иесіне келісім сұрауын бір сағат ішінде SMS-пен жіберу мүмкін болмады; ештеңе тіркелмеді. Қайта өтініш беріңіз.",
        (ConsentRequestUndelivered, Ru) => "Запрос согласия не удалось отправить собственнику по SMS в течение часа; ничего не прописано. Подайте заявление снова.",
        (ConsentRequestUndelivered, En) => "The property owner could not be sent the consent request by SMS within one hour; nothing was registered. Please apply again.",
        (OwnerAskedTooOften, Kk) => "Мүлік иесіне бір сағатта рұқсат етілгеннен көп келісім сұрауы жіберілді; ештеңе тіркелмеді, ешкімге хабар жіберілмеді. Бір сағаттан кейін қайта өтініш беріңіз.",
        (OwnerAskedTooOften, Ru) => "Собственнику уже отправлено столько запросов согласия, сколько допускается за час; ничего не прописано, SMS не отправлено. Подайте заявление снова через час.",
        (OwnerAskedTooOften, En) => "The property owner has been sent as many consent requests as one hour allows; nothing was registered and nobody was texted. Please apply again in an hour.",
        (WorkflowError, Kk) => "Жүйелік қатеге байланысты өтінішті өңдеу мүмкін болмады. Қайта өтініш беріңіз.",
        (WorkflowError, Ru) => "Заявление не удалось обработать из-за системной ошибки. Подайте его снова.",
        (WorkflowError, En) => "The application could not be processed because of a system error. Please apply again.",
    }
}
