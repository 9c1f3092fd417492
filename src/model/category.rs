//! Categories as each dataset names them. Kronika's own vocabulary ("attack", "capture", …) is
//! known and grouped as the legend has always shown it; any other file's categories ("Battles",
//! "Protests") are kept as written, counted, and the most frequent twelve get colours of their own
//! (the rest share "other"), so a foreign file is coloured, filtered and explained by its own words.

use compact_str::CompactString;

use super::event::Category;
pub use super::event::CategoryId;

/// Most categories coloured apart in a foreign file; the rest share "other".
pub const MAX_COLOURED: usize = 12;
/// Most distinct categories a dataset keeps; further values are folded into the last.
pub const MAX_CATEGORIES: usize = u16::MAX as usize;

/// One category of a dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryEntry {
    /// As the file writes it ("" for no category).
    pub key: CompactString,
    /// Kronika's own category, when the key is one of its vocabulary.
    pub known: Option<Category>,
    /// How many events have it.
    pub count: u32,
    /// Its legend entry (colour).
    pub slot: u8,
}

impl CategoryEntry {
    /// Its name for people.
    pub fn label(&self) -> &str {
        match (self.known, self.key.as_str()) {
            (Some(category), _) => category.label(),
            (None, "") => "no category",
            (None, key) => key,
        }
    }
}

/// One entry of the legend: a colour and what it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegendEntry {
    /// What it stands for.
    pub label: String,
    /// How many events it covers.
    pub count: u32,
    /// Kronika's category it represents, when the dataset uses Kronika's vocabulary.
    pub known: Option<Category>,
}

/// How a dataset's categories are coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheme {
    /// Every category is Kronika's own: the legend's fixed groups and colours.
    #[default]
    Kronika,
    /// The file's own categories: the most frequent get a colour each, ranked.
    Ranked,
}

/// The categories of a dataset, with their legend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Categories {
    entries: Vec<CategoryEntry>,
    legend: Vec<LegendEntry>,
    scheme: Scheme,
}

impl Default for Categories {
    fn default() -> Self {
        Self::from_keys(std::iter::empty::<&str>(), &[])
    }
}

/// Kronika's legend groups: the categories that share a colour.
pub const KRONIKA_GROUPS: &[(&str, &[Category])] = &[
    ("Fighting, attacks", &[Category::ArmedClash, Category::Attack]),
    ("Shelling, destruction", &[Category::Shelling, Category::Destruction]),
    ("Capture, detention, exchange", &[Category::Capture, Category::Detention, Category::PrisonerExchange]),
    ("Displacement", &[Category::Displacement]),
    ("Operations, deployments", &[Category::MilitaryOperation, Category::Deployment, Category::TroopReduction]),
    (
        "Statements, requests, refusals",
        &[Category::PoliticalStatement, Category::Request, Category::Refusal, Category::Protest],
    ),
    ("Reports, denials", &[Category::Report, Category::Denial]),
    ("Awards, legal", &[Category::Award, Category::LegalProceeding]),
    ("Casualties", &[Category::Casualties]),
    ("Other", &[Category::Other]),
];

