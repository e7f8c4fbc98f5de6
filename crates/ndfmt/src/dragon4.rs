//! numpy's Dragon4: exact decimal digits of binary floats.
//!
//! This is a transcription of the digit loop and of `FormatPositional` /
//! `FormatScientific` in numpy's `dragon4.c`, on exact big integers. The
//! loop is reproduced step by step rather than replaced by closed forms
//! (shortest digits, then a correctly rounded cut) because numpy's output has
//! corner cases that only the loop produces: when `min_digits` forces more
//! digits than the shortest representation of a power of two, the final
//! digit is rounded down whenever the remainder lies inside the (narrower)
//! lower margin, even if it is above one half.

use crate::bigint::BigUint;

/// A finite float as `mantissa * 2^exponent`, plus what the digit loop needs
/// to know about its neighbours.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Decoded {
    pub(crate) mantissa: u64,
    pub(crate) exponent: i32,
    /// The gap to the next float below is half the gap above (exact powers of
    /// two that are not the smallest normal).
    pub(crate) unequal_margins: bool,
    pub(crate) negative: bool,
}

impl Decoded {
    pub(crate) fn from_f64(x: f64) -> Decoded {
        let bits = x.to_bits();
        let field = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let negative = bits >> 63 != 0;
        if field != 0 {
            Decoded {
                mantissa: frac | (1u64 << 52),
                exponent: field - 1075,
                unequal_margins: field != 1 && frac == 0,
                negative,
            }
        } else {
            Decoded {
                mantissa: frac,
                exponent: -1074,
                unequal_margins: false,
                negative,
            }
        }
    }

    pub(crate) fn from_f32(x: f32) -> Decoded {
        let bits = x.to_bits();
        let field = ((bits >> 23) & 0xff) as i32;
        let frac = u64::from(bits & ((1u32 << 23) - 1));
        let negative = bits >> 31 != 0;
        if field != 0 {
            Decoded {
                mantissa: frac | (1u64 << 23),
                exponent: field - 150,
                unequal_margins: field != 1 && frac == 0,
                negative,
            }
        } else {
            Decoded {
                mantissa: frac,
                exponent: -149,
                unequal_margins: false,
                negative,
            }
        }
    }
}

/// What `cutoff_max` / `cutoff_min` count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cutoff {
    /// Digits after the decimal point (positional output).
    Fraction,
    /// Significant digits (scientific output).
    Total,
}

/// Numpy's trim modes (`trim=` of `format_float_positional`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trim {
    /// `'k'`: keep trailing zeros and the point.
    Keep,
    /// `'.'`: drop trailing zeros, keep the point.
    Zeros,
    /// `'0'`: drop trailing zeros but keep one after the point.
    LeaveOneZero,
    /// `'-'`: drop trailing zeros and a bare point.
    DptZeros,
}

/// Formatting request, numpy's `Dragon4_Options`. Negative numbers mean
/// "not given", as in numpy.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Request {
    pub(crate) unique: bool,
    pub(crate) precision: i32,
    pub(crate) min_digits: i32,
    pub(crate) trim: Trim,
    pub(crate) sign_plus: bool,
    pub(crate) pad_left: i32,
    pub(crate) pad_right: i32,
    pub(crate) exp_digits: i32,
}

impl Request {
    /// Unique digits with no cutoff, no padding.
    pub(crate) fn shortest(trim: Trim) -> Request {
        Request {
            unique: true,
            precision: -1,
            min_digits: -1,
            trim,
            sign_plus: false,
            pad_left: -1,
            pad_right: -1,
            exp_digits: -1,
        }
    }
}

/// numpy's digit buffer is finite; this bounds the exact-mode loop the same
/// way for values whose expansion is long (it ends long before for f64).
const MAX_DIGITS: i32 = 16384;

