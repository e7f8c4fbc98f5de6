//! Element types: the [`DType`] tag, the sealed [`Element`] trait and [`AnyArray`].

use std::fmt;
use std::io::{self, Read, Write};

use num_complex::Complex;

use super::NpyError;
use crate::{Array, ArrayView, AsView};

/// The element types a `.npy` file can hold that this crate reads and writes, named as
/// numpy names them.
///
/// ```
/// use ndcore::npy::DType;
/// assert_eq!(DType::F64.name(), "float64");
/// assert_eq!(DType::Complex64.itemsize(), 8);
/// assert_eq!(DType::Bool.descr(), "|b1");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DType {
    /// `bool`, numpy `bool` (`'|b1'`), one byte 0 or 1.
    Bool,
    /// `i8`, numpy `int8`.
    I8,
    /// `i16`, numpy `int16`.
    I16,
    /// `i32`, numpy `int32`.
    I32,
    /// `i64`, numpy `int64`.
    I64,
    /// `u8`, numpy `uint8`.
    U8,
    /// `u16`, numpy `uint16`.
    U16,
    /// `u32`, numpy `uint32`.
    U32,
    /// `u64`, numpy `uint64`.
    U64,
    /// `f32`, numpy `float32`.
    F32,
    /// `f64`, numpy `float64`.
    F64,
    /// `Complex<f32>`, numpy `complex64`.
    Complex64,
    /// `Complex<f64>`, numpy `complex128`.
    Complex128,
}

/// The byte order of a file's elements.
///
/// ```
/// use ndcore::npy::ByteOrder;
/// let native = ByteOrder::native();
/// assert!(native == ByteOrder::Little || native == ByteOrder::Big);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// Least significant byte first (`'<'`), numpy's order on every common machine.
    Little,
    /// Most significant byte first (`'>'`).
    Big,
}

impl ByteOrder {
    /// The byte order of the machine running this code.
    pub fn native() -> ByteOrder {
        if cfg!(target_endian = "big") {
            ByteOrder::Big
        } else {
            ByteOrder::Little
        }
    }
}

impl DType {
    /// Every supported dtype.
    pub const ALL: [DType; 13] = [
        DType::Bool,
        DType::I8,
        DType::I16,
        DType::I32,
        DType::I64,
        DType::U8,
        DType::U16,
        DType::U32,
        DType::U64,
        DType::F32,
        DType::F64,
        DType::Complex64,
        DType::Complex128,
    ];

    /// The size of one element in bytes.
    ///
    /// ```
    /// use ndcore::npy::DType;
    /// assert_eq!(DType::ALL.map(DType::itemsize), [1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16]);
    /// ```
    pub fn itemsize(self) -> usize {
        match self {
            DType::Bool | DType::I8 | DType::U8 => 1,
            DType::I16 | DType::U16 => 2,
            DType::I32 | DType::U32 | DType::F32 => 4,
            DType::I64 | DType::U64 | DType::F64 | DType::Complex64 => 8,
            DType::Complex128 => 16,
        }
    }

