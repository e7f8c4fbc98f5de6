//! K-point derivative stencils (K = 3 to 9): what ndcalc offers beyond `np.gradient`.
//!
//! A [`Wide`] stencil holds the weights of one axis for one derivative order (1 or 2) at
//! one accuracy (2, 4 or 6), computed once per axis in `f64` and rounded to the data's
//! real type:
//!
//! * the rule for a point with `lo` neighbours before it and `hi` after it, `x[i-lo ..=
//!   i+hi]`: numpy's central difference `(x[i+1] - x[i-1]) / 2h` (first derivative,
//!   accuracy 2, uniform), an antisymmetric sum `Σ w[j] (x[i+j] - x[i-j])` (first
//!   derivative, uniform: the centre weight is exactly zero, so it is never read), fixed
//!   weights (second derivative, uniform) or weights per point (coordinates), from
//!   Fornberg's algorithm;
//! * the width of that rule: `accuracy + 1` points centred on `i` (`lo = hi = half =
//!   accuracy / 2`), except for the second derivative on non-uniform coordinates, which
//!   uses `accuracy + 2` points, `x[i-half ..= i+half+1]` (`lo = half`, `hi = half + 1`).
//!   `m` points give a second derivative of order `m - 2` on an arbitrary grid; the
//!   symmetric `accuracy + 1` points gain the missing order only by the cancellation of a
//!   uniform grid (or, pre-asymptotically, of a smoothly varying one). The extra point is
//!   always on the right: one window per axis keeps the interior `K` shifted slices of a
//!   lane (a window chosen per point, e.g. on the side of the closer extra point, would
//!   need `accuracy + 3` slices with a zero weight each, a slower kernel for a smaller
//!   error constant, not a higher order);
//! * at a [`Boundary::Numpy`] boundary, the `lo` points nearest the start and the `hi`
//!   nearest the end use one-sided stencils of the same order of accuracy as the
//!   interior on any grid: of `accuracy + order` points at accuracy 2, of one more at
//!   accuracy 4 and 6 ([`end_weights`]: the extra point cancels the next error term); at
//!   a [`Boundary::Periodic`] boundary the axis wraps and every point uses the interior
//!   rule.
//!
//! The first derivative at accuracy 2 uses numpy's own formulas (its central difference,
//! its non-uniform three-point weights, its `edge_order=2` edges), so it is bit-identical
//! to `np.gradient(f, x, edge_order=2)`.
//!
//! The loops are the two of DESIGN.md: lane order over contiguous lanes (the interior is
//! `K` shifted slices of the lane), plane order over whole hyperplanes. Both end in the
//! same leaf kernels over slices, monomorphised per `K`, so a 5-point stencil costs
//! little more than a 3-point one: the input is read once and the `K` planes a point
//! needs are in cache. Results of the two orders are identical (same operation order).

use ndcore::{zip_lanes, zip_planes, ArrayView, ArrayViewMut, AsView, Lane, LaneMut};
use smallvec::SmallVec;

use crate::element::{Promote, Real, Value};
use crate::error::{CalcError, Result};
use crate::spacing::Spacing;

/// What happens at the two ends of an axis.
///
/// numpy has only [`Numpy`](Boundary::Numpy) (numpy#21357 asks for more).
///
/// ```
/// use ndcalc::prelude::*;
/// use ndcalc::Boundary;
/// // One period of cos(2 pi t), sampled at 8 points.
/// let n = 8;
/// let h = 1.0 / n as f64;
/// let f = Array::from_shape_fn([n], |i| (std::f64::consts::TAU * i[0] as f64 * h).cos());
/// let g = f.gradient().spacing(h).boundary(Boundary::Periodic).axis(0).compute()?;
/// // The ends are central differences across the wrap, like every other point.
/// let wrap = (f[[1]] - f[[n - 1]]) / (2.0 * h);
/// assert_eq!(g[[0]], wrap);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Boundary {
    /// numpy's: one-sided differences at the two ends (of `edge_order` for the numpy
    /// gradient, of the stencil's accuracy otherwise).
    #[default]
    Numpy,
    /// The axis wraps around: the point after the last is the first, so every point is
    /// an interior point. With coordinates, give the period with
    /// [`Spacing::periodic_coords`](crate::Spacing::periodic_coords); a scalar step `h`
    /// implies the period `n h`.
    Periodic,
}

/// The resolved sample positions of one axis, for [`Wide`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Grid {
    /// Every step is `h` (a scalar, or coordinates whose steps are all exactly equal).
    Uniform(f64),
    /// The coordinates of the samples, and the period when the axis wraps.
    Coords { x: Vec<f64>, period: Option<f64> },
}

