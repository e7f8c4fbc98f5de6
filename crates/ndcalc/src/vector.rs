//! Beyond numpy: second derivatives, the Laplacian, divergence and curl, on the stencils
//! of [`gradient`](crate::gradient).
//!
//! numpy has none of these (its PR#6727 adding divergence, curl and a Laplacian was
//! never merged; MetPy#1389 notes that the gradient applied twice is not the three-point
//! second derivative). Here they share one set of options with the gradient:
//!
//! * **spacing**: one scalar step for every axis, or one [`Spacing`] per axis (a step,
//!   coordinates, or [`Spacing::periodic_coords`]), as
//!   [`Gradient::spacings`](crate::Gradient::spacings) takes them;
//! * **accuracy** 2 (the default), 4 or 6: central stencils of `accuracy + 1` points
//!   (`accuracy + 2` for the second derivative on non-uniform coordinates) and one-sided
//!   stencils of the same order at the ends ([`Boundary::Numpy`]; at accuracy 4 and 6
//!   with one point more than the order needs, spent on cancelling the next error term),
//!   a wrap-around ([`Boundary::Periodic`]) or ghost samples as `np.pad` makes them
//!   ([`Boundary`]), chosen for both ends (`boundary`) or each end (`boundary_sides`);
//! * `compute` (new arrays) and `compute_into` (caller memory).
//!
//! # Second derivative
//!
//! [`Calc::derivative(2)`](crate::Calc::derivative) is `(f[i-1] - 2 f[i] + f[i+1]) / h^2`
//! inside (three points) and a four-point one-sided stencil at each end, so the ends are
//! second-order accurate too (a three-point end would be first-order only). Accuracy 4
//! and 6 use 5 and 7 points inside, 7 and 9 at the ends: the 6 and 8 that the order
//! needs leave an `h^(accuracy+1)` error term several times the leading one, so their
//! error follows `h^accuracy` only on grids too fine for `f64` rounding; the extra point
//! cancels that term (the error is then 3 to 4 times smaller, and follows `h^accuracy`
//! from coarse grids on). With non-uniform coordinates the
//! weights come from Fornberg's algorithm and the interior takes one point more (4, 6 or
//! 8 points: `x[i-k/2 ..= i+k/2+1]`, the extra point on the right), because the
//! symmetric `k + 1` points are of order `k` only by the cancellation of a uniform grid
//! and of order `k - 1` on an arbitrary one; so the order is `accuracy` on any grid. A
//! periodic axis with such coordinates needs `accuracy + 2` points.
//!
//! # Missing data
//!
//! With [`missing(Missing::Skip)`](Laplacian::missing) or [`mask`](Laplacian::mask),
//! each derivative along an axis differentiates every run of valid samples as its own
//! array ([`Missing`] has the rule). The Laplacian and divergence add the per-axis
//! results and the curl subtracts them, so a result is NaN exactly where a sample it
//! needs is missing (in any component) or has no derivative along one of the axes it
//! needs (a lone sample; fewer than three in a run for the second derivative). Each
//! added or subtracted term is then computed in a temporary of the result's size first.
//!
//! # Vector fields and the axis convention
//!
//! A vector field on an N-d grid is N arrays of the grid's shape, one per axis:
//! component `a` is the field's component along axis `a`, and axis `a` is the
//! coordinate `x_a`. So [`divergence(&[&f0, &f1])`](divergence) is `∂f0/∂x0 + ∂f1/∂x1`,
//! and the curl is taken in the frame `(x0, x1, x2)`:
//!
//! * 2-D: `∂f1/∂x0 - ∂f0/∂x1` (one array: the vorticity);
//! * 3-D: `(∂f2/∂x1 - ∂f1/∂x2, ∂f0/∂x2 - ∂f2/∂x0, ∂f1/∂x0 - ∂f0/∂x1)`.
//!
//! That is the right-handed curl for arrays indexed `[x, y]` / `[x, y, z]` (numpy's
//! `meshgrid(..., indexing="ij")`). Arrays indexed `[y, x]` (images, `meshgrid`'s default
//! `"xy"`) have the frame `(y, x)`: pass the components in axis order (`[fy, fx]`) and
//! negate the 2-D curl to get `∂fy/∂x - ∂fx/∂y`.
//!
//! The components are a slice (`&[&fx, &fy]`, or views): free functions rather than
//! methods of one array, because no component is more the receiver than another.
//!
//! # Memory
//!
//! No input-sized temporary: the Laplacian writes the second derivative along axis 0
//! into the output, then adds the one along each further axis into it, plane by plane
//! (or lane by lane); the divergence does the same with the first derivatives of the
//! components, the curl writes one derivative and subtracts the other. Each pass is one
//! read of an input and one read-modify-write of the output.
//!
//! At accuracy 2 the first derivatives are numpy's formulas with `edge_order=2`, so the
//! divergence equals `sum(np.gradient(f[a], x[a], axis=a, edge_order=2) for a in
//! range(n))` (summed in axis order) bit for bit.
//!
//! # Coming from numpy
//!
//! | numpy (or what people write) | ndcalc |
//! |---|---|
//! | `np.gradient(np.gradient(f, x), x)` (not the 3-point second derivative) | `f.derivative(2).spacing(&x).compute()?` |
//! | `sum(np.gradient(np.gradient(f, axis=a), axis=a) for a ...)` | `f.laplacian().compute()?` |
//! | `np.gradient(fx, axis=0) + np.gradient(fy, axis=1)` | `divergence(&[&fx, &fy]).compute()?` |
//! | `np.gradient(fy, axis=0) - np.gradient(fx, axis=1)` | `curl(&[&fx, &fy]).compute()?` (one array) |
//! | `np.pad(f, 1, mode="wrap")` then slice | `.boundary(Boundary::Periodic)` |
//! | `np.pad(f, 1, mode="reflect")` (or `constant`, `edge`, `symmetric`) then slice | `.boundary(Boundary::Reflect)` (or `Constant(c)`, `Edge`, `Symmetric`) |