impl Categories {
    /// The table for `keys` (id 1 is the first key, id 0 "no category"), given how many events
    /// have each id (`counts[id]`; missing counts are 0).
    pub fn from_keys<'a>(keys: impl IntoIterator<Item = &'a str>, counts: &[u32]) -> Self {
        let mut entries: Vec<CategoryEntry> = std::iter::once("")
            .chain(keys)
            .enumerate()
            .map(|(id, key)| CategoryEntry {
                key: key.into(),
                known: Category::from_key(key),
                count: counts.get(id).copied().unwrap_or(0),
                slot: 0,
            })
            .collect();
        let kronika = entries.iter().all(|e| e.count == 0 || e.key.is_empty() || e.known.is_some());
        let (scheme, legend) =
            if kronika { Self::kronika_legend(&mut entries) } else { Self::ranked_legend(&mut entries) };
        Self { entries, legend, scheme }
    }

    /// As [`Self::from_keys`], always ranked by frequency (for values of any field, which may
    /// happen to be Kronika's own keys).
    pub fn ranked<'a>(keys: impl IntoIterator<Item = &'a str>, counts: &[u32]) -> Self {
        let mut entries: Vec<CategoryEntry> = std::iter::once("")
            .chain(keys)
            .enumerate()
            .map(|(id, key)| CategoryEntry {
                key: key.into(),
                known: None,
                count: counts.get(id).copied().unwrap_or(0),
                slot: 0,
            })
            .collect();
        let (scheme, legend) = Self::ranked_legend(&mut entries);
        Self { entries, legend, scheme }
    }

    /// The keys of the categories coloured by legend entry `slot`.
    pub fn keys_in_slot(&self, slot: u8) -> impl Iterator<Item = &str> {
        self.entries.iter().filter(move |e| e.slot == slot && e.count > 0).map(|e| e.key.as_str())
    }

    fn kronika_legend(entries: &mut [CategoryEntry]) -> (Scheme, Vec<LegendEntry>) {
        let mut legend: Vec<LegendEntry> = KRONIKA_GROUPS
            .iter()
            .map(|(label, members)| LegendEntry {
                label: (*label).to_owned(),
                count: 0,
                known: members.first().copied(),
            })
            .collect();
        let other = KRONIKA_GROUPS.len() - 1;
        for entry in entries.iter_mut() {
            let group = entry
                .known
                .and_then(|known| KRONIKA_GROUPS.iter().position(|(_, members)| members.contains(&known)))
                .unwrap_or(other);
            entry.slot = u8::try_from(group).unwrap_or(u8::MAX);
            if let Some(item) = legend.get_mut(group) {
                item.count += entry.count;
            }
        }
        (Scheme::Kronika, legend)
    }

    fn ranked_legend(entries: &mut [CategoryEntry]) -> (Scheme, Vec<LegendEntry>) {
        let mut ranked: Vec<usize> =
            (0..entries.len()).filter(|&i| entries.get(i).is_some_and(|e| e.count > 0)).collect();
        ranked.sort_by(|&a, &b| {
            let (ea, eb) = (entries.get(a), entries.get(b));
            eb.map(|e| e.count).cmp(&ea.map(|e| e.count)).then_with(|| ea.map(|e| &e.key).cmp(&eb.map(|e| &e.key)))
        });
        let mut legend = Vec::new();
        let other_slot = u8::try_from(MAX_COLOURED).unwrap_or(u8::MAX);
        let mut other = LegendEntry { label: String::new(), count: 0, known: None };
        let mut others = 0;
        for entry in entries.iter_mut() {
            entry.slot = other_slot;
        }
        for (rank, &id) in ranked.iter().enumerate() {
            let Some(entry) = entries.get_mut(id) else { continue };
            if rank < MAX_COLOURED && !entry.key.is_empty() {
                entry.slot = u8::try_from(legend.len()).unwrap_or(other_slot);
                legend.push(LegendEntry { label: entry.label().to_owned(), count: entry.count, known: entry.known });
            } else {
                other.count += entry.count;
                others += 1;
            }
        }
        if other.count > 0 {
            other.label = if others == 1 { "other".to_owned() } else { format!("{others} other categories") };
            // "Other" keeps its slot whatever the number of coloured entries.
            while legend.len() < MAX_COLOURED {
                legend.push(LegendEntry { label: String::new(), count: 0, known: None });
            }
            legend.push(other);
        }
        (Scheme::Ranked, legend)
    }

    /// Every category, by id.
    pub fn entries(&self) -> &[CategoryEntry] {
        &self.entries
    }

    /// One category.
    pub fn get(&self, id: CategoryId) -> Option<&CategoryEntry> {
        self.entries.get(usize::from(id.0))
    }

    /// A category's name for people.
    pub fn label(&self, id: CategoryId) -> &str {
        self.get(id).map_or("no category", CategoryEntry::label)
    }

    /// A category's key as written.
    pub fn key(&self, id: CategoryId) -> &str {
        self.get(id).map_or("", |e| e.key.as_str())
    }

    /// Its legend entry (colour) index.
    pub fn slot(&self, id: CategoryId) -> u8 {
        self.get(id).map_or(0, |e| e.slot)
    }

    /// The id of a key, if any event has it.
    pub fn id_of(&self, key: &str) -> Option<CategoryId> {
        let position = self.entries.iter().position(|e| e.key == key)?;
        u16::try_from(position).ok().map(CategoryId)
    }

    /// The legend, by slot (empty placeholders are unused slots).
    pub fn legend(&self) -> &[LegendEntry] {
        &self.legend
    }

    /// How the legend is coloured.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

