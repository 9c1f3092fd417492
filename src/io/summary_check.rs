//! Every fact in a summary backed by a cited passage: the numbers and proper names a curated
//! summary states are looked for in the record's own quotes (and its date label, which restates
//! the source's words). What none of them contains is reported, so a summary cannot quietly say
//! more than its citations.

/// Words that start sentences or are capitalised by habit, not names.
const NOT_NAMES: [&str; 12] =
    ["According", "The", "A", "An", "It", "In", "On", "This", "These", "Both", "Its", "Their"];

/// The numbers and proper names in `summary` that none of `backing` contains, in order, each once.
pub fn unbacked_facts(summary: &str, backing: &[&str]) -> Vec<String> {
    let backed = |fact: &str| {
        let plain = fact.replace(',', "");
        backing.iter().any(|text| text.contains(fact) || (plain != fact && text.replace(',', "").contains(&plain)))
    };
    let mut missing: Vec<String> = Vec::new();
    for (fact, previous) in facts(summary) {
        // "(source 000)" names a source, not a fact.
        if previous.ends_with("source") || previous.ends_with("sources") {
            continue;
        }
        if !backed(fact) && !missing.iter().any(|m| m == fact) {
            missing.push(fact.to_owned());
        }
    }
    missing
}

/// The facts of a text: numbers (`8,350`, `1.5`) and capitalised words that do not start a
/// sentence, each with the text before it (trimmed).
fn facts(text: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut sentence_start = true;
    let mut offset = 0;
    for word in text.split_inclusive(|c: char| c.is_whitespace() || c == '/' || c == '(' || c == '—') {
        let start = offset;
        offset += word.len();
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        let before = text.get(..start).unwrap_or_default().trim_end();
        let is_number = core.chars().next().is_some_and(|c| c.is_ascii_digit());
        let is_name = !sentence_start
            && core.chars().next().is_some_and(char::is_uppercase)
            && core.chars().count() >= 2
            && !NOT_NAMES.contains(&core)
            && !before.ends_with('"');
        if !core.is_empty() && (is_number || is_name) {
            // A number's own form: digits with inner separators (`8,350`, `10-11` as two).
            let fact = if is_number {
                core.split(['-', '–']).next().unwrap_or(core).trim_end_matches(|c: char| !c.is_ascii_digit())
            } else {
                core.split(['\'', '’']).next().unwrap_or(core)
            };
            found.push((fact, before));
        }
        let last = word.trim_end().chars().last();
        if !word.trim().is_empty() {
            sentence_start = matches!(last, Some('.' | '!' | '?' | ':'));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_must_be_in_a_quote() {
        let summary = "According to the report (source 004), Serbia had deployed 8,350 troops under Commander Leka. The KFOR mission said so.";
        let quotes = ["Serbia deployed 8350 soldiers", "KFOR said"];
        assert_eq!(unbacked_facts(summary, &quotes), ["Commander", "Leka"]);
        assert_eq!(unbacked_facts(summary, &["Serbia 8,350 Commander Leka KFOR"]), Vec::<String>::new());
    }
}
