//! Axis arguments: every method that takes an axis takes any of `usize`, `isize` and
//! `i32`, so an axis from `0..a.ndim()` and numpy's `-1` are both written as they come.

use crate::error::{Error, Result};

/// An axis number. A `usize` counts from the first axis (what `0..a.ndim()` yields); a
/// signed integer counts from the last when negative, as numpy's `axis=-1` does. `i32`
/// is here for literals: an untyped `0` or `-1` is an `i32` in Rust.
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::<f64>::zeros([2, 3]);
/// for ax in 0..a.ndim() {
///     assert_eq!(a.lanes(ax)?.len(), 6 / a.shape()[ax]);
/// }
/// assert_eq!(a.sum_axis(-1)?.shape(), &[2]);           // numpy's a.sum(axis=-1)
/// let err = a.sum_axis(-3).unwrap_err();
/// assert_eq!(err.to_string(), "axis -3 is out of bounds for array of dimension 2");
/// # Ok::<(), ndcore::Error>(())
/// ```
pub trait AxisArg: Copy {
    /// The axis as numpy writes it, negative counting from the end. A `usize` beyond
    /// `isize::MAX` (out of range for every array) becomes `isize::MAX`.
    fn signed(self) -> isize;

    /// The axis among `ndim` axes, counted from the first.
    ///
    /// # Errors
    /// [`Error::AxisOutOfRange`] when the axis is not in `-ndim..ndim`, naming the axis
    /// as given.
    ///
    /// ```
    /// use ndcore::AxisArg;
    /// assert_eq!((-1).resolve(3), Ok(2));
    /// assert_eq!(2usize.resolve(3), Ok(2));
    /// assert!(3usize.resolve(3).is_err());
    /// ```
    fn resolve(self, ndim: usize) -> Result<usize> {
        let axis = self.signed();
        let n = isize::try_from(ndim).unwrap_or(isize::MAX);
        let from_start = if axis < 0 { axis + n } else { axis };
        if (0..n).contains(&from_start) {
            Ok(from_start as usize)
        } else {
            Err(Error::AxisOutOfRange { axis, ndim })
        }
    }
}

impl AxisArg for usize {
    fn signed(self) -> isize {
        isize::try_from(self).unwrap_or(isize::MAX)
    }
}

impl AxisArg for isize {
    fn signed(self) -> isize {
        self
    }
}

impl AxisArg for i32 {
    fn signed(self) -> isize {
        // Lossless on 32- and 64-bit targets.
        isize::try_from(self).unwrap_or(isize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_resolves_alike() {
        assert_eq!(1usize.resolve(2), Ok(1));
        assert_eq!((-2isize).resolve(2), Ok(0));
        assert_eq!((-1i32).resolve(2), Ok(1));
        assert_eq!(
            usize::MAX.resolve(2),
            Err(Error::AxisOutOfRange {
                axis: isize::MAX,
                ndim: 2
            })
        );
        assert_eq!(
            (-3).resolve(2),
            Err(Error::AxisOutOfRange { axis: -3, ndim: 2 })
        );
        assert_eq!(
            0.resolve(0),
            Err(Error::AxisOutOfRange { axis: 0, ndim: 0 })
        );
    }
}
