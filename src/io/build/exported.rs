//! What Kronika's own CSV and KML exports write beside a record's dates and place, read back as
//! what it says: a record exported as a disputed claim, or an approximate or undated one, does
//! not come back as a plain report of an exact day and place.

use crate::io::records::RawFields;
use crate::model::text::trimmed;
use crate::model::{ClaimStatus, LocationPrecision};

/// What Kronika's own CSV and KML exports write of a record beside its dates and place.
#[derive(Default)]
pub(super) struct ExportedFlags {
    /// Exported as undated.
    pub(super) undated: bool,
    /// Exported as approximately dated.
    pub(super) approximate: bool,
    pub(super) claim_status: Option<ClaimStatus>,
    pub(super) location_precision: Option<LocationPrecision>,
}

impl ExportedFlags {
    /// The flags among a record's other fields (their names in any case), taken out of them; a
    /// field of such a name whose value is not one of them (another tool's) stays as it is.
    pub(super) fn take_from(fields: &mut RawFields<'_>) -> Self {
        let mut flags = Self::default();
        // Most files have none of them: a look at each name, not a retain's call for each field
        // (a twentieth of building an ACLED row's event).
        if fields.iter().any(|(name, _)| flag_name(name).is_some()) {
            fields.retain(|(name, value)| flags.take(flag_name(name), trimmed(value)).is_none());
        }
        flags
    }

    /// Notes `value` of the flag `name`, when it is one of its values.
    fn take(&mut self, name: Option<&str>, value: &str) -> Option<()> {
        match name? {
            "undated" => yes_or_no(value).map(|yes| self.undated = yes),
            "approximate" => yes_or_no(value).map(|yes| self.approximate = yes),
            "claim_status" => ClaimStatus::from_key(value).map(|status| self.claim_status = Some(status)),
            "location_precision" => {
                LocationPrecision::from_key(value).map(|precision| self.location_precision = Some(precision))
            }
            _ => None,
        }
    }
}

/// The flag a field's name (in any case) is, if any: one look at its length for most names.
fn flag_name(name: &str) -> Option<&'static str> {
    let flag = match name.len() {
        7 => "undated",
        11 => "approximate",
        12 => "claim_status",
        18 => "location_precision",
        _ => return None,
    };
    name.eq_ignore_ascii_case(flag).then_some(flag)
}

/// `true`/`yes`/`1` or `false`/`no`/`0`.
fn yes_or_no(value: &str) -> Option<bool> {
    match value {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn fields(pairs: &[(&'static str, &'static str)]) -> RawFields<'static> {
        pairs.iter().map(|&(name, value)| (Cow::Borrowed(name), Cow::Borrowed(value))).collect()
    }

    #[test]
    fn flags_in_any_case_are_taken_out_and_other_fields_stay_in_order() {
        let mut record = fields(&[
            ("country", "Kosovo"),
            ("Undated", " yes "),
            ("CLAIM_STATUS", "denial"),
            ("notes", "n"),
            ("approximate", "0"),
            ("location_precision", "region"),
        ]);
        let flags = ExportedFlags::take_from(&mut record);
        assert!(flags.undated);
        assert!(!flags.approximate);
        assert_eq!(flags.claim_status, ClaimStatus::from_key("denial"));
        assert_eq!(flags.location_precision, Some(LocationPrecision::Region));
        assert_eq!(record, fields(&[("country", "Kosovo"), ("notes", "n")]));
    }

    #[test]
    fn a_field_named_like_a_flag_with_another_tools_value_stays() {
        let pairs = [("undated", "perhaps"), ("claim_status", "unknown to Kronika"), ("country", "Serbia")];
        let mut record = fields(&pairs);
        let flags = ExportedFlags::take_from(&mut record);
        assert!(!flags.undated && flags.claim_status.is_none());
        assert_eq!(record, fields(&pairs));
        let mut none = fields(&[("admin1", "Mitrovica"), ("country", "Kosovo")]);
        assert!(ExportedFlags::take_from(&mut none).location_precision.is_none());
        assert_eq!(none.len(), 2);
    }
}
