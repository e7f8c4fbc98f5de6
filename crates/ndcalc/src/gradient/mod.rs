//! `gradient`: numpy's `np.gradient`, result for result, as a builder.
//!
//! # Formulas
//!
//! For samples `f[0..n]` along an axis with uniform step `h`:
//!
//! * interior, `1 <= i <= n-2`: `g[i] = (f[i+1] - f[i-1]) / (2h)` (second-order central
//!   difference; `f[i]` itself is not used);
//! * `edge_order(1)` (the default): `g[0] = (f[1] - f[0]) / h`,
//!   `g[n-1] = (f[n-1] - f[n-2]) / h`;
//! * `edge_order(2)`: `g[0] = (-1.5 f[0] + 2 f[1] - 0.5 f[2]) / h`, and mirrored at the end.
//!
//! With coordinates `x` (steps `h[i] = x[i+1] - x[i]`, not all equal) the interior is the
//! second-order Lagrange derivative through three neighbours, with `d1 = h[i-1]`,
//! `d2 = h[i]`:
//!
//! ```text
//! g[i] = -d2/(d1 (d1+d2)) f[i-1] + (d2-d1)/(d1 d2) f[i] + d1/(d2 (d1+d2)) f[i+1]
//! ```
//!
//! and the ends are the one-sided first-order differences or the three-point
//! second-order formulas. Coordinates whose steps are all *exactly* equal use the
//! uniform formulas, numpy's rule. Every expression and every operation order is
//! numpy's, so `f64` results are bit-identical to numpy's. Zero steps (repeated
//! coordinates, a step of `0.0`), NaN and infinite steps are not errors: they give
//! numpy's infinities and NaNs (see [degenerate spacings](Spacing#degenerate-spacings)).
//!
//! # Element types
//!
//! `f32`, `f64` and complex data keep their type (`f32` computes in `f32`). Integer data
//! of every width is converted to `f64` first, so the result is `Array<f64>` and unsigned
//! data never wraps. See [`Promote`].
//!
//! # Loop order
//!
//! One pass over memory per output, no temporaries: when the axis is the fastest in
//! memory each lane is a contiguous slice; otherwise the stencil is applied to whole
//! hyperplanes `f[i-1, ..]`, `f[i+1, ..]` whose contiguous runs are innermost.
//!
//! Every axis at once ([`Gradient::compute`] and [`Gradient::compute_into`] over all the
//! axes of a large standard-layout input, with numpy's stencils) is one pass over the
//! input: it is walked hyperplane by hyperplane, and each one's outputs along every axis
//! are written while it and its neighbours are in the cache, so the input is read from
//! memory once rather than once per axis, with the same results bit for bit.
//!
//! # Coming from numpy
//!
//! | numpy | ndcalc |
//! |---|---|
//! | `np.gradient(f)` (1-D) | `f.gradient().axis(0).compute()?` |
//! | `np.gradient(f)` (N-D, tuple) | `f.gradient().compute()?` (a `Vec`, in axis order) |
//! | `np.gradient(f, 2.0)` | `f.gradient().spacing(2.0).compute()?` |
//! | `np.gradient(f, x)` (1-D) | `f.gradient().spacing(&x).axis(0).compute()?` |
//! | `np.gradient(f, dy, dx)` | `f.gradient().spacings([dy, dx]).compute()?` |
//! | `np.gradient(f, y, x)` | `f.gradient().spacings([&y, &x]).compute()?` |
//! | `np.gradient(f, 0.5, x)` | `f.gradient().spacings([Spacing::from(0.5), Spacing::from(&x)]).compute()?` |
//! | `np.gradient(f, axis=0)` | `f.gradient().axis(0).compute()?` |
//! | `np.gradient(f, axis=-1)` | `f.gradient().axis(-1).compute()?` |
//! | `np.gradient(f, 2.0, axis=(1, 0))` | `let [gx, gy] = f.gradient().axes([1, 0]).spacing(2.0).compute()?;` (`axes(&list)` for a `Vec`) |
//! | `np.gradient(f, edge_order=2)` | `f.gradient().edge_order(2).compute()?` |
//! | *(no numpy equivalent)* | `f.gradient().axis(0).compute_into(&mut out)?` |
//! | *(beyond numpy: order k at every point)* | `f.gradient().accuracy(4).compute()?` (2, 4 or 6; `accuracy(2)` is `edge_order=2`) |
//! | *(beyond numpy: numpy#21357, periodic)* | `f.gradient().boundary(Boundary::Periodic).compute()?` |
//! | `np.gradient(np.pad(f, 1, "reflect"))[1:-1]` | `f.gradient().boundary(Boundary::Reflect).compute()?` (also `Constant(c)`, `Edge`, `Symmetric`; `boundary_sides(lo, hi)` for each end) |
//! | *(beyond numpy: periodic coordinates)* | `f.gradient().spacing(Spacing::periodic_coords(&x, period)).boundary(Boundary::Periodic).axis(0).compute()?` |
//! | *(beyond numpy: NaN as missing samples, not spread)* | `f.gradient().missing(Missing::Skip).compute()?`, or `.mask(&valid)` ([`Missing`]) |
//! | *(beyond numpy: second derivative, Laplacian, divergence, curl)* | see [`vector`](crate::vector) |
//!
//! Where numpy returns one array for one axis and a tuple otherwise, ndcalc makes the
//! choice explicit: [`.axis(a)`](Gradient::axis) gives a [`GradientAxis`] whose
//! `compute` returns one array; without it `compute` returns a `Vec`. numpy returns an
//! empty tuple for a 0-d input; ndcalc returns an error.

