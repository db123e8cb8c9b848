//! A PKI shaped like NCA's, for tests and the local stack (never in a Lambda), in both of NCA's families:
//! RSA (a root and an intermediate CA, a delegated OCSP responder) and GOST 2015-512 (a root, an issuing CA
//! that also signs OCSP answers and its CRL, and a TSA), as NCA's 2022 hierarchy is. Personal certificates
//! with `SERIALNUMBER=IIN…` in every shape the verifier must refuse, a foreign root, the responder's answers,
//! the CRLs (the issuing CAs', listing people; the roots', listing CAs), and CMS signatures over any bytes
//! (RSA as NCALayer wrote them, GOST as Kalkan writes them, with a timestamp token).

mod cms_sign;
pub mod gost_issue;
pub mod gost_key;
mod issue;
mod responder;

pub use cms_sign::{Hash, Scheme, SignOptions};
pub use gost_issue::GostCa;
pub use issue::Profile;

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use x509_cert::Certificate;

/// A CA: its rcgen certificate and key (to issue), and the same certificate parsed.
pub struct Ca {
    cert: rcgen::Certificate,
    key: rcgen::KeyPair,
    pub x509: Certificate,
}

impl Ca {
    pub fn pem(&self) -> String {
        self.cert.pem()
    }
}

/// A person's private key.
pub(crate) enum PersonKey {
    /// PKCS#8 DER.
    Rsa(Vec<u8>),
    Gost(gost_key::GostKey),
}

/// Which of NCA's key families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// RSA: NCA's keys before 2022 (RSA_… and AUTH_RSA_… files).
    Rsa,
    /// GOST 34.10-2015 512-bit: NCA's keys since 2022 (GOST512_… files).
    Gost,
}

/// A person's certificate and key.
pub struct Person {
    pub cert: Certificate,
    pub cert_pem: String,
    /// The RSA key in PEM (empty for a GOST key, which no PEM tool reads).
    pub key_pem: String,
    pub(crate) key: PersonKey,
    /// The intermediate that issued it (foreign people: the foreign intermediate).
    pub chain: Vec<Certificate>,
    pub chain_pem: String,
}

pub struct Pki {
    pub root: Ca,
    pub intermediate: Ca,
    responder: Ca,
    pub foreign_root: Ca,
    foreign_intermediate: Ca,
    pub gost_root: gost_issue::GostCa,
    pub gost_intermediate: gost_issue::GostCa,
    pub(crate) gost_tsa: gost_issue::GostCa,
    gost_foreign_intermediate: gost_issue::GostCa,
    pub ocsp_url: String,
    /// The intermediate's CRL, which the people's certificates name.
    pub crl_url: String,
    /// The root's CRL, which the intermediate's certificate names: `crl_url` followed by `/root`.
    pub root_crl_url: String,
    /// The GOST issuing CA's CRL, which GOST people's certificates name: `crl_url` followed by `/gost`.
    pub gost_crl_url: String,
    /// The GOST root's CRL, which the GOST issuing CA names: `crl_url` followed by `/gost/root`.
    pub gost_root_crl_url: String,
    /// What validity periods are counted from (the caller's clock: real, or a test's fixed time).
    pub at: DateTime<Utc>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    next_serial: u64,
    people: HashMap<(String, Profile, Family), Arc<Person>>,
    /// Certificates revoked, with when.
    revoked: Vec<Revoked>,
}

/// A revoked certificate: who issued it (whose CRL lists it), its serial (DER bytes), and when.
struct Revoked {
    issuer: x509_cert::name::Name,
    serial: Vec<u8>,
    at: DateTime<Utc>,
}

impl Revoked {
    fn of(cert: &Certificate, at: DateTime<Utc>) -> Revoked {
        Revoked {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial: cert.tbs_certificate.serial_number.as_bytes().to_vec(),
            at,
        }
    }
}

impl Pki {
    /// A PKI whose people's certificates name `ocsp_url` (AIA) and `crl_url` (CRL distribution point), and
    /// whose intermediate names the root's CRL at `crl_url/root`.
    pub fn new(ocsp_url: &str, crl_url: &str) -> Result<Pki, String> {
        Pki::at(ocsp_url, crl_url, Utc::now())
    }

