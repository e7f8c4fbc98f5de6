//! numpy-identical text for N-d grids of numbers.
//!
//! `ndfmt` reproduces numpy 2.x `str(a)` and `repr(a)` byte for byte, for the
//! default print options and for `precision`, `threshold`, `edgeitems`,
//! `linewidth`, `suppress`, `sign` and `floatmode` ([`PrintOptions`]). It is
//! a leaf crate: it knows nothing about array types and only takes a shape
//! and an element accessor, so an array crate can call [`write_str`] and
//! [`write_repr`] from its own `Display` and `Debug` impls.
//!
//! ```
//! use ndfmt::{write_repr, write_str, PrintOptions};
//! let data = [0.5f64, 1.0, 2.25, -3.0, 7.0, 0.125];
//! let get = |i: &[usize]| data[i[0] * 3 + i[1]];
//! let opts = PrintOptions::default();
//! let mut s = String::new();
//! write_str(&mut s, &[2, 3], get, &opts).unwrap();
//! assert_eq!(s, "[[ 0.5    1.     2.25 ]\n [-3.     7.     0.125]]");
//! let mut r = String::new();
//! write_repr(&mut r, &[2, 3], get, &opts).unwrap();
//! assert_eq!(r, "array([[ 0.5  ,  1.   ,  2.25 ],\n       [-3.   ,  7.   ,  0.125]])");
//! ```
//!
//! # How it matches numpy
//!
//! * **Digits.** Floats are printed with a transcription of numpy's Dragon4
//!   (`dragon4.c`) on exact big integers: the shortest digits that
//!   round-trip, cut at `precision` with correct rounding of the exact binary
//!   value (ties to even), including numpy's own corner cases. Rust's `{}` /
//!   `{:e}` are not used for digits: they break exact ties away from zero
//!   where numpy goes to the even digit (f32 `177657.625` is `177657.62` in
//!   numpy).
//! * **One formatter per array.** As numpy's `arrayprint.py` does, the
//!   element formatter (widths, positional vs scientific notation, the
//!   shared exponent width) is built from the shown elements only: the
//!   corners of a summarized array, so printing a huge array reads only a
//!   few thousand elements. The decision for scientific notation is made in
//!   the element type (f32 arithmetic for `float32`).
//! * **Layout.** Brackets, blank lines between blocks, wrapping at
//!   `linewidth` with numpy's hanging indent, and `...` summarization follow
//!   `_formatArray`. Output is streamed to the writer one row at a time.
//! * **0-d arrays.** `str` of a 0-d array is numpy's scalar `str` (which
//!   ignores the print options: `0.1`, `1e+20`, `True`), `repr` uses the
//!   array formatter (`array(1.)`).
//!
//! numpy's `legacy` modes, `formatter`, `nanstr`/`infstr` and structured or
//! string dtypes are not modelled.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bigint;
mod dragon4;
mod element;
mod float;
mod formatter;
mod layout;
mod options;
#[cfg(test)]
mod parity;

pub use element::Element;
pub use options::{FloatMode, PrintOptions, Sign};

use layout::{size, Column, Grid};
use std::fmt;

/// Writes numpy's `str(a)` of the array with the given `shape`.
///
/// `get` returns the element at a multi-index (one index per axis, in
/// logical C order); it is called only for elements that are shown, plus a
/// few more times to build the formatter. For a 0-d shape (`&[]`) the output
/// is numpy's scalar `str`, which ignores the print options.
///
/// ```
/// use ndfmt::{write_str, PrintOptions};
/// let opts = PrintOptions::default();
/// let mut s = String::new();
/// write_str(&mut s, &[2, 2], |i| (i[0] * 2 + i[1]) as f32 / 4.0, &opts).unwrap();
/// assert_eq!(s, "[[0.   0.25]\n [0.5  0.75]]");
///
/// // Summarized: only the corners are formatted.
/// let mut s = String::new();
/// write_str(&mut s, &[10_000_000], |i| i[0] as i64, &opts).unwrap();
/// assert_eq!(s, "[      0       1       2 ... 9999997 9999998 9999999]");
///
/// // 0-d: the scalar str.
/// let mut s = String::new();
/// write_str(&mut s, &[], |_| 0.1f64, &opts).unwrap();
/// assert_eq!(s, "0.1");
/// ```
pub fn write_str<T: Element, W: fmt::Write>(
    w: &mut W,
    shape: &[usize],
    get: impl Fn(&[usize]) -> T,
    opts: &PrintOptions,
) -> fmt::Result {
    if shape.is_empty() {
        let mut s = String::new();
        formatter::scalar_to_str(&mut s, get(&[]).to_scalar());
        return w.write_str(&s);
    }
    let grid = Grid { shape, get, opts };
    grid.write_body(w, " ", 0, 0)
}

