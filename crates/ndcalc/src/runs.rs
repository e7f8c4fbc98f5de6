//! Missing samples along an axis: the runs of valid samples between them, and the
//! points of a result that the runs recompute.
//!
//! Along an axis the valid samples form runs, and each run is differentiated as its own
//! array (see [`Missing`](crate::Missing)). The plain kernel first writes the result of
//! the whole axis as if nothing were missing; a point whose stencil read only samples of
//! its run, with the formula the run as its own array gives it, is then already right.
//! That is every point but those within the stencil's reach of a run's cut end. So only
//! the lanes holding a missing sample are visited again (found by one pass over the
//! input, or the mask), and in them only those points are recomputed, run by run: the
//! whole run when it is short (its end formulas differ from the whole axis's) or when
//! its coordinates take another of numpy's formulas than the whole axis's (uniform
//! steps where the axis has uneven ones). Missing samples are set to NaN.

use std::ops::Range;

use ndcore::{Array, ArrayView, ArrayViewMut, AsView, AsViewMut, Lane, LaneMut, Slice};
use num_traits::Float;
use smallvec::SmallVec;

use crate::element::{Out, Promote, Value};
use crate::error::Result;
use crate::spacing::{AxisSpacing, Spacing};
use crate::stencil::Boundary;

/// Which samples are missing: the NaN ones ([`Missing::Skip`](crate::Missing::Skip)),
/// those a mask marks `false`, or both.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gaps<'o, 'm> {
    nan: bool,
    mask: Option<&'o ArrayView<'m, bool>>,
}

/// What a builder computes on one run of valid samples.
pub(crate) trait RunRule<T: Promote> {
    /// Writes into `y` the values at `points` of the run `x` (1-D) as its own array, of
    /// that spacing and with those boundaries at its two ends.
    fn run(
        &self,
        x: &ArrayView<'_, T>,
        spacing: &Spacing,
        sides: [Boundary; 2],
        points: Range<usize>,
        y: &mut ArrayViewMut<'_, Out<T>>,
    ) -> Result<()>;

    /// The fast path of [`run`](Self::run) for the points near the cut ends (`cut`) of a
    /// run `r` long enough for the ends' formulas: writes them into `y`, the whole axis's
    /// output lane, straight from lane `x` with the axis's own end weights, and says
    /// whether it could (only a uniform grid's end weights fit every run).
    fn cut_ends(
        &self,
        x: Lane<'_, T>,
        y: &mut LaneMut<'_, Out<T>>,
        r: Range<usize>,
        cut: [bool; 2],
    ) -> bool;
}

/// One axis of a stencil, as the runs need it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RunAxis<'s> {
    pub(crate) axis: usize,
    pub(crate) spacing: &'s Spacing,
    pub(crate) sides: [Boundary; 2],
    /// The neighbours the interior rule reads before and after a point: the points that
    /// far from a cut end of a run are recomputed.
    pub(crate) near: (usize, usize),
    /// How deep into the axis the whole axis's end formulas read: a run no longer than
    /// this is recomputed whole.
    pub(crate) deep: usize,
}

/// NaN, the value of a missing sample (`NaN + 0i` when complex).
pub(crate) fn nan<O: Value>() -> O {
    O::from_real(<O::Real as Float>::nan())
}

/// Whether `v` is NaN (for complex numbers, either part).
#[inline(always)]
#[allow(clippy::eq_op)] // NaN is the one value unequal to itself
fn is_nan<T: Promote>(v: T) -> bool {
    let v = v.promote();
    v != v
}

impl<'o, 'm> Gaps<'o, 'm> {
    pub(crate) fn new(nan: bool, mask: Option<&'o ArrayView<'m, bool>>) -> Self {
        Gaps { nan, mask }
    }

    /// Whether any sample of `x` is missing: one pass in memory order, with no branch
    /// per element.
    pub(crate) fn any<T: Promote>(&self, x: &ArrayView<'_, T>) -> bool {
        if let Some(m) = self.mask {
            let none = match m.as_slice() {
                Some(s) => s.chunks(256).all(|c| c.iter().fold(true, |a, &v| a & v)),
                None => m.iter().all(|&v| v),
            };
            if !none {
                return true;
            }
        }
        self.nan
            && match x.as_slice() {
                Some(s) => s
                    .chunks(256)
                    .any(|c| c.iter().fold(false, |a, &v| a | is_nan(v))),
                None => x.iter().any(|&v| is_nan(v)),
            }
    }

