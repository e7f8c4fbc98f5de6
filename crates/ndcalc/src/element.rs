//! The element types the operations accept and compute in.

use std::ops::{Add, Sub};

use num_complex::Complex;
use num_traits::{Float, Zero};

/// A real floating-point type that coefficients (spacings, weights) are computed in:
/// `f32` or `f64`.
pub trait Real: Float + Send + Sync + 'static {
    /// Rounds an `f64` to this type.
    fn from_f64(x: f64) -> Self;
}

impl Real for f64 {
    #[inline]
    fn from_f64(x: f64) -> Self {
        x
    }
}

impl Real for f32 {
    #[inline]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
}

/// A type results are computed in: `f32`, `f64`, `Complex<f32>` or `Complex<f64>`. Its
/// [`Real`] part type scales it.
pub trait Value:
    Copy + Send + Sync + Add<Output = Self> + Sub<Output = Self> + Zero + 'static
{
    /// The real type of coefficients.
    type Real: Real;
    /// `self * r`, as numpy multiplies a value by a real coefficient.
    fn scale(self, r: Self::Real) -> Self;
    /// `self / r`, as numpy divides a value by a real spacing.
    fn div_real(self, r: Self::Real) -> Self;
}

impl Value for f64 {
    type Real = f64;
    #[inline]
    fn scale(self, r: f64) -> f64 {
        self * r
    }
    #[inline]
    fn div_real(self, r: f64) -> f64 {
        self / r
    }
}

impl Value for f32 {
    type Real = f32;
    #[inline]
    fn scale(self, r: f32) -> f32 {
        self * r
    }
    #[inline]
    fn div_real(self, r: f32) -> f32 {
        self / r
    }
}

impl<R: Real> Value for Complex<R> {
    type Real = R;
    #[inline]
    fn scale(self, r: R) -> Self {
        Complex::new(self.re * r, self.im * r)
    }
    /// numpy divides by a real spacing as a complex division by `r + 0j`, which (Smith's
    /// method) multiplies both parts by `1 / r`; doing the same keeps results bit-identical.
    #[inline]
    fn div_real(self, r: R) -> Self {
        let s = R::one() / r;
        Complex::new(self.re * s, self.im * s)
    }
}

/// An input element type of the derivative operations, and the type it is computed in.
///
/// Floats and complex numbers keep their type. Every primitive integer type is promoted
/// to `f64` *before* any arithmetic, as numpy does, so unsigned data never wraps
/// (`u8` `[5, 4, 3]` has gradient `[-1, -1, -1]`), and values beyond 2^53 round as
/// numpy's `astype(float64)` rounds them.
pub trait Promote: Copy + Send + Sync {
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

impl<R: Real> Promote for Complex<R> {
    type Output = Complex<R>;
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
