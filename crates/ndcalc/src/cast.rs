//! numpy's conversions between element types: the cast of one element to another type
//! ([`CastFrom`], what `dtype=` does to the input of a running sum) and the common type
//! of two ([`ResultType`], what `np.diff` computes in with `prepend`/`append` of another
//! type).

use ndcore::ArrayView;
use num_complex::Complex;

use crate::element::NpArith;

/// numpy's cast of an element of type `T` to `Self` (`astype(..., casting="unsafe")`,
/// which is what `dtype=` of numpy's running sums and products applies to their input).
/// numpy accepts every pair of its numeric types there, and so does ndcalc: the trait is
/// implemented for every pair of `bool`, the ten primitive integer types, `f32`, `f64`,
/// `Complex<f32>` and `Complex<f64>`.
///
/// | from | to | value |
/// |---|---|---|
/// | integer or float | a wider or equal type of the same kind, or integer to float | rounded to nearest (exact when it fits) |
/// | integer | a narrower integer | wraps (keeps the low bits), as C casts |
/// | float | integer | truncated toward zero, then wrapped: through `i32` for `i8`, `i16`, `i32`, `u8`, `u16`, through `i64` for `i64`, `isize`, `u32`, and through `i64` or `u64` for `u64`, `usize` (numpy's C casts on x86-64) |
/// | anything | `bool` | whether it is nonzero (NaN is `true`) |
/// | `bool` | anything | 0 or 1 |
/// | complex | real or integer | the real part, then as above (numpy warns and drops the imaginary part) |
/// | real | complex | the value and a zero imaginary part |
///
/// A float whose truncation does not fit the intermediate integer (NaN, infinities,
/// `1e10` to `i8`, `-1e19` to `u64`) is where numpy warns "invalid value encountered in
/// cast" and C leaves the result undefined; [`invalid`](CastFrom::invalid) names those,
/// and the operations refuse them with an error instead of returning a
/// platform-dependent number.
///
/// ```
/// use ndcalc::CastFrom;
/// assert_eq!(i8::cast_from(300.7f64), 44); // 300 wraps to 44, as numpy's astype(int8)
/// assert_eq!(u8::cast_from(-1.0f64), 255);
/// assert_eq!(u64::cast_from(-1i8), u64::MAX);
/// assert_eq!(f32::cast_from(16777217i64), 16777216.0);
/// assert!(bool::cast_from(f64::NAN));
/// assert_eq!(<i8 as CastFrom<f64>>::invalid(1e10), Some("10000000000.0".into()));
/// ```
///
/// Sealed: both types are numpy's element types.
///
/// ```compile_fail,E0277
/// struct Mine;
/// impl ndcalc::CastFrom<Mine> for f64 {
///     fn cast_from(_: Mine) -> f64 { 0.0 }
/// }
/// ```
pub trait CastFrom<T>: NpArith + crate::element::sealed::SealedPair<T> {
    /// Whether some values of `T` have no defined cast to `Self` (floats to integers).
    #[doc(hidden)]
    const CHECKED: bool = false;
    /// numpy's cast of `x`; for an [`invalid`](CastFrom::invalid) `x`, some number.
    fn cast_from(x: T) -> Self;
    /// `x` as text when numpy's cast of it is undefined (it warns "invalid value
    /// encountered in cast"); `None` when [`cast_from`](CastFrom::cast_from) is exact
    /// numpy.
    fn invalid(x: T) -> Option<String> {
        let _ = x;
        None
    }
    /// `v` itself when `T` is `Self`, so a kernel can read input and output in one walk.
    #[doc(hidden)]
    fn same_view<'a>(v: &ArrayView<'a, T>) -> Option<ArrayView<'a, Self>> {
        let _ = v;
        None
    }
}

/// The range `LOW <= trunc(x) < HIGH` of the integer a float is cast through on the way
/// to each integer type (numpy's C casts on x86-64).
trait ThroughInt: Sized {
    const LOW: f64;
    const HIGH: f64;
    fn from_trunc(x: f64) -> Self;
}

