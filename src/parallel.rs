//! The machine's second core: two pieces of work at once, one on this
//! thread and one on another, for the stages whose parts depend on nothing
//! of each other (a long file's halves, the rules beside the grants, each
//! target's printing, the files of a build, the nested templates). Where
//! no thread can start, both run here, one after the other.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// `here()` on this thread while `there()` runs on another; a panic on the
/// other thread goes on on this one.
pub fn both<A, B: Send>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B) {
    let there = Mutex::new(Some(there));
    // Whichever thread takes the work first does it; it is taken once.
    let run = || there.lock().unwrap_or_else(PoisonError::into_inner).take().map(|work| work());
    std::thread::scope(|threads| {
        let other = std::thread::Builder::new().spawn_scoped(threads, run);
        let a = here();
        let b = match other {
            Ok(other) => other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        (a, b.or_else(run).expect("the other work runs on one of the two threads"))
    })
}

/// `f` of every item, in order: the first half on this thread, the second
/// on another.
pub fn in_halves<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    in_two(items, items.len() / 2, f)
}

/// `f` of every item, in order: those before `at` on this thread, the
/// rest on another.
pub fn in_two<T: Sync, R: Send>(items: &[T], at: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let (first, second) = items.split_at(at.min(items.len()));
    let (mut out, rest) =
        both(|| first.iter().map(&f).collect::<Vec<R>>(), || second.iter().map(&f).collect::<Vec<R>>());
    out.extend(rest);
    out
}

/// `f` of every item, in order, on this thread and another, each taking
/// the next `chunk` items as it is free: for items whose costs are not
/// known ahead (nor alike), so neither thread waits for the other long.
pub fn in_turn<T: Sync, R: Send>(items: &[T], chunk: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let chunks: Vec<&[T]> = items.chunks(chunk.max(1)).collect();
    let take = || {
        let mut done = Vec::new();
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            let Some(items) = chunks.get(c) else { return done };
            done.push((c, items.iter().map(&f).collect::<Vec<R>>()));
        }
    };
    let (mut done, there) = both(take, take);
    done.extend(there);
    done.sort_unstable_by_key(|(c, _)| *c);
    done.into_iter().flat_map(|(_, results)| results).collect()
}

#[cfg(test)]
mod tests {
    use super::{both, in_turn};

    #[test]
    fn in_turn_gives_every_result_in_order() {
        let items: Vec<u32> = (0..1000).collect();
        for chunk in [0, 1, 7, 1000, 5000] {
            assert_eq!(in_turn(&items, chunk, |i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(in_turn(&[] as &[u32], 4, |i| *i).is_empty());
    }

    #[test]
    fn both_give_their_results_in_order() {
        let data = [1, 2, 3];
        assert_eq!(both(|| data[0] + 1, || data.iter().sum::<i32>()), (2, 6));
    }

    #[test]
    #[should_panic(expected = "there")]
    fn a_panic_on_the_other_thread_goes_on_here() {
        both(|| (), || panic!("there"));
    }
}
