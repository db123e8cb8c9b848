//! The people and places of `infra/reference-data/sample.json`, by name, with their BMG phones.

pub const AIGERIM: &str = "900315400017";
pub const DAULET: &str = "880702300117";
pub const BOLAT: &str = "750120300216";
pub const GULNARA: &str = "791205400313";
pub const ALIKHAN: &str = "160601500418";
pub const MADINA: &str = "110510600516";
pub const YERLAN: &str = "950909300613";
pub const JOHN: &str = "850228300715";
pub const SAULE: &str = "921030400817";
pub const NURLAN: &str = "000229501016";
pub const TIMUR: &str = "050404501115";

pub const FLAT_AIGERIM: &str = "0201500000000001";
pub const FLAT_CO_OWNED: &str = "0201500000000002";
pub const FLAT_STATE_RENTAL: &str = "0201500000000003";
pub const FLAT_MINOR_OWNER: &str = "0201500000000004";
pub const HOUSE_INCAPABLE_OWNER: &str = "0201500000000005";
pub const FLAT_DAULET: &str = "0201500000000006";

pub const PHONE_AIGERIM: &str = "+77010000001";
pub const PHONE_DAULET: &str = "+77010000002";
pub const PHONE_BOLAT: &str = "+77010000003";
pub const PHONE_GULNARA: &str = "+77010000004";
pub const PHONE_JOHN: &str = "+77010000008";
pub const PHONE_NURLAN: &str = "+77010000011";
pub const PHONE_TIMUR: &str = "+77010000012";
pub const UNKNOWN_RKA: &str = "0201500000009999";
