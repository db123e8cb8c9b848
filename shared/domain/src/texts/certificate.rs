//! The registration certificate's words (адресная справка / мекенжай анықтамасы), in the reader's language.

use crate::model::Language;

/// Each line of the certificate that is the service's words, not the person's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Service,
    Title,
    Number,
    IssuedAt,
    FullName,
    Iin,
    Address,
    Rka,
    Kind,
    Permanent,
    Temporary,
    ValidFrom,
    ValidTo,
    State,
    Current,
    ClosedOn,
    /// Under the QR code: how to check the certificate.
    CheckAt,
    /// What the signature means.
    Signed,
}

impl Label {
    pub const ALL: [Label; 18] = [
        Label::Service,
        Label::Title,
        Label::Number,
        Label::IssuedAt,
        Label::FullName,
        Label::Iin,
        Label::Address,
        Label::Rka,
        Label::Kind,
        Label::Permanent,
        Label::Temporary,
        Label::ValidFrom,
        Label::ValidTo,
        Label::State,
        Label::Current,
        Label::ClosedOn,
        Label::CheckAt,
        Label::Signed,
    ];
}

pub fn label(l: Label, lang: Language) -> &'static str {
    use Label::*;
    use Language::*;
    match (l, lang) {
        (Service, Kk) => "Тұрғылықты жері бойынша онлайн тіркеу",
        (Service, Ru) => "Онлайн-регистрация по месту жительства",
        (Service, En) => "Online residence registration",
        (Title, Kk) => "Тұрғылықты жері бойынша тіркелгені туралы анықтама",
        (Title, Ru) => "Справка о регистрации по месту жительства",
        (Title, En) => "Certificate of registration at the place of residence",
        (Number, Kk) => "Анықтама нөмірі",
        (Number, Ru) => "Номер справки",
        (Number, En) => "Certificate number",
        (IssuedAt, Kk) => "Берілген уақыты",
        (IssuedAt, Ru) => "Дата и время выдачи",
        (IssuedAt, En) => "Issued",
        (FullName, Kk) => "Тегі, аты",
        (FullName, Ru) => "Фамилия, имя",
        (FullName, En) => "Surname, name",
        (Iin, Kk) => "ЖСН",
        (Iin, Ru) => "ИИН",
        (Iin, En) => "IIN",
        (Address, Kk) => "Мекенжайы",
        (Address, Ru) => "Адрес",
        (Address, En) => "Address",
        (Rka, Kk) => "Мекенжайдың тіркеу коды (РКА)",
        (Rka, Ru) => "Регистрационный код адреса (РКА)",
        (Rka, En) => "Address registration code (RKA)",
        (Kind, Kk) => "Тіркеу түрі",
        (Kind, Ru) => "Вид регистрации",
        (Kind, En) => "Kind",
        (Permanent, Kk) => "тұрақты",
        (Permanent, Ru) => "постоянная",
        (Permanent, En) => "permanent",
        (Temporary, Kk) => "уақытша",
        (Temporary, Ru) => "временная",
        (Temporary, En) => "temporary",
        (ValidFrom, Kk) => "Тіркелген күні",
        (ValidFrom, Ru) => "Зарегистрирован(а) с",
        (ValidFrom, En) => "Registered from",
        (ValidTo, Kk) => "Тіркеудің соңғы күні",
        (ValidTo, Ru) => "Последний день регистрации",
        (ValidTo, En) => "Last day",
        (State, Kk) => "Берілген кездегі жағдайы",
        (State, Ru) => "Состояние на дату выдачи",
        (State, En) => "State at issue",
        (Current, Kk) => "күшінде",
        (Current, Ru) => "действует",
        (Current, En) => "current",
        (ClosedOn, Kk) => "тоқтатылды, соңғы күні",
        (ClosedOn, Ru) => "прекращена, последний день",
        (ClosedOn, En) => "closed, last day",
        (CheckAt, Kk) => "Анықтаманың түпнұсқалығын QR-код немесе мына мекенжай арқылы тексеруге болады:",
        (CheckAt, Ru) => "Подлинность справки можно проверить по QR-коду или по адресу:",
        (CheckAt, En) => "Anyone can check this certificate with the QR code or at:",
        (Signed, Kk) => "Электрондық құжат қызметтің кілтімен қол қойылған (ES256, JWKS: /.well-known/jwks.json).",
        (Signed, Ru) => "Электронный документ подписан ключом службы (ES256, JWKS: /.well-known/jwks.json).",
        (Signed, En) => "An electronic document signed with the service's key (ES256, JWKS: /.well-known/jwks.json).",
    }
}
