//! The element types the operations accept and compute in.
//!
//! Every trait here is sealed: each encodes numpy's rules for numpy's own dtypes (how
//! they promote, wrap and accumulate), and a type outside that set has no numpy rule
//! to follow.

use std::ops::{Add, Sub};

use ndcore::ArrayView;

use crate::cast::CastFrom;
use num_complex::Complex;
use num_traits::{Float, Zero};

/// What users of the crate can name but not implement: the seal of the element
/// traits, and `Narrow`, which `Value` names as a bound.
pub(crate) mod sealed {
    use num_complex::Complex;

    /// The element types numpy has: the primitive numbers, `bool` and the two complex
    /// types.
    pub trait Sealed {}
    macro_rules! sealed {
        ($($t:ty),*) => {$(impl Sealed for $t {})*};
    }
    sealed!(f32, f64, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, bool);
    impl<R: crate::Real> Sealed for Complex<R> {}

    /// Two element types: the seal of the traits with an element type parameter
    /// (`CastFrom<T>`, `ResultType<P>`, `TrapezoidWith<X>`), so that neither side can be
    /// another crate's type. A supertrait, unlike a bound on the parameter, is implied
    /// wherever the trait is, so generic code need not repeat it.
    pub trait SealedPair<P> {}
    impl<A: Sealed, P: Sealed> SealedPair<P> for A {}

    /// A type results of type `O` are computed in before they are stored as `O`: `O`
    /// itself, or `O`'s promotion against `f64` coefficients (numpy computes `float32`
    /// data with `float64` coordinates in `float64` and casts the result back).
    pub trait Narrow<O>: crate::Value {
        /// `o` in this type (exact).
        fn widen(o: O) -> Self;
        /// This value rounded to `O`.
        fn narrow(self) -> O;
    }

    impl<V: crate::Value> Narrow<V> for V {
        #[inline(always)]
        fn widen(o: V) -> V {
            o
        }
        #[inline(always)]
        fn narrow(self) -> V {
            self
        }
    }

    impl Narrow<f32> for f64 {
        #[inline(always)]
        fn widen(o: f32) -> f64 {
            o as f64
        }
        #[inline(always)]
        fn narrow(self) -> f32 {
            self as f32
        }
    }

    impl Narrow<Complex<f32>> for Complex<f64> {
        #[inline(always)]
        fn widen(o: Complex<f32>) -> Complex<f64> {
            Complex::new(o.re as f64, o.im as f64)
        }
        #[inline(always)]
        fn narrow(self) -> Complex<f32> {
            Complex::new(self.re as f32, self.im as f32)
        }
    }
}

pub(crate) use sealed::Narrow;

/// The type an input element `T` is computed in and returned as.
pub(crate) type Out<T> = <T as Promote>::Output;
/// The real type of the coefficients applied to an input element `T`.
pub(crate) type RealOf<T> = <Out<T> as Value>::Real;

/// A real floating-point type that coefficients (spacings, weights) are computed in:
/// `f32` or `f64`.
pub trait Real: sealed::Sealed + Float + Send + Sync + bytemuck::Zeroable + 'static {
    /// Rounds an `f64` to this type.
    fn from_f64(x: f64) -> Self;

    /// This value as an `f64` (exact).
    #[doc(hidden)]
    fn into_f64(self) -> f64;

    /// `1 / self` when dividing by `self` and multiplying by it give the same result for
    /// every value: `self` a power of two with a normal reciprocal (both compute the
    /// exact quotient, then round it once). The unit spacing numpy defaults to is one.
    ///
    /// ```
    /// use ndcalc::Real;
    /// assert_eq!(2.0f64.exact_reciprocal(), Some(0.5));
    /// assert_eq!((-0.25f32).exact_reciprocal(), Some(-4.0));
    /// assert_eq!(0.1f64.exact_reciprocal(), None);
    /// assert_eq!(f64::MIN_POSITIVE.exact_reciprocal(), Some(2f64.powi(1022)));
    /// assert_eq!((f64::MIN_POSITIVE / 2.0).exact_reciprocal(), None); // subnormal
    /// ```
    fn exact_reciprocal(self) -> Option<Self> {
        let (mantissa, _, _) = self.integer_decode();
        let r = Self::one() / self;
        (self.is_normal() && r.is_normal() && mantissa.is_power_of_two()).then_some(r)
    }
}

impl Real for f64 {
    #[inline]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[inline]
    fn into_f64(self) -> f64 {
        self
    }
}

