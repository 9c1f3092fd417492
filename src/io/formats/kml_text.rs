//! Text in KML files: references in XML text, and descriptions written as HTML (escaped, or inside
//! CDATA) made plain, with their paragraph breaks kept as line breaks. Expands no entity a
//! document declares: only the five predefined ones, numeric references and, in HTML, a short
//! list of named characters are decoded; anything else stays as written.

/// The character an XML reference (`&name;`, given as `name`) stands for: one of the five
/// predefined entities, or a numeric reference. `None` for any other name, which the caller keeps
/// as written: entities declared in a document type are never expanded.
pub(super) fn xml_reference(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => numeric_reference(name),
    }
}

/// `#65` or `#x41` as a character; `None` for anything else, and for NUL or a number that is no
/// character.
fn numeric_reference(name: &str) -> Option<char> {
    let number = name.strip_prefix('#')?;
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    char::from_u32(code).filter(|c| *c != '\0')
}

/// HTML's named characters that descriptions use; the rest (rare) stay as written.
const HTML_NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    // Plain text has no unbreakable space worth keeping: it reads as a space.
    ("nbsp", ' '),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("bull", '•'),
    ("middot", '·'),
    ("deg", '°'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("pound", '£'),
    ("times", '×'),
    ("plusmn", '±'),
    ("sect", '§'),
];

/// Longest entity name looked for after an `&`.
const MAX_ENTITY_CHARS: usize = 32;

/// Decodes the HTML entity at the start of `text` (which starts with `&`): the character and the
/// bytes it took, or `None` when it is no entity known here.
fn html_entity(text: &str) -> Option<(char, usize)> {
    let end = text.char_indices().take(MAX_ENTITY_CHARS).find(|(_, c)| *c == ';').map(|(at, _)| at)?;
    let name = text.get(1..end)?;
    let decoded =
        numeric_reference(name).or_else(|| HTML_NAMED.iter().find(|(known, _)| *known == name).map(|(_, c)| *c))?;
    Some((decoded, end + 1))
}

/// Elements that start a paragraph: a blank line around them.
const PARAGRAPH_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
];
/// Elements that start a line.
const LINE_TAGS: &[&str] = &["br", "li", "tr", "dt", "dd"];
/// Elements whose content is not text to read.
const HIDDEN_TAGS: &[&str] = &["script", "style", "head", "title"];

/// Plain text from a description: when it holds HTML tags, the tags are stripped (paragraphs and
/// line breaks becoming line breaks), whitespace runs read as one space, and HTML entities are
/// decoded; otherwise it is plain text with its lines kept (each trimmed) and entities decoded.
pub(super) fn plain_from_description(text: &str) -> String {
    if looks_like_html(text) { plain_from_html(text) } else { tidy_lines(&decode_entities(text), false) }
}

/// The text an HTML page reads as (a source added from a saved page): tags stripped, scripts,
/// styles and the head skipped, paragraphs and line breaks kept, entities decoded.
pub fn text_from_html(html: &str) -> String {
    plain_from_html(html)
}

/// Whether `text` has something that reads as an HTML tag or comment.
fn looks_like_html(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        text.get(at + 1..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
    })
}

