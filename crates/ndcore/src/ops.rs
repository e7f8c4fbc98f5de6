//! Elementwise arithmetic with numpy broadcasting.
//!
//! Between two arrays (any mix of `&Array`, `&ArrayView`, `&ArrayViewMut`) the operators
//! `+ - * /` broadcast as numpy does and return `Result<Array<T>>`: shapes that do not
//! broadcast are an error value, not a panic. With a scalar on either side they return
//! the array directly, and `+= -= *= /=` with a scalar work in place. In-place arithmetic
//! with another array is [`AsViewMut::zip_mut_with`].
//!
//! ```
//! use ndcore::prelude::*;
//! let a = array![[1., 2.], [3., 4.]];
//! let row = array![10., 20.];
//! let b = (&a + &row).unwrap();              // broadcast along axis 0
//! assert_eq!(b, array![[11., 22.], [13., 24.]]);
//! let c = &b * 0.5;
//! assert_eq!(c, array![[5.5, 11.], [6.5, 12.]]);
//! assert!((&a + &array![1., 2., 3.]).is_err());
//! let mut d = a.clone();
//! d *= 2.0;
//! d.zip_mut_with(&row, |x, y| *x -= *y).unwrap();
//! assert_eq!(d, array![[-8., -16.], [-4., -12.]]);
//! ```

use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Sub, SubAssign};

use num_complex::Complex;
use num_traits::Zero;

use crate::error::Result;
use crate::layout::broadcast_shapes;
use crate::raw::zip_runs;
use crate::{Array, ArrayView, ArrayViewMut, AsView, AsViewMut};

/// Element types that act as a scalar operand of array arithmetic. Implemented for the
/// primitive numbers and `num_complex::Complex`; the marker keeps `array + scalar` apart
/// from `array + array` for the compiler.
pub trait ScalarOperand: Copy {}

macro_rules! scalar_operands {
    ($($t:ty),*) => {$( impl ScalarOperand for $t {} )*};
}
scalar_operands!(
    f32,
    f64,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    Complex<f32>,
    Complex<f64>
);

/// `f(a, b)` over `a` and `b` broadcast together, into a new standard-layout array.
fn broadcast_with<T: Clone + Zero>(
    a: ArrayView<'_, T>,
    b: ArrayView<'_, T>,
    f: impl Fn(T, T) -> T,
) -> Result<Array<T>> {
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    let a = a.broadcast(shape.clone())?;
    let b = b.broadcast(shape.clone())?;
    let mut out = Array::zeros(shape);
    zip_runs(&mut out.view_mut(), [&a, &b], |mut o, xy| {
        o.zip_with(xy, |o, [x, y]| *o = f(x.clone(), y.clone()));
    })?;
    Ok(out)
}

macro_rules! array_ops {
    ($(($trt:ident, $method:ident, $assign_trt:ident, $assign:ident, $op:tt)),*) => {$(
        array_ops!(@pair $trt, $method, $op, Array<T>, Array<T>);
        array_ops!(@pair $trt, $method, $op, Array<T>, ArrayView<'_, T>);
        array_ops!(@pair $trt, $method, $op, Array<T>, ArrayViewMut<'_, T>);
        array_ops!(@pair $trt, $method, $op, ArrayView<'_, T>, Array<T>);
        array_ops!(@pair $trt, $method, $op, ArrayView<'_, T>, ArrayView<'_, T>);
        array_ops!(@pair $trt, $method, $op, ArrayView<'_, T>, ArrayViewMut<'_, T>);
        array_ops!(@pair $trt, $method, $op, ArrayViewMut<'_, T>, Array<T>);
        array_ops!(@pair $trt, $method, $op, ArrayViewMut<'_, T>, ArrayView<'_, T>);
        array_ops!(@pair $trt, $method, $op, ArrayViewMut<'_, T>, ArrayViewMut<'_, T>);
        array_ops!(@scalar $trt, $method, $op, Array<T>);
        array_ops!(@scalar $trt, $method, $op, ArrayView<'_, T>);
        array_ops!(@scalar $trt, $method, $op, ArrayViewMut<'_, T>);

        /// In place on an owned array, reusing its buffer.
        impl<T: ScalarOperand + $trt<Output = T>> $trt<T> for Array<T> {
            type Output = Array<T>;
            fn $method(mut self, rhs: T) -> Array<T> {
                self.map_inplace(|x| *x = *x $op rhs);
                self
            }
        }

        impl<T: ScalarOperand + $trt<Output = T>> $assign_trt<T> for Array<T> {
            fn $assign(&mut self, rhs: T) {
                self.map_inplace(|x| *x = *x $op rhs);
            }
        }

        impl<T: ScalarOperand + $trt<Output = T>> $assign_trt<T> for ArrayViewMut<'_, T> {
            fn $assign(&mut self, rhs: T) {
                self.map_inplace(|x| *x = *x $op rhs);
            }
        }

        array_ops!(@left $trt, $method, $op, f32, f64, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, Complex<f32>, Complex<f64>);
    )*};
    (@pair $trt:ident, $method:ident, $op:tt, $lhs:ty, $rhs:ty) => {
        /// Broadcasting arithmetic between two arrays; an error when the shapes do not
        /// broadcast.
        impl<T: Clone + Zero + $trt<Output = T>> $trt<&$rhs> for &$lhs {
            type Output = Result<Array<T>>;
            fn $method(self, rhs: &$rhs) -> Result<Array<T>> {
                broadcast_with(self.view(), rhs.view(), |x, y| x $op y)
            }
        }
    };
    (@scalar $trt:ident, $method:ident, $op:tt, $lhs:ty) => {
        /// Arithmetic with a scalar: a new array.
        impl<T: ScalarOperand + $trt<Output = T>> $trt<T> for &$lhs {
            type Output = Array<T>;
            fn $method(self, rhs: T) -> Array<T> {
                self.map(|&x| x $op rhs)
            }
        }
    };
    (@left $trt:ident, $method:ident, $op:tt, $($s:ty),*) => {$(
        /// A scalar on the left of an array: a new array.
        impl $trt<&Array<$s>> for $s {
            type Output = Array<$s>;
            fn $method(self, rhs: &Array<$s>) -> Array<$s> {
                rhs.map(|&x| self $op x)
            }
        }
        impl $trt<&ArrayView<'_, $s>> for $s {
            type Output = Array<$s>;
            fn $method(self, rhs: &ArrayView<'_, $s>) -> Array<$s> {
                rhs.map(|&x| self $op x)
            }
        }
    )*};
}

array_ops!(
    (Add, add, AddAssign, add_assign, +),
    (Sub, sub, SubAssign, sub_assign, -),
    (Mul, mul, MulAssign, mul_assign, *),
    (Div, div, DivAssign, div_assign, /)
);
