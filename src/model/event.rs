//! Events: what happened, when and where, as one source reports it; and the closed vocabularies
//! of categories, claim status, precision and relations. Places and sources have files of their own.

pub use compact_str::CompactString;
use std::fmt;

use super::date::TimeSpan;
pub use super::geo::LonLat;
use super::shape::Shape;
use super::shared_text::SharedText;

/// Declares a closed vocabulary: a fieldless enum with its on-disk names and labels for people.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &[Self] = &[$(Self::$variant),+];

            /// The name used in the data files.
            pub fn key(self) -> &'static str {
                match self { $(Self::$variant => $key,)+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }

            /// Reads the on-disk name.
            pub fn from_key(key: &str) -> Option<Self> {
                match key { $($key => Some(Self::$variant),)+ _ => None }
            }

            /// The on-disk names, for error messages.
            pub fn keys() -> String {
                [$($key),+].join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary! {
    /// What kind of happening an event is.
    Category {
        /// Fighting between armed groups.
        ArmedClash => "armed_clash", "Armed clash";
        /// An attack or ambush.
        Attack => "attack", "Attack";
        /// Shelling or bombardment.
        Shelling => "shelling", "Shelling";
        /// People or places captured.
        Capture => "capture", "Capture";
        /// Detention of people.
        Detention => "detention", "Detention";
        /// An exchange or release of prisoners.
        PrisonerExchange => "prisoner_exchange", "Prisoner exchange";
        /// People displaced, convoys of refugees.
        Displacement => "displacement", "Displacement";
        /// Burning or destruction of property.
        Destruction => "destruction", "Destruction";
        /// A casualty report.
        Casualties => "casualties", "Casualties";
        /// A military operation over a period.
        MilitaryOperation => "military_operation", "Military operation";
        /// A statement by an official or party.
        PoliticalStatement => "political_statement", "Political statement";
        /// A request.
        Request => "request", "Request";
        /// A refusal of a request.
        Refusal => "refusal", "Refusal";
        /// Troops deployed or reinforced.
        Deployment => "deployment", "Deployment";
        /// Troops reduced or pulled back.
        TroopReduction => "troop_reduction", "Troop reduction";
        /// An award or honour.
        Award => "award", "Award";
        /// Indictments, trials, charges.
        LegalProceeding => "legal_proceeding", "Legal proceeding";
        /// A report or publication.
        Report => "report", "Report";
        /// A denial of a claim.
        Denial => "denial", "Denial";
        /// A protest.
        Protest => "protest", "Protest";
        /// Anything else.
        Other => "other", "Other";
    }
}

vocabulary! {
    /// How a source stands behind what it reports.
    ClaimStatus {
        /// Reported as having happened.
        Reported => "reported", "Reported";
        /// Asserted by a party, not established.
        Claim => "claim", "Claim";
        /// A party denies a claim.
        Denial => "denial", "Denial";
        /// Sources disagree about it.
        Disputed => "disputed", "Disputed";
    }
}

vocabulary! {
    /// How precisely an event's point locates it.
    LocationPrecision {
        /// The exact spot.
        Exact => "exact", "exact spot";
        /// Somewhere in or near the settlement.
        Settlement => "settlement", "settlement";
        /// Somewhere in the municipality.
        Municipality => "municipality", "municipality";
        /// Somewhere in a region.
        Region => "region", "region";
        /// Somewhere in the country.
        Country => "country", "country";
        /// Only roughly known.
        Approximate => "approximate", "approximate";
    }
}

vocabulary! {
    /// How an event's date was derived.
    DateBasis {
        /// Stated in the source.
        Stated => "stated", "stated in the source";
        /// Resolved from relative words ("on Sunday") and the publication date.
        Resolved => "resolved", "resolved from relative words";
        /// Inferred from context.
        Inferred => "inferred", "inferred from context";
    }
}

vocabulary! {
    /// How two events relate.
    RelationKind {
        /// Two records of one happening.
        SameIncident => "same_incident", "same incident as";
        /// The records disagree on a fact.
        Contradicts => "contradicts", "disagrees with";
        /// This record denies the other.
        Denies => "denies", "denies";
        /// This record responds to the other.
        RespondsTo => "responds_to", "responds to";
        /// Happens after and because of the other.
        Follows => "follows", "follows";
        /// Part of the other.
        PartOf => "part_of", "part of";
    }
}

impl LocationPrecision {
    /// True when the point is only a stand-in for a larger area.
    pub fn is_vague(self) -> bool {
        !matches!(self, Self::Exact | Self::Settlement)
    }
}

/// Casualties as a source states them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Casualties {
    /// People killed.
    pub killed: Option<u32>,
    /// People wounded.
    pub wounded: Option<u32>,
    /// People detained or captured.
    pub detained: Option<u32>,
    /// Free text, e.g. whose casualties these are.
    pub note: Option<String>,
}

