//! The gradient stencils and the two loop orders that apply them.
//!
//! Every output point is one of two forms, with numpy's exact operation order:
//! a difference `(x[hi] - x[lo]) / div` (the uniform interior with `div = 2h`, and
//! first-order ends) or a three-point combination `a*x[j] + b*x[j+1] + c*x[j+2]`
//! (non-uniform interior, second-order ends). Coefficients are computed once per axis
//! with numpy's expressions in numpy's type for them (the coordinates' float type, or
//! `f64` for a scalar step), then converted to the type the data is computed in (`W`:
//! the data's own type, or its promotion against `f64` coordinates).

use std::ops::Range;
use std::sync::Arc;

use ndcore::{zip_lanes, zip_planes, ArrayView, ArrayViewMut, Lane, LaneMut};

use crate::element::{Narrow, Promote, Real, RealOf, Value};
use crate::error::Result;
use crate::numpy_weights;
use crate::runs::Pieces;
use crate::spacing::AxisSpacing;

/// How the first or the last point is computed.
#[derive(Clone, Copy, Debug)]
enum End<R> {
    /// `(x[1] - x[0]) / div` on the left, `(x[n-1] - x[n-2]) / div` on the right.
    Diff(R),
    /// `w[0]*x[0] + w[1]*x[1] + w[2]*x[2]` on the left, over `x[n-3..]` on the right.
    Three([R; 3]),
}

/// How the interior points `1..n-1` are computed.
#[derive(Clone, Debug)]
enum Interior<R> {
    /// `(x[i+1] - x[i-1]) / two_h`, on a grid of step `h` (the divisor of a run of
    /// two samples' difference, when missing samples cut the axis into runs).
    Uniform { two_h: R, h: R },
    /// `a[i-1]*x[i-1] + b[i-1]*x[i] + c[i-1]*x[i+1]` (shared, so that a copy of the
    /// stencil for a block of points copies no weights).
    Weights(Arc<[[R; 3]]>),
}

/// The formula of one point along an axis, with the points it reads.
#[derive(Clone, Copy)]
enum Point<R> {
    /// `(x[hi] - x[lo]) / div`, as `(lo, hi, div)`.
    Diff(usize, usize, R),
    /// `w0*x[j] + w1*x[j+1] + w2*x[j+2]`, as `(j, w)`.
    Three(usize, [R; 3]),
}

/// numpy's coefficients of one axis, from [`numpy_weights`].
#[derive(Clone, Debug)]
pub(crate) struct NumpyStencil<R> {
    n: usize,
    /// The points written: all `0..n`, or a block's range (the input's ends are the
    /// array's ends where a halo is clipped; see [`crate::halo`]).
    keep: Range<usize>,
    first: End<R>,
    last: End<R>,
    interior: Interior<R>,
}

impl<R: Real> NumpyStencil<R> {
    /// Writes the points `keep` only (of `0..n`), to an output as long as `keep`.
    pub(crate) fn keep(self, keep: Range<usize>) -> Self {
        NumpyStencil { keep, ..self }
    }

    /// The interior points of `keep` (`1..n-1` at most).
    fn inner(&self) -> Range<usize> {
        self.keep.start.max(1)..self.keep.end.min(self.n - 1)
    }

    /// The formula of point `i` (of `0..n`) and the points it reads.
    #[inline]
    fn point(&self, i: usize) -> Point<R> {
        let n = self.n;
        let end = |end: End<R>, first: usize| match end {
            End::Diff(div) => Point::Diff(first, first + 1, div),
            End::Three(w) => Point::Three(first, w),
        };
        if i == 0 {
            end(self.first, 0)
        } else if i == n - 1 {
            let first = if matches!(self.last, End::Diff(_)) {
                n - 2
            } else {
                n - 3
            };
            end(self.last, first)
        } else {
            match &self.interior {
                Interior::Uniform { two_h, .. } => Point::Diff(i - 1, i + 1, *two_h),
                Interior::Weights(w) => Point::Three(i - 1, w[i - 1]),
            }
        }
    }