    /// numpy's name of the dtype: `"float64"`, `"uint8"`, `"complex64"`, `"bool"`.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::U8 => "uint8",
            DType::U16 => "uint16",
            DType::U32 => "uint32",
            DType::U64 => "uint64",
            DType::F32 => "float32",
            DType::F64 => "float64",
            DType::Complex64 => "complex64",
            DType::Complex128 => "complex128",
        }
    }

    /// The type character numpy uses in `descr` (`'b'`, `'i'`, `'u'`, `'f'`, `'c'`).
    fn kind(self) -> char {
        match self {
            DType::Bool => 'b',
            DType::I8 | DType::I16 | DType::I32 | DType::I64 => 'i',
            DType::U8 | DType::U16 | DType::U32 | DType::U64 => 'u',
            DType::F32 | DType::F64 => 'f',
            DType::Complex64 | DType::Complex128 => 'c',
        }
    }

    /// The `descr` string this crate writes: `'|'` for one-byte types, the machine's
    /// byte order otherwise (`"<f8"` on little-endian machines).
    ///
    /// ```
    /// use ndcore::npy::DType;
    /// assert_eq!(DType::Bool.descr(), "|b1");
    /// assert_eq!(&DType::Complex128.descr()[1..], "c16");
    /// ```
    pub fn descr(self) -> String {
        self.descr_with(ByteOrder::native())
    }

    /// The `descr` string for the given byte order (`'|'` for one-byte types).
    ///
    /// ```
    /// use ndcore::npy::{ByteOrder, DType};
    /// assert_eq!(DType::I32.descr_with(ByteOrder::Big), ">i4");
    /// assert_eq!(DType::U8.descr_with(ByteOrder::Big), "|u1");
    /// ```
    pub fn descr_with(self, order: ByteOrder) -> String {
        let c = match (self.itemsize(), order) {
            (1, _) => '|',
            (_, ByteOrder::Little) => '<',
            (_, ByteOrder::Big) => '>',
        };
        format!("{c}{}{}", self.kind(), self.itemsize())
    }

    /// The size of the unit whose bytes a byte swap reverses (a complex number swaps
    /// its two halves separately).
    pub(crate) fn swap_unit(self) -> usize {
        match self {
            DType::Complex64 | DType::Complex128 => self.itemsize() / 2,
            _ => self.itemsize(),
        }
    }

    /// Parses a numpy type string such as `"<f8"`, `"|b1"`, `">c16"`.
    pub(crate) fn parse(descr: &str) -> Result<(DType, ByteOrder), DescrError> {
        let (order, rest) = match descr.as_bytes().first() {
            Some(b'<') => (Some(ByteOrder::Little), &descr[1..]),
            Some(b'>') => (Some(ByteOrder::Big), &descr[1..]),
            Some(b'|') | Some(b'=') => (None, &descr[1..]),
            _ => (None, descr),
        };
        let mut chars = rest.chars();
        let kind = chars.next().ok_or(DescrError::Bad)?;
        let digits = chars.as_str();
        let numeric = digits.bytes().all(|b| b.is_ascii_digit()) && !digits.is_empty();
        match kind {
            'O' => return Err(DescrError::Object),
            'b' | 'i' | 'u' | 'f' | 'c' if numeric => {}
            // Strings, bytes, voids, dates and timedeltas: numpy dtypes this crate does
            // not read ("<U5", "|S3", "|V8", "<M8[ns]").
            'S' | 'a' | 'U' | 'V' | 'M' | 'm'
                if digits.bytes().next().is_some_and(|b| b.is_ascii_digit()) =>
            {
                return Err(DescrError::Unsupported)
            }
            _ => return Err(DescrError::Bad),
        }
        let size: usize = digits.parse().map_err(|_| DescrError::Unsupported)?;
        let dtype = match (kind, size) {
            ('b', 1) => DType::Bool,
            ('i', 1) => DType::I8,
            ('i', 2) => DType::I16,
            ('i', 4) => DType::I32,
            ('i', 8) => DType::I64,
            ('u', 1) => DType::U8,
            ('u', 2) => DType::U16,
            ('u', 4) => DType::U32,
            ('u', 8) => DType::U64,
            ('f', 4) => DType::F32,
            ('f', 8) => DType::F64,
            ('c', 8) => DType::Complex64,
            ('c', 16) => DType::Complex128,
            _ => return Err(DescrError::Unsupported),
        };
        // '|' and '=' (and no character) mean "not applicable" or "native".
        let order = order.unwrap_or_else(ByteOrder::native);
        Ok((dtype, order))
    }
}

impl fmt::Display for DType {
    /// numpy's name, as [`DType::name`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a `descr` string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DescrError {
    Bad,
    Unsupported,
    Object,
}

/// Bytes read so far and needed, for [`NpyError::MissingData`].
pub struct DataCtx<'a> {
    pub shape: &'a [usize],
    pub expected: u64,
}

/// The number of bytes requested from the reader at a time when its length is unknown:
/// the buffer grows with the data actually present, so a header that claims terabytes
/// costs nothing until the bytes arrive.
const CHUNK_BYTES: usize = 1 << 20;

