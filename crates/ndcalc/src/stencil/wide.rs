//! The weights of one axis of a wide stencil ([`WideStencil`]): the interior rule, its
//! width and the one-sided stencils of the points near the two ends.

use std::ops::Range;

use smallvec::SmallVec;

use super::kernels::{antisym_sum, fixed_sum, RunWeights};
use super::weights::{fornberg, one_sided};
use super::Boundary;
use crate::element::{Promote, Real, Value};
use crate::error::{CalcError, Result};
use crate::halo::Halo;
use crate::numpy_weights;
use crate::spacing::{CoordType, Grid, Spacing};

/// The interior rule of a [`WideStencil`] at point `i`, over `x[i-lo ..= i+hi]`.
#[derive(Clone, Debug)]
pub(super) enum InteriorRule<R> {
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

/// The one-sided stencil of a point near a non-wrapping end: `Σ_j w[j] x[start+j]`.
#[derive(Clone, Debug)]
pub(super) struct OneSided<R> {
    pub(super) start: usize,
    pub(super) w: SmallVec<[R; 9]>,
}

/// The weights of one axis for one derivative order at one accuracy; see the
/// [module docs](super).
#[derive(Clone, Debug)]
pub(crate) struct WideStencil<R> {
    pub(super) n: usize,
    /// The neighbours of the interior rule before the point and after it.
    pub(super) lo: usize,
    pub(super) hi: usize,
    periodic: bool,
    /// The points written: all `0..n`, or a block's range (see [`crate::halo`]).
    pub(super) keep: Range<usize>,
    pub(super) rule: InteriorRule<R>,
    /// Without wrap: points `0..lo`, then `n-hi..n` (at most 3 + 3 with a uniform step,
    /// inline; 3 + 4 with coordinates, which allocate their weights anyway).
    ends: SmallVec<[OneSided<R>; 6]>,
}

/// The number of points of the interior rule of derivative `order` at `accuracy`:
/// `accuracy + 1` centred points, or `accuracy + 2` for the second derivative on
/// non-uniform coordinates (see the [module docs](super)).
fn interior_width(order: usize, accuracy: usize, uniform: bool) -> usize {
    if order == 2 && !uniform {
        accuracy + 2
    } else {
        accuracy + 1
    }
}

/// The least axis length a stencil of derivative `order` at `accuracy` needs (`uniform`:
/// whether the axis resolved to a uniform step).
fn needed_points(order: usize, accuracy: usize, periodic: bool, uniform: bool) -> usize {
    if periodic {
        interior_width(order, accuracy, uniform)
    } else {
        end_width(order, accuracy)
    }
}

/// The number of points of the one-sided stencils at a non-wrapping end: at accuracy 2
/// the `accuracy + order` the order needs (numpy's three for the first derivative, the
/// textbook four for the second), at accuracy 4 and 6 one more (see [`super::weights`]).
fn end_width(order: usize, accuracy: usize) -> usize {
    if accuracy == 2 {
        accuracy + order
    } else {
        accuracy + order + 1
    }
}

/// The halo a block needs on each side for derivative `order` at `accuracy`: without
/// wrap, the farthest an end formula reads, the end width less one (so that a block in
/// the end region sees every sample its formula reads); with wrap, the interior rule's
/// neighbours (the second derivative may take one more on the right, with coordinates).
pub(crate) fn reach(order: usize, accuracy: usize, periodic: bool) -> (usize, usize) {
    let half = accuracy / 2;
    match (periodic, order) {
        (true, 2) => (half, interior_width(2, accuracy, false) - 1 - half),
        (true, _) => (half, half),
        (false, _) => (
            end_width(order, accuracy) - 1,
            end_width(order, accuracy) - 1,
        ),
    }
}

/// Why [`needed_points`] are needed, for the error message.
fn needed_reason(order: usize, accuracy: usize, periodic: bool, uniform: bool) -> String {
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
impl<R: Real> WideStencil<R> {
    /// The stencil of derivative `order` at `accuracy` along `axis` (of length `n`) with
    /// `spacing`, for the block inside `halo`: checks the halo, the coordinates (1-D, as
    /// long as the axis), then the axis length (for the uniform width while the period
    /// is unchecked), then the period.
    pub(crate) fn build(
        spacing: &Spacing,
        axis: usize,
        n: usize,
        order: usize,
        accuracy: usize,
        boundary: Boundary,
        halo: Halo,
    ) -> Result<Self> {
        let keep = halo.block(axis, n)?;
        let periodic = boundary == Boundary::Periodic;
        let resolved = spacing.resolve(axis, n)?;
        let grid = if periodic && halo != Halo::default() {
            // Wrapped halos of the whole reach: no point of the block reaches past the
            // input, so the input's own wrap (and a period) is never used.
            halo.check_periodic(axis, reach(order, accuracy, true))?;
            Ok(match resolved {
                crate::spacing::AxisSpacing::Uniform(h) => Grid::Uniform(h),
                crate::spacing::AxisSpacing::Steps(_) => Grid::Coords {
                    x: spacing.values().unwrap_or_default().to_vec(),
                    period: None,
                },
            })
        } else {
            spacing.grid(axis, n, periodic)
        };

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
        let grid = grid?;
        // numpy's formulas in numpy's type for them, as the gradient computes them.
        Ok(match spacing.coord_type() {
            Some(CoordType::F32) => Self::new::<f32>(&grid, n, order, accuracy, periodic, keep),
            _ => Self::new::<f64>(&grid, n, order, accuracy, periodic, keep),
        })
    }

    /// The stencil of derivative `order` (1 or 2) at `accuracy` (2, 4, 6) over `n`
    /// points (at least [`needed_points`]). The first derivative at accuracy 2 takes
    /// numpy's formulas ([`numpy_weights`]) with `edge_order=2` ends, computed in `C`
    /// (the coordinates' type; the other weights are computed in `f64`); the points
    /// `keep` are written.
    fn new<C: Real>(
        grid: &Grid,
        n: usize,
        order: usize,
        accuracy: usize,
        periodic: bool,
        keep: Range<usize>,
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
        let to_c = C::from_f64;
        let rc = |w: [C; 3]| -> SmallVec<[R; 9]> { w.iter().map(|v| r(v.into_f64())).collect() };
        let (rule, ends) = match grid {
            Grid::Uniform(h) => {
                let h = *h;
                let hd = if order == 1 { h } else { h * h };
                let unit: SmallVec<[f64; 8]> = (0..k).map(|j| j as f64 - half as f64).collect();
                let c = fornberg(0.0, &unit, order);
                let rule = if numpy {
                    InteriorRule::Central(r(numpy_weights::central_divisor(to_c(h)).into_f64()))
                } else if order == 1 {
                    InteriorRule::Antisym((1..=half).map(|j| r(c[half + j] / hd)).collect())
                } else {
                    InteriorRule::Fixed(c.iter().map(|&c| r(c / hd)).collect())
                };
                let mut ends = SmallVec::new();
                if !periodic {
                    let pts: SmallVec<[f64; 9]> = (0..e).map(|j| j as f64).collect();
                    let scaled = |z: usize| -> SmallVec<[R; 9]> {
                        let c = one_sided(z as f64, &pts, order, accuracy);
                        c.iter().map(|&c| r(c / hd)).collect()
                    };
                    for i in 0..half {
                        let w = if numpy {
                            rc(numpy_weights::first_uniform(to_c(h)))
                        } else {
                            scaled(i)
                        };
                        ends.push(OneSided { start: 0, w });
                    }
                    for q in 0..half {
                        let w = if numpy {
                            rc(numpy_weights::last_uniform(to_c(h)))
                        } else {
                            scaled(e - half + q)
                        };
                        ends.push(OneSided { start: n - e, w });
                    }
                }
                (rule, ends)
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
                // The interior points written (a block's only: with wrapped halos, the
                // input's own wrap would mix the two ends' coordinates).
                let points = if periodic { 0..n } else { lo..n - hi };
                for i in points.filter(|i| keep.contains(i)) {
                    let xi = x[i];
                    let off: SmallVec<[f64; 8]> = (0..k)
                        .map(|j| at(i as isize + j as isize - lo as isize) - xi)
                        .collect();
                    let wi: SmallVec<[R; 9]> = if numpy {
                        // numpy's steps d1 = x[i] - x[i-1], d2 = x[i+1] - x[i].
                        let at_c = |j: isize| to_c(at(i as isize + j));
                        let (d1, d2) = (to_c(xi) - at_c(-1), at_c(1) - to_c(xi));
                        rc(numpy_weights::interior(d1, d2))
                    } else {
                        rs(&fornberg(0.0, &off, order))
                    };
                    for j in 0..k {
                        w[j][i] = wi[j];
                    }
                }
                let mut ends = SmallVec::new();
                if !periodic {
                    let dx = |i: usize| to_c(x[i + 1]) - to_c(x[i]);
                    for i in 0..lo {
                        let w = if numpy {
                            rc(numpy_weights::first_steps(dx(0), dx(1)))
                        } else {
                            rs(&one_sided(x[i], &x[..e], order, accuracy))
                        };
                        ends.push(OneSided { start: 0, w });
                    }
                    for q in 0..hi {
                        let w = if numpy {
                            rc(numpy_weights::last_steps(dx(n - 3), dx(n - 2)))
                        } else {
                            rs(&one_sided(x[n - hi + q], &x[n - e..], order, accuracy))
                        };
                        ends.push(OneSided { start: n - e, w });
                    }
                }
                (InteriorRule::Varying(w), ends)
            }
        };
        WideStencil {
            n,
            lo,
            hi,
            periodic,
            keep,
            rule,
            ends,
        }
    }

    /// The number of points of the interior rule.
    pub(super) fn width(&self) -> usize {
        self.lo + self.hi + 1
    }

    /// Whether point `i` is near a non-wrapping end and takes a one-sided stencil.
    #[inline]
    pub(super) fn is_end(&self, i: usize) -> bool {
        !self.periodic && (i < self.lo || i >= self.n - self.hi)
    }

    /// The one-sided stencil of end point `i`.
    #[inline]
    pub(super) fn one_sided(&self, i: usize) -> &OneSided<R> {
        if i < self.lo {
            &self.ends[i]
        } else {
            &self.ends[self.lo + i - (self.n - self.hi)]
        }
    }

    /// The index of neighbour `j` (`0..width`) of point `i` (`i - lo + j`), wrapping when
    /// periodic.
    #[inline]
    pub(super) fn neighbour(&self, i: usize, j: usize) -> usize {
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
    pub(super) fn eval<T: Promote<Output = O>, O: Value<Real = R>>(
        &self,
        i: usize,
        x: impl Fn(usize) -> T,
    ) -> O {
        if self.is_end(i) {
            let e = self.one_sided(i);
            return fixed_sum(&e.w, |j| x(e.start + j));
        }
        // `Central` and `Antisym` are centred: `lo = hi = half`.
        let h = self.lo;
        let at = |j: usize| x(self.neighbour(i, j));
        match &self.rule {
            InteriorRule::Central(two_h) => (at(2).promote() - at(0).promote()).div_real(*two_h),
            InteriorRule::Antisym(w) => antisym_sum(w, |j| at(h + j), |j| at(h - j)),
            InteriorRule::Fixed(w) => fixed_sum(w, at),
            InteriorRule::Varying(w) => {
                let mut acc = at(0).promote().scale(w[0][i]);
                for (j, wj) in w.iter().enumerate().skip(1) {
                    acc = acc + at(j).promote().scale(wj[i]);
                }
                acc
            }
        }
    }

    /// The weights of point `i` (not an end point) for plane order, where one point
    /// covers a whole hyperplane.
    pub(super) fn plane_weights(&self, i: usize) -> RunWeights<'_, R> {
        match &self.rule {
            InteriorRule::Central(t) => RunWeights::Central(*t),
            InteriorRule::Antisym(w) => RunWeights::Antisym(w),
            InteriorRule::Fixed(w) => RunWeights::Fixed(SmallVec::from_slice(w)),
            InteriorRule::Varying(w) => RunWeights::Fixed(w.iter().map(|wj| wj[i]).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_wrap() {
        let st = WideStencil::<f64>::new::<f64>(&Grid::Uniform(1.0), 7, 1, 4, true, 0..7);
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