/// The Dragon4 digit loop. Appends ASCII digits to `out` and returns the
/// decimal exponent of the first one.
fn digits(
    d: &Decoded,
    unique: bool,
    mode: Cutoff,
    cutoff_max: i32,
    cutoff_min: i32,
    out: &mut Vec<u8>,
) -> i32 {
    if d.mantissa == 0 {
        out.push(b'0');
        return 0;
    }
    let e = d.exponent;
    // value = r / s, margins = m_low / s and m_high / s, all scaled so the
    // half-gaps are integers.
    let mut r = BigUint::from_u64(d.mantissa);
    let mut s;
    let mut m_low;
    let mut m_high;
    if d.unequal_margins {
        if e > 0 {
            r.shl(e.unsigned_abs() + 2);
            s = BigUint::from_u64(4);
            m_low = BigUint::pow2(e.unsigned_abs());
            m_high = BigUint::pow2(e.unsigned_abs() + 1);
        } else {
            r.shl(2);
            s = BigUint::pow2(e.unsigned_abs() + 2);
            m_low = BigUint::from_u64(1);
            m_high = BigUint::from_u64(2);
        }
    } else if e > 0 {
        r.shl(e.unsigned_abs() + 1);
        s = BigUint::from_u64(2);
        m_low = BigUint::pow2(e.unsigned_abs());
        m_high = m_low.clone();
    } else {
        r.shl(1);
        s = BigUint::pow2(e.unsigned_abs() + 1);
        m_low = BigUint::from_u64(1);
        m_high = m_low.clone();
    }

    // numpy's estimate of floor(log10(v)) + 1: exact or one too low, fixed
    // below by comparing against the scale.
    let mantissa_bit = 63 - d.mantissa.leading_zeros() as i32;
    let log10_2 = std::f64::consts::LOG10_2;
    let mut digit_exp = ((f64::from(mantissa_bit + e) * log10_2) - 0.69).ceil() as i32;
    // Positional output with a cutoff: never start left of the cutoff digit
    // minus one, so tiny values produce a (possibly rounded) leading zero.
    if cutoff_max >= 0 && mode == Cutoff::Fraction && digit_exp <= -cutoff_max {
        digit_exp = -cutoff_max + 1;
    }
    if digit_exp > 0 {
        s.mul_pow10(digit_exp.unsigned_abs());
    } else if digit_exp < 0 {
        let n = digit_exp.unsigned_abs();
        r.mul_pow10(n);
        m_low.mul_pow10(n);
        m_high.mul_pow10(n);
    }
    if r >= s {
        digit_exp += 1;
    } else {
        r.mul_small(10);
        m_low.mul_small(10);
        m_high.mul_small(10);
    }

    let mut cutoff_max_exp = digit_exp - MAX_DIGITS;
    if cutoff_max >= 0 {
        let desired = match mode {
            Cutoff::Total => digit_exp - cutoff_max,
            Cutoff::Fraction => -cutoff_max,
        };
        cutoff_max_exp = cutoff_max_exp.max(desired);
    }
    let mut cutoff_min_exp = digit_exp;
    if cutoff_min >= 0 {
        let desired = match mode {
            Cutoff::Total => digit_exp - cutoff_min,
            Cutoff::Fraction => -cutoff_min,
        };
        cutoff_min_exp = cutoff_min_exp.min(desired);
    }
    let mut out_exp = digit_exp - 1;
    let start = out.len();

    let even = d.mantissa.is_multiple_of(2);
    let mut low = false;
    let mut high = false;
    let mut digit;
    if unique {
        loop {
            digit_exp -= 1;
            digit = r.divrem_small(&s);
            let r_high = r.add(&m_high);
            low = if even { r <= m_low } else { r < m_low };
            high = if even { r_high >= s } else { r_high > s };
            if ((low || high) && digit_exp <= cutoff_min_exp) || digit_exp == cutoff_max_exp {
                break;
            }
            out.push(b'0' + digit as u8);
            r.mul_small(10);
            m_low.mul_small(10);
            m_high.mul_small(10);
        }
    } else {
        loop {
            digit_exp -= 1;
            digit = r.divrem_small(&s);
            if r.is_zero() || digit_exp == cutoff_max_exp {
                break;
            }
            out.push(b'0' + digit as u8);
            r.mul_small(10);
        }
    }

    // Round the final digit: down if only the low side is safe, otherwise to
    // the nearer side, ties to the even digit.
    let mut round_down = low;
    if low == high {
        r.shl(1);
        round_down = match r.cmp(&s) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Greater => false,
            std::cmp::Ordering::Equal => digit % 2 == 0,
        };
    }
    if round_down {
        out.push(b'0' + digit as u8);
    } else if digit < 9 {
        out.push(b'0' + digit as u8 + 1);
    } else {
        // Carry: drop trailing nines and bump the first other digit; all
        // nines become a single 1 one decade up.
        loop {
            if out.len() == start {
                out.push(b'1');
                out_exp += 1;
                break;
            }
            match out.pop() {
                Some(b'9') => continue,
                Some(c) => {
                    out.push(c + 1);
                    break;
                }
                None => break,
            }
        }
    }
    out_exp
}

