//! Zero-copy byte views: an array's elements as bytes and bytes as an array, through
//! [`bytemuck`], for any plain-old-data element type (`T: bytemuck::Pod`: the
//! primitive numbers, `num_complex::Complex` of them, and user types deriving `Pod`).
//!
//! No element is copied either way; the checks are the ones a reinterpretation needs:
//! contiguity for [`as_bytes`](crate::Array::as_bytes), length and alignment for
//! [`from_bytes`](crate::ArrayView::from_bytes). Bytes are in the machine's byte order.

use bytemuck::Pod;

use crate::error::{Error, Result};
use crate::layout::{self, IntoShape};
use crate::{Array, ArrayView, ArrayViewMut, AsView, AsViewMut};

fn not_contiguous(shape: &[usize], strides: &[isize]) -> Error {
    Error::NotContiguous {
        shape: shape.to_vec(),
        strides: strides.to_vec(),
    }
}

/// Checks `bytes` against `shape` of `T`s and reinterprets them.
fn checked_cast<T: Pod>(shape: &[usize], len: usize, addr: usize) -> Result<()> {
    let size = std::mem::size_of::<T>();
    let name = std::any::type_name::<T>();
    if size == 0 {
        return Err(Error::BadBytes {
            reason: format!("cannot view bytes as the zero-sized type {name}"),
        });
    }
    let n = layout::size_checked(shape)?;
    let need = n.checked_mul(size).ok_or_else(|| Error::TooLarge {
        shape: shape.to_vec(),
    })?;
    if len != need {
        return Err(Error::BadBytes {
            reason: format!(
                "{len} bytes cannot hold shape {shape:?} of {name}: it needs {n} elements of {size} bytes = {need} bytes"
            ),
        });
    }
    let align = std::mem::align_of::<T>();
    if need > 0 && !addr.is_multiple_of(align) {
        return Err(Error::BadBytes {
            reason: format!(
                "bytes at address {addr:#x} are not aligned for {name}, which needs a multiple of {align} (off by {})",
                addr % align
            ),
        });
    }
    Ok(())
}

impl<'a, T: Pod> ArrayView<'a, T> {
    /// A row-major view of `bytes` as elements of `T` with `shape`, without copying.
    ///
    /// Errors ([`Error::BadBytes`]) when the length is not the shape's size times
    /// `size_of::<T>()` or the address is not a multiple of `align_of::<T>()`; both
    /// numbers are in the message. The bytes are read in the machine's byte order.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let words = [1u32, 2, 3, 4, 5, 6];              // a u32 array is 4-aligned
    /// let bytes: &[u8] = bytemuck::cast_slice(&words);
    /// let v = ArrayView::<u32>::from_bytes([2, 3], bytes).unwrap();
    /// assert_eq!(v[[1, 0]], 4);
    /// assert_eq!(v.as_slice().unwrap().as_ptr(), words.as_ptr()); // the same memory
    ///
    /// let err = ArrayView::<u32>::from_bytes([2, 2], bytes).unwrap_err();
    /// assert_eq!(err.to_string(),
    ///     "24 bytes cannot hold shape [2, 2] of u32: it needs 4 elements of 4 bytes = 16 bytes");
    /// assert!(ArrayView::<u32>::from_bytes([5], &bytes[1..21]).is_err()); // misaligned
    /// ```
    ///
    /// [`Error::BadBytes`]: crate::Error::BadBytes
    pub fn from_bytes(shape: impl IntoShape, bytes: &'a [u8]) -> Result<Self> {
        let shape = shape.into_shape();
        checked_cast::<T>(&shape, bytes.len(), bytes.as_ptr() as usize)?;
        // An empty view needs no alignment (bytemuck would still check it).
        let data: &[T] = if bytes.is_empty() {
            &[]
        } else {
            bytemuck::try_cast_slice(bytes).map_err(|e| Error::BadBytes {
                reason: format!("{e:?}"),
            })?
        };
        ArrayView::from_slice(data, shape)
    }

    /// The elements' bytes in logical order, without copying, for a C-contiguous view;
    /// [`Error::NotContiguous`] otherwise (copy with `to_owned()` first).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = array![[1u16, 2], [3, 4]];
    /// assert_eq!(a.view().as_bytes().unwrap().len(), 8);
    /// assert_eq!(a.view().as_bytes().unwrap(), bytemuck::cast_slice::<u16, u8>(&[1, 2, 3, 4]));
    /// assert!(a.t().as_bytes().is_err());
    /// ```
    ///
    /// [`Error::NotContiguous`]: crate::Error::NotContiguous
    pub fn as_bytes(&self) -> Result<&'a [u8]> {
        self.as_slice()
            .map(bytemuck::cast_slice)
            .ok_or_else(|| not_contiguous(self.shape(), self.strides()))
    }
}