impl Real for f32 {
    #[inline]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[inline]
    fn into_f64(self) -> f64 {
        self as f64
    }
}

/// A type results are computed in: `f32`, `f64`, `Complex<f32>` or `Complex<f64>`. Its
/// [`Real`] part type scales it.
pub trait Value:
    sealed::Sealed
    + Copy
    + Send
    + Sync
    + Add<Output = Self>
    + Sub<Output = Self>
    + Zero
    + PartialEq
    + bytemuck::Zeroable
    + bytemuck::NoUninit
    + 'static
{
    /// The real type of coefficients.
    type Real: Real;
    /// The type numpy computes this type in against `f64` coefficients: `f64` for the
    /// real types, `Complex<f64>` for the complex ones.
    #[doc(hidden)]
    type Promoted: Narrow<Self> + Value<Real = f64>;
    /// `self * r`, as numpy multiplies a value by a real coefficient.
    fn scale(self, r: Self::Real) -> Self;
    /// `self / r`, as numpy divides a value by a real spacing.
    fn div_real(self, r: Self::Real) -> Self;
    /// The value `r` (`r + 0i` when complex).
    fn from_real(r: Self::Real) -> Self;
    /// `0 + (term(0) + .. + term(n - 1))` summed in numpy's pairwise order for this
    /// type (`add.reduce` over a contiguous run), so sums are bit-identical to numpy's.
    #[doc(hidden)]
    fn sum_pairwise(n: usize, term: &impl Fn(usize) -> Self) -> Self;
}

/// numpy's split point of a real pairwise sum of `n` terms.
fn split_real(n: usize) -> usize {
    let h = n / 2;
    h - h % 8
}

/// numpy's split point of a complex pairwise sum of `m` terms (numpy counts the real and
/// imaginary parts as `2m` values and splits those).
fn split_complex(m: usize) -> usize {
    (m - m % 8) / 2
}

macro_rules! real_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            type Real = $t;
            type Promoted = f64;
            #[inline]
            fn scale(self, r: $t) -> $t {
                self * r
            }
            #[inline]
            fn div_real(self, r: $t) -> $t {
                self / r
            }
            #[inline]
            fn from_real(r: $t) -> $t {
                r
            }
            #[inline]
            fn sum_pairwise(n: usize, term: &impl Fn(usize) -> $t) -> $t {
                0.0 + pairwise::<$t, 8>(n, 128, split_real, 0.0, term)
            }
        }
    )*};
}
real_value!(f32, f64);

macro_rules! complex_value {
    ($($r:ty),*) => {$(
        impl Value for Complex<$r> {
            type Real = $r;
            type Promoted = Complex<f64>;
            #[inline]
            fn scale(self, r: $r) -> Self {
                Complex::new(self.re * r, self.im * r)
            }
            /// numpy divides by a real spacing as a complex division by `r + 0j`, which
            /// (Smith's method) multiplies both parts by `1 / r`; doing the same keeps
            /// results bit-identical.
            #[inline]
            fn div_real(self, r: $r) -> Self {
                let s = 1.0 / r;
                Complex::new(self.re * s, self.im * s)
            }
            #[inline]
            fn from_real(r: $r) -> Self {
                Complex::new(r, 0.0)
            }
            #[inline]
            fn sum_pairwise(n: usize, term: &impl Fn(usize) -> Self) -> Self {
                let zero = Complex::new(0.0, 0.0);
                zero + pairwise::<Self, 4>(n, 64, split_complex, zero, term)
            }
        }
    )*};
}
complex_value!(f32, f64);

/// An input element type of the derivative operations, and the type it is computed in.
///
/// Floats and complex numbers keep their type. Every primitive integer type is promoted
/// to `f64` *before* any arithmetic, as numpy does, so unsigned data never wraps
/// (`u8` `[5, 4, 3]` has gradient `[-1, -1, -1]`), and values beyond 2^53 round as
/// numpy's `astype(float64)` rounds them.
pub trait Promote: sealed::Sealed + Copy + Send + Sync {
    /// The type results are computed in and returned as.
    type Output: Value;
    /// Converts one element.
    fn promote(self) -> Self::Output;
}

impl Promote for f64 {
    type Output = f64;
    #[inline]
    fn promote(self) -> f64 {
        self
    }
}

impl Promote for f32 {
    type Output = f32;
    #[inline]
    fn promote(self) -> f32 {
        self
    }
}