fn push_spaces(out: &mut String, n: i32) {
    for _ in 0..n.max(0) {
        out.push(' ');
    }
}

/// numpy's `FormatPositional` (with `fractional=True`), appended to `out`.
pub(crate) fn positional(out: &mut String, d: &Decoded, req: &Request) {
    let mut buf = String::new();
    let has_sign = if d.negative {
        buf.push('-');
        1
    } else if req.sign_plus {
        buf.push('+');
        1
    } else {
        0
    };
    let mut ds = Vec::new();
    let pe = digits(
        d,
        req.unique,
        Cutoff::Fraction,
        req.precision,
        req.min_digits,
        &mut ds,
    );
    let nd = ds.len() as i32;
    let whole;
    let mut frac;
    if pe >= 0 {
        whole = pe + 1;
        if nd <= whole {
            buf.extend(ds.iter().map(|&c| char::from(c)));
            for _ in 0..whole - nd {
                buf.push('0');
            }
            frac = 0;
        } else {
            let (w, f) = ds.split_at(whole as usize);
            buf.extend(w.iter().map(|&c| char::from(c)));
            buf.push('.');
            buf.extend(f.iter().map(|&c| char::from(c)));
            frac = nd - whole;
        }
    } else {
        whole = 1;
        buf.push_str("0.");
        let zeros = -(pe + 1);
        for _ in 0..zeros {
            buf.push('0');
        }
        buf.extend(ds.iter().map(|&c| char::from(c)));
        frac = zeros + nd;
    }
    if req.trim != Trim::DptZeros && frac == 0 {
        buf.push('.');
    }
    let add_digits = if req.unique {
        req.min_digits
    } else {
        req.precision
    };
    let desired = add_digits.max(0);
    if req.trim == Trim::LeaveOneZero {
        if frac == 0 {
            buf.push('0');
            frac += 1;
        }
    } else if req.trim == Trim::Keep && desired > frac {
        for _ in 0..desired - frac {
            buf.push('0');
        }
        frac = desired;
    }
    if req.trim != Trim::Keep && frac > 0 {
        while buf.ends_with('0') {
            buf.pop();
            frac -= 1;
        }
        if buf.ends_with('.') {
            match req.trim {
                Trim::LeaveOneZero => {
                    buf.push('0');
                    frac += 1;
                }
                Trim::DptZeros => {
                    buf.pop();
                }
                _ => {}
            }
        }
    }
    if req.pad_right >= frac {
        if req.trim == Trim::DptZeros && frac == 0 {
            buf.push(' ');
        }
        push_spaces(&mut buf, req.pad_right - frac);
    }
    push_spaces(out, req.pad_left - (whole + has_sign));
    out.push_str(&buf);
}