mod axes;
mod fused;
mod kernel;

use std::ops::Range;

use ndcore::{Array, ArrayView, ArrayViewMut, AsView, AsViewMut, AxisArg};
use smallvec::SmallVec;

use crate::element::{Out, Promote, Real, RealOf, Value};
use crate::error::{check_out_shape, normalize_axes, CalcError, Result};
use crate::halo::{self, Halo};
use crate::missing::Missing;
use crate::runs::{self, Gaps, RunRule};
use crate::spacing::{AxisSpacing, CoordType, Spacing};
use crate::stencil::{self, Boundary, Overwrite, StencilOptions, WideStencil};
use crate::walk::streamed;
pub use axes::{AxisList, GradientAxes};
use kernel::{cut_ends, gradient_axis, gradient_vec, NumpyStencil};

/// Up to this many elements a contiguous 1-D input takes a lean path (see `gradient_vec`);
/// beyond it, huge-page outputs and the general walk win.
const SHORT: usize = 1 << 14;

/// The gradient of an array along one or more axes; made by
/// [`Calc::gradient`](crate::Calc::gradient). See the [module docs](self) for the
/// formulas and the numpy correspondence.
///
/// ```
/// use ndcalc::prelude::*;
/// let f = array![[1., 2., 6.], [3., 4., 5.]];
/// let g = f.gradient().compute().unwrap();       // every axis
/// assert_eq!(g[0], array![[2., 2., -1.], [2., 2., -1.]]);
/// assert_eq!(g[1], array![[1., 2.5, 4.], [1., 1., 1.]]);
/// ```
#[derive(Clone)]
pub struct Gradient<'a, T> {
    f: ArrayView<'a, T>,
    opts: StencilOptions<'a>,
    axes: Option<SmallVec<[isize; 4]>>,
    /// One per axis of the input, or none (see [`crate::halo`]).
    halos: SmallVec<[Halo; 4]>,
}

/// The coefficients of one axis: numpy's three-point stencil, or a stencil beyond numpy.
enum AxisStencil<R> {
    /// numpy's, computed in the data's type.
    Numpy(NumpyStencil<R>),
    /// numpy's with `f64` coordinates, computed in the data's promotion against `f64`
    /// (the data's own type unless it is `f32` or `Complex<f32>`).
    Promoted(NumpyStencil<f64>),
    Wide(WideStencil<R>),
}

impl<R: Real> AxisStencil<R> {
    /// Writes the gradient along `axis` into `y`; with `stream`, a standard-layout `y`
    /// is stored around the caches.
    fn apply<T: Promote>(
        &self,
        x: &ArrayView<'_, T>,
        y: &mut ndcore::ArrayViewMut<'_, Out<T>>,
        axis: usize,
        stream: bool,
    ) -> Result<()>
    where
        Out<T>: Value<Real = R>,
    {
        crate::par::split_run(x, y, axis, &|x, y| match self {
            AxisStencil::Numpy(st) => gradient_axis::<T, Out<T>>(x, y, axis, st, stream),
            AxisStencil::Promoted(st) => {
                gradient_axis::<T, <Out<T> as Value>::Promoted>(x, y, axis, st, stream)
            }
            AxisStencil::Wide(st) => stencil::apply::<T, Overwrite>(x, y, axis, st),
        })
    }

    /// The gradient of flat ranges of consecutive lanes, contiguous or across
    /// hyperplanes (see [`kernel::lane_pieces`]), when this stencil computes them
    /// cheaply.
    fn lane_pieces<T: Promote>(&self) -> Option<Box<dyn runs::Pieces<T> + '_>>
    where
        Out<T>: Value<Real = R>,
    {
        match self {
            AxisStencil::Numpy(st) => kernel::lane_pieces::<T, Out<T>>(st),
            AxisStencil::Promoted(st) => kernel::lane_pieces::<T, <Out<T> as Value>::Promoted>(st),
            AxisStencil::Wide(_) => None,
        }
    }

    /// Writes the gradient along `axis` at `points` of it only (`y` holds those), on
    /// this thread: a tile of [`runs::write`]; with `stream`, stored around the caches.
    fn apply_points<T: Promote>(
        &self,
        x: &ArrayView<'_, T>,
        y: &mut ArrayViewMut<'_, Out<T>>,
        axis: usize,
        points: Range<usize>,
        stream: bool,
    ) -> Result<()>
    where
        Out<T>: Value<Real = R>,
    {
        match self {
            AxisStencil::Numpy(st) => {
                gradient_axis::<T, Out<T>>(x, y, axis, &st.clone().keep(points), stream)
            }
            AxisStencil::Promoted(st) => gradient_axis::<T, <Out<T> as Value>::Promoted>(
                x,
                y,
                axis,
                &st.clone().keep(points),
                stream,
            ),
            AxisStencil::Wide(st) => {
                stencil::apply::<T, Overwrite>(x, y, axis, &st.clone().keep(points))
            }
        }
    }
}

/// The gradient on the runs of valid samples of one axis, with that axis's stencil.
struct AxisRuns<'s, R> {
    stencil: &'s AxisStencil<R>,
    /// numpy's stencils with ends of this order, or (`None`) the wide stencils.
    ends: Option<usize>,
    accuracy: usize,
}