    /// The same, its certificates valid around `at`: CAs for 20 years either side, people for a year (the
    /// expired one ended the day before `at`).
    pub fn at(ocsp_url: &str, crl_url: &str, at: DateTime<Utc>) -> Result<Pki, String> {
        let root_crl_url = format!("{crl_url}/root");
        let (root, intermediate) = issue::ca_pair(
            "TEST NCA ROOT (RSA)",
            "TEST ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)",
            1,
            at,
            Some(&root_crl_url),
        )?;
        let responder = issue::responder(&intermediate, 3, at)?;
        let (foreign_root, foreign_intermediate) = issue::ca_pair("FOREIGN ROOT", "FOREIGN CA", 4, at, None)?;
        let gost_crl_url = format!("{crl_url}/gost");
        let gost_root_crl_url = format!("{crl_url}/gost/root");
        let gost_root = gost_issue::ca("ТЕСТ НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)", 11, at, None, None)?;
        let gost_intermediate = gost_issue::ca(
            "ТЕСТ ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)",
            12,
            at,
            Some(&gost_root),
            Some(&gost_root_crl_url),
        )?;
        let gost_tsa = gost_issue::tsa(&gost_intermediate, 13, at)?;
        let gost_foreign_root = gost_issue::ca("FOREIGN ROOT (GOST)", 14, at, None, None)?;
        let gost_foreign_intermediate = gost_issue::ca("FOREIGN CA (GOST)", 15, at, Some(&gost_foreign_root), None)?;
        Ok(Pki {
            gost_root,
            gost_intermediate,
            gost_tsa,
            gost_foreign_intermediate,
            gost_crl_url,
            gost_root_crl_url,
            root,
            intermediate,
            responder,
            foreign_root,
            foreign_intermediate,
            ocsp_url: ocsp_url.to_string(),
            crl_url: crl_url.to_string(),
            root_crl_url,
            at,
            state: Mutex::new(State { next_serial: 100, ..State::default() }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The roots file a deployment of this PKI trusts: the RSA root and the GOST root.
    pub fn roots_pem(&self) -> String {
        let gost = der::EncodePem::to_pem(&self.gost_root.x509, der::pem::LineEnding::LF).unwrap_or_default();
        format!("{}{gost}", self.root.pem())
    }

    /// Everything a verifier of this PKI trusts: the roots, then the GOST issuing CA (Kalkan's CMS does not
    /// carry it), as `registration-admin verify-eds --roots` and `--eds-trust` take them.
    pub fn trust_pem(&self) -> String {
        let ca = der::EncodePem::to_pem(&self.gost_intermediate.x509, der::pem::LineEnding::LF).unwrap_or_default();
        format!("{}{ca}", self.roots_pem())
    }

    /// The RSA certificate of `iin` in `profile` (see [`Pki::person_in`]).
    pub fn person(&self, iin: &str, profile: Profile) -> Result<Arc<Person>, String> {
        self.person_in(iin, profile, Family::Rsa)
    }

    /// The certificate of `iin` in `profile` and `family`, issued the first time it is asked for (a revoked
    /// one is revoked then).
    pub fn person_in(&self, iin: &str, profile: Profile, family: Family) -> Result<Arc<Person>, String> {
        if let Some(p) = self.state().people.get(&(iin.to_string(), profile, family)) {
            return Ok(p.clone());
        }
        let serial = {
            let mut s = self.state();
            s.next_serial += 1;
            s.next_serial
        };
        let person = Arc::new(match (family, profile == Profile::Foreign) {
            (Family::Rsa, false) => issue::person(self, &self.intermediate, iin, profile, serial)?,
            (Family::Rsa, true) => issue::person(self, &self.foreign_intermediate, iin, profile, serial)?,
            (Family::Gost, false) => gost_issue::person(self, &self.gost_intermediate, iin, profile, serial)?,
            (Family::Gost, true) => gost_issue::person(self, &self.gost_foreign_intermediate, iin, profile, serial)?,
        });
        let mut s = self.state();
        let entry = s.people.entry((iin.to_string(), profile, family));
        if let std::collections::hash_map::Entry::Occupied(issued) = entry {
            return Ok(issued.get().clone());
        }
        entry.or_insert(person.clone());
        if profile == Profile::Revoked {
            s.revoked.push(Revoked::of(&person.cert, self.at));
        }
        Ok(person)
    }

    /// Revokes a certificate from now on (OCSP and its issuer's CRL say so): a person's, or the intermediate's.
    pub fn revoke(&self, cert: &Certificate) {
        self.state().revoked.push(Revoked::of(cert, self.at));
    }

    /// When the certificate `serial` issued by `issuer` was revoked.
    fn revoked_at(&self, issuer: &x509_cert::name::Name, serial: &[u8]) -> Option<DateTime<Utc>> {
        self.state().revoked.iter().find(|r| &r.issuer == issuer && r.serial == serial).map(|r| r.at)
    }

    /// What the CA named `subject` lists on its CRL: serials and when.
    fn revoked_by(&self, subject: &x509_cert::name::Name) -> Vec<(Vec<u8>, DateTime<Utc>)> {
        self.state().revoked.iter().filter(|r| &r.issuer == subject).map(|r| (r.serial.clone(), r.at)).collect()
    }

    /// A CMS SignedData by `person` over `content`.
    pub fn sign(&self, person: &Person, content: &[u8], options: &SignOptions) -> Result<Vec<u8>, String> {
        cms_sign::sign(self, person, content, options)
    }

    /// The OCSP responder: the DER answer to a DER request, at `now`.
    pub fn ocsp_answer(&self, request: &[u8], now: DateTime<Utc>) -> Result<Vec<u8>, String> {
        responder::answer(self, request, now)
    }

    /// The intermediate's CRL at `now`, valid for an hour.
    pub fn crl(&self, now: DateTime<Utc>) -> Result<Vec<u8>, String> {
        responder::crl(self, &self.intermediate, now)
    }

    /// The root's CRL at `now` (it lists a revoked intermediate), valid for an hour.
    pub fn root_crl(&self, now: DateTime<Utc>) -> Result<Vec<u8>, String> {
        responder::crl(self, &self.root, now)
    }

    /// The CRL published at `url`: the roots' at [`Pki::root_crl_url`] and [`Pki::gost_root_crl_url`], the
    /// GOST issuing CA's at [`Pki::gost_crl_url`], the RSA intermediate's anywhere else.
    pub fn crl_at(&self, url: &str, now: DateTime<Utc>) -> Result<Vec<u8>, String> {
        let gost =
            |ca: &gost_issue::GostCa| gost_issue::crl(ca, &self.revoked_by(&ca.x509.tbs_certificate.subject), now);
        if url == self.root_crl_url {
            self.root_crl(now)
        } else if url == self.gost_root_crl_url {
            gost(&self.gost_root)
        } else if url == self.gost_crl_url {
            gost(&self.gost_intermediate)
        } else {
            self.crl(now)
        }
    }
}
