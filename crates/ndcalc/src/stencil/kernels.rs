//! The leaf kernels of the wide stencils: one run of output points from `K` input
//! runs, over slices (`K` a constant, so the neighbour loop unrolls and the point loop
//! vectorizes) or strided lanes, and how each result is stored.

use ndcore::{Lane, LaneMut};
use smallvec::SmallVec;

use crate::element::{Out, Promote, RealOf, Value};

/// How a result is stored: written, or added to / subtracted from what the output holds
/// (the Laplacian, divergence and curl accumulate one axis at a time into one output).
pub(crate) trait Store {
    /// Whether `put` ignores the value it replaces.
    const OVERWRITES: bool = false;
    /// Stores `v` into `y`.
    fn put<V: Value>(y: &mut V, v: V);
}

/// `y = v`.
pub(crate) struct Overwrite;
/// `y = y + v`.
pub(crate) struct AddTo;
/// `y = y - v`.
pub(crate) struct SubtractFrom;

impl Store for Overwrite {
    const OVERWRITES: bool = true;
    #[inline(always)]
    fn put<V: Value>(y: &mut V, v: V) {
        *y = v;
    }
}
impl Store for AddTo {
    #[inline(always)]
    fn put<V: Value>(y: &mut V, v: V) {
        *y = *y + v;
    }
}
impl Store for SubtractFrom {
    #[inline(always)]
    fn put<V: Value>(y: &mut V, v: V) {
        *y = *y - v;
    }
}

/// The weights of one run of output points whose inputs are `K` runs (`xs[j]` is the run
/// of neighbour `j`).
pub(super) enum RunWeights<'w, R> {
    Central(R),
    Antisym(&'w [R]),
    Fixed(SmallVec<[R; 9]>),
    /// `w[j][k]` for output point `k` of the run (lane order with coordinates).
    Varying(SmallVec<[&'w [R]; 8]>),
}

/// `Σ_j w[j] x(j)`, left to right (`x` yields promoted values).
#[inline(always)]
pub(super) fn fixed_sum<V: Value>(w: &[V::Real], x: impl Fn(usize) -> V) -> V {
    let mut acc = x(0).scale(w[0]);
    for (j, &wj) in w.iter().enumerate().skip(1) {
        acc = acc + x(j).scale(wj);
    }
    acc
}

/// `Σ_j w[j-1] (hi(j) - lo(j))` for `j = 1..=w.len()`, in order.
#[inline(always)]
pub(super) fn antisym_sum<V: Value>(
    w: &[V::Real],
    hi: impl Fn(usize) -> V,
    lo: impl Fn(usize) -> V,
) -> V {
    let mut acc = (hi(1) - lo(1)).scale(w[0]);
    for (j, &wj) in w.iter().enumerate().skip(1) {
        acc = acc + (hi(j + 1) - lo(j + 1)).scale(wj);
    }
    acc
}

// ---- leaf kernels: slices in, slices out; `K` is a constant so the neighbour loop
// unrolls and the point loop vectorizes.

#[inline(always)]
fn k_central<T: Promote, S: Store>(y: &mut [Out<T>], lo: &[T], hi: &[T], two_h: RealOf<T>) {
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
    y: &mut [Out<T>],
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
    y: &mut [Out<T>],
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
    y: &mut [Out<T>],
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
pub(super) fn run_slices<T: Promote, S: Store>(
    y: &mut [Out<T>],
    xs: &[&[T]],
    w: &RunWeights<'_, RealOf<T>>,
) {
    let kk = xs.len();
    let h = kk / 2;
    ndcore::with_simd(|| match w {
        RunWeights::Central(t) => k_central::<T, S>(y, xs[0], xs[2], *t),
        RunWeights::Antisym(a) => match a.len() {
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
        RunWeights::Fixed(wf) => by_width!(kk, K => k_fixed::<T, S, K>(
            y,
            std::array::from_fn(|j| xs[j]),
            std::array::from_fn(|j| wf[j]),
        )),
        RunWeights::Varying(wv) => by_width!(kk, K => k_varying::<T, S, K>(
            y,
            std::array::from_fn(|j| xs[j]),
            std::array::from_fn(|j| wv[j]),
        )),
    })
}

/// The same over strided runs (never `Varying`).
pub(super) fn run_strided<T: Promote, S: Store>(
    mut y: LaneMut<'_, Out<T>>,
    xs: &[Lane<'_, T>],
    w: &RunWeights<'_, RealOf<T>>,
) {
    let h = xs.len() / 2;
    for k in 0..y.len() {
        let v = match w {
            RunWeights::Central(t) => (xs[2][k].promote() - xs[0][k].promote()).div_real(*t),
            RunWeights::Antisym(a) => {
                antisym_sum(a, |j| xs[h + j][k].promote(), |j| xs[h - j][k].promote())
            }
            RunWeights::Fixed(wf) => fixed_sum(wf, |j| xs[j][k].promote()),
            RunWeights::Varying(_) => unreachable!("per-point weights in plane order"),
        };
        S::put(&mut y[k], v);
    }
}
