//! numpy arrays (any object with the buffer protocol) as ndcore views, without copying.
//!
//! This module is the one place of the extension that touches foreign memory: a buffer
//! export describes its elements by a pointer, a shape and byte strides, and a view is
//! built over the span of memory those reach. Everything after that is safe ndcore code.

use std::ops::Range;

use ndcalc::ndcore::npy::{DType, Element};
use ndcalc::{ArrayView, ArrayViewMut};
use pyo3::buffer::PyUntypedBuffer;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// The element type of a buffer from its struct-module format and item size (integer
/// codes name C types, whose widths the item size settles); native byte order only.
fn dtype_of(format: &str, size: usize) -> Option<DType> {
    let code = match format.as_bytes().first() {
        Some(b'@' | b'=') => &format[1..],
        Some(b'<') if cfg!(target_endian = "little") => &format[1..],
        Some(b'>' | b'!') if cfg!(target_endian = "big") => &format[1..],
        _ => format,
    };
    let int = |signed: bool| match (signed, size) {
        (true, 1) => Some(DType::I8),
        (true, 2) => Some(DType::I16),
        (true, 4) => Some(DType::I32),
        (true, 8) => Some(DType::I64),
        (false, 1) => Some(DType::U8),
        (false, 2) => Some(DType::U16),
        (false, 4) => Some(DType::U32),
        (false, 8) => Some(DType::U64),
        _ => None,
    };
    match (code, size) {
        ("?", 1) => Some(DType::Bool),
        ("b" | "h" | "i" | "l" | "q" | "n", _) => int(true),
        ("B" | "H" | "I" | "L" | "Q" | "N", _) => int(false),
        ("f", 4) => Some(DType::F32),
        ("d", 8) => Some(DType::F64),
        ("Zf", 8) => Some(DType::Complex64),
        ("Zd", 16) => Some(DType::Complex128),
        _ => None,
    }
}

/// The dtype numpy names `name` (what `np.empty(shape, dtype=name)` takes), if ndcore
/// has it.
pub fn named(name: &str) -> Option<DType> {
    DType::ALL.into_iter().find(|d| d.name() == name)
}

/// A buffer export held for the duration of one call, checked to be a plain strided
/// block of native-order elements of a type the extension computes on.
pub struct Buffer {
    buf: PyUntypedBuffer,
    pub dtype: DType,
    /// Element strides (the byte strides divided by the item size).
    strides: Vec<isize>,
    /// The elements' span in memory, from the lowest element to the highest, in
    /// elements relative to the pointer; empty for an array without elements.
    reach: Range<isize>,
    /// A 0-d array read through a 1-element export (see `get`).
    zero_dim: bool,
}