    /// numpy's coefficients for `n >= edge_order + 1` points, computed in `C` (the
    /// spacing's values are exact in `C`) and converted to `R`.
    pub(crate) fn new<C: Real>(spacing: &AxisSpacing, n: usize, edge_order: usize) -> Self {
        let c = C::from_f64;
        let r = |v: C| R::from_f64(v.into_f64());
        let r3 = |w: [C; 3]| w.map(r);
        match spacing {
            AxisSpacing::Uniform(h) => {
                let h = c(*h);
                let (first, last) = if edge_order == 1 {
                    (End::Diff(r(h)), End::Diff(r(h)))
                } else {
                    (
                        End::Three(r3(numpy_weights::first_uniform(h))),
                        End::Three(r3(numpy_weights::last_uniform(h))),
                    )
                };
                NumpyStencil {
                    n,
                    keep: 0..n,
                    first,
                    last,
                    interior: Interior::Uniform {
                        two_h: r(numpy_weights::central_divisor(h)),
                        h: r(h),
                    },
                }
            }
            AxisSpacing::Steps(dx) => {
                let d = |i: usize| c(dx[i]);
                let weights = (1..n - 1)
                    .map(|i| r3(numpy_weights::interior(d(i - 1), d(i))))
                    .collect();
                let (first, last) = if edge_order == 1 {
                    (End::Diff(r(d(0))), End::Diff(r(d(n - 2))))
                } else {
                    (
                        End::Three(r3(numpy_weights::first_steps(d(0), d(1)))),
                        End::Three(r3(numpy_weights::last_steps(d(n - 3), d(n - 2)))),
                    )
                };
                NumpyStencil {
                    n,
                    keep: 0..n,
                    first,
                    last,
                    interior: Interior::Weights(weights),
                }
            }
        }
    }
}

/// Writes numpy's end formulas at the cut ends (`cut`) of the run `r` of lane `x`, as
/// the run's own first and last points, into `y` (the whole axis's output lane). Only a
/// uniform stencil's end formulas are the same wherever an axis starts and however long
/// it is: false (nothing written) for coordinates, or a run shorter than the end
/// formulas read.
pub(crate) fn cut_ends<T: Promote, W: Narrow<T::Output>>(
    st: &NumpyStencil<W::Real>,
    x: Lane<'_, T>,
    y: &mut LaneMut<'_, T::Output>,
    r: Range<usize>,
    cut: [bool; 2],
) -> bool {
    let reads = |e: &End<W::Real>| if matches!(e, End::Diff(_)) { 2 } else { 3 };
    if !matches!(st.interior, Interior::Uniform { .. })
        || r.len() < reads(&st.first).max(reads(&st.last))
    {
        return false;
    }
    let (s, e) = (r.start, r.end);
    if cut[0] {
        let p = match st.first {
            End::Diff(_) => [x[s], x[s + 1], x[s + 1]],
            End::Three(_) => [x[s], x[s + 1], x[s + 2]],
        };
        y[s] = end_value::<T, W>(st.first, p);
    }
    if cut[1] {
        let p = match st.last {
            End::Diff(_) => [x[e - 2], x[e - 1], x[e - 1]],
            End::Three(_) => [x[e - 3], x[e - 2], x[e - 1]],
        };
        y[e - 1] = end_value::<T, W>(st.last, p);
    }
    true
}

/// `y[k] = (hi[k] - lo[k]) / div`.
#[inline(always)]
fn diff_into<'x, T: Promote + 'x, W: Narrow<T::Output>>(
    y: impl Iterator<Item = &'x mut T::Output>,
    lo: impl Iterator<Item = &'x T>,
    hi: impl Iterator<Item = &'x T>,
    div: W::Real,
) {
    // A multiplication is several times cheaper than a division, and for a power of two
    // it gives the same bits.
    if let Some(r) = div.exact_reciprocal() {
        for ((y, l), h) in y.zip(lo).zip(hi) {
            *y = W::widen(h.promote() - l.promote()).scale(r).narrow();
        }
    } else {
        for ((y, l), h) in y.zip(lo).zip(hi) {
            *y = W::widen(h.promote() - l.promote()).div_real(div).narrow();
        }
    }
}