impl Promote for Complex<f32> {
    type Output = Complex<f32>;
    #[inline]
    fn promote(self) -> Self {
        self
    }
}

impl Promote for Complex<f64> {
    type Output = Complex<f64>;
    #[inline]
    fn promote(self) -> Self {
        self
    }
}

macro_rules! promote_ints {
    ($($t:ty),*) => {$(
        impl Promote for $t {
            type Output = f64;
            #[inline]
            fn promote(self) -> f64 {
                self as f64
            }
        }
    )*};
}
promote_ints!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// numpy's arithmetic on one element type, as `diff`, `cumsum` and `trapezoid` use it:
/// integers wrap on overflow (numpy's C arithmetic: `uint8` `1 - 2` is `255`), `bool`
/// adds with `or`, subtracts with `xor` (numpy's `not_equal`, what `np.diff` uses for
/// booleans) and multiplies with `and`; floats and complex numbers use IEEE arithmetic.
///
/// ```
/// use ndcalc::NpArith;
/// assert_eq!(1u8.np_sub(2), 255);
/// assert_eq!(i64::MAX.np_add(1), i64::MIN);
/// assert_eq!(true.np_sub(true), false);
/// ```
pub trait NpArith:
    sealed::Sealed + Copy + Send + Sync + bytemuck::Zeroable + bytemuck::NoUninit + 'static
{
    /// The additive identity (`false` for `bool`).
    fn np_zero() -> Self;
    /// The multiplicative identity (`true` for `bool`).
    fn np_one() -> Self;
    /// `self + other`, wrapping for integers, `or` for `bool`.
    fn np_add(self, other: Self) -> Self;
    /// `self - other`, wrapping for integers, `xor` for `bool`.
    fn np_sub(self, other: Self) -> Self;
    /// `self * other`, wrapping for integers, `and` for `bool`.
    fn np_mul(self, other: Self) -> Self;
}

macro_rules! np_arith_ints {
    ($($t:ty),*) => {$(
        impl NpArith for $t {
            #[inline]
            fn np_zero() -> Self { 0 }
            #[inline]
            fn np_one() -> Self { 1 }
            #[inline]
            fn np_add(self, o: Self) -> Self { self.wrapping_add(o) }
            #[inline]
            fn np_sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            #[inline]
            fn np_mul(self, o: Self) -> Self { self.wrapping_mul(o) }
        }
    )*};
}
np_arith_ints!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! np_arith_ieee {
    ($($t:ty),*) => {$(
        impl NpArith for $t {
            #[inline]
            fn np_zero() -> Self { <$t>::zero() }
            #[inline]
            fn np_one() -> Self { num_traits::One::one() }
            #[inline]
            fn np_add(self, o: Self) -> Self { self + o }
            #[inline]
            fn np_sub(self, o: Self) -> Self { self - o }
            #[inline]
            fn np_mul(self, o: Self) -> Self { self * o }
        }
    )*};
}
np_arith_ieee!(f32, f64, Complex<f32>, Complex<f64>);

impl NpArith for bool {
    #[inline]
    fn np_zero() -> Self {
        false
    }
    #[inline]
    fn np_one() -> Self {
        true
    }
    #[inline]
    fn np_add(self, o: Self) -> Self {
        self | o
    }
    #[inline]
    fn np_sub(self, o: Self) -> Self {
        self ^ o
    }
    #[inline]
    fn np_mul(self, o: Self) -> Self {
        self & o
    }
}

/// An input element type of the running sums and products (`cumsum`, `cumprod`,
/// `cumulative_sum`, `cumulative_prod`) and the type they accumulate in, numpy's default
/// `dtype`:
///
/// | input | accumulator and output | why |
/// |---|---|---|
/// | `f32`, `f64`, `Complex<f32>`, `Complex<f64>` | the same | |
/// | `i64`, `u64` | the same | wraps on overflow, as numpy's does |
/// | `i8`, `i16`, `i32`, `isize`, `bool` | `i64` | numpy sums small signed ints (and bools) in `int64` |
/// | `u8`, `u16`, `u32`, `usize` | `u64` | numpy sums small unsigned ints in `uint64` (`u8` `[200, 100]` gives `[200, 300]`) |
pub trait Accumulate: sealed::Sealed + Copy + Send + Sync + 'static {
    /// The type sums and products are accumulated in and returned as.
    type Acc: NpArith + CastFrom<Self>;
    /// numpy's `nancumsum` / `nancumprod` fill for this element (0, or 1 when `one`) if
    /// it is NaN (for complex numbers: either part); `None` if it is not, as integers
    /// never are.
    #[doc(hidden)]
    #[inline]
    fn nan_fill(self, _one: bool) -> Option<Self> {
        None
    }
}

