//! What the map needs to draw one frame, borrowed from the app.

use super::basemap::Basemap;
use crate::model::{Dataset, EventIdx, LonLat, VisibleEvents};

/// Events sharing one point, spread around it.
#[derive(Clone, Debug, PartialEq)]
pub struct Spread {
    /// The point they share.
    pub center: LonLat,
    /// The events, in date order.
    pub events: Vec<EventIdx>,
}

/// What the map needs to draw one frame.
pub struct MapView<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// The filtered events, what is "now", and their positions in date order.
    pub visible: &'a VisibleEvents,
    /// The selected event.
    pub selected: Option<EventIdx>,
    /// The hovered event.
    pub hovered: Option<EventIdx>,
    /// The embedded basemap, drawn under everything.
    pub basemap: Option<&'a Basemap>,
    /// The basemap area the dataset is about, drawn a shade lighter.
    pub focus_region: Option<&'a str>,
    /// Attribution of what is drawn, shown in the corner.
    pub attribution: &'a str,
    /// Label gazetteer places.
    pub show_place_labels: bool,
    /// Events at one point, spread around it.
    pub spread: Option<&'a Spread>,
    /// A click on the map places a new place of the gazetteer.
    pub picking_place: bool,
    /// Draw groups as a density layer instead of markers.
    pub density: bool,
}