/// `w0*a + w1*b + w2*c` in `W`, summed left to right as numpy sums, stored as the
/// data's type.
#[inline(always)]
fn three<T: Promote, W: Narrow<T::Output>>(a: T, b: T, c: T, w: [W::Real; 3]) -> T::Output {
    let [a, b, c] = [a, b, c].map(|v| W::widen(v.promote()));
    (a.scale(w[0]) + b.scale(w[1]) + c.scale(w[2])).narrow()
}

/// `y[k] = w0*p0[k] + w1*p1[k] + w2*p2[k]`, summed left to right as numpy does.
#[inline(always)]
fn three_into<'x, T: Promote + 'x, W: Narrow<T::Output>>(
    y: impl Iterator<Item = &'x mut T::Output>,
    p0: impl Iterator<Item = &'x T>,
    p1: impl Iterator<Item = &'x T>,
    p2: impl Iterator<Item = &'x T>,
    w: impl Iterator<Item = [W::Real; 3]>,
) {
    for ((((y, a), b), c), w) in y.zip(p0).zip(p1).zip(p2).zip(w) {
        *y = three::<T, W>(*a, *b, *c, w);
    }
}

/// [`three_into`] with the same weights everywhere. A separate loop because zipping in
/// `iter::repeat` keeps the compiler from vectorizing.
#[inline(always)]
fn three_const_into<'x, T: Promote + 'x, W: Narrow<T::Output>>(
    y: &mut [T::Output],
    p: [&[T]; 3],
    w: [W::Real; 3],
) {
    for (((y, a), b), c) in y.iter_mut().zip(p[0]).zip(p[1]).zip(p[2]) {
        *y = three::<T, W>(*a, *b, *c, w);
    }
}

/// Two neighbouring three-point outputs at once:
/// `ya = wa·(q0, q1, q2)` and `yb = wb·(q1, q2, q3)`, each summed as numpy sums.
#[inline(always)]
fn three_pair_into<T: Promote, W: Narrow<T::Output>>(
    ya: &mut [T::Output],
    yb: &mut [T::Output],
    q: [&[T]; 4],
    wa: [W::Real; 3],
    wb: [W::Real; 3],
) {
    let it = ya
        .iter_mut()
        .zip(yb.iter_mut())
        .zip(q[0])
        .zip(q[1])
        .zip(q[2])
        .zip(q[3]);
    for (((((ya, yb), a), b), c), d) in it {
        let [a, b, c, d] = [a, b, c, d].map(|v| W::widen(v.promote()));
        *ya = (a.scale(wa[0]) + b.scale(wa[1]) + c.scale(wa[2])).narrow();
        *yb = (b.scale(wb[0]) + c.scale(wb[1]) + d.scale(wb[2])).narrow();
    }
}

/// One end value from the three (or two) points nearest it, in lane order.
#[inline]
fn end_value<T: Promote, W: Narrow<T::Output>>(end: End<W::Real>, p: [T; 3]) -> T::Output {
    match end {
        End::Diff(div) => W::widen(p[1].promote() - p[0].promote())
            .div_real(div)
            .narrow(),
        End::Three(w) => three::<T, W>(p[0], p[1], p[2], w),
    }
}

/// The points each end formula reads, first and last three (a difference reads two
/// and ignores the third).
#[inline(always)]
fn end_points<T: Copy, R>(st: &NumpyStencil<R>, at: impl Fn(usize) -> T) -> ([T; 3], [T; 3]) {
    let n = st.n;
    let left = match st.first {
        End::Diff(_) => [at(0), at(1), at(1)],
        End::Three(_) => [at(0), at(1), at(2)],
    };
    let right = match st.last {
        End::Diff(_) => [at(n - 2), at(n - 1), at(n - 1)],
        End::Three(_) => [at(n - 3), at(n - 2), at(n - 1)],
    };
    (left, right)
}