/// Fornberg's algorithm (Math. Comp. 51, 1988): the weights `w` with
/// `Σ w[j] f(x[j]) ≈ f^(order)(z)`, exact for polynomials of degree `x.len() - 1`.
/// `order <= 2`.
pub(crate) fn fornberg(z: f64, x: &[f64], order: usize) -> SmallVec<[f64; 9]> {
    let n = x.len();
    let m = order;
    let mut c: SmallVec<[[f64; 3]; 9]> = SmallVec::from_elem([0.0; 3], n);
    c[0][0] = 1.0;
    let (mut c1, mut c4) = (1.0, x[0] - z);
    for i in 1..n {
        let mn = i.min(m);
        let mut c2 = 1.0;
        let c5 = c4;
        c4 = x[i] - z;
        for j in 0..i {
            let c3 = x[i] - x[j];
            c2 *= c3;
            if j == i - 1 {
                for k in (1..=mn).rev() {
                    c[i][k] = c1 * (k as f64 * c[i - 1][k - 1] - c5 * c[i - 1][k]) / c2;
                }
                c[i][0] = -c1 * c5 * c[i - 1][0] / c2;
            }
            for k in (1..=mn).rev() {
                c[j][k] = (c4 * c[j][k] - k as f64 * c[j][k - 1]) / c3;
            }
            c[j][0] = c4 * c[j][0] / c3;
        }
        c1 = c2;
    }
    c.iter().map(|r| r[m]).collect()
}

/// The interior rule of a [`Wide`] stencil at point `i`, over `x[i-lo ..= i+hi]`.
#[derive(Clone, Debug)]
enum Rule<R> {
    /// numpy's `(x[i+1] - x[i-1]) / two_h`.
    Central(R),
    /// `Σ_{j=1..=half} w[j-1] (x[i+j] - x[i-j])`, summed in order of `j` (`lo = hi =
    /// half`).
    Antisym(SmallVec<[R; 3]>),
    /// `Σ_j w[j] x[i-lo+j]`, summed left to right.
    Fixed(SmallVec<[R; 8]>),
    /// As `Fixed` with weights per point: `w[j][i]` (structure of arrays, so the lane
    /// kernel reads `K` slices).
    /// (Seven inline: an 8-point rule spills to one allocation per axis.)
    Varying(SmallVec<[Vec<R>; 7]>),
}

/// A one-sided stencil of a point near a non-wrapping end: `Σ_j w[j] x[start+j]`.
#[derive(Clone, Debug)]
struct EdgePoint<R> {
    start: usize,
    w: SmallVec<[R; 9]>,
}

/// The weights of one axis; see the [module docs](self).
#[derive(Clone, Debug)]
pub(crate) struct Wide<R> {
    n: usize,
    /// The neighbours of the interior rule before the point and after it.
    lo: usize,
    hi: usize,
    periodic: bool,
    rule: Rule<R>,
    /// Without wrap: points `0..lo`, then `n-hi..n` (at most 3 + 3 with a uniform step,
    /// inline; 3 + 4 with coordinates, which allocate their weights anyway).
    edges: SmallVec<[EdgePoint<R>; 6]>,
}

/// The number of points of the interior rule of derivative `order` at `accuracy`:
/// `accuracy + 1` centred points, or `accuracy + 2` for the second derivative on
/// non-uniform coordinates (see the [module docs](self)).
fn interior_width(order: usize, accuracy: usize, uniform: bool) -> usize {
    if order == 2 && !uniform {
        accuracy + 2
    } else {
        accuracy + 1
    }
}

/// The least axis length a stencil of derivative `order` at `accuracy` needs (`uniform`:
/// whether the axis resolved to a uniform step).
pub(crate) fn needed_points(order: usize, accuracy: usize, periodic: bool, uniform: bool) -> usize {
    if periodic {
        interior_width(order, accuracy, uniform)
    } else {
        end_width(order, accuracy)
    }
}

/// The number of points of the one-sided stencils at a non-wrapping end: at accuracy 2
/// the `accuracy + order` the order needs (numpy's three for the first derivative, the
/// textbook four for the second), at accuracy 4 and 6 one more (see [`end_weights`]).
fn end_width(order: usize, accuracy: usize) -> usize {
    if accuracy == 2 {
        accuracy + order
    } else {
        accuracy + order + 1
    }
}

