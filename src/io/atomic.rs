//! Writing files so that they are never left half-written.

use std::path::{Path, PathBuf};

/// A per-user directory: `$<xdg_variable>` when set, else `~/<home_fallback>`
/// (`XDG_CACHE_HOME` / `.cache`, `XDG_CONFIG_HOME` / `.config`).
pub fn user_dir(xdg_variable: &str, home_fallback: &str) -> Option<PathBuf> {
    std::env::var_os(xdg_variable)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(home_fallback)))
}

/// Writes a file so that readers see the old content or the new, never half of it: a temporary
/// file beside it, flushed to disk, then renamed over it.
///
/// # Errors
/// Whatever creating, writing, syncing or renaming fails with.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, path).inspect_err(|_| {
        std::fs::remove_file(&temporary).ok();
    })
}