/// The gradient of one contiguous lane.
fn slice_gradient<T: Promote, W: Narrow<T::Output>>(
    x: &[T],
    y: &mut [T::Output],
    st: &NumpyStencil<W::Real>,
) {
    let (n, a, b) = (st.n, st.keep.start, st.keep.end);
    let (x, y) = (&x[..n], &mut y[..b - a]);
    let (left, right) = end_points(st, |i| x[i]);
    if a == 0 {
        y[0] = end_value::<T, W>(st.first, left);
    }
    if b == n {
        y[n - 1 - a] = end_value::<T, W>(st.last, right);
    }
    let r = st.inner();
    if r.is_empty() {
        return;
    }
    let inner = &mut y[r.start - a..r.end - a];
    let x = &x[r.start - 1..];
    ndcore::with_simd(|| match &st.interior {
        Interior::Uniform { two_h, .. } => {
            diff_into::<T, W>(inner.iter_mut(), x.iter(), x[2..].iter(), *two_h)
        }
        Interior::Weights(w) => three_into::<T, W>(
            inner.iter_mut(),
            x.iter(),
            x[1..].iter(),
            x[2..].iter(),
            w[r.start - 1..].iter().copied(),
        ),
    })
}

/// The gradient of a short contiguous 1-D array as a new `Vec`: built by pushing, with
/// no zeroing pass and no view bookkeeping, because for a hundred elements the
/// bookkeeping would cost more than the arithmetic.
pub(crate) fn gradient_vec<T: Promote>(x: &[T], st: &NumpyStencil<RealOf<T>>) -> Vec<T::Output> {
    let n = st.n;
    let x = &x[..n];
    let (left, right) = end_points(st, |i| x[i]);
    let mut y = Vec::with_capacity(n);
    y.push(end_value::<T, T::Output>(st.first, left));
    ndcore::with_simd(|| match &st.interior {
        Interior::Uniform { two_h, .. } => match two_h.exact_reciprocal() {
            Some(r) => y.extend(
                x[2..]
                    .iter()
                    .zip(x)
                    .map(|(h, l)| (h.promote() - l.promote()).scale(r)),
            ),
            None => y.extend(
                x[2..]
                    .iter()
                    .zip(x)
                    .map(|(h, l)| (h.promote() - l.promote()).div_real(*two_h)),
            ),
        },
        Interior::Weights(w) => y.extend(x.windows(3).zip(w.iter()).map(|(p, w)| {
            p[0].promote().scale(w[0]) + p[1].promote().scale(w[1]) + p[2].promote().scale(w[2])
        })),
    });
    y.push(end_value::<T, T::Output>(st.last, right));
    y
}

/// The gradient of one lane of any stride.
fn lane_gradient<T: Promote, W: Narrow<T::Output>>(
    x: Lane<'_, T>,
    mut y: LaneMut<'_, T::Output>,
    st: &NumpyStencil<W::Real>,
) {
    if let Some(xs) = x.as_slice() {
        if let Some(ys) = y.as_mut_slice() {
            return slice_gradient::<T, W>(xs, ys, st);
        }
    }
    let (n, a, b) = (st.n, st.keep.start, st.keep.end);
    let (left, right) = end_points(st, |i| x[i]);
    if a == 0 {
        y[0] = end_value::<T, W>(st.first, left);
    }
    if b == n {
        y[n - 1 - a] = end_value::<T, W>(st.last, right);
    }
    let r = st.inner();
    if r.is_empty() {
        return;
    }
    let inner = y.iter_mut().skip(r.start - a).take(r.len());
    let x = || x.iter().skip(r.start - 1);
    match &st.interior {
        Interior::Uniform { two_h, .. } => diff_into::<T, W>(inner, x(), x().skip(2), *two_h),
        Interior::Weights(w) => three_into::<T, W>(
            inner,
            x(),
            x().skip(1),
            x().skip(2),
            w[r.start - 1..].iter().copied(),
        ),
    }
}

/// `(hi - lo) / div` over matching runs of whole hyperplanes.
fn run_diff<T: Promote, W: Narrow<T::Output>>(
    mut y: LaneMut<'_, T::Output>,
    lo: Lane<'_, T>,
    hi: Lane<'_, T>,
    div: W::Real,
) {
    if let (Some(l), Some(h)) = (lo.as_slice(), hi.as_slice()) {
        if let Some(ys) = y.as_mut_slice() {
            return slice_diff::<T, W>(ys, l, h, div, false);
        }
    }
    diff_into::<T, W>(y.iter_mut(), lo.iter(), hi.iter(), div)
}