/// The one-sided weights for `f^(order)(z)` over `x`: Fornberg's at accuracy 2, else
/// [`end_weights`].
fn one_sided(z: f64, x: &[f64], order: usize, accuracy: usize) -> SmallVec<[f64; 9]> {
    if accuracy == 2 {
        fornberg(z, x, order)
    } else {
        end_weights(z, x, order)
    }
}

/// The one-sided weights for `f^(order)(z)` over the `m` points `x` (all on one side
/// of the interior, `m = accuracy + order + 1`): of order `accuracy` with no
/// `h^(accuracy + 1)` error term.
///
/// Fornberg's weights over the `m` points are of order `accuracy + 1`; adding a multiple
/// of the top divided difference (which is zero on every polynomial of degree below
/// `m - 1`) keeps order `accuracy` and can cancel the next error moment instead. The
/// `accuracy + order` points the order needs at the least leave that term, with a
/// coefficient several times the leading one for the second derivative, so their error
/// follows `h^accuracy` only on grids too fine for rounding; these weights follow it
/// from coarse grids on, with a 3 to 4 times smaller error.
fn end_weights(z: f64, x: &[f64], order: usize) -> SmallVec<[f64; 9]> {
    let m = x.len();
    // Offsets in units of the mean step, so that products of m - 1 of them stay in range.
    let s = (x[m - 1] - x[0]).abs() / (m - 1) as f64;
    let u: SmallVec<[f64; 9]> = x.iter().map(|&x| (x - z) / s).collect();
    let w = fornberg(0.0, &u, order);
    let v: SmallVec<[f64; 9]> = (0..m)
        .map(|j| {
            let p: f64 = (0..m).filter(|&i| i != j).map(|i| u[j] - u[i]).product();
            1.0 / p
        })
        .collect();
    let moment = |c: &[f64]| -> f64 { c.iter().zip(&u).map(|(c, u)| c * u.powi(m as i32)).sum() };
    // The divided difference's next moment is the sum of the offsets: several steps for
    // an end point, but near zero if `z` sat at the points' centroid (possible only on a
    // wildly uneven grid), where cancelling would take huge weights; Fornberg's weights
    // alone (one order more) serve there.
    let (mw, mv) = (moment(&w), moment(&v));
    let alpha = if mv.abs() >= 0.5 { -mw / mv } else { 0.0 };
    let scale = s.powi(order as i32);
    w.iter()
        .zip(&v)
        .map(|(w, v)| (w + alpha * v) / scale)
        .collect()
}

/// Why [`needed_points`] are needed, for the error message.
pub(crate) fn needed_reason(
    order: usize,
    accuracy: usize,
    periodic: bool,
    uniform: bool,
) -> String {
    let what = if order == 1 {
        "the first derivative"
    } else {
        "the second derivative"
    };
    if periodic {
        let on = if order == 2 && !uniform {
            " on non-uniform coordinates"
        } else {
            ""
        };
        format!(
            "{what} at accuracy {accuracy} with a periodic boundary{on} ({}-point stencils)",
            interior_width(order, accuracy, uniform)
        )
    } else {
        format!(
            "{what} at accuracy {accuracy} ({}-point one-sided stencils at the ends)",
            end_width(order, accuracy)
        )
    }
}

/// Checks an accuracy: 2, 4 or 6.
pub(crate) fn check_accuracy(accuracy: usize) -> Result<()> {
    if matches!(accuracy, 2 | 4 | 6) {
        Ok(())
    } else {
        Err(CalcError::Accuracy { accuracy })
    }
}

/// Checks a derivative order: 1 or 2.
pub(crate) fn check_order(order: usize) -> Result<()> {
    if matches!(order, 1 | 2) {
        Ok(())
    } else {
        Err(CalcError::DerivativeOrder { order })
    }
}

/// The stencil of derivative `order` at `accuracy` along `axis` (of length `n`) with
/// `spacing`: checks the coordinates (1-D, as long as the axis), then the axis length
/// (for the uniform width while the period is unchecked), then the period.
pub(crate) fn build<R: Real>(
    spacing: &Spacing,
    axis: usize,
    n: usize,
    order: usize,
    accuracy: usize,
    boundary: Boundary,
) -> Result<Wide<R>> {
    let periodic = boundary == Boundary::Periodic;
    spacing.resolve(axis, n)?;
    let grid = spacing.grid(axis, n, periodic);
    let uniform = !matches!(grid, Ok(Grid::Coords { .. }));
    let needed = needed_points(order, accuracy, periodic, uniform);
    if n < needed {
        return Err(CalcError::TooFewPoints {
            axis,
            len: n,
            needed,
            reason: needed_reason(order, accuracy, periodic, uniform),
        });
    }
    Ok(Wide::new(&grid?, n, order, accuracy, periodic))
}

