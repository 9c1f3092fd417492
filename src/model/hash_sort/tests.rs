use super::*;

/// Pairs of pseudo-random hashes (or hashes sharing their first `alike_bytes` bytes) with
/// events in no order, some hashes repeated.
fn pairs(count: usize, alike_bytes: u32) -> Vec<(u64, u32)> {
    let mut seed = 7_u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        seed
    };
    let keep = u64::MAX.checked_shr(8 * alike_bytes).unwrap_or(0);
    (0..count)
        .map(|i| {
            let hash = if i % 10 == 3 { 42 } else { next() & keep };
            (hash, u32::try_from(next() >> 40).unwrap())
        })
        .collect()
}

/// Spread or compared, hashes even or all alike in their leading bytes: the order
/// `sort_unstable` gives.
#[test]
fn sorts_as_a_comparison_sort_does() {
    for (count, alike_bytes) in
        [(0, 0), (100, 0), (SPREAD_FROM, 0), (100_000, 0), (100_000, 1), (50_000, 2), (50_000, 8)]
    {
        let mut spread = pairs(count, alike_bytes);
        let mut compared = spread.clone();
        compared.sort_unstable();
        sort_by_hash(&mut spread);
        assert_eq!(spread, compared, "{count} pairs, {alike_bytes} leading bytes alike");
    }
}

/// Items equal only when their hashes are: each later one is paired with the first, items that
/// share a hash but differ are not, and one alone is never a repeat.
#[test]
fn repeats_pair_each_later_equal_item_with_the_first() {
    // Items are words; two different words share hash 5.
    let words = ["a", "b", "a", "c", "a", "b", "d"];
    let hash = |word: &str| match word {
        "a" | "c" => 5,
        "b" => 9,
        _ => 1,
    };
    let mut sorted: Vec<(u64, u32)> =
        words.iter().enumerate().map(|(i, w)| (hash(w), u32::try_from(i).unwrap())).collect();
    sort_by_hash(&mut sorted);
    let mut found = repeats(&sorted, |x, y| words[x as usize] == words[y as usize]);
    found.sort_unstable();
    assert_eq!(found, [(2, 0), (4, 0), (5, 1)]);
    assert!(repeats(&sorted[..1], |_, _| true).is_empty());
}

/// The ids files use — counters with a prefix, ACLED's country codes, Kronika's made `#n` —
/// hash evenly over the first two bytes, which the sort spreads by: no first byte holds more
/// than twice its share, and each first byte's group spreads again over its second byte.
#[test]
fn id_hashes_spread_over_the_bytes_the_sort_places_by() {
    use crate::model::dataset::id_hash;
    let shapes: [fn(u32) -> String; 4] =
        [|i| format!("g{i}"), |i| format!("XKX{i}"), |i| format!("#{i}"), |i| format!("2023-{:06}", i * 7)];
    for (shape, id) in shapes.iter().enumerate() {
        let pairs: Vec<(u64, u32)> = (0..256_000).map(|i| (id_hash(&id(i)), 0)).collect();
        let first = byte_counts(&pairs, 0);
        let most = first.iter().max().copied().unwrap_or(0);
        assert!(most <= 2 * 1000, "shape {shape}: {most} ids share a first byte (a thousand each, evenly)");
        let second = byte_counts(&pairs, 1);
        let busiest_second = second.iter().max().copied().unwrap_or(0);
        assert!(busiest_second <= 2 * 1000, "shape {shape}: {busiest_second} ids share a second byte");
    }
}
