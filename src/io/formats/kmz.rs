//! KMZ archives: the KML document inside a zip archive (`doc.kml`, else the first `.kml` entry),
//! read within limits a forged archive cannot talk its way past. The size an entry declares is
//! never trusted (zip bombs): the decompressed stream itself is cut one byte past the limit. The
//! paths of entries only pick the document; nothing is ever written.

use std::io::{Cursor, Read as _};

use crate::io::problem::ProblemKind;
use crate::io::text::text_from_bytes;

/// Largest KML document read from a KMZ archive, decompressed.
pub(super) const MAX_KML_BYTES: u64 = 256 * 1024 * 1024;
/// Most entries a KMZ archive may have.
pub(super) const MAX_ENTRIES: usize = 10_000;

/// Longest entry name quoted in a problem.
const MAX_QUOTED_CHARS: usize = 120;

/// The KML document of a KMZ archive, as text.
///
/// # Errors
/// Not a zip archive, too many entries, no `.kml` entry, an entry too large, unreadable
/// (encrypted, an unsupported compression, corrupt) or not UTF-8.
pub(super) fn kml_in_kmz(bytes: &[u8]) -> Result<String, ProblemKind> {
    kml_in_kmz_within(bytes, MAX_KML_BYTES)
}

/// As [`kml_in_kmz`], with the largest document `limit_bytes`.
fn kml_in_kmz_within(bytes: &[u8], limit_bytes: u64) -> Result<String, ProblemKind> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| ProblemKind::WrongShape(format!("the file is not a KMZ (zip) archive ({error})")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ProblemKind::WrongShape(format!(
            "the KMZ archive has {} entries, more than the {MAX_ENTRIES} Kronika reads; it was not read",
            archive.len()
        )));
    }
    let Some((index, name)) = kml_entry(&archive) else {
        return Err(ProblemKind::WrongShape("the KMZ archive holds no .kml document".into()));
    };
    let name = crate::model::text::clip(&name, MAX_QUOTED_CHARS).into_owned();
    let unreadable = |error: &dyn std::fmt::Display| {
        ProblemKind::Unreadable(format!("the document `{name}` in the KMZ archive cannot be read: {error}"))
    };
    let too_large = |what: String| {
        ProblemKind::WrongShape(format!(
            "the document `{name}` in the KMZ archive {what}, more than the {limit_bytes} bytes Kronika reads; \
             it was not read"
        ))
    };
    let entry = archive.by_index(index).map_err(|error| unreadable(&error))?;
    if entry.size() > limit_bytes {
        return Err(too_large(format!("is {} bytes", entry.size())));
    }
    // The declared size only sizes the first allocation, within the limit.
    let mut kml = Vec::with_capacity(usize::try_from(entry.size().min(limit_bytes)).unwrap_or(0));
    entry.take(limit_bytes.saturating_add(1)).read_to_end(&mut kml).map_err(|error| unreadable(&error))?;
    if u64::try_from(kml.len()).unwrap_or(u64::MAX) > limit_bytes {
        return Err(too_large("decompresses to more bytes than it declares".into()));
    }
    text_from_bytes(kml)
}

/// The entry holding the document and its name: `doc.kml` at the root, else the first entry
/// (in archive order) whose name ends in `.kml`, at any depth.
fn kml_entry<R: std::io::Read + std::io::Seek>(archive: &zip::ZipArchive<R>) -> Option<(usize, String)> {
    let names: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|index| Some((index, archive.name_for_index(index)?.ok()?.into_owned())))
        .filter(|(_, name)| !name.ends_with('/'))
        .collect();
    let is_kml =
        |name: &str| name.len() > 4 && name.get(name.len() - 4..).is_some_and(|end| end.eq_ignore_ascii_case(".kml"));
    names
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| names.iter().find(|(_, name)| is_kml(name)))
        .cloned()
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// A zip archive of `entries` (name, content), deflated.
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn doc_kml_first_else_the_first_kml_at_any_depth() {
        let zip =
            zip_of(&[("files/a.png", b"png"), ("other.kml", b"<kml>other</kml>"), ("doc.kml", b"<kml>doc</kml>")]);
        assert_eq!(kml_in_kmz(&zip).unwrap(), "<kml>doc</kml>");
        let zip = zip_of(&[
            ("files/", b""),
            ("files/a.png", b"png"),
            ("deep/er/Main.KML", b"<kml>main</kml>"),
            ("b.kml", b"x"),
        ]);
        assert_eq!(kml_in_kmz(&zip).unwrap(), "<kml>main</kml>");
    }

    #[test]
    fn not_a_zip_and_no_kml_are_refused() {
        let kind = kml_in_kmz(b"<kml></kml>").unwrap_err();
        assert!(kind.to_string().contains("the file is not a KMZ (zip) archive"), "{kind}");
        let kind = kml_in_kmz(&zip_of(&[("a.png", b"png"), (".kml", b"x")])).unwrap_err();
        assert!(kind.to_string().contains("no .kml document"), "{kind}");
        let kind = kml_in_kmz(&zip_of(&[("doc.kml", b"\xFF\xFE<\x00")])).unwrap_err();
        assert!(kind.to_string().contains("UTF-16"), "{kind}");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("f{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let kind = kml_in_kmz(&zip_of(&entries)).unwrap_err();
        assert!(kind.to_string().contains("10001 entries"), "{kind}");
    }

    #[test]
    fn large_documents_are_refused_whatever_they_declare() {
        let kml = vec![b' '; 1000];
        let zip = zip_of(&[("doc.kml", &kml)]);
        assert_eq!(kml_in_kmz_within(&zip, 1000).unwrap().len(), 1000);
        let kind = kml_in_kmz_within(&zip, 999).unwrap_err();
        assert!(kind.to_string().contains("is 1000 bytes"), "{kind}");
        // A forged archive that declares 10 bytes, in both of its headers, for the 1000 it holds.
        let mut forged = zip.clone();
        for (signature, size_at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let at = forged.windows(4).position(|w| w == signature).unwrap() + size_at;
            forged[at..at + 4].copy_from_slice(&10_u32.to_le_bytes());
        }
        // The zip crate notices the lie itself; the cut one byte past the limit is the second guard.
        let kind = kml_in_kmz_within(&forged, 100).unwrap_err();
        assert!(kind.to_string().contains("declare"), "{kind}");
    }
}
