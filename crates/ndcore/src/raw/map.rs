//! Read-only memory maps of files.

use std::fs::File;
use std::io;

/// The whole of `file`, mapped read-only and shared with the page cache.
///
/// Reading through the map never copies into anonymous memory: the pages are the
/// file's, loaded on first touch and dropped by the kernel under memory pressure, so a
/// mapped file of any size costs no heap.
pub(crate) fn map_file(file: &File) -> io::Result<memmap2::Mmap> {
    // SAFETY: the map is read-only, so this process never writes through it. Another
    // process truncating or rewriting the file while it is mapped would change bytes
    // behind a `&[u8]` (or raise SIGBUS on truncation); like every memory-mapping
    // reader (numpy's `np.load(mmap_mode='r')` included), the `npy::map` contract leaves
    // that to the caller, who must not modify a file while it is mapped.
    let map = unsafe { memmap2::Mmap::map(file)? };
    // The data is read front to back, slab after slab: let the kernel read ahead.
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(map)
}

/// Drops the pages of `map[offset..offset + len]` from this process's resident set
/// (the kernel rounds to whole pages). They stay in the page cache; the next access
/// maps them back. Advice only: a failure changes nothing and is not reported.
pub(crate) fn release(map: &memmap2::Mmap, offset: usize, len: usize) {
    let len = len.min(map.len().saturating_sub(offset));
    if len == 0 {
        return;
    }
    #[cfg(unix)]
    // SAFETY: the map is a read-only shared map of a file. MADV_DONTNEED on it only
    // removes this process's page table entries: the next access faults the same file
    // bytes back in (from the page cache or the disk), so every reference into the map,
    // including ones alive now, keeps reading the same values. (Only private or
    // anonymous maps lose data to MADV_DONTNEED, which is why memmap2 marks it unsafe.)
    let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, offset, len) };
}