/// Writes numpy's `repr(a)` of the array with the given `shape`:
/// `array([...])`, with `shape=` for summarized arrays and `dtype=` unless
/// numpy implies it (see [`Element::DTYPE_IMPLIED`]).
///
/// `get` is as in [`write_str`].
///
/// ```
/// use ndfmt::{write_repr, PrintOptions};
/// let opts = PrintOptions::default();
/// let data = [1.5f32, -2.0, 3.25];
/// let mut s = String::new();
/// write_repr(&mut s, &[3], |i| data[i[0]], &opts).unwrap();
/// assert_eq!(s, "array([ 1.5 , -2.  ,  3.25], dtype=float32)");
///
/// let mut s = String::new();
/// write_repr(&mut s, &[0, 3], |_| 0.0f64, &opts).unwrap();
/// assert_eq!(s, "array([], shape=(0, 3), dtype=float64)");
///
/// let mut s = String::new();
/// write_repr(&mut s, &[], |_| 1.0f64, &opts).unwrap();
/// assert_eq!(s, "array(1.)");
/// ```
pub fn write_repr<T: Element, W: fmt::Write>(
    w: &mut W,
    shape: &[usize],
    get: impl Fn(&[usize]) -> T,
    opts: &PrintOptions,
) -> fmt::Result {
    let mut out = Column::new(w);
    fmt::Write::write_str(&mut out, REPR_PREFIX)?;
    let grid = Grid { shape, get, opts };
    grid.write_body(&mut out, ", ", REPR_PREFIX.len(), 1)?;
    write_repr_suffix::<T, W>(&mut out, shape, opts)
}

/// Writes numpy's `repr(a)` of an array with no elements (some axis of `shape` has
/// length 0), the text [`write_repr`] writes for that shape, without an element
/// accessor: for callers that have no element to hand. A `shape` with elements is a
/// formatting error.
///
/// ```
/// use ndfmt::{write_repr_empty, PrintOptions};
/// let opts = PrintOptions::default();
/// let mut s = String::new();
/// write_repr_empty::<f32, _>(&mut s, &[2, 0], &opts).unwrap();
/// assert_eq!(s, "array([], shape=(2, 0), dtype=float32)");
/// assert!(write_repr_empty::<f32, _>(&mut s, &[2], &opts).is_err());
/// ```
pub fn write_repr_empty<T: Element, W: fmt::Write>(
    w: &mut W,
    shape: &[usize],
    opts: &PrintOptions,
) -> fmt::Result {
    if size(shape) != 0 {
        return Err(fmt::Error);
    }
    let mut out = Column::new(w);
    fmt::Write::write_str(&mut out, REPR_PREFIX)?;
    fmt::Write::write_str(&mut out, "[]")?;
    write_repr_suffix::<T, W>(&mut out, shape, opts)
}

const REPR_PREFIX: &str = "array(";

