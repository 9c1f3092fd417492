//! Spreading work over all cores with scoped threads: no thread pool to keep, no dependency.

/// Below this many items a thread costs more than it saves.
const PARALLEL_FROM_ITEMS: usize = 50_000;

/// `items.iter().map(f).collect()`, with the items split into one contiguous chunk per core.
/// The order of the results is that of the items. Should a thread not start, its chunk is
/// mapped on the calling thread.
pub fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    if threads < 2 || items.len() < PARALLEL_FROM_ITEMS {
        return items.iter().map(f).collect();
    }
    let f = &f;
    let chunk_len = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut chunks = items.chunks(chunk_len);
        let first = chunks.next().unwrap_or_default();
        let handles: Vec<_> = chunks
            .map(|chunk| {
                let work = move || chunk.iter().map(f).collect::<Vec<U>>();
                (chunk, std::thread::Builder::new().spawn_scoped(scope, work).ok())
            })
            .collect();
        let mut mapped = Vec::with_capacity(items.len());
        mapped.extend(first.iter().map(f));
        for (chunk, handle) in handles {
            match handle.map(std::thread::ScopedJoinHandle::join) {
                Some(Ok(part)) => mapped.extend(part),
                // Not started, or panicked: map here, where a panic shows as it would have.
                _ => mapped.extend(chunk.iter().map(f)),
            }
        }
        mapped
    })
}

/// Sorts `items` with each half sorted on its own core, then merged.
pub fn sort_unstable<T: Ord + Copy + Send>(items: &mut Vec<T>) {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || items.len() < PARALLEL_FROM_ITEMS {
        items.sort_unstable();
        return;
    }
    let middle = items.len() / 2;
    let (left, right) = items.split_at_mut(middle);
    let both_sorted = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, move || right.sort_unstable());
        left.sort_unstable();
        helper.is_ok_and(|helper| helper.join().is_ok())
    });
    if !both_sorted {
        // The helper did not start or failed: sort it all here.
        items.sort_unstable();
        return;
    }
    let (left, right) = items.split_at(middle);
    *items = merge_two(left, right);
}

/// Merges vectors that are each sorted into one sorted vector.
pub fn merge_sorted<T: Ord + Copy>(mut runs: Vec<Vec<T>>) -> Vec<T> {
    while runs.len() > 1 {
        let mut merged = Vec::with_capacity(runs.len().div_ceil(2));
        let mut pairs = runs.into_iter();
        while let Some(left) = pairs.next() {
            merged.push(match pairs.next() {
                Some(right) => merge_two(&left, &right),
                None => left,
            });
        }
        runs = merged;
    }
    runs.pop().unwrap_or_default()
}

fn merge_two<T: Ord + Copy>(left: &[T], right: &[T]) -> Vec<T> {
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (0, 0);
    while let (Some(&a), Some(&b)) = (left.get(l), right.get(r)) {
        if b < a {
            merged.push(b);
            r += 1;
        } else {
            merged.push(a);
            l += 1;
        }
    }
    merged.extend_from_slice(left.get(l..).unwrap_or_default());
    merged.extend_from_slice(right.get(r..).unwrap_or_default());
    merged
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u64> = (0..200_003).collect();
        let squares = super::map(&items, |i| i * i);
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |b| *b).is_empty());
    }

    #[test]
    fn sorts_like_the_standard_library() {
        // A scrambled sequence with repeats, larger than the parallel threshold.
        let mut items: Vec<(u32, u32)> =
            (0..120_001_u32).map(|i| (i.wrapping_mul(2_654_435_761) % 1000, i % 7)).collect();
        let mut expected = items.clone();
        expected.sort_unstable();
        super::sort_unstable(&mut items);
        assert_eq!(items, expected);
        assert_eq!(super::merge_sorted(vec![vec![1, 4], vec![2, 3], vec![0]]), vec![0, 1, 2, 3, 4]);
    }
}
