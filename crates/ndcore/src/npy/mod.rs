//! Reading and writing numpy's `.npy` files.
//!
//! # The format
//!
//! A `.npy` file is a short header followed by the raw elements:
//!
//! | bytes | content |
//! |---|---|
//! | 6 | the magic string `\x93NUMPY` |
//! | 2 | the format version, major then minor: 1.0, 2.0 or 3.0 |
//! | 2 (v1) or 4 (v2, v3) | `HEADER_LEN`, little-endian |
//! | `HEADER_LEN` | a Python dict literal, Latin-1 (v1, v2) or UTF-8 (v3), padded with spaces and a newline so the data starts at a multiple of 64 |
//! | the rest | the elements, `shape.product() * itemsize` bytes, in C or Fortran order |
//!
//! The dictionary has exactly three keys, for example
//! `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`: `descr` is the dtype
//! (`'<'` little-endian, `'>'` big-endian, `'|'` for one-byte types), `fortran_order`
//! says whether the first index varies fastest, and `shape` is a tuple (`()` for a 0-d
//! array).
//!
//! # What is supported
//!
//! - dtypes `bool`, `int8`..`int64`, `uint8`..`uint64`, `float32`, `float64`,
//!   `complex64`, `complex128` (the [`Element`] types: `bool`, `i8`..`u64`, `f32`, `f64`,
//!   `num_complex::Complex<f32>` and `Complex<f64>`);
//! - format versions 1.0, 2.0 and 3.0 on read; the writer picks 1.0, or 2.0 for a header
//!   longer than 65535 bytes, as numpy does, and writes the same bytes numpy writes;
//! - both byte orders on read (big-endian data is swapped once, in place, after reading);
//!   the writer uses the machine's order;
//! - C and Fortran order. A Fortran-order file becomes an [`Array`] with column-major
//!   strides over the bytes as read: no transpose copy. Writing a column-major view
//!   writes `fortran_order: True` and its memory as is, as numpy does.
//!
//! Object arrays (pickles), strings, dates, `float16`, `longdouble` and structured
//! dtypes are refused with an error that names the dtype.
//!
//! # Zero-copy paths
//!
//! - **Reading** allocates the `Vec<T>` of the array once and reads the file's bytes
//!   straight into it (through [`bytemuck`]); native-order data is never copied again.
//!   The buffer grows with the bytes that actually arrive, so a header that claims a
//!   terabyte of data costs nothing until the data is there.
//! - **Writing** a C-contiguous (or Fortran-contiguous) view writes its memory in one
//!   `write_all`; other views are written in logical order through a small buffer.
//! - [`view`] borrows the data of an in-memory file (a `&[u8]` from `include_bytes!`,
//!   a memory map, a network buffer) as an [`ArrayView`] without copying any element,
//!   when the byte order is the machine's and the data is aligned (numpy aligns it to
//!   64 bytes within the file).
//! - Independently of the format, [`ArrayView::from_bytes`] and `as_bytes` (on
//!   [`Array`], [`ArrayView`], [`ArrayViewMut`](crate::ArrayViewMut)) reinterpret element buffers as bytes
//!   and back.
//!
//! # Errors
//!
//! Malformed input gives an [`NpyError`] that says what is wrong with the numbers, never
//! a panic: see its variants. The header is limited to [`MAX_HEADER_LEN`] bytes.
//!
//! ```
//! use ndcore::npy;
//! use ndcore::prelude::*;
//!
//! let a = Array::from_shape_fn([2, 3], |ix| (ix[0] * 3 + ix[1]) as f64);
//! let mut file = Vec::new();
//! npy::write_to(&mut file, &a.t()).unwrap();         // a Fortran-order file
//! let b: Array<f64> = npy::read_from(&file[..]).unwrap();
//! assert_eq!(b, a.t());
//! assert_eq!(b.strides(), &[1, 3]);                   // column-major, as stored
//!
//! let err = npy::read_from::<i64, _>(&file[..]).unwrap_err();
//! assert_eq!(err.to_string(),
//!     "dtype mismatch: the file holds float64 ('<f8'), but int64 ('<i8') was requested");
//! ```

mod dtype;
mod error;
mod header;
mod map;
mod stage;
mod stream;

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

pub use dtype::{AnyArray, ByteOrder, DType, Element};
pub use error::NpyError;
pub use header::Header;
pub use map::{map, NpyMap};
pub use stream::NpyWriter;

