//! What every UI test shares: one harness factory (size, theme, a fixed "today", no network, no
//! settings file) and one loader of the shipped dataset.

// Each test binary uses part of this module.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod clickhouse;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use kronika::app::{KronikaApp, ViewState};
use kronika::io::{LoadReport, load};

/// A path in a temporary folder that is removed when this is dropped; it derefs to the path.
pub struct TempPath {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl TempPath {
    /// The new temporary folder itself.
    pub fn folder() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        Self { _dir: dir, path }
    }

    /// `name` in a new temporary folder (nothing written yet).
    pub fn named(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        Self { _dir: dir, path }
    }
}

impl AsRef<Path> for TempPath {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl std::ops::Deref for TempPath {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

/// The "today" every test app starts on.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
}

/// A first start's view on [`today`].
pub fn view() -> ViewState {
    ViewState::at(today())
}

/// The shipped dataset directory.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The shipped dataset, loaded as `cargo run` loads it (relative path, so the status line reads
/// "data"), with no problems.
pub fn shipped_report() -> LoadReport {
    let relative = Path::new("data");
    let report = if relative.join("events.geojson").exists() { load(relative) } else { load(&data_dir()) };
    assert_eq!(report.error_count(), 0, "{:?}", report.problems);
    report
}

/// The app on the shipped dataset, in `view`.
pub fn shipped_app(view: ViewState) -> KronikaApp {
    KronikaApp::from_report(shipped_report(), view)
}

/// How a harness draws.
#[derive(Clone, Copy, Debug)]
pub struct HarnessOptions {
    /// Window size in points.
    pub size: [f32; 2],
    /// Light or dark.
    pub theme: egui::Theme,
    /// Render with wgpu, for image snapshots.
    pub wgpu: bool,
}

impl Default for HarnessOptions {
    fn default() -> Self {
        Self { size: [1400.0, 880.0], theme: egui::Theme::Light, wgpu: false }
    }
}

/// Every harness is built here, and run until it settles.
pub fn harness_with(app: KronikaApp, options: HarnessOptions) -> Harness<'static, KronikaApp> {
    let mut builder = Harness::builder().with_size(options.size).with_theme(options.theme).with_max_steps(400);
    if options.wgpu {
        builder = builder.wgpu();
    }
    let mut harness = builder.build_ui_state(|ui, app: &mut KronikaApp| app.frame_ui(ui), app);
    // As the app does on start: fonts for every character the data may hold.
    harness.ctx.set_fonts(kronika::ui::style::fonts());
    harness.run();
    harness
}

/// The shipped dataset at the default size and theme.
pub fn harness() -> Harness<'static, KronikaApp> {
    harness_with(shipped_app(view()), HarnessOptions::default())
}
