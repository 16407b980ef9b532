//! The allocator the `lambdaform` binary and the benches run on: mimalloc
//! (its v2 line, `libmimalloc-sys`), called the way the system allocator
//! is called. A build allocates and frees millions of small strings and
//! tree nodes; glibc's free-list consolidation took a third of a large
//! build, and v3 of mimalloc touched a third more memory for the same heap
//! (docs/performance.md).
//!
//! The `mimalloc` crate's `GlobalAlloc` asks for every block through
//! `mi_malloc_aligned`, whose checks of the alignment cost about twenty
//! instructions more than `mi_malloc` on each of the 880,000 allocations
//! of a build at 1,000 functions (4% of its instructions). Every mimalloc
//! block is aligned to 8 bytes at least (to 16 from 16 bytes on: its
//! small size classes are rounded to two words), so a layout aligned to 8
//! or less takes `mi_malloc`, as Rust's own `System` takes `malloc`; a
//! larger alignment still goes through `mi_malloc_aligned`.
//!
//! With the `count-allocations` feature it also counts what it hands out
//! ([`counts`]), for the timeline to tell per stage.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// The largest alignment every mimalloc block has.
const BLOCK_ALIGN: usize = 8;

/// mimalloc as a `#[global_allocator]`.
pub struct Mimalloc;

/// A mimalloc function that allocates `size` bytes.
type Plain = unsafe extern "C" fn(usize) -> *mut c_void;
/// One that allocates `size` bytes at an alignment.
type Aligned = unsafe extern "C" fn(usize, usize) -> *mut c_void;

/// A block of `layout` from `plain`, or from `aligned` when the layout
/// asks for more than every block has.
///
/// # Safety
/// As [`GlobalAlloc::alloc`]: `layout` has a size other than zero.
#[inline]
unsafe fn block(layout: Layout, plain: Plain, aligned: Aligned) -> *mut u8 {
    if layout.align() <= BLOCK_ALIGN {
        plain(layout.size()).cast()
    } else {
        aligned(layout.size(), layout.align()).cast()
    }
}

// SAFETY: each method hands the layout's size (and, above `BLOCK_ALIGN`,
// its alignment) to the mimalloc function that honours it, and frees only
// what mimalloc allocated.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        #[cfg(feature = "count-allocations")]
        counts::allocated(layout.size(), 0);
        block(layout, mi::mi_malloc, mi::mi_malloc_aligned)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        #[cfg(feature = "count-allocations")]
        counts::allocated(layout.size(), 0);
        block(layout, mi::mi_zalloc, mi::mi_zalloc_aligned)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        #[cfg(feature = "count-allocations")]
        counts::freed(_layout.size());
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        #[cfg(feature = "count-allocations")]
        counts::allocated(new_size, layout.size());
        if layout.align() <= BLOCK_ALIGN {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

/// What the allocator has handed out since the process started (the
/// `count-allocations` feature).
#[cfg(feature = "count-allocations")]
pub mod counts {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

    static CALLS: AtomicU64 = AtomicU64::new(0);
    static BYTES: AtomicU64 = AtomicU64::new(0);
    static FREED: AtomicU64 = AtomicU64::new(0);

    /// A block of `size` bytes handed out, in place of one of `replaced`
    /// bytes (a `realloc`; 0 otherwise).
    pub(super) fn allocated(size: usize, replaced: usize) {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(size as u64, Relaxed);
        FREED.fetch_add(replaced as u64, Relaxed);
    }

    /// A block of `size` bytes given back.
    pub(super) fn freed(size: usize) {
        FREED.fetch_add(size as u64, Relaxed);
    }

    /// Allocations so far, the bytes they asked for, and the bytes still
    /// live.
    pub fn now() -> (u64, u64, u64) {
        let bytes = BYTES.load(Relaxed);
        (CALLS.load(Relaxed), bytes, bytes.saturating_sub(FREED.load(Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With `count-allocations`, a block handed out adds a call and its
    /// bytes, and taking it back leaves them (other tests allocate at the
    /// same time, so the counts only ever grow past what this one adds).
    #[cfg(feature = "count-allocations")]
    #[test]
    fn counts_every_block_it_hands_out() {
        let (calls, bytes, _) = counts::now();
        let layout = Layout::from_size_align(1000, 8).expect("a layout");
        // SAFETY: a layout of 1,000 bytes, freed with the same layout.
        unsafe {
            let block = Mimalloc.alloc(layout);
            let (calls_after, bytes_after, _) = counts::now();
            assert!(calls_after > calls && bytes_after >= bytes + 1000);
            Mimalloc.dealloc(block, layout);
        }
    }

    /// Every size a build asks for small blocks in, at every alignment
    /// up to a page: aligned as asked, written whole, grown and shrunk
    /// with the contents kept.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_contents() {
        let allocator = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=300).chain([4095, 4096, 70_000]) {
                let layout = Layout::from_size_align(size, align).expect("a layout");
                // SAFETY: sizes are not zero; each block is freed once
                // with the layout it has.
                unsafe {
                    let block = allocator.alloc(layout);
                    assert!(!block.is_null() && (block as usize).is_multiple_of(align), "{size} bytes at {align}");
                    std::ptr::write_bytes(block, 0xA5, size);
                    let grown = allocator.realloc(block, layout, size * 3);
                    assert!((grown as usize).is_multiple_of(align), "{size} bytes at {align}, grown");
                    assert!((0..size).all(|i| *grown.add(i) == 0xA5));
                    let grown_layout = Layout::from_size_align(size * 3, align).expect("a layout");
                    let shrunk = allocator.realloc(grown, grown_layout, size.div_ceil(2));
                    assert!((shrunk as usize).is_multiple_of(align), "{size} bytes at {align}, shrunk");
                    assert!((0..size.div_ceil(2)).all(|i| *shrunk.add(i) == 0xA5));
                    allocator.dealloc(shrunk, Layout::from_size_align(size.div_ceil(2), align).expect("a layout"));
                    let zeroed = allocator.alloc_zeroed(layout);
                    assert!((zeroed as usize).is_multiple_of(align), "{size} zeroed bytes at {align}");
                    assert!((0..size).all(|i| *zeroed.add(i) == 0));
                    allocator.dealloc(zeroed, layout);
                }
            }
        }
    }
}
