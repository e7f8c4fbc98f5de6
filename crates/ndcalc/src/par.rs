//! Optional multi-threading (the `parallel` feature, on rayon).
//!
//! Along-axis work is independent across the other axes, so an input and its output
//! are cut along another axis (the one that steps farthest in memory, so each part
//! stays a few contiguous blocks) into halves, recursively, and the halves run on
//! rayon's thread pool. Results are bit-identical to the single-threaded ones: every
//! output element is computed by the same kernel from the same inputs.

use std::ops::Range;

use ndcore::{ArrayView, ArrayViewMut};

use crate::error::Result;

/// Below this many output elements a split costs more than it gains.
#[cfg(feature = "parallel")]
const MIN_PARALLEL: usize = 1 << 16;

/// Runs `f` over `x` and `y` (equal shapes except along `axis`): once, or on disjoint
/// parts in parallel with the `parallel` feature (one part per thread of rayon's pool:
/// more parts would only shorten the contiguous runs).
pub(crate) fn split_run<T: Sync, U: Send>(
    x: &ArrayView<'_, T>,
    y: &mut ArrayViewMut<'_, U>,
    axis: usize,
    f: &(impl Fn(&ArrayView<'_, T>, &mut ArrayViewMut<'_, U>) -> Result<()> + Sync),
) -> Result<()> {
    #[cfg(feature = "parallel")]
    return split_parts(x, y, axis, f, rayon::current_num_threads());
    #[cfg(not(feature = "parallel"))]
    {
        let _ = axis;
        f(x, y)
    }
}

#[cfg(feature = "parallel")]
fn split_parts<T: Sync, U: Send>(
    x: &ArrayView<'_, T>,
    y: &mut ArrayViewMut<'_, U>,
    axis: usize,
    f: &(impl Fn(&ArrayView<'_, T>, &mut ArrayViewMut<'_, U>) -> Result<()> + Sync),
    parts: usize,
) -> Result<()> {
    use ndcore::AsView;
    let cut = (0..x.ndim())
        .filter(|&k| k != axis && x.shape()[k] >= 2)
        .max_by_key(|&k| x.strides()[k].unsigned_abs());
    match cut {
        Some(k) if parts >= 2 && y.len() >= 2 * MIN_PARALLEL => {
            let mid = x.shape()[k] / 2;
            let (x0, x1) = x.split_at(k, mid)?;
            let (mut y0, mut y1) = y.reborrow().split_at_move(k, mid)?;
            let (p0, p1) = (parts / 2, parts - parts / 2);
            let (r0, r1) = rayon::join(
                || split_parts(&x0, &mut y0, axis, f, p0),
                || split_parts(&x1, &mut y1, axis, f, p1),
            );
            r0.and(r1)
        }
        _ => f(x, y),
    }
}

/// Runs `f` over the items `range` with `state`: once, or on disjoint parts in parallel
/// with the `parallel` feature when `work` (elements written) is large; `split(state, m)`
/// cuts the state of a part into that of its first `m` items and that of the rest.
pub(crate) fn split_range<S: Send>(
    range: Range<usize>,
    work: usize,
    state: S,
    split: &(impl Fn(S, usize) -> (S, S) + Sync),
    f: &(impl Fn(Range<usize>, S) + Sync),
) {
    #[cfg(feature = "parallel")]
    return split_range_parts(range, work, state, split, f, rayon::current_num_threads());
    #[cfg(not(feature = "parallel"))]
    {
        let _ = (work, split);
        f(range, state)
    }
}

#[cfg(feature = "parallel")]
fn split_range_parts<S: Send>(
    range: Range<usize>,
    work: usize,
    state: S,
    split: &(impl Fn(S, usize) -> (S, S) + Sync),
    f: &(impl Fn(Range<usize>, S) + Sync),
    parts: usize,
) {
    if parts < 2 || range.len() < 2 || work < 2 * MIN_PARALLEL {
        return f(range, state);
    }
    let m = range.len() / 2;
    let mid = range.start + m;
    let (s0, s1) = split(state, m);
    let (p0, p1) = (parts / 2, parts - parts / 2);
    let w0 = work / range.len() * m;
    rayon::join(
        || split_range_parts(range.start..mid, w0, s0, split, f, p0),
        || split_range_parts(mid..range.end, work - w0, s1, split, f, p1),
    );
}