use ndcore::{Array, ArrayLike, ArrayView, ArrayViewMut, AsView, AsViewMut, AxisArg, Shape};
use smallvec::SmallVec;

use crate::element::{Out, Promote, RealOf};
use crate::error::{check_out_shape, normalize_axis, CalcError, Result};
use crate::halo::{self, Halo};
use crate::missing::Missing;
use crate::runs::{self, Gaps};
use crate::spacing::Spacing;
use crate::stencil::{
    self, apply, AddTo, Boundary, Overwrite, StencilOptions, Store, SubtractFrom, WideStencil,
};

/// The stencil options of a builder with an `opts` field: `spacing`, `accuracy` and
/// `boundary`, plus `spacings` (one per axis) with `per_axis`. `$setup` is the doc
/// examples' first line, making `op` from a 2-D `f` of 10 x 10 points (and `$op` is that
/// builder's name, for the text).
macro_rules! stencil_setters {
    ($op:literal, $setup:literal, $first:literal) => {
        #[doc = concat!("One spacing for every axis of the ", $op, ": a scalar step, or the")]
        /// coordinates of its one axis ([`Spacing::from`] a 1-D array, or
        /// [`Spacing::periodic_coords`]).
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// let f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        #[doc = $setup]
        /// assert!(op.clone().spacing(0.5).compute().is_ok());
        /// assert!(op.spacing(&[0.0, 1.0]).compute().is_err()); // 2 coordinates, 10 points
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn spacing(mut self, s: impl Into<Spacing>) -> Self {
            self.opts.set_spacing(s.into());
            self
        }

        /// The order of accuracy: 2 (the default), 4 or 6; see the [module docs](self).
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// let f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        #[doc = $setup]
        /// assert!(op.clone().accuracy(6).compute().is_ok());
        /// assert!(op.accuracy(3).compute().is_err());
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn accuracy(mut self, accuracy: usize) -> Self {
            self.opts.accuracy = Some(accuracy);
            self
        }

        /// The boundary at both ends of every axis: one-sided ends (the default), a
        /// wrap-around or ghost samples as `np.pad` makes them ([`Boundary`]).
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// use ndcalc::Boundary;
        /// let f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        #[doc = $setup]
        /// assert!(op.clone().boundary(Boundary::Periodic).compute().is_ok());
        /// assert!(op.boundary(Boundary::Reflect).compute().is_ok());
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn boundary(mut self, boundary: Boundary) -> Self {
            self.opts.sides = [boundary; 2];
            self
        }

        /// The boundary at the start and at the end of every axis on its own, e.g. a
        /// wall holding a value at one end and an open end at the other
        /// ([`Boundary::Periodic`] must be at both or neither).
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// use ndcalc::Boundary;
        /// let f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        #[doc = $setup]
        /// assert!(op.clone().boundary_sides(Boundary::Constant(0.0), Boundary::Numpy).compute().is_ok());
        /// assert!(op.boundary_sides(Boundary::Periodic, Boundary::Edge).compute().is_err());
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn boundary_sides(mut self, lo: Boundary, hi: Boundary) -> Self {
            self.opts.sides = [lo, hi];
            self
        }

        /// What NaN samples are: values, as numpy has them ([`Missing::Propagate`], the
        /// default), or missing ([`Missing::Skip`]): along each axis every run of valid
        /// samples is differentiated as its own array, and a result is NaN only where
        /// a sample it needs is missing or too isolated (see [`Missing`] and the
        /// [module docs](self)).
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// use ndcalc::Missing;
        /// let mut f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        /// f[[4, 4]] = f64::NAN;
        #[doc = $setup]
        /// let nans = |a: &Array<f64>| a.iter().filter(|v| v.is_nan()).count();
        /// let skip = op.clone().missing(Missing::Skip).compute()?;
        #[doc = concat!("assert_eq!(nans(&skip", $first, "), 1);                  // the NaN alone")]
        #[doc = concat!("assert!(nans(&op.compute()?", $first, ") > 1);           // numpy's: it spreads")]
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn missing(mut self, missing: Missing) -> Self {
            self.opts.missing = missing;
            self
        }

        /// The valid samples: a `bool` array of the input's shape, `false` where a
        /// sample is missing (for data of any type); missing samples are skipped as
        /// with [`Missing::Skip`]. A mask of another shape is a
        /// [`CalcError::MaskShape`].
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// let f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        /// let valid = Array::from_shape_fn([10, 10], |i| i[0] != 4 || i[1] != 4);
        #[doc = $setup]
        /// let r = op.mask(&valid).compute()?;
        #[doc = concat!("assert_eq!(r", $first, ".iter().filter(|v| v.is_nan()).count(), 1);")]
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn mask(mut self, valid: &'a impl ArrayLike<bool>) -> Self {
            self.opts.mask = Some(valid.view());
            self
        }
    };
    ($op:literal, $setup:literal, per_axis, $block:literal, $first:literal) => {
        stencil_setters!($op, $setup, $first);

        /// One spacing per axis, in axis order: steps, coordinates or
        /// [`Spacing::periodic_coords`].
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// let f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        /// let x = array![0., 1., 3., 4., 6., 7., 9., 10., 12., 13.];
        #[doc = $setup]
        /// assert!(op.spacings([Spacing::from(0.5), Spacing::from(&x)]).compute().is_ok());
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn spacings<S: Into<Spacing>>(mut self, s: impl IntoIterator<Item = S>) -> Self {
            self.opts.set_spacings(s.into_iter().map(Into::into));
            self
        }

        /// The input is a block of a larger array with a halo on every axis: `lo`
        /// samples before the block and `hi` after it, one pair per axis; the result
        /// covers the block only. The rule is the gradient's
        /// ([`GradientAxis::halo`](crate::GradientAxis::halo)), with
        /// [`reach`](Self::reach) on every axis.
        ///
        /// ```
        /// use ndcalc::prelude::*;
        /// let f = Array::from_shape_fn([10, 10], |i| (i[0] * i[0] + i[1]) as f64);
        #[doc = $setup]
        /// let whole = op.compute()?;
        /// let (r, _) = op.reach();
        /// // The block [0, 5) x [0, 10): a halo of `r` after it along axis 0.
        /// let input = f.slice_axis(0, Slice::new(0, 5 + r as isize, 1))?;
        #[doc = concat!("let block = ", $block, ".halos([(0, r), (0, 0)]).compute()?;")]
        #[doc = concat!("assert_eq!(block", $first, ", whole", $first, ".slice_axis(0, Slice::new(0, 5, 1))?);")]
        /// # Ok::<(), ndcalc::CalcError>(())
        /// ```
        pub fn halos(mut self, halos: impl IntoIterator<Item = (usize, usize)>) -> Self {
            self.halos = halos.into_iter().map(|(lo, hi)| Halo::new(lo, hi)).collect();
            self
        }
    };
}