impl<'a, T: Pod> ArrayViewMut<'a, T> {
    /// A row-major mutable view of `bytes` as elements of `T` with `shape`, without
    /// copying; checked as [`ArrayView::from_bytes`].
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut words = [0u32; 4];
    /// let mut v = ArrayViewMut::<u32>::from_bytes_mut([2, 2], bytemuck::cast_slice_mut(&mut words)).unwrap();
    /// v[[1, 1]] = 7;
    /// assert_eq!(words, [0, 0, 0, 7]);
    /// ```
    pub fn from_bytes_mut(shape: impl IntoShape, bytes: &'a mut [u8]) -> Result<Self> {
        let shape = shape.into_shape();
        checked_cast::<T>(&shape, bytes.len(), bytes.as_ptr() as usize)?;
        let data: &mut [T] = if bytes.is_empty() {
            &mut []
        } else {
            bytemuck::try_cast_slice_mut(bytes).map_err(|e| Error::BadBytes {
                reason: format!("{e:?}"),
            })?
        };
        ArrayViewMut::from_slice(data, shape)
    }

    /// The elements' bytes for a C-contiguous view; see [`ArrayView::as_bytes`].
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut a = array![[1u8, 2], [3, 4]];
    /// let v = a.view_mut();
    /// assert_eq!(v.as_bytes().unwrap(), &[1, 2, 3, 4]);
    /// ```
    pub fn as_bytes(&self) -> Result<&[u8]> {
        self.as_view()
            .as_slice()
            .map(bytemuck::cast_slice)
            .ok_or_else(|| not_contiguous(self.shape(), self.strides()))
    }

    /// The elements' bytes, mutably, for a C-contiguous view; [`Error::NotContiguous`]
    /// otherwise.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut a = array![[1u8, 2], [3, 4]];
    /// a.slice_mut(s![1, ..]).unwrap().as_bytes_mut().unwrap().fill(9);
    /// assert_eq!(a, array![[1, 2], [9, 9]]);
    /// assert!(a.slice_mut(s![.., 1]).unwrap().as_bytes_mut().is_err());
    /// ```
    ///
    /// [`Error::NotContiguous`]: crate::Error::NotContiguous
    pub fn as_bytes_mut(&mut self) -> Result<&mut [u8]> {
        let err = not_contiguous(self.shape(), self.strides());
        self.as_slice_mut().map(bytemuck::cast_slice_mut).ok_or(err)
    }
}

impl<T: Pod> Array<T> {
    /// The elements' bytes in logical order, without copying, when the array is in
    /// standard (C) layout; [`Error::NotContiguous`] for a column-major array (one read
    /// from a Fortran-order `.npy` file).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_vec(vec![1.0f64, -2.0]);
    /// let bytes = a.as_bytes().unwrap();
    /// assert_eq!(bytes.len(), 16);
    /// assert_eq!(ArrayView::<f64>::from_bytes([2], bytes).unwrap(), a);
    /// ```
    ///
    /// [`Error::NotContiguous`]: crate::Error::NotContiguous
    pub fn as_bytes(&self) -> Result<&[u8]> {
        self.view().as_bytes()
    }

    /// The elements' bytes, mutably, when in standard layout.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut a = Array::<u16>::zeros([2]);
    /// a.as_bytes_mut().unwrap().copy_from_slice(&[1, 0, 0, 1]);
    /// assert_eq!(a.to_vec(), vec![u16::from_ne_bytes([1, 0]), u16::from_ne_bytes([0, 1])]);
    /// ```
    pub fn as_bytes_mut(&mut self) -> Result<&mut [u8]> {
        let err = not_contiguous(self.shape(), self.strides());
        self.as_slice_mut().map(bytemuck::cast_slice_mut).ok_or(err)
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn round_trip_and_errors() {
        let a = Array::from_shape_fn([3, 2], |ix| (ix[0] * 2 + ix[1]) as f32);
        let b = ArrayView::<f32>::from_bytes([2, 3], a.as_bytes().unwrap()).unwrap();
        assert_eq!(b.to_vec(), a.to_vec());
        let err = ArrayView::<f32>::from_bytes([7], a.as_bytes().unwrap()).unwrap_err();
        assert!(err
            .to_string()
            .contains("needs 7 elements of 4 bytes = 28 bytes"));
        let words = [0u64; 3];
        let bytes: &[u8] = bytemuck::cast_slice(&words);
        let v = ArrayView::<u32>::from_bytes([4], &bytes[4..20]).unwrap();
        assert_eq!(v.len(), 4);
        let err = ArrayView::<u64>::from_bytes([2], &bytes[4..20]).unwrap_err();
        assert!(
            err.to_string()
                .contains("not aligned for u64, which needs a multiple of 8 (off by 4)"),
            "{err}"
        );
        // Empty arrays need no alignment.
        assert!(ArrayView::<u64>::from_bytes([0, 3], &bytes[1..1]).is_ok());
        let err = ArrayView::<()>::from_bytes([0], &[]).err().unwrap();
        assert!(err.to_string().contains("zero-sized"));
        let t = a.t();
        assert_eq!(
            t.as_bytes().unwrap_err().to_string(),
            "array of shape [2, 3] with strides [1, 2] is not in standard (C-contiguous) layout"
        );
    }
}
