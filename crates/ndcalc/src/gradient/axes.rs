//! The axes of [`Gradient::axes`]: a count known at compile time gives an array of
//! results, one known at run time a `Vec`.

use ndcore::{Array, ArrayLike, AsViewMut, AxisArg};

use super::Gradient;
use crate::element::Promote;
use crate::error::{CalcError, Result};
use crate::missing::Missing;
use crate::spacing::Spacing;
use crate::stencil::Boundary;

/// The axes given to [`Gradient::axes`], negative counting from the end. An array by
/// value, `[a; N]`, selects a [`GradientAxes`] whose `compute` returns `[Array; N]`; a
/// slice, a reference to an array or a `Vec` keeps the [`Gradient`], whose `compute`
/// returns a `Vec`.
///
/// ```
/// use ndcalc::prelude::*;
/// let f = array![[1., 2., 6.], [3., 4., 5.]];
/// let [gy, gx] = f.gradient().axes([0, 1]).compute()?;   // two arrays
/// let all: Vec<_> = f.gradient().axes(&[0, 1]).compute()?;  // as many as given
/// assert_eq!((&gy, &gx), (&all[0], &all[1]));
/// let axes: Vec<usize> = (0..f.ndim()).rev().collect();
/// assert_eq!(f.gradient().axes(axes).compute()?, [gx, gy]);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
pub trait AxisList<'a, T> {
    /// The builder `axes` returns.
    type Builder;

    /// Selects these axes on `g`.
    fn select(self, g: Gradient<'a, T>) -> Self::Builder;
}

impl<'a, T: Promote + 'a, A: AxisArg, const N: usize> AxisList<'a, T> for [A; N] {
    type Builder = GradientAxes<'a, T, N>;

    fn select(self, g: Gradient<'a, T>) -> GradientAxes<'a, T, N> {
        GradientAxes {
            inner: g.select(&self),
        }
    }
}

impl<'a, T: Promote + 'a, A: AxisArg> AxisList<'a, T> for &[A] {
    type Builder = Gradient<'a, T>;

    fn select(self, g: Gradient<'a, T>) -> Gradient<'a, T> {
        g.select(self)
    }
}

impl<'a, T: Promote + 'a, A: AxisArg, const N: usize> AxisList<'a, T> for &[A; N] {
    type Builder = Gradient<'a, T>;

    fn select(self, g: Gradient<'a, T>) -> Gradient<'a, T> {
        g.select(self)
    }
}

impl<'a, T: Promote + 'a, A: AxisArg> AxisList<'a, T> for Vec<A> {
    type Builder = Gradient<'a, T>;

    fn select(self, g: Gradient<'a, T>) -> Gradient<'a, T> {
        g.select(&self)
    }
}

impl<'a, T: Promote + 'a, A: AxisArg> AxisList<'a, T> for &Vec<A> {
    type Builder = Gradient<'a, T>;

    fn select(self, g: Gradient<'a, T>) -> Gradient<'a, T> {
        g.select(self)
    }
}

/// The gradient along `N` axes fixed at compile time; made by
/// [`Gradient::axes`] with an array of axes. `compute` returns `[Array; N]`, so the
/// results destructure: `let [gy, gx] = f.gradient().axes([0, 1]).compute()?;`.
#[derive(Clone)]
pub struct GradientAxes<'a, T, const N: usize> {
    inner: Gradient<'a, T>,
}

impl<'a, T: Promote, const N: usize> GradientAxes<'a, T, N> {
    fn map(self, f: impl FnOnce(Gradient<'a, T>) -> Gradient<'a, T>) -> Self {
        GradientAxes {
            inner: f(self.inner),
        }
    }

    /// See [`Gradient::spacing`].
    pub fn spacing(self, s: impl Into<Spacing>) -> Self {
        self.map(|g| g.spacing(s))
    }

    /// See [`Gradient::spacings`].
    pub fn spacings<S: Into<Spacing>>(self, s: impl IntoIterator<Item = S>) -> Self {
        self.map(|g| g.spacings(s))
    }

    /// See [`Gradient::edge_order`].
    pub fn edge_order(self, edge_order: usize) -> Self {
        self.map(|g| g.edge_order(edge_order))
    }

    /// See [`Gradient::accuracy`] (beyond numpy).
    pub fn accuracy(self, accuracy: usize) -> Self {
        self.map(|g| g.accuracy(accuracy))
    }

    /// See [`Gradient::boundary`] (beyond numpy).
    pub fn boundary(self, boundary: Boundary) -> Self {
        self.map(|g| g.boundary(boundary))
    }

    /// See [`Gradient::boundary_sides`] (beyond numpy).
    pub fn boundary_sides(self, lo: Boundary, hi: Boundary) -> Self {
        self.map(|g| g.boundary_sides(lo, hi))
    }

    /// See [`Gradient::missing`] (beyond numpy).
    pub fn missing(self, missing: Missing) -> Self {
        self.map(|g| g.missing(missing))
    }

    /// See [`Gradient::mask`] (beyond numpy).
    pub fn mask(self, valid: &'a impl ArrayLike<bool>) -> Self {
        self.map(|g| g.mask(valid))
    }

    /// See [`Gradient::halos`].
    pub fn halos(self, halos: impl IntoIterator<Item = (usize, usize)>) -> Self {
        self.map(|g| g.halos(halos))
    }

    /// See [`Gradient::reach`].
    pub fn reach(&self) -> (usize, usize) {
        self.inner.reach()
    }

    /// The gradient along each selected axis, in order; the errors of
    /// [`Gradient::compute`].
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![[1., 2., 6.], [3., 4., 5.]];
    /// let [gx, gy] = f.gradient().axes([-1, -2]).spacing(2.0).compute()?;
    /// assert_eq!(gx, array![[0.5, 1.25, 2.], [0.5, 0.5, 0.5]]);
    /// assert_eq!(gy, array![[1., 1., -0.5], [1., 1., -0.5]]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute(&self) -> Result<[Array<T::Output>; N]> {
        let outs = self.inner.compute()?;
        let found = outs.len();
        // `check` resolved exactly the `N` axes given, so the count always fits.
        outs.try_into().map_err(|_| CalcError::OutputCount {
            op: "gradient",
            expected: N,
            found,
        })
    }

    /// Writes the gradient along each selected axis into `outs`, one output per axis in
    /// order (each an `Array` or a mutable view of the result's shape, any layout).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![[1., 2., 6.], [3., 4., 5.]];
    /// let (mut gy, mut gx) = (Array::<f64>::zeros([2, 3]), Array::<f64>::zeros([2, 3]));
    /// f.gradient().axes([0, 1]).compute_into(&mut [gy.view_mut(), gx.view_mut()])?;
    /// assert_eq!([gy, gx], f.gradient().axes([0, 1]).compute()?);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, outs: &mut [impl AsViewMut<T::Output>; N]) -> Result<()> {
        self.inner.compute_into(outs)
    }
}