/// The first or second derivative along one axis; made by
/// [`Calc::derivative`](crate::Calc::derivative). See the [module docs](self).
///
/// ```
/// use ndcalc::prelude::*;
/// let f = array![0., 1., 4., 9., 16., 25.];        // x^2
/// assert_eq!(f.derivative(2).compute()?, array![2., 2., 2., 2., 2., 2.]);
/// let m = array![[0., 1., 4., 9.], [0., 2., 8., 18.]];
/// assert_eq!(m.derivative(2).axis(1).compute()?, array![[2., 2., 2., 2.], [4., 4., 4., 4.]]);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone)]
pub struct Derivative<'a, T> {
    f: ArrayView<'a, T>,
    order: usize,
    axis: Option<isize>,
    opts: StencilOptions<'a>,
    halo: Halo,
}

impl<'a, T: Promote> Derivative<'a, T> {
    pub(crate) fn new(f: ArrayView<'a, T>, order: usize) -> Self {
        Derivative {
            f,
            order,
            axis: None,
            opts: StencilOptions::default(),
            halo: Halo::default(),
        }
    }

    /// The input is a block of a larger array with a halo along the axis: `lo` samples
    /// before the block and `hi` after it; the result covers the block only. The rule
    /// is the gradient's ([`GradientAxis::halo`](crate::GradientAxis::halo)).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = Array::from_shape_fn([12], |i| (i[0] as f64).sin());
    /// let d2 = f.derivative(2).accuracy(4);
    /// let whole = d2.compute()?;
    /// let (lo, _) = d2.reach();                           // (6, 6)
    /// // The block [8, 12): the halo before it is the reach, none after.
    /// let block = f.slice_axis(0, Slice::new(8 - lo as isize, 12, 1))?;
    /// let g = block.derivative(2).accuracy(4).halo(lo, 0).compute()?;
    /// assert_eq!(g, whole.slice_axis(0, Slice::new(8, 12, 1))?);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn halo(mut self, lo: usize, hi: usize) -> Self {
        self.halo = Halo::new(lo, hi);
        self
    }

    /// The halo a block needs before and after it for these options: without wrap,
    /// the width of the one-sided end stencils less one (3 for the second derivative
    /// at accuracy 2, 6 and 8 at 4 and 6; the first derivative's are the gradient's at
    /// accuracy 2, 4, 6: 2, 5, 7); with a periodic boundary the interior stencil's
    /// reach. See [`halo`](Self::halo).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![1., 2., 4., 7., 11.];
    /// assert_eq!(f.derivative(2).reach(), (3, 3));
    /// assert_eq!(f.derivative(1).accuracy(6).reach(), (7, 7));
    /// ```
    pub fn reach(&self) -> (usize, usize) {
        self.opts.reach(self.order, None)
    }

    /// The axis (negative counts from the end); required from 2-D up.
    pub fn axis(mut self, axis: impl AxisArg) -> Self {
        self.axis = Some(axis.signed());
        self
    }

    stencil_setters!("derivative", "let op = f.derivative(2).axis(0);", "");

    /// Checks everything and builds the stencil.
    fn stencil(&self) -> Result<(usize, WideStencil<RealOf<T>>)> {
        if !matches!(self.order, 1 | 2) {
            return Err(CalcError::DerivativeOrder { order: self.order });
        }
        let ndim = self.f.ndim();
        if ndim == 0 {
            return Err(CalcError::ZeroDimensional { op: "derivative" });
        }
        let axis = match self.axis {
            Some(a) => normalize_axis(a, ndim)?,
            None if ndim == 1 => 0,
            None => {
                return Err(CalcError::AxisRequired {
                    op: "derivative",
                    ndim,
                })
            }
        };
        self.opts.check(1)?;
        let st = self
            .opts
            .wide_stencil(0, axis, self.f.shape()[axis], self.order, self.halo)?;
        Ok((axis, st))
    }

    /// The shape of the result: the input's, less the halo.
    fn out_shape(&self, axis: usize) -> Result<Shape> {
        let mut shape = Shape::from_slice(self.f.shape());
        shape[axis] = self.halo.block(axis, shape[axis])?.len();
        Ok(shape)
    }

    /// The derivative, a new array of the input's shape.
    ///
    /// Errors: a derivative order other than 1 or 2, a 0-d input, no axis for 2-D or
    /// more input, an axis out of range, an accuracy other than 2, 4 or 6, bad
    /// coordinates, an axis too short for the stencil, a periodic axis without a period.
    pub fn compute(&self) -> Result<Array<Out<T>>> {
        let (axis, st) = self.stencil()?;
        let mut out = Array::zeros_like_with_shape(&self.f, self.out_shape(axis)?);
        self.write(axis, &st, &mut out.view_mut())?;
        Ok(out)
    }

    /// Writes the derivative into `out` (checked).
    fn write(
        &self,
        axis: usize,
        st: &WideStencil<RealOf<T>>,
        out: &mut ArrayViewMut<'_, Out<T>>,
    ) -> Result<()> {
        let gaps = self.opts.gaps("derivative", self.f.shape(), &[self.halo])?;
        let term = Term {
            opts: &self.opts,
            gaps: gaps.as_ref(),
            order: self.order,
        };
        term.store::<T, Overwrite>(&self.f, out, 0, axis, st)
    }

    /// Writes the derivative into `out` (any layout, the input's shape).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![0., 1., 4., 9.];
    /// let mut out = Array::<f64>::zeros([4]);
    /// f.derivative(2).compute_into(&mut out)?;
    /// assert_eq!(out, array![2., 2., 2., 2.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, out: &mut impl AsViewMut<Out<T>>) -> Result<()> {
        let (axis, st) = self.stencil()?;
        check_out_shape(&self.out_shape(axis)?, out.shape())?;
        self.write(axis, &st, &mut out.view_mut())
    }
}

