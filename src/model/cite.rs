//! Citing a passage: the quote, its source and where to find it, in plain text and in the
//! notes style of the Chicago Manual of Style, with the Kronika record it supports.

use super::event::DateBasis;
use super::source::Source;

/// What a citation names.
#[derive(Clone, Copy, Debug)]
pub struct Passage<'a> {
    /// The quoted words, exactly as in the source.
    pub quote: &'a str,
    /// The source.
    pub source: &'a Source,
    /// The Kronika event the passage supports, and the dataset's name.
    pub event_id: Option<&'a str>,
    /// The dataset's name.
    pub dataset: &'a str,
}

/// The publication date in words, marked when inferred.
fn published(source: &Source) -> Option<String> {
    let span = source.published.span?;
    let words = span.in_words();
    Some(if source.published.basis == Some(DateBasis::Inferred) { format!("{words} (date inferred)") } else { words })
}

/// "“quote” — Title, Outlet, Author, 24 September 2023. https://… Kronika event ev-…, Dataset."
pub fn plain(passage: &Passage<'_>) -> String {
    let source = passage.source;
    let mut parts = vec![source.title.clone()];
    parts.extend(source.outlet.clone());
    parts.extend(source.author.clone());
    parts.extend(published(source));
    let mut text = format!("“{}” — {}.", passage.quote, parts.join(", "));
    if let Some(url) = &source.url {
        text.push(' ');
        text.push_str(url);
    }
    if let Some(id) = passage.event_id {
        text.push_str(&format!(" Kronika event {id}, {}.", passage.dataset));
    }
    text
}

/// A Chicago-style note: `Author, “Title,” Outlet, 24 September 2023, URL: “quote.”`
pub fn chicago(passage: &Passage<'_>) -> String {
    let source = passage.source;
    let mut head = Vec::new();
    head.extend(source.author.clone());
    head.push(format!("“{},”", source.title.trim_end_matches(['.', ','])));
    let mut note = head.join(", ");
    let mut rest = Vec::new();
    rest.extend(source.outlet.clone());
    rest.extend(published(source));
    rest.extend(source.url.clone());
    if !rest.is_empty() {
        note.push(' ');
        note.push_str(&rest.join(", "));
    }
    note.push_str(&format!(": “{}.”", passage.quote.trim_end_matches(['.', ','])));
    if let Some(id) = passage.event_id {
        note.push_str(&format!(" Cited in Kronika, {}, event {id}.", passage.dataset));
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FuzzyDate, Publication, SourceKind, TimeSpan};

    fn source() -> Source {
        Source {
            id: "src-004".into(),
            title: "Kosovo: Serbian troops withdraw".into(),
            outlet: Some("Euronews".into()),
            author: None,
            kind: SourceKind::News,
            language: Some("en".into()),
            published: Publication {
                span: Some(TimeSpan::new(FuzzyDate::parse("2023-10-02").unwrap(), None, false).unwrap()),
                basis: Some(DateBasis::Stated),
                note: None,
            },
            url: Some("https://example.org/a".into()),
            path: "sources/004.txt".into(),
            sha256: None,
            text: None,
            char_index: crate::model::text::CharIndex::default(),
        }
    }

    #[test]
    fn citations_name_the_quote_the_source_and_the_record() {
        let source = source();
        let passage = Passage { quote: "troops withdrew", source: &source, event_id: Some("ev-1"), dataset: "Kosovo" };
        assert_eq!(
            plain(&passage),
            "“troops withdrew” — Kosovo: Serbian troops withdraw, Euronews, 2 October 2023. https://example.org/a Kronika event ev-1, Kosovo."
        );
        assert_eq!(
            chicago(&passage),
            "“Kosovo: Serbian troops withdraw,” Euronews, 2 October 2023, https://example.org/a: “troops withdrew.” Cited in Kronika, Kosovo, event ev-1."
        );
    }
}