/// A link from one event to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// How the events relate.
    pub kind: RelationKind,
    /// The other event's id.
    pub event_id: String,
    /// What the relation is about ("date: 8 January vs 12 January").
    pub note: Option<String>,
}

/// One passage of a source that supports an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// The source's id.
    pub source_id: String,
    /// The exact words of the source.
    pub quote: String,
    /// Where the quote stands in the source text, in characters `[start, end)`, once resolved.
    pub char_range: Option<(usize, usize)>,
}

/// What a curated record says beyond what, when and where. Most events of a large file from
/// another tool have none of it, so an [`Event`] keeps it in a box of its own, only when present:
/// a million plain events stay a third of the size.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventDetails {
    /// Neutral, attributed summary.
    pub summary: Option<String>,
    /// The date in the source's words ("mid-May 1998").
    pub date_label: Option<String>,
    /// The reasoning behind the date.
    pub date_note: Option<String>,
    /// How its date was found: stated, inferred, …
    pub date_basis: Option<DateBasis>,
    /// The gazetteer id of its place.
    pub place_id: Option<String>,
    /// The place's name as a file from another tool gives it (no gazetteer entry).
    pub place_name: Option<String>,
    /// Gazetteer ids of further places the event concerns, beyond `place_id`.
    pub further_places: Vec<String>,
    /// Who acted.
    pub actors: Vec<String>,
    /// Casualties as stated.
    pub casualties: Option<Casualties>,
    /// Links to other events.
    pub relations: Vec<Relation>,
    /// The passages that support it.
    pub citations: Vec<Citation>,
    /// Lines, areas and further places, beyond the representative point.
    pub shape: Option<Box<Shape>>,
}

impl EventDetails {
    const NONE: Self = Self {
        summary: None,
        date_label: None,
        date_note: None,
        date_basis: None,
        place_id: None,
        place_name: None,
        further_places: Vec::new(),
        actors: Vec::new(),
        casualties: None,
        relations: Vec::new(),
        citations: Vec::new(),
        shape: None,
    };

    /// True when it says nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::NONE
    }
}

/// The details of events that have none.
static NO_DETAILS: EventDetails = EventDetails::NONE;

/// The index of an event's category in its dataset's categories (see `model::category`); 0 is
/// "no category given".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryId(pub u16);

/// Something that happened, as one source reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Stable id from the data. Ids are mostly short: kept inline up to 24 bytes, a million
    /// events need a million fewer allocations.
    pub id: CompactString,
    /// Short neutral title: inline up to 24 bytes, else (as a large file's loader reads them) a
    /// range of a text shared with thousands of others.
    pub title: SharedText,
    /// When it may have happened.
    pub span: TimeSpan,
    /// Where it happened; `None` for events with no place.
    pub lon_lat: Option<LonLat>,
    /// How precise the point is.
    pub location_precision: LocationPrecision,
    /// What kind of event it is.
    pub category: CategoryId,
    /// How the source stands behind it.
    pub claim_status: ClaimStatus,
    /// Everything else; `None` when there is nothing else. See [`Event::details`].
    details: Option<Box<EventDetails>>,
}

impl Event {
    /// Summary, citations, relations and the rest; empty for most events of plain files.
    pub fn details(&self) -> &EventDetails {
        self.details.as_deref().unwrap_or(&NO_DETAILS)
    }

