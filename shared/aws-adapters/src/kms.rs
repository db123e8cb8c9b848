//! The service's signing key in AWS KMS (an asymmetric `ECC_NIST_P256` key, `SIGN_VERIFY`): certificates are
//! signed with `kms:Sign` (ECDSA_SHA_256, the message sent raw, KMS hashes it) and the public key read once with
//! `kms:GetPublicKey`. The private key never leaves KMS.

use async_trait::async_trait;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{MessageType, SigningAlgorithmSpec};
use domain::errors::SignerError;
use domain::ports::DocumentSigner;
use tokio::sync::OnceCell;

pub struct KmsSigner {
    client: aws_sdk_kms::Client,
    key_id: String,
    public_key: OnceCell<Vec<u8>>,
}

impl KmsSigner {
    pub fn new(client: aws_sdk_kms::Client, key_id: String) -> KmsSigner {
        KmsSigner { client, key_id, public_key: OnceCell::new() }
    }
}

#[async_trait]
impl DocumentSigner for KmsSigner {
    fn key_id(&self) -> &str {
        // The key's id is its `kid`: the last part of an ARN, or the id itself.
        self.key_id.rsplit('/').next().unwrap_or(&self.key_id)
    }

    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        let out = self
            .client
            .sign()
            .key_id(&self.key_id)
            .message(Blob::new(message))
            .message_type(MessageType::Raw)
            .signing_algorithm(SigningAlgorithmSpec::EcdsaSha256)
            .send()
            .await
            .map_err(|e| SignerError(crate::errors::describe(&e)))?;
        let der = out.signature.ok_or_else(|| SignerError("KMS returned no signature".into()))?;
        fixed_from_der(der.as_ref()).ok_or_else(|| SignerError("KMS returned a signature that is not ECDSA DER".into()))
    }

    async fn public_key(&self) -> Result<Vec<u8>, SignerError> {
        let key = self
            .public_key
            .get_or_try_init(|| async {
                let out = self
                    .client
                    .get_public_key()
                    .key_id(&self.key_id)
                    .send()
                    .await
                    .map_err(|e| SignerError(crate::errors::describe(&e)))?;
                let spki = out.public_key.ok_or_else(|| SignerError("KMS returned no public key".into()))?;
                point_from_spki(spki.as_ref()).ok_or_else(|| SignerError("the key is not a P-256 key".into()))
            })
            .await?;
        Ok(key.clone())
    }
}

/// The uncompressed point of a P-256 SubjectPublicKeyInfo: its DER is a fixed 26-byte prefix (the algorithm
/// and curve, the BIT STRING's header) and the 65-byte point.
pub fn point_from_spki(spki: &[u8]) -> Option<Vec<u8>> {
    const PREFIX: [u8; 26] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
        0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ];
    let point = spki.strip_prefix(&PREFIX)?;
    (point.len() == 65 && point[0] == 4).then(|| point.to_vec())
}

/// An ECDSA signature's DER (`SEQUENCE { INTEGER r, INTEGER s }`) as JWS writes it: r and s, 32 bytes each.
pub fn fixed_from_der(der: &[u8]) -> Option<Vec<u8>> {
    fn integer(b: &[u8]) -> Option<(&[u8], &[u8])> {
        let (&tag, rest) = b.split_first()?;
        let (&len, rest) = rest.split_first()?;
        let len = usize::from(len);
        (tag == 0x02 && len < 0x80 && rest.len() >= len).then(|| rest.split_at(len))
    }
    let (&tag, rest) = der.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x30 || usize::from(len) != body.len() {
        return None;
    }
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(64);
    for n in [r, s] {
        let n = match n.iter().position(|&b| b != 0) {
            Some(i) => &n[i..],
            None => &[][..],
        };
        if n.len() > 32 {
            return None;
        }
        out.extend(std::iter::repeat_n(0, 32 - n.len()));
        out.extend_from_slice(n);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_signatures_become_fixed_width_and_bad_ones_are_refused() {
        // r with a leading zero (high bit set), s short (31 bytes).
        let mut der = vec![0x30, 0x44, 0x02, 0x21, 0x00];
        der.extend([0x80; 32]);
        der.extend([0x02, 0x1f]);
        der.extend([0x11; 31]);
        let fixed = fixed_from_der(&der).expect("fixed");
        assert_eq!(&fixed[..32], &[0x80; 32]);
        assert_eq!(fixed[32], 0);
        assert_eq!(&fixed[33..], &[0x11; 31]);
        assert_eq!(fixed_from_der(&der[..der.len() - 1]), None);
        assert_eq!(fixed_from_der(&[0x30, 0x00]), None);
    }
}
