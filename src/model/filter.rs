//! Search and filters: which events the map, the histogram and the list show.

use std::collections::BTreeSet;

use super::event::{Category, ClaimStatus, Event};

/// What the user narrowed the events to. Persisted, so stored by on-disk keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EventFilter {
    /// Text that must appear in title, summary, actors, place or quotes (case-insensitive).
    pub text: String,
    /// Categories hidden (by key).
    pub hidden_categories: BTreeSet<String>,
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

    /// Whether `event` passes every filter.
    pub fn matches(&self, event: &Event) -> bool {
        self.matches_lowercase(event, &self.text.trim().to_lowercase())
    }

    /// As [`Self::matches`], with the search text already lowercased (for loops over many events).
    pub fn matches_lowercase(&self, event: &Event, needle_lowercase: &str) -> bool {
        !self.hidden_categories.contains(event.category.key())
            && self.source_id.as_ref().is_none_or(|s| event.citations().iter().any(|c| &c.source_id == s))
            && self.place_id.as_ref().is_none_or(|p| event.place_id() == Some(p.as_str()))
            && self.claim_status.as_deref().is_none_or(|k| ClaimStatus::from_key(k) == Some(event.claim_status))
            && event.matches_text(needle_lowercase)
    }

    /// Shows or hides a category.
    pub fn set_category_visible(&mut self, category: Category, visible: bool) {
        if visible {
            self.hidden_categories.remove(category.key());
        } else {
            self.hidden_categories.insert(category.key().to_owned());
        }
    }

    /// Whether a category is shown.
    pub fn category_visible(&self, category: Category) -> bool {
        !self.hidden_categories.contains(category.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Citation, FuzzyDate, TimeSpan};

    fn event() -> Event {
        let span = TimeSpan::new(FuzzyDate::parse("2023-09-24").unwrap(), None, false).unwrap();
        let mut event = Event::minimal("ev-1", "Attack at Banjska", span, None);
        event.category = Category::Attack;
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
        assert!(EventFilter::default().matches(&event));
        assert!(EventFilter { text: "BANJSKA".into(), ..EventFilter::default() }.matches(&event));
        assert!(!EventFilter { text: "Bajgora".into(), ..EventFilter::default() }.matches(&event));
        let mut hidden = EventFilter::default();
        hidden.set_category_visible(Category::Attack, false);
        assert!(!hidden.matches(&event));
        assert!(!EventFilter { source_id: Some("src-000".into()), ..EventFilter::default() }.matches(&event));
        assert!(EventFilter { place_id: Some("pl-banjska".into()), ..EventFilter::default() }.matches(&event));
        assert!(!EventFilter { claim_status: Some("denial".into()), ..EventFilter::default() }.matches(&event));
    }
}