macro_rules! through {
    ($via:ty, $low:expr, $high:expr; $($t:ty),*) => {$(
        impl ThroughInt for $t {
            const LOW: f64 = $low;
            const HIGH: f64 = $high;
            #[inline]
            fn from_trunc(x: f64) -> Self {
                x as $via as $t
            }
        }
    )*};
}
through!(i32, -2147483648.0, 2147483648.0; i8, i16, i32, u8, u16);
through!(i64, -9223372036854775808.0, 9223372036854775808.0; i64, isize, u32);

macro_rules! through_u64 {
    ($($t:ty),*) => {$(
        impl ThroughInt for $t {
            const LOW: f64 = -9223372036854775808.0;
            const HIGH: f64 = 18446744073709551616.0;
            #[inline]
            fn from_trunc(x: f64) -> Self {
                if x < 0.0 { x as i64 as $t } else { x as $t }
            }
        }
    )*};
}
through_u64!(u64, usize);

/// A float through [`ThroughInt`], or `None` outside its range (NaN included).
#[inline]
fn float_to_int<I: ThroughInt>(x: f64) -> Option<I> {
    (x.trunc() >= I::LOW && x < I::HIGH).then(|| I::from_trunc(x))
}

/// The text of an invalid float, Python's way for integral values (`1e10` as
/// `10000000000.0`).
fn float_text(x: f64) -> String {
    format!("{x:?}")
}

/// Implements `CastFrom<$from>` for each type of the bracketed list with `$body`, a
/// closure-like `|x| expr` of `x: $from` (`Self` is the target type).
macro_rules! cast_each {
    ([$($to:ty),*], $from:ty, |$x:ident| $body:expr) => {$(
        impl CastFrom<$from> for $to {
            #[inline]
            fn cast_from($x: $from) -> $to {
                $body
            }
        }
    )*};
}

/// Casts between primitive numbers that C defines for every value: `as`.
macro_rules! cast_as {
    ($to:tt; $($from:ty),*) => {$( cast_each!($to, $from, |x| x as Self); )*};
}

/// Same-type casts: the identity, with the input readable as the output.
macro_rules! cast_same {
    ($($t:ty),*) => {$(
        impl CastFrom<$t> for $t {
            #[inline]
            fn cast_from(x: $t) -> $t {
                x
            }
            #[inline]
            fn same_view<'a>(v: &ArrayView<'a, $t>) -> Option<ArrayView<'a, $t>> {
                Some(v.clone())
            }
        }
    )*};
}
cast_same!(
    bool,
    i8,
    i16,
    i32,
    i64,
    isize,
    u8,
    u16,
    u32,
    u64,
    usize,
    f32,
    f64,
    Complex<f32>,
    Complex<f64>
);