/// The end of a `repr` after the body: `)`, or `, shape=(..), dtype=..)` with the
/// extras on their own line when they would overflow this one.
fn write_repr_suffix<T: Element, W: fmt::Write>(
    out: &mut Column<'_, W>,
    shape: &[usize],
    opts: &PrintOptions,
) -> fmt::Result {
    let n = size(shape);
    let mut extras = String::new();
    if (n == 0 && shape != [0]) || n > opts.threshold {
        extras.push_str("shape=");
        push_tuple(&mut extras, shape);
    }
    if !T::DTYPE_IMPLIED || n == 0 {
        if !extras.is_empty() {
            extras.push_str(", ");
        }
        extras.push_str("dtype=");
        extras.push_str(T::DTYPE_NAME);
    }
    if extras.is_empty() {
        return fmt::Write::write_str(out, ")");
    }
    extras.push(')');
    fmt::Write::write_char(out, ',')?;
    if out.col + extras.len() + 1 > opts.linewidth {
        fmt::Write::write_char(out, '\n')?;
        for _ in 0..REPR_PREFIX.len() {
            fmt::Write::write_char(out, ' ')?;
        }
    } else {
        fmt::Write::write_char(out, ' ')?;
    }
    fmt::Write::write_str(out, &extras)
}

/// Python's tuple repr of a shape: `()`, `(5,)`, `(2, 3)`.
fn push_tuple(out: &mut String, shape: &[usize]) {
    out.push('(');
    for (i, n) in shape.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&n.to_string());
    }
    if shape.len() == 1 {
        out.push(',');
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    //! Readable examples; every expected string is numpy 2.4's output.
    use super::*;
    use num_complex::Complex;
    use std::cell::Cell;

    fn str_of<T: Element>(shape: &[usize], data: &[T], opts: &PrintOptions) -> String {
        let mut s = String::new();
        write_str(&mut s, shape, |i| data[flat(shape, i)], opts).unwrap();
        s
    }

    fn repr_of<T: Element>(shape: &[usize], data: &[T], opts: &PrintOptions) -> String {
        let mut s = String::new();
        write_repr(&mut s, shape, |i| data[flat(shape, i)], opts).unwrap();
        s
    }

    fn flat(shape: &[usize], idx: &[usize]) -> usize {
        idx.iter().zip(shape).fold(0, |acc, (&i, &n)| acc * n + i)
    }

    fn range(n: usize, scale: f64) -> Vec<f64> {
        (0..n).map(|i| i as f64 / scale).collect()
    }

    #[test]
    fn three_d_blocks_are_separated_by_blank_lines() {
        let d = PrintOptions::default();
        let a = range(24, 4.0);
        assert_eq!(
            str_of(&[2, 3, 4], &a, &d),
            "[[[0.   0.25 0.5  0.75]\n  [1.   1.25 1.5  1.75]\n  [2.   2.25 2.5  2.75]]\n\n \
             [[3.   3.25 3.5  3.75]\n  [4.   4.25 4.5  4.75]\n  [5.   5.25 5.5  5.75]]]"
        );
        assert_eq!(
            repr_of(&[2, 3, 4], &a, &d),
            "array([[[0.  , 0.25, 0.5 , 0.75],\n        [1.  , 1.25, 1.5 , 1.75],\n        \
             [2.  , 2.25, 2.5 , 2.75]],\n\n       [[3.  , 3.25, 3.5 , 3.75],\n        \
             [4.  , 4.25, 4.5 , 4.75],\n        [5.  , 5.25, 5.5 , 5.75]]])"
        );
    }

    #[test]
    fn long_rows_wrap_at_linewidth() {
        let d = PrintOptions::default();
        let a = range(30, 7.0);
        assert_eq!(
            str_of(&[30], &a, &d),
            "[0.         0.14285714 0.28571429 0.42857143 0.57142857 0.71428571\n \
             0.85714286 1.         1.14285714 1.28571429 1.42857143 1.57142857\n \
             1.71428571 1.85714286 2.         2.14285714 2.28571429 2.42857143\n \
             2.57142857 2.71428571 2.85714286 3.         3.14285714 3.28571429\n \
             3.42857143 3.57142857 3.71428571 3.85714286 4.         4.14285714]"
        );
        assert!(repr_of(&[30], &a, &d).starts_with(
            "array([0.        , 0.14285714, 0.28571429, 0.42857143, 0.57142857,\n       0.71428571,"
        ));
    }

    #[test]
    fn summarized_arrays_show_corners_and_shape() {
        let d = PrintOptions::default();
        let a: Vec<i32> = (0..2000).collect();
        assert_eq!(
            str_of(&[2, 1000], &a, &d),
            "[[   0    1    2 ...  997  998  999]\n [1000 1001 1002 ... 1997 1998 1999]]"
        );
        assert_eq!(
            repr_of(&[2, 1000], &a, &d),
            "array([[   0,    1,    2, ...,  997,  998,  999],\n       \
             [1000, 1001, 1002, ..., 1997, 1998, 1999]],\n      shape=(2, 1000), dtype=int32)"
        );
        let o = PrintOptions {
            threshold: 5,
            edgeitems: 0,
            ..d
        };
        assert_eq!(str_of(&[10], &range(10, 1.0), &o), "[... 9.]");
    }

    #[test]
    fn only_shown_elements_are_read() {
        // A 10^10-element array: reading it all would never finish.
        let calls = Cell::new(0usize);
        let mut s = String::new();
        write_repr(
            &mut s,
            &[100_000, 100_000],
            |i| {
                calls.set(calls.get() + 1);
                (i[0] as f64) * 1e-3 + i[1] as f64
            },
            &PrintOptions::default(),
        )
        .unwrap();
        assert!(s.ends_with("shape=(100000, 100000))"), "{s}");
        assert!(calls.get() < 200, "{} reads", calls.get());
    }

    #[test]
    fn floats_align_points_and_exponents() {
        let d = PrintOptions::default();
        assert_eq!(
            str_of(&[3], &[1e-200, 1e200, 1.0], &d),
            "[1.e-200 1.e+200 1.e+000]"
        );
        assert_eq!(
            str_of(&[4], &[1.0, f64::NAN, f64::NEG_INFINITY, 2.5], &d),
            "[ 1.   nan -inf  2.5]"
        );
        let space = PrintOptions {
            sign: Sign::Space,
            ..d
        };
        assert_eq!(str_of(&[2], &[0.0, 1.5], &space), "[ 0.   1.5]");
        let small = PrintOptions {
            precision: 6,
            suppress: true,
            ..d
        };
        assert_eq!(
            repr_of(&[4], &[1e-6, 4e-7, 2.0, 3.0], &small),
            "array([0.000001, 0.      , 2.      , 3.      ])"
        );
    }

    #[test]
    fn complex_and_bool() {
        let d = PrintOptions::default();
        let c = [
            Complex::new(1.0, 1.0),
            Complex::new(1.123456789, 1.123456789),
        ];
        assert_eq!(
            str_of(&[2], &c, &d),
            "[1.        +1.j         1.12345679+1.12345679j]"
        );
        assert_eq!(
            repr_of(&[2], &c, &d),
            "array([1.        +1.j        , 1.12345679+1.12345679j])"
        );
        assert_eq!(str_of(&[2], &[true, false], &d), "[ True False]");
        assert_eq!(repr_of(&[], &[true], &d), "array(True)");
    }

    #[test]
    fn empty_and_zero_d() {
        let d = PrintOptions::default();
        assert_eq!(repr_of::<f32>(&[0], &[], &d), "array([], dtype=float32)");
        assert_eq!(
            repr_of::<f64>(&[2, 0], &[], &d),
            "array([], shape=(2, 0), dtype=float64)"
        );
        assert_eq!(str_of::<f64>(&[2, 0], &[], &d), "[]");
        assert_eq!(repr_of(&[], &[1.5f32], &d), "array(1.5, dtype=float32)");
        let t0 = PrintOptions { threshold: 0, ..d };
        assert_eq!(
            repr_of(&[], &[1.5f32], &t0),
            "array(1.5, shape=(), dtype=float32)"
        );
        // str of 0-d arrays is the scalar str, which ignores the options.
        assert_eq!(str_of(&[], &[1e20f32], &d), "1e+20");
        assert_eq!(str_of(&[], &[1e-4f32], &d), "1e-04");
        assert_eq!(str_of(&[], &[1.0f64], &d), "1.0");
        assert_eq!(str_of(&[], &[-7i8], &d), "-7");
    }
}