impl<T: Promote> RunRule<T> for AxisRuns<'_, RealOf<T>> {
    fn run(
        &self,
        x: &ArrayView<'_, T>,
        spacing: &Spacing,
        sides: [Boundary; 2],
        points: Range<usize>,
        y: &mut ArrayViewMut<'_, T::Output>,
    ) -> Result<()> {
        match self.ends {
            Some(ends) => numpy_run(x, spacing, ends, points, y),
            None => stencil::run(x, spacing, 1, self.accuracy, sides, points, y),
        }
    }

    fn cut_ends(
        &self,
        x: ndcore::Lane<'_, T>,
        y: &mut ndcore::LaneMut<'_, T::Output>,
        r: Range<usize>,
        cut: [bool; 2],
    ) -> bool {
        match self.stencil {
            AxisStencil::Numpy(st) => cut_ends::<T, T::Output>(st, x, y, r, cut),
            AxisStencil::Promoted(st) => {
                cut_ends::<T, <T::Output as Value>::Promoted>(st, x, y, r, cut)
            }
            AxisStencil::Wide(st) => st.cut_ends(x, y, r, cut),
        }
    }
}

/// All-axes gradients of at least this many elements take the pass that reads the
/// input once ([`fused`]); smaller inputs are in the cache for every axis anyway.
const FUSE: usize = 1 << 16;

