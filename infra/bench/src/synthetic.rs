//! Synthetic people and places: valid IINs (birth date, century digit, check digit), distinct BMG phones
//! and RKAs, in the reference-data format the local stack reads.

use domain::Iin;
use serde_json::{json, Value};

/// The `n`-th valid IIN of a man born between 1960 and 1999 (distinct for distinct `n`).
pub fn iin(n: u64) -> Iin {
    let mut serial = n;
    loop {
        let day = serial / 9_000;
        let date = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).and_then(|d| d.checked_add_days(chrono::Days::new(day)));
        let date = date.unwrap_or_default();
        let digits = format!("{}3{:04}", date.format("%y%m%d"), 1000 + serial % 9_000);
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let weighted = |w: &[u32]| d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
        let mut k = weighted(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        if k == 10 {
            k = weighted(&[3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
        }
        if k < 10 {
            if let Ok(iin) = Iin::parse(&format!("{digits}{k}")) {
                return iin;
            }
        }
        // No valid check digit for this serial: the next unused one (far above any `n` in use).
        serial += 1_000_000_000;
    }
}

pub fn phone(n: u64) -> String {
    format!("+7702{:07}", n % 10_000_000)
}

pub fn rka(n: u64) -> String {
    format!("02016{:011}", n)
}

/// `pairs` tenants and `pairs` owners: tenant i applies for a flat owned by owner i (one consent each).
/// Tenants are people `0..pairs`, owners `pairs..2*pairs`; flat i is owned by owner i.
pub fn reference_data(pairs: u64) -> Value {
    let person = |n: u64| json!({ "iin": iin(n).as_str(), "lastName": "Bench", "firstName": format!("P{n}"), "bmgPhone": phone(n), "language": "kk" });
    let people: Vec<Value> = (0..2 * pairs).map(person).collect();
    let properties: Vec<Value> = (0..pairs)
        .map(|i| json!({ "rka": rka(i), "address": format!("Bench street {i}"), "owners": [iin(pairs + i).as_str()] }))
        .collect();
    json!({ "people": people, "properties": properties })
}

pub fn form(registrant: &Iin, rka: &str, moved_in_on: &str) -> Value {
    json!({ "registrantIin": registrant.as_str(), "rka": rka, "kind": "PERMANENT", "reason": "RENTAL", "movedInOn": moved_in_on })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_iins_are_valid_and_distinct() {
        let all: std::collections::HashSet<String> = (0..20_000).map(|n| iin(n).as_str().to_string()).collect();
        assert_eq!(all.len(), 20_000);
        assert_eq!(iin(7).birth_date().format("%Y").to_string(), "1960");
    }
}
