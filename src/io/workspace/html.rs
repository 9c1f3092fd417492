//! HTML pages as the text a reader sees: tags dropped, scripts and styles skipped, blocks on
//! lines of their own, character references decoded. Enough for a saved article page; the
//! verbatim text stored is this text, so quotes are checked against what the page says.

/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "header",
    "footer",
    "pre",
    "hr",
    "dt",
    "dd",
    "figcaption",
    "title",
];
/// Elements whose content is not text.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// The text of an HTML page.
pub fn text_from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skipping: Option<String> = None;
    let mut in_title = false;
    while let Some(open) = rest.find('<') {
        let (text, after) = rest.split_at(open);
        if skipping.is_none() || in_title {
            push_text(&mut out, text);
        }
        let Some(close) = after.find('>') else {
            if skipping.is_none() {
                push_text(&mut out, after);
            }
            rest = "";
            break;
        };
        let tag = after.get(1..close).unwrap_or_default();
        rest = after.get(close + 1..).unwrap_or_default();
        if tag.starts_with("!--") {
            if let Some(end) = after.find("-->") {
                rest = after.get(end + 3..).unwrap_or_default();
            }
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if let Some(skipped) = &skipping {
            if closing && *skipped == name {
                skipping = None;
            }
            if name == "title" {
                in_title = !closing;
                if closing {
                    out.push('\n');
                }
            }
            continue;
        }
        if SKIPPED.contains(&name.as_str()) && !closing && !tag.ends_with('/') {
            skipping = Some(name);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    tidy(&out)
}

/// Appends a run of text with its whitespace collapsed and references decoded.
fn push_text(out: &mut String, text: &str) {
    let mut last_space = out.ends_with([' ', '\n']) || out.is_empty();
    for c in decode(text).chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(if c == '\u{a0}' { ' ' } else { c });
            last_space = false;
        }
    }
}

/// Lines trimmed, at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = 0;
    }
    out.push('\n');
    out
}

/// Character references decoded: numeric ones and the common named ones.
fn decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp..).unwrap_or_default();
        let end = after.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| reference(after.get(1..end)?));
        if let (Some(c), Some(end)) = (decoded, end) {
            out.push(c);
            rest = after.get(end + 1..).unwrap_or_default();
        } else {
            out.push('&');
            rest = after.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out.into()
}

fn reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "euro" => '€',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_becomes_its_text() {
        let html = "<!DOCTYPE html><html><head><title>KFOR &amp; Banjska</title><style>p{}</style>\
            <script>var a = '<p>';</script></head><body><h1>KFOR denies</h1><p>It   said on <b>Sunday</b> \
            that&nbsp;it &#8220;did not&#x201D; negotiate.</p><!-- <p>hidden</p> --><p>Second &unknown; para</p></body></html>";
        assert_eq!(
            text_from_html(html),
            "KFOR & Banjska\n\nKFOR denies\n\nIt said on Sunday that it \u{201c}did not\u{201d} negotiate.\n\nSecond &unknown; para\n"
        );
    }

    #[test]
    fn broken_markup_keeps_its_text() {
        assert_eq!(text_from_html("a < b and c"), "a < b and c\n");
        assert_eq!(text_from_html("plain"), "plain\n");
    }
}