/// `w0*p0 + w1*p1 + w2*p2` over matching runs of whole hyperplanes.
fn run_three<T: Promote, W: Narrow<T::Output>>(
    mut y: LaneMut<'_, T::Output>,
    p: [Lane<'_, T>; 3],
    w: [W::Real; 3],
) {
    if let (Some(a), Some(b), Some(c)) = (p[0].as_slice(), p[1].as_slice(), p[2].as_slice()) {
        if let Some(ys) = y.as_mut_slice() {
            return slice_three::<T, W>(ys, [a, b, c], w);
        }
    }
    three_into::<T, W>(
        y.iter_mut(),
        p[0].iter(),
        p[1].iter(),
        p[2].iter(),
        std::iter::repeat(w),
    )
}

/// About this many elements of short consecutive lanes are differenced in one kernel call.
const LANE_BLOCK: usize = 4096;

/// The gradient of consecutive contiguous lanes of `st.n` elements. With a uniform
/// interior the whole run is differenced in one call, which is wrong only at the lane
/// boundaries, and those are exactly the end points, written next; short lanes (the
/// last axis of a 256^3 array, say) then cost no per-lane loop setup. With `stream`,
/// one long lane too (a 1-D array) goes by [`lanes_streamed`]'s pieces.
fn lanes_gradient<T: Promote, W: Narrow<T::Output>>(
    x: &[T],
    y: &mut [T::Output],
    st: &NumpyStencil<W::Real>,
    stream: bool,
) {
    let n = st.n;
    let (m, Interior::Uniform { two_h, .. }) = (x.len(), &st.interior) else {
        return slice_gradient::<T, W>(x, y, st);
    };
    // One lane stored the ordinary way, or some of its points only (a block with
    // halos): no lane boundaries to fix.
    if m == n && (!stream || y.len() != m) {
        return slice_gradient::<T, W>(x, y, st);
    }
    if stream {
        return lanes_streamed::<T, W>(x, y, st, *two_h);
    }
    lanes_into::<T, W>(x, 0..m, y, st, *two_h);
}

/// Points `r` (of `0..x.len()`) of the gradient of consecutive lanes of `st.n` elements
/// with a uniform interior `two_h`, into `y` (as long as `r`): the whole run differenced
/// in one call, then the lanes' ends, which the difference got wrong, written over it.
#[inline]
fn lanes_into<T: Promote, W: Narrow<T::Output>>(
    x: &[T],
    r: Range<usize>,
    y: &mut [T::Output],
    st: &NumpyStencil<W::Real>,
    two_h: W::Real,
) {
    let (n, m) = (st.n, x.len());
    let inner = r.start.max(1)..r.end.min(m - 1);
    if !inner.is_empty() {
        let out = &mut y[inner.start - r.start..inner.end - r.start];
        let (lo, hi) = (&x[inner.start - 1..], &x[inner.start + 1..]);
        ndcore::with_simd(|| diff_into::<T, W>(out.iter_mut(), lo.iter(), hi.iter(), two_h));
    }
    for i in (r.start.div_ceil(n) * n..r.end).step_by(n) {
        let (left, _) = end_points(st, |k| x[i + k]);
        y[i - r.start] = end_value::<T, W>(st.first, left);
    }
    for i in ((r.start + 1).div_ceil(n) * n..r.end + 1).step_by(n) {
        let (_, right) = end_points(st, |k| x[i - n + k]);
        y[i - 1 - r.start] = end_value::<T, W>(st.last, right);
    }
}

/// The gradient of consecutive lanes of `st.n` elements (contiguous, or across the
/// hyperplanes of a block) a piece at a time, and at single points of runs of valid
/// samples (see [`Pieces`]), when `st` has a uniform interior and writes every point.
pub(crate) fn lane_pieces<T: Promote, W: Narrow<T::Output>>(
    st: &NumpyStencil<W::Real>,
) -> Option<Box<dyn Pieces<T> + '_>> {
    let Interior::Uniform { two_h, h } = st.interior else {
        return None;
    };
    (st.keep == (0..st.n)).then(|| {
        Box::new(UniformLanes::<W> {
            st,
            two_h,
            h,
            recip: two_h.exact_reciprocal(),
            h_recip: h.exact_reciprocal(),
        }) as Box<dyn Pieces<T>>
    })
}

