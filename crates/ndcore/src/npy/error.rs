//! The error type of the `.npy` reader and writer.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::DType;

/// Everything that can go wrong reading or writing a `.npy` file.
///
/// Every variant names what is wrong and the numbers involved; malformed input is always
/// one of these values, never a panic or an attempt to allocate what the header claims
/// before the bytes are there. I/O failures keep the underlying [`io::Error`] reachable
/// through [`std::error::Error::source`] (and out of the message, as the Rust API
/// guidelines advise: print the chain to see both).
///
/// ```
/// use ndcore::npy::{self, NpyError};
/// let err = npy::read_from::<f64, _>(&b"\x93NUMPY\x01\x00\x10"[..]).unwrap_err();
/// assert!(matches!(err, NpyError::TruncatedHeader { expected: 10, found: 9 }));
/// assert_eq!(
///     err.to_string(),
///     "truncated .npy header: the file ends after 9 bytes, the header needs 10"
/// );
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum NpyError {
    /// An I/O error while reading or writing.
    Io(io::Error),
    /// A file could not be opened or created.
    Open {
        /// The path given.
        path: PathBuf,
        /// The error from the operating system.
        source: io::Error,
    },
    /// The input ends inside the fixed prelude or the header dictionary.
    TruncatedHeader {
        /// The number of bytes the header needs (magic, version, length field, dictionary).
        expected: u64,
        /// The number of bytes the input holds.
        found: u64,
    },
    /// The first six bytes are not `\x93NUMPY`.
    BadMagic {
        /// The six bytes found.
        found: [u8; 6],
    },
    /// A format version other than 1.0, 2.0 and 3.0.
    UnsupportedVersion {
        /// The major version byte.
        major: u8,
        /// The minor version byte.
        minor: u8,
    },
    /// The header length field exceeds [`MAX_HEADER_LEN`](super::MAX_HEADER_LEN).
    HeaderTooLong {
        /// The length the file declares.
        len: u64,
        /// The largest length accepted.
        max: u64,
    },
    /// The header is not a Python dict literal of the kind numpy writes.
    InvalidHeader {
        /// What is wrong.
        reason: String,
        /// The byte offset inside the header dictionary where parsing failed.
        offset: usize,
    },
    /// One of the keys `descr`, `fortran_order`, `shape` is absent.
    MissingKey {
        /// The missing key.
        key: &'static str,
    },
    /// A key other than `descr`, `fortran_order`, `shape` (numpy refuses these too).
    UnexpectedKey {
        /// The key found.
        key: String,
    },
    /// `descr` is not a dtype string such as `'<f8'`.
    BadDescr {
        /// The value found, as Python source.
        found: String,
    },
    /// A valid numpy dtype this crate does not read (float16, strings, structured, ...).
    UnsupportedDtype {
        /// The dtype description from the header, as Python source.
        descr: String,
    },
    /// An object dtype: the data would be a Python pickle, which is refused.
    ObjectDtype {
        /// The dtype description from the header, as Python source.
        descr: String,
    },
    /// `fortran_order` is not `True` or `False`.
    BadFortranOrder {
        /// The value found, as Python source.
        found: String,
    },
    /// `shape` is not a tuple of non-negative integers that fit a `usize`.
    BadShape {
        /// The value found, as Python source.
        found: String,
    },
    /// The item size times the nonzero lengths of the shape exceeds `isize::MAX` bytes
    /// (numpy's "array is too big", which a zero-length axis does not excuse).
    ShapeOverflow {
        /// The shape.
        shape: Vec<usize>,
        /// The size of one element in bytes.
        itemsize: usize,
    },
    /// The data ends before the shape is filled.
    MissingData {
        /// The shape.
        shape: Vec<usize>,
        /// The number of data bytes the shape and dtype need.
        expected: u64,
        /// The number of data bytes present.
        found: u64,
    },
    /// Bytes after the data, in a file or buffer that should hold exactly one array.
    TrailingBytes {
        /// The number of data bytes the shape and dtype need.
        expected: u64,
        /// The number of bytes after them.
        extra: u64,
    },
    /// A typed read of a file that holds another dtype.
    DtypeMismatch {
        /// The dtype asked for.
        expected: DType,
        /// The dtype in the file.
        found: DType,
    },
    /// A zero-copy view that the bytes do not allow (byte order, alignment, bool
    /// values), with the reason.
    NotViewable {
        /// What prevents the view.
        reason: String,
    },
    /// A layout error from ndcore while building the array (its message is this one's).
    Array(crate::Error),
    /// A slab given to [`NpyWriter`](super::NpyWriter) that would take the file past the
    /// elements its header declares (nothing of it is written).
    TooManyElements {
        /// The number of elements the header declares.
        declared: u64,
        /// The number written before this slab.
        written: u64,
        /// The number of elements in the slab.
        slab: u64,
    },
    /// [`NpyWriter::finish`](super::NpyWriter::finish) before every declared element
    /// was written (the file is not created).
    TooFewElements {
        /// The number of elements the header declares.
        declared: u64,
        /// The number written.
        written: u64,
    },
}

