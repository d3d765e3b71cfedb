//! Numbers in the report's JSON: whole amounts as integers (`450000`, not
//! `450000.0`), so dashboards and diffs see what a person would write.

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::Serializer;

fn value<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value == value.trunc() && value.abs() < 1e15 {
        serializer.serialize_i64(value as i64)
    } else {
        serializer.serialize_f64(value)
    }
}

pub fn one<S: Serializer>(number: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    value(*number, serializer)
}

pub fn opt<S: Serializer>(number: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match number {
        Some(number) => value(*number, serializer),
        None => serializer.serialize_none(),
    }
}

pub fn map<S: Serializer>(
    numbers: &IndexMap<String, f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    struct Whole(f64);
    impl serde::Serialize for Whole {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            value(self.0, serializer)
        }
    }
    let mut map = serializer.serialize_map(Some(numbers.len()))?;
    for (key, number) in numbers {
        map.serialize_entry(key, &Whole(*number))?;
    }
    map.end()
}
