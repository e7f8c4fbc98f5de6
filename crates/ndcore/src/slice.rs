//! numpy-style slicing: ranges with steps, single indices and new axes.
//!
//! The semantics are numpy's, which differ from Rust's ranges in three ways a Rust
//! reader should know:
//!
//! * **Bounds clamp.** `s![2..100]` on an axis of length 5 selects `2..5`; `s![7..]`
//!   selects nothing. Only a single index out of range is an error.
//! * **Negative numbers count from the end.** `-1` is the last element, `s![-3..]` the
//!   last three, `s![1..-1]` all but the first and the last (numpy's `a[1:-1]`; the
//!   macro keeps it clear of clippy's `reversed_empty_ranges`, see [`s!`](crate::s)).
//! * **A negative step walks from `start` towards `end`.** `s![4..1;-1]` selects
//!   indices 4, 3, 2 (numpy's `a[4:1:-1]`); `s![..;-1]` reverses the axis. `start` is
//!   included and `end` excluded whatever the direction, exactly as in Python. (The
//!   `ndarray` crate instead reverses the range `1..4`.)
//!
//! An inclusive range `a..=b` is shorthand for the end bound `b + 1` (and `a..=-1` for
//! "through the last element"), whatever the step. So with a negative step it does
//! *not* include `b`: `s![3..=1;-1]` is `s![3..2;-1]`, index 3 alone. Write
//! `s![3..0;-1]` for indices 3, 2, 1, or `s![3..;-1]` down to index 0.
//!
//! ```
//! use ndcore::prelude::*;
//! let a = Array::from_vec(vec![0, 1, 2, 3, 4]);
//! assert_eq!(a.slice(s![1..=3]).unwrap().to_vec(), vec![1, 2, 3]);
//! assert_eq!(a.slice(s![3..=1;-1]).unwrap().to_vec(), vec![3]);
//! assert_eq!(a.slice(s![3..0;-1]).unwrap().to_vec(), vec![3, 2, 1]);
//! assert_eq!(a.slice(s![-2..=-1]).unwrap().to_vec(), vec![3, 4]);
//! ```

use std::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo, RangeToInclusive};

use crate::error::{Error, Result};

/// A range along one axis: optional `start` and `end`, and a non-zero `step`, with numpy's
/// meaning (see the [module docs](self)).
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_vec((0..10).collect::<Vec<i32>>());
/// let every_third = a.slice_axis(0, Slice::new(1, None, 3)).unwrap();
/// assert_eq!(every_third.to_vec(), vec![1, 4, 7]);
/// let back = a.slice_axis(0, Slice::new(5, 1, -1)).unwrap();
/// assert_eq!(back.to_vec(), vec![5, 4, 3, 2]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// First index (negative counts from the end); `None` means the start of the walk.
    pub start: Option<isize>,
    /// One past the last index (negative counts from the end); `None` means walk to the end.
    pub end: Option<isize>,
    /// The step; must not be zero.
    pub step: isize,
}

impl Slice {
    /// A slice from `start` to `end` (each an index or `None`) with `step`.
    pub fn new(
        start: impl Into<Option<isize>>,
        end: impl Into<Option<isize>>,
        step: isize,
    ) -> Self {
        Slice {
            start: start.into(),
            end: end.into(),
            step,
        }
    }

    /// The whole axis.
    pub const FULL: Slice = Slice {
        start: None,
        end: None,
        step: 1,
    };

    /// The same range with another step.
    pub fn step_by(self, step: isize) -> Self {
        Slice { step, ..self }
    }

