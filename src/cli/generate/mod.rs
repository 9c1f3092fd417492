//! Deterministic synthetic datasets for benchmarks, shaped like real conflict data: events
//! clustered in space (dozens of hot spots over one region or over Europe) and in time (bursts),
//! some dates month- or year-precise, some spans, titles of realistic length.
//!
//! - `plain`: Kronika's own properties only (title, start, end, category);
//! - `wide`: plain plus 20 mixed string and number fields;
//! - `acled`: ACLED's 31 columns with realistic values ([`rows`]), as CSV or as GeoJSON properties.

mod rows;
mod vocabulary;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use self::vocabulary::{COUNTRIES, SYLLABLES};
use crate::model::date::{date_from_day_number, day_number};
use crate::model::text::for_terminal;

/// What the generated events carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GenShape {
    /// Title, dates and category only.
    Plain,
    /// Plain plus 20 string and number fields.
    Wide,
    /// ACLED's columns and values.
    Acled,
}

/// The file written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    /// A GeoJSON FeatureCollection.
    Geojson,
    /// CSV with a header row.
    Csv,
}

/// Where the events are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GenSpread {
    /// The Balkans (lon 15–28, lat 39–47).
    Region,
    /// Europe (lon −10–40, lat 35–60).
    Continent,
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct GenSpec {
    /// How many events.
    pub events: usize,
    /// The same seed writes the same file.
    pub seed: u64,
    /// What they carry.
    pub shape: GenShape,
    /// The file's format.
    pub format: GenFormat,
    /// Where they are.
    pub spread: GenSpread,
}

/// `kronika gen`: writes the file atomically (a temporary file renamed over it), so an
/// interrupted run never leaves half a dataset.
pub fn run(spec: GenSpec, out: &Path) -> ExitCode {
    let shown = for_terminal(&out.display().to_string()).into_owned();
    match crate::io::write_atomically_with(out, |writer| write_generated(spec, writer)) {
        Ok(()) => {
            println!("wrote {} events to {shown}", spec.events);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kronika gen: cannot write {shown}: {error}");
            ExitCode::from(1)
        }
    }
}

/// Writes today's benchmark shape: `plain` GeoJSON over the Balkans.
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn write_synthetic(events: usize, seed: u64, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    let spec = GenSpec { events, seed, shape: GenShape::Plain, format: GenFormat::Geojson, spread: GenSpread::Region };
    write_generated(spec, &mut io::BufWriter::with_capacity(1 << 20, out))
}

/// Writes the dataset `spec` describes.
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn write_generated(spec: GenSpec, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    let mut rng = Rng::new(spec.seed);
    let world = World::new(&mut rng, spec.spread);
    let mut writer = rows::Writer::new(spec, out)?;
    for i in 0..spec.events {
        let event = world.sample(&mut rng);
        writer.write(i, &event, &world, &mut rng)?;
    }
    writer.finish()
}

/// A small, fast, deterministic random number generator (xorshift64*), so the same seed always
/// writes the same file on every machine.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced, xorshift needs a non-zero state).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "53 random bits fit an f64 mantissa")]
        let bits = (self.next_u64() >> 11) as f64;
        bits / (1u64 << 53) as f64
    }

    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A uniformly chosen element (`None` only for an empty slice).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(usize::try_from(self.below(items.len() as u64)).unwrap_or(0))
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(f64::MIN_POSITIVE);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// A made-up place name of two or three syllables, capitalised.
fn place_name(rng: &mut Rng) -> String {
    let count = 2 + rng.below(2);
    let name: String = (0..count).filter_map(|_| rng.pick(&SYLLABLES).copied()).collect();
    let mut chars = name.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A place where events concentrate, active in a few periods.
struct Hotspot {
    lon: f64,
    lat: f64,
    spread_deg: f64,
    weight: f64,
    bursts: [(f64, f64); 3],
    /// Index in [`COUNTRIES`].
    country: usize,
    admin1: String,
    admin2: String,
    /// Towns and villages, each with its third-level area.
    locations: Vec<(String, String)>,
}

/// The hot spots events are drawn from.
pub struct World {
    hotspots: Vec<Hotspot>,
    total_weight: f64,
    first_day: f64,
    last_day: f64,
}

/// How precisely a generated event is dated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dated {
    /// One day.
    Day,
    /// Known to the week (ACLED's time precision 2).
    Week,
    /// One month.
    Month,
    /// One year.
    Year,
    /// A span of this many days after the start.
    Span(u64),
}

