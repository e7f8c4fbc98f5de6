//! Printing: `Display` is numpy's `str(a)`, `Debug` numpy's `repr(a)`, both written by
//! [`ndfmt`]. The user-facing notes are the crate docs' "Printing" section.

use std::fmt;

use ndfmt::{Element, PrintOptions};

use crate::{Array, ArrayView, ArrayViewMut};

/// Writes numpy's `str` (`repr == false`) or `repr` of `a` to `w`.
///
/// ndfmt reads elements through an accessor that returns a value, so it needs an element
/// for every index it asks for. It only asks for in-range indices, and never reads an
/// empty array; the accessor still has no panicking path: an index the view rejects
/// (which ndfmt never passes) reads the first element instead, and empty arrays, which
/// have no element to fall back on, go to ndfmt's accessor-free writer (their `str` is
/// `[]`).
fn write_array<T: Element, W: fmt::Write>(
    w: &mut W,
    a: &ArrayView<'_, T>,
    opts: &PrintOptions,
    repr: bool,
) -> fmt::Result {
    let Some(&first) = a.iter().next() else {
        return if repr {
            ndfmt::write_repr_empty::<T, W>(w, a.shape(), opts)
        } else {
            w.write_str("[]")
        };
    };
    let get = |ix: &[usize]| a.get(ix).copied().unwrap_or(first);
    if repr {
        ndfmt::write_repr(w, a.shape(), get, opts)
    } else {
        ndfmt::write_str(w, a.shape(), get, opts)
    }
}

/// The options for one `fmt` call: `base`, with the format string's precision (`{:.3}`)
/// as `precision` when there is one.
fn options_for(base: &PrintOptions, f: &fmt::Formatter<'_>) -> PrintOptions {
    match f.precision() {
        Some(precision) => PrintOptions { precision, ..*base },
        None => *base,
    }
}

/// An array borrowed together with [`PrintOptions`], made by
/// [`AsView::display_with`](crate::AsView::display_with) or
/// [`AsView::debug_with`](crate::AsView::debug_with).
///
/// Its `Debug` is numpy's `repr(a)` with these options; its `Display` is numpy's `str(a)`
/// when made by `display_with` and `repr(a)` when made by `debug_with`. A precision in the
/// format string (`{:.3}`) overrides the options' `precision`.
///
/// ```
/// use ndcore::prelude::*;
/// use ndcore::{PrintOptions, Sign};
///
/// let a = array![0.25, 1.0];
/// let opts = PrintOptions { sign: Sign::Plus, ..PrintOptions::default() };
/// assert_eq!(a.display_with(opts).to_string(), "[+0.25 +1.  ]");
/// assert_eq!(format!("{:?}", a.display_with(opts)), "array([+0.25, +1.  ])");
/// assert_eq!(a.debug_with(opts).to_string(), "array([+0.25, +1.  ])");
/// ```
#[derive(Clone)]
pub struct Printed<'a, T> {
    view: ArrayView<'a, T>,
    opts: PrintOptions,
    repr: bool,
}

impl<'a, T> Printed<'a, T> {
    pub(crate) fn new(view: ArrayView<'a, T>, opts: PrintOptions, repr: bool) -> Self {
        Printed { view, opts, repr }
    }

    /// The print options this value prints with.
    pub fn options(&self) -> &PrintOptions {
        &self.opts
    }
}

impl<T: Element> fmt::Display for Printed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_array(f, &self.view, &options_for(&self.opts, f), self.repr)
    }
}

impl<T: Element> fmt::Debug for Printed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_array(f, &self.view, &options_for(&self.opts, f), true)
    }
}

macro_rules! impl_fmt {
    ($($ty:ty),*) => {$(
        /// numpy's `str(a)` with the default print options; `{:.N}` sets the precision.
        /// See [Printing](crate#printing).
        impl<T: Element> fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let opts = options_for(&PrintOptions::default(), f);
                write_array(f, &self.view(), &opts, false)
            }
        }

        /// numpy's `repr(a)` with the default print options; `{:.N?}` sets the precision.
        impl<T: Element> fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let opts = options_for(&PrintOptions::default(), f);
                write_array(f, &self.view(), &opts, true)
            }
        }
    )*};
}

impl_fmt!(Array<T>, ArrayView<'_, T>, ArrayViewMut<'_, T>);

