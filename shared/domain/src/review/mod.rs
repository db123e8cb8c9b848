//! Signals for a person to review. They never refuse an application: they flag it on its timeline and
//! count it in a metric.

mod address_volume;

pub use address_volume::AddressReview;