/// Writes the gradient along every axis of `f` into `outs` in one pass when the input
/// and the outputs are in standard layout and every axis has numpy's stencils of the
/// same computing type; returns whether it did.
fn fuse<T: Promote>(
    f: &ArrayView<'_, T>,
    stencils: &[(ArrayView<'_, T>, AxisStencil<RealOf<T>>)],
    outs: &mut [ArrayViewMut<'_, T::Output>],
) -> bool {
    let Some(x) = f.as_slice().filter(|_| f.is_standard_layout()) else {
        return false;
    };
    if f.shape().contains(&0) || !outs.iter().all(|o| o.is_standard_layout()) {
        return false;
    }
    let count = outs.len();
    let ys: Vec<&mut [T::Output]> = outs.iter_mut().filter_map(|o| o.as_slice_mut()).collect();
    if ys.len() != count {
        return false;
    }
    let numpy: Option<SmallVec<[_; 4]>> = stencils
        .iter()
        .map(|(_, st)| match st {
            AxisStencil::Numpy(st) => Some(st),
            _ => None,
        })
        .collect();
    if let Some(st) = numpy {
        fused::all_axes::<T, Out<T>>(x, f.shape(), ys, &st);
        return true;
    }
    let promoted: Option<SmallVec<[_; 4]>> = stencils
        .iter()
        .map(|(_, st)| match st {
            AxisStencil::Promoted(st) => Some(st),
            _ => None,
        })
        .collect();
    if let Some(st) = promoted {
        fused::all_axes::<T, <Out<T> as Value>::Promoted>(x, f.shape(), ys, &st);
        return true;
    }
    false
}

/// The gradient along a single axis; made by [`Gradient::axis`]. `compute` returns one
/// array, and [`compute_into`](GradientAxis::compute_into) writes into caller memory.
#[derive(Clone)]
pub struct GradientAxis<'a, T> {
    inner: Gradient<'a, T>,
    /// The halo of the selected axis.
    halo: Halo,
}

impl<'a, T: Promote> Gradient<'a, T> {
    pub(crate) fn new(f: ArrayView<'a, T>) -> Self {
        Gradient {
            f,
            opts: StencilOptions::default(),
            axes: None,
            halos: SmallVec::new(),
        }
    }

    /// One spacing: a scalar step used for every selected axis, or the coordinates of
    /// the one selected axis. The second argument of `np.gradient(f, 2.0)` is a step,
    /// not a derivative order.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![1., 2., 4., 7., 11., 16.];
    /// let g = f.gradient().spacing(2.0).axis(0).compute().unwrap();
    /// assert_eq!(g, array![0.5, 0.75, 1.25, 1.75, 2.25, 2.5]);
    /// ```
    pub fn spacing(mut self, s: impl Into<Spacing>) -> Self {
        self.opts.set_spacing(s.into());
        self
    }

    /// One spacing per selected axis, in the order of the axes (numpy's `*varargs`).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![[1., 2., 6.], [3., 4., 5.]];
    /// let x = array![0., 1., 1.5];
    /// let g = f.gradient().spacings([Spacing::from(2.0), Spacing::from(&x)]).compute().unwrap();
    /// assert_eq!(g[0], array![[1., 1., -0.5], [1., 1., -0.5]]);
    /// ```
    pub fn spacings<S: Into<Spacing>>(mut self, s: impl IntoIterator<Item = S>) -> Self {
        self.opts.set_spacings(s.into_iter().map(Into::into));
        self
    }

    /// The accuracy of the one-sided differences at the two ends: 1 (numpy's default)
    /// or 2. An axis needs at least `edge_order + 1` points.
    ///
    /// `edge_order` belongs to numpy's stencils: without [`accuracy`](Self::accuracy) it
    /// chooses their ends, as in numpy. An explicit accuracy already sets the order of
    /// every point, the ends included, so an explicit `edge_order` beside it must say
    /// the same (`edge_order(2)` with `accuracy(2)`); any other pair is a
    /// [`CalcError::EdgeOrderAccuracy`] rather than one of the two silently winning.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![1., 4., 9., 16.];             // x^2 at x = 1..4
    /// let g = f.gradient().edge_order(2).axis(0).compute()?;
    /// assert_eq!(g, array![2., 4., 6., 8.]);       // exact for a quadratic
    /// assert_eq!(f.gradient().edge_order(2).accuracy(2).axis(0).compute()?, g);
    /// assert!(f.gradient().edge_order(1).accuracy(2).axis(0).compute().is_err());
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn edge_order(mut self, edge_order: usize) -> Self {
        self.opts.edge_order = Some(edge_order);
        self
    }

    /// The order of accuracy of every point, the ends included (beyond numpy): 2, 4 or
    /// 6. Without this call the stencils are numpy's defaults: second order inside and
    /// ends of [`edge_order`](Self::edge_order), first order unless set.
    ///
    /// `accuracy(2)` is numpy's `edge_order=2` (its formulas, bit for bit), so an axis
    /// needs 3 points. At 4 and 6 the interior uses the central difference over
    /// `accuracy + 1` points; the `accuracy / 2` points nearest each end use one-sided
    /// differences over `accuracy + 2` points: one more than the order needs, spent on
    /// cancelling the next error term, so that the error of every point shrinks like
    /// `h^accuracy` from coarse grids on (and is 3 to 4 times smaller than with
    /// `accuracy + 1` points). With coordinates the weights come from Fornberg's
    /// algorithm, once per axis. An axis needs at least `accuracy + 2` points. An
    /// explicit [`edge_order`](Self::edge_order) beside an accuracy must agree with it.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![1., 4., 9., 16.];                  // x^2 at x = 1..4
    /// assert_eq!(f.gradient().axis(0).compute()?, array![3., 4., 6., 7.]);
    /// assert_eq!(f.gradient().accuracy(2).axis(0).compute()?, array![2., 4., 6., 8.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let x = Array::from_shape_fn([6], |i| i[0] as f64);
    /// let f = x.map(|&x| x.powi(4));                    // exact for degree 4
    /// let g = f.gradient().accuracy(4).axis(0).compute()?;
    /// for (g, x) in g.iter().zip(x.iter()) {
    ///     assert!((g - 4.0 * x.powi(3)).abs() < 1e-9);
    /// }
    /// let short = array![1.0, 2.0, 3.0, 4.0];
    /// let err = short.gradient().accuracy(4).axis(0).compute().unwrap_err();
    /// assert!(err.to_string().contains("needs at least 6"));
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn accuracy(mut self, accuracy: usize) -> Self {
        self.opts.accuracy = Some(accuracy);
        self
    }

    /// What happens at both ends of every selected axis (beyond numpy): numpy's one-sided
    /// differences ([`Boundary::Numpy`], the default), a wrap-around
    /// ([`Boundary::Periodic`]) or ghost samples as `np.pad` makes them (constant, edge,
    /// reflect, symmetric), where every point takes the central difference. With
    /// coordinates, give the period through
    /// [`Spacing::periodic_coords`](crate::Spacing::periodic_coords); other ghosts
    /// mirror the end coordinate. See [`Boundary`].
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// use ndcalc::Boundary;
    /// let f = array![0., 1., 0., -1.];                   // sin at quarter turns
    /// let g = f.gradient().boundary(Boundary::Periodic).axis(0).compute()?;
    /// assert_eq!(g, array![1., 0., -1., 0.]);
    /// // np.gradient(np.pad(f, 1, "edge"))[1:-1]
    /// let g = f.gradient().boundary(Boundary::Edge).axis(0).compute()?;
    /// assert_eq!(g, array![0.5, 0., -1., -0.5]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn boundary(mut self, boundary: Boundary) -> Self {
        self.opts.sides = [boundary; 2];
        self
    }

    /// The boundary at the start and at the end of every selected axis on its own
    /// (beyond numpy), e.g. a wall holding a value at one end and numpy's one-sided
    /// difference at an open end. [`Boundary::Periodic`] must be at both ends or neither.
    /// A [`Boundary::Numpy`] end beside a ghost end takes the ends of the accuracy
    /// (`edge_order` 2 at accuracy 2).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// use ndcalc::Boundary;
    /// let f = array![1., 2., 4., 7.];
    /// let wall = Boundary::Constant(0.0);
    /// let g = f.gradient().boundary_sides(wall, Boundary::Numpy).axis(0).compute()?;
    /// assert_eq!(g, array![1., 1.5, 2.5, 3.5]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn boundary_sides(mut self, lo: Boundary, hi: Boundary) -> Self {
        self.opts.sides = [lo, hi];
        self
    }

    /// What NaN samples are (beyond numpy): values, as numpy has them
    /// ([`Missing::Propagate`], the default: a NaN spoils its neighbours' results), or
    /// missing ([`Missing::Skip`]): along each axis the valid samples form runs, and
    /// each run is differentiated as its own array, so a NaN spoils only its own point.
    /// See [`Missing`] for the rule.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// use ndcalc::Missing;
    /// let f = array![1., 2., 4., f64::NAN, 11., 16., 22.];
    /// let numpy = f.gradient().axis(0).compute()?;
    /// assert!(numpy[[2]].is_nan() && numpy[[4]].is_nan());   // the NaN spoils its neighbours
    /// let g = f.gradient().missing(Missing::Skip).axis(0).compute()?;
    /// // np.gradient([1, 2, 4]) and np.gradient([11, 16, 22]), NaN between them.
    /// assert_eq!(g.slice_axis(0, Slice::new(0, 3, 1))?, array![1., 1.5, 2.]);
    /// assert!(g[[3]].is_nan());
    /// assert_eq!(g.slice_axis(0, Slice::new(4, 7, 1))?, array![5., 5.5, 6.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn missing(mut self, missing: Missing) -> Self {
        self.opts.missing = missing;
        self
    }

    /// The valid samples (beyond numpy): a `bool` array of the input's shape, `false`
    /// where a sample is missing, for data of any type (integers have no NaN). The
    /// missing samples are skipped as with [`Missing::Skip`] (the values there are never
    /// read); with [`missing(Missing::Skip)`](Self::missing) as well, NaN samples are
    /// missing too. A mask of another shape is a [`CalcError::MaskShape`].
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![[1i32, 2, 4, 7], [0, 0, 9, 9]];      // integers: no NaN to mark
    /// let valid = array![[true, true, true, true], [true, false, true, true]];
    /// let g: Array<f64> = f.gradient().mask(&valid).axis(1).compute()?;
    /// assert_eq!(g.slice_axis(0, Slice::new(0, 1, 1))?, array![[1., 1.5, 2.5, 3.]]);
    /// assert_eq!(g[[1, 2]], 0.0);                          // the run [9, 9]
    /// assert!(g[[1, 0]].is_nan() && g[[1, 1]].is_nan());   // a lone sample, a missing one
    /// let wrong = array![true, false];
    /// let err = f.gradient().mask(&wrong).compute().unwrap_err();
    /// assert!(err.to_string().contains("[2]") && err.to_string().contains("[2, 4]"));
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn mask(mut self, valid: &'a impl ndcore::ArrayLike<bool>) -> Self {
        self.opts.mask = Some(valid.view());
        self
    }

    /// Selects several axes (negative counts from the end); results come back in this
    /// order. An array of axes fixes their count: `axes([0, 1])` returns a
    /// [`GradientAxes`] whose `compute` gives `[Array; 2]`; a slice or `Vec` of axes
    /// keeps this builder, whose `compute` gives a `Vec` (see [`AxisList`]).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![[1., 2., 6.], [3., 4., 5.]];
    /// let [gy, gx] = f.gradient().axes([0, 1]).compute()?;
    /// assert_eq!(f.gradient().axes(&[1, 0]).compute()?, vec![gx, gy]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn axes<L: AxisList<'a, T>>(self, axes: L) -> L::Builder {
        axes.select(self)
    }

    fn select(mut self, axes: &[impl AxisArg]) -> Self {
        self.axes = Some(axes.iter().map(|a| a.signed()).collect());
        self
    }

    /// Selects one axis (negative counts from the end): `compute` then returns one array.
    pub fn axis(mut self, axis: impl AxisArg) -> GradientAxis<'a, T> {
        self.axes = Some(SmallVec::from_slice(&[axis.signed()]));
        GradientAxis {
            inner: self,
            halo: Halo::default(),
        }
    }

    /// The input is a block of a larger array with a halo on every axis: `lo` samples
    /// before the block and `hi` after it, one pair per axis of the input (see
    /// [`GradientAxis::halo`] for the rule). The results cover the block only.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = Array::from_shape_fn([6, 5], |i| (i[0] * i[0] * i[1]) as f64);
    /// let whole = f.gradient().compute()?;
    /// // The block f[1..4, 2..] with one sample of halo on each side that has one.
    /// let input = f.slice_axis(0, Slice::new(0, 5, 1))?;
    /// let input = input.slice_axis(1, Slice::new(1, 5, 1))?;
    /// let g = input.gradient().halos([(1, 1), (1, 0)]).compute()?;
    /// assert_eq!(g[0].shape(), &[3, 3]);
    /// assert_eq!(g[1], whole[1].slice_axis(0, Slice::new(1, 4, 1))?.slice_axis(1, Slice::new(2, 5, 1))?);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn halos(mut self, halos: impl IntoIterator<Item = (usize, usize)>) -> Self {
        self.halos = halos
            .into_iter()
            .map(|(lo, hi)| Halo::new(lo, hi))
            .collect();
        self
    }

    /// The halo a block needs on each side of every selected axis, before and after it,
    /// for these options; see [`GradientAxis::reach`].
    pub fn reach(&self) -> (usize, usize) {
        self.opts.reach(1, self.opts.end_order().ok())
    }

    /// The gradient along every selected axis (all axes by default), in order. Over all
    /// the axes of a large standard-layout input the input is read once for every axis
    /// (see [Loop order](self#loop-order)).
    ///
    /// Errors: a 0-d input, an axis out of range or repeated, a spacing list that fits
    /// neither one spacing nor one per axis, coordinates that are not 1-D or not as long
    /// as their axis, an `edge_order` other than 1 or 2 (or contradicting an explicit
    /// accuracy), an accuracy other than 2, 4 or 6, an axis with fewer points than the
    /// stencils need, a periodic axis whose coordinates have no period (or a period too
    /// short).
    pub fn compute(&self) -> Result<Vec<Array<T::Output>>> {
        let axes = self.check()?;
        let halos = halo::per_axis(&self.halos, self.f.ndim())?;
        let shape = halo::block_shape(self.f.shape(), &halos)?;
        let mut outs: Vec<Array<T::Output>> = axes
            .iter()
            .map(|_| Array::zeros_like_with_shape(&self.f, &shape[..]))
            .collect();
        let mut views: SmallVec<[ArrayViewMut<'_, T::Output>; 4]> =
            outs.iter_mut().map(|o| o.view_mut()).collect();
        self.write(&axes, &halos, &mut views)?;
        drop(views);
        Ok(outs)
    }

    /// Writes the gradient along every selected axis into `outs`, one output per axis
    /// in order (each an `Array` or a mutable view of the result's shape, any layout),
    /// without allocating outputs; outputs in standard layout take the one pass over the
    /// input of [`compute`](Self::compute).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![[1., 2., 6.], [3., 4., 5.]];
    /// let mut outs = vec![Array::<f64>::zeros([2, 3]); 2];
    /// f.gradient().compute_into(&mut outs)?;
    /// assert_eq!(outs, f.gradient().compute()?);
    /// assert!(f.gradient().compute_into(&mut outs[..1]).is_err()); // one per axis
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, outs: &mut [impl AsViewMut<T::Output>]) -> Result<()> {
        let axes = self.check()?;
        if outs.len() != axes.len() {
            return Err(CalcError::OutputCount {
                op: "gradient",
                expected: axes.len(),
                found: outs.len(),
            });
        }
        let halos = halo::per_axis(&self.halos, self.f.ndim())?;
        let shape = halo::block_shape(self.f.shape(), &halos)?;
        for o in outs.iter() {
            check_out_shape(&shape, o.shape())?;
        }
        let mut views: SmallVec<[ArrayViewMut<'_, T::Output>; 4]> =
            outs.iter_mut().map(|o| o.view_mut()).collect();
        self.write(&axes, &halos, &mut views)
    }

    /// Writes the gradient along every selected axis into `outs` (checked): a large
    /// standard-layout input with numpy's stencils along all its axes is read once for
    /// all of them (see [`fused`]), anything else in one pass per axis. Large outputs,
    /// new or the caller's, are stored around the caches (see [`streamed`]).
    fn write(
        &self,
        axes: &[usize],
        halos: &[Halo],
        outs: &mut [ArrayViewMut<'_, T::Output>],
    ) -> Result<()> {
        let gaps = self.opts.gaps("gradient", self.f.shape(), halos)?;
        let stencils = (0..axes.len())
            .map(|k| self.axis_block(axes, k, halos))
            .collect::<Result<SmallVec<[_; 4]>>>()?;
        let all = axes.len() >= 2 && axes.iter().copied().eq(0..self.f.ndim());
        let whole = halos.iter().all(|h| *h == Halo::default());
        // Decided on each whole output, not on the parts threads write.
        let stream = |o: &ArrayViewMut<'_, T::Output>| streamed::<T::Output>(o.len());
        if let Some(gaps) = &gaps {
            for (k, (block, o)) in stencils.iter().zip(outs.iter_mut()).enumerate() {
                self.skip(block, gaps, o, axes, k, stream(o))?;
            }
            return Ok(());
        }
        if all && whole && self.f.len() >= FUSE && fuse(&self.f, &stencils, outs) {
            return Ok(());
        }
        for (k, ((x, st), o)) in stencils.iter().zip(outs.iter_mut()).enumerate() {
            st.apply(x, o, axes[k], stream(o))?;
        }
        Ok(())
    }

    /// Writes the gradient along the `k`-th selected axis with the missing samples
    /// skipped (see [`crate::runs`]); with `stream`, the tiles that likely have none
    /// missing are stored around the caches as the plain pass's are.
    fn skip(
        &self,
        (x, st): &(ArrayView<'_, T>, AxisStencil<RealOf<T>>),
        gaps: &Gaps<'_, '_>,
        out: &mut ArrayViewMut<'_, T::Output>,
        axes: &[usize],
        k: usize,
        stream: bool,
    ) -> Result<()> {
        let opts = &self.opts;
        let ends = opts.is_numpy().then(|| opts.end_order()).transpose()?;
        let rule = AxisRuns {
            stencil: st,
            ends,
            accuracy: opts.accuracy(),
        };
        let ax = opts.run_axis(k, axes[k], 1, ends);
        let pieces = st.lane_pieces();
        let kernel = |x: &ArrayView<'_, T>, y: &mut ArrayViewMut<'_, _>, axis, points, around| {
            st.apply_points(x, y, axis, points, stream && around)
        };
        runs::write(x, gaps, out, &ax, &rule, &kernel, pieces.as_deref(), stream)
    }

    /// The input and the stencil of the `k`-th selected axis for the block inside
    /// `halos` (one per axis).
    fn axis_block(
        &self,
        axes: &[usize],
        k: usize,
        halos: &[Halo],
    ) -> Result<(ArrayView<'a, T>, AxisStencil<RealOf<T>>)> {
        let x = halo::cut_others(&self.f, halos, axes[k])?;
        Ok((x, self.axis_stencil(axes, k, halos[axes[k]])?))
    }

    /// Checks the input, the axes, the edge order, the accuracy and the number of
    /// spacings; returns the selected axes.
    fn check(&self) -> Result<SmallVec<[usize; 4]>> {
        let ndim = self.f.ndim();
        if ndim == 0 {
            return Err(CalcError::ZeroDimensional { op: "gradient" });
        }
        let axes = match &self.axes {
            Some(a) => normalize_axes(a, ndim)?,
            None => (0..ndim).collect(),
        };
        self.opts.check(axes.len())?;
        Ok(axes)
    }

    /// The coefficients of the `k`-th selected axis, for the block inside `halo` (after
    /// [`check`](Self::check)).
    fn axis_stencil(&self, axes: &[usize], k: usize, halo: Halo) -> Result<AxisStencil<RealOf<T>>> {
        let axis = axes[k];
        let n = self.f.shape()[axis];
        if !self.opts.is_numpy() {
            return Ok(AxisStencil::Wide(
                self.opts.wide_stencil(k, axis, n, 1, halo)?,
            ));
        }
        let keep = halo.block(axis, n)?;
        let ends = self.opts.end_order()?;
        if n < ends + 1 {
            let reason = match self.opts.accuracy {
                Some(a) => format!("accuracy {a}"),
                None => format!("edge_order {ends}"),
            };
            return Err(CalcError::TooFewPoints {
                axis,
                len: n,
                needed: ends + 1,
                reason,
            });
        }
        numpy_stencil(self.opts.spacing(k), axis, n, ends, keep)
    }
}

/// numpy's stencils along `axis` (of length `n`) with ends of `ends` (1 or 2, `n > ends`),
/// writing the points `keep`; numpy's weights in numpy's type for them: a scalar step is
/// a Python float (the data's type, from f64), coordinates keep theirs and promote
/// against the data.
fn numpy_stencil<R: Real>(
    spacing: &Spacing,
    axis: usize,
    n: usize,
    ends: usize,
    keep: Range<usize>,
) -> Result<AxisStencil<R>> {
    let steps = spacing.resolve(axis, n)?;
    Ok(match spacing.coord_type() {
        None => AxisStencil::Numpy(NumpyStencil::new::<f64>(&steps, n, ends).keep(keep)),
        Some(CoordType::F32) => {
            AxisStencil::Numpy(NumpyStencil::new::<f32>(&steps, n, ends).keep(keep))
        }
        Some(CoordType::F64) => {
            AxisStencil::Promoted(NumpyStencil::new::<f64>(&steps, n, ends).keep(keep))
        }
    })
}

/// Writes into `y` numpy's gradient at `points` of the run `x` (1-D), as
/// `np.gradient(x, spacing, edge_order=ends)` computes it, with `edge_order=1` for a run
/// too short for `ends` and NaN for a run of one sample.
pub(crate) fn numpy_run<T: Promote>(
    x: &ArrayView<'_, T>,
    spacing: &Spacing,
    ends: usize,
    points: Range<usize>,
    y: &mut ArrayViewMut<'_, T::Output>,
) -> Result<()> {
    let n = x.len();
    if n < 2 {
        for k in 0..points.len() {
            y[[k]] = runs::nan();
        }
        return Ok(());
    }
    let ends = if n > ends { ends } else { 1 };
    numpy_stencil::<RealOf<T>>(spacing, 0, n, ends, points)?.apply(x, y, 0, false)
}

impl<'a, T: Promote> GradientAxis<'a, T> {
    /// See [`Gradient::spacing`].
    pub fn spacing(self, s: impl Into<Spacing>) -> Self {
        GradientAxis {
            inner: self.inner.spacing(s),
            ..self
        }
    }

    /// See [`Gradient::edge_order`].
    pub fn edge_order(self, edge_order: usize) -> Self {
        GradientAxis {
            inner: self.inner.edge_order(edge_order),
            ..self
        }
    }

    /// See [`Gradient::accuracy`] (beyond numpy).
    pub fn accuracy(self, accuracy: usize) -> Self {
        GradientAxis {
            inner: self.inner.accuracy(accuracy),
            ..self
        }
    }

    /// See [`Gradient::boundary`] (beyond numpy).
    pub fn boundary(self, boundary: Boundary) -> Self {
        GradientAxis {
            inner: self.inner.boundary(boundary),
            ..self
        }
    }

    /// The input is a block of a larger array with a halo along the selected axis: `lo`
    /// samples of the array before the block and `hi` after it. The result covers the
    /// block only (the axis's length less `lo + hi`), and equals the whole array's
    /// gradient there bit for bit when each halo is at least [`reach`](Self::reach) or
    /// reaches the array's end:
    ///
    /// * a halo shorter than `reach()` means the array ends there (`lo == 0`: the block
    ///   starts at the array's first sample), so the end formulas apply as on the whole;
    /// * coordinates given to [`spacing`](Self::spacing) are the input's, halo included;
    ///   on an axis whose steps are uneven somewhere, mark them
    ///   [`Spacing::uneven`](crate::Spacing::uneven) (numpy decides between its uniform
    ///   and uneven formulas on the whole axis);
    /// * on a periodic axis the caller passes wrapped halos of at least `reach()`.
    ///
    /// See the [`halo`](mod@crate::halo) module for the rule and
    /// [`Gradient::halos`] for several axes.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = Array::from_shape_fn([10], |i| (i[0] * i[0] * i[0]) as f64);
    /// let grad = f.gradient().edge_order(2).axis(0);
    /// let whole = grad.compute()?;
    /// let (lo, hi) = grad.reach();                        // (2, 2)
    /// // Blocks [0, 4), [4, 5) and [5, 10), each with its halo clipped at the ends.
    /// let mut parts = Vec::new();
    /// for (start, end) in [(0usize, 4usize), (4, 5), (5, 10)] {
    ///     let (a, b) = (start.saturating_sub(lo), (end + hi).min(10));
    ///     let block = f.slice_axis(0, Slice::new(a as isize, b as isize, 1))?;
    ///     let g = block.gradient().edge_order(2).axis(0).halo(start - a, b - end).compute()?;
    ///     parts.extend(g.iter().copied());
    /// }
    /// assert_eq!(Array::from_vec(parts), whole);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn halo(self, lo: usize, hi: usize) -> Self {
        GradientAxis {
            halo: Halo::new(lo, hi),
            ..self
        }
    }

    /// The halo a block needs before and after it along the axis for these options:
    /// with numpy's ends, `edge_order` (1 or 2); at accuracy 4 and 6, the width of the
    /// one-sided end stencils less one (5 and 7), so that a block inside the end region
    /// sees every sample its end formula reads; with a periodic boundary, the interior
    /// stencil's half width; at an end with ghost samples, the interior stencil's
    /// neighbours, raised on the other side to what that end reads into the axis.
    /// See [`halo`](Self::halo).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![1., 2., 4., 7., 11.];
    /// assert_eq!(f.gradient().axis(0).reach(), (1, 1));
    /// assert_eq!(f.gradient().edge_order(2).axis(0).reach(), (2, 2));
    /// assert_eq!(f.gradient().accuracy(4).axis(0).reach(), (5, 5));
    /// assert_eq!(f.gradient().accuracy(6).axis(0).reach(), (7, 7));
    /// let sides = f.gradient().boundary_sides(Boundary::Reflect, Boundary::Numpy);
    /// assert_eq!(sides.axis(0).reach(), (2, 1));
    /// ```
    pub fn reach(&self) -> (usize, usize) {
        self.inner.reach()
    }

    /// The halos of every axis: none but the selected axis's.
    fn halos(&self, axes: &[usize]) -> SmallVec<[Halo; 4]> {
        let mut halos: SmallVec<[Halo; 4]> =
            (0..self.inner.f.ndim()).map(|_| Halo::default()).collect();
        halos[axes[0]] = self.halo;
        halos
    }

    /// See [`Gradient::boundary_sides`] (beyond numpy).
    pub fn boundary_sides(self, lo: Boundary, hi: Boundary) -> Self {
        GradientAxis {
            inner: self.inner.boundary_sides(lo, hi),
            ..self
        }
    }

    /// See [`Gradient::missing`] (beyond numpy).
    pub fn missing(self, missing: Missing) -> Self {
        GradientAxis {
            inner: self.inner.missing(missing),
            ..self
        }
    }

    /// See [`Gradient::mask`] (beyond numpy).
    pub fn mask(self, valid: &'a impl ndcore::ArrayLike<bool>) -> Self {
        GradientAxis {
            inner: self.inner.mask(valid),
            ..self
        }
    }

    /// The gradient along the selected axis, a new array of the input's shape (less the
    /// halo; in the input's memory order).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![[10., 20., 30.], [40., 50., 60.]];
    /// assert_eq!(f.gradient().axis(-1).compute().unwrap(), array![[10., 10., 10.], [10., 10., 10.]]);
    /// ```
    pub fn compute(&self) -> Result<Array<T::Output>> {
        let g = &self.inner;
        if let Some((x, h, ends)) = self.lean() {
            let st = NumpyStencil::new::<f64>(&AxisSpacing::Uniform(h), x.len(), ends);
            return Ok(Array::from_vec(gradient_vec(x, &st)));
        }
        let axes = g.check()?;
        let halos = self.halos(&axes);
        let shape = halo::block_shape(g.f.shape(), &halos)?;
        let mut out = Array::zeros_like_with_shape(&g.f, shape);
        g.write(&axes, &halos, &mut [out.view_mut()])?;
        Ok(out)
    }

    /// The input, step and end order of a call that can take the lean path: a short
    /// contiguous 1-D input with numpy's stencils and a scalar step, which is valid as
    /// given. Anything else (errors included) takes the general path.
    fn lean(&self) -> Option<(&'a [T], f64, usize)> {
        let g = &self.inner;
        let ends = g.opts.end_order().ok()?;
        let x =
            g.f.as_slice()
                .filter(|x| g.f.ndim() == 1 && (ends + 1..=SHORT).contains(&x.len()))?;
        let h = match g.opts.spacings() {
            [] => 1.0,
            [s] => s.as_step()?,
            _ => return None,
        };
        let plain = matches!(g.axes.as_deref(), Some([0 | -1]))
            && g.opts.is_numpy()
            && g.opts.missing == Missing::Propagate
            && g.opts.mask.is_none()
            && self.halo == Halo::default();
        plain.then_some((x, h, ends))
    }

    /// Writes the gradient into `out` (an `Array` or a mutable view of the input's
    /// shape, any layout) without allocating an output.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let f = array![1., 2., 4., 7.];
    /// let mut out = Array::<f64>::zeros([4]);
    /// f.gradient().axis(0).compute_into(&mut out).unwrap();
    /// assert_eq!(out, array![1., 1.5, 2.5, 3.]);
    /// let mut wrong = Array::<f64>::zeros([3]);
    /// assert!(f.gradient().axis(0).compute_into(&mut wrong).is_err());
    /// ```
    pub fn compute_into(&self, out: &mut impl AsViewMut<T::Output>) -> Result<()> {
        let g = &self.inner;
        let axes = g.check()?;
        let halos = self.halos(&axes);
        check_out_shape(&halo::block_shape(g.f.shape(), &halos)?, out.shape())?;
        g.write(&axes, &halos, &mut [out.view_mut()])
    }
}