use crate::{Array, ArrayLike, ArrayView, AsView};
use dtype::DataCtx;

/// The longest header dictionary accepted, in bytes (1 MiB; numpy writes a few hundred
/// and refuses more than 10000 by default).
pub const MAX_HEADER_LEN: u64 = 1 << 20;

/// Reads the prelude and header dictionary of a `.npy` stream, leaving `reader` at the
/// first data byte.
///
/// With [`read_body`] this reads several arrays written one after another to one stream
/// (what repeated `np.save(f, a)` on one file object produces).
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// let mut stream = Vec::new();
/// npy::write_to(&mut stream, &array![1u8, 2]).unwrap();
/// npy::write_to(&mut stream, &array![[3.5f32]]).unwrap();
/// let mut r = &stream[..];
/// let h = npy::read_header(&mut r).unwrap();
/// assert_eq!(npy::read_body::<u8>(&h, &mut r).unwrap().to_vec(), vec![1, 2]);
/// let h = npy::read_header(&mut r).unwrap();
/// assert_eq!(npy::read_body_any(&h, &mut r).unwrap().dtype().name(), "float32");
/// assert!(r.is_empty());
/// ```
pub fn read_header(reader: &mut impl Read) -> Result<Header, NpyError> {
    header::read_header(reader)
}

/// Reads the data that follows `header` as an `Array<T>`, leaving `reader` just after
/// it. Errors with [`NpyError::DtypeMismatch`] when the file holds another dtype and
/// [`NpyError::MissingData`] when the stream ends early. See [`read_header`].
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// let mut buf = Vec::new();
/// npy::write_to(&mut buf, &array![[1i64, 2], [3, 4]]).unwrap();
/// let mut r = &buf[..];
/// let h = npy::read_header(&mut r).unwrap();
/// assert_eq!(h.shape, vec![2, 2]);
/// assert_eq!(npy::read_body::<i64>(&h, &mut r).unwrap(), array![[1, 2], [3, 4]]);
/// ```
pub fn read_body<T: Element>(
    header: &Header,
    reader: &mut impl Read,
) -> Result<Array<T>, NpyError> {
    read_body_hinted(header, reader, false)
}

/// Reads the data that follows `header` as whatever dtype the header names.
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// let mut buf = Vec::new();
/// npy::write_to(&mut buf, &array![0.5f32]).unwrap();
/// let mut r = &buf[..];
/// let h = npy::read_header(&mut r).unwrap();
/// let any = npy::read_body_any(&h, &mut r).unwrap();
/// assert_eq!(any.into_array::<f32>().unwrap().to_vec(), vec![0.5]);
/// ```
pub fn read_body_any(header: &Header, reader: &mut impl Read) -> Result<AnyArray, NpyError> {
    read_body_any_hinted(header, reader, false)
}

/// `known`: the caller knows that many bytes are available, so read them in one step.
fn read_body_hinted<T: Element>(
    header: &Header,
    reader: &mut impl Read,
    known: bool,
) -> Result<Array<T>, NpyError> {
    if header.dtype != T::DTYPE {
        return Err(NpyError::DtypeMismatch {
            expected: T::DTYPE,
            found: header.dtype,
        });
    }
    let ctx = DataCtx {
        shape: &header.shape,
        expected: header.data_len(),
    };
    let n = header.checked_len()?;
    let data = T::read_vec(reader, n, known, header.byte_order, &ctx)?;
    Ok(Array::from_shape_vec_strides(
        header.shape.as_slice(),
        &header.strides(),
        data,
    )?)
}

fn read_body_any_hinted(
    header: &Header,
    reader: &mut impl Read,
    known: bool,
) -> Result<AnyArray, NpyError> {
    fn go<T: Element>(h: &Header, r: &mut impl Read, known: bool) -> Result<AnyArray, NpyError> {
        read_body_hinted::<T>(h, r, known).map(AnyArray::from)
    }
    use num_complex::Complex;
    match header.dtype {
        DType::Bool => go::<bool>(header, reader, known),
        DType::I8 => go::<i8>(header, reader, known),
        DType::I16 => go::<i16>(header, reader, known),
        DType::I32 => go::<i32>(header, reader, known),
        DType::I64 => go::<i64>(header, reader, known),
        DType::U8 => go::<u8>(header, reader, known),
        DType::U16 => go::<u16>(header, reader, known),
        DType::U32 => go::<u32>(header, reader, known),
        DType::U64 => go::<u64>(header, reader, known),
        DType::F32 => go::<f32>(header, reader, known),
        DType::F64 => go::<f64>(header, reader, known),
        DType::Complex64 => go::<Complex<f32>>(header, reader, known),
        DType::Complex128 => go::<Complex<f64>>(header, reader, known),
    }
}

