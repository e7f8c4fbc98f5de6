//! Fresh buffers for large outputs.
//!
//! Writing a new 128 MB output touches 32768 pages of 4 KiB, and the page faults cost
//! more than the computation. On Linux, buffers of 4 MiB or more are advised as
//! transparent huge pages (`madvise(MADV_HUGEPAGE)`, as numpy does for its large
//! allocations), which cuts the faults by 512. Elsewhere, and if the kernel declines,
//! the buffer is an ordinary zeroed allocation.

use bytemuck::Zeroable;

/// Below this many bytes, huge pages do not pay.
const HUGE_PAGE_MIN: usize = 4 << 20;

/// `n` zeroed elements, in memory advised as huge pages when large. The zeroed pages
/// come lazily from the kernel, so this costs no pass over memory.
pub(crate) fn zeroed_vec<T: Zeroable>(n: usize) -> Vec<T> {
    let mut v: Vec<T> = bytemuck::zeroed_vec(n);
    let bytes = std::mem::size_of_val(v.as_slice());
    if bytes >= HUGE_PAGE_MIN {
        advise_huge_pages(v.as_mut_ptr().cast(), bytes);
    }
    v
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(ptr: *mut u8, len: usize) {
    use std::ffi::{c_int, c_void};
    extern "C" {
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }
    const MADV_HUGEPAGE: c_int = 14;
    const PAGE: usize = 4096;
    // madvise needs a page-aligned start; advise only the whole pages inside the buffer.
    let start = (ptr as usize).next_multiple_of(PAGE);
    let end = (ptr as usize + len) & !(PAGE - 1);
    if end > start {
        // SAFETY: [start, end) lies inside the live allocation `ptr..ptr + len`, and
        // MADV_HUGEPAGE is advice only: it never changes the memory's contents or
        // validity. A failure (an old kernel, THP disabled) leaves ordinary pages.
        unsafe {
            madvise(
                ptr.wrapping_add(start - ptr as usize).cast(),
                end - start,
                MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_ptr: *mut u8, _len: usize) {}