// Integers to integers and floats, floats to floats: every pair of distinct types.
macro_rules! cast_as_table {
    (f32) => { cast_as!([f32]; i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f64); };
    (f64) => { cast_as!([f64]; i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32); };
    (i8) => { cast_as!([i8]; i16, i32, i64, isize, u8, u16, u32, u64, usize); };
    (i16) => { cast_as!([i16]; i8, i32, i64, isize, u8, u16, u32, u64, usize); };
    (i32) => { cast_as!([i32]; i8, i16, i64, isize, u8, u16, u32, u64, usize); };
    (i64) => { cast_as!([i64]; i8, i16, i32, isize, u8, u16, u32, u64, usize); };
    (isize) => { cast_as!([isize]; i8, i16, i32, i64, u8, u16, u32, u64, usize); };
    (u8) => { cast_as!([u8]; i8, i16, i32, i64, isize, u16, u32, u64, usize); };
    (u16) => { cast_as!([u16]; i8, i16, i32, i64, isize, u8, u32, u64, usize); };
    (u32) => { cast_as!([u32]; i8, i16, i32, i64, isize, u8, u16, u64, usize); };
    (u64) => { cast_as!([u64]; i8, i16, i32, i64, isize, u8, u16, u32, usize); };
    (usize) => { cast_as!([usize]; i8, i16, i32, i64, isize, u8, u16, u32, u64); };
}
macro_rules! cast_as_tables {
    ($($to:tt),*) => {$( cast_as_table!($to); )*};
}
cast_as_tables!(f32, f64, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

// Floats (and the real parts of complex numbers) to integers: through the C
// intermediate, checked.
macro_rules! cast_float_int {
    ($($to:ty),*) => {$(
        cast_float_int!(@one $to, f64, |x| x as f64);
        cast_float_int!(@one $to, f32, |x| x as f64);
        cast_float_int!(@one $to, Complex<f64>, |x| x.re as f64);
        cast_float_int!(@one $to, Complex<f32>, |x| x.re as f64);
    )*};
    (@one $to:ty, $from:ty, |$x:ident| $real:expr) => {
        impl CastFrom<$from> for $to {
            const CHECKED: bool = true;
            #[inline]
            fn cast_from($x: $from) -> $to {
                float_to_int($real).unwrap_or(0)
            }
            fn invalid($x: $from) -> Option<String> {
                let r = $real;
                float_to_int::<$to>(r).is_none().then(|| float_text(r))
            }
        }
    };
}
cast_float_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

// Anything to bool: nonzero.
macro_rules! cast_to_bool {
    ($($from:ty),*) => {$( cast_each!([bool], $from, |x| x != (0 as $from)); )*};
}
cast_to_bool!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);
cast_each!([bool], Complex<f32>, |x| x.re != 0.0 || x.im != 0.0);
cast_each!([bool], Complex<f64>, |x| x.re != 0.0 || x.im != 0.0);

// bool to anything: 0 or 1.
macro_rules! cast_from_bool {
    ($($to:ty),*) => {$( cast_each!([$to], bool, |x| x as u8 as Self); )*};
}
cast_from_bool!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);
cast_each!([Complex<f32>], bool, |x| Complex::new(
    f32::from(u8::from(x)),
    0.0
));
cast_each!([Complex<f64>], bool, |x| Complex::new(
    f64::from(u8::from(x)),
    0.0
));

// Complex to float: the real part; complex to complex: part by part.
cast_each!([f32], Complex<f32>, |x| x.re);
cast_each!([f32], Complex<f64>, |x| x.re as Self);
cast_each!([f64], Complex<f32>, |x| x.re as Self);
cast_each!([f64], Complex<f64>, |x| x.re);
cast_each!([Complex<f32>], Complex<f64>, |x| Complex::new(
    x.re as f32,
    x.im as f32
));
cast_each!([Complex<f64>], Complex<f32>, |x| Complex::new(
    x.re as f64,
    x.im as f64
));

// Reals to complex: a zero imaginary part.
macro_rules! cast_to_complex {
    ($($from:ty),*) => {$(
        cast_each!([Complex<f32>], $from, |x| Complex::new(x as f32, 0.0));
        cast_each!([Complex<f64>], $from, |x| Complex::new(x as f64, 0.0));
    )*};
}
cast_to_complex!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);

/// numpy's promotion of two element types (`np.result_type` of two arrays): the type
/// `np.concatenate` gives them, and so the type `np.diff` computes in when `prepend` or
/// `append` has another type than the input. Implemented for every pair of `bool`, the
/// eight integer types of fixed width, `f32`, `f64`, `Complex<f32>` and `Complex<f64>`
/// (and `isize`, `usize` with themselves).
///
/// | | result |
/// |---|---|
/// | same kind, different widths | the wider (`i8`, `i32`: `i32`) |
/// | signed and unsigned integers | the signed type wide enough for both (`i8`, `u8`: `i16`); `u64` with any signed: `f64` |
/// | integer and float | a float holding the integer exactly: `f32` up to 16-bit integers, `f64` from 32 bits on |
/// | anything and complex | complex of the same rule (`i32`, `Complex<f32>`: `Complex<f64>`) |
/// | `bool` and anything | the other |
///
/// ```
/// use ndcalc::ResultType;
/// fn result<A: ResultType<B>, B>() -> &'static str {
///     std::any::type_name::<A::Output>()
/// }
/// assert_eq!(result::<u8, i8>(), "i16");
/// assert_eq!(result::<u64, i64>(), "f64");
/// assert_eq!(result::<f32, i32>(), "f64");
/// assert_eq!(result::<f32, i16>(), "f32");
/// ```
pub trait ResultType<P>: crate::element::sealed::SealedPair<P> + Copy {
    /// The common type.
    type Output: NpArith + CastFrom<Self> + CastFrom<P>;
}

