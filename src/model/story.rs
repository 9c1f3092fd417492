//! Stories: ordered steps through the data, each a view with a title and a caption, as
//! Forensic Architecture's TimeMap narratives are. Captions are "markdown-light": paragraphs,
//! `*emphasis*` and links to events, `[words](event:ev-id)`.

use super::view_link::ViewLink;

/// One step: where to look, and what to read.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// A short title.
    pub title: String,
    /// The caption, markdown-light.
    pub caption: String,
    /// What the map, the timeline and the selection show.
    pub view: ViewLink,
}

/// An ordered list of steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    /// Its id in `stories.json`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// What it follows, from which sources.
    pub description: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// A run of caption text: plain, emphasised, or a link to an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptionPart<'a> {
    /// Plain text.
    Text(&'a str),
    /// `*emphasis*`.
    Emphasis(&'a str),
    /// `[words](event:id)`.
    EventLink {
        /// The words shown.
        words: &'a str,
        /// The event's id.
        event_id: &'a str,
    },
}

/// A caption as paragraphs of parts.
pub fn caption_paragraphs(caption: &str) -> Vec<Vec<CaptionPart<'_>>> {
    caption.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(paragraph_parts).collect()
}

fn paragraph_parts(mut text: &str) -> Vec<CaptionPart<'_>> {
    let mut parts = Vec::new();
    while !text.is_empty() {
        let link = text.find('[').and_then(|open| {
            let close = open + text.get(open..)?.find("](event:")?;
            let end = close + text.get(close..)?.find(')')?;
            Some((open, close, end))
        });
        let emphasis = text.find('*').and_then(|open| Some((open, open + 1 + text.get(open + 1..)?.find('*')?)));
        match (link, emphasis) {
            (Some((open, close, end)), emphasis) if emphasis.is_none_or(|(e, _)| open < e) => {
                push_text(&mut parts, text.get(..open).unwrap_or_default());
                let words = text.get(open + 1..close).unwrap_or_default();
                let event_id = text.get(close + "](event:".len()..end).unwrap_or_default();
                parts.push(CaptionPart::EventLink { words, event_id });
                text = text.get(end + 1..).unwrap_or_default();
            }
            (_, Some((open, close))) => {
                push_text(&mut parts, text.get(..open).unwrap_or_default());
                parts.push(CaptionPart::Emphasis(text.get(open + 1..close).unwrap_or_default()));
                text = text.get(close + 1..).unwrap_or_default();
            }
            _ => {
                push_text(&mut parts, text);
                text = "";
            }
        }
    }
    parts
}

fn push_text<'a>(parts: &mut Vec<CaptionPart<'a>>, text: &'a str) {
    if !text.is_empty() {
        parts.push(CaptionPart::Text(text));
    }
}

/// The event ids a caption links to.
pub fn linked_events(caption: &str) -> Vec<&str> {
    caption_paragraphs(caption)
        .into_iter()
        .flatten()
        .filter_map(|part| match part {
            CaptionPart::EventLink { event_id, .. } => Some(event_id),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_have_paragraphs_emphasis_and_event_links() {
        let caption = "According to *source 000*, soldiers were captured ([the capture](event:ev-a)).\n\nSecond.";
        let paragraphs = caption_paragraphs(caption);
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(
            paragraphs[0],
            [
                CaptionPart::Text("According to "),
                CaptionPart::Emphasis("source 000"),
                CaptionPart::Text(", soldiers were captured ("),
                CaptionPart::EventLink { words: "the capture", event_id: "ev-a" },
                CaptionPart::Text(")."),
            ]
        );
        assert_eq!(linked_events(caption), ["ev-a"]);
        assert_eq!(
            caption_paragraphs("a lone * and [a](not-event) stay text"),
            [vec![CaptionPart::Text("a lone * and [a](not-event) stay text")]]
        );
    }
}