/// numpy's gradient with a uniform interior `two_h` on a grid of step `h`, as
/// [`lane_pieces`] gives it (`recip`: `1 / two_h` when exact, as [`diff_into`] takes
/// it).
struct UniformLanes<'s, W: Value> {
    st: &'s NumpyStencil<W::Real>,
    two_h: W::Real,
    h: W::Real,
    recip: Option<W::Real>,
    /// `1 / h`, when exact.
    h_recip: Option<W::Real>,
}

/// `(b - a) / div`, by `recip` when given (`1 / div`, exact: the same bits, and a
/// division's latency is most of a fixed point's cost).
fn quotient<T: Promote, W: Narrow<T::Output>>(
    a: T,
    b: T,
    div: W::Real,
    recip: Option<W::Real>,
) -> T::Output {
    let d = W::widen(b.promote() - a.promote());
    match recip {
        Some(r) => d.scale(r),
        None => d.div_real(div),
    }
    .narrow()
}

impl<T: Promote, W: Narrow<T::Output>> Pieces<T> for UniformLanes<'_, W> {
    fn plain(&self, x: &[T], r: Range<usize>, y: &mut [T::Output]) {
        lanes_into::<T, W>(x, r, y, self.st, self.two_h)
    }

    fn across(&self, x: &[T], p: usize, r: Range<usize>, y: &mut [T::Output], stream: bool) {
        // Hyperplane by hyperplane, each part as `block_gradient` computes it whole.
        let mut a = r.start;
        while a < r.end {
            let (i, c) = (a / p, a % p);
            let b = r.end.min((i + 1) * p);
            let plane = |k: usize| &x[k * p + c..k * p + c + (b - a)];
            point_into::<T, W>(self.st, i, plane, &mut y[a - r.start..b - r.start], stream);
            a = b;
        }
    }

    fn at(&self, x: &[T], i: usize, s: usize, valid: u8) -> T::Output {
        let v = |k: usize| valid >> k & 1 != 0;
        // A run of two samples takes numpy's first-order ends whatever the axis's are.
        let end = |e: End<W::Real>, deep: bool| match e {
            End::Three(_) if !deep => End::Diff(self.h),
            e => e,
        };
        // numpy's first-order ends divide by the step.
        let end_recip = |div: W::Real| self.h_recip.filter(|_| div == self.h);
        match (v(1), v(3)) {
            (true, true) => quotient::<T, W>(x[i - s], x[i + s], self.two_h, self.recip),
            (false, true) => match end(self.st.first, v(4)) {
                End::Diff(div) => quotient::<T, W>(x[i], x[i + s], div, end_recip(div)),
                e => end_value::<T, W>(e, [x[i], x[i + s], x[i + 2 * s]]),
            },
            (true, false) => match end(self.st.last, v(0)) {
                End::Diff(div) => quotient::<T, W>(x[i - s], x[i], div, end_recip(div)),
                e => end_value::<T, W>(e, [x[i - 2 * s], x[i - s], x[i]]),
            },
            (false, false) => crate::runs::nan(),
        }
    }
}

/// [`lanes_into`] stored around the caches: each piece of the output, cut on cache
/// lines, is computed whole (ends included) into a small buffer and then streamed, all
/// under one fence ([`ndcore::Streams::fill_by`]). The ends must not be stored after the
/// difference: an ordinary store into a line just streamed waits for the line to reach
/// memory and reads it back. Along the last axis of a 256^3 `f64` input into caller
/// memory this measured 6.0-6.5 ms where the difference with the ends stored after it
/// took 8.7-9.5. The same pieces for the differences across hyperplanes
/// ([`slice_diff`]) measured slower than streaming each value as it is computed: 256^3
/// `f64` axis 0 6.8-7.3 -> 8.1-8.9 ms, axis 1 7.2-7.6 -> 9.9-11.4 ms.
fn lanes_streamed<T: Promote, W: Narrow<T::Output>>(
    x: &[T],
    y: &mut [T::Output],
    st: &NumpyStencil<W::Real>,
    two_h: W::Real,
) {
    ndcore::streaming(|s| s.fill_by(y, PIECE, |r, b| lanes_into::<T, W>(x, r, b, st, two_h)))
}