/// Gives each distinct category key an id, in order of first appearance; ids start at 1.
#[derive(Clone, Debug, Default)]
pub struct CategoryInterner {
    keys: Vec<CompactString>,
    /// Asked once per event: Fx rather than SipHash, the keys being the file's own few words.
    ids: rustc_hash::FxHashMap<CompactString, CategoryId>,
}

impl CategoryInterner {
    /// The id of `key` ("" or none: 0).
    pub fn intern(&mut self, key: Option<&str>) -> CategoryId {
        let Some(key) = key.map(super::text::trimmed).filter(|k| !k.is_empty()) else { return CategoryId(0) };
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        if self.is_full() {
            return CategoryId(u16::MAX);
        }
        self.keys.push(key.into());
        let id = CategoryId(u16::try_from(self.keys.len()).unwrap_or(u16::MAX));
        self.ids.insert(key.into(), id);
        id
    }

    /// Whether it holds as many keys as ids go: any other key gets `u16::MAX`.
    pub fn is_full(&self) -> bool {
        self.keys.len() + 1 >= MAX_CATEGORIES
    }

    /// An interner holding `keys` as ids 1, 2, …
    pub fn from_keys(keys: &[CompactString]) -> Self {
        let mut interner = Self::default();
        for key in keys {
            interner.keys.push(key.clone());
            let id = CategoryId(u16::try_from(interner.keys.len()).unwrap_or(u16::MAX));
            interner.ids.insert(key.clone(), id);
        }
        interner
    }

    /// The keys, id 1 first.
    pub fn keys(&self) -> &[CompactString] {
        &self.keys
    }

    /// Merges `other`'s keys into this one; returns, for each of `other`'s ids, its id here.
    pub fn absorb(&mut self, other: &Self) -> Vec<CategoryId> {
        std::iter::once(CategoryId(0)).chain(other.keys.iter().map(|key| self.intern(Some(key)))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kronika_keys_use_the_fixed_legend() {
        let categories = Categories::from_keys(["attack", "capture", "denial"], &[0, 5, 2, 1]);
        assert_eq!(categories.scheme(), Scheme::Kronika);
        assert_eq!(categories.label(CategoryId(1)), "Attack");
        assert_eq!(categories.slot(CategoryId(1)), 0);
        assert_eq!(categories.slot(CategoryId(2)), 2);
        assert_eq!(categories.legend().len(), KRONIKA_GROUPS.len());
        assert_eq!(categories.legend()[0].count, 5);
    }

    #[test]
    fn foreign_categories_are_ranked_and_the_long_tail_shares_other() {
        let keys: Vec<String> = (0..15).map(|i| format!("type {i}")).collect();
        // type 14 is the most frequent, type 0 the least.
        let counts: Vec<u32> = std::iter::once(0).chain(1..=15).collect();
        let categories = Categories::from_keys(keys.iter().map(String::as_str), &counts);
        assert_eq!(categories.scheme(), Scheme::Ranked);
        assert_eq!(categories.slot(CategoryId(15)), 0, "the most frequent gets the first colour");
        assert_eq!(categories.slot(CategoryId(1)), 12, "the least frequent share other");
        let legend = categories.legend();
        assert_eq!(legend.len(), 13);
        assert_eq!(legend[12].label, "3 other categories");
        assert_eq!(legend[12].count, 1 + 2 + 3);
    }

    #[test]
    fn interning_merges_chunks() {
        let mut a = CategoryInterner::default();
        assert_eq!(a.intern(Some("Battles")), CategoryId(1));
        assert_eq!(a.intern(Some(" Battles ")), CategoryId(1));
        assert_eq!(a.intern(None), CategoryId(0));
        let mut b = CategoryInterner::default();
        b.intern(Some("Protests"));
        b.intern(Some("Battles"));
        assert_eq!(a.absorb(&b), [CategoryId(0), CategoryId(2), CategoryId(1)]);
    }
}
