//! Element formatters, built once per array from the shown elements only
//! (numpy's `_get_format_function`).

use crate::element::Scalar;
use crate::float::{complex_scalar_str, scalar_str, FloatFormat, FloatStats, FloatWidths, Flt};
use crate::options::{PrintOptions, Sign};
use std::fmt::Write as _;

/// Calls its argument once per element the formatter must see.
pub(crate) type Visit<'a> = dyn FnMut(&mut dyn FnMut(Scalar)) + 'a;

/// The formatter of one array: every shown element is printed with it.
#[derive(Clone, Debug)]
pub(crate) enum Formatter {
    /// `' True'`/`'False'`, or `'True'` in a 0-d array.
    Bool {
        zero_d: bool,
    },
    /// Right-aligned integers of a common width.
    Int {
        width: usize,
        sign: Sign,
    },
    Float(FloatFormat),
    /// Real and imaginary parts each get their own float formatter.
    Complex(FloatFormat, FloatFormat),
}

fn parts(x: Scalar) -> Option<(Flt, Flt)> {
    match x {
        Scalar::C128(re, im) => Some((Flt::D(re), Flt::D(im))),
        Scalar::C64(re, im) => Some((Flt::S(re), Flt::S(im))),
        _ => None,
    }
}

fn real(x: Scalar) -> Option<Flt> {
    match x {
        Scalar::F64(v) => Some(Flt::D(v)),
        Scalar::F32(v) => Some(Flt::S(v)),
        _ => None,
    }
}

fn decimal_len(v: i128) -> usize {
    let mut s = String::new();
    let _ = write!(s, "{v}");
    s.len()
}

impl Formatter {
    /// Builds the formatter for elements of the same kind as `first` (any
    /// element of the array). `visit` calls its argument once per shown
    /// element; it may be called more than once (floats need two passes).
    pub(crate) fn build(
        first: Scalar,
        opts: &PrintOptions,
        zero_d: bool,
        visit: &mut Visit<'_>,
    ) -> Formatter {
        match first {
            Scalar::Bool(_) => Formatter::Bool { zero_d },
            Scalar::Int(_) => {
                let (mut lo, mut hi) = (i128::MAX, i128::MIN);
                visit(&mut |x| {
                    if let Scalar::Int(v) = x {
                        lo = lo.min(v);
                        hi = hi.max(v);
                    }
                });
                // numpy's IntegerFormat: ' ' only applies when nothing is
                // negative; the sign column is counted on the maximum.
                let mut sign = opts.sign;
                if sign == Sign::Space && lo < 0 {
                    sign = Sign::Minus;
                }
                let mut hi_len = decimal_len(hi);
                if hi >= 0 && sign != Sign::Minus {
                    hi_len += 1;
                }
                Formatter::Int {
                    width: hi_len.max(decimal_len(lo)),
                    sign,
                }
            }
            Scalar::F64(_) | Scalar::F32(_) => {
                let single = matches!(first, Scalar::F32(_));
                let mut stats = FloatStats::new(single);
                visit(&mut |x| {
                    if let Some(v) = real(x) {
                        stats.observe(v);
                    }
                });
                let mut widths = FloatWidths::new(stats, opts, opts.sign);
                visit(&mut |x| {
                    if let Some(v) = real(x) {
                        widths.observe(v);
                    }
                });
                Formatter::Float(widths.finish())
            }
            Scalar::C128(..) | Scalar::C64(..) => {
                let single = matches!(first, Scalar::C64(..));
                let mut re_stats = FloatStats::new(single);
                let mut im_stats = FloatStats::new(single);
                visit(&mut |x| {
                    if let Some((re, im)) = parts(x) {
                        re_stats.observe(re);
                        im_stats.observe(im);
                    }
                });
                let mut re_w = FloatWidths::new(re_stats, opts, opts.sign);
                let mut im_w = FloatWidths::new(im_stats, opts, Sign::Plus);
                visit(&mut |x| {
                    if let Some((re, im)) = parts(x) {
                        re_w.observe(re);
                        im_w.observe(im);
                    }
                });
                Formatter::Complex(re_w.finish(), im_w.finish())
            }
        }
    }

    /// Appends one element.
    pub(crate) fn write(&self, out: &mut String, x: Scalar) {
        match (self, x) {
            (Formatter::Bool { zero_d }, Scalar::Bool(b)) => out.push_str(match (b, zero_d) {
                (true, true) => "True",
                (true, false) => " True",
                (false, _) => "False",
            }),
            (Formatter::Int { width, sign }, Scalar::Int(v)) => {
                let _ = match sign {
                    Sign::Minus => write!(out, "{v:>width$}"),
                    Sign::Plus => write!(out, "{v:>+width$}"),
                    Sign::Space if v >= 0 => write!(out, "{:>width$}", format!(" {v}")),
                    Sign::Space => write!(out, "{v:>width$}"),
                };
            }
            (Formatter::Float(f), x) => {
                if let Some(v) = real(x) {
                    f.write(out, v);
                }
            }
            (Formatter::Complex(fr, fi), x) => {
                if let Some((re, im)) = parts(x) {
                    fr.write(out, re);
                    let start = out.len();
                    fi.write(out, im);
                    // The 'j' goes before the imaginary part's padding.
                    let end = out.trim_end_matches(' ').len().max(start);
                    out.insert(end, 'j');
                }
            }
            // An element of another kind than the one the formatter was
            // built from cannot occur: all elements share the type `T`.
            _ => {}
        }
    }
}

/// `str()` of a numpy scalar (the `str` of a 0-d array), which ignores the
/// print options.
pub(crate) fn scalar_to_str(out: &mut String, x: Scalar) {
    match x {
        Scalar::Bool(b) => out.push_str(if b { "True" } else { "False" }),
        Scalar::Int(v) => {
            let _ = write!(out, "{v}");
        }
        Scalar::F64(v) => scalar_str(out, Flt::D(v), false),
        Scalar::F32(v) => scalar_str(out, Flt::S(v), false),
        Scalar::C128(re, im) => complex_scalar_str(out, Flt::D(re), Flt::D(im)),
        Scalar::C64(re, im) => complex_scalar_str(out, Flt::S(re), Flt::S(im)),
    }
}