/// The Laplacian `Σ_a ∂²f/∂x_a²` over every axis; made by
/// [`Calc::laplacian`](crate::Calc::laplacian). See the [module docs](self).
///
/// ```
/// use ndcalc::prelude::*;
/// // f = x^2 + 3 y^2 on a 5 x 6 grid: the Laplacian is 2 + 6 everywhere.
/// let f = Array::from_shape_fn([5, 6], |i| (i[0] * i[0] + 3 * i[1] * i[1]) as f64);
/// let l = f.laplacian().compute()?;
/// assert!(l.iter().all(|&v| (v - 8.0).abs() < 1e-12));
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone)]
pub struct Laplacian<'a, T> {
    f: ArrayView<'a, T>,
    opts: StencilOptions<'a>,
    halos: SmallVec<[Halo; 4]>,
}

impl<'a, T: Promote> Laplacian<'a, T> {
    pub(crate) fn new(f: ArrayView<'a, T>) -> Self {
        Laplacian {
            f,
            opts: StencilOptions::default(),
            halos: SmallVec::new(),
        }
    }

    stencil_setters!(
        "Laplacian",
        "let op = f.laplacian();",
        per_axis,
        "input.laplacian()",
        ""
    );

    /// The halo a block needs before and after it on every axis: the
    /// [second derivative's](Derivative::reach).
    pub fn reach(&self) -> (usize, usize) {
        self.opts.reach(2, None)
    }

