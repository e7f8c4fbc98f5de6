//! The one error type of ndcore.

use std::fmt;

/// Everything that can go wrong when building, viewing or reshaping an array.
///
/// Each variant carries the numbers involved so the message can name them, e.g.
/// "cannot reshape array of 6 elements into shape [4, 2]".
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
/// let err = a.reshape([4, 2]).unwrap_err();
/// assert_eq!(err.to_string(), "cannot reshape array of 6 elements into shape [4, 2]");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A buffer's length does not match the number of elements of the shape.
    LengthMismatch {
        /// The requested shape.
        shape: Vec<usize>,
        /// The number of elements the buffer holds.
        len: usize,
    },
    /// The shape has more elements than `isize::MAX`.
    TooLarge {
        /// The requested shape.
        shape: Vec<usize>,
    },
    /// An axis is not in `-ndim..ndim`.
    AxisOutOfRange {
        /// The axis as given (negative counts from the end).
        axis: isize,
        /// The number of dimensions of the array.
        ndim: usize,
    },
    /// An axis appears twice in a permutation or axis list.
    RepeatedAxis {
        /// The repeated axis (normalised).
        axis: usize,
    },
    /// A permutation does not name every axis exactly once.
    BadPermutation {
        /// The axes as given (negative counts from the end).
        axes: Vec<isize>,
        /// The number of dimensions of the array.
        ndim: usize,
    },
    /// An integer index is outside `-len..len`.
    IndexOutOfRange {
        /// The axis the index applies to.
        axis: usize,
        /// The index as given (negative counts from the end).
        index: isize,
        /// The length of that axis.
        len: usize,
    },
    /// More indices than dimensions, or the wrong number of indices.
    WrongIndexCount {
        /// The number of indices given (not counting new axes).
        given: usize,
        /// The number of dimensions of the array.
        ndim: usize,
    },
    /// A slice with step 0.
    ZeroStep {
        /// The axis the slice applies to.
        axis: usize,
    },
    /// Strides that reach outside the buffer (or overflow).
    OutOfBounds {
        /// The requested shape.
        shape: Vec<usize>,
        /// The requested strides, in elements.
        strides: Vec<isize>,
        /// The offset of element `[0, 0, ..]` in the buffer.
        offset: usize,
        /// The length of the buffer.
        len: usize,
    },
    /// Strides that make two indices address one element, for a mutable view.
    Overlapping {
        /// The requested shape.
        shape: Vec<usize>,
        /// The requested strides, in elements.
        strides: Vec<isize>,
    },
    /// A reshape to a different number of elements.
    ReshapeSize {
        /// The number of elements of the array.
        len: usize,
        /// The requested shape.
        shape: Vec<usize>,
    },
    /// A reshape that needs a copy because of the array's strides.
    ReshapeLayout {
        /// The array's shape.
        from: Vec<usize>,
        /// The array's strides, in elements.
        strides: Vec<isize>,
        /// The requested shape.
        shape: Vec<usize>,
    },
    /// Two shapes that cannot be broadcast together (or one to the other).
    Broadcast {
        /// The first shape.
        from: Vec<usize>,
        /// The second (or target) shape.
        to: Vec<usize>,
    },
    /// Two arrays that must have the same shape do not.
    ShapeMismatch {
        /// The shape that was expected.
        expected: Vec<usize>,
        /// The shape that was given.
        found: Vec<usize>,
    },
    /// `remove_axis` on an axis whose length is not 1.
    NotSingleton {
        /// The axis.
        axis: usize,
        /// Its length.
        len: usize,
    },
    /// `split_at` beyond the end of the axis.
    SplitOutOfRange {
        /// The axis.
        axis: usize,
        /// The split point.
        index: usize,
        /// The length of the axis.
        len: usize,
    },
    /// An operation that needs a C-contiguous (standard layout) array.
    NotContiguous {
        /// The array's shape.
        shape: Vec<usize>,
        /// The array's strides, in elements.
        strides: Vec<isize>,
    },
    /// A range constructor (`arange`, `linspace`) given a zero or non-finite step.
    BadRange {
        /// What is wrong, with the numbers.
        reason: String,
    },
    /// Stencil offsets with a different number of coordinates than the array has axes.
    StencilRank {
        /// The number of coordinates of each offset.
        coordinates: usize,
        /// The number of dimensions of the array.
        ndim: usize,
    },
    /// Bytes whose length or alignment do not fit the element type.
    BadBytes {
        /// What is wrong, with the numbers.
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::LengthMismatch { shape, len } => write!(
                f,
                "cannot build an array of shape {shape:?} ({} elements) from {len} elements",
                shape.iter().product::<usize>()
            ),
            Error::TooLarge { shape } => {
                write!(f, "shape {shape:?} has more than isize::MAX elements")
            }
            Error::AxisOutOfRange { axis, ndim } => {
                write!(f, "axis {axis} is out of bounds for array of dimension {ndim}")
            }
            Error::RepeatedAxis { axis } => write!(f, "axis {axis} is repeated"),
            Error::BadPermutation { axes, ndim } => write!(
                f,
                "axes {axes:?} are not a permutation of the {ndim} axes 0..{ndim}"
            ),
            Error::IndexOutOfRange { axis, index, len } => write!(
                f,
                "index {index} is out of bounds for axis {axis} with size {len}"
            ),
            Error::WrongIndexCount { given, ndim } => write!(
                f,
                "{given} indices given for an array of dimension {ndim}"
            ),
            Error::ZeroStep { axis } => write!(f, "slice step cannot be zero (axis {axis})"),
            Error::OutOfBounds {
                shape,
                strides,
                offset,
                len,
            } => write!(
                f,
                "shape {shape:?} with strides {strides:?} from offset {offset} reaches outside a buffer of {len} elements"
            ),
            Error::Overlapping { shape, strides } => write!(
                f,
                "shape {shape:?} with strides {strides:?} addresses some elements twice, which a mutable view cannot do"
            ),
            Error::ReshapeSize { len, shape } => {
                write!(f, "cannot reshape array of {len} elements into shape {shape:?}")
            }
            Error::ReshapeLayout {
                from,
                strides,
                shape,
            } => write!(
                f,
                "cannot reshape an array of shape {from:?} with strides {strides:?} into shape {shape:?} without copying; use to_owned() first"
            ),
            Error::Broadcast { from, to } => {
                write!(f, "cannot broadcast shape {from:?} to shape {to:?}")
            }
            Error::ShapeMismatch { expected, found } => {
                write!(f, "expected an array of shape {expected:?}, found shape {found:?}")
            }
            Error::NotSingleton { axis, len } => write!(
                f,
                "cannot remove axis {axis} of length {len}: only length-1 axes can be removed"
            ),
            Error::SplitOutOfRange { axis, index, len } => write!(
                f,
                "cannot split axis {axis} of length {len} at index {index}"
            ),
            Error::NotContiguous { shape, strides } => write!(
                f,
                "array of shape {shape:?} with strides {strides:?} is not in standard (C-contiguous) layout"
            ),
            Error::StencilRank { coordinates, ndim } => write!(
                f,
                "stencil offsets have {coordinates} coordinates, but the array has {ndim} dimensions"
            ),
            Error::BadRange { reason } | Error::BadBytes { reason } => f.write_str(reason),
        }
    }
}

impl std::error::Error for Error {}

/// `Result` with ndcore's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
