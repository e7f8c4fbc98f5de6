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
    const PREFIX: &str = "array(";
    let mut out = Column::new(w);
    fmt::Write::write_str(&mut out, PREFIX)?;
    let grid = Grid { shape, get, opts };
    grid.write_body(&mut out, ", ", PREFIX.len(), 1)?;

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
        return fmt::Write::write_str(&mut out, ")");
    }
    extras.push(')');
    fmt::Write::write_char(&mut out, ',')?;
    // Put the extras on their own line if they would overflow this one.
    if out.col + extras.len() + 1 > opts.linewidth {
        fmt::Write::write_char(&mut out, '\n')?;
        for _ in 0..PREFIX.len() {
            fmt::Write::write_char(&mut out, ' ')?;
        }
    } else {
        fmt::Write::write_char(&mut out, ' ')?;
    }
    fmt::Write::write_str(&mut out, &extras)
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