    /// The stencils of every axis, the halos and the result's shape, checked before
    /// anything is written.
    fn stencils(&self) -> Result<Stencils<T>> {
        let ndim = self.f.ndim();
        if ndim == 0 {
            return Err(CalcError::ZeroDimensional { op: "laplacian" });
        }
        self.opts.check(ndim)?;
        let halos = halo::per_axis(&self.halos, ndim)?;
        let st = (0..ndim)
            .map(|a| self.opts.wide_stencil(a, a, self.f.shape()[a], 2, halos[a]))
            .collect::<Result<_>>()?;
        let shape = halo::block_shape(self.f.shape(), &halos)?;
        Ok((st, halos, shape))
    }

    /// The Laplacian, a new array of the input's shape.
    ///
    /// Errors: a 0-d input, a spacing list that fits neither one spacing nor one per
    /// axis, an accuracy other than 2, 4 or 6, bad coordinates, an axis too short for the
    /// stencil (4 points at accuracy 2), a periodic axis without a period.
    pub fn compute(&self) -> Result<Array<Out<T>>> {
        let (st, halos, shape) = self.stencils()?;
        let mut out = Array::zeros_like_with_shape(&self.f, shape);
        self.sum_into(&st, &halos, &mut out.view_mut())?;
        Ok(out)
    }

    /// Writes the Laplacian into `out`: the second derivative along axis 0, then the
    /// others added in, one pass each, no temporary.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// use ndcalc::Boundary;
    /// use std::f64::consts::TAU;
    /// let n = 32;
    /// let f = Array::from_shape_fn([n, n], |i| (TAU * i[0] as f64 / n as f64).sin());
    /// let mut out = Array::<f64>::zeros([n, n]);
    /// f.laplacian().spacing(TAU / n as f64).boundary(Boundary::Periodic).accuracy(6).compute_into(&mut out)?;
    /// let err = out.iter().zip(f.iter()).map(|(l, f)| (l + f).abs()).fold(0.0, f64::max);
    /// assert!(err < 1e-6);                              // Δ sin x = -sin x
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, out: &mut impl AsViewMut<Out<T>>) -> Result<()> {
        let (st, halos, shape) = self.stencils()?;
        check_out_shape(&shape, out.shape())?;
        self.sum_into(&st, &halos, &mut out.view_mut())
    }

    fn sum_into(
        &self,
        st: &[WideStencil<RealOf<T>>],
        halos: &[Halo],
        out: &mut ArrayViewMut<'_, Out<T>>,
    ) -> Result<()> {
        let terms: SmallVec<[_; 3]> = st.iter().map(|_| &self.f).collect();
        let gaps = self.opts.gaps("laplacian", self.f.shape(), halos)?;
        let term = Term {
            opts: &self.opts,
            gaps: gaps.as_ref(),
            order: 2,
        };
        sum_along_axes(&terms, st, halos, out, &term)
    }
}