    /// The first index, the step and the number of elements selected on an axis of
    /// length `len`, as Python's `slice.indices` computes them.
    pub(crate) fn resolve(&self, axis: usize, len: usize) -> Result<(usize, isize, usize)> {
        if self.step == 0 {
            return Err(Error::ZeroStep { axis });
        }
        // As CPython's PySlice_Unpack: `isize::MIN` becomes `-isize::MAX`, so `-step`
        // below cannot overflow. Either selects at most one element.
        let step = self.step.max(-isize::MAX);
        let n = len as isize;
        let clamp = |i: isize| -> isize {
            if i < 0 {
                let j = i + n;
                if j < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    j
                }
            } else if i >= n {
                if step < 0 {
                    n - 1
                } else {
                    n
                }
            } else {
                i
            }
        };
        let start = self.start.map_or(if step < 0 { n - 1 } else { 0 }, clamp);
        let end = self.end.map_or(if step < 0 { -1 } else { n }, clamp);
        let count = if step < 0 {
            if end < start {
                (start - end - 1) / (-step) + 1
            } else {
                0
            }
        } else if start < end {
            (end - start - 1) / step + 1
        } else {
            0
        };
        Ok((start.max(0) as usize, step, count as usize))
    }
}

/// The marker for inserting a new length-1 axis in [`s!`](crate::s), numpy's `np.newaxis`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewAxis;

/// One item of a slicing expression: a [`Slice`], a single index (which drops the
/// axis) or a [`NewAxis`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceArg {
    /// A range with a step; keeps the axis.
    Slice(Slice),
    /// A single index (negative counts from the end); drops the axis.
    Index(isize),
    /// A new length-1 axis.
    NewAxis,
}

impl SliceArg {
    /// The same item with another step (ranges only; used by `s![a..b;step]`).
    ///
    /// # Panics
    /// When applied to an index or a new axis, which have no step: that is a mistake in
    /// the source code, not in data.
    pub fn step_by(self, step: isize) -> Self {
        match self {
            SliceArg::Slice(s) => SliceArg::Slice(s.step_by(step)),
            _ => panic!("s![..]: a step (`;`) applies only to a range, not to {self:?}"),
        }
    }
}

impl From<Slice> for SliceArg {
    fn from(s: Slice) -> Self {
        SliceArg::Slice(s)
    }
}
impl From<NewAxis> for SliceArg {
    fn from(_: NewAxis) -> Self {
        SliceArg::NewAxis
    }
}
impl From<RangeFull> for SliceArg {
    fn from(_: RangeFull) -> Self {
        SliceArg::Slice(Slice::FULL)
    }
}

macro_rules! index_conversions {
    ($($t:ty),*) => {$(
        impl From<$t> for SliceArg {
            fn from(i: $t) -> Self {
                SliceArg::Index(i as isize)
            }
        }
        impl From<Range<$t>> for SliceArg {
            fn from(r: Range<$t>) -> Self {
                SliceArg::Slice(Slice::new(r.start as isize, r.end as isize, 1))
            }
        }
        impl From<RangeFrom<$t>> for SliceArg {
            fn from(r: RangeFrom<$t>) -> Self {
                SliceArg::Slice(Slice::new(r.start as isize, None, 1))
            }
        }
        impl From<RangeTo<$t>> for SliceArg {
            fn from(r: RangeTo<$t>) -> Self {
                SliceArg::Slice(Slice::new(None, r.end as isize, 1))
            }
        }
        impl From<RangeInclusive<$t>> for SliceArg {
            fn from(r: RangeInclusive<$t>) -> Self {
                let end = *r.end() as isize;
                // `a..=-1` means "through the last element": no end bound.
                let end = if end == -1 { None } else { Some(end + 1) };
                SliceArg::Slice(Slice::new(*r.start() as isize, end, 1))
            }
        }
        impl From<RangeToInclusive<$t>> for SliceArg {
            fn from(r: RangeToInclusive<$t>) -> Self {
                let end = r.end as isize;
                let end = if end == -1 { None } else { Some(end + 1) };
                SliceArg::Slice(Slice::new(None, end, 1))
            }
        }
    )*};
}
index_conversions!(isize, i32, usize);