    /// The missing samples of a C-contiguous `x` (and mask) as `(lane, index)` pairs
    /// along `axis`, lanes numbered in logical C order of the other axes, in order: one
    /// pass in memory order, whatever the axis (a walk along the lanes of an axis other
    /// than the last strides through memory). `None` for other layouts.
    fn in_memory_order<T: Promote>(
        &self,
        x: &ArrayView<'_, T>,
        axis: usize,
    ) -> Option<Vec<(usize, usize)>> {
        let xs = x.as_slice()?;
        let ms = match self.mask {
            Some(m) => Some(m.as_slice()?),
            None => None,
        };
        let (n, inner) = (
            x.shape()[axis],
            x.shape()[axis + 1..].iter().product::<usize>(),
        );
        let at = |k: usize| ((k / (inner * n)) * inner + k % inner, (k / inner) % n);
        // Flat positions, then grouped by lane (a counting sort, which keeps each lane's
        // indices in increasing order).
        let mut flat = Vec::new();
        for (k, &v) in xs.iter().enumerate() {
            if (self.nan && is_nan(v)) || ms.is_some_and(|m| !m[k]) {
                flat.push(k);
            }
        }
        let mut start = vec![0usize; x.len() / n + 1];
        for &k in &flat {
            start[at(k).0 + 1] += 1;
        }
        for l in 1..start.len() {
            start[l] += start[l - 1];
        }
        let mut out = vec![(0, 0); flat.len()];
        for &k in &flat {
            let (lane, i) = at(k);
            out[start[lane]] = (lane, i);
            start[lane] += 1;
        }
        Some(out)
    }

    /// The missing samples of one lane (with its mask lane), in order, into `out`.
    fn lane(&self, x: Lane<'_, impl Promote>, m: Option<Lane<'_, bool>>, out: &mut Vec<usize>) {
        out.clear();
        if let Some(m) = m {
            out.extend((0..m.len()).filter(|&i| !m[i]));
        }
        if !self.nan {
            return;
        }
        let before = out.len();
        match x.as_slice() {
            Some(s) => {
                for (c, chunk) in s.chunks(64).enumerate() {
                    if chunk.iter().fold(false, |a, &v| a | is_nan(v)) {
                        let at = chunk.iter().enumerate().filter(|(_, &v)| is_nan(v));
                        out.extend(at.map(|(i, _)| c * 64 + i));
                    }
                }
            }
            None => out.extend((0..x.len()).filter(|&i| is_nan(x[i]))),
        }
        if before > 0 && out.len() > before {
            out.sort_unstable();
            out.dedup();
        }
    }
}

