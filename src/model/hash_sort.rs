//! Sorting (hash, event) pairs without comparing most of them: hashes are spread evenly, so
//! placing each pair by its hash's first byte (each core placing its share), then by its second
//! byte within that, leaves a million pairs in groups of about sixteen, each sorted in the cache.
//! The same order as a comparison sort: any hashes, even all alike, still end sorted, at worst by
//! comparison.

use rayon::iter::{IndexedParallelIterator as _, IntoParallelIterator as _, ParallelIterator as _};
use rayon::slice::{ParallelSlice as _, ParallelSliceMut as _};

/// Fewer pairs than this are sorted by comparison: spreading them would cost more.
const SPREAD_FROM: usize = 1 << 14;

/// A pair of a hash and what it is the hash of.
type Pair<T> = (u64, T);

/// Sorts `pairs` in ascending order, as `sort_unstable` would.
pub fn sort_by_hash<T: Copy + Default + Ord + Send + Sync>(pairs: &mut [Pair<T>]) {
    if pairs.len() < SPREAD_FROM {
        pairs.par_sort_unstable();
        return;
    }
    let part_len = pairs.len().div_ceil(rayon::current_num_threads().max(1));
    // How many of each core's share begin with each byte; in `spread`, each byte's pairs
    // together, share by share.
    let counts: Vec<[usize; 256]> = pairs.par_chunks(part_len).map(|part| byte_counts(part, 0)).collect();
    let mut spread = vec![(0, T::default()); pairs.len()];
    let mut places: Vec<Vec<&mut [Pair<T>]>> = counts.iter().map(|_| Vec::with_capacity(256)).collect();
    let mut rest = spread.as_mut_slice();
    for byte in 0..256 {
        for (part_counts, part_places) in counts.iter().zip(&mut places) {
            let count = part_counts.get(byte).copied().unwrap_or(0);
            let (place, after) = std::mem::take(&mut rest).split_at_mut_checked(count).unwrap_or_default();
            part_places.push(place);
            rest = after;
        }
    }
    debug_assert!(rest.is_empty(), "every pair has a place");
    pairs.par_chunks(part_len).zip(places).for_each(|(part, mut places)| place_by_byte(part, &mut places, 0));
    // Then each first byte's pairs, on all cores, by their second byte back into `pairs`, and
    // each of those groups sorted.
    let mut groups = Vec::with_capacity(256);
    let (mut from, mut into) = (spread.as_slice(), pairs);
    for byte in 0..256 {
        let count: usize = counts.iter().map(|part_counts| part_counts.get(byte).copied().unwrap_or(0)).sum();
        let (group_from, from_after) = from.split_at_checked(count).unwrap_or_default();
        let (group_into, into_after) = std::mem::take(&mut into).split_at_mut_checked(count).unwrap_or_default();
        groups.push((group_from, group_into));
        (from, into) = (from_after, into_after);
    }
    debug_assert!(from.is_empty() && into.is_empty(), "every group has its pairs");
    groups.into_par_iter().for_each(|(from, into)| {
        let counts = byte_counts(from, 1);
        let mut places = Vec::with_capacity(256);
        let mut rest = &mut *into;
        for &count in &counts {
            let (place, after) = std::mem::take(&mut rest).split_at_mut_checked(count).unwrap_or_default();
            places.push(place);
            rest = after;
        }
        debug_assert!(rest.is_empty(), "every pair of the group has a place");
        place_by_byte(from, &mut places, 1);
        for group in places {
            group.sort_unstable();
        }
    });
}

/// Byte `byte` (0: the most significant) of a hash.
fn byte_of(hash: u64, byte: usize) -> usize {
    usize::from(hash.to_be_bytes().get(byte).copied().unwrap_or(0))
}

/// How many of `pairs` have each value of byte `byte`.
fn byte_counts<T>(pairs: &[Pair<T>], byte: usize) -> [usize; 256] {
    let mut counts = [0; 256];
    for (hash, _) in pairs {
        if let Some(count) = counts.get_mut(byte_of(*hash, byte)) {
            *count += 1;
        }
    }
    counts
}

/// Puts `pairs` into `places`, one place for each value of byte `byte`, as long as the pairs
/// with that value, in the order they come.
fn place_by_byte<T: Copy>(pairs: &[Pair<T>], places: &mut [&mut [Pair<T>]], byte: usize) {
    let mut next = [0_usize; 256];
    for &pair in pairs {
        let value = byte_of(pair.0, byte);
        if let (Some(place), Some(at)) = (places.get_mut(value), next.get_mut(value))
            && let Some(slot) = place.get_mut(*at)
        {
            *slot = pair;
            *at += 1;
        }
    }
}

/// In pairs sorted by hash (a position's pairs in ascending position within a hash, as
/// [`sort_by_hash`] leaves them), each position whose item `same` says an earlier one equals:
/// (that position, the first equal one's), in the order found. Only pairs of equal hash are
/// compared.
pub fn repeats<T: Copy + Eq>(sorted: &[Pair<T>], same: impl Fn(T, T) -> bool) -> Vec<(T, T)> {
    let mut found = Vec::new();
    for run in sorted.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        for (i, &(_, later)) in run.iter().enumerate().skip(1) {
            if let Some(&(_, first)) = run.iter().take(i).find(|&&(_, earlier)| same(earlier, later)) {
                found.push((later, first));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
