//! Data parallelism, through rayon, with one panic policy: work that panics is caught where it ran
//! and comes back as a [`WorkerPanic`], which the caller turns into a reported problem naming its
//! file and, where it can, redoes item by item so only the item that failed is left out. Nothing
//! a worker computed is ever silently dropped. Pure operations that cannot fail on data (sorting,
//! mapping numbers) use rayon's iterators directly; a panic there reaches the caller, whose own
//! catch (the dataset loader's) reports it.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

/// Work that panicked, with what it said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerPanic {
    /// The panic's message, when it had one.
    pub message: String,
}

impl std::fmt::Display for WorkerPanic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "internal error: {}", self.message)
    }
}

/// Runs `work`, turning a panic into a [`WorkerPanic`].
///
/// # Errors
/// The panic's message, when `work` panics.
pub fn catch<T>(work: impl FnOnce() -> T) -> Result<T, WorkerPanic> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a worker stopped unexpectedly".to_owned());
        WorkerPanic { message }
    })
}

/// `work(first_index, chunk)` for each contiguous chunk of `chunk_len` items, on all cores; the
/// results in the items' order, each chunk's panic caught on its own.
pub fn map_chunks<T: Sync, U: Send>(
    items: &[T],
    chunk_len: usize,
    work: impl Fn(usize, &[T]) -> U + Sync,
) -> Vec<Result<U, WorkerPanic>> {
    let chunk_len = chunk_len.max(1);
    items.par_chunks(chunk_len).enumerate().map(|(number, chunk)| catch(|| work(number * chunk_len, chunk))).collect()
}

/// How many workers the pool has.
pub fn threads() -> usize {
    rayon::current_num_threads().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_their_order_and_a_panic_stays_in_its_chunk() {
        let items: Vec<u64> = (0..10_000).collect();
        let results = map_chunks(&items, 1000, |first, chunk| {
            assert!(first != 3000, "chunk at {first} fails");
            chunk.iter().map(|i| i * 2).collect::<Vec<_>>()
        });
        assert_eq!(results.len(), 10);
        let failed: Vec<usize> = results.iter().enumerate().filter(|(_, r)| r.is_err()).map(|(i, _)| i).collect();
        assert_eq!(failed, [3]);
        let Err(panic) = &results[3] else { unreachable!() };
        assert!(panic.message.contains("chunk at 3000 fails"), "{panic:?}");
        let doubled: Vec<u64> = results.into_iter().filter_map(Result::ok).flatten().collect();
        assert_eq!(doubled.len(), 9000);
        assert!(doubled.windows(2).all(|w| w[0] < w[1]));
    }
}
