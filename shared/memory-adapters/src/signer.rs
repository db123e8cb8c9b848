//! The local stack's signing key for certificates: an ES256 key made at start (AWS: a KMS key).

use async_trait::async_trait;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use domain::errors::SignerError;
use domain::ports::DocumentSigner;

pub struct LocalSigner {
    key: EcdsaKeyPair,
    key_id: String,
}

impl LocalSigner {
    pub fn generate() -> Result<LocalSigner, SignerError> {
        let key =
            EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(|e| SignerError(format!("key: {e}")))?;
        Ok(LocalSigner { key, key_id: format!("local-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]) })
    }
}

#[async_trait]
impl DocumentSigner for LocalSigner {
    fn key_id(&self) -> &str {
        &self.key_id
    }

    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        let signature = self.key.sign(&SystemRandom::new(), message).map_err(|e| SignerError(format!("sign: {e}")))?;
        Ok(signature.as_ref().to_vec())
    }

    async fn public_key(&self) -> Result<Vec<u8>, SignerError> {
        Ok(self.key.public_key().as_ref().to_vec())
    }
}