impl<R: Real> Wide<R> {
    /// The stencil of derivative `order` (1 or 2) at `accuracy` (2, 4, 6) over `n`
    /// points (at least [`needed_points`]).
    pub(crate) fn new(
        grid: &Grid,
        n: usize,
        order: usize,
        accuracy: usize,
        periodic: bool,
    ) -> Self {
        let uniform = matches!(grid, Grid::Uniform(_));
        debug_assert!(n >= needed_points(order, accuracy, periodic, uniform));
        let half = accuracy / 2;
        // The interior window `x[i-lo ..= i+hi]`: centred, or one more point on the right
        // for the second derivative on non-uniform coordinates.
        let k = interior_width(order, accuracy, uniform);
        let (lo, hi) = (half, k - 1 - half);
        let e = end_width(order, accuracy);
        let numpy = order == 1 && accuracy == 2;
        let r = R::from_f64;
        let rs = |w: &[f64]| -> SmallVec<[R; 9]> { w.iter().map(|&v| r(v)).collect() };
        let (rule, edges) = match grid {
            Grid::Uniform(h) => {
                let h = *h;
                let hd = if order == 1 { h } else { h * h };
                let unit: SmallVec<[f64; 8]> = (0..k).map(|j| j as f64 - half as f64).collect();
                let c = fornberg(0.0, &unit, order);
                let rule = if numpy {
                    Rule::Central(r(2. * h))
                } else if order == 1 {
                    Rule::Antisym((1..=half).map(|j| r(c[half + j] / hd)).collect())
                } else {
                    Rule::Fixed(c.iter().map(|&c| r(c / hd)).collect())
                };
                let mut edges = SmallVec::new();
                if !periodic {
                    let pts: SmallVec<[f64; 9]> = (0..e).map(|j| j as f64).collect();
                    for i in 0..half {
                        let w = if numpy {
                            rs(&[-1.5 / h, 2. / h, -0.5 / h])
                        } else {
                            let c = one_sided(i as f64, &pts, order, accuracy);
                            c.iter().map(|&c| r(c / hd)).collect()
                        };
                        edges.push(EdgePoint { start: 0, w });
                    }
                    for q in 0..half {
                        let w = if numpy {
                            rs(&[0.5 / h, -2. / h, 1.5 / h])
                        } else {
                            let c = one_sided((e - half + q) as f64, &pts, order, accuracy);
                            c.iter().map(|&c| r(c / hd)).collect()
                        };
                        edges.push(EdgePoint { start: n - e, w });
                    }
                }
                (rule, edges)
            }
            Grid::Coords { x, period } => {
                let period = period.unwrap_or(0.0);
                // The coordinate of point `idx` (may lie outside 0..n when wrapping).
                let at = |idx: isize| -> f64 {
                    let q = idx.rem_euclid(n as isize);
                    let wraps = (idx - q) / n as isize;
                    x[q as usize] + wraps as f64 * period
                };
                let mut w: SmallVec<[Vec<R>; 7]> = (0..k).map(|_| vec![R::zero(); n]).collect();
                let points: Box<dyn Iterator<Item = usize>> = if periodic {
                    Box::new(0..n)
                } else {
                    Box::new(lo..n - hi)
                };
                for i in points {
                    let xi = x[i];
                    let off: SmallVec<[f64; 8]> = (0..k)
                        .map(|j| at(i as isize + j as isize - lo as isize) - xi)
                        .collect();
                    let c: SmallVec<[f64; 9]> = if numpy {
                        // numpy's expressions, with d1 = x[i] - x[i-1], d2 = x[i+1] - x[i].
                        let (d1, d2) = (-off[0], off[2]);
                        SmallVec::from_slice(&[
                            -d2 / (d1 * (d1 + d2)),
                            (d2 - d1) / (d1 * d2),
                            d1 / (d2 * (d1 + d2)),
                        ])
                    } else {
                        fornberg(0.0, &off, order)
                    };
                    for j in 0..k {
                        w[j][i] = r(c[j]);
                    }
                }
                let mut edges = SmallVec::new();
                if !periodic {
                    let dx = |i: usize| x[i + 1] - x[i];
                    for i in 0..lo {
                        let w = if numpy {
                            let (d1, d2) = (dx(0), dx(1));
                            rs(&[
                                -(2. * d1 + d2) / (d1 * (d1 + d2)),
                                (d1 + d2) / (d1 * d2),
                                -d1 / (d2 * (d1 + d2)),
                            ])
                        } else {
                            rs(&one_sided(x[i], &x[..e], order, accuracy))
                        };
                        edges.push(EdgePoint { start: 0, w });
                    }
                    for q in 0..hi {
                        let p = n - hi + q;
                        let w = if numpy {
                            let (d1, d2) = (dx(n - 3), dx(n - 2));
                            rs(&[
                                d2 / (d1 * (d1 + d2)),
                                -(d2 + d1) / (d1 * d2),
                                (2. * d2 + d1) / (d2 * (d1 + d2)),
                            ])
                        } else {
                            rs(&one_sided(x[p], &x[n - e..], order, accuracy))
                        };
                        edges.push(EdgePoint { start: n - e, w });
                    }
                }
                (Rule::Varying(w), edges)
            }
        };
        Wide {
            n,
            lo,
            hi,
            periodic,
            rule,
            edges,
        }
    }

