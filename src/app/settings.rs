//! View settings kept between runs: read once at start, written when they change. A file that
//! cannot be read is reported and moved aside, never overwritten with less.

use std::path::{Path, PathBuf};

use super::state::ViewState;

/// How often changed view settings are written.
pub const SAVE_INTERVAL_SECS: f64 = 5.0;

/// Saved settings that could not be read or written: reported, set aside, never silently overwritten.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsProblem {
    /// What was wrong with them.
    pub error: String,
    /// Where the unreadable file was moved, if it was.
    pub set_aside: Option<PathBuf>,
    /// Whether new settings may be written (not when the old file could neither be read nor moved).
    pub may_save: bool,
}

impl SettingsProblem {
    /// The problem in words, for the status line.
    pub fn describe(&self) -> String {
        match &self.set_aside {
            Some(path) => format!("{}\nThe unreadable file was kept as {}.", self.error, path.display()),
            None => self.error.clone(),
        }
    }
}

/// Where the settings live and what was last written.
#[derive(Debug, Default)]
pub struct Settings {
    /// Where view settings are saved (none: not kept, as in tests).
    pub path: Option<PathBuf>,
    /// What went wrong reading or writing them.
    pub problem: Option<SettingsProblem>,
    /// The view as last saved (or loaded).
    pub last_saved: Option<ViewState>,
    /// When they were last saved, in the app's seconds.
    pub last_save_secs: f64,
}

impl Settings {
    /// Writes `view` (atomically) if it changed since the last save. A failure is kept as the
    /// settings problem and not retried until the view changes again.
    pub fn save(&mut self, view: &ViewState) {
        let Some(path) = &self.path else { return };
        let blocked = self.problem.as_ref().is_some_and(|p| !p.may_save);
        if blocked || self.last_saved.as_ref() == Some(view) {
            return;
        }
        let written = serde_json::to_string_pretty(view)
            .map_err(|e| e.to_string())
            .and_then(|text| crate::io::write_atomically(path, text.as_bytes()).map_err(|e| e.to_string()));
        if let Err(error) = written {
            let error = format!("cannot save settings to {}: {error}", path.display());
            self.problem = Some(SettingsProblem { error, set_aside: None, may_save: true });
        }
        self.last_saved = Some(view.clone());
    }
}

/// Where Kronika keeps its view settings: `view.json` in the platform's config folder.
pub fn default_settings_path() -> Option<PathBuf> {
    Some(crate::io::config_dir()?.join("view.json"))
}

/// Reads saved view settings (JSON).
///
/// # Errors
/// What is wrong with the text, when it is not a valid view state.
pub fn restore_view(text: &str) -> Result<ViewState, String> {
    serde_json::from_str(text).map_err(|error| error.to_string())
}

/// Largest settings file read: a view is a few hundred bytes.
const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// Loads the view settings at `path`, or `first_start` when there are none. Only a regular file is
/// read; a byte order mark is dropped; values out of range are corrected and reported. A file that
/// cannot be read is moved aside (`view.json.unreadable-<seconds>`) and reported, and
/// `first_start` is used.
pub fn load_view_settings(path: &Path, first_start: ViewState) -> (ViewState, Option<SettingsProblem>) {
    if std::fs::symlink_metadata(path).is_err() {
        return (first_start, None);
    }
    let read = crate::io::open_regular(path)
        .and_then(|file| file.read_all(MAX_SETTINGS_BYTES, &mut crate::io::ReadBudget::of(MAX_SETTINGS_BYTES)))
        .and_then(crate::io::text_from_bytes);
    let text = match read {
        Ok(text) => text,
        Err(kind @ (crate::io::ProblemKind::NotRegularFile(_) | crate::io::ProblemKind::Unreadable(_))) => {
            // Not a file Kronika can replace safely (or read at all): leave it be, save nothing.
            let error = format!("cannot read {}: {kind}", path.display());
            return (first_start, Some(SettingsProblem { error, set_aside: None, may_save: false }));
        }
        Err(kind) => return set_aside(path, first_start, kind.to_string()),
    };
    match restore_view(&text) {
        Ok(view) => {
            let (view, corrected) = view.sanitized();
            let problem = (!corrected.is_empty()).then(|| SettingsProblem {
                error: format!("settings out of range were corrected: {}", corrected.join(", ")),
                set_aside: None,
                may_save: true,
            });
            (view, problem)
        }
        Err(error) => set_aside(path, first_start, error),
    }
}

/// Moves an unreadable settings file aside, so it is kept and never overwritten.
fn set_aside(path: &Path, first_start: ViewState, error: String) -> (ViewState, Option<SettingsProblem>) {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let aside = path.with_extension(format!("json.unreadable-{seconds}"));
    let set_aside = std::fs::rename(path, &aside).ok().map(|()| aside);
    let may_save = set_aside.is_some();
    (first_start, Some(SettingsProblem { error, set_aside, may_save }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_corrupt_ones_are_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("view.json");
        assert_eq!(load_view_settings(&path, ViewState::default()), (ViewState::default(), None), "missing file");
        let view = ViewState { dark_mode: true, ..ViewState::default() };
        let mut settings = Settings { path: Some(path.clone()), ..Settings::default() };
        settings.save(&view);
        assert_eq!(load_view_settings(&path, ViewState::default()).0, view);
        // Older settings missing new fields still load, with defaults for the rest.
        assert!(restore_view(r#"{"dark_mode": true}"#).unwrap().dark_mode);
        std::fs::write(&path, "{ not json").unwrap();
        let (loaded, problem) = load_view_settings(&path, ViewState::default());
        assert_eq!(loaded, ViewState::default());
        let problem = problem.unwrap();
        let aside = problem.set_aside.unwrap();
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json", "the user's file is kept");
        assert!(problem.may_save);
        assert!(!path.exists());
    }

    #[test]
    fn absurd_settings_are_corrected_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("view.json");
        std::fs::write(
            &path,
            "\u{feff}{\"timeline\":{\"view_length_days\":1e15,\"cursor_day\":-1e300},\"map_zoom\":400,\"dark_mode\":true}",
        )
        .unwrap();
        let (view, problem) = load_view_settings(&path, ViewState::default());
        assert!(view.dark_mode, "the byte order mark does not reset the settings");
        assert!(view.timeline.view_length_days <= crate::ui::timeline::state::MAX_VIEW_DAYS);
        assert!((view.map_zoom - 20.0).abs() < f64::EPSILON);
        let problem = problem.unwrap();
        assert!(problem.error.contains("timeline length") && problem.error.contains("map zoom"), "{problem:?}");
        assert!(path.exists(), "a corrected file is not moved aside");
    }

    #[test]
    #[cfg(unix)]
    fn a_fifo_is_not_read_and_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("view.json");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // No mkfifo here: nothing to test.
        }
        let (view, problem) = load_view_settings(&path, ViewState::default());
        assert_eq!(view, ViewState::default());
        let problem = problem.unwrap();
        assert!(problem.error.contains("FIFO") && !problem.may_save, "{problem:?}");
    }
}
