//! Another tool's feature read directly into a record, for the large files they export (an ACLED
//! collection: a million features of thirty properties each). Each property's name is found
//! among those met before by where it came last time, so a feature's thirty names cost thirty
//! short comparisons (not a sort and a search for each role); its values are lent from the text.
//! The record is exactly the one the serde readers make (`geojson_feature`), properties in name
//! order. Anything unusual — an escaped name, a member a feature does not have, a name met twice
//! (they keep its last value), a value a `Value` would refuse — declines (`None`), for those
//! readers to read and explain.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde_json::Value;

use super::columns::{ColumnMapping, ColumnRole};
use super::geojson_feature::{Refused, geometry, nests_within, record_of_roles, shown};
use crate::io::events::json_reader::{JsonReader, Literal};
use crate::io::fields::is_integer_as_written;
use crate::io::records::{RawFields, RawGeometry, RawRecord};

/// The property names met in the features of one slice of a file, each in a slot, and the
/// current feature's value in each.
pub(super) struct FeatureSlots<'a> {
    /// The mapping's column for each role it has.
    role_names: Vec<(ColumnRole, String)>,
    /// Each name met, by slot (in the order first met).
    names: Vec<&'a str>,
    /// Each name as a string literal, when it is short enough to be one.
    literals: Vec<Option<Literal<'a>>>,
    /// The slot of each role (by its number) whose name has been met.
    role_slots: [Option<usize>; ColumnRole::ALL.len()],
    /// Whether a slot's name is kept as a property.
    kept: Vec<Kept>,
    /// The slots in name order.
    by_name: Vec<usize>,
    /// The slot whose name came after each slot's last time: where the next name is looked for.
    successor: Vec<usize>,
    /// The feature that last filled each slot (its stamp), and what it put there.
    filled: Vec<usize>,
    values: Vec<Option<Cow<'a, str>>>,
    /// The current feature's stamp.
    stamp: usize,
    /// Every name's slot, for a name that did not come where it came last time.
    lookup: FxHashMap<&'a str, usize>,
    /// The memory of the last record's properties, given back by its sink for the next.
    pub(super) spare_properties: RawFields<'a>,
}

impl<'a> FeatureSlots<'a> {
    pub(super) fn new(mapping: &ColumnMapping) -> Self {
        let role_names =
            ColumnRole::ALL.iter().filter_map(|&role| Some((role, mapping.get(role)?.to_owned()))).collect();
        Self {
            role_names,
            names: Vec::new(),
            literals: Vec::new(),
            role_slots: [None; ColumnRole::ALL.len()],
            kept: Vec::new(),
            by_name: Vec::new(),
            successor: Vec::new(),
            filled: Vec::new(),
            values: Vec::new(),
            stamp: 0,
            lookup: FxHashMap::default(),
            spare_properties: RawFields::new(),
        }
    }

    /// The slot of `name`, looked for first at `hint`; made when the name is new.
    #[inline]
    fn slot(&mut self, name: &'a str, hint: usize) -> usize {
        // The guess itself (see `read_properties`), or a name written as it.
        if self.names.get(hint).is_some_and(|&known| std::ptr::eq(known, name) || known == name) {
            return hint;
        }
        if let Some(&slot) = self.lookup.get(name) {
            return slot;
        }
        let slot = self.names.len();
        self.names.push(name);
        self.literals.push(Literal::string_if_fits(name));
        let mut kept = Kept::Always;
        for &(role, _) in self.role_names.iter().filter(|(_, column)| column == name) {
            if let Some(role_slot) = self.role_slots.get_mut(role as usize) {
                *role_slot = Some(slot);
                kept = if role == ColumnRole::Id && kept == Kept::Always { Kept::WithOwnId } else { Kept::Never };
            }
        }
        self.kept.push(kept);
        let at = self.by_name.partition_point(|&other| self.names.get(other).is_some_and(|&n| n < name));
        self.by_name.insert(at, slot);
        self.successor.push(slot + 1);
        self.filled.push(0);
        self.values.push(None);
        self.lookup.insert(name, slot);
        slot
    }

    /// The current feature's properties, each in its slot; `None` on a name met twice or a value
    /// not read directly.
    #[inline]
    fn read_properties(&mut self, reader: &mut JsonReader<'a>) -> Option<()> {
        let mut hint = 0;
        let mut previous: Option<usize> = None;
        reader.object_guessing(self.literals.first().copied().flatten(), |reader, name| {
            let slot = self.slot(name, hint);
            if self.filled.get(slot) == Some(&self.stamp) {
                return None;
            }
            let value = shown_value(reader, 2).ok()?;
            *self.filled.get_mut(slot)? = self.stamp;
            *self.values.get_mut(slot)? = value;
            if let Some(previous) = previous {
                *self.successor.get_mut(previous)? = slot;
            }
            previous = Some(slot);
            hint = self.successor.get(slot).copied().unwrap_or(usize::MAX);
            Some(self.literals.get(hint).copied().flatten())
        })
    }

    /// The current feature's value of `role`'s column, when it has one.
    fn role(&self, role: ColumnRole) -> Option<Cow<'a, str>> {
        let slot = (*self.role_slots.get(role as usize)?)?;
        (self.filled.get(slot) == Some(&self.stamp)).then(|| self.values.get(slot).cloned().flatten()).flatten()
    }
}

