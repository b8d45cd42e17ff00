//! The system allocator, counting what is allocated and not yet freed (the live heap), the
//! most that has been live at once since the last [`reset_peak`], and how many requests it
//! served ([`requests`]).
//!
//! Resident memory (`VmRSS`) also counts what the allocator keeps after it is freed, and
//! pages touched once and never returned; the live heap counts only what the program
//! still holds, so the two together tell a leak from an allocator that keeps its pages.
//! Shared by `examples/load.rs`, `benches/memory.rs` and `benches/allocations.rs`
//! (included with `#[path]`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicU64, Ordering};

/// The counting wrapper; installed as the global allocator below.
pub struct CountingAllocator;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static PEAK_BYTES: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static REALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// Bytes asked for: each allocation's size, and what each reallocation added.
static BYTES_ASKED: AtomicU64 = AtomicU64::new(0);

impl CountingAllocator {
    fn allocated(size: usize) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES_ASKED.fetch_add(size as u64, Ordering::Relaxed);
        Self::grew(size as isize);
    }

    fn grew(by: isize) {
        let live = LIVE_BYTES.fetch_add(by, Ordering::Relaxed) + by;
        PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed to the system allocator unchanged; the counters are only
// read for the report.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is the system allocator's.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            Self::allocated(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`; calloc's zeroed pages are not copied.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            Self::allocated(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from this allocator, with this layout.
        unsafe { System.dealloc(pointer, layout) };
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is the system allocator's.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            REALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            BYTES_ASKED.fetch_add(
                new_size.saturating_sub(layout.size()) as u64,
                Ordering::Relaxed,
            );
            Self::grew(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Bytes allocated and not yet freed, by every thread of this process.
pub fn live_bytes() -> i64 {
    LIVE_BYTES.load(Ordering::Relaxed) as i64
}

/// The most bytes live at once since the last [`reset_peak`] (or the start).
#[allow(dead_code)] // the load example reads the live heap only
pub fn peak_bytes() -> i64 {
    PEAK_BYTES.load(Ordering::Relaxed) as i64
}

/// Starts a new peak from what is live now.
#[allow(dead_code)]
pub fn reset_peak() {
    PEAK_BYTES.store(LIVE_BYTES.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// Allocations, reallocations and bytes asked for so far, by every thread of this process.
#[allow(dead_code)] // read by the allocation bench only
pub fn requests() -> [u64; 3] {
    [&ALLOCATIONS, &REALLOCATIONS, &BYTES_ASKED].map(|counter| counter.load(Ordering::SeqCst))
}
