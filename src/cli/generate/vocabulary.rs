//! Words the generators draw from: ACLED's own event types and actor kinds, European countries,
//! and syllables for made-up place names, so synthetic rows look and weigh like real ones.

/// ACLED's disorder type, event type and its sub-event types (the codebook's 6 and 25), with how
/// often each event type occurs in a typical export (per mille).
pub const ACLED_TYPES: [(&str, &str, u32, &[&str]); 6] = [
    (
        "Political violence",
        "Battles",
        200,
        &["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    ),
    (
        "Political violence",
        "Explosions/Remote violence",
        250,
        &[
            "Shelling/artillery/missile attack",
            "Air/drone strike",
            "Remote explosive/landmine/IED",
            "Grenade",
            "Suicide bomb",
            "Chemical weapon",
        ],
    ),
    (
        "Political violence",
        "Violence against civilians",
        120,
        &["Attack", "Abduction/forced disappearance", "Sexual violence"],
    ),
    (
        "Demonstrations",
        "Protests",
        300,
        &["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    ),
    ("Political violence; Demonstrations", "Riots", 60, &["Violent demonstration", "Mob violence"]),
    (
        "Strategic developments",
        "Strategic developments",
        70,
        &[
            "Arrests",
            "Looting/property destruction",
            "Agreement",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Non-violent transfer of territory",
            "Other",
        ],
    ),
];

/// ACLED's actor kinds (`inter1`, `inter2`).
pub const ACTOR_KINDS: [&str; 8] = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
];

/// European countries: name, ISO 3166 numeric code, rough centre (lon, lat).
pub const COUNTRIES: [(&str, u16, f64, f64); 26] = [
    ("Albania", 8, 20.0, 41.1),
    ("Austria", 40, 14.5, 47.5),
    ("Belarus", 112, 28.0, 53.7),
    ("Belgium", 56, 4.5, 50.6),
    ("Bosnia and Herzegovina", 70, 17.8, 44.2),
    ("Bulgaria", 100, 25.2, 42.7),
    ("Croatia", 191, 16.0, 45.3),
    ("Czech Republic", 203, 15.3, 49.8),
    ("France", 250, 2.5, 46.6),
    ("Germany", 276, 10.4, 51.1),
    ("Greece", 300, 22.0, 39.3),
    ("Hungary", 348, 19.4, 47.2),
    ("Italy", 380, 12.6, 42.8),
    ("Kosovo", 0, 20.9, 42.6),
    ("Moldova", 498, 28.5, 47.2),
    ("Montenegro", 499, 19.3, 42.8),
    ("Netherlands", 528, 5.5, 52.2),
    ("North Macedonia", 807, 21.7, 41.6),
    ("Poland", 616, 19.4, 52.1),
    ("Portugal", 620, -8.2, 39.6),
    ("Romania", 642, 24.9, 45.9),
    ("Serbia", 688, 20.8, 44.0),
    ("Slovakia", 703, 19.5, 48.7),
    ("Spain", 724, -3.7, 40.2),
    ("Ukraine", 804, 31.2, 49.0),
    ("United Kingdom", 826, -2.0, 53.5),
];

/// Syllables of made-up place and outlet names.
pub const SYLLABLES: [&str; 32] = [
    "bel", "gra", "do", "no", "vi", "ca", "ko", "va", "ri", "sta", "mir", "lo", "pe", "tra", "za", "dar", "ni", "ka",
    "mo", "ra", "sel", "ve", "lin", "ba", "ja", "go", "ro", "dul", "me", "sko", "tin", "ha",
];

/// Verbs of ACLED-like notes, by event type.
pub const NOTE_VERBS: [&str; 6] = [
    "clashed with",
    "shelled positions held by",
    "attacked",
    "demonstrated against",
    "rioted against",
    "arrested members of",
];

/// Sentences that follow the first in ACLED-like notes.
pub const NOTE_DETAILS: [&str; 8] = [
    "Several houses and a school were damaged.",
    "The report does not give the number of participants.",
    "Local authorities announced an investigation.",
    "The date is coded to the middle of the reported week.",
    "Casualty figures are disputed between the sides.",
    "Police used tear gas and detained several people.",
    "The location is coded to the nearest town.",
    "Both sides accused each other of starting the exchange.",
];

/// Source scales, as ACLED writes them.
pub const SOURCE_SCALES: [&str; 6] =
    ["National", "Subnational", "Local partner-National", "New media", "International", "Subnational-National"];
