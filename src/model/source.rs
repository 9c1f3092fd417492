//! Source documents: what reports the events, with the verbatim text every quote is checked against.

use super::date::TimeSpan;
use super::event::{DateBasis, SourceKind};
use super::text::CharIndex;

/// When a source was published, as far as it is known.
#[derive(Clone, Debug, PartialEq)]
pub struct Publication {
    /// The publication date or its bounds; `None` when nothing bounds it.
    pub span: Option<TimeSpan>,
    /// How it is known.
    pub basis: Option<DateBasis>,
    /// The reasoning.
    pub note: Option<String>,
}

/// A source document.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Outlet or publisher.
    pub outlet: Option<String>,
    /// Author, when known.
    pub author: Option<String>,
    /// Kind of document.
    pub kind: SourceKind,
    /// Language code.
    pub language: Option<String>,
    /// Publication date.
    pub published: Publication,
    /// Where the original can be read (shown as a link when it is http or https).
    pub url: Option<String>,
    /// Path of its verbatim text, relative to the dataset directory.
    pub path: String,
    /// Hex sha256 of the text's bytes.
    pub sha256: Option<String>,
    /// The verbatim text, once loaded.
    pub text: Option<String>,
    /// Character ↔ byte positions of the text, made once when it is loaded.
    pub char_index: CharIndex,
}

impl Source {
    /// A data file opened with others, listed as the source of its events (it has no text to read).
    pub fn file(name: &str, path: &std::path::Path) -> Self {
        Self {
            id: name.to_owned(),
            title: name.to_owned(),
            outlet: None,
            author: None,
            kind: super::event::SourceKind::Other,
            language: None,
            published: Publication { span: None, basis: None, note: None },
            url: None,
            path: path.display().to_string(),
            sha256: None,
            text: None,
            char_index: CharIndex::default(),
        }
    }

    /// The citation line shown in the UI: "Title — Outlet, 26 May 2024".
    pub fn byline(&self) -> String {
        let mut line = self.title.clone();
        if let Some(outlet) = &self.outlet {
            line.push_str(" — ");
            line.push_str(outlet);
        }
        if let Some(span) = &self.published.span {
            line.push_str(", ");
            line.push_str(&span.in_words());
            if self.published.basis == Some(DateBasis::Inferred) {
                line.push_str(" (inferred)");
            }
        }
        line
    }
}
