//! Search that finds: text folded to plain lowercase letters (Zvečan = Zvecan = Звечан, Mitrovicë =
//! Mitrovice), queries split into words that must all appear somewhere in an event — its title,
//! summary, quotes, actors, place names in every language, category, claim status and every other
//! field — and results ranked by where the words were found.

use super::dataset::Dataset;
use super::event::Event;
use super::index::EventIdx;

/// Lowercase ASCII-ish text for matching: Latin letters without their diacritics, Serbian (and
/// most other) Cyrillic transliterated as Serbian Latin writes it, everything else lowercased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// Appends `c` folded.
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match latin_without_accents(c).or_else(|| serbian_latin(c)) {
        Some(folded) => out.push_str(folded),
        None => out.extend(c.to_lowercase()),
    }
}

/// A Latin letter with a diacritic, as the plain letter(s).
fn latin_without_accents(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' | 'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => {
            "e"
        }
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "g",
        'ĥ' | 'ħ' | 'Ĥ' | 'Ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => {
            "i"
        }
        'ĵ' | 'Ĵ' => "j",
        'ķ' | 'Ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' | 'Ŕ' | 'Ŗ' | 'Ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' | 'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů'
        | 'Ű' | 'Ų' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => return None,
    })
}

/// A Cyrillic letter as Serbian Latin writes it, folded (č → c, đ → d).
fn serbian_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' | 'А' => "a",
        'б' | 'Б' => "b",
        'в' | 'В' => "v",
        'г' | 'Г' | 'ґ' | 'Ґ' => "g",
        'д' | 'Д' | 'ђ' | 'Ђ' => "d",
        'е' | 'Е' | 'ё' | 'Ё' | 'є' | 'Є' | 'э' | 'Э' => "e",
        'ж' | 'Ж' | 'з' | 'З' => "z",
        'и' | 'И' | 'і' | 'І' | 'ї' | 'Ї' | 'й' | 'Й' | 'ы' | 'Ы' => "i",
        'ј' | 'Ј' => "j",
        'к' | 'К' => "k",
        'л' | 'Л' => "l",
        'љ' | 'Љ' => "lj",
        'м' | 'М' => "m",
        'н' | 'Н' => "n",
        'њ' | 'Њ' => "nj",
        'о' | 'О' => "o",
        'п' | 'П' => "p",
        'р' | 'Р' => "r",
        'с' | 'С' | 'ш' | 'Ш' => "s",
        'т' | 'Т' | 'ћ' | 'Ћ' => "t",
        'у' | 'У' | 'ў' | 'Ў' => "u",
        'ф' | 'Ф' => "f",
        'х' | 'Х' => "h",
        'ц' | 'Ц' | 'ч' | 'Ч' => "c",
        'џ' | 'Џ' => "dz",
        'щ' | 'Щ' => "sc",
        'ю' | 'Ю' => "ju",
        'я' | 'Я' => "ja",
        'ъ' | 'Ъ' | 'ь' | 'Ь' => "",
        _ => return None,
    })
}

/// A search: the words of the query, folded. An event matches when every word appears in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
}

/// How much a word found in each part of an event counts for its rank.
const TITLE_WEIGHT: u32 = 8;
const PLACE_WEIGHT: u32 = 5;
const SUMMARY_WEIGHT: u32 = 3;
const OTHER_WEIGHT: u32 = 1;

impl Query {
    /// The words of `text`, folded; punctuation separates words.
    pub fn new(text: &str) -> Self {
        let words =
            fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect();
        Self { words }
    }

    /// True when the query has no words: everything matches.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The event's rank for this query (higher: a better match), or `None` when a word is missing.
    /// The empty query matches everything with rank 0.
    pub fn rank(&self, idx: EventIdx, event: &Event, dataset: &Dataset) -> Option<u32> {
        if self.words.is_empty() {
            return Some(0);
        }
        let details = event.details();
        let title = fold(&event.title);
        let place = event.place_id().and_then(|id| dataset.place(id)).map(|place| {
            let mut names = fold(&place.name);
            for name in place.names.values() {
                names.push(' ');
                names.push_str(&fold(name));
            }
            if let Some(municipality) = &place.municipality {
                names.push(' ');
                names.push_str(&fold(municipality));
            }
            names
        });
        let summary = dataset.summary(idx, event).map(fold);
        let mut other = String::new();
        let mut add = |text: &str| {
            other.push(' ');
            other.push_str(&fold(text));
        };
        add(&event.id);
        add(dataset.categories.label(event.category));
        add(event.claim_status.label());
        add(&event.date_in_words());
        for actor in &details.actors {
            add(actor);
        }
        for citation in &details.citations {
            add(&citation.quote);
            if let Some(source) = dataset.source(&citation.source_id) {
                add(&source.title);
                if let Some(outlet) = &source.outlet {
                    add(outlet);
                }
            }
        }
        for (key, value) in dataset.properties.of(idx) {
            add(key);
            add(value);
        }
        if let Some(place_id) = event.place_id() {
            add(place_id);
        }
        let mut rank = 0;
        for word in &self.words {
            let found = |text: &str| text.contains(word.as_str());
            let weight = if found(&title) {
                TITLE_WEIGHT
            } else if place.as_deref().is_some_and(found) {
                PLACE_WEIGHT
            } else if summary.as_deref().is_some_and(found) {
                SUMMARY_WEIGHT
            } else if found(&other) {
                OTHER_WEIGHT
            } else {
                return None;
            };
            rank += weight;
        }
        Some(rank)
    }

    /// Whether the event at `idx` matches.
    pub fn matches(&self, idx: EventIdx, event: &Event, dataset: &Dataset) -> bool {
        self.rank(idx, event, dataset).is_some()
    }
}

/// Every event of the dataset matching `query`, best first (then by date), on all cores.
pub fn search(dataset: &Dataset, query: &Query) -> Vec<EventIdx> {
    use rayon::prelude::*;
    if query.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u32, i32, EventIdx)> = dataset
        .events
        .par_iter()
        .enumerate()
        .filter_map(|(i, event)| {
            let idx = EventIdx::try_from(i).ok()?;
            let rank = query.rank(idx, event, dataset)?;
            Some((rank, event.span.first_day(), idx))
        })
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    hits.into_iter().map(|(_, _, idx)| idx).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_diacritics_and_transliterates_cyrillic() {
        assert_eq!(fold("Zvečan"), "zvecan");
        assert_eq!(fold("Звечан"), "zvecan");
        assert_eq!(fold("ZVEČAN"), "zvecan");
        assert_eq!(fold("Mitrovicë"), "mitrovice");
        assert_eq!(fold("Косовска Митровица"), "kosovska mitrovica");
        assert_eq!(fold("Štrpce / Shtërpcë"), "strpce / shterpce");
        assert_eq!(fold("Љубљана Ђаковица"), "ljubljana dakovica");
    }

    #[test]
    fn queries_are_words_that_must_all_appear() {
        let query = Query::new("Eight  soldiers!");
        assert_eq!(query.words, ["eight", "soldiers"]);
        assert!(Query::new("  ").is_empty());
    }
}