macro_rules! accumulate_same {
    ($($t:ty),*) => {$(
        impl Accumulate for $t {
            type Acc = $t;
        }
    )*};
}
accumulate_same!(i64, u64);

macro_rules! accumulate_ieee {
    ($($t:ty),*) => {$(
        impl Accumulate for $t {
            type Acc = $t;
            #[inline]
            #[allow(clippy::eq_op)] // NaN is the one value unequal to itself
            fn nan_fill(self, one: bool) -> Option<$t> {
                match (self != self, one) {
                    (false, _) => None,
                    (true, false) => Some(<$t as NpArith>::np_zero()),
                    (true, true) => Some(<$t as NpArith>::np_one()),
                }
            }
        }
    )*};
}
accumulate_ieee!(f32, f64, Complex<f32>, Complex<f64>);

macro_rules! accumulate_widen {
    ($acc:ty: $($t:ty),*) => {$(
        impl Accumulate for $t {
            type Acc = $acc;
        }
    )*};
}
accumulate_widen!(i64: i8, i16, i32, isize, bool);
accumulate_widen!(u64: u8, u16, u32, usize);

/// An input element type of `trapezoid` and `cumulative_trapezoid`: a [`Promote`] type
/// whose neighbours are added *in its own type* first, as numpy computes
/// `y[1:] + y[:-1]` before multiplying by the spacing. So integer data wraps there
/// (`u8` `[200, 200]` integrates to `72.0`, numpy's result) and the result is `f64`;
/// floats and complex numbers keep their type.
pub trait Integrate: Promote + NpArith {
    /// `v` itself when the element type is the output type; `None` otherwise.
    #[doc(hidden)]
    fn same_view<'a>(v: &ArrayView<'a, Self>) -> Option<ArrayView<'a, Self::Output>>;
}

macro_rules! integrate_same {
    ($($t:ty),*) => {$(
        impl Integrate for $t {
            #[inline]
            fn same_view<'a>(v: &ArrayView<'a, $t>) -> Option<ArrayView<'a, $t>> { Some(v.clone()) }
        }
    )*};
}
integrate_same!(f32, f64, Complex<f32>, Complex<f64>);

macro_rules! integrate_ints {
    ($($t:ty),*) => {$(
        impl Integrate for $t {
            #[inline]
            fn same_view<'a>(_: &ArrayView<'a, $t>) -> Option<ArrayView<'a, f64>> { None }
        }
    )*};
}
integrate_ints!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// numpy's pairwise summation (`pairwise_sum` in numpy's `loops_utils.h`) of
/// `term(0) + .. + term(n - 1)`: fewer than `U` terms are added in order; up to `BLOCK`
/// terms go into `U` interleaved accumulators combined as a balanced tree; longer runs are
/// split in two at `split(n)` and each half summed recursively.
#[inline]
pub(crate) fn pairwise<V, const U: usize>(
    n: usize,
    block: usize,
    split: fn(usize) -> usize,
    zero: V,
    term: &impl Fn(usize) -> V,
) -> V
where
    V: Copy + Add<Output = V>,
{
    fn go<V: Copy + Add<Output = V>, const U: usize>(
        start: usize,
        n: usize,
        block: usize,
        split: fn(usize) -> usize,
        zero: V,
        term: &impl Fn(usize) -> V,
    ) -> V {
        if n < U {
            (start..start + n).fold(zero, |acc, i| acc + term(i))
        } else if n <= block {
            let mut r: [V; U] = std::array::from_fn(|j| term(start + j));
            let whole = n - n % U;
            let mut i = U;
            while i < whole {
                for (j, rj) in r.iter_mut().enumerate() {
                    *rj = *rj + term(start + i + j);
                }
                i += U;
            }
            let mut width = U;
            while width > 1 {
                width /= 2;
                for j in 0..width {
                    r[j] = r[2 * j] + r[2 * j + 1];
                }
            }
            (start + whole..start + n).fold(r[0], |acc, i| acc + term(i))
        } else {
            let n2 = split(n);
            go::<V, U>(start, n2, block, split, zero, term)
                + go::<V, U>(start + n2, n - n2, block, split, zero, term)
        }
    }
    go::<V, U>(0, n, block, split, zero, term)
}