    /// The number of points of the interior rule.
    fn width(&self) -> usize {
        self.lo + self.hi + 1
    }

    /// Whether point `i` takes a one-sided stencil.
    #[inline]
    fn is_edge(&self, i: usize) -> bool {
        !self.periodic && (i < self.lo || i >= self.n - self.hi)
    }

    /// The one-sided stencil of edge point `i`.
    #[inline]
    fn edge(&self, i: usize) -> &EdgePoint<R> {
        if i < self.lo {
            &self.edges[i]
        } else {
            &self.edges[self.lo + i - (self.n - self.hi)]
        }
    }

    /// The index of neighbour `j` (`0..width`) of point `i` (`i - lo + j`), wrapping when
    /// periodic.
    #[inline]
    fn neighbour(&self, i: usize, j: usize) -> usize {
        let idx = i + j + self.n - self.lo;
        if idx >= 2 * self.n {
            idx - 2 * self.n
        } else if idx >= self.n {
            idx - self.n
        } else {
            idx
        }
    }

    /// The value at point `i`, reading the lane through `x`; the same operation order as
    /// the slice kernels.
    #[inline]
    fn eval<T: Promote<Output = O>, O: Value<Real = R>>(
        &self,
        i: usize,
        x: impl Fn(usize) -> T,
    ) -> O {
        if self.is_edge(i) {
            let e = self.edge(i);
            return fixed_sum(&e.w, |j| x(e.start + j));
        }
        // `Central` and `Antisym` are centred: `lo = hi = half`.
        let h = self.lo;
        let at = |j: usize| x(self.neighbour(i, j));
        match &self.rule {
            Rule::Central(two_h) => (at(2).promote() - at(0).promote()).div_real(*two_h),
            Rule::Antisym(w) => antisym_sum(w, |j| at(h + j), |j| at(h - j)),
            Rule::Fixed(w) => fixed_sum(w, at),
            Rule::Varying(w) => {
                let mut acc = at(0).promote().scale(w[0][i]);
                for (j, wj) in w.iter().enumerate().skip(1) {
                    acc = acc + at(j).promote().scale(wj[i]);
                }
                acc
            }
        }
    }

    /// The weights of point `i` (not an edge point) for plane order, where one point
    /// covers a whole hyperplane.
    fn plane_weights(&self, i: usize) -> Weights<'_, R> {
        match &self.rule {
            Rule::Central(t) => Weights::Central(*t),
            Rule::Antisym(w) => Weights::Antisym(w),
            Rule::Fixed(w) => Weights::Fixed(SmallVec::from_slice(w)),
            Rule::Varying(w) => Weights::Fixed(w.iter().map(|wj| wj[i]).collect()),
        }
    }
}

/// `Σ_j w[j] x(j)`, left to right.
#[inline(always)]
fn fixed_sum<T: Promote>(w: &[RealOf<T>], x: impl Fn(usize) -> T) -> T::Output {
    let mut acc = x(0).promote().scale(w[0]);
    for (j, &wj) in w.iter().enumerate().skip(1) {
        acc = acc + x(j).promote().scale(wj);
    }
    acc
}

/// `Σ_j w[j-1] (hi(j) - lo(j))` for `j = 1..=w.len()`, in order.
#[inline(always)]
fn antisym_sum<T: Promote>(
    w: &[RealOf<T>],
    hi: impl Fn(usize) -> T,
    lo: impl Fn(usize) -> T,
) -> T::Output {
    let mut acc = (hi(1).promote() - lo(1).promote()).scale(w[0]);
    for (j, &wj) in w.iter().enumerate().skip(1) {
        acc = acc + (hi(j + 1).promote() - lo(j + 1).promote()).scale(wj);
    }
    acc
}

