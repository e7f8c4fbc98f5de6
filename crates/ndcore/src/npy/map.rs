//! `.npy` files read through a memory map.

use std::fs::File;
use std::path::Path;

use super::{read_header, Element, Header, NpyError};
use crate::ArrayView;

/// A `.npy` file mapped into memory: [`view`](NpyMap::view) borrows its elements as an
/// [`ArrayView`] with no copy and no heap, whatever the file's size. Made by [`map`].
///
/// The pages are the file's own (loaded from the page cache on first touch, dropped by
/// the kernel under memory pressure), so mapping a file larger than memory works. The
/// file must not be modified by anyone while it is mapped.
pub struct NpyMap {
    map: memmap2::Mmap,
    header: Header,
}

/// Maps the `.npy` file at `path` read-only and checks its header and length.
///
/// Every dtype [`read`](super::read) reads, C and Fortran order. The typed view needs
/// the machine's byte order and data aligned for the element type (numpy aligns it to
/// 64 bytes, and a map starts on a page): a big-endian file on a little-endian machine,
/// or a file from a writer that misaligns the data, maps but refuses the view with
/// [`NpyError::NotViewable`] naming the cause; read such a file with
/// [`read`](super::read), which converts, or rewrite it with numpy
/// (`np.save(path, a.astype(a.dtype.newbyteorder('=')))`).
///
/// Errors: the file cannot be opened or mapped, its header is malformed, or its length
/// differs from what the header declares ([`NpyError::MissingData`] for a truncated
/// file, [`NpyError::TrailingBytes`] for extra bytes), before any element is read.
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
/// let path = std::env::temp_dir().join(format!("ndcore-doc-map-{}.npy", std::process::id()));
/// let a = Array::from_shape_fn([3, 4], |ix| (10 * ix[0] + ix[1]) as i32);
/// npy::write(&path, &a.t())?;                       // a Fortran-order file
/// let map = npy::map(&path)?;
/// assert_eq!((map.header().shape.as_slice(), map.header().fortran_order), (&[4, 3][..], true));
/// let v = map.view::<i32>()?;
/// assert_eq!(v, a.t());
/// assert_eq!(v.strides(), &[1, 4]);
/// assert!(map.view::<f32>().is_err());                // the file holds int32
/// drop(map);
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn map(path: impl AsRef<Path>) -> Result<NpyMap, NpyError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| NpyError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let map = crate::raw::map_file(&file)?;
    let mut rest = &map[..];
    let header = read_header(&mut rest)?;
    header.check_data_len(rest.len() as u64)?;
    Ok(NpyMap { map, header })
}

impl std::fmt::Debug for NpyMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpyMap")
            .field("header", &self.header)
            .field("len", &self.map.len())
            .finish()
    }
}

impl NpyMap {
    /// The file's header: dtype, byte order, memory order and shape.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The elements as an [`ArrayView`] over the mapped file, with column-major strides
    /// for a Fortran-order file. Errors with [`NpyError::DtypeMismatch`] when the file
    /// holds another dtype and [`NpyError::NotViewable`] when its byte order is not the
    /// machine's, its data is misaligned, or a `bool` byte is neither 0 nor 1 (see
    /// [`map`]).
    pub fn view<T: Element>(&self) -> Result<ArrayView<'_, T>, NpyError> {
        super::view(&self.map)
    }

    /// Tells the kernel this process is done, for now, with the data bytes `range`
    /// (counted from the first data byte): their pages leave the process's resident set
    /// but stay in the page cache, and the next access maps them back. A reader that
    /// walks a large file once calls this behind itself, so its resident memory stays
    /// small (the page cache is shared and reclaimable; resident pages of a map count
    /// against the process). The data is unchanged and every view stays valid.
    ///
    /// ```
    /// use ndcore::npy;
    /// use ndcore::prelude::*;
    /// # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
    /// let path = std::env::temp_dir().join(format!("ndcore-doc-release-{}.npy", std::process::id()));
    /// npy::write(&path, &Array::from_shape_fn([1000], |i| i[0] as f64))?;
    /// let map = npy::map(&path)?;
    /// let v = map.view::<f64>()?;
    /// let head: f64 = v.iter().take(500).sum();
    /// map.release(0..500 * 8);
    /// assert_eq!(v.iter().take(500).sum::<f64>(), head);   // the same values, read again
    /// # drop(map);
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(&self, range: std::ops::Range<usize>) {
        let start = (self.header.data_offset as usize).saturating_add(range.start);
        crate::raw::release(&self.map, start, range.len());
    }

    /// The whole file, header included.
    pub fn as_bytes(&self) -> &[u8] {
        &self.map
    }
}
