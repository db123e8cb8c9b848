//! Values that are parsed once at the edge and trusted everywhere after.

mod address;
mod application;
mod consent;
mod consent_reply;
mod ids;
mod iin;
mod names;
mod one_time_code;
mod people;
mod phone;
mod registration;
mod registration_kind;
mod reply_receipt;
mod rka;
mod timeline;

pub use address::{Address, AddressParts, SHORT_MAX_CHARS as ADDRESS_SHORT_MAX_CHARS};
pub use application::{Application, ApplicationDraft, NoticeState, ReasonCode, RegistrationReason, Status};
pub use consent::{
    match_reply, replies_match_requests_since, Consent, ConsentChannel, ConsentStatus, ReplyMatch, REPLY_LOOKBACK_DAYS,
};
pub use consent_reply::{ConsentDecision, ConsentReply, ReplyError, ReplyOutcome};
pub use ids::{new_id, ApplicationId, ConsentId, SigningRequestId};
pub use iin::{Iin, IinError, Sex};
pub use one_time_code::{CodeHash, CodeKey, CodeKeyTooShort, OneTimeCode};
pub use people::{masked_name, Capacity, Language, Person, Property, StateRental};
pub use phone::{PhoneError, PhoneNumber};
pub use registration::{Registration, RegistrationStatus};
pub use registration_kind::{KindError, RegistrationKind};
pub use reply_receipt::{Acknowledgement, InboundMessageId, InboundMessageIdError, ReplyReceipt, RECEIPT_KEPT_DAYS};
pub use rka::{Rka, RkaError};
pub use timeline::{TimelineEntry, TimelineEvent, TimelineFacts};
