//! The weights of one axis of a wide stencil ([`WideStencil`]): the interior rule, its
//! width and the one-sided stencils of the points near the two ends.

use std::ops::Range;
use std::sync::Arc;

use ndcore::{Lane, LaneMut};
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
    /// kernel reads `K` slices), shared, so that a copy of the stencil for a block of
    /// points copies no weights.
    Varying(Arc<[Vec<R>]>),
}

/// Where neighbour `j` of a point reads its value: a sample of the axis (beyond an end
/// with ghost samples, the one `np.pad` would copy), or a constant ghost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Source<R> {
    Sample(usize),
    Value(R),
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
    /// The boundary at the start and at the end (inside the array, see
    /// [`WideStencil::build`], a side past a whole halo reads no ghost).
    sides: [Boundary; 2],
    /// The points written: all `0..n`, or a block's range (see [`crate::halo`]).
    pub(super) keep: Range<usize>,
    pub(super) rule: InteriorRule<R>,
    /// Points `0..lo` if the start is [`Boundary::Numpy`], then `n-hi..n` if the end is
    /// (at most 3 + 3 with a uniform step, inline; 3 + 4 with coordinates, which
    /// allocate their weights anyway).
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
/// whether the axis resolved to a uniform step): the one-sided stencils of a numpy end
/// (never narrower than the interior rule), else the interior rule, whose ghosts then
/// all mirror or wrap onto samples.
fn needed_points(order: usize, accuracy: usize, ghosts: bool, uniform: bool) -> usize {
    if ghosts {
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

/// The halo a block needs before and after it for derivative `order` at `accuracy` with
/// `sides`: on each side the interior rule's neighbours there (the second derivative may
/// take one more on the right, with coordinates), and, unless the axis wraps, at least
/// how deep the other end's treatment reads into the axis when the block holds that end:
/// the end width less one for a [`Boundary::Numpy`] end formula; for a ghost end, its
/// neighbours (the ghosts' coordinates mirror that many samples, whatever their values).
pub(crate) fn reach(order: usize, accuracy: usize, sides: [Boundary; 2]) -> (usize, usize) {
    let half = accuracy / 2;
    let nbrs = [half, interior_width(order, accuracy, false) - 1 - half];
    if sides[0] == Boundary::Periodic {
        return (nbrs[0], nbrs[1]);
    }
    let depth = |s: usize| match sides[s] {
        Boundary::Numpy => end_width(order, accuracy) - 1,
        _ => nbrs[s],
    };
    (nbrs[0].max(depth(1)), nbrs[1].max(depth(0)))
}

/// Why [`needed_points`] are needed, for the error message.
fn needed_reason(order: usize, accuracy: usize, sides: [Boundary; 2], uniform: bool) -> String {
    let ghosts = !sides.contains(&Boundary::Numpy);
    let what = if order == 1 {
        "the first derivative"
    } else {
        "the second derivative"
    };
    if ghosts {
        let on = if order == 2 && !uniform {
            " on non-uniform coordinates"
        } else {
            ""
        };
        let with = if sides[0] == Boundary::Periodic {
            "a periodic boundary"
        } else {
            "ghost samples beyond the ends"
        };
        format!(
            "{what} at accuracy {accuracy} with {with}{on} ({}-point stencils)",
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
        sides: [Boundary; 2],
        halo: Halo,
    ) -> Result<Self> {
        let keep = halo.block(axis, n)?;
        // Both or neither (checked with the options).
        let periodic = sides[0] == Boundary::Periodic;
        let resolved = spacing.resolve(axis, n)?;
        let (reach_lo, reach_hi) = reach(order, accuracy, sides);
        // A side with a halo of the whole reach is inside the array: no point of the
        // block reads past the input there, nor takes that end's formula. A shorter halo
        // means the array ends there, so that end's boundary applies at the input's end.
        let inside = [halo.lo >= reach_lo, halo.hi >= reach_hi];
        let grid = if periodic && halo != Halo::default() {
            // Wrapped halos of the whole reach: no point of the block reaches past the
            // input, so the input's own wrap (and a period) is never used.
            halo.check_periodic(axis, (reach_lo, reach_hi))?;
            Ok(match resolved {
                crate::spacing::AxisSpacing::Uniform(h) => Grid::Uniform(h),
                crate::spacing::AxisSpacing::Steps(_) => Grid::Coords {
                    x: spacing.values().unwrap_or_default().to_vec(),
                    period: None,
                },
            })
        } else {
            // Only an end the input holds can decide whether its mirrored steps are
            // uniform.
            let ends = [0, 1].map(|s| if inside[s] { Boundary::Numpy } else { sides[s] });
            spacing
                .grid(axis, n, periodic)
                .map(|g| mirror_steps(g, spacing.values(), ends))
        };
        let sides = if periodic {
            sides
        } else {
            // A constant ghost builds no end formula and is never read by the block.
            [0, 1].map(|s| {
                if inside[s] {
                    Boundary::Constant(0.0)
                } else {
                    sides[s]
                }
            })
        };
        let uniform = !matches!(grid, Ok(Grid::Coords { .. }));
        let ghosts = !sides.contains(&Boundary::Numpy);
        let needed = needed_points(order, accuracy, ghosts, uniform);
        // Past a whole halo the axis goes on: only an input holding both ends is short.
        if inside == [false, false] && n < needed {
            return Err(CalcError::TooFewPoints {
                axis,
                len: n,
                needed,
                reason: needed_reason(order, accuracy, sides, uniform),
            });
        }
        let grid = grid?;
        // numpy's formulas in numpy's type for them, as the gradient computes them.
        Ok(match spacing.coord_type() {
            Some(CoordType::F32) => Self::new::<f32>(&grid, n, order, accuracy, sides, keep),
            _ => Self::new::<f64>(&grid, n, order, accuracy, sides, keep),
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
        sides: [Boundary; 2],
        keep: Range<usize>,
    ) -> Self {
        let uniform = matches!(grid, Grid::Uniform(_));
        let ghosts = !sides.contains(&Boundary::Numpy);
        // A block's input may be shorter than the whole axis the check saw.
        debug_assert!(keep != (0..n) || n >= needed_points(order, accuracy, ghosts, uniform));
        let periodic = sides[0] == Boundary::Periodic;
        let [numpy_lo, numpy_hi] = sides.map(|b| b == Boundary::Numpy);
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
                let pts: SmallVec<[f64; 9]> = (0..e).map(|j| j as f64).collect();
                let scaled = |z: usize| -> SmallVec<[R; 9]> {
                    let c = one_sided(z as f64, &pts, order, accuracy);
                    c.iter().map(|&c| r(c / hd)).collect()
                };
                if numpy_lo {
                    for i in 0..half {
                        let w = if numpy {
                            rc(numpy_weights::first_uniform(to_c(h)))
                        } else {
                            scaled(i)
                        };
                        ends.push(OneSided { start: 0, w });
                    }
                }
                if numpy_hi {
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
                // The coordinate of point `idx`, a ghost outside 0..n: shifted by the
                // period, else mirrored about the end sample (`np.pad`'s `reflect` with
                // `reflect_type="odd"`).
                let at = |idx: isize| -> f64 {
                    let ni = n as isize;
                    if idx < 0 {
                        let k = idx.unsigned_abs();
                        if periodic {
                            x[n - k] - period
                        } else {
                            2.0 * x[0] - x[k]
                        }
                    } else if idx >= ni {
                        let k = (idx - ni + 1) as usize;
                        if periodic {
                            x[k - 1] + period
                        } else {
                            2.0 * x[n - 1] - x[n - 1 - k]
                        }
                    } else {
                        x[idx as usize]
                    }
                };
                let mut w: SmallVec<[Vec<R>; 7]> = (0..k).map(|_| vec![R::zero(); n]).collect();
                let first = if numpy_lo { lo } else { 0 };
                let points = first..if numpy_hi { n - hi } else { n };
                // The points written only (a block's: past a whole halo, the input's own
                // ghosts would mix the two ends' coordinates).
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
                let dx = |i: usize| to_c(x[i + 1]) - to_c(x[i]);
                if numpy_lo {
                    for i in 0..lo {
                        let w = if numpy {
                            rc(numpy_weights::first_steps(dx(0), dx(1)))
                        } else {
                            rs(&one_sided(x[i], &x[..e], order, accuracy))
                        };
                        ends.push(OneSided { start: 0, w });
                    }
                }
                if numpy_hi {
                    for q in 0..hi {
                        let w = if numpy {
                            rc(numpy_weights::last_steps(dx(n - 3), dx(n - 2)))
                        } else {
                            rs(&one_sided(x[n - hi + q], &x[n - e..], order, accuracy))
                        };
                        ends.push(OneSided { start: n - e, w });
                    }
                }
                (InteriorRule::Varying(w.into_iter().collect()), ends)
            }
        };
        WideStencil {
            n,
            lo,
            hi,
            sides,
            keep,
            rule,
            ends,
        }
    }

    /// Writes the points `keep` only (of `0..n`), to an output as long as `keep`.
    pub(crate) fn keep(self, keep: Range<usize>) -> Self {
        WideStencil { keep, ..self }
    }

    /// The interior rule of derivative `order` at `accuracy` on the `n` points of
    /// `spacing` (no wrap), at the points where it fits, `lo..n-hi` ([`keep`](Self::keep)),
    /// or `None` if it fits nowhere: what a point of a run too short for the ends of
    /// that accuracy takes when it lies far enough inside.
    pub(crate) fn interior(
        spacing: &Spacing,
        n: usize,
        order: usize,
        accuracy: usize,
    ) -> Result<Option<Self>> {
        let grid = spacing.grid(0, n, false)?;
        let k = interior_width(order, accuracy, matches!(grid, Grid::Uniform(_)));
        if n < k {
            return Ok(None);
        }
        let half = accuracy / 2;
        let keep = half..n - (k - 1 - half);
        // Constant ends build no end formula; no point of `keep` reads past the run.
        let sides = [Boundary::Constant(0.0); 2];
        Ok(Some(match spacing.coord_type() {
            Some(CoordType::F32) => Self::new::<f32>(&grid, n, order, accuracy, sides, keep),
            _ => Self::new::<f64>(&grid, n, order, accuracy, sides, keep),
        }))
    }

    /// Writes the one-sided stencils at the cut ends (`cut`) of the run `r` of lane `x`,
    /// as the run's own end points, into `y` (the whole axis's output lane). Only a
    /// uniform stencil with [`Boundary::Numpy`] ends has end weights that are the same
    /// wherever an axis starts and however long it is: false (nothing written)
    /// otherwise, or for a run shorter than the one-sided stencils.
    pub(crate) fn cut_ends<T: Promote<Output = O>, O: Value<Real = R>>(
        &self,
        x: Lane<'_, T>,
        y: &mut LaneMut<'_, O>,
        r: Range<usize>,
        cut: [bool; 2],
    ) -> bool {
        let reads = self
            .ends
            .iter()
            .map(|e| e.w.len())
            .max()
            .unwrap_or(usize::MAX);
        if matches!(self.rule, InteriorRule::Varying(_))
            || self.sides != [Boundary::Numpy; 2]
            || r.len() < reads
        {
            return false;
        }
        let (s, e, n) = (r.start, r.end, self.n);
        if cut[0] {
            for i in 0..self.lo {
                y[s + i] = self.eval(i, |q| x[s + q]);
            }
        }
        if cut[1] {
            // End point `n - hi + q` of the axis reads `x[n - w ..]`: shifted to the run's end.
            for q in 0..self.hi {
                y[e - self.hi + q] = self.eval(n - self.hi + q, |j| x[j + e - n]);
            }
        }
        true
    }

    /// The number of points of the interior rule.
    pub(super) fn width(&self) -> usize {
        self.lo + self.hi + 1
    }

    /// Whether point `i` is near a [`Boundary::Numpy`] end and takes a one-sided
    /// stencil.
    #[inline]
    pub(super) fn is_end(&self, i: usize) -> bool {
        let [lo, hi] = self.sides;
        (i < self.lo && lo == Boundary::Numpy) || (i >= self.n - self.hi && hi == Boundary::Numpy)
    }

    /// The one-sided stencil of end point `i`.
    #[inline]
    pub(super) fn one_sided(&self, i: usize) -> &OneSided<R> {
        if i < self.lo {
            &self.ends[i]
        } else {
            let first = if self.sides[0] == Boundary::Numpy {
                self.lo
            } else {
                0
            };
            &self.ends[first + i - (self.n - self.hi)]
        }
    }

    /// Where neighbour `j` (`0..width`) of point `i` (not an end point), `i - lo + j`,
    /// reads its value: beyond an end, the sample `np.pad` copies into that ghost, or the
    /// constant.
    #[inline]
    pub(super) fn source(&self, i: usize, j: usize) -> Source<R> {
        let n = self.n;
        let idx = i + j;
        let (side, k, start) = if idx < self.lo {
            (self.sides[0], self.lo - idx, true)
        } else if idx - self.lo >= n {
            (self.sides[1], idx - self.lo - n + 1, false)
        } else {
            return Source::Sample(idx - self.lo);
        };
        // `k` is the ghost's distance beyond the end; the axis holds at least the
        // interior rule's points, so every mirrored or wrapped index is a sample.
        Source::Sample(match (side, start) {
            (Boundary::Constant(c), _) => return Source::Value(R::from_f64(c)),
            (Boundary::Periodic, true) => n - k,
            (Boundary::Periodic, false) => k - 1,
            (Boundary::Edge, true) => 0,
            (Boundary::Edge, false) => n - 1,
            (Boundary::Reflect, true) => k,
            (Boundary::Reflect, false) => n - 1 - k,
            (Boundary::Symmetric, true) => k - 1,
            (Boundary::Symmetric, false) => n - k,
            (Boundary::Numpy, _) => unreachable!("a one-sided end reads no ghost"),
        })
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
            return fixed_sum(&e.w, |j| x(e.start + j).promote());
        }
        self.point(i, |j| match self.source(i, j) {
            Source::Sample(q) => x(q).promote(),
            Source::Value(c) => O::from_real(c),
        })
    }

    /// The interior rule at point `i` over its neighbours `at(0..width)`; the same
    /// operation order as the slice kernels.
    #[inline]
    pub(super) fn point<O: Value<Real = R>>(&self, i: usize, at: impl Fn(usize) -> O) -> O {
        // `Central` and `Antisym` are centred: `lo = hi = half`.
        let h = self.lo;
        match &self.rule {
            InteriorRule::Central(two_h) => (at(2) - at(0)).div_real(*two_h),
            InteriorRule::Antisym(w) => antisym_sum(w, |j| at(h + j), |j| at(h - j)),
            InteriorRule::Fixed(w) => fixed_sum(w, at),
            InteriorRule::Varying(w) => {
                let mut acc = at(0).scale(w[0][i]);
                for (j, wj) in w.iter().enumerate().skip(1) {
                    acc = acc + at(j).scale(wj[i]);
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

/// Uniform coordinates stay uniform only if the mirrored ghost steps are exactly the
/// step too (numpy's rule on the padded coordinates); else they are coordinates.
fn mirror_steps(grid: Grid, x: Option<&[f64]>, sides: [Boundary; 2]) -> Grid {
    let (Grid::Uniform(h), Some(x)) = (&grid, x) else {
        return grid;
    };
    let n = x.len();
    let mirrors = |b: Boundary| !matches!(b, Boundary::Numpy | Boundary::Periodic);
    let lo_ok = !mirrors(sides[0]) || x[0] - (2.0 * x[0] - x[1]) == *h;
    let hi_ok = !mirrors(sides[1]) || (2.0 * x[n - 1] - x[n - 2]) - x[n - 1] == *h;
    if n < 2 || (lo_ok && hi_ok) {
        grid
    } else {
        Grid::Coords {
            x: x.to_vec(),
            period: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ghost_sources_follow_np_pad() {
        let sources = |b: Boundary, i: usize| -> Vec<Source<f64>> {
            let st = WideStencil::<f64>::new::<f64>(&Grid::Uniform(1.0), 7, 1, 4, [b; 2], 0..7);
            (0..5).map(|j| st.source(i, j)).collect()
        };
        let samples = |q: [usize; 5]| q.map(Source::<f64>::Sample).to_vec();
        assert_eq!(sources(Boundary::Periodic, 0), samples([5, 6, 0, 1, 2]));
        assert_eq!(sources(Boundary::Periodic, 6), samples([4, 5, 6, 0, 1]));
        assert_eq!(sources(Boundary::Edge, 0), samples([0, 0, 0, 1, 2]));
        assert_eq!(sources(Boundary::Reflect, 0), samples([2, 1, 0, 1, 2]));
        assert_eq!(sources(Boundary::Reflect, 6), samples([4, 5, 6, 5, 4]));
        assert_eq!(sources(Boundary::Symmetric, 0), samples([1, 0, 0, 1, 2]));
        assert_eq!(sources(Boundary::Symmetric, 6), samples([4, 5, 6, 6, 5]));
        let (v, s) = (Source::Value(2.5), Source::Sample);
        assert_eq!(
            sources(Boundary::Constant(2.5), 1),
            [v, s(0), s(1), s(2), s(3)]
        );
    }
}
