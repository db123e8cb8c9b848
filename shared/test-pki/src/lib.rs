//! A PKI shaped like NCA's, for tests and the local stack (never in a Lambda): a root and an intermediate
//! CA, an OCSP responder certificate, personal certificates with `SERIALNUMBER=IIN…` in every shape the
//! verifier must refuse, a foreign root, the responder's answers, the CRLs (the intermediate's, listing
//! people; the root's, listing CAs), and CMS signatures over any bytes.

mod cms_sign;
mod issue;
mod responder;

pub use cms_sign::{Hash, Scheme, SignOptions};
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

/// A person's certificate and key.
pub struct Person {
    pub cert: Certificate,
    pub cert_pem: String,
    pub key_pem: String,
    key_pkcs8: Vec<u8>,
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
    pub ocsp_url: String,
    /// The intermediate's CRL, which the people's certificates name.
    pub crl_url: String,
    /// The root's CRL, which the intermediate's certificate names: `crl_url` followed by `/root`.
    pub root_crl_url: String,
    /// What validity periods are counted from (the caller's clock: real, or a test's fixed time).
    pub at: DateTime<Utc>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    next_serial: u64,
    people: HashMap<(String, Profile), Arc<Person>>,
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
        Ok(Pki {
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

    /// The roots file a deployment of this PKI trusts.
    pub fn roots_pem(&self) -> String {
        self.root.pem()
    }

    /// The certificate of `iin` in `profile`, issued the first time it is asked for (a revoked one is
    /// revoked then).
    pub fn person(&self, iin: &str, profile: Profile) -> Result<Arc<Person>, String> {
        if let Some(p) = self.state().people.get(&(iin.to_string(), profile)) {
            return Ok(p.clone());
        }
        let serial = {
            let mut s = self.state();
            s.next_serial += 1;
            s.next_serial
        };
        let issuer = if profile == Profile::Foreign { &self.foreign_intermediate } else { &self.intermediate };
        let person = Arc::new(issue::person(self, issuer, iin, profile, serial)?);
        let mut s = self.state();
        let entry = s.people.entry((iin.to_string(), profile));
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

    /// When the certificate `serial` issued by the intermediate was revoked.
    fn revoked_at(&self, serial: &[u8]) -> Option<DateTime<Utc>> {
        let issuer = &self.intermediate.x509.tbs_certificate.subject;
        self.state().revoked.iter().find(|r| &r.issuer == issuer && r.serial == serial).map(|r| r.at)
    }

    /// What `ca`'s CRL lists: serials and when.
    fn revoked_by(&self, ca: &Ca) -> Vec<(Vec<u8>, DateTime<Utc>)> {
        let subject = &ca.x509.tbs_certificate.subject;
        self.state().revoked.iter().filter(|r| &r.issuer == subject).map(|r| (r.serial.clone(), r.at)).collect()
    }

    /// A CMS SignedData by `person` over `content`.
    pub fn sign(&self, person: &Person, content: &[u8], options: &SignOptions) -> Result<Vec<u8>, String> {
        cms_sign::sign(person, content, options)
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

    /// The CRL published at `url`: the root's at [`Pki::root_crl_url`], the intermediate's anywhere else.
    pub fn crl_at(&self, url: &str, now: DateTime<Utc>) -> Result<Vec<u8>, String> {
        if url == self.root_crl_url {
            self.root_crl(now)
        } else {
            self.crl(now)
        }
    }
}