/// One generated event, before it is written in a shape.
pub struct Synthetic {
    /// Position.
    pub lon: f64,
    /// Position.
    pub lat: f64,
    /// First day.
    pub start: NaiveDate,
    /// How precisely it is dated.
    pub dated: Dated,
    hotspot: usize,
    location: usize,
}

impl World {
    fn new(rng: &mut Rng, spread: GenSpread) -> Self {
        let first_day = f64::from(day_number(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default()));
        let last_day = f64::from(day_number(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default()));
        let (lon_range, lat_range, count) = match spread {
            GenSpread::Region => ((15.0, 13.0), (39.0, 8.0), 80),
            GenSpread::Continent => ((-10.0, 50.0), (35.0, 25.0), 60),
        };
        let hotspots = (0..count)
            .map(|_| {
                let mut burst = || (first_day + rng.unit() * (last_day - first_day), 5.0 + rng.unit().powi(2) * 400.0);
                let bursts = [burst(), burst(), burst()];
                let lon = lon_range.0 + rng.unit() * lon_range.1;
                let lat = lat_range.0 + rng.unit() * lat_range.1;
                let country = nearest_country(lon, lat);
                let locations = (0..3 + rng.below(6)).map(|_| (place_name(rng), place_name(rng))).collect();
                Hotspot {
                    lon,
                    lat,
                    spread_deg: 0.02 + rng.unit().powi(2) * 0.4,
                    // Heavy-tailed: a few hotspots carry most events, as in real conflict data.
                    weight: (1.0 / (rng.unit() + 0.02)).powf(1.5),
                    bursts,
                    country,
                    admin1: place_name(rng),
                    admin2: place_name(rng),
                    locations,
                }
            })
            .collect::<Vec<_>>();
        let total_weight = hotspots.iter().map(|h| h.weight).sum();
        Self { hotspots, total_weight, first_day, last_day }
    }

    fn sample(&self, rng: &mut Rng) -> Synthetic {
        let mut pick = rng.unit() * self.total_weight;
        let hotspot_index = self
            .hotspots
            .iter()
            .position(|h| {
                pick -= h.weight;
                pick <= 0.0
            })
            .unwrap_or(self.hotspots.len().saturating_sub(1));
        let Some(hotspot) = self.hotspots.get(hotspot_index) else {
            return Synthetic {
                lon: 0.0,
                lat: 0.0,
                start: NaiveDate::default(),
                dated: Dated::Day,
                hotspot: 0,
                location: 0,
            };
        };
        let lon = (hotspot.lon + rng.normal() * hotspot.spread_deg).clamp(-180.0, 180.0);
        let lat = (hotspot.lat + rng.normal() * hotspot.spread_deg * 0.75).clamp(-85.0, 85.0);
        let burst = usize::try_from(rng.below(3)).unwrap_or(0);
        let (center, sigma) = hotspot.bursts.get(burst).copied().unwrap_or((self.first_day, 1.0));
        let day = (center + rng.normal() * sigma).clamp(self.first_day, self.last_day);
        #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
        let start = date_from_day_number(day as i32);
        let dated = match rng.below(100) {
            0..=74 => Dated::Day,
            75..=79 => Dated::Week,
            80..=89 => Dated::Month,
            90..=93 => Dated::Year,
            _ => Dated::Span(1 + rng.below(90)),
        };
        let location = usize::try_from(rng.below(hotspot.locations.len() as u64)).unwrap_or(0);
        Synthetic { lon, lat, start, dated, hotspot: hotspot_index, location }
    }

    /// The country (name, ISO code), first- and second-level areas, location and its
    /// third-level area of an event.
    fn names(&self, event: &Synthetic) -> (&str, u16, &str, &str, &str, &str) {
        let Some(hotspot) = self.hotspots.get(event.hotspot) else { return ("", 0, "", "", "", "") };
        let (country, iso, _, _) = COUNTRIES.get(hotspot.country).copied().unwrap_or(("", 0, 0.0, 0.0));
        let (location, admin3) =
            hotspot.locations.get(event.location).map_or(("", ""), |(l, a)| (l.as_str(), a.as_str()));
        (country, iso, &hotspot.admin1, &hotspot.admin2, location, admin3)
    }
}

/// The index in [`COUNTRIES`] of the country whose centre is nearest.
fn nearest_country(lon: f64, lat: f64) -> usize {
    let distance = |&(_, _, x, y): &(&str, u16, f64, f64)| (x - lon).powi(2) + (y - lat).powi(2);
    (0..COUNTRIES.len())
        .min_by(|&a, &b| {
            let (da, db) = (COUNTRIES.get(a).map(distance), COUNTRIES.get(b).map(distance));
            da.partial_cmp(&db).unwrap_or(std::cmp::Ordering::Equal)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