type C32 = Complex<f32>;
type C64 = Complex<f64>;

/// One row of numpy's promotion table: `$a` with each `$b` gives `$out`.
macro_rules! result_types {
    ($($a:ty: $($b:ty => $out:ty),*;)*) => {$($(
        impl ResultType<$b> for $a {
            type Output = $out;
        }
    )*)*};
}
// Written from numpy 2.4.6's `np.promote_types`, row by row.
result_types! {
    bool: bool => bool, i8 => i8, i16 => i16, i32 => i32, i64 => i64, u8 => u8, u16 => u16, u32 => u32, u64 => u64, f32 => f32, f64 => f64, C32 => C32, C64 => C64;
    i8: bool => i8, i8 => i8, i16 => i16, i32 => i32, i64 => i64, u8 => i16, u16 => i32, u32 => i64, u64 => f64, f32 => f32, f64 => f64, C32 => C32, C64 => C64;
    i16: bool => i16, i8 => i16, i16 => i16, i32 => i32, i64 => i64, u8 => i16, u16 => i32, u32 => i64, u64 => f64, f32 => f32, f64 => f64, C32 => C32, C64 => C64;
    i32: bool => i32, i8 => i32, i16 => i32, i32 => i32, i64 => i64, u8 => i32, u16 => i32, u32 => i64, u64 => f64, f32 => f64, f64 => f64, C32 => C64, C64 => C64;
    i64: bool => i64, i8 => i64, i16 => i64, i32 => i64, i64 => i64, u8 => i64, u16 => i64, u32 => i64, u64 => f64, f32 => f64, f64 => f64, C32 => C64, C64 => C64;
    u8: bool => u8, i8 => i16, i16 => i16, i32 => i32, i64 => i64, u8 => u8, u16 => u16, u32 => u32, u64 => u64, f32 => f32, f64 => f64, C32 => C32, C64 => C64;
    u16: bool => u16, i8 => i32, i16 => i32, i32 => i32, i64 => i64, u8 => u16, u16 => u16, u32 => u32, u64 => u64, f32 => f32, f64 => f64, C32 => C32, C64 => C64;
    u32: bool => u32, i8 => i64, i16 => i64, i32 => i64, i64 => i64, u8 => u32, u16 => u32, u32 => u32, u64 => u64, f32 => f64, f64 => f64, C32 => C64, C64 => C64;
    u64: bool => u64, i8 => f64, i16 => f64, i32 => f64, i64 => f64, u8 => u64, u16 => u64, u32 => u64, u64 => u64, f32 => f64, f64 => f64, C32 => C64, C64 => C64;
    f32: bool => f32, i8 => f32, i16 => f32, i32 => f64, i64 => f64, u8 => f32, u16 => f32, u32 => f64, u64 => f64, f32 => f32, f64 => f64, C32 => C32, C64 => C64;
    f64: bool => f64, i8 => f64, i16 => f64, i32 => f64, i64 => f64, u8 => f64, u16 => f64, u32 => f64, u64 => f64, f32 => f64, f64 => f64, C32 => C64, C64 => C64;
    C32: bool => C32, i8 => C32, i16 => C32, i32 => C64, i64 => C64, u8 => C32, u16 => C32, u32 => C64, u64 => C64, f32 => C32, f64 => C64, C32 => C32, C64 => C64;
    C64: bool => C64, i8 => C64, i16 => C64, i32 => C64, i64 => C64, u8 => C64, u16 => C64, u32 => C64, u64 => C64, f32 => C64, f64 => C64, C32 => C64, C64 => C64;
    isize: isize => isize;
    usize: usize => usize;
}