/// Errors with [`NpyError::TrailingBytes`] unless `reader` is exhausted.
fn expect_end(header: &Header, reader: &mut impl Read) -> Result<(), NpyError> {
    let mut one = [0u8; 1];
    if dtype::read_full(reader, &mut one)? == 0 {
        return Ok(());
    }
    let rest = io::copy(reader, &mut io::sink())?;
    Err(NpyError::TrailingBytes {
        expected: header.data_len(),
        extra: rest + 1,
    })
}

/// Reads one whole `.npy` stream as an `Array<T>`: header, data, and nothing after.
///
/// Errors when the stream holds another dtype ([`NpyError::DtypeMismatch`] names both),
/// is malformed, ends early or has bytes after the data. A Fortran-order file gives an
/// array with column-major strides.
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// let mut buf = Vec::new();
/// npy::write_to(&mut buf, &array![[1, 2], [3, 4]]).unwrap();
/// let a: Array<i32> = npy::read_from(&buf[..]).unwrap();
/// assert_eq!(a, array![[1, 2], [3, 4]]);
/// buf.push(0);
/// assert_eq!(npy::read_from::<i32, _>(&buf[..]).unwrap_err().to_string(),
///            "1 trailing bytes after the 16 bytes of array data");
/// ```
pub fn read_from<T: Element, R: Read>(mut reader: R) -> Result<Array<T>, NpyError> {
    let header = read_header(&mut reader)?;
    let a = read_body(&header, &mut reader)?;
    expect_end(&header, &mut reader)?;
    Ok(a)
}

/// Reads one whole `.npy` stream whatever its dtype; see [`read_from`] and [`AnyArray`].
///
/// ```
/// use ndcore::npy::{self, AnyArray};
/// use ndcore::prelude::*;
/// let mut buf = Vec::new();
/// npy::write_to(&mut buf, &array![true, false]).unwrap();
/// let any = npy::read_any_from(&buf[..]).unwrap();
/// assert_eq!(any, AnyArray::Bool(array![true, false]));
/// ```
pub fn read_any_from<R: Read>(mut reader: R) -> Result<AnyArray, NpyError> {
    let header = read_header(&mut reader)?;
    let a = read_body_any(&header, &mut reader)?;
    expect_end(&header, &mut reader)?;
    Ok(a)
}

fn open(path: &Path) -> Result<(File, Option<u64>), NpyError> {
    let file = File::open(path).map_err(|source| NpyError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    // A regular file's length tells how many bytes a read can expect.
    let len = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    Ok((file, len))
}

/// Reads the `.npy` file at `path` as an `Array<T>`; see [`read_from`].
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// # if cfg!(miri) { return; } // no file system under Miri's isolation
/// let path = std::env::temp_dir().join(format!("ndcore-doc-read-{}.npy", std::process::id()));
/// npy::write(&path, &Array::linspace(0.0, 1.0, 5)).unwrap();
/// let a = npy::read::<f64>(&path).unwrap();
/// assert_eq!(a.to_vec(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
/// let err = npy::read::<f32>(&path).unwrap_err();
/// assert!(err.to_string().contains("holds float64"));
/// std::fs::remove_file(&path).unwrap();
/// ```
pub fn read<T: Element>(path: impl AsRef<Path>) -> Result<Array<T>, NpyError> {
    let (mut file, len) = open(path.as_ref())?;
    let header = read_header(&mut file)?;
    let known = len.is_some_and(|n| n >= header.data_offset.saturating_add(header.data_len()));
    let a = read_body_hinted(&header, &mut file, known)?;
    expect_end(&header, &mut file)?;
    Ok(a)
}

/// Reads the `.npy` file at `path` whatever its dtype; see [`read_any_from`].
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// # if cfg!(miri) { return; } // no file system under Miri's isolation
/// let path = std::env::temp_dir().join(format!("ndcore-doc-any-{}.npy", std::process::id()));
/// npy::write(&path, &array![[1u16, 2, 3]]).unwrap();
/// let any = npy::read_any(&path).unwrap();
/// assert_eq!((any.dtype().name(), any.shape()), ("uint16", &[1, 3][..]));
/// std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_any(path: impl AsRef<Path>) -> Result<AnyArray, NpyError> {
    let (mut file, len) = open(path.as_ref())?;
    let header = read_header(&mut file)?;
    let known = len.is_some_and(|n| n >= header.data_offset.saturating_add(header.data_len()));
    let a = read_body_any_hinted(&header, &mut file, known)?;
    expect_end(&header, &mut file)?;
    Ok(a)
}