/// The bytes of output [`lanes_streamed`] computes before streaming them. Pieces of 2
/// KiB measured fastest along the last axis of a 256^3 `f64` input (4 KiB about as
/// fast; 16 KiB slower than storing the lanes' ends after the difference).
const PIECE: usize = 2 << 10;

/// The gradient across the hyperplanes of one contiguous block: `n` hyperplanes of `p`
/// consecutive elements. In a block the uniform interior, hyperplanes 1 to n-2, is a
/// single run `(x[i + p] - x[i - p]) / 2h`, so plane order costs a handful of kernel
/// calls per block however small the hyperplanes are.
pub(super) fn block_gradient<T: Promote, W: Narrow<T::Output>>(
    x: &[T],
    y: &mut [T::Output],
    p: usize,
    st: &NumpyStencil<W::Real>,
    stream: bool,
) {
    let (n, a, b) = (st.n, st.keep.start, st.keep.end);
    let plane = |i: usize| &x[i * p..(i + 1) * p];
    if a == 0 {
        point_into::<T, W>(st, 0, plane, &mut y[..p], stream);
    }
    if b == n {
        point_into::<T, W>(
            st,
            n - 1,
            plane,
            &mut y[(n - 1 - a) * p..(n - a) * p],
            stream,
        );
    }
    let r = st.inner();
    if r.is_empty() {
        return;
    }
    let inner = &mut y[(r.start - a) * p..(r.end - a) * p];
    match &st.interior {
        Interior::Uniform { two_h, .. } => slice_diff::<T, W>(
            inner,
            &x[(r.start - 1) * p..(r.end - 1) * p],
            &x[(r.start + 1) * p..(r.end + 1) * p],
            *two_h,
            stream,
        ),
        Interior::Weights(w) => {
            // Two output hyperplanes per pass read four input ones, not six.
            let mut pairs = inner.chunks_exact_mut(2 * p);
            for (j, y2) in pairs.by_ref().enumerate() {
                let i = r.start - 1 + 2 * j;
                let (ya, yb) = y2.split_at_mut(p);
                let q = [plane(i), plane(i + 1), plane(i + 2), plane(i + 3)];
                ndcore::with_simd(|| three_pair_into::<T, W>(ya, yb, q, w[i], w[i + 1]));
            }
            let rest = pairs.into_remainder();
            if !rest.is_empty() {
                let i = r.end - 2;
                slice_three::<T, W>(rest, [plane(i), plane(i + 1), plane(i + 2)], w[i]);
            }
        }
    }
}

/// `y = (hi - lo) / div` over slices; with `stream`, stored around the caches
/// ([`ndcore::fill_streaming`]), for outputs as large as the last-level cache or more
/// ([`crate::walk::streamed`]).
fn slice_diff<T: Promote, W: Narrow<T::Output>>(
    y: &mut [T::Output],
    lo: &[T],
    hi: &[T],
    div: W::Real,
    stream: bool,
) {
    if !stream {
        return ndcore::with_simd(|| diff_into::<T, W>(y.iter_mut(), lo.iter(), hi.iter(), div));
    }
    // The formulas of `diff_into`, so the same bits.
    let (lo, hi) = (&lo[..y.len()], &hi[..y.len()]);
    let d = |h: T, l: T| W::widen(h.promote() - l.promote());
    match div.exact_reciprocal() {
        Some(r) => ndcore::fill_streaming(y, hi, lo, |h, l| d(h, l).scale(r).narrow()),
        None => ndcore::fill_streaming(y, hi, lo, |h, l| d(h, l).div_real(div).narrow()),
    }
}

/// `y = w0*p0 + w1*p1 + w2*p2` over slices.
fn slice_three<T: Promote, W: Narrow<T::Output>>(
    y: &mut [T::Output],
    p: [&[T]; 3],
    w: [W::Real; 3],
) {
    ndcore::with_simd(|| three_const_into::<T, W>(y, p, w))
}

