//! The machine's second core: two pieces of work at once, for the stages
//! whose parts depend on nothing of each other (a long file's halves, the
//! rules beside the grants, each target's printing, the files of a build,
//! the nested templates).
//!
//! The work runs on rayon's pool, whose threads live as long as the
//! process: a stage never waits for a thread to start, and each thread
//! keeps its allocator's pages from one stage to the next instead of
//! touching fresh ones (on this class of machine a fresh page costs more
//! than the work on it). Where no other thread is free, both pieces run
//! on one, one after the other.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The stack of a pool thread: that of a main thread, since the work the
/// main thread did before the pool now runs there.
const STACK: usize = 8 << 20;

/// `here()` and `there()` at once, each on a thread of the pool (or both
/// on one); a panic in either goes on in the caller, once both are done
/// where they ran at once.
pub fn both<A: Send, B: Send>(here: impl FnOnce() -> A + Send, there: impl FnOnce() -> B + Send) -> (A, B) {
    if ALONE.get() {
        return (here(), there());
    }
    match pool() {
        Some(pool) => pool.install(|| rayon::join(here, there)),
        None => (here(), there()),
    }
}

/// `f` on the caller's thread alone: each `both` inside it runs its two
/// pieces there, one after the other, and `on_pool` its work there. For
/// work smaller than what starting the pool's threads costs (about 0.6 ms
/// here, each thread faulting in its allocator's first pages).
pub fn alone<R>(f: impl FnOnce() -> R) -> R {
    /// Puts the caller's setting back, even when `f` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ALONE.set(self.0);
        }
    }
    let _restore = Restore(ALONE.replace(true));
    f()
}

thread_local! {
    /// Whether this thread runs inside [`alone`].
    static ALONE: Cell<bool> = const { Cell::new(false) };
}

/// `f` on a thread of the pool while the caller waits. A stage run there
/// gives half its work to the other thread without waking the caller, and
/// what it frees is used again by the stages after it: each thread's
/// allocator keeps its own pages, and the caller's would stay unused.
pub fn on_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if ALONE.get() {
        return f();
    }
    match pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Starts the pool's threads, if they are not up, without waiting for
/// them: the caller goes on with work of its own while they start.
pub fn start() {
    pool();
}

/// The pool, started on first use; `None` where no thread can be started,
/// and every piece of work then runs on the caller's. Its own rather than
/// rayon's global one: that waits until each of its threads has started
/// (each faults in its allocator's first pages, about 0.3 ms apiece here),
/// where this one takes work as soon as the first of them is up.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().stack_size(STACK).build().ok()).as_ref()
}

/// Where to cut `items` so that the first part holds `share` (a
/// numerator and a denominator) of their total `weight`: the items before
/// the cut weigh at least that, those before the last of them less.
pub fn cut_by_weight<T>(items: &[T], weight: impl Fn(&T) -> usize, share: (usize, usize)) -> usize {
    let (part, whole) = share;
    let total: usize = items.iter().map(&weight).sum();
    let mut so_far = 0;
    items
        .iter()
        .position(|item| {
            so_far += weight(item);
            so_far * whole >= total * part
        })
        .map_or(items.len() * part / whole, |i| i + 1)
}

/// `f` of every item, in order: the two halves at once.
pub fn in_halves<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let (first, second) = items.split_at(items.len() / 2);
    let (mut out, rest) =
        both(|| first.iter().map(&f).collect::<Vec<R>>(), || second.iter().map(&f).collect::<Vec<R>>());
    out.extend(rest);
    out
}

/// `f` of every item, in order, on two threads, each taking the next
/// `chunk` items as it is free: for items whose costs are not
/// known ahead (nor alike), so neither thread waits for the other long.
pub fn in_turn<T: Sync, R: Send>(items: &[T], chunk: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    in_turn_with(items, chunk, || (), |(), item| f(item))
}

