//! Hands the pages the allocator keeps only as free memory back to the system, so that a
//! reading of resident memory counts the pages that hold data.
//!
//! Why a memory check needs it: glibc's allocator gives each thread that allocates an
//! arena of its own and keeps what is freed there for reuse, returning pages to the system
//! only from the top of an arena. Freed pages in the middle stay resident, so two readings
//! of the same program holding the same bytes differ by however the last burst of
//! short-lived allocations happened to fall across the arenas: in one run of
//! `examples/load.rs`, by 4,368 KiB (+16.8%) between its 10,000th and 50,000th call while
//! its live heap grew by 324 KiB. `malloc_trim(0)` gives back every whole free page of every arena;
//! what it cannot give back is held, which is what a leak check is after.

/// Whether this build's allocator can be asked to give its free pages back (glibc on
/// Linux); elsewhere [`release_free_pages`] does nothing.
#[allow(dead_code)] // the memory bench reports only what it reads
pub const RELEASES_FREE_PAGES: bool = cfg!(all(target_os = "linux", target_env = "gnu"));

/// Returns the allocator's free pages to the system where the allocator allows it (see
/// [`RELEASES_FREE_PAGES`]).
pub fn release_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            /// glibc's, declared in `<malloc.h>`.
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: `malloc_trim` takes a plain integer, touches only the allocator's own
        // free lists under its locks, and may be called from any thread at any time.
        unsafe { malloc_trim(0) };
    }
}
