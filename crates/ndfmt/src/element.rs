//! The element types numpy can print, and their numpy dtype names.

use num_complex::Complex;

/// One array element as the formatters see it.
#[derive(Clone, Copy, Debug)]
#[doc(hidden)]
pub enum Scalar {
    Bool(bool),
    /// Every integer type fits in `i128`, so one formatter serves them all.
    Int(i128),
    F64(f64),
    F32(f32),
    C128(f64, f64),
    C64(f32, f32),
}

mod sealed {
    pub trait Sealed {}
}

/// An element type that numpy can print: the numeric primitives, `bool`,
/// and `num_complex::Complex<f64>` / `Complex<f32>`.
///
/// The trait is sealed: the printing rules are numpy's, and numpy only has
/// these dtypes. `isize`/`usize` print as `int64`/`uint64`, numpy's
/// `intp`/`uintp` on 64-bit platforms.
///
/// ```
/// use ndfmt::Element;
/// use num_complex::Complex;
/// assert_eq!(<f32 as Element>::DTYPE_NAME, "float32");
/// assert_eq!(<Complex<f64> as Element>::DTYPE_NAME, "complex128");
/// assert!(<i64 as Element>::DTYPE_IMPLIED);
/// assert!(!<u8 as Element>::DTYPE_IMPLIED);
/// ```
pub trait Element: Copy + sealed::Sealed {
    /// The dtype name numpy prints in `repr` (`dtype=float32`).
    const DTYPE_NAME: &'static str;
    /// Whether `repr` of a non-empty array omits `dtype=` (numpy's
    /// `dtype_is_implied`: true for float64, int64, bool and complex128).
    const DTYPE_IMPLIED: bool;
    #[doc(hidden)]
    fn to_scalar(self) -> Scalar;
}

macro_rules! int_element {
    ($($t:ty => $name:literal, $implied:literal;)*) => {$(
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE_NAME: &'static str = $name;
            const DTYPE_IMPLIED: bool = $implied;
            fn to_scalar(self) -> Scalar {
                // Lossless: every listed type fits in i128.
                Scalar::Int(self as i128)
            }
        }
    )*};
}

int_element! {
    i8 => "int8", false;
    i16 => "int16", false;
    i32 => "int32", false;
    i64 => "int64", true;
    isize => "int64", true;
    u8 => "uint8", false;
    u16 => "uint16", false;
    u32 => "uint32", false;
    u64 => "uint64", false;
    usize => "uint64", false;
}

impl sealed::Sealed for bool {}
impl Element for bool {
    const DTYPE_NAME: &'static str = "bool";
    const DTYPE_IMPLIED: bool = true;
    fn to_scalar(self) -> Scalar {
        Scalar::Bool(self)
    }
}

impl sealed::Sealed for f64 {}
impl Element for f64 {
    const DTYPE_NAME: &'static str = "float64";
    const DTYPE_IMPLIED: bool = true;
    fn to_scalar(self) -> Scalar {
        Scalar::F64(self)
    }
}

impl sealed::Sealed for f32 {}
impl Element for f32 {
    const DTYPE_NAME: &'static str = "float32";
    const DTYPE_IMPLIED: bool = false;
    fn to_scalar(self) -> Scalar {
        Scalar::F32(self)
    }
}

impl sealed::Sealed for Complex<f64> {}
impl Element for Complex<f64> {
    const DTYPE_NAME: &'static str = "complex128";
    const DTYPE_IMPLIED: bool = true;
    fn to_scalar(self) -> Scalar {
        Scalar::C128(self.re, self.im)
    }
}

impl sealed::Sealed for Complex<f32> {}
impl Element for Complex<f32> {
    const DTYPE_NAME: &'static str = "complex64";
    const DTYPE_IMPLIED: bool = false;
    fn to_scalar(self) -> Scalar {
        Scalar::C64(self.re, self.im)
    }
}