type RealOf<T> = <<T as Promote>::Output as Value>::Real;

/// How a result is stored: written, or added to / subtracted from what the output holds
/// (the Laplacian, divergence and curl accumulate one axis at a time into one output).
pub(crate) trait Store {
    /// Stores `v` into `y`.
    fn put<V: Value>(y: &mut V, v: V);
}

/// `y = v`.
pub(crate) struct Set;
/// `y = y + v`.
pub(crate) struct Add;
/// `y = y - v`.
pub(crate) struct Sub;

impl Store for Set {
    #[inline(always)]
    fn put<V: Value>(y: &mut V, v: V) {
        *y = v;
    }
}
impl Store for Add {
    #[inline(always)]
    fn put<V: Value>(y: &mut V, v: V) {
        *y = *y + v;
    }
}
impl Store for Sub {
    #[inline(always)]
    fn put<V: Value>(y: &mut V, v: V) {
        *y = *y - v;
    }
}

/// The weights of one run of output points whose inputs are `K` runs (`xs[j]` is the run
/// of neighbour `j`).
enum Weights<'w, R> {
    Central(R),
    Antisym(&'w [R]),
    Fixed(SmallVec<[R; 9]>),
    /// `w[j][k]` for output point `k` of the run (lane order with coordinates).
    Varying(SmallVec<[&'w [R]; 8]>),
}

// ---- leaf kernels: slices in, slices out; `K` is a constant so the neighbour loop
// unrolls and the point loop vectorizes.

#[inline(always)]
fn k_central<T: Promote, S: Store>(y: &mut [T::Output], lo: &[T], hi: &[T], two_h: RealOf<T>) {
    let n = y.len();
    let (lo, hi) = (&lo[..n], &hi[..n]);
    for k in 0..n {
        S::put(
            &mut y[k],
            (hi[k].promote() - lo[k].promote()).div_real(two_h),
        );
    }
}

#[inline(always)]
fn k_antisym<T: Promote, S: Store, const M: usize>(
    y: &mut [T::Output],
    hi: [&[T]; M],
    lo: [&[T]; M],
    w: [RealOf<T>; M],
) {
    let n = y.len();
    let hi = hi.map(|s| &s[..n]);
    let lo = lo.map(|s| &s[..n]);
    for k in 0..n {
        let mut acc = (hi[0][k].promote() - lo[0][k].promote()).scale(w[0]);
        for j in 1..M {
            acc = acc + (hi[j][k].promote() - lo[j][k].promote()).scale(w[j]);
        }
        S::put(&mut y[k], acc);
    }
}

#[inline(always)]
fn k_fixed<T: Promote, S: Store, const K: usize>(
    y: &mut [T::Output],
    x: [&[T]; K],
    w: [RealOf<T>; K],
) {
    let n = y.len();
    let x = x.map(|s| &s[..n]);
    for k in 0..n {
        let mut acc = x[0][k].promote().scale(w[0]);
        for j in 1..K {
            acc = acc + x[j][k].promote().scale(w[j]);
        }
        S::put(&mut y[k], acc);
    }
}

#[inline(always)]
fn k_varying<T: Promote, S: Store, const K: usize>(
    y: &mut [T::Output],
    x: [&[T]; K],
    w: [&[RealOf<T>]; K],
) {
    let n = y.len();
    let x = x.map(|s| &s[..n]);
    let w = w.map(|s| &s[..n]);
    for k in 0..n {
        let mut acc = x[0][k].promote().scale(w[0][k]);
        for j in 1..K {
            acc = acc + x[j][k].promote().scale(w[j][k]);
        }
        S::put(&mut y[k], acc);
    }
}

/// Dispatches a runtime width to the kernel compiled for it.
macro_rules! by_width {
    ($k:expr, $K:ident => $body:expr) => {
        match $k {
            3 => {
                const $K: usize = 3;
                $body
            }
            4 => {
                const $K: usize = 4;
                $body
            }
            5 => {
                const $K: usize = 5;
                $body
            }
            6 => {
                const $K: usize = 6;
                $body
            }
            7 => {
                const $K: usize = 7;
                $body
            }
            8 => {
                const $K: usize = 8;
                $body
            }
            9 => {
                const $K: usize = 9;
                $body
            }
            k => unreachable!("no {k}-point stencil"),
        }
    };
}

/// One run of output points from the `K` input runs `xs`, over slices, with the widest
/// vector instructions the CPU has.
fn run_slices<T: Promote, S: Store>(y: &mut [T::Output], xs: &[&[T]], w: &Weights<'_, RealOf<T>>) {
    let kk = xs.len();
    let h = kk / 2;
    ndcore::with_simd(|| match w {
        Weights::Central(t) => k_central::<T, S>(y, xs[0], xs[2], *t),
        Weights::Antisym(a) => match a.len() {
            2 => k_antisym::<T, S, 2>(
                y,
                [xs[h + 1], xs[h + 2]],
                [xs[h - 1], xs[h - 2]],
                [a[0], a[1]],
            ),
            3 => k_antisym::<T, S, 3>(
                y,
                [xs[h + 1], xs[h + 2], xs[h + 3]],
                [xs[h - 1], xs[h - 2], xs[h - 3]],
                [a[0], a[1], a[2]],
            ),
            m => unreachable!("no antisymmetric rule with {m} weights"),
        },
        Weights::Fixed(wf) => by_width!(kk, K => k_fixed::<T, S, K>(
            y,
            std::array::from_fn(|j| xs[j]),
            std::array::from_fn(|j| wf[j]),
        )),
        Weights::Varying(wv) => by_width!(kk, K => k_varying::<T, S, K>(
            y,
            std::array::from_fn(|j| xs[j]),
            std::array::from_fn(|j| wv[j]),
        )),
    })
}

/// The same over strided runs (never `Varying`).
fn run_strided<T: Promote, S: Store>(
    mut y: LaneMut<'_, T::Output>,
    xs: &[Lane<'_, T>],
    w: &Weights<'_, RealOf<T>>,
) {
    let h = xs.len() / 2;
    for k in 0..y.len() {
        let v = match w {
            Weights::Central(t) => (xs[2][k].promote() - xs[0][k].promote()).div_real(*t),
            Weights::Antisym(a) => antisym_sum(a, |j| xs[h + j][k], |j| xs[h - j][k]),
            Weights::Fixed(wf) => fixed_sum(wf, |j| xs[j][k]),
            Weights::Varying(_) => unreachable!("per-point weights in plane order"),
        };
        S::put(&mut y[k], v);
    }
}

/// One contiguous lane.
fn slice_lane<T: Promote, S: Store>(x: &[T], y: &mut [T::Output], st: &Wide<RealOf<T>>) {
    let (n, lo, hi, kk) = (st.n, st.lo, st.hi, st.width());
    let (x, y) = (&x[..n], &mut y[..n]);
    let m = n - lo - hi;
    let xs: SmallVec<[&[T]; 8]> = (0..kk).map(|j| &x[j..j + m]).collect();
    let w = match &st.rule {
        Rule::Central(t) => Weights::Central(*t),
        Rule::Antisym(a) => Weights::Antisym(a),
        Rule::Fixed(w) => Weights::Fixed(SmallVec::from_slice(w)),
        Rule::Varying(w) => Weights::Varying(w.iter().map(|wj| &wj[lo..n - hi]).collect()),
    };
    run_slices::<T, S>(&mut y[lo..n - hi], &xs, &w);
    for i in (0..lo).chain(n - hi..n) {
        S::put(&mut y[i], st.eval(i, |q| x[q]));
    }
}

/// One lane of any stride.
fn lane<T: Promote, S: Store>(x: Lane<'_, T>, mut y: LaneMut<'_, T::Output>, st: &Wide<RealOf<T>>) {
    if let Some(xs) = x.as_slice() {
        if let Some(ys) = y.as_mut_slice() {
            return slice_lane::<T, S>(xs, ys, st);
        }
    }
    for i in 0..st.n {
        S::put(&mut y[i], st.eval(i, |q| x[q]));
    }
}

/// Applies `st` along `axis` of `x`, storing into `y` (same shape) with `S`: lane order
/// when `axis` is the fastest-varying axis of `x` (or the hyperplanes are tiny), plane
/// order otherwise, in one pass and without temporaries.
pub(crate) fn apply<T: Promote, S: Store>(
    x: &ArrayView<'_, T>,
    y: &mut ArrayViewMut<'_, T::Output>,
    axis: usize,
    st: &Wide<RealOf<T>>,
) -> Result<()> {
    if x.ndim() == 1 {
        if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_slice_mut()) {
            slice_lane::<T, S>(xs, ys, st);
            return Ok(());
        }
    }
    if crate::walk::short_runs(x, axis) {
        zip_lanes(axis, x, y, |xl, yl| lane::<T, S>(xl, yl, st))?;
        return Ok(());
    }
    let kk = st.width();
    zip_planes(axis, x, y, |i, out, p| {
        let mut o = out.plane_mut(i);
        let (lanes, w): (SmallVec<[Lane<'_, T>; 9]>, Weights<'_, RealOf<T>>) = if st.is_edge(i) {
            let e = st.edge(i);
            let lanes = (0..e.w.len()).map(|j| p.plane(e.start + j)).collect();
            (lanes, Weights::Fixed(e.w.clone()))
        } else {
            let lanes = (0..kk).map(|j| p.plane(st.neighbour(i, j))).collect();
            (lanes, st.plane_weights(i))
        };
        let slices: Option<SmallVec<[&[T]; 9]>> = lanes.iter().map(|l| l.as_slice()).collect();
        match (slices, o.as_mut_slice()) {
            (Some(xs), Some(ys)) => run_slices::<T, S>(ys, &xs, &w),
            _ => run_strided::<T, S>(o, &lanes, &w),
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fornberg_known_weights() {
        let c = fornberg(0.0, &[-1., 0., 1.], 1);
        assert_eq!(&c[..], &[-0.5, 0., 0.5]);
        let c = fornberg(0.0, &[-1., 0., 1.], 2);
        assert_eq!(&c[..], &[1., -2., 1.]);
        let c = fornberg(0.0, &[-2., -1., 0., 1., 2.], 1);
        let want = [1. / 12., -2. / 3., 0., 2. / 3., -1. / 12.];
        for (a, b) in c.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{c:?}");
        }
        let c = fornberg(0.0, &[0., 1., 2.], 1);
        assert_eq!(&c[..], &[-1.5, 2., -0.5]);
        let c = fornberg(0.0, &[-3., -2., -1., 0., 1., 2., 3.], 2);
        let want = [
            1. / 90.,
            -3. / 20.,
            1.5,
            -49. / 18.,
            1.5,
            -3. / 20.,
            1. / 90.,
        ];
        for (a, b) in c.iter().zip(want) {
            assert!((a - b).abs() < 1e-14, "{c:?}");
        }
    }

    #[test]
    fn end_weights_cancel_the_next_term() {
        // The 9-point second derivative at the first point: exact up to degree 7 (order
        // 6), no degree-9 moment, and a degree-8 moment of -761/5040 (the 8-point
        // stencil's is -363/560, 4.3 times larger).
        let x: Vec<f64> = (0..9).map(f64::from).collect();
        let w = end_weights(0.0, &x, 2);
        let moment = |m: i32| -> f64 { w.iter().zip(&x).map(|(w, x)| w * x.powi(m)).sum() };
        for m in 0..8 {
            let want = if m == 2 { 2.0 } else { 0.0 };
            assert!((moment(m) - want).abs() < 1e-9, "degree {m}: {}", moment(m));
        }
        assert!(moment(9).abs() < 1e-6, "{}", moment(9));
        assert!((moment(8) / 40320.0 + 761.0 / 5040.0).abs() < 1e-9);
        // A point at the centroid of its points: nothing to cancel with, so Fornberg's
        // weights (one order more) are used as they are.
        let centred = [-4.6, 0.0, 1.0, 1.1, 1.2, 1.3];
        let (a, b) = (end_weights(0.0, &centred, 1), fornberg(0.0, &centred, 1));
        for (a, b) in a.iter().zip(&b) {
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} {b}");
        }
        // Shifting and scaling the points scales the weights by 1 / h^2.
        let xs: Vec<f64> = x.iter().map(|x| 10.0 + 0.5 * x).collect();
        let ws = end_weights(10.0, &xs, 2);
        for (a, b) in ws.iter().zip(&w) {
            assert!((a - 4.0 * b).abs() < 1e-9 * b.abs().max(1.0));
        }
    }

    #[test]
    fn neighbours_wrap() {
        let st = Wide::<f64>::new(&Grid::Uniform(1.0), 7, 1, 4, true);
        assert_eq!(
            (0..5).map(|j| st.neighbour(0, j)).collect::<Vec<_>>(),
            [5, 6, 0, 1, 2]
        );
        assert_eq!(
            (0..5).map(|j| st.neighbour(6, j)).collect::<Vec<_>>(),
            [4, 5, 6, 0, 1]
        );
    }
}
