//! Colouring events by one of their fields instead of their category (an ACLED export by
//! `country` or `actor1`, several files by `file`): the field's values ranked by frequency, the
//! most frequent coloured and the long tail as "other", exactly as the data's own categories are.

use rayon::prelude::*;

use super::category::{Categories, CategoryId};
use super::properties::Properties;

/// Fields with more distinct values than this are free text, not something to colour by.
pub const MAX_COLOURING_VALUES: usize = 5_000;

/// Events coloured by the values of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldColouring {
    /// The field's name.
    pub field: String,
    /// The field's values as a legend (ranked: the most frequent first, then "other").
    pub legend: Categories,
    /// Each event's legend slot.
    slots: Vec<u8>,
}

impl FieldColouring {
    /// Colours `events` events by `field` of `properties`, or says why not.
    ///
    /// # Errors
    /// No such field, or too many distinct values to tell apart by colour.
    pub fn new(properties: &Properties, field: &str, events: usize) -> Result<Self, String> {
        let (values, value_of) = properties.column(field).ok_or_else(|| format!("no field `{field}`"))?;
        let distinct = properties.distinct_values(field);
        if distinct > MAX_COLOURING_VALUES {
            return Err(format!(
                "`{field}` has {distinct} different values; colours can tell apart a few, not thousands"
            ));
        }
        let mut counts = vec![0_u32; distinct + 1];
        for value in values.iter() {
            if let Some(count) = counts.get_mut(value as usize) {
                *count += 1;
            }
        }
        // Events past the column's end (none should be) have no value.
        let missing = u32::try_from(events.saturating_sub(values.len())).unwrap_or(u32::MAX);
        if let Some(none) = counts.first_mut() {
            *none += missing;
        }
        let keys: Vec<String> = (1..=u32::try_from(distinct).unwrap_or(u32::MAX))
            .map(|id| value_of(id).unwrap_or_default().to_owned())
            .collect();
        let legend = Categories::ranked(keys.iter().map(String::as_str), &counts);
        let slot_of = |value: u32| legend.slot(CategoryId(u16::try_from(value).unwrap_or(0)));
        let mut slots: Vec<u8> =
            (0..values.len()).into_par_iter().map(|at| slot_of(values.get(at).unwrap_or(0))).collect();
        slots.resize(events, slot_of(0));
        Ok(Self { field: field.to_owned(), legend, slots })
    }

    /// An event's legend slot.
    pub fn slot(&self, event: usize) -> u8 {
        self.slots.get(event).copied().unwrap_or_default()
    }
}

/// The fields events can be coloured by: those with 2 to [`MAX_COLOURING_VALUES`] distinct values.
pub fn colourable_fields(properties: &Properties) -> Vec<&str> {
    properties.names().filter(|name| (2..=MAX_COLOURING_VALUES).contains(&properties.distinct_values(name))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::properties::PropertiesBuilder;

    #[test]
    fn a_field_colours_by_frequency_and_free_text_is_refused() {
        let mut builder = PropertiesBuilder::default();
        for (country, note) in [("Serbia", "a"), ("Kosovo", "b"), ("Serbia", "c"), ("", "d")] {
            builder.next_event();
            if !country.is_empty() {
                builder.set("country", country);
            }
            builder.set("note", note);
        }
        let properties = builder.finish();
        let colouring = FieldColouring::new(&properties, "country", 4).unwrap();
        assert_eq!(colouring.slot(0), 0, "the most frequent value gets the first colour");
        assert_eq!(colouring.slot(2), 0);
        assert_eq!(colouring.slot(1), 1);
        assert_eq!(colouring.legend.legend()[0].label, "Serbia");
        assert!(FieldColouring::new(&properties, "nothing", 4).is_err());
        assert_eq!(colourable_fields(&properties), ["country", "note"]);
    }
}