/// The first-derivative stencil of every axis, for an operation on the components `c`.
/// The stencils and the halos of every axis, and the result's shape.
type Stencils<T> = (Vec<WideStencil<RealOf<T>>>, SmallVec<[Halo; 4]>, Shape);

fn first_derivative_stencils<T: Promote>(
    op: &'static str,
    c: &[ArrayView<'_, T>],
    opts: &StencilOptions,
    halos: &[Halo],
) -> Result<Stencils<T>> {
    let ndim = check_components(op, c)?;
    opts.check(ndim)?;
    let halos = halo::per_axis(halos, ndim)?;
    let shape = c[0].shape();
    let st = (0..ndim)
        .map(|a| opts.wide_stencil(a, a, shape[a], 1, halos[a]))
        .collect::<Result<_>>()?;
    let out = halo::block_shape(shape, &halos)?;
    Ok((st, halos, out))
}

/// `Σ_a` stencil `a` applied along axis `a` of `f[a]`, into `out`: the first term
/// written, each further one added in, one pass each and no temporary (but with missing
/// samples, see [`Term::store`]).
fn sum_along_axes<T: Promote>(
    f: &[&ArrayView<'_, T>],
    st: &[WideStencil<RealOf<T>>],
    halos: &[Halo],
    out: &mut ArrayViewMut<'_, Out<T>>,
    term: &Term<'_, '_>,
) -> Result<()> {
    for (a, (f, st)) in f.iter().zip(st).enumerate() {
        let x = halo::cut_others(f, halos, a)?;
        if a == 0 {
            term.store::<T, Overwrite>(&x, out, a, a, st)?;
        } else {
            term.store::<T, AddTo>(&x, out, a, a, st)?;
        }
    }
    Ok(())
}

/// One derivative term of an operation, with the options that decide what a run of
/// valid samples computes.
struct Term<'o, 'g> {
    opts: &'o StencilOptions<'o>,
    gaps: Option<&'g Gaps<'o, 'o>>,
    order: usize,
}

impl Term<'_, '_> {
    /// Stores with `S` into `out` the derivative along `axis` (the `k`-th selected) of
    /// `x` by `st`. Where samples are missing, the runs of valid samples rewrite the
    /// plain result ([`crate::runs`]); a term added or subtracted is then computed in a
    /// temporary of the result's size first, as the plain term it replaces is not
    /// recoverable from the sum.
    fn store<T: Promote, S: Store>(
        &self,
        x: &ArrayView<'_, T>,
        out: &mut ArrayViewMut<'_, Out<T>>,
        k: usize,
        axis: usize,
        st: &WideStencil<RealOf<T>>,
    ) -> Result<()> {
        let gaps = match self.gaps {
            Some(g) if S::OVERWRITES || g.any(x) => g,
            _ => return apply::<T, S>(x, out, axis, st),
        };
        let ax = self.opts.run_axis(k, axis, self.order, None);
        let rule = stencil::WideRuns {
            stencil: st,
            order: self.order,
            accuracy: self.opts.accuracy(),
        };
        let kernel = |x: &ArrayView<'_, T>, y: &mut ArrayViewMut<'_, Out<T>>, axis, points, _| {
            apply::<T, Overwrite>(x, y, axis, &st.clone().keep(points))
        };
        if S::OVERWRITES {
            return runs::write(x, gaps, out, &ax, &rule, &kernel, None, false);
        }
        let mut t = Array::<Out<T>>::zeros_like_with_shape(x, out.shape());
        runs::write(x, gaps, &mut t.view_mut(), &ax, &rule, &kernel, None, false)?;
        ndcore::zip_runs(out, [&t], |mut o, [t]| {
            for i in 0..o.len() {
                S::put(&mut o[i], t[i]);
            }
        })?;
        Ok(())
    }
}

/// Checks that `components` fit a vector operation: all of one shape, and (unless
/// `curl`) one per axis; returns their number of dimensions.
fn check_components<T>(op: &'static str, c: &[ArrayView<'_, T>]) -> Result<usize> {
    let ndim = c.first().map_or(0, |c| c.ndim());
    for (index, ci) in c.iter().enumerate().skip(1) {
        if ci.shape() != c[0].shape() {
            return Err(CalcError::ComponentShape {
                index,
                expected: c[0].shape().to_vec(),
                found: ci.shape().to_vec(),
            });
        }
    }
    let fits = c.len() == ndim && (ndim >= 1) && (op != "curl" || matches!(ndim, 2 | 3));
    if !fits {
        return Err(CalcError::Components {
            op,
            found: c.len(),
            ndim,
        });
    }
    Ok(ndim)
}

/// The divergence of a vector field, `Σ_a ∂f_a/∂x_a` (beyond numpy); see the
/// [module docs](self) for the conventions.
///
/// ```
/// use ndcalc::prelude::*;
/// // f = (x y, y^2) on a grid indexed [x, y]: div f = y + 2y = 3y.
/// let fx = Array::from_shape_fn([4, 5], |i| (i[0] * i[1]) as f64);
/// let fy = Array::from_shape_fn([4, 5], |i| (i[1] * i[1]) as f64);
/// let d = divergence(&[&fx, &fy]).compute()?;
/// assert_eq!(d, Array::from_shape_fn([4, 5], |i| 3.0 * i[1] as f64));
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
pub fn divergence<'a, T: Promote, A: ArrayLike<T>>(components: &'a [A]) -> Divergence<'a, T> {
    Divergence {
        c: components.iter().map(|c| c.view()).collect(),
        opts: StencilOptions::default(),
        halos: SmallVec::new(),
    }
}

