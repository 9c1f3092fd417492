//! Search and filters: which events the map, the histogram and the list show.

use std::collections::BTreeSet;

use super::dataset::Dataset;
use super::event::{ClaimStatus, Event};
use super::index::EventIdx;
use super::search::Query;

/// What the user narrowed the events to. Persisted, so stored by on-disk keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EventFilter {
    /// Text that must appear in title, summary, actors, place or quotes (case-insensitive).
    pub text: String,
    /// Categories hidden (by key).
    pub hidden_categories: BTreeSet<String>,
    /// Legend entries hidden while the events are coloured by a field (by slot).
    pub hidden_slots: BTreeSet<u8>,
    /// Only events citing this source id.
    pub source_id: Option<String>,
    /// Only events at this place id.
    pub place_id: Option<String>,
    /// Only events with this claim status (key).
    pub claim_status: Option<String>,
}

impl EventFilter {
    /// True when nothing is filtered out.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The search the text asks for.
    pub fn query(&self) -> Query {
        Query::new(&self.text)
    }

    /// Whether `event` (of `dataset`) passes every filter; `query` is [`Self::query`], made once
    /// for loops over many events.
    pub fn matches(&self, idx: EventIdx, event: &Event, query: &Query, dataset: &Dataset) -> bool {
        !self.hidden_categories.contains(dataset.categories.key(event.category))
            && (self.hidden_slots.is_empty()
                || dataset.colouring.is_none()
                || !self.hidden_slots.contains(&dataset.colour_slot(idx, event)))
            && self.source_id.as_ref().is_none_or(|s| event.citations().iter().any(|c| &c.source_id == s))
            && self.place_id.as_ref().is_none_or(|p| event.place_id() == Some(p.as_str()))
            && self.claim_status.as_deref().is_none_or(|k| ClaimStatus::from_key(k) == Some(event.claim_status))
            && query.matches(idx, event, dataset)
    }

    /// Shows or hides a category, by its key as the data writes it.
    pub fn set_category_visible(&mut self, key: &str, visible: bool) {
        if visible {
            self.hidden_categories.remove(key);
        } else {
            self.hidden_categories.insert(key.to_owned());
        }
    }

    /// Whether a category (by key) is shown.
    pub fn category_visible(&self, key: &str) -> bool {
        !self.hidden_categories.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Citation, FuzzyDate, TimeSpan};

    fn event() -> Event {
        let span = TimeSpan::new(FuzzyDate::parse("2023-09-24").unwrap(), None, false).unwrap();
        let mut event = Event::minimal("ev-1", "Attack at Banjska", span, None);
        event.category = crate::model::CategoryId(1);
        event.details_mut().place_id = Some("pl-banjska".into());
        event.details_mut().citations.push(Citation {
            source_id: "src-004".into(),
            quote: "near the village of Banjska".into(),
            char_range: None,
        });
        event
    }

    #[test]
    fn each_filter_narrows() {
        let event = event();
        let mut dataset = Dataset::new("test".into(), vec![event.clone()], Vec::new(), Vec::new());
        dataset.set_categories(["attack"]);
        let matches = |filter: EventFilter| filter.matches(0, &event, &filter.query(), &dataset);
        assert!(matches(EventFilter::default()));
        assert!(matches(EventFilter { text: "BANJSKA".into(), ..EventFilter::default() }));
        assert!(matches(EventFilter { text: "banjska attack".into(), ..EventFilter::default() }));
        assert!(!matches(EventFilter { text: "Bajgora".into(), ..EventFilter::default() }));
        let mut hidden = EventFilter::default();
        hidden.set_category_visible("attack", false);
        assert!(!matches(hidden));
        assert!(!matches(EventFilter { source_id: Some("src-000".into()), ..EventFilter::default() }));
        assert!(matches(EventFilter { place_id: Some("pl-banjska".into()), ..EventFilter::default() }));
        assert!(!matches(EventFilter { claim_status: Some("denial".into()), ..EventFilter::default() }));
    }
}
