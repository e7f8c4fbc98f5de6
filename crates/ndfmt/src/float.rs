//! Float formatting: numpy's `FloatingFormat` (array elements) and the
//! `str` of float scalars.

use crate::dragon4::{positional, scientific, Decoded, Request, Trim};
use crate::options::{FloatMode, PrintOptions, Sign};

/// A float of either width; f32 keeps its own type because numpy decides
/// scientific notation with f32 arithmetic and the digit loop needs the f32
/// neighbours.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Flt {
    D(f64),
    S(f32),
}

impl Flt {
    fn is_finite(self) -> bool {
        match self {
            Flt::D(x) => x.is_finite(),
            Flt::S(x) => x.is_finite(),
        }
    }

    fn is_nan(self) -> bool {
        match self {
            Flt::D(x) => x.is_nan(),
            Flt::S(x) => x.is_nan(),
        }
    }

    fn signbit(self) -> bool {
        match self {
            Flt::D(x) => x.is_sign_negative(),
            Flt::S(x) => x.is_sign_negative(),
        }
    }

    /// Exact: every f32 is an f64.
    fn to_f64(self) -> f64 {
        match self {
            Flt::D(x) => x,
            Flt::S(x) => f64::from(x),
        }
    }

    fn decode(self) -> Decoded {
        match self {
            Flt::D(x) => Decoded::from_f64(x),
            Flt::S(x) => Decoded::from_f32(x),
        }
    }
}

/// `i32` view of a count option; values beyond `i32` are far past anything
/// the digit loop can produce, so saturating is harmless.
fn as_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Largest `precision` honoured (numpy's Dragon4 buffer holds 16384 bytes).
const MAX_PRECISION: usize = 16_383;

/// Summary of the shown values that decides between positional and
/// scientific notation (first half of numpy's `fillFormat`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FloatStats {
    single: bool,
    /// Largest and smallest non-zero finite magnitude, in the element type
    /// (an f32 stored losslessly in an f64).
    max_nz: Option<f64>,
    min_nz: Option<f64>,
    any_finite: bool,
    any_finite_signbit: bool,
    any_nonfinite: bool,
    any_neg_inf: bool,
}

impl FloatStats {
    pub(crate) fn new(single: bool) -> FloatStats {
        FloatStats {
            single,
            ..FloatStats::default()
        }
    }

    pub(crate) fn observe(&mut self, x: Flt) {
        if x.is_finite() {
            self.any_finite = true;
            self.any_finite_signbit |= x.signbit();
            let a = x.to_f64().abs();
            if a != 0.0 {
                self.max_nz = Some(self.max_nz.map_or(a, |m| m.max(a)));
                self.min_nz = Some(self.min_nz.map_or(a, |m| m.min(a)));
            }
        } else {
            self.any_nonfinite = true;
            if !x.is_nan() && x.signbit() {
                self.any_neg_inf = true;
            }
        }
    }

    /// numpy's test for scientific notation, computed in the element type:
    /// for f32 both the comparisons and the ratio are f32 operations.
    fn wants_exp(&self, suppress: bool) -> bool {
        let (Some(max), Some(min)) = (self.max_nz, self.min_nz) else {
            return false;
        };
        if self.single {
            let (max, min) = (max as f32, min as f32);
            max >= 1e6f32 || (!suppress && (min < 1e-4f32 || max / min > 1000f32))
        } else {
            max >= 1e8 || (!suppress && (min < 1e-4 || max / min > 1000.0))
        }
    }
}

/// numpy's `FloatingFormat`: one formatter for all shown elements, so that
/// decimal points and exponents line up.
#[derive(Clone, Debug)]
pub(crate) struct FloatFormat {
    exp_format: bool,
    pad_left: i32,
    pad_right: i32,
    precision: i32,
    min_digits: i32,
    unique: bool,
    trim: Trim,
    exp_size: i32,
    sign: Sign,
}

/// Second half of `fillFormat`: the widths from a first formatting pass.
#[derive(Clone, Debug)]
pub(crate) struct FloatWidths {
    fmt: FloatFormat,
    stats: FloatStats,
    floatmode: FloatMode,
    max_int: i32,
    max_frac: i32,
    max_exp: i32,
    scratch: String,
}

impl FloatWidths {
    /// Starts the width pass once `stats` has seen every shown value.
    pub(crate) fn new(stats: FloatStats, opts: &PrintOptions, sign: Sign) -> FloatWidths {
        let precision = match opts.floatmode {
            FloatMode::Unique => -1,
            // numpy formats into a 16 KiB buffer; beyond that it truncates
            // or raises, so larger requests are clamped to bound memory.
            _ => as_i32(opts.precision.min(MAX_PRECISION)),
        };
        let fixed = opts.floatmode == FloatMode::Fixed;
        FloatWidths {
            fmt: FloatFormat {
                exp_format: stats.wants_exp(opts.suppress),
                pad_left: 0,
                pad_right: 0,
                precision,
                min_digits: -1,
                unique: !fixed,
                trim: if fixed { Trim::Keep } else { Trim::Zeros },
                exp_size: -1,
                sign,
            },
            stats,
            floatmode: opts.floatmode,
            max_int: 0,
            max_frac: 0,
            max_exp: 0,
            scratch: String::new(),
        }
    }