/// [`in_turn`], each thread with a state of its own that `f` keeps
/// between items (buffers it reuses): made by `state` once per thread.
pub fn in_turn_with<T: Sync, S, R: Send>(
    items: &[T],
    chunk: usize,
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let chunks: Vec<&[T]> = items.chunks(chunk.max(1)).collect();
    let take = || {
        let mut state = state();
        let mut done = Vec::new();
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            let Some(items) = chunks.get(c) else { return done };
            done.push((c, items.iter().map(|item| f(&mut state, item)).collect::<Vec<R>>()));
        }
    };
    let (mut done, there) = both(take, take);
    done.extend(there);
    done.sort_unstable_by_key(|(c, _)| *c);
    // Sized once: collected from the chunks, a layer's resources were
    // copied into a vector doubled a dozen times.
    let mut results = Vec::with_capacity(items.len());
    for (_, chunk) in done {
        results.extend(chunk);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::{alone, both, cut_by_weight, in_turn, in_turn_with, on_pool};

    #[test]
    fn a_cut_leaves_the_share_of_the_weight_before_it() {
        let even = [1, 1, 1, 1];
        assert_eq!(cut_by_weight(&even, |w| *w, (1, 2)), 2);
        assert_eq!(cut_by_weight(&even, |w| *w, (1, 3)), 2, "a third of 4 is reached after the second");
        // A heavy first item is a third on its own.
        assert_eq!(cut_by_weight(&[3, 1, 1, 1, 1, 1], |w| *w, (1, 3)), 1);
        assert_eq!(cut_by_weight(&[1, 1, 1, 9], |w| *w, (1, 2)), 4);
        assert_eq!(cut_by_weight(&[] as &[usize], |w| *w, (1, 2)), 0);
    }

    #[test]
    fn in_turn_gives_every_result_in_order() {
        let items: Vec<u32> = (0..1000).collect();
        for chunk in [0, 1, 7, 1000, 5000] {
            assert_eq!(in_turn(&items, chunk, |i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(in_turn(&[] as &[u32], 4, |i| *i).is_empty());
    }

    #[test]
    fn in_turn_with_keeps_one_state_per_thread() {
        let items: Vec<u32> = (0..1000).collect();
        // Each result is the item and how many items its thread's state
        // had seen: a state per thread, never shared, so the counts of
        // the two threads add up to every item once.
        let results = in_turn_with(
            &items,
            7,
            || 0u32,
            |seen, i| {
                *seen += 1;
                (*i, *seen)
            },
        );
        assert_eq!(results.iter().map(|(i, _)| *i).collect::<Vec<_>>(), items);
        // Each thread counted 1, 2, ... up to the items it took: every
        // count up to the larger total once or twice, and the two totals
        // add up to the items.
        let counts: Vec<u32> = results.iter().map(|(_, seen)| *seen).collect();
        let largest = counts.iter().copied().max().expect("results");
        let times = |n: u32| counts.iter().filter(|seen| **seen == n).count();
        assert!((1..=largest).all(|n| (1..=2).contains(&times(n))));
        let smaller = (1..=largest).filter(|n| times(*n) == 2).count();
        assert_eq!(largest as usize + smaller, items.len());
    }

    #[test]
    fn on_pool_runs_its_work_on_a_thread_of_the_pool() {
        assert_eq!(rayon::current_thread_index(), None, "a test's own thread is not the pool's");
        assert_eq!(on_pool(|| rayon::current_thread_index().map(|_| "pool")), Some("pool"));
    }

    #[test]
    fn alone_runs_both_pieces_on_the_callers_thread() {
        let caller = std::thread::current().id();
        let ids = alone(|| both(|| std::thread::current().id(), || std::thread::current().id()));
        assert_eq!(ids, (caller, caller));
        assert_eq!(alone(|| on_pool(|| std::thread::current().id())), caller);
        // And only inside it: the pool takes the work again after.
        assert_eq!(on_pool(|| rayon::current_thread_index().map(|_| "pool")), Some("pool"));
    }

    #[test]
    fn alone_ends_even_when_its_work_panics() {
        let panicked = std::panic::catch_unwind(|| alone(|| panic!("inside")));
        assert!(panicked.is_err());
        assert!(!super::ALONE.get(), "this thread is no longer alone");
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
