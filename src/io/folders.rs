//! Where Kronika keeps its own files on this computer, as each platform expects: on Linux
//! `$XDG_CONFIG_HOME/kronika` and `$XDG_CACHE_HOME/kronika` (an empty or relative variable is
//! ignored, as the XDG spec says, for `~/.config` and `~/.cache`), on macOS
//! `~/Library/Application Support/Kronika` and `~/Library/Caches/Kronika`, on Windows the roaming
//! and local AppData folders. `None` when the platform gives no home folder at all.

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "Kronika")
}

/// The folder where unsaved edits are kept against a crash.
pub fn recovery_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join("recovery"))
}

/// The folder for settings (`view.json`).
pub fn config_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().to_path_buf())
}

/// The folder for caches (downloaded map tiles).
pub fn cache_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.cache_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn folders_are_absolute_and_named_for_kronika() {
        for dir in [super::config_dir(), super::cache_dir()].into_iter().flatten() {
            assert!(dir.is_absolute(), "{}", dir.display());
            assert!(dir.ends_with("kronika"), "{}", dir.display());
        }
    }
}