    pub(crate) fn observe(&mut self, x: Flt) {
        if !x.is_finite() {
            return;
        }
        let req = Request {
            unique: self.fmt.unique,
            precision: self.fmt.precision,
            min_digits: -1,
            trim: self.fmt.trim,
            sign_plus: self.fmt.sign == Sign::Plus,
            pad_left: -1,
            pad_right: -1,
            exp_digits: -1,
        };
        self.scratch.clear();
        let mantissa = if self.fmt.exp_format {
            scientific(&mut self.scratch, &x.decode(), &req);
            let (m, e) = self
                .scratch
                .split_once('e')
                .unwrap_or((self.scratch.as_str(), ""));
            self.max_exp = self.max_exp.max(as_i32(e.len()) - 1);
            m
        } else {
            positional(&mut self.scratch, &x.decode(), &req);
            self.scratch.as_str()
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        self.max_int = self.max_int.max(as_i32(int.len()));
        self.max_frac = self.max_frac.max(as_i32(frac.len()));
    }

    pub(crate) fn finish(self) -> FloatFormat {
        let FloatWidths {
            mut fmt,
            stats,
            floatmode,
            max_int,
            max_frac,
            max_exp,
            ..
        } = self;
        if !stats.any_finite {
            fmt.pad_left = 0;
            fmt.pad_right = 0;
            fmt.trim = Trim::Zeros;
            fmt.exp_size = -1;
            fmt.unique = true;
            fmt.min_digits = -1;
        } else if fmt.exp_format {
            fmt.exp_size = max_exp;
            fmt.trim = Trim::Keep;
            fmt.precision = max_frac;
            fmt.min_digits = max_frac;
            fmt.pad_left = max_int;
            fmt.pad_right = fmt.exp_size + 2 + fmt.precision;
        } else {
            fmt.pad_left = max_int;
            fmt.pad_right = max_frac;
            fmt.exp_size = -1;
            if matches!(floatmode, FloatMode::Fixed | FloatMode::MaxPrecEqual) {
                fmt.precision = fmt.pad_right;
                fmt.min_digits = fmt.pad_right;
                fmt.trim = Trim::Keep;
            } else {
                fmt.trim = Trim::Zeros;
                fmt.min_digits = 0;
            }
        }
        if fmt.sign == Sign::Space && !stats.any_finite_signbit {
            fmt.pad_left += 1;
        }
        if stats.any_nonfinite {
            let neg = i32::from(fmt.sign != Sign::Minus || stats.any_neg_inf);
            let offset = fmt.pad_right + 1;
            fmt.pad_left = fmt.pad_left.max(3 - offset).max(3 + neg - offset);
        }
        fmt
    }
}

impl FloatFormat {
    /// Appends one element, padded to the common width.
    pub(crate) fn write(&self, out: &mut String, x: Flt) {
        if !x.is_finite() {
            let plus = if self.sign == Sign::Plus { "+" } else { "" };
            let text = if x.is_nan() {
                [plus, "nan"]
            } else if x.signbit() {
                ["-", "inf"]
            } else {
                [plus, "inf"]
            };
            let len = as_i32(text[0].len() + 3);
            for _ in 0..(self.pad_left + self.pad_right + 1 - len).max(0) {
                out.push(' ');
            }
            out.push_str(text[0]);
            out.push_str(text[1]);
            return;
        }
        let req = Request {
            unique: self.unique,
            precision: self.precision,
            min_digits: self.min_digits,
            trim: self.trim,
            sign_plus: self.sign == Sign::Plus,
            pad_left: self.pad_left,
            pad_right: self.pad_right,
            exp_digits: self.exp_size,
        };
        if self.exp_format {
            scientific(
                out,
                &x.decode(),
                &Request {
                    pad_right: -1,
                    ..req
                },
            );
        } else {
            positional(
                out,
                &x.decode(),
                &Request {
                    exp_digits: -1,
                    ..req
                },
            );
        }
    }
}

/// `str()` of a numpy float scalar, which ignores the print options:
/// shortest digits, positional between 1e-4 and a type-dependent cutoff
/// (1e16 for float64, 1e6 for float32), scientific outside it.
///
/// `bare` drops a lone `.0` as numpy does for the parts of a complex scalar.
pub(crate) fn scalar_str(out: &mut String, x: Flt, bare: bool) {
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if !x.is_finite() {
        out.push_str(if x.signbit() { "-inf" } else { "inf" });
        return;
    }
    // The compares are done in double precision, so an f32 just below 1e-4
    // (such as f32(1e-4) itself) goes scientific.
    let a = x.to_f64().abs();
    let cutoff = match x {
        Flt::D(_) => 1e16,
        Flt::S(_) => 1e6,
    };
    if a == 0.0 || (1e-4..cutoff).contains(&a) {
        let trim = if bare {
            Trim::DptZeros
        } else {
            Trim::LeaveOneZero
        };
        positional(out, &x.decode(), &Request::shortest(trim));
    } else {
        scientific(out, &x.decode(), &Request::shortest(Trim::DptZeros));
    }
}

/// `str()` of a numpy complex scalar: `(re+imj)`, or just `imj` when the
/// real part is +0.
pub(crate) fn complex_scalar_str(out: &mut String, re: Flt, im: Flt) {
    let re_is_plus_zero = re.to_f64() == 0.0 && !re.signbit();
    if re_is_plus_zero {
        scalar_str(out, im, true);
        out.push('j');
        return;
    }
    out.push('(');
    scalar_str(out, re, true);
    if im.is_nan() || !im.signbit() {
        out.push('+');
    }
    scalar_str(out, im, true);
    out.push_str("j)");
}