/// numpy's `FormatScientific`, appended to `out`.
pub(crate) fn scientific(out: &mut String, d: &Decoded, req: &Request) {
    let sign = if d.negative {
        Some('-')
    } else if req.sign_plus {
        Some('+')
    } else {
        None
    };
    let leftchars = 1 + i32::from(sign.is_some());
    push_spaces(out, req.pad_left - leftchars);
    if let Some(c) = sign {
        out.push(c);
    }
    let mut ds = Vec::new();
    let pe = digits(
        d,
        req.unique,
        Cutoff::Total,
        if req.precision < 0 {
            -1
        } else {
            req.precision.saturating_add(1)
        },
        if req.min_digits < 0 {
            -1
        } else {
            req.min_digits.saturating_add(1)
        },
        &mut ds,
    );
    let mut buf = String::new();
    let (first, rest) = ds.split_at(1.min(ds.len()));
    buf.extend(first.iter().map(|&c| char::from(c)));
    let mut frac = rest.len() as i32;
    if frac > 0 {
        buf.push('.');
        buf.extend(rest.iter().map(|&c| char::from(c)));
    }
    if req.trim != Trim::DptZeros && frac == 0 {
        buf.push('.');
    }
    let add_digits = if req.unique {
        req.min_digits
    } else {
        req.precision
    }
    .max(0);
    if req.trim == Trim::LeaveOneZero {
        if frac == 0 {
            buf.push('0');
            frac += 1;
        }
    } else if req.trim == Trim::Keep && add_digits > frac {
        for _ in 0..add_digits - frac {
            buf.push('0');
        }
    }
    if req.trim != Trim::Keep && frac > 0 {
        while buf.ends_with('0') {
            buf.pop();
        }
        if req.trim == Trim::LeaveOneZero && buf.ends_with('.') {
            buf.push('0');
        }
    }
    out.push_str(&buf);
    let exp_digits = if req.exp_digits > 5 {
        5
    } else if req.exp_digits < 0 {
        2
    } else {
        req.exp_digits
    };
    out.push('e');
    out.push(if pe >= 0 { '+' } else { '-' });
    let mag = pe.unsigned_abs().to_string();
    for _ in mag.len()..exp_digits as usize {
        out.push('0');
    }
    out.push_str(&mag);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos32(x: f32, req: &Request) -> String {
        let mut s = String::new();
        positional(&mut s, &Decoded::from_f32(x), req);
        s
    }

    fn sci64(x: f64, req: &Request) -> String {
        let mut s = String::new();
        scientific(&mut s, &Decoded::from_f64(x), req);
        s
    }

    #[test]
    fn shortest_ties_go_to_even() {
        // numpy: np.format_float_positional(np.float32(177657.625), 8)
        let req = Request {
            precision: 8,
            ..Request::shortest(Trim::Zeros)
        };
        // 177657.625 exactly (written as bits: even clippy's literal check
        // prints it with Rust's tie-away rounding as 177657.63).
        assert_eq!(pos32(f32::from_bits(0x482d_7e68), &req), "177657.62");
    }

    #[test]
    fn scientific_forms() {
        let mut req = Request::shortest(Trim::DptZeros);
        assert_eq!(sci64(1e16, &req), "1e+16");
        assert_eq!(sci64(5e-324, &req), "5e-324");
        req.trim = Trim::Zeros;
        assert_eq!(sci64(1e16, &req), "1.e+16");
        // numpy: np.format_float_scientific(-2.0**-97, precision=15, min_digits=15)
        let req = Request {
            precision: 15,
            min_digits: 15,
            ..Request::shortest(Trim::Keep)
        };
        assert_eq!(sci64(-(2f64.powi(-97)), &req), "-6.310887241768095e-30");
        assert_eq!(sci64(2f64.powi(149), &req), "7.136238463529800e+44");
    }
}
