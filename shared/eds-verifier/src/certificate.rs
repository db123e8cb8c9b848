//! What the signer's certificate must say: a signing key, and the applicant's IIN.

use der::asn1::{PrintableStringRef, Utf8StringRef};
use domain::eds::{EdsRefusal, EdsRule};
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::Certificate;

/// The subject attribute NCA writes `IIN<12 digits>` in (SERIALNUMBER, 2.5.4.5).
const SERIAL_NUMBER: const_oid::ObjectIdentifier = const_oid::db::rfc4519::SERIAL_NUMBER;

/// Short names of the attributes NCA's names use; any other is shown by its OID.
const NAMES: [(const_oid::ObjectIdentifier, &str); 11] = [
    (const_oid::db::rfc4519::CN, "CN"),
    (const_oid::db::rfc4519::O, "O"),
    (const_oid::db::rfc4519::OU, "OU"),
    (const_oid::db::rfc4519::C, "C"),
    (const_oid::db::rfc4519::L, "L"),
    (const_oid::db::rfc4519::ST, "ST"),
    (const_oid::db::rfc4519::SERIAL_NUMBER, "SERIALNUMBER"),
    (const_oid::db::rfc4519::DC, "DC"),
    (const_oid::db::rfc3280::EMAIL_ADDRESS, "E"),
    // NCA writes the surname in SURNAME and the patronymic in GIVENNAME, shown as G as NCA shows it.
    (const_oid::db::rfc4519::SN, "SURNAME"),
    (const_oid::db::rfc4519::GIVEN_NAME, "G"),
];

fn text(value: &der::Any) -> Option<String> {
    value
        .decode_as::<Utf8StringRef<'_>>()
        .map(|s| s.as_str().to_string())
        .or_else(|_| value.decode_as::<PrintableStringRef<'_>>().map(|s| s.as_str().to_string()))
        .or_else(|_| value.decode_as::<der::asn1::Ia5StringRef<'_>>().map(|s| s.as_str().to_string()))
        .ok()
}

/// A name as `CN=..., O=..., C=KZ`, in the order it is written. (Not x509-cert's `Display`, which links
/// const-oid's whole OID database: 200 KB of submit's zip.)
pub fn name(name: &x509_cert::name::Name) -> String {
    let parts = name.0.iter().flat_map(|rdn| rdn.0.iter()).map(|atv| {
        let key = NAMES
            .iter()
            .find(|(oid, _)| *oid == atv.oid)
            .map_or_else(|| atv.oid.to_string(), |(_, n)| (*n).to_string());
        let value = text(&atv.value).unwrap_or_else(|| "#…".to_string());
        format!("{key}={value}")
    });
    parts.collect::<Vec<_>>().join(", ")
}

/// The serial, in upper-case hex.
pub fn serial(cert: &Certificate) -> String {
    cert.tbs_certificate.serial_number.as_bytes().iter().map(|b| format!("{b:02X}")).collect()
}

/// Rule 8: NCA's signing keys have digitalSignature and nonRepudiation (RSA_… files; the GOST 2022 key, one
/// for both login and signing, adds keyAgreement); the old authentication keys (AUTH_RSA…) have digitalSignature
/// and keyEncipherment only.
pub fn signing_key(cert: &Certificate) -> Result<(), EdsRefusal> {
    let usage = match cert.tbs_certificate.get::<KeyUsage>() {
        Ok(Some((_, ku))) => ku,
        _ => {
            return Err(EdsRefusal::new(EdsRule::KeyUsageSigning, "the certificate states no key usage"));
        }
    };
    if usage.0.contains(KeyUsages::DigitalSignature) && usage.0.contains(KeyUsages::NonRepudiation) {
        Ok(())
    } else {
        Err(EdsRefusal::new(
            EdsRule::KeyUsageSigning,
            "this is not a signing key (digitalSignature and nonRepudiation): sign with the signing key, not the \
             authentication key (AUTH_…)",
        ))
    }
}

/// Rule 9: the subject's IIN is the signed-in applicant's.
pub fn signed_by(cert: &Certificate, applicant: &str) -> Result<(), EdsRefusal> {
    let iin = cert
        .tbs_certificate
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == SERIAL_NUMBER)
        .find_map(|atv| text(&atv.value)?.strip_prefix("IIN").map(str::to_string));
    match iin {
        Some(iin) if iin == applicant => Ok(()),
        Some(_) => Err(EdsRefusal::new(
            EdsRule::SignerIsApplicant,
            "the certificate belongs to another person: sign with your own EDS",
        )),
        None => Err(EdsRefusal::new(EdsRule::SignerIsApplicant, "the certificate names no IIN (SERIALNUMBER=IIN…)")),
    }
}

/// NCA's extended key usage of an individual's key.
pub const INDIVIDUAL: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.2.398.3.3.4.1.1");
/// NCA's extended key usage of a legal entity's key; its sub-arcs name the role (first head, employee, ...).
pub const LEGAL_ENTITY: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.2.398.3.3.4.1.2");

fn under(oid: &const_oid::ObjectIdentifier, arc: &const_oid::ObjectIdentifier) -> bool {
    oid == arc || oid.to_string().starts_with(&format!("{arc}."))
}

/// Rule 8b: a citizen's application is signed with an individual's key. A legal entity's key (issued to its
/// head or an employee, and carrying their IIN) is refused by its own rule, as is a key NCA marks as neither.
pub fn individual(cert: &Certificate) -> Result<(), EdsRefusal> {
    let usages = match cert.tbs_certificate.get::<ExtendedKeyUsage>() {
        Ok(Some((_, eku))) => eku.0,
        _ => Vec::new(),
    };
    if let Some(company) = usages.iter().find(|u| under(u, &LEGAL_ENTITY)) {
        return Err(EdsRefusal::new(
            EdsRule::IndividualKey,
            format!(
                "this is a legal entity's key (extended key usage {company}): an application is signed with the \
                 applicant's own individual EDS"
            ),
        ));
    }
    if usages.contains(&INDIVIDUAL) {
        Ok(())
    } else {
        Err(EdsRefusal::new(
            EdsRule::IndividualKey,
            format!("the certificate is not marked as an individual's key (extended key usage {INDIVIDUAL})"),
        ))
    }
}