/// `text` with its HTML entities decoded.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let (before, from) = rest.split_at_checked(at).unwrap_or((rest, ""));
        out.push_str(before);
        let (decoded, taken) = html_entity(from).unwrap_or(('&', 1));
        out.push(decoded);
        rest = from.get(taken..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The tag at the start of `text` (which starts with `<`): its lower-case name, whether it closes,
/// and its length in bytes; `None` when it is no tag (a lone `<`, or one never closed).
fn html_tag(text: &str) -> Option<(String, bool, usize)> {
    let inner = text.get(1..)?;
    let (closing, name_from) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    if !name_from.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let name: String =
        name_from.chars().take_while(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    let end = text.find('>')?;
    Some((name, closing, end + 1))
}

/// Strips HTML: see [`plain_from_description`].
fn plain_from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // A `<` after the last `>` starts no tag: knowing where that is keeps a text of many lone `<`
    // from being searched to its end once for each.
    let last_tag_end = html.rfind('>');
    while let Some(at) = rest.find(['<', '&']) {
        let (before, from) = rest.split_at_checked(at).unwrap_or((rest, ""));
        push_collapsed(&mut out, before);
        if from.starts_with('&') {
            let (decoded, taken) = html_entity(from).unwrap_or(('&', 1));
            out.push(decoded);
            rest = from.get(taken..).unwrap_or_default();
        } else if let Some(comment) = from.strip_prefix("<!") {
            // Comments and declarations are not text.
            let end = if comment.starts_with("--") {
                comment.find("-->").map(|e| e + 3)
            } else {
                comment.find('>').map(|e| e + 1)
            };
            rest = end.and_then(|e| comment.get(e..)).unwrap_or_default();
        } else if let Some((name, closing, taken)) =
            last_tag_end.filter(|end| *end > html.len() - from.len()).and_then(|_| html_tag(from))
        {
            rest = from.get(taken..).unwrap_or_default();
            let name = name.as_str();
            if PARAGRAPH_TAGS.contains(&name) {
                out.push_str("\n\n");
            } else if LINE_TAGS.contains(&name) && !closing {
                out.push('\n');
            } else if matches!(name, "td" | "th") {
                out.push(' ');
            } else if HIDDEN_TAGS.contains(&name) && !closing {
                rest = from_closing_tag(rest, name);
            }
        } else {
            out.push('<');
            rest = from.get(1..).unwrap_or_default();
        }
    }
    push_collapsed(&mut out, rest);
    tidy_lines(&out, true)
}

/// `text` from the closing tag of `name` on (found in any letter case), or nothing when it has none.
fn from_closing_tag<'a>(text: &'a str, name: &str) -> &'a str {
    text.match_indices("</")
        .find(|(at, _)| text.get(at + 2..at + 2 + name.len()).is_some_and(|found| found.eq_ignore_ascii_case(name)))
        .and_then(|(at, _)| text.get(at..))
        .unwrap_or_default()
}

/// Appends `text` with every whitespace run made one space, as HTML reads it.
fn push_collapsed(out: &mut String, text: &str) {
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
}

/// Trims every line (and collapses its inner whitespace runs when `collapse`), keeps at most one
/// blank line between paragraphs, and drops blank lines at either end.
fn tidy_lines(text: &str, collapse: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        if collapse {
            out.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `text` trimmed, with its whitespace runs made one space (names, categories, places).
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_references_are_the_predefined_and_numeric_ones_only() {
        assert_eq!(xml_reference("amp"), Some('&'));
        assert_eq!(xml_reference("#x41"), Some('A'));
        assert_eq!(xml_reference("#233"), Some('é'));
        assert_eq!(xml_reference("#0"), None);
        assert_eq!(xml_reference("#xD800"), None);
        assert_eq!(xml_reference("nbsp"), None);
        assert_eq!(xml_reference("lol9"), None);
    }

    #[test]
    fn html_becomes_plain_text_with_paragraphs() {
        let html = "\n  <h3>Title</h3>\n  <p>Crowd of <b>about 200</b>,\n  <i>Mostar</i>; see \
                    <a href=\"x?a=1&amp;b=2\">report&nbsp;42</a>.</p>\n  <ul><li>One</li><li>Two &amp; three</li></ul>\n";
        assert_eq!(
            plain_from_description(html),
            "Title\n\nCrowd of about 200, Mostar; see report 42.\n\nOne\nTwo & three"
        );
    }

    #[test]
    fn line_breaks_scripts_and_comments() {
        let html = "a<br>b<br/>c<!-- hidden <p> --><script>var x = '<p>';</script>d <style>p{}</style>e";
        assert_eq!(plain_from_description(html), "a\nb\ncd e");
    }

    #[test]
    fn plain_text_keeps_its_lines() {
        assert_eq!(
            plain_from_description("\n   First line\n   second  line &amp; more\n\n\n  third\n"),
            "First line\nsecond  line & more\n\nthird"
        );
        assert_eq!(plain_from_description("a < b, AT&T &unknown; & c"), "a < b, AT&T &unknown; & c");
    }

    #[test]
    fn broken_html_does_not_panic() {
        for html in ["<p", "<", "&", "&#;", "&#x110000;", "<!--", "<script>", "<a href='é'>é</a", "é<é>&é;"] {
            let _ = plain_from_description(html);
        }
        assert_eq!(plain_from_description("<b>bold</b> <p"), "bold <p");
    }

    #[test]
    fn one_line_collapses_whitespace() {
        assert_eq!(one_line("\n  Points and\n   routes  "), "Points and routes");
    }
}