/// The curl of a 2-D or 3-D vector field (beyond numpy): one array in 2-D
/// (`∂f1/∂x0 - ∂f0/∂x1`), three in 3-D; see the [module docs](self) for the axis
/// convention.
///
/// ```
/// use ndcalc::prelude::*;
/// // A rigid rotation (-y, x) on a grid indexed [x, y] has curl 2.
/// let fx = Array::from_shape_fn([4, 5], |i| -(i[1] as f64));
/// let fy = Array::from_shape_fn([4, 5], |i| i[0] as f64);
/// let c = curl(&[&fx, &fy]).compute()?;
/// assert_eq!(c.len(), 1);
/// assert!(c[0].iter().all(|&v| v == 2.0));
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
pub fn curl<'a, T: Promote, A: ArrayLike<T>>(components: &'a [A]) -> Curl<'a, T> {
    Curl {
        c: components.iter().map(|c| c.view()).collect(),
        opts: StencilOptions::default(),
        halos: SmallVec::new(),
    }
}

/// The divergence of a vector field; made by [`divergence`].
#[derive(Clone)]
pub struct Divergence<'a, T> {
    c: SmallVec<[ArrayView<'a, T>; 3]>,
    opts: StencilOptions<'a>,
    halos: SmallVec<[Halo; 4]>,
}

impl<'a, T: Promote> Divergence<'a, T> {
    stencil_setters!(
        "divergence",
        "let c = [&f, &f];\nlet op = divergence(&c);",
        per_axis,
        "divergence(&[&input, &input])",
        ""
    );

    /// The halo a block needs before and after it on every axis: the
    /// [first derivative's](Derivative::reach).
    pub fn reach(&self) -> (usize, usize) {
        self.opts.reach(1, None)
    }

    fn stencils(&self) -> Result<Stencils<T>> {
        first_derivative_stencils("divergence", &self.c, &self.opts, &self.halos)
    }

    /// The divergence, a new array of the components' shape.
    ///
    /// Errors: components of different shapes or not one per axis, and the errors of
    /// [`Gradient::compute`](crate::Gradient::compute).
    pub fn compute(&self) -> Result<Array<Out<T>>> {
        // The stencils first: they check that there is a component to take the shape of.
        let (st, halos, shape) = self.stencils()?;
        let mut out = Array::zeros_like_with_shape(&self.c[0], shape);
        self.sum_into(&st, &halos, &mut out.view_mut())?;
        Ok(out)
    }

    fn sum_into(
        &self,
        st: &[WideStencil<RealOf<T>>],
        halos: &[Halo],
        out: &mut ArrayViewMut<'_, Out<T>>,
    ) -> Result<()> {
        let terms: SmallVec<[_; 3]> = self.c.iter().collect();
        let gaps = self.opts.gaps("divergence", self.c[0].shape(), halos)?;
        let term = Term {
            opts: &self.opts,
            gaps: gaps.as_ref(),
            order: 1,
        };
        sum_along_axes(&terms, st, halos, out, &term)
    }

    /// Writes the divergence into `out`: `∂f0/∂x0`, then each further term added in.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// use ndcalc::Boundary;
    /// let fx = Array::from_shape_fn([8, 8], |i| (i[0] as f64 * 0.5).sin());
    /// let fy = Array::<f64>::zeros([8, 8]);
    /// let mut out = Array::<f64>::zeros([8, 8]);
    /// divergence(&[fx.view(), fy.view()]).accuracy(4).spacing(0.5).compute_into(&mut out)?;
    /// assert!((out[[4, 0]] - 2f64.cos()).abs() < 1e-3);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, out: &mut impl AsViewMut<Out<T>>) -> Result<()> {
        let (st, halos, shape) = self.stencils()?;
        check_out_shape(&shape, out.shape())?;
        self.sum_into(&st, &halos, &mut out.view_mut())
    }
}