#[cfg(test)]
mod tests {
    //! Expected strings are numpy 2.x output; the full parity run against the committed
    //! numpy fixtures is `tests/it/fmt.rs` in the workspace root.
    use crate::prelude::*;
    use crate::{FloatMode, PrintOptions};
    use num_complex::Complex;

    #[test]
    fn all_three_types_print_alike() {
        let mut a = Array::from_shape_vec([2, 3], vec![1i32, -2, 3, 40, 5, 6]).unwrap();
        let s = "[[ 1 -2  3]\n [40  5  6]]";
        let r = "array([[ 1, -2,  3],\n       [40,  5,  6]], dtype=int32)";
        assert_eq!(format!("{a}"), s);
        assert_eq!(format!("{a:?}"), r);
        assert_eq!(format!("{}", a.view()), s);
        assert_eq!(format!("{:?}", a.view()), r);
        assert_eq!(format!("{}", a.view_mut()), s);
        assert_eq!(format!("{:?}", a.view_mut()), r);
    }

    #[test]
    fn strided_views_print_logical_order() {
        let a = Array::from_shape_fn([3, 4], |ix| (10 * ix[0] + ix[1]) as i64);
        let v = a.slice(s![..;-1, 1..;2]).unwrap();
        assert_eq!(format!("{v}"), "[[21 23]\n [11 13]\n [ 1  3]]");
        assert_eq!(format!("{}", v.t()), "[[21 11  1]\n [23 13  3]]");
        assert_eq!(
            format!("{:?}", a.index_axis(1, 2).unwrap()),
            "array([ 2, 12, 22])"
        );
        let b = a.broadcast([2, 3, 4]).unwrap();
        assert!(format!("{b}").ends_with("\n\n [[ 0  1  2  3]\n  [10 11 12 13]\n  [20 21 22 23]]]"));
    }

    #[test]
    fn zero_d_empty_and_summarized() {
        assert_eq!(format!("{}", Array::scalar(0.1f64)), "0.1");
        assert_eq!(format!("{:?}", Array::scalar(0.1f64)), "array(0.1)");
        assert_eq!(format!("{:?}", Array::scalar(true)), "array(True)");
        let e = Array::<f32>::zeros([2, 0, 3]);
        assert_eq!(format!("{e}"), "[]");
        assert_eq!(
            format!("{e:?}"),
            "array([], shape=(2, 0, 3), dtype=float32)"
        );
        assert_eq!(
            format!("{:?}", Array::<i64>::zeros([0])),
            "array([], dtype=int64)"
        );
        let narrow = PrintOptions {
            linewidth: 20,
            ..PrintOptions::default()
        };
        assert_eq!(
            format!("{:?}", e.display_with(narrow)),
            "array([],\n      shape=(2, 0, 3), dtype=float32)"
        );
        // 10^7 elements (a broadcast, so no allocation): only the corners are read.
        let row = Array::from_shape_fn([1000], |ix| ix[0] as u32);
        let big = row.broadcast([10_000, 1000]).unwrap();
        assert_eq!(
            format!("{big:?}"),
            "array([[  0,   1,   2, ..., 997, 998, 999],\n       \
             [  0,   1,   2, ..., 997, 998, 999],\n       \
             [  0,   1,   2, ..., 997, 998, 999],\n       ...,\n       \
             [  0,   1,   2, ..., 997, 998, 999],\n       \
             [  0,   1,   2, ..., 997, 998, 999],\n       \
             [  0,   1,   2, ..., 997, 998, 999]],\n      shape=(10000, 1000), dtype=uint32)"
        );
    }

    #[test]
    fn options_and_format_precision() {
        let a = Array::from_vec(vec![Complex::new(1.0, -0.5), Complex::new(1.0 / 3.0, 2.0)]);
        assert_eq!(format!("{a}"), "[1.        -0.5j 0.33333333+2.j ]");
        assert_eq!(format!("{a:.2}"), "[1.  -0.5j 0.33+2.j ]");
        let fixed = PrintOptions {
            precision: 2,
            floatmode: FloatMode::Fixed,
            ..PrintOptions::default()
        };
        assert_eq!(
            format!("{}", a.display_with(fixed)),
            "[1.00-0.50j 0.33+2.00j]"
        );
        assert_eq!(
            format!("{:?}", a.debug_with(fixed)),
            "array([1.00-0.50j, 0.33+2.00j])"
        );
    }
}