/// Rewrites `y`, the plain result of the stencil along `ax.axis` of `x` (same shape),
/// where samples are missing: in every lane holding one, the points near the cut ends of
/// each run take the run's own result (`run`), and missing samples NaN.
pub(crate) fn fix<T: Promote>(
    x: &ArrayView<'_, T>,
    gaps: &Gaps<'_, '_>,
    y: &mut ArrayViewMut<'_, Out<T>>,
    ax: &RunAxis<'_>,
    rule: &impl RunRule<T>,
) -> Result<()> {
    if x.len() == 0 || !gaps.any(x) {
        return Ok(());
    }
    let (axis, n) = (ax.axis, x.shape()[ax.axis]);
    let periodic = ax.sides[0] == Boundary::Periodic;
    let coords = ax.spacing.values().is_some();
    let axis_uniform = !coords || matches!(ax.spacing.resolve(axis, n)?, AxisSpacing::Uniform(_));
    let listed = gaps.in_memory_order(x, axis);
    let mut next = 0;
    let mut masks = gaps.mask.map(|m| m.lanes(axis)).transpose()?;
    let mut miss = Vec::new();
    let mut y = y.view_mut();
    for (lane, (xl, mut yl)) in x.lanes(axis)?.zip(y.lanes_mut(axis)?).enumerate() {
        let ml = masks.as_mut().and_then(Iterator::next);
        match &listed {
            Some(list) => {
                miss.clear();
                while next < list.len() && list[next].0 == lane {
                    miss.push(list[next].1);
                    next += 1;
                }
            }
            None => gaps.lane(xl, ml, &mut miss),
        }
        if miss.is_empty() {
            continue;
        }
        for &i in &miss {
            yl[i] = nan();
        }
        let mut runs: SmallVec<[Range<usize>; 16]> = SmallVec::new();
        let mut s = 0;
        for &m in miss.iter().chain([&n]) {
            if m > s {
                runs.push(s..m);
            }
            s = m + 1;
        }
        // With both end samples valid, a periodic axis's last and first runs are one.
        let wraps = periodic && runs.len() >= 2 && runs[0].start == 0;
        let wraps = wraps && runs[runs.len() - 1].end == n;
        if wraps {
            let (last, first) = (runs.pop(), runs.remove(0));
            if let (Some(last), first) = (last, first) {
                wrapped(xl, &mut yl, [last, first], ax, rule)?;
            }
        }
        let xv = xl.to_view();
        for r in runs {
            let (s, e) = (r.start, r.end);
            let len = e - s;
            let cut = [s > 0 || periodic, e < n || periodic];
            let short = len <= ax.deep.max(ax.near.0 + ax.near.1);
            if !short && !coords && rule.cut_ends(xl, &mut yl, r.clone(), cut) {
                continue;
            }
            let sides = [0, 1].map(|k| if cut[k] { Boundary::Numpy } else { ax.sides[k] });
            let spacing = ax.spacing.block(r.clone(), false);
            let ghosts = sides.iter().any(|&b| b != Boundary::Numpy);
            let whole = short
                || (coords
                    && (ghosts
                        || matches!(spacing.resolve(axis, len)?, AxisSpacing::Uniform(_))
                            != axis_uniform));
            let mut points: SmallVec<[Range<usize>; 2]> = SmallVec::new();
            if whole {
                points.push(0..len);
            } else {
                if cut[0] {
                    points.push(0..ax.near.0);
                }
                if cut[1] {
                    points.push(len - ax.near.1..len);
                }
            }
            let xr = xv.slice_axis(0, Slice::new(s as isize, e as isize, 1))?;
            for p in points {
                let mut yv = yl.view_mut();
                let (a, b) = ((s + p.start) as isize, (s + p.end) as isize);
                let mut yr = yv.slice_mut([Slice::new(a, b, 1).into()])?;
                rule.run(&xr, &spacing, sides, p, &mut yr)?;
            }
        }
    }
    Ok(())
}

/// The run of a periodic lane that wraps from its end (`parts[0]`, up to the last
/// sample) to its start (`parts[1]`, from the first): copied out as one array whose
/// coordinates past the wrap are shifted by the period, differentiated whole with
/// one-sided ends (its neighbours beyond are missing), and copied back.
fn wrapped<T: Promote>(
    xl: Lane<'_, T>,
    yl: &mut LaneMut<'_, Out<T>>,
    parts: [Range<usize>; 2],
    ax: &RunAxis<'_>,
    rule: &impl RunRule<T>,
) -> Result<()> {
    let idx: Vec<usize> = parts[0].clone().chain(parts[1].clone()).collect();
    let x = Array::from_vec(idx.iter().map(|&i| xl[i]).collect());
    let spacing = match ax.spacing.values() {
        None => ax.spacing.clone(),
        Some(c) => {
            let period = ax.spacing.period().unwrap_or(0.0);
            let shifted = parts[1].clone().map(|i| c[i] + period);
            ax.spacing
                .with_values(parts[0].clone().map(|i| c[i]).chain(shifted).collect())
        }
    };
    let mut y = Array::<Out<T>>::zeros([idx.len()]);
    rule.run(
        &x.view(),
        &spacing,
        [Boundary::Numpy; 2],
        0..idx.len(),
        &mut y.view_mut(),
    )?;
    for (k, &i) in idx.iter().enumerate() {
        yl[i] = y[[k]];
    }
    Ok(())
}
