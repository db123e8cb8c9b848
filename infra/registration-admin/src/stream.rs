//! A reference-data file read as a stream: each person and property is handed on as soon as it is parsed,
//! so a national file (millions of people) is never held in memory.

use domain::{Person, Property};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::Read;
use std::marker::PhantomData;

pub enum Record {
    Person(Person),
    Property(Property),
}

/// Calls `each` with every record in file order; the first error (of the file or of `each`) ends the read.
pub fn each_record<R: Read>(reader: R, mut each: impl FnMut(Record) -> Result<(), String>) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    FileSeed { each: &mut each }.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())
}

struct FileSeed<'a, F> {
    each: &'a mut F,
}

impl<'de, F: FnMut(Record) -> Result<(), String>> DeserializeSeed<'de> for FileSeed<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(Record) -> Result<(), String>> Visitor<'de> for FileSeed<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"an object with "people" and "properties""#)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "people" => {
                    map.next_value_seed(Each { each: &mut *self.each, wrap: Record::Person, t: PhantomData })?
                }
                "properties" => {
                    map.next_value_seed(Each { each: &mut *self.each, wrap: Record::Property, t: PhantomData })?
                }
                other => return Err(de::Error::unknown_field(other, &["people", "properties"])),
            }
        }
        Ok(())
    }
}

/// One array of the file, each element parsed into `T` and handed on.
struct Each<'a, F, T> {
    each: &'a mut F,
    wrap: fn(T) -> Record,
    t: PhantomData<T>,
}

impl<'de, F: FnMut(Record) -> Result<(), String>, T: de::Deserialize<'de>> DeserializeSeed<'de> for Each<'_, F, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Record) -> Result<(), String>, T: de::Deserialize<'de>> Visitor<'de> for Each<'_, F, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<T>()? {
            (self.each)((self.wrap)(record)).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hands_on_every_record_of_the_sample_in_order() {
        let sample = include_str!("../../reference-data/sample.json");
        let (mut people, mut properties) = (0, 0);
        each_record(sample.as_bytes(), |r| {
            match r {
                Record::Person(_) => people += 1,
                Record::Property(_) => properties += 1,
            }
            Ok(())
        })
        .expect("the sample reads");
        let whole = domain::reference_data::ReferenceData::from_json(sample).expect("sample");
        assert_eq!((people, properties), (whole.people().count(), whole.properties().count()));
    }

    #[test]
    fn stops_at_the_first_bad_record_or_unknown_field() {
        let bad = r#"{"people":[{"iin":"900315400018","lastName":"A","firstName":"B"}]}"#;
        assert!(each_record(bad.as_bytes(), |_| Ok(())).is_err(), "a wrong IIN check digit");
        assert!(each_record(r#"{"persons":[]}"#.as_bytes(), |_| Ok(())).is_err());
        let good = r#"{"people":[{"iin":"900315400017","lastName":"A","firstName":"B"}]}"#;
        let refused = each_record(good.as_bytes(), |_| Err("refused".into()));
        assert!(refused.as_ref().is_err_and(|e| e.starts_with("refused")), "{refused:?}");
    }
}
