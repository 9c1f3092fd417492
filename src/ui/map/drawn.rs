//! What a frame of the map drew: its markers, kept for clicks, hovering, fitting and tests.

use egui::Pos2;

use crate::model::EventIdx;

/// Groups larger than this keep only their first events per frame; the rest are found on click.
pub const MAX_LISTED_PER_MARKER: usize = 64;

/// A marker drawn last frame: where, and which events it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnMarker {
    /// Centre on screen.
    pub center: Pos2,
    /// Radius on screen.
    pub radius: f32,
    /// How many events it stands for.
    pub count: usize,
    /// The first of them (all of them up to [`MAX_LISTED_PER_MARKER`]), in date order.
    pub events: Vec<EventIdx>,
    /// The cells it groups (fixed to the world at this zoom), to find all its events on click:
    /// one, or several when groups that would have overlapped were drawn as one.
    pub cells: Vec<(i32, i32)>,
    /// The scale of those cells, as cells per fixed-point step: the frame's, or while a large
    /// regroup runs off the frame, the scale the groups shown were made at.
    pub cells_per_step: u64,
    /// The legend entry (colour) most frequent among its events.
    pub slot: u8,
    /// Every one of its events is uncertain in date or place.
    pub all_uncertain: bool,
    /// At least one of its events is contested.
    pub any_contested: bool,
    /// When it stands for one incident told by several accounts: the incident's index.
    pub incident: Option<usize>,
    /// Accounts of incidents already counted here (by another account) that joined it.
    pub merged_accounts: usize,
}
