//! Writing a `.npy` file slab by slab.

use std::marker::PhantomData;
use std::path::Path;

use super::stage::Staged;
use super::{header, Element, NpyError};
use crate::ArrayView;

/// A `.npy` file written in pieces: the header first, with the final shape, then the
/// elements in the file's memory order (row-major, or column-major when
/// `fortran_order`), one slab after another, so an array larger than memory can be
/// produced without ever holding it.
///
/// The file is written under a temporary name beside `path` and renamed into place by
/// [`finish`](NpyWriter::finish) only when exactly the declared number of elements has
/// been written: an error, a panic or a killed process never leaves a partial file
/// under `path`, and an existing file there is replaced only by a complete one.
///
/// ```
/// use ndcore::npy::{self, NpyWriter};
/// use ndcore::prelude::*;
/// # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
/// let path = std::env::temp_dir().join(format!("ndcore-doc-stream-{}.npy", std::process::id()));
/// let mut w = NpyWriter::<f64>::create(&path, &[3, 2], false)?;
/// w.write_slab(&[1.0, 2.0])?;                 // row 0
/// w.write_slab(&[3.0, 4.0, 5.0, 6.0])?;       // rows 1 and 2
/// w.finish()?;
/// assert_eq!(npy::read::<f64>(&path)?, array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
///
/// let mut short = NpyWriter::<f64>::create(&path, &[3, 2], false)?;
/// short.write_slab(&[0.0; 4])?;
/// let err = short.finish().unwrap_err();
/// assert_eq!(err.to_string(), "only 4 of the 6 elements the .npy header declares were written");
/// assert_eq!(npy::read::<f64>(&path)?[[2, 1]], 6.0);   // the old file is untouched
/// std::fs::remove_file(&path)?;
/// # Ok::<(), npy::NpyError>(())
/// ```
pub struct NpyWriter<T> {
    out: Staged,
    declared: u64,
    written: u64,
    elem: PhantomData<fn(&T)>,
}

impl<T> std::fmt::Debug for NpyWriter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpyWriter")
            .field("declared", &self.declared)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl<T: Element> NpyWriter<T> {
    /// Starts the file at `path` for an array of `shape` and writes its header (numpy's
    /// bytes for that dtype, order and shape). Errors when the temporary file cannot be
    /// created or the shape's byte count overflows.
    pub fn create(
        path: impl AsRef<Path>,
        shape: &[usize],
        fortran_order: bool,
    ) -> Result<Self, NpyError> {
        let itemsize = T::DTYPE.itemsize();
        let declared = shape
            .iter()
            .try_fold(1u64, |n, &k| n.checked_mul(k as u64))
            .filter(|n| n.checked_mul(itemsize as u64).is_some())
            .ok_or_else(|| NpyError::ShapeOverflow {
                shape: shape.to_vec(),
                itemsize,
            })?;
        let mut out = Staged::create(path.as_ref())?;
        std::io::Write::write_all(
            &mut out,
            &header::header_bytes(T::DTYPE, fortran_order, shape),
        )?;
        Ok(NpyWriter {
            out,
            declared,
            written: 0,
            elem: PhantomData,
        })
    }

    /// Appends `elems`, the next elements in the file's memory order. Errors with
    /// [`NpyError::TooManyElements`] (writing nothing) when they would exceed the shape.
    pub fn write_slab(&mut self, elems: &[T]) -> Result<(), NpyError> {
        let n = elems.len() as u64;
        if n > self.declared - self.written {
            return Err(NpyError::TooManyElements {
                declared: self.declared,
                written: self.written,
                slab: n,
            });
        }
        T::write_view(&mut self.out, &ArrayView::from_slice(elems, [elems.len()])?)?;
        self.written += n;
        Ok(())
    }

    /// The number of elements written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The number of elements the header declares.
    pub fn declared(&self) -> u64 {
        self.declared
    }

    /// Completes the file: checks that every declared element was written (else
    /// [`NpyError::TooFewElements`], and the temporary file is deleted) and renames it
    /// to the path given to [`create`](Self::create). Like `np.save`, it does not wait
    /// for the disk: a crash of the machine (not of the program) soon after may leave
    /// an incomplete file under the name; [`finish_durable`](Self::finish_durable)
    /// waits.
    pub fn finish(self) -> Result<(), NpyError> {
        self.complete()?.commit(false)
    }

    /// Like [`finish`](Self::finish), and waits until the file and its name are on the
    /// disk (`fsync` of the file before the rename and of its directory after), so even
    /// after a crash of the machine `path` holds the old file or the complete new one.
    /// Costs about as much again as writing the file.
    ///
    /// ```
    /// use ndcore::npy::{self, NpyWriter};
    /// # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
    /// let path = std::env::temp_dir().join(format!("ndcore-doc-durable-{}.npy", std::process::id()));
    /// let mut w = NpyWriter::<i32>::create(&path, &[3], false)?;
    /// w.write_slab(&[1, 2, 3])?;
    /// w.finish_durable()?;
    /// assert_eq!(npy::read::<i32>(&path)?.into_vec(), [1, 2, 3]);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), npy::NpyError>(())
    /// ```
    pub fn finish_durable(self) -> Result<(), NpyError> {
        self.complete()?.commit(true)
    }

    /// The staged file when every declared element was written.
    fn complete(self) -> Result<Staged, NpyError> {
        if self.written != self.declared {
            return Err(NpyError::TooFewElements {
                declared: self.declared,
                written: self.written,
            });
        }
        Ok(self.out)
    }
}