/// One curl result: (result, (component, axis) added, (component, axis) subtracted).
type CurlTerm = (usize, (usize, usize), (usize, usize));

/// The curl of a 2-D or 3-D vector field; made by [`curl`].
#[derive(Clone)]
pub struct Curl<'a, T> {
    c: SmallVec<[ArrayView<'a, T>; 3]>,
    opts: StencilOptions<'a>,
    halos: SmallVec<[Halo; 4]>,
}

impl<'a, T: Promote> Curl<'a, T> {
    stencil_setters!(
        "curl",
        "let c = [&f, &f];\nlet op = curl(&c);",
        per_axis,
        "curl(&[&input, &input])",
        "[0]"
    );

    /// The halo a block needs before and after it on every axis: the
    /// [first derivative's](Derivative::reach).
    pub fn reach(&self) -> (usize, usize) {
        self.opts.reach(1, None)
    }

    fn stencils(&self) -> Result<Stencils<T>> {
        first_derivative_stencils("curl", &self.c, &self.opts, &self.halos)
    }

    /// The number of result arrays: 1 for a 2-D field, 3 for a 3-D one (0 if the
    /// components do not fit).
    pub fn len(&self) -> usize {
        match self.c.len() {
            2 => 1,
            3 => 3,
            _ => 0,
        }
    }

    /// Whether [`len`](Self::len) is 0 (the components fit no curl).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The curl: one array for a 2-D field, three for a 3-D one.
    ///
    /// Errors: other than 2 components of 2-D arrays or 3 of 3-D arrays, components of
    /// different shapes, and the errors of [`Gradient::compute`](crate::Gradient::compute).
    pub fn compute(&self) -> Result<Vec<Array<Out<T>>>> {
        let (_, _, shape) = self.stencils()?;
        let mut outs: Vec<Array<Out<T>>> = (0..self.len())
            .map(|_| Array::zeros_like_with_shape(&self.c[0], &shape[..]))
            .collect();
        self.compute_into(&mut outs)?;
        Ok(outs)
    }

    /// Writes the curl into `outs` (1 output for a 2-D field, 3 for a 3-D one): for each
    /// result one derivative written, the other subtracted, no temporary.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// // (0, 0, x0) on a 3 x 4 x 5 grid: curl = (0, -1, 0).
    /// let z = Array::<f64>::zeros([3, 4, 5]);
    /// let f2 = Array::from_shape_fn([3, 4, 5], |i| i[0] as f64);
    /// let mut outs = vec![Array::<f64>::zeros([3, 4, 5]); 3];
    /// curl(&[&z, &z, &f2]).compute_into(&mut outs)?;
    /// assert!(outs[1].iter().all(|&v| v == -1.0));
    /// assert!(outs[0].iter().chain(outs[2].iter()).all(|&v| v == 0.0));
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, outs: &mut [impl AsViewMut<Out<T>>]) -> Result<()> {
        let (st, halos, shape) = self.stencils()?;
        if outs.len() != self.len() {
            return Err(CalcError::OutputCount {
                op: "curl",
                expected: self.len(),
                found: outs.len(),
            });
        }
        for o in outs.iter() {
            check_out_shape(&shape, o.shape())?;
        }
        // (result, plus: (component, axis), minus: (component, axis))
        let terms: &[CurlTerm] = if self.c.len() == 2 {
            &[(0, (1, 0), (0, 1))]
        } else {
            &[
                (0, (2, 1), (1, 2)),
                (1, (0, 2), (2, 0)),
                (2, (1, 0), (0, 1)),
            ]
        };
        let gaps = self.opts.gaps("curl", self.c[0].shape(), &halos)?;
        let term = Term {
            opts: &self.opts,
            gaps: gaps.as_ref(),
            order: 1,
        };
        for &(r, (cp, ap), (cm, am)) in terms {
            let mut o = outs[r].view_mut();
            let plus = halo::cut_others(&self.c[cp], &halos, ap)?;
            let minus = halo::cut_others(&self.c[cm], &halos, am)?;
            term.store::<T, Overwrite>(&plus, &mut o, ap, ap, &st[ap])?;
            term.store::<T, SubtractFrom>(&minus, &mut o, am, am, &st[am])?;
        }
        Ok(())
    }
}
