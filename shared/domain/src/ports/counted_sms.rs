//! Any [`SmsSender`] with its sends counted: parts sent by language, and send errors (which an alarm watches).

use crate::errors::SmsError;
use crate::metrics::Metric;
use crate::model::PhoneNumber;
use crate::ports::{Metrics, SmsSender};
use crate::sms::SmsMessage;
use async_trait::async_trait;
use std::sync::Arc;

pub struct CountedSms {
    pub inner: Arc<dyn SmsSender>,
    pub metrics: Arc<dyn Metrics>,
}

#[async_trait]
impl SmsSender for CountedSms {
    async fn send(&self, to: &PhoneNumber, message: &SmsMessage) -> Result<(), SmsError> {
        let result = self.inner.send(to, message).await;
        match &result {
            Ok(()) => self.metrics.record(Metric::SmsPartsSent { language: message.language, parts: message.parts }),
            Err(_) => self.metrics.record(Metric::SmsSendError),
        }
        result
    }
}
