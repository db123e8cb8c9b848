//! What each timeline entry is called in the service history, in the reader's language. The event's name
//! (`SUBMITTED`, ...) stays the stable code; its `detail` is the record written at the time.

use crate::model::{Language, TimelineEvent};

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
    }
}