/// Whether a property is kept among a record's other fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kept {
    /// No role reads it.
    Always,
    /// Only the id's role reads it: kept when the feature has an id of its own, which the event
    /// takes (an ACLED export's `event_id_cnty` beside each feature's `id` was lost).
    WithOwnId,
    /// Another role reads it.
    Never,
}

/// Reads `raw`, the feature at `index`, into a record, or declines.
///
/// It, and the readers of its properties and their slots, are inlined into the loop over a
/// slice's features: left to the compiler, they were inlined or not as unrelated code elsewhere
/// in the crate changed (80k ACLED features: 2.40 G instructions inlined, 2.46 G not).
#[inline]
pub(super) fn read_direct<'a>(raw: &'a str, index: usize, slots: &mut FeatureSlots<'a>) -> Option<RawRecord<'a>> {
    slots.stamp += 1;
    let mut reader = JsonReader::new(raw);
    let (mut id, mut geometry, mut when) = (None, RawGeometry::None, None);
    let mut members_seen = 0_u8;
    reader.object(|reader, member| {
        let bit = match member {
            "type" => 1,
            "bbox" => 2,
            "id" => 4,
            "geometry" => 8,
            "properties" => 16,
            "when" => 32,
            _ => return None,
        };
        if members_seen & bit != 0 {
            return None;
        }
        members_seen |= bit;
        match member {
            "id" => id = shown_value(reader, 1).ok()?,
            "geometry" => geometry = read_geometry(reader)?,
            "properties" | "when" if reader.null() => {}
            "properties" if reader.peek() == Some(b'{') => slots.read_properties(reader)?,
            "when" => when = Some(value_within(reader.value_text()?, 1)?),
            "type" | "bbox" => {
                shown_value(reader, 1).ok()?;
            }
            _ => return None,
        }
        Some(())
    })?;
    if !reader.at_end() {
        return None;
    }
    let own_id = id.is_some();
    let mut record = record_of_roles(index, id, geometry, when.as_ref(), &|role| slots.role(role));
    let stamp = slots.stamp;
    let FeatureSlots { names, kept, by_name, filled, values, spare_properties, .. } = slots;
    record.properties = std::mem::take(spare_properties);
    record.properties.reserve(by_name.len());
    for &slot in by_name.iter() {
        let keep = match kept.get(slot) {
            Some(Kept::Always) => true,
            Some(Kept::WithOwnId) => own_id,
            Some(Kept::Never) | None => false,
        };
        if keep
            && filled.get(slot) == Some(&stamp)
            && let (Some(&name), Some(Some(value))) = (names.get(slot), values.get_mut(slot).map(Option::take))
        {
            record.properties.push((Cow::Borrowed(name), value));
        }
    }
    Some(record)
}

/// The value at the cursor as the serde readers show it (see `geojson_feature::shown`): a
/// string's text (lent when it has no escapes), anything else as JSON; `None` when null, `Err`
/// when a `Value` would refuse it. `levels`: the objects enclosing it.
fn shown_value<'a>(reader: &mut JsonReader<'a>, levels: usize) -> Result<Option<Cow<'a, str>>, Refused> {
    reader.whitespace();
    let first = reader.peek().ok_or(Refused)?;
    if first == b'"' {
        let at = reader.position();
        if let Some(text) = reader.string() {
            return Ok(Some(Cow::Borrowed(text)));
        }
        // Escapes (or a control character, which serde refuses).
        reader.rewind(at);
        let text = reader.value_text().ok_or(Refused)?;
        return serde_json::from_str::<String>(text).map(|text| Some(Cow::Owned(text))).map_err(|_| Refused);
    }
    // A number in JSON's grammar (`shown` takes digits for an integer as written).
    let text = if first == b'-' || first.is_ascii_digit() { reader.number_text() } else { reader.value_text() };
    let text = text.ok_or(Refused)?;
    // Most numbers of a large file (years, counts, codes): their text, as `shown` gives it,
    // without its looks for `null`, `true` and `false` first (six numbers an ACLED feature).
    if is_integer_as_written(text) {
        return Ok(Some(Cow::Borrowed(text)));
    }
    shown(text, levels)
}

/// A value's text read as a `Value`, when a `Value` read of the whole feature would read it.
fn value_within(text: &str, levels: usize) -> Option<Value> {
    nests_within(text, levels).then(|| serde_json::from_str(text).ok()).flatten()
}

/// A feature's geometry: a Point of two numbers read directly, anything else as a `Value`.
fn read_geometry(reader: &mut JsonReader<'_>) -> Option<RawGeometry<'static>> {
    if reader.null() {
        return Some(RawGeometry::None);
    }
    let at = reader.position();
    if let Some(point) = read_point(reader) {
        return Some(RawGeometry::Point(point));
    }
    reader.rewind(at);
    Some(geometry(&value_within(reader.value_text()?, 1)?))
}

/// `{"type": "Point", "coordinates": [x, y]}`, members in either order and nothing else.
fn read_point(reader: &mut JsonReader<'_>) -> Option<[f64; 2]> {
    let (kind, coordinates) = reader.point_object()?;
    let coordinates = coordinates?;
    (kind == "Point" && coordinates.count == 2).then_some(coordinates.numbers)
}

#[cfg(test)]
mod tests;
