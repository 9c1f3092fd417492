//! Reading the fields of a record's JSON object.

use serde_json::{Map, Value};

/// The string at `key`, or empty.
pub(super) fn text(object: &Map<String, Value>, key: &str) -> String {
    object.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}