/// Reads into `buf` until it is full or the reader is exhausted; the count read.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match r.read(&mut buf[done..]) {
            Ok(0) => break,
            Ok(k) => done += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Reads `n` plain-old-data elements, growing the buffer only as bytes arrive (in one
/// step when `known` says that many bytes are available).
fn read_pod<T: bytemuck::Pod>(
    r: &mut impl Read,
    n: usize,
    known: bool,
    ctx: &DataCtx<'_>,
) -> Result<Vec<T>, NpyError> {
    let size = std::mem::size_of::<T>();
    let mut v: Vec<T> = Vec::new();
    while v.len() < n {
        let old = v.len();
        let step = if known {
            n
        } else {
            (CHUNK_BYTES / size).max(old).min(n - old)
        };
        v.resize(old + step, T::zeroed());
        let buf: &mut [u8] = bytemuck::cast_slice_mut(&mut v[old..]);
        let got = read_full(r, buf)?;
        if got < buf.len() {
            return Err(NpyError::MissingData {
                shape: ctx.shape.to_vec(),
                expected: ctx.expected,
                found: (old * size + got) as u64,
            });
        }
    }
    Ok(v)
}

fn swap_bytes<T: bytemuck::Pod>(v: &mut [T], unit: usize) {
    if unit > 1 {
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(v);
        bytes.chunks_exact_mut(unit).for_each(|c| c.reverse());
    }
}

/// Elements in a buffer of `T`s written at a time for a strided view.
const WRITE_CHUNK: usize = 1 << 13;

/// Writes the elements of `view` in logical C order, from its memory in one piece when
/// C-contiguous, otherwise through a small buffer.
fn write_elems<T, W>(w: &mut W, view: &ArrayView<'_, T>) -> io::Result<()>
where
    T: bytemuck::NoUninit,
    W: Write,
{
    if let Some(s) = view.as_slice() {
        return w.write_all(bytemuck::cast_slice(s));
    }
    let mut buf: Vec<T> = Vec::with_capacity(WRITE_CHUNK.min(view.len()));
    for &x in view.iter() {
        buf.push(x);
        if buf.len() == WRITE_CHUNK {
            w.write_all(bytemuck::cast_slice(&buf))?;
            buf.clear();
        }
    }
    w.write_all(bytemuck::cast_slice(&buf))
}

pub(crate) mod private {
    use super::*;

    /// The machinery behind [`Element`](super::Element); not nameable outside ndcore, so
    /// the set of element types stays closed.
    pub trait Sealed: Copy + Send + Sync + 'static {
        /// Reads `n` elements stored in `order`.
        fn read_vec(
            r: &mut impl Read,
            n: usize,
            known: bool,
            order: ByteOrder,
            ctx: &DataCtx<'_>,
        ) -> Result<Vec<Self>, NpyError>;
        /// Writes the elements in logical order, native byte order.
        fn write_view<W: Write>(w: &mut W, view: &ArrayView<'_, Self>) -> io::Result<()>;
        /// The elements in native byte order, without copying.
        fn cast_bytes(bytes: &[u8]) -> Result<&[Self], String>;
        /// Wraps an array in the matching [`AnyArray`] variant.
        fn into_any(a: Array<Self>) -> AnyArray;
        /// Unwraps the matching [`AnyArray`] variant.
        fn from_any(a: AnyArray) -> Result<Array<Self>, AnyArray>;
    }
}

/// An element type `.npy` files can hold: `bool`, every primitive integer from `i8` to
/// `u64`, `f32`, `f64`, and `Complex<f32>` / `Complex<f64>` (numpy's complex64 and
/// complex128). Sealed: the set is the one numpy and this crate agree on.
///
/// Complex numbers come from the `num-complex` crate, which ndcore already depends on;
/// its `bytemuck` feature makes `Complex<T>` plain old data, so complex arrays take the
/// same zero-copy paths as real ones with no extra feature flag for users. Its layout
/// (`re` then `im`, `#[repr(C)]`) is numpy's.
///
/// ```
/// use ndcore::npy::{DType, Element};
/// use num_complex::Complex;
/// assert_eq!(<f32 as Element>::DTYPE, DType::F32);
/// assert_eq!(<Complex<f64> as Element>::DTYPE, DType::Complex128);
/// ```
pub trait Element: private::Sealed {
    /// The dtype tag of this type.
    const DTYPE: DType;
}

macro_rules! pod_element {
    ($($t:ty => $d:ident),* $(,)?) => {$(
        impl Element for $t {
            const DTYPE: DType = DType::$d;
        }
        impl private::Sealed for $t {
            fn read_vec(
                r: &mut impl Read,
                n: usize,
                known: bool,
                order: ByteOrder,
                ctx: &DataCtx<'_>,
            ) -> Result<Vec<Self>, NpyError> {
                let mut v = read_pod::<$t>(r, n, known, ctx)?;
                if order != ByteOrder::native() {
                    swap_bytes(&mut v, DType::$d.swap_unit());
                }
                Ok(v)
            }
            fn write_view<W: Write>(w: &mut W, view: &ArrayView<'_, Self>) -> io::Result<()> {
                write_elems(w, view)
            }
            fn cast_bytes(bytes: &[u8]) -> Result<&[Self], String> {
                bytemuck::try_cast_slice(bytes).map_err(|e| format!("{e:?}"))
            }
            fn into_any(a: Array<Self>) -> AnyArray {
                AnyArray::$d(a)
            }
            fn from_any(a: AnyArray) -> Result<Array<Self>, AnyArray> {
                match a {
                    AnyArray::$d(a) => Ok(a),
                    other => Err(other),
                }
            }
        }
    )*};
}

pod_element! {
    i8 => I8, i16 => I16, i32 => I32, i64 => I64,
    u8 => U8, u16 => U16, u32 => U32, u64 => U64,
    f32 => F32, f64 => F64,
    Complex<f32> => Complex64, Complex<f64> => Complex128,
}

impl Element for bool {
    const DTYPE: DType = DType::Bool;
}

impl private::Sealed for bool {
    /// Any non-zero byte reads as `true`, as numpy treats it.
    fn read_vec(
        r: &mut impl Read,
        n: usize,
        known: bool,
        _order: ByteOrder,
        ctx: &DataCtx<'_>,
    ) -> Result<Vec<Self>, NpyError> {
        Ok(read_pod::<u8>(r, n, known, ctx)?
            .into_iter()
            .map(|b| b != 0)
            .collect())
    }
    fn write_view<W: Write>(w: &mut W, view: &ArrayView<'_, Self>) -> io::Result<()> {
        write_elems(w, view)
    }
    fn cast_bytes(bytes: &[u8]) -> Result<&[Self], String> {
        match bytemuck::checked::try_cast_slice(bytes) {
            Ok(s) => Ok(s),
            Err(_) => {
                let (i, b) = bytes
                    .iter()
                    .enumerate()
                    .find(|(_, &b)| b > 1)
                    .map_or((0, 0), |(i, &b)| (i, b));
                Err(format!(
                    "bool element {i} is the byte {b}, and a Rust bool must be 0 or 1"
                ))
            }
        }
    }
    fn into_any(a: Array<Self>) -> AnyArray {
        AnyArray::Bool(a)
    }
    fn from_any(a: AnyArray) -> Result<Array<Self>, AnyArray> {
        match a {
            AnyArray::Bool(a) => Ok(a),
            other => Err(other),
        }
    }
}

/// An array of any supported dtype, for tools that learn the dtype from the file.
///
/// ```
/// use ndcore::npy::{self, AnyArray};
/// use ndcore::prelude::*;
/// let mut buf = Vec::new();
/// npy::write_to(&mut buf, &Array::from_vec(vec![1i16, -2, 3])).unwrap();
/// let any = npy::read_any_from(&buf[..]).unwrap();
/// assert_eq!(any.dtype().name(), "int16");
/// assert_eq!(any.shape(), &[3]);
/// match any {
///     AnyArray::I16(a) => assert_eq!(a.to_vec(), vec![1, -2, 3]),
///     _ => unreachable!(),
/// }
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum AnyArray {
    /// numpy `bool`.
    Bool(Array<bool>),
    /// numpy `int8`.
    I8(Array<i8>),
    /// numpy `int16`.
    I16(Array<i16>),
    /// numpy `int32`.
    I32(Array<i32>),
    /// numpy `int64`.
    I64(Array<i64>),
    /// numpy `uint8`.
    U8(Array<u8>),
    /// numpy `uint16`.
    U16(Array<u16>),
    /// numpy `uint32`.
    U32(Array<u32>),
    /// numpy `uint64`.
    U64(Array<u64>),
    /// numpy `float32`.
    F32(Array<f32>),
    /// numpy `float64`.
    F64(Array<f64>),
    /// numpy `complex64`.
    Complex64(Array<Complex<f32>>),
    /// numpy `complex128`.
    Complex128(Array<Complex<f64>>),
}

macro_rules! each_any {
    ($self:expr, $a:ident => $e:expr) => {
        match $self {
            AnyArray::Bool($a) => $e,
            AnyArray::I8($a) => $e,
            AnyArray::I16($a) => $e,
            AnyArray::I32($a) => $e,
            AnyArray::I64($a) => $e,
            AnyArray::U8($a) => $e,
            AnyArray::U16($a) => $e,
            AnyArray::U32($a) => $e,
            AnyArray::U64($a) => $e,
            AnyArray::F32($a) => $e,
            AnyArray::F64($a) => $e,
            AnyArray::Complex64($a) => $e,
            AnyArray::Complex128($a) => $e,
        }
    };
}

impl AnyArray {
    /// The dtype of the elements.
    ///
    /// ```
    /// use ndcore::npy::{AnyArray, DType};
    /// use ndcore::prelude::*;
    /// let any = AnyArray::from(Array::<u32>::zeros([2, 2]));
    /// assert_eq!((any.dtype(), any.shape()), (DType::U32, &[2, 2][..]));
    /// ```
    pub fn dtype(&self) -> DType {
        fn d<T: Element>(_: &Array<T>) -> DType {
            T::DTYPE
        }
        each_any!(self, a => d(a))
    }

    /// The shape of the array.
    pub fn shape(&self) -> &[usize] {
        each_any!(self, a => a.shape())
    }

    /// The array as `Array<T>`, or [`NpyError::DtypeMismatch`] naming both dtypes.
    ///
    /// ```
    /// use ndcore::npy::{self, AnyArray};
    /// use ndcore::prelude::*;
    /// let any = AnyArray::from(Array::from_vec(vec![1.5f32]));
    /// let err = any.clone().into_array::<f64>().unwrap_err();
    /// assert_eq!(err.to_string(), "dtype mismatch: the file holds float32 ('<f4'), but float64 ('<f8') was requested");
    /// assert_eq!(any.into_array::<f32>().unwrap().to_vec(), vec![1.5]);
    /// ```
    pub fn into_array<T: Element>(self) -> Result<Array<T>, NpyError> {
        let found = self.dtype();
        T::from_any(self).map_err(|_| NpyError::DtypeMismatch {
            expected: T::DTYPE,
            found,
        })
    }

    /// Writes the array as `.npy` data; see [`write_to`](super::write_to).
    ///
    /// ```
    /// use ndcore::npy::{self, AnyArray};
    /// use ndcore::prelude::*;
    /// let any = AnyArray::from(array![[1u8, 2]]);
    /// let mut buf = Vec::new();
    /// any.write_to(&mut buf).unwrap();
    /// assert_eq!(npy::read_any_from(&buf[..]).unwrap(), any);
    /// ```
    pub fn write_to(&self, w: impl Write) -> Result<(), NpyError> {
        each_any!(self, a => super::write_to(w, a))
    }
}

impl<T: Element> From<Array<T>> for AnyArray {
    fn from(a: Array<T>) -> Self {
        T::into_any(a)
    }
}