/// Writes `array` as a `.npy` stream: numpy's header (byte for byte what `np.save`
/// writes for the same array), then the elements in the machine's byte order.
///
/// A C-contiguous view is written from its memory in one piece, a Fortran-contiguous one
/// likewise with `fortran_order: True`; any other view (reversed, sliced with steps,
/// broadcast) is written in logical C order through a small buffer.
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// let a = Array::from_shape_fn([3, 4], |ix| (ix[0] * 4 + ix[1]) as i64);
/// let mut buf = Vec::new();
/// npy::write_to(&mut buf, &a.slice(s![..;-1, 1..;2]).unwrap()).unwrap();
/// let b = npy::read_from::<i64, _>(&buf[..]).unwrap();
/// assert_eq!(b.to_vec(), vec![9, 11, 5, 7, 1, 3]);
/// assert_eq!(buf.len(), 128 + 6 * 8);
/// ```
pub fn write_to<T: Element, W: Write>(
    mut writer: W,
    array: &impl ArrayLike<T>,
) -> Result<(), NpyError> {
    let v = array.view();
    let fortran = !v.is_standard_layout() && v.t().is_standard_layout();
    writer.write_all(&header::header_bytes(T::DTYPE, fortran, v.shape()))?;
    if fortran {
        T::write_view(&mut writer, &v.t())?;
    } else {
        T::write_view(&mut writer, &v)?;
    }
    writer.flush()?;
    Ok(())
}

/// Writes `array` to a new `.npy` file at `path` (replacing any file there); see
/// [`write_to`].
///
/// The file is written under a temporary name beside `path` and renamed into place when
/// complete, so an interrupted write never leaves a partial file under `path`, and an
/// existing file there is replaced only by a complete one. Like `np.save`, it does not
/// wait for the disk: after a crash of the machine (not of the program) soon after, the
/// name may hold an incomplete file. [`NpyWriter::finish_durable`] waits for the disk.
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// # if cfg!(miri) { return; } // no file system under Miri's isolation
/// let path = std::env::temp_dir().join(format!("ndcore-doc-write-{}.npy", std::process::id()));
/// npy::write(&path, &array![[1.0f32, 2.0], [3.0, 4.0]].t()).unwrap();
/// assert_eq!(npy::read::<f32>(&path).unwrap().to_vec(), vec![1.0, 3.0, 2.0, 4.0]);
/// std::fs::remove_file(&path).unwrap();
/// ```
pub fn write<T: Element>(
    path: impl AsRef<Path>,
    array: &impl ArrayLike<T>,
) -> Result<(), NpyError> {
    let mut out = stage::Staged::create(path.as_ref())?;
    write_to(&mut out, array)?;
    out.commit(false)
}

/// A view of the array inside an in-memory `.npy` file, without copying the elements.
///
/// Needs the machine's byte order (or one-byte elements), data aligned for `T` in
/// memory (numpy aligns it to 64 bytes from the file start, so a buffer aligned to the
/// element size is enough), `bool` bytes that are 0 or 1, and exactly the bytes the
/// shape needs after the header. Otherwise use [`read_from`], which copies and converts.
/// A Fortran-order file gives a view with column-major strides.
///
/// ```
/// use ndcore::npy;
/// use ndcore::prelude::*;
/// let mut file = Vec::new();
/// npy::write_to(&mut file, &array![[1u8, 2, 3], [4, 5, 6]]).unwrap();
/// let v = npy::view::<u8>(&file).unwrap();
/// assert_eq!(v, array![[1, 2, 3], [4, 5, 6]]);
/// assert_eq!(v.as_slice().unwrap().as_ptr(), file[128..].as_ptr()); // no copy
/// ```
pub fn view<T: Element>(bytes: &[u8]) -> Result<ArrayView<'_, T>, NpyError> {
    let mut r = bytes;
    let header = read_header(&mut r)?;
    if header.dtype != T::DTYPE {
        return Err(NpyError::DtypeMismatch {
            expected: T::DTYPE,
            found: header.dtype,
        });
    }
    header.check_data_len(r.len() as u64)?;
    if header.dtype.itemsize() > 1 && header.byte_order != ByteOrder::native() {
        return Err(NpyError::NotViewable {
            reason: format!(
                "the file is {:?}-endian and this machine is {:?}-endian",
                header.byte_order,
                ByteOrder::native()
            ),
        });
    }
    let align = std::mem::align_of::<T>();
    if !(r.as_ptr() as usize).is_multiple_of(align) {
        return Err(NpyError::NotViewable {
            reason: format!(
                "the data starts at address {:#x}, {} bytes past a multiple of {align}, the alignment of {}",
                r.as_ptr() as usize,
                r.as_ptr() as usize % align,
                T::DTYPE
            ),
        });
    }
    let data = T::cast_bytes(r).map_err(|reason| NpyError::NotViewable { reason })?;
    Ok(ArrayView::from_slice_with_strides(
        data,
        header.shape.as_slice(),
        &header.strides(),
        0,
    )?)
}

