//! Writing files so that they are never left half-written: a named temporary file in the same
//! folder, written and synced, persisted over the target by a rename, then the folder synced so
//! the rename itself survives a crash.

use std::path::Path;

/// Writes `bytes` to `path` atomically: readers see the old content or the new, never half of it.
///
/// # Errors
/// Whatever creating, writing, syncing or renaming fails with; the target is then untouched.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |writer| writer.write_all(bytes))
}

/// As [`write_atomically`], with the content written by `write` (buffered): for large outputs
/// that should not be held in memory whole.
///
/// # Errors
/// Whatever `write`, creating, syncing or renaming fails with; the target is then untouched and
/// the temporary file removed.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let temporary = tempfile::Builder::new().prefix(".kronika-").suffix(".partial").tempfile_in(folder)?;
    let mut writer = std::io::BufWriter::new(temporary);
    write(&mut writer)?;
    let temporary = writer.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    sync_folder(folder)
}

/// Flushes a folder's entries (the rename) to disk, where the platform allows it.
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        let failed = write_atomically_with(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer", "a failed write leaves the old file");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["out.json"]);
    }
}
