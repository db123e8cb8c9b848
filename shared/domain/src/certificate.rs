//! The registration certificate (адресная справка / мекенжай анықтамасы): what a REGISTERED application's
//! holder shows an employer, a school or a bank. Each issued certificate is a record under an unguessable
//! [`DocumentNumber`]; anyone holding the number can check it ([`Verification`]), which shows initials,
//! surname, the address and the dates, never the IIN.

use crate::model::{Address, ApplicationId, Iin, Person, Registration, RegistrationKind, RegistrationStatus, Rka};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Crockford's base 32 (no I, L, O, U): read aloud and typed from paper without ambiguity.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX: &str = "RC";
/// 26 characters of base 32: the 128 bits of a version-4 UUID (122 of them random).
const DIGITS: usize = 26;

/// A certificate's number: `RC` and 26 characters of Crockford base 32 from 122 random bits, so numbers
/// cannot be guessed or enumerated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber(String);

impl DocumentNumber {
    pub fn generate() -> DocumentNumber {
        let mut n = uuid::Uuid::new_v4().as_u128();
        let mut digits = [0u8; DIGITS];
        for d in digits.iter_mut().rev() {
            *d = ALPHABET[(n & 31) as usize];
            n >>= 5;
        }
        DocumentNumber(format!("{PREFIX}{}", String::from_utf8_lossy(&digits)))
    }

    /// `RC` and 26 base-32 characters, upper case (lower case is read as upper, as on paper).
    pub fn parse(s: &str) -> Option<DocumentNumber> {
        let s = s.trim().to_ascii_uppercase();
        let digits = s.strip_prefix(PREFIX)?;
        (digits.len() == DIGITS && digits.bytes().all(|b| ALPHABET.contains(&b))).then_some(DocumentNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DocumentNumber::parse(&s).ok_or_else(|| "not a certificate number".to_string())
    }
}

impl From<DocumentNumber> for String {
    fn from(n: DocumentNumber) -> String {
        n.0
    }
}

/// One issued certificate, as stored: what it said when it was issued. The registrant's IIN is kept to find
/// the registration's state when it is checked; a check never shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateRecord {
    pub number: DocumentNumber,
    pub application_id: ApplicationId,
    pub registrant: Iin,
    pub issued_at: DateTime<Utc>,
    pub surname: String,
    /// "A. B." from the first name (and patronymic, where the registry has one).
    pub initials: String,
    pub address: Address,
    pub rka: Rka,
    #[serde(flatten)]
    pub kind: RegistrationKind,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl CertificateRecord {
    pub fn new(
        registration: &Registration,
        person: &Person,
        address: Address,
        issued_at: DateTime<Utc>,
    ) -> CertificateRecord {
        CertificateRecord {
            number: DocumentNumber::generate(),
            application_id: registration.application_id.clone(),
            registrant: registration.registrant.clone(),
            issued_at,
            surname: person.last_name.clone(),
            initials: initials(&person.first_name),
            address,
            rka: registration.address.clone(),
            kind: registration.kind,
            valid_from: registration.valid_from,
            valid_to: registration.valid_to,
        }
    }
}

/// "Aigerim" -> "A.", "Анна Сергеевна" -> "А. С.".
pub fn initials(names: &str) -> String {
    names.split_whitespace().filter_map(|n| n.chars().next()).map(|c| format!("{c}.")).collect::<Vec<_>>().join(" ")
}

/// Where the registration stands when the certificate is issued or checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CertificateState {
    /// The registration is in force.
    Current,
    /// It ended (a move elsewhere, or a temporary one's last day); `lastDay` is its last day.
    #[serde(rename_all = "camelCase")]
    Closed { last_day: NaiveDate },
}

impl CertificateState {
    /// From the registration (`None`: it is not found any more, which a store never does: read as closed at
    /// issue).
    pub fn of(registration: Option<&Registration>, today: NaiveDate, record: &CertificateRecord) -> CertificateState {
        match registration {
            Some(r) if r.status == RegistrationStatus::Active => match r.valid_to {
                Some(last) if last < today => CertificateState::Closed { last_day: last },
                _ => CertificateState::Current,
            },
            Some(r) => CertificateState::Closed { last_day: r.valid_to.unwrap_or(today) },
            None => CertificateState::Closed { last_day: record.issued_at.date_naive() },
        }
    }
}

/// Checks of certificates one caller address may make in ten minutes: enough for an employer's office,
/// few enough that trying numbers is pointless (there are 2^122 of them). Why: docs/rate-limits.md.
pub const CHECKS_PER_CALLER_PER_10_MIN: u32 = 30;

/// The counter of checks from `caller` (the source address API Gateway gives) in the window holding `now`.
pub fn check_counter(caller: &str, now: DateTime<Utc>) -> crate::rate_limits::Counter {
    use crate::rate_limits::{Counter, LimitName};
    let window = chrono::Duration::minutes(10);
    Counter::new(LimitName::CertificateChecksPerCaller10Min, caller, CHECKS_PER_CALLER_PER_10_MIN, window, now)
}

/// What a check of a certificate answers: genuine, and only what an employer needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub genuine: bool,
    pub document_number: DocumentNumber,
    pub issued_at: DateTime<Utc>,
    /// Surname and initials: "SEITKALI A.".
    pub holder: String,
    pub address: String,
    pub rka: Rka,
    #[serde(flatten)]
    pub kind: RegistrationKind,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    #[serde(flatten)]
    pub state: CertificateState,
}

impl Verification {
    pub fn of(record: &CertificateRecord, state: CertificateState, lang: crate::Language) -> Verification {
        Verification {
            genuine: true,
            document_number: record.number.clone(),
            issued_at: record.issued_at,
            holder: format!("{} {}", record.surname, record.initials),
            address: record.address.short(lang),
            rka: record.rka.clone(),
            kind: record.kind,
            valid_from: record.valid_from,
            valid_to: record.valid_to,
            state,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_unguessable_base32_and_parse_back() {
        let a = DocumentNumber::generate();
        assert_eq!(a.as_str().len(), 28);
        assert_eq!(DocumentNumber::parse(a.as_str()), Some(a.clone()));
        assert_eq!(DocumentNumber::parse(&a.as_str().to_lowercase()), Some(a.clone()));
        assert_ne!(a, DocumentNumber::generate());
        for bad in [
            "",
            "RC",
            "RC123",
            "XX00000000000000000000000000",
            "RC0000000000000000000000000I",
            "RC000000000000000000000000000",
        ] {
            assert_eq!(DocumentNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn initials_of_one_or_more_names() {
        assert_eq!(initials("Aigerim"), "A.");
        assert_eq!(initials("Анна  Сергеевна"), "А. С.");
        assert_eq!(initials("Әлия"), "Ә.");
    }
}
