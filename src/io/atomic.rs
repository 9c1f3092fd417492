//! Writing files so that they are never left half-written.

use std::path::Path;

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
