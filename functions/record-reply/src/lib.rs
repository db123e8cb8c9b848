//! An owner's answer to a consent request, sent on to the waiting workflow:
//! - in the app: `GET /consents` lists the caller's open requests, `POST /consents/{id}/decision` answers one;
//! - by SMS: a reply `YES 123456` / `NO 123456` (ИӘ/ЖОҚ, ДА/НЕТ) from the owner's own number.
//!
//! A reply from another number, with a wrong code, after expiry, or a second time changes nothing and
//! gets a clear answer.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "record-reply",
    triggers: &[
        domain::function::Trigger::Route("GET /consents", domain::function::EdgeLimit::OWNER_READS),
        domain::function::Trigger::Route("POST /consents/{id}/decision", domain::function::EdgeLimit::DECISIONS),
        domain::function::Trigger::InboundSms,
    ],
};

mod answer;
mod event;
mod http;
mod sms;

pub use answer::Answer;
pub use event::{handle_event, EventError, ReplyAnswer, ReplyEvent};
pub use http::handle;
pub use sms::{handle_sms, SmsReplyResult};

use domain::clock::Clock;
use domain::ports::{ApplicationStore, ConsentStore, Registries, SmsSender, TimelineStore, Workflow};
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub registries: Arc<dyn Registries>,
    pub timeline: Arc<dyn TimelineStore>,
    pub workflow: Arc<dyn Workflow>,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn domain::ports::Metrics>,
    /// What consent codes are hashed with: a reply's code is matched under it.
    pub code_key: Arc<domain::CodeKey>,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            applications: src.applications()?,
            consents: src.consents()?,
            registries: src.registries()?,
            timeline: src.timeline()?,
            workflow: src.workflow()?,
            sms: src.sms()?,
            clock: src.clock(),
            metrics: src.metrics(),
            code_key: src.code_key()?,
        })
    }
}

#[cfg(test)]
mod tests;