impl fmt::Display for NpyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NpyError::Io(e) => write!(f, "I/O error while reading or writing .npy data: {e}"),
            NpyError::Open { path, source } => {
                write!(f, "cannot open {}: {source}", path.display())
            }
            NpyError::TruncatedHeader { expected, found } => write!(
                f,
                "truncated .npy header: the file ends after {found} bytes, the header needs {expected}"
            ),
            NpyError::BadMagic { found } => write!(
                f,
                "not a .npy file: it starts with {:?}, not the magic string \"\\x93NUMPY\"",
                ByteStr(found)
            ),
            NpyError::UnsupportedVersion { major, minor } => write!(
                f,
                "unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are supported)"
            ),
            NpyError::HeaderTooLong { len, max } => write!(
                f,
                ".npy header of {len} bytes is longer than the {max} bytes accepted"
            ),
            NpyError::InvalidHeader { reason, offset } => write!(
                f,
                ".npy header is not a valid Python dict literal: {reason} at byte {offset} of the header"
            ),
            NpyError::MissingKey { key } => {
                write!(f, ".npy header has no '{key}' key")
            }
            NpyError::UnexpectedKey { key } => write!(
                f,
                ".npy header has the key {key:?}; only 'descr', 'fortran_order' and 'shape' are allowed"
            ),
            NpyError::BadDescr { found } => write!(
                f,
                ".npy header 'descr' must be a dtype string such as '<f8', found {found}"
            ),
            NpyError::UnsupportedDtype { descr } => write!(
                f,
                "unsupported dtype {descr} (supported: bool, int8..int64, uint8..uint64, float32, float64, complex64, complex128)"
            ),
            NpyError::ObjectDtype { descr } => write!(
                f,
                "refusing object dtype {descr}: its data is a Python pickle, which is never loaded"
            ),
            NpyError::BadFortranOrder { found } => write!(
                f,
                ".npy header 'fortran_order' must be True or False, found {found}"
            ),
            NpyError::BadShape { found } => write!(
                f,
                ".npy header 'shape' must be a tuple of non-negative integers fitting in usize, found {found}"
            ),
            NpyError::ShapeOverflow { shape, itemsize } => write!(
                f,
                "shape {shape:?} of {itemsize}-byte elements is too big: the item size times the nonzero lengths exceeds isize::MAX"
            ),
            NpyError::MissingData {
                shape,
                expected,
                found,
            } => write!(
                f,
                "missing data: shape {shape:?} needs {expected} bytes of data, the file holds {found}"
            ),
            NpyError::TrailingBytes { expected, extra } => write!(
                f,
                "{extra} trailing bytes after the {expected} bytes of array data"
            ),
            NpyError::DtypeMismatch { expected, found } => write!(
                f,
                "dtype mismatch: the file holds {} ('{}'), but {} ('{}') was requested",
                found.name(),
                found.descr(),
                expected.name(),
                expected.descr()
            ),
            NpyError::NotViewable { reason } => {
                write!(f, "cannot view the .npy data without copying: {reason}")
            }
            NpyError::Array(e) => write!(f, "{e}"),
            NpyError::TooManyElements {
                declared,
                written,
                slab,
            } => write!(
                f,
                "a slab of {slab} elements after {written} would pass the {declared} elements the .npy header declares"
            ),
            NpyError::TooFewElements { declared, written } => write!(
                f,
                "only {written} of the {declared} elements the .npy header declares were written"
            ),
        }
    }
}

impl std::error::Error for NpyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NpyError::Io(e) | NpyError::Open { source: e, .. } => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for NpyError {
    fn from(e: io::Error) -> Self {
        NpyError::Io(e)
    }
}

impl From<crate::Error> for NpyError {
    fn from(e: crate::Error) -> Self {
        NpyError::Array(e)
    }
}

/// Bytes shown like a Python `bytes` literal.
struct ByteStr<'a>(&'a [u8]);

impl fmt::Debug for ByteStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("b\"")?;
        for &b in self.0 {
            for c in std::ascii::escape_default(b) {
                f.write_str(char::from(c).encode_utf8(&mut [0; 4]))?;
            }
        }
        f.write_str("\"")
    }
}