    /// The details, to change them.
    pub fn details_mut(&mut self) -> &mut EventDetails {
        self.details.get_or_insert_default()
    }

    /// The event with these details, boxed only when they say something.
    #[must_use]
    pub fn with_details(mut self, details: EventDetails) -> Self {
        self.details = (!details.is_empty()).then(|| Box::new(details));
        self
    }

    /// The passages that support it.
    pub fn citations(&self) -> &[Citation] {
        &self.details().citations
    }

    /// The gazetteer id of its place.
    pub fn place_id(&self) -> Option<&str> {
        self.details().place_id.as_deref()
    }

    /// Links to other events.
    pub fn relations(&self) -> &[Relation] {
        &self.details().relations
    }

    /// The date as people read it: the source's words when they name a year ("mid-May 1998"),
    /// else the span in words, after the source's words when they are relative ("during the
    /// offensive (July 1998 – January 1999)"); "(approximate)" when the bounds are approximate.
    pub fn date_in_words(&self) -> String {
        let span = self.span.in_words();
        let words = match self.details().date_label.as_deref().map(|l| super::text::clip(l, MAX_DATE_LABEL_CHARS)) {
            Some(label) if names_a_year(&label) => label.into_owned(),
            Some(label) => format!("{label} ({span})"),
            None => span,
        };
        if self.span.approximate { format!("{words} (approximate)") } else { words }
    }

    /// Whether its date or place is uncertain enough to be drawn softer.
    pub fn is_uncertain(&self) -> bool {
        !self.span.is_exact_day()
            || self.location_precision.is_vague()
            || self.location_precision == LocationPrecision::Approximate
    }

    /// Whether it is contested: a claim, a denial, disputed, or disagreeing with another record.
    pub fn is_contested(&self) -> bool {
        self.claim_status != ClaimStatus::Reported
            || self.relations().iter().any(|r| r.kind == RelationKind::Contradicts)
    }

    /// An event built from the fields every event has; the rest left empty. Used by generators and tests.
    pub fn minimal(
        id: impl Into<CompactString>,
        title: impl Into<SharedText>,
        span: TimeSpan,
        lon_lat: Option<LonLat>,
    ) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            span,
            lon_lat,
            location_precision: LocationPrecision::Settlement,
            category: CategoryId(0),
            claim_status: ClaimStatus::Reported,
            details: None,
        }
    }
}

/// Longest date label shown: the source's words for a date are a few words.
const MAX_DATE_LABEL_CHARS: usize = 200;

/// Whether some words name a year (four digits in a row), so they read as a date on their own.
fn names_a_year(words: &str) -> bool {
    words.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit))
}

vocabulary! {
    /// What a gazetteer entry is.
    PlaceKind {
        /// A village, town or city.
        Settlement => "settlement", "settlement";
        /// A region.
        Region => "region", "region";
        /// A military or administrative zone.
        Zone => "zone", "zone";
        /// A border or line.
        Line => "line", "border / line";
        /// A building or site.
        Building => "building", "building / site";
        /// A country.
        Country => "country", "country";
    }
}

vocabulary! {
    /// What kind of document a source is.
    SourceKind {
        /// A news item.
        News => "news", "news";
        /// An encyclopedia article.
        Encyclopedia => "encyclopedia", "encyclopedia";
        /// A blog post or opinion piece.
        Blog => "blog", "blog / opinion";
        /// An official statement.
        Official => "official", "official statement";
        /// Anything else.
        Other => "other", "other";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million events are loaded, copied and indexed: what every event carries stays small,
    /// and the rest goes to `EventDetails`.
    #[test]
    fn an_event_without_details_stays_small() {
        assert!(std::mem::size_of::<Event>() <= 104, "{} bytes", std::mem::size_of::<Event>());
        let span = TimeSpan::new(crate::model::FuzzyDate::parse("2023-09-24").unwrap(), None, false).unwrap();
        let event = Event::minimal("a-fairly-long-id-00001", "A title of twenty-four!", span, None);
        assert!(event.details.is_none() && event.id.len() <= 24 && !event.id.is_heap_allocated());
        assert!(Event::minimal("x", "y", span, None).with_details(EventDetails::default()).details.is_none());
    }
}