/// Builds the slicing argument for [`AsView::slice`](crate::AsView::slice): a
/// comma-separated list with one item per axis, each a range (`a..b`, `a..`, `..b`,
/// `..`, `a..=b`) optionally followed by `;step`, a single index (drops the axis), or
/// [`NewAxis`]. Missing trailing axes are taken whole. numpy semantics: see the
/// [`slice` module](crate::slice).
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_shape_fn([3, 4], |ix| (10 * ix[0] + ix[1]) as i32);
/// assert_eq!(a.slice(s![1, ..]).unwrap().to_vec(), vec![10, 11, 12, 13]);
/// assert_eq!(a.slice(s![.., -1]).unwrap().to_vec(), vec![3, 13, 23]);
/// assert_eq!(a.slice(s![..;-1, 1..;2]).unwrap().to_vec(), vec![21, 23, 11, 13, 1, 3]);
/// assert_eq!(a.slice(s![NewAxis, 0]).unwrap().shape(), &[1, 4]);
/// ```
///
/// numpy's `a[1:-1]` is `s![1..-1]`. Written as a Rust range, `1..-1` is empty and
/// clippy's deny-by-default `reversed_empty_ranges` would refuse it, so the macro takes a
/// range between two literals apart and builds it as a `Range` value, which the lint
/// does not inspect: `s![1..-1]`, `s![2..-2;2]` pass `cargo clippy -D warnings`.
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_vec(vec![0, 1, 2, 3, 4, 5]);
/// assert_eq!(a.slice(s![1..-1]).unwrap().to_vec(), vec![1, 2, 3, 4]);     // a[1:-1]
/// assert_eq!(a.slice(s![1..-1;2]).unwrap().to_vec(), vec![1, 3]);         // a[1:-1:2]
/// ```
#[macro_export]
macro_rules! s {
    // A range between two literals: built as a `Range` value, not a range expression.
    (@items [$($out:tt)*] $a:literal .. $b:literal $(; $step:expr)? $(, $($rest:tt)*)?) => {
        $crate::s!(@items [$($out)*
            $crate::slice::SliceArg::from(::core::ops::Range { start: $a, end: $b })
            $( .step_by($step as isize) )?,
        ] $($($rest)*)?)
    };
    (@items [$($out:tt)*] $e:expr $(; $step:expr)? $(, $($rest:tt)*)?) => {
        $crate::s!(@items [$($out)*
            $crate::slice::SliceArg::from($e) $( .step_by($step as isize) )?,
        ] $($($rest)*)?)
    };
    (@items [$($out:tt)*]) => { [$($out)*] };
    ($($items:tt)*) => { $crate::s!(@items [] $($items)*) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(len: usize, s: Slice) -> Vec<isize> {
        let (start, step, count) = s.resolve(0, len).unwrap();
        (0..count as isize)
            .map(|k| start as isize + k * step)
            .collect()
    }

    #[test]
    fn python_slice_semantics() {
        assert_eq!(pick(5, Slice::new(2, 100, 1)), vec![2, 3, 4]);
        assert_eq!(pick(5, Slice::new(7, None, 1)), Vec::<isize>::new());
        assert_eq!(pick(6, Slice::new(5, 1, -1)), vec![5, 4, 3, 2]);
        assert_eq!(pick(5, Slice::new(None, None, -2)), vec![4, 2, 0]);
        assert_eq!(pick(5, Slice::new(-2, None, 1)), vec![3, 4]);
        assert_eq!(pick(5, Slice::new(-100, 2, 1)), vec![0, 1]);
        assert_eq!(pick(5, Slice::new(10, -100, -1)), vec![4, 3, 2, 1, 0]);
        assert_eq!(pick(0, Slice::new(None, None, -1)), Vec::<isize>::new());
    }

    #[test]
    fn extreme_steps_and_bounds_do_not_overflow() {
        // CPython: slice(None, None, -sys.maxsize - 1).indices(5) == (4, -1, -maxsize).
        assert_eq!(pick(5, Slice::new(None, None, isize::MIN)), vec![4]);
        assert_eq!(pick(5, Slice::new(None, None, isize::MAX)), vec![0]);
        assert_eq!(
            pick(5, Slice::new(isize::MIN, isize::MAX, 1)),
            vec![0, 1, 2, 3, 4]
        );
        assert_eq!(
            pick(5, Slice::new(isize::MAX, isize::MIN, -1)),
            vec![4, 3, 2, 1, 0]
        );
        assert_eq!(
            pick(5, Slice::new(isize::MIN, None, isize::MIN)),
            Vec::<isize>::new()
        );
    }
}