/// The gradient of a standard-layout input: blocks of `st.n` hyperplanes of `p`
/// consecutive elements each, into blocks of `st.keep.len()` hyperplanes; the uniform
/// interiors stored around the caches with `stream` (see [`slice_diff`]).
pub(super) fn standard_gradient<T: Promote, W: Narrow<T::Output>>(
    xs: &[T],
    ys: &mut [T::Output],
    p: usize,
    st: &NumpyStencil<W::Real>,
    stream: bool,
) {
    let (n, m) = (st.n, st.keep.len());
    if p == 1 {
        // Consecutive lanes: several at a time when the interior is uniform and the
        // lanes are written whole, and all at once when the stores are streamed (each
        // streamed run ends with a store fence).
        let lanes = match (&st.interior, m == n, stream) {
            (Interior::Uniform { .. }, true, true) => xs.len() / n,
            (Interior::Uniform { .. }, true, false) => LANE_BLOCK / n,
            _ => 1,
        };
        let lanes = lanes.max(1);
        for (xb, yb) in xs.chunks(n * lanes).zip(ys.chunks_mut(m * lanes)) {
            lanes_gradient::<T, W>(xb, yb, st, stream);
        }
    } else {
        for (xb, yb) in xs.chunks_exact(n * p).zip(ys.chunks_exact_mut(m * p)) {
            block_gradient::<T, W>(xb, yb, p, st, stream);
        }
    }
}

/// Writes point `i` (of `0..st.n`) of every lane across the hyperplanes `plane(0..n)`
/// (equally long contiguous runs) into `y`.
#[inline]
pub(super) fn point_into<'x, T: Promote + 'x, W: Narrow<T::Output>>(
    st: &NumpyStencil<W::Real>,
    i: usize,
    plane: impl Fn(usize) -> &'x [T],
    y: &mut [T::Output],
    stream: bool,
) {
    match st.point(i) {
        Point::Diff(lo, hi, div) => slice_diff::<T, W>(y, plane(lo), plane(hi), div, stream),
        Point::Three(j, w) => slice_three::<T, W>(y, [plane(j), plane(j + 1), plane(j + 2)], w),
    }
}

/// Writes the gradient of `x` along `axis` into `y` (same shape), in one pass: lane
/// order when `axis` is the fastest-varying axis of `x` (or the hyperplanes are tiny),
/// plane order otherwise; a standard-layout `y` with its uniform interiors stored around
/// the caches with `stream` (see [`slice_diff`]). The leaf kernels run with the widest
/// vector instructions the CPU has ([`ndcore::with_simd`]): they are where the time goes,
/// and target features only reach code inlined into them.
pub(crate) fn gradient_axis<T: Promote, W: Narrow<T::Output>>(
    x: &ArrayView<'_, T>,
    y: &mut ArrayViewMut<'_, T::Output>,
    axis: usize,
    st: &NumpyStencil<W::Real>,
    stream: bool,
) -> Result<()> {
    if x.shape().contains(&0) || y.shape().contains(&0) {
        // Another axis has length 0: there is nothing to compute.
        return Ok(());
    }
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_slice_mut()) {
        let p = x.shape()[axis + 1..].iter().product();
        standard_gradient::<T, W>(xs, ys, p, st, stream);
        return Ok(());
    }
    if crate::walk::short_runs(x, axis) {
        zip_lanes(y, [x], axis, |yl, [xl]| lane_gradient::<T, W>(xl, yl, st))?;
        return Ok(());
    }
    let a = st.keep.start;
    zip_planes(y, [x], axis, |k, out, [p]| {
        // Output hyperplane `k` is input hyperplane `a + k`.
        let o = out.plane_mut(k);
        match st.point(a + k) {
            Point::Diff(lo, hi, div) => run_diff::<T, W>(o, p.plane(lo), p.plane(hi), div),
            Point::Three(j, w) => {
                run_three::<T, W>(o, [p.plane(j), p.plane(j + 1), p.plane(j + 2)], w)
            }
        }
    })?;
    Ok(())
}
