//! Incidents: the records (accounts) that may describe one happening, grouped without merging
//! them. Each account keeps its source, date, place, numbers and wording; the incident says how
//! sure the grouping is and why. Counts and totals count incidents, not accounts.

use super::index::EventIdx;

/// How sure it is that the accounts describe one happening.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// The sources name the same happening (same people, place and outcome), whatever else differs.
    Certain,
    /// Most details match; a difference (a date, a number) keeps it from being certain.
    Probable,
    /// They could be one happening (same day and area, compatible details), and a reader should
    /// weigh them together, but nothing in the texts establishes it.
    Possible,
}

impl Confidence {
    /// Every level, surest first.
    pub const ALL: [Self; 3] = [Self::Certain, Self::Probable, Self::Possible];

    /// The key in `incidents.json`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Certain => "certain",
            Self::Probable => "probable",
            Self::Possible => "possible",
        }
    }

    /// The level a key names.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Records that may describe one happening.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    /// Its id in `incidents.json`.
    pub id: String,
    /// A neutral name for the happening.
    pub title: String,
    /// The accounts, in the order the file lists them (at least two).
    pub accounts: Vec<EventIdx>,
    /// How sure the grouping is.
    pub confidence: Confidence,
    /// Why the accounts are grouped, in a sentence.
    pub reason: String,
}
