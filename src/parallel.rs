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

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u64> = (0..200_003).collect();
        let squares = super::map(&items, |i| i * i);
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |b| *b).is_empty());
    }
}