impl Buffer {
    /// The buffer of `obj`, read-only or not.
    pub fn get(obj: &Bound<'_, PyAny>) -> PyResult<Buffer> {
        // numpy exports a 0-d array without a shape, which PyO3 refuses: read its one
        // element through a 1-element view and give the buffer its 0-d shape back.
        let (buf, zero_dim) = match PyUntypedBuffer::get(obj) {
            Ok(buf) => (buf, false),
            Err(e) => match obj.getattr("ndim").and_then(|n| n.extract::<usize>()) {
                Ok(0) => (
                    PyUntypedBuffer::get(&obj.call_method1("reshape", (1,))?)?,
                    true,
                ),
                _ => return Err(e),
            },
        };
        let format = buf.format().to_string_lossy();
        let size = buf.item_size();
        let dtype = dtype_of(&format, size).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "ndkit does not compute on elements of buffer format '{format}' ({size} bytes)"
            ))
        })?;
        if buf.suboffsets().is_some_and(|s| s.iter().any(|&o| o >= 0)) {
            return Err(PyValueError::new_err(
                "ndkit needs a strided buffer, not one with indirect (PIL-style) sub-offsets",
            ));
        }
        let mut strides = Vec::with_capacity(buf.dimensions());
        for &s in buf.strides() {
            if s % size as isize != 0 {
                return Err(PyValueError::new_err(format!(
                    "a byte stride of {s} is not a multiple of the item size {size}: copy the array first"
                )));
            }
            strides.push(s / size as isize);
        }
        let align = match dtype {
            DType::Complex64 => 4,
            DType::Complex128 => 8,
            _ => size,
        };
        if !(buf.buf_ptr() as usize).is_multiple_of(align) {
            return Err(PyValueError::new_err(format!(
                "the array's data at {:#x} is not aligned to {align} bytes for {}: copy the array first",
                buf.buf_ptr() as usize,
                dtype.name()
            )));
        }
        if zero_dim {
            strides.clear();
        }
        let reach = if buf.shape().contains(&0) {
            0..0
        } else {
            let (mut lo, mut hi) = (0isize, 0isize);
            for (&n, &s) in buf.shape().iter().zip(&strides) {
                let far = (n as isize - 1) * s;
                if far < 0 {
                    lo += far;
                } else {
                    hi += far;
                }
            }
            lo..hi + 1
        };
        Ok(Buffer {
            buf,
            dtype,
            strides,
            reach,
            zero_dim,
        })
    }

    pub fn shape(&self) -> &[usize] {
        if self.zero_dim {
            &[]
        } else {
            self.buf.shape()
        }
    }

    pub fn readonly(&self) -> bool {
        self.buf.readonly()
    }

    /// The bytes the elements occupy, as addresses.
    fn bytes(&self) -> Range<usize> {
        let base = self.buf.buf_ptr() as usize;
        let size = self.buf.item_size() as isize;
        let at = |e: isize| base.wrapping_add_signed(e * size);
        at(self.reach.start)..at(self.reach.end)
    }

    /// Whether the two buffers share a byte.
    pub fn overlaps(&self, other: &Buffer) -> bool {
        let (a, b) = (self.bytes(), other.bytes());
        !a.is_empty() && !b.is_empty() && a.start < b.end && b.start < a.end
    }

    /// The elements as a view. `T` must be the buffer's element type.
    pub fn view<T: Element>(&self) -> PyResult<ArrayView<'_, T>> {
        self.typed::<T>()?;
        if self.dtype == DType::Bool {
            // A byte other than 0 or 1 is not a valid Rust `bool`; numpy can make one
            // (`uint8_array.view(bool)`), so look before reading the bytes as `bool`.
            let bytes = self.layout::<u8>()?;
            if bytes.iter().any(|&b| b > 1) {
                return Err(PyValueError::new_err(
                    "the bool array holds bytes other than 0 and 1: normalize it with `a != 0`",
                ));
            }
        }
        self.layout::<T>()
    }

    /// The elements as a mutable view, for a writable buffer that shares no memory with
    /// `inputs` (nor with itself: no zero or overlapping strides).
    pub fn view_mut<'a, T: Element>(
        &'a mut self,
        inputs: &[&Buffer],
    ) -> PyResult<ArrayViewMut<'a, T>> {
        self.typed::<T>()?;
        if self.readonly() {
            return Err(PyValueError::new_err("out is read-only"));
        }
        if inputs.iter().any(|b| b.overlaps(self)) {
            return Err(PyValueError::new_err(
                "out shares memory with an input: write into a separate array",
            ));
        }
        let (len, offset) = self.extent();
        if len == 0 {
            return ArrayViewMut::from_slice(&mut [], self.shape())
                .map_err(|e| PyValueError::new_err(e.to_string()));
        }
        let data: &'a mut [T] = {
            // SAFETY: the export keeps the exporter's memory alive and unmoved while
            // `self.buf` lives, which outlives 'a; every element of the shape and strides
            // lies in `reach`, and a strided block (no sub-offsets, checked in `get`) is
            // one allocation from its lowest element to its highest, so the whole span is
            // valid memory, aligned for `T` (checked in `get`, and the strides are whole
            // elements). `&mut self` and the overlap checks against the call's other
            // buffers make this the only reference to the span within this call;
            // `from_slice_with_strides` rejects strides under which two indices meet.
            unsafe {
                std::slice::from_raw_parts_mut(
                    self.buf.buf_ptr().cast::<T>().offset(self.reach.start),
                    len,
                )
            }
        };
        ArrayViewMut::from_slice_with_strides(data, self.shape(), &self.strides, offset)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    fn typed<T: Element>(&self) -> PyResult<()> {
        if T::DTYPE == self.dtype {
            Ok(())
        } else {
            Err(PyTypeError::new_err(format!(
                "expected an array of {}, got {}",
                T::DTYPE.name(),
                self.dtype.name()
            )))
        }
    }

    /// The span's length and the offset of element `[0, ..]` in it, in elements.
    fn extent(&self) -> (usize, usize) {
        let len = (self.reach.end - self.reach.start) as usize;
        (len, (-self.reach.start) as usize)
    }

    /// The elements read as `T`, a type of the buffer's item size whose every bit
    /// pattern is valid for the buffer's element type.
    fn layout<T: Copy>(&self) -> PyResult<ArrayView<'_, T>> {
        let (len, offset) = self.extent();
        let data: &[T] = if len == 0 {
            &[]
        } else {
            // SAFETY: as in `view_mut`, the span is valid, aligned memory for the life of
            // the export, which `&self` borrows; `T` is the element type or `u8` over
            // one-byte `bool`s. Other Python threads may write the array while the GIL is
            // released, as they may while numpy's own loops run.
            unsafe {
                std::slice::from_raw_parts(
                    self.buf
                        .buf_ptr()
                        .cast::<T>()
                        .cast_const()
                        .offset(self.reach.start),
                    len,
                )
            }
        };
        if len == 0 {
            return ArrayView::from_slice(data, self.shape())
                .map_err(|e| PyValueError::new_err(e.to_string()));
        }
        ArrayView::from_slice_with_strides(data, self.shape(), &self.strides, offset)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}
