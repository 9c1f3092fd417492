//! Deterministic synthetic datasets for benchmarks: plain GeoJSON events clustered in space and
//! time like real conflict data, with some spans and some month- or year-only dates.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::{Datelike as _, NaiveDate};

use crate::model::Category;
use crate::model::date::{date_from_day_number, day_number};
use crate::model::text::for_terminal;

/// `kronika gen --events N --out FILE [--seed S]`: writes the file atomically (a temporary file
/// renamed over it), so an interrupted run never leaves half a dataset.
pub fn run(events: usize, out: &Path, seed: u64) -> ExitCode {
    match crate::io::write_atomically_with(out, |writer| write_synthetic(events, seed, writer)) {
        Ok(()) => {
            println!("wrote {events} events to {}", for_terminal(&out.display().to_string()));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kronika gen: cannot write {}: {error}", for_terminal(&out.display().to_string()));
            ExitCode::from(1)
        }
    }
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

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(f64::MIN_POSITIVE);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// A place where events concentrate, active in a few periods.
struct Hotspot {
    lon: f64,
    lat: f64,
    spread_deg: f64,
    weight: f64,
    bursts: [(f64, f64); 3],
}

/// Writes `events` synthetic events as a plain GeoJSON FeatureCollection.
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn write_synthetic(events: usize, seed: u64, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let first_day = f64::from(day_number(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default()));
    let last_day = f64::from(day_number(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default()));
    let hotspots: Vec<Hotspot> = (0..80)
        .map(|_| {
            let mut burst = || (first_day + rng.unit() * (last_day - first_day), 5.0 + rng.unit().powi(2) * 400.0);
            let bursts = [burst(), burst(), burst()];
            Hotspot {
                lon: 15.0 + rng.unit() * 13.0,
                lat: 39.0 + rng.unit() * 8.0,
                spread_deg: 0.02 + rng.unit().powi(2) * 0.4,
                // Heavy-tailed: a few hotspots carry most events, as in real conflict data.
                weight: (1.0 / (rng.unit() + 0.02)).powf(1.5),
                bursts,
            }
        })
        .collect();
    let total_weight: f64 = hotspots.iter().map(|h| h.weight).sum();
    let categories = Category::ALL;

    writeln!(out, r#"{{"type":"FeatureCollection","features":["#)?;
    for i in 0..events {
        let mut pick = rng.unit() * total_weight;
        let hotspot = hotspots
            .iter()
            .find(|h| {
                pick -= h.weight;
                pick <= 0.0
            })
            .or(hotspots.last());
        let Some(hotspot) = hotspot else { break };
        let lon = (hotspot.lon + rng.normal() * hotspot.spread_deg).clamp(-180.0, 180.0);
        let lat = (hotspot.lat + rng.normal() * hotspot.spread_deg * 0.75).clamp(-85.0, 85.0);
        #[expect(clippy::cast_possible_truncation, reason = "a small index")]
        let (center, sigma) = hotspot.bursts.get(rng.below(3) as usize).copied().unwrap_or(hotspot.bursts[0]);
        let day = (center + rng.normal() * sigma).clamp(first_day, last_day);
        #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
        let start = date_from_day_number(day as i32);
        let precision = rng.below(100);
        let (start_text, end_text) = match precision {
            0..=79 => (start.format("%Y-%m-%d").to_string(), None),
            80..=89 => (start.format("%Y-%m").to_string(), None),
            90..=93 => (start.year().to_string(), None),
            _ => {
                let length = 1 + rng.below(90);
                let end = start.checked_add_days(chrono::Days::new(length)).unwrap_or(start);
                (start.format("%Y-%m-%d").to_string(), Some(end.format("%Y-%m-%d").to_string()))
            }
        };
        #[expect(clippy::cast_possible_truncation, reason = "a small index")]
        let category = categories.get(rng.below(categories.len() as u64) as usize).copied().unwrap_or(Category::Other);
        let separator = if i + 1 == events { "" } else { "," };
        let end_field = end_text.map(|e| format!(r#","end":"{e}""#)).unwrap_or_default();
        writeln!(
            out,
            r#"{{"type":"Feature","id":"g{i}","geometry":{{"type":"Point","coordinates":[{lon:.5},{lat:.5}]}},"properties":{{"title":"{} #{i}","start":"{start_text}"{end_field},"category":"{}"}}}}{separator}"#,
            category.label(),
            category.key(),
        )?;
    }
    writeln!(out, "]}}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_file_is_deterministic_and_loads_cleanly() {
        let mut first = Vec::new();
        write_synthetic(500, 7, &mut first).unwrap();
        let mut second = Vec::new();
        write_synthetic(500, 7, &mut second).unwrap();
        assert_eq!(first, second);
        let text = String::from_utf8(first).unwrap();
        let mut problems = Vec::new();
        let events = crate::io::parse_events(
            std::path::Path::new("synthetic.geojson"),
            &text,
            crate::io::EventFileMode::Plain,
            &mut problems,
        );
        assert_eq!(problems, []);
        assert_eq!(events.len(), 500);
        assert!(events.iter().any(|e| e.span.start != e.span.end), "some spans");
        assert!(events.iter().any(|e| e.span.start.precision == crate::model::DatePrecision::Month));
        assert!(events.iter().any(|e| e.span.start.precision == crate::model::DatePrecision::Year));
    }
}