impl<T: Element> Array<T> {
    /// Reads the `.npy` file at `path`; [`npy::read`](read()) as a constructor.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// # if cfg!(miri) { return; } // no file system under Miri's isolation
    /// let path = std::env::temp_dir().join(format!("ndcore-doc-arr-{}.npy", std::process::id()));
    /// array![[1i8, -2]].write_npy(&path).unwrap();
    /// let a = Array::<i8>::read_npy(&path).unwrap();
    /// assert_eq!(a, array![[1, -2]]);
    /// assert!(Array::<u8>::read_npy(&path).is_err());
    /// std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn read_npy(path: impl AsRef<Path>) -> Result<Self, NpyError> {
        read(path)
    }

    /// Reads a `.npy` stream; [`npy::read_from`](read_from) as a constructor.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut buf = Vec::new();
    /// array![0.5f64].write_npy_to(&mut buf).unwrap();
    /// assert_eq!(Array::<f64>::read_npy_from(&buf[..]).unwrap()[[0]], 0.5);
    /// ```
    pub fn read_npy_from(reader: impl Read) -> Result<Self, NpyError> {
        read_from(reader)
    }

    /// Writes the array to a `.npy` file; see [`npy::write`](write()).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// # if cfg!(miri) { return; } // no file system under Miri's isolation
    /// let path = std::env::temp_dir().join(format!("ndcore-doc-wnpy-{}.npy", std::process::id()));
    /// Array::from_vec(vec![1u64, 2]).write_npy(&path).unwrap();
    /// assert_eq!(std::fs::read(&path).unwrap().len(), 128 + 16);
    /// std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn write_npy(&self, path: impl AsRef<Path>) -> Result<(), NpyError> {
        write(path, self)
    }

    /// Writes the array as a `.npy` stream; see [`npy::write_to`](write_to).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut buf = Vec::new();
    /// Array::<i8>::zeros([3]).write_npy_to(&mut buf).unwrap();
    /// assert_eq!(&buf[..6], b"\x93NUMPY");
    /// ```
    pub fn write_npy_to(&self, writer: impl Write) -> Result<(), NpyError> {
        write_to(writer, self)
    }
}

impl<T: Element> ArrayView<'_, T> {
    /// Writes the view to a `.npy` file in logical order; see [`npy::write`](write()).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// # if cfg!(miri) { return; } // no file system under Miri's isolation
    /// let path = std::env::temp_dir().join(format!("ndcore-doc-view-{}.npy", std::process::id()));
    /// let a = array![[1u32, 2], [3, 4]];
    /// a.slice(s![.., 1]).unwrap().write_npy(&path).unwrap();
    /// assert_eq!(Array::<u32>::read_npy(&path).unwrap().to_vec(), vec![2, 4]);
    /// std::fs::remove_file(&path).unwrap();
    /// ```
    pub fn write_npy(&self, path: impl AsRef<Path>) -> Result<(), NpyError> {
        write(path, self)
    }

    /// Writes the view as a `.npy` stream; see [`npy::write_to`](write_to).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = array![[1i32, 2], [3, 4]];
    /// let mut buf = Vec::new();
    /// a.t().write_npy_to(&mut buf).unwrap();   // column-major: fortran_order True
    /// assert_eq!(Array::<i32>::read_npy_from(&buf[..]).unwrap(), a.t());
    /// ```
    pub fn write_npy_to(&self, writer: impl Write) -> Result<(), NpyError> {
        write_to(writer, self)
    }
}
