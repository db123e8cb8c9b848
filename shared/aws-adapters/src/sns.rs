//! SMS through SNS: sender id 1414, transactional (delivery over cost), one message per `Publish`.

use crate::errors;
use async_trait::async_trait;
use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sns::Client;
use domain::errors::SmsError;
use domain::ports::SmsSender;
use domain::sms::SmsMessage;
use domain::PhoneNumber;

pub struct SnsSms {
    client: Client,
    sender_id: String,
}

impl SnsSms {
    pub fn new(client: Client, sender_id: String) -> Self {
        SnsSms { client, sender_id }
    }
}

fn string_attribute(value: &str) -> Result<MessageAttributeValue, SmsError> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .map_err(|e| SmsError::Refused(e.to_string()))
}

#[async_trait]
impl SmsSender for SnsSms {
    async fn send(&self, to: &PhoneNumber, message: &SmsMessage) -> Result<(), SmsError> {
        let result = self
            .client
            .publish()
            .phone_number(to.as_str())
            .message(&message.text)
            .message_attributes("AWS.SNS.SMS.SenderID", string_attribute(&self.sender_id)?)
            .message_attributes("AWS.SNS.SMS.SMSType", string_attribute("Transactional")?)
            .send()
            .await;
        match result {
            Ok(_) => {
                tracing::info!(parts = message.parts, encoding = ?message.encoding, "SMS sent");
                Ok(())
            }
            Err(e) if errors::is_transient(&e) => Err(SmsError::Unavailable(errors::describe(&e))),
            Err(e) => Err(SmsError::Refused(errors::describe(&e))),
        }
    }
}
