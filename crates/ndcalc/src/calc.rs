//! The extension trait that puts the operations on every array type.

use ndcore::ArrayLike;

use crate::cumulative::Cumulative;
use crate::diff::Diff;
use crate::element::{Accumulate, Integrate, NpArith, Promote};
use crate::gradient::Gradient;
use crate::integrate::{CumulativeTrapezoid, Trapezoid};
use crate::vector::{Derivative, Laplacian};

/// The numpy operations of ndcalc, on anything numpy would take as an array
/// ([`ArrayLike`]): [`Array`], [`ArrayView`], [`ArrayViewMut`], and as 1-D arrays a
/// `Vec<T>`, a slice `[T]` and a Rust array `[T; N]`. Each returns a builder; set its
/// options, then call `compute` (a new array) or `compute_into` (caller memory).
///
/// [`Array`]: ndcore::Array
/// [`ArrayView`]: ndcore::ArrayView
/// [`ArrayViewMut`]: ndcore::ArrayViewMut
///
/// ```
/// use ndcalc::prelude::*;
/// let f = array![[1., 2.], [4., 8.]];
/// let v = f.t();                              // any layout works
/// assert_eq!(v.gradient().axis(0).compute().unwrap(), array![[1., 4.], [1., 4.]]);
/// ```
///
/// ```
/// use ndcalc::prelude::*;
/// let v = vec![1., 2., 4., 7.];               // np.gradient([1., 2., 4., 7.])
/// assert_eq!(v.gradient().axis(0).compute()?, array![1., 1.5, 2.5, 3.]);
/// let x = [0., 1., 1.5, 3.];                  // coordinates, as a Rust array
/// let g = v[..].gradient().spacing(&x).axis(0).compute()?;
/// assert_eq!(g, v.gradient().spacing(&array![0., 1., 1.5, 3.]).axis(0).compute()?);
/// assert_eq!([1, 3, 6].diff().compute()?, array![2, 3]);
/// assert_eq!([1., 2., 3.].cumsum().compute()?, array![1., 3., 6.]);
/// assert_eq!(v.trapezoid().x(&x).compute()?[[]], 11.25);   // np.trapezoid(v, x)
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
pub trait Calc<T>: ArrayLike<T> {
    /// numpy's `gradient`; see [`Gradient`].
    fn gradient(&self) -> Gradient<'_, T>
    where
        T: Promote,
    {
        Gradient::new(self.view())
    }

    /// numpy's `diff`: the `n`-th difference along an axis; see [`Diff`].
    fn diff(&self) -> Diff<'_, T>
    where
        T: NpArith,
    {
        Diff::new(self.view())
    }

    /// numpy's `cumsum`: running sums along an axis, or over the flattened input without
    /// one; see [`Cumulative`].
    fn cumsum(&self) -> Cumulative<'_, T>
    where
        T: Accumulate,
    {
        Cumulative::cumsum(self.view())
    }

    /// numpy's `cumprod`: running products along an axis, or over the flattened input
    /// without one; see [`Cumulative`].
    fn cumprod(&self) -> Cumulative<'_, T>
    where
        T: Accumulate,
    {
        Cumulative::cumprod(self.view())
    }

    /// numpy's `cumulative_sum`: running sums along an axis (required from 2-D up), with
    /// `include_initial`; see [`Cumulative`].
    fn cumulative_sum(&self) -> Cumulative<'_, T>
    where
        T: Accumulate,
    {
        Cumulative::cumulative_sum(self.view())
    }

    /// numpy's `cumulative_prod`: running products along an axis (required from 2-D
    /// up), with `include_initial`; see [`Cumulative`].
    fn cumulative_prod(&self) -> Cumulative<'_, T>
    where
        T: Accumulate,
    {
        Cumulative::cumulative_prod(self.view())
    }

    /// numpy's `trapezoid`: the integral along an axis by the trapezoid rule; see
    /// [`Trapezoid`].
    fn trapezoid(&self) -> Trapezoid<'_, T>
    where
        T: Integrate,
    {
        Trapezoid::new(self.view())
    }

    /// SciPy's `cumulative_trapezoid`: the running integral along an axis; see
    /// [`CumulativeTrapezoid`].
    fn cumulative_trapezoid(&self) -> CumulativeTrapezoid<'_, T>
    where
        T: Integrate,
    {
        CumulativeTrapezoid::new(self.view())
    }

    /// The first or second derivative along one axis, with the gradient's spacings, an
    /// accuracy of 2, 4 or 6 and a periodic boundary (beyond numpy); see [`Derivative`].
    /// `derivative(1)` at accuracy 2 is numpy's gradient with `edge_order=2`.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![1., 4., 9., 16., 25.];             // (x+1)^2
    /// assert_eq!(f.derivative(1).compute()?, array![2., 4., 6., 8., 10.]);
    /// assert_eq!(f.derivative(2).compute()?, array![2., 2., 2., 2., 2.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    fn derivative(&self, order: usize) -> Derivative<'_, T>
    where
        T: Promote,
    {
        Derivative::new(self.view(), order)
    }

    /// The Laplacian, the sum of the second derivatives along every axis (beyond numpy);
    /// see [`Laplacian`].
    fn laplacian(&self) -> Laplacian<'_, T>
    where
        T: Promote,
    {
        Laplacian::new(self.view())
    }
}

impl<T, A: ArrayLike<T> + ?Sized> Calc<T> for A {}
