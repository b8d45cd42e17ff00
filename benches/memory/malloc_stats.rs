//! glibc's own count of the bytes it has handed out (`mallinfo2`), beside the counting
//! allocator's.
//!
//! Why both: the counting allocator sees only what Rust allocates. aws-lc (the HMAC and
//! RSA keys of the schemes with the `aws-lc` feature, and rustls' provider) allocates
//! with C `malloc` directly, which only glibc's figure includes. glibc's figure has
//! chunk headers and rounding in it, so it reads a little above the Rust one for the same
//! objects.

/// `struct mallinfo2` (glibc 2.33+): every field a `size_t`.
#[repr(C)]
#[derive(Default)]
struct MallInfo2 {
    arena: usize,
    ordblks: usize,
    smblks: usize,
    hblks: usize,
    hblkhd: usize,
    usmblks: usize,
    fsmblks: usize,
    uordblks: usize,
    fordblks: usize,
    keepcost: usize,
}

unsafe extern "C" {
    fn mallinfo2() -> MallInfo2;
}

/// Bytes in use from malloc, all arenas and mmapped chunks, as glibc counts them.
pub fn malloc_in_use() -> i64 {
    // SAFETY: `mallinfo2` takes nothing and returns a plain struct; glibc locks its
    // arenas while it adds them up.
    let info = unsafe { mallinfo2() };
    (info.uordblks + info.hblkhd) as i64
}
