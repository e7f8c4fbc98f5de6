//! The walks that apply a wide stencil along one axis: lane order over contiguous (or
//! strided) lanes, plane order over whole hyperplanes, both ending in the leaf
//! [`kernels`](super::kernels).

use ndcore::{zip_lanes, zip_planes, ArrayView, ArrayViewMut, AsView, Lane, LaneMut};
use smallvec::SmallVec;

use super::kernels::{run_slices, run_strided, RunWeights, Store};
use super::wide::{InteriorRule, Source, WideStencil};
use crate::element::{Out, Promote, RealOf, Value};
use crate::error::Result;

/// One contiguous lane.
fn slice_lane<T: Promote, S: Store>(x: &[T], y: &mut [Out<T>], st: &WideStencil<RealOf<T>>) {
    let (n, lo, hi, kk) = (st.n, st.lo, st.hi, st.width());
    let (a, b) = (st.keep.start, st.keep.end);
    let (x, y) = (&x[..n], &mut y[..b - a]);
    // The interior points of the block.
    let (i0, i1) = (a.max(lo), b.min(n - hi));
    if i0 < i1 {
        let m = i1 - i0;
        let xs: SmallVec<[&[T]; 8]> = (0..kk).map(|j| &x[i0 - lo + j..i0 - lo + j + m]).collect();
        let w = match &st.rule {
            InteriorRule::Central(t) => RunWeights::Central(*t),
            InteriorRule::Antisym(a) => RunWeights::Antisym(a),
            InteriorRule::Fixed(w) => RunWeights::Fixed(SmallVec::from_slice(w)),
            InteriorRule::Varying(w) => {
                RunWeights::Varying(w.iter().map(|wj| &wj[i0..i1]).collect())
            }
        };
        run_slices::<T, S>(&mut y[i0 - a..i1 - a], &xs, &w);
    }
    for i in (a..b.min(lo)).chain((n - hi).max(a)..b) {
        S::put(&mut y[i - a], st.eval(i, |q| x[q]));
    }
}

/// One lane of any stride.
fn lane<T: Promote, S: Store>(
    x: Lane<'_, T>,
    mut y: LaneMut<'_, Out<T>>,
    st: &WideStencil<RealOf<T>>,
) {
    if let Some(xs) = x.as_slice() {
        if let Some(ys) = y.as_mut_slice() {
            return slice_lane::<T, S>(xs, ys, st);
        }
    }
    for i in st.keep.clone() {
        S::put(&mut y[i - st.keep.start], st.eval(i, |q| x[q]));
    }
}

/// Applies `st` along `axis` of `x`, storing into `y` (same shape) with `S`: lane order
/// when `axis` is the fastest-varying axis of `x` (or the hyperplanes are tiny), plane
/// order otherwise, in one pass and without temporaries.
pub(crate) fn apply<T: Promote, S: Store>(
    x: &ArrayView<'_, T>,
    y: &mut ArrayViewMut<'_, Out<T>>,
    axis: usize,
    st: &WideStencil<RealOf<T>>,
) -> Result<()> {
    if x.ndim() == 1 {
        if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_slice_mut()) {
            slice_lane::<T, S>(xs, ys, st);
            return Ok(());
        }
    }
    if crate::walk::short_runs(x, axis) {
        zip_lanes(y, [x], axis, |yl, [xl]| lane::<T, S>(xl, yl, st))?;
        return Ok(());
    }
    let kk = st.width();
    zip_planes(y, [x], axis, |k, out, [p]| {
        // Output hyperplane `k` is input hyperplane `i`.
        let (mut o, i) = (out.plane_mut(k), st.keep.start + k);
        let (lanes, w): (SmallVec<[Lane<'_, T>; 9]>, RunWeights<'_, RealOf<T>>) = if st.is_end(i) {
            let e = st.one_sided(i);
            let lanes = (0..e.w.len()).map(|j| p.plane(e.start + j)).collect();
            (lanes, RunWeights::Fixed(e.w.clone()))
        } else {
            let sources: SmallVec<[Source<RealOf<T>>; 9]> =
                (0..kk).map(|j| st.source(i, j)).collect();
            let planes: SmallVec<[Option<Lane<'_, T>>; 9]> = sources
                .iter()
                .map(|s| match s {
                    Source::Sample(q) => Some(p.plane(*q)),
                    Source::Value(_) => None,
                })
                .collect();
            match planes
                .iter()
                .cloned()
                .collect::<Option<SmallVec<[Lane<'_, T>; 9]>>>()
            {
                Some(lanes) => (lanes, st.plane_weights(i)),
                None => return constant_ghosts::<T, S>(o, &sources, &planes, i, st),
            }
        };
        let slices: Option<SmallVec<[&[T]; 9]>> = lanes.iter().map(|l| l.as_slice()).collect();
        match (slices, o.as_mut_slice()) {
            (Some(xs), Some(ys)) => run_slices::<T, S>(ys, &xs, &w),
            _ => run_strided::<T, S>(o, &lanes, &w),
        }
    })?;
    Ok(())
}

/// Plane `i`, whose stencil reads constant ghosts (`sources[j]` a value where
/// `planes[j]` is `None`): point by point (a few planes next to the ends).
fn constant_ghosts<T: Promote, S: Store>(
    mut o: LaneMut<'_, Out<T>>,
    sources: &[Source<RealOf<T>>],
    planes: &[Option<Lane<'_, T>>],
    i: usize,
    st: &WideStencil<RealOf<T>>,
) {
    for k in 0..o.len() {
        let v = st.point(i, |j| match (&planes[j], sources[j]) {
            (Some(l), _) => l[k].promote(),
            (None, Source::Value(c)) => Out::<T>::from_real(c),
            (None, Source::Sample(_)) => unreachable!("every sample has its plane"),
        });
        S::put(&mut o[k], v);
    }
}
