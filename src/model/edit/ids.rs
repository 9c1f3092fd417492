//! Ids for new records: readable (`ev-2023-09-24-attack-on-banjska`), stable, never reused.

use super::{Draft, RecordKind};

/// Longest slug taken from a title.
const MAX_SLUG_CHARS: usize = 48;

/// Lower-case ASCII words of `text` joined by `-`: accents folded, other scripts dropped.
pub fn slug(text: &str) -> String {
    let folded = crate::model::search::fold(text);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= MAX_SLUG_CHARS {
            break;
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// An id for a new record of `kind` named `name`, unused in `draft`: `prefix-slug`, then
/// `prefix-slug-2`, `-3` … when taken.
pub fn new_id(draft: &Draft, kind: RecordKind, prefix: &str, name: &str) -> String {
    let slug = slug(name);
    let base = match (prefix.is_empty(), slug.is_empty()) {
        (_, true) => format!("{}{}", prefix, kind.word()),
        (true, false) => slug,
        (false, false) => format!("{prefix}{slug}"),
    };
    if !draft.contains(kind, &base) {
        return base;
    }
    // One more than there are records is always enough to find a free one.
    let records = draft.records(kind).len();
    (2..=records + 2).map(|n| format!("{base}-{n}")).find(|id| !draft.contains(kind, id)).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(slug("Attack on Banjska, 24 September"), "attack-on-banjska-24-september");
        assert_eq!(slug("Štrpce / Shtërpcë"), "strpce-shterpce");
        assert_eq!(slug("Бањска"), "banjska");
        assert_eq!(slug("٣ — ؟"), "");
    }

    #[test]
    fn ids_are_never_reused() {
        let mut draft = Draft::default();
        assert_eq!(new_id(&draft, RecordKind::Event, "ev-", "A b"), "ev-a-b");
        draft.events.push(json!({"id": "ev-a-b"}));
        assert_eq!(new_id(&draft, RecordKind::Event, "ev-", "A b"), "ev-a-b-2");
        assert_eq!(new_id(&draft, RecordKind::Place, "pl-", "؟"), "pl-place");
    }
}
