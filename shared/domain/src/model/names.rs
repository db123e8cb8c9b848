//! The stable names of the vocabulary (statuses, reason codes, timeline events, channels, languages): each
//! enum's `as_str()`, `ALL` and `Display`, written once beside its variants, so no crate reads an enum's name
//! through a JSON round trip. A test holds each name to the enum's serde name (what the API and the tables show).

/// `stable_names!(Type { Variant => "NAME", ... })`.
macro_rules! stable_names {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$(Self::$variant),+];

            /// The stable name: the same as its JSON.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $name),+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use stable_names;

#[cfg(test)]
mod tests {
    use crate::model::{
        ConsentChannel, ConsentStatus, Language, NoticeState, ReasonCode, ReplyOutcome, Status, TimelineEvent,
    };

    fn held_to_serde<T: serde::Serialize + std::fmt::Display>(all: &[T], as_str: impl Fn(&T) -> &'static str) {
        for v in all {
            assert_eq!(serde_json::to_value(v).expect("json"), serde_json::json!(as_str(v)));
            assert_eq!(v.to_string(), as_str(v));
        }
    }

    #[test]
    fn every_name_is_its_json() {
        held_to_serde(Status::ALL, Status::as_str);
        held_to_serde(ReasonCode::ALL, ReasonCode::as_str);
        held_to_serde(ConsentStatus::ALL, ConsentStatus::as_str);
        held_to_serde(ConsentChannel::ALL, ConsentChannel::as_str);
        held_to_serde(NoticeState::ALL, NoticeState::as_str);
        held_to_serde(Language::ALL, Language::as_str);
        held_to_serde(TimelineEvent::ALL, TimelineEvent::as_str);
        held_to_serde(ReplyOutcome::ALL, ReplyOutcome::as_str);
    }
}
