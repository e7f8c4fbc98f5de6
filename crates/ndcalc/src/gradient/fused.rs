//! The gradient along every axis of a standard-layout input in one pass.
//!
//! One pass per axis reads the input from memory once per axis. Here the input is walked
//! tile by tile, a tile being rows `x[k, j0..j1, ..]` of one hyperplane `k` (a whole
//! hyperplane up to [`TILE`] elements), and each output is written once per tile: axis 0
//! from the same rows of hyperplanes `k - 1` and `k + 1`, axis 1 from the rows next to the
//! tile in hyperplane `k`, the other axes from the tile itself. Hyperplanes are walked
//! innermost, and the outputs within hyperplane `k + 1` are written before axis 0 of `k`:
//! the tile of `k + 1` is then first read from memory by the stencil along its last
//! axis, whose reads all fall on the lines just loaded, and the other stencils find it
//! in the cache, axis 0 of `k` beside `k - 1`. The input comes from memory about once,
//! and the outputs are written once each. On a 256^3 `f64` input into caller memory
//! this order measured 16.6 ms; axis 0 first (two streams, one from memory and one from
//! the cache, feeding one streamed output) 19.1-19.4 ms, and axis 1 first (two streams
//! a row apart, both from memory) 17.6 ms.
//!
//! Tiles are long contiguous runs on purpose. Tiles of a few rows (tens of KiB, to stay in
//! the L2 cache) measured slower than whole hyperplanes on a 256^3 `f64` input: every
//! tile jumps a hyperplane ahead in memory, and the hardware prefetcher restarts on each
//! of the seven short streams, while with 512 KiB runs it streams and the reuse is served
//! from the last-level cache. Finer does not pay with streamed stores either: all three
//! outputs computed a piece at a time (pieces cut on cache lines, so no line is stored
//! twice) and streamed under one fence measured 33 ms on that input with 2 KiB pieces,
//! 23 ms with 8 KiB and 21 ms with 32 KiB, against 18.5-19 ms for whole hyperplanes with
//! axis 0 first, although three outputs copied from one input by 2 KiB pieces the same
//! way took 15 ms: the difference is the stencil's reads, five streams of the input
//! advancing a piece at a time instead of one.
//!
//! Large outputs (see [`streamed`]) are written around the caches, with
//! non-temporal stores ([`ndcore::fill_streaming`]) for the uniform interiors: an
//! ordinary store first reads its cache line from memory, so the one pass would move
//! 1 + 3 x 2 units of memory where it needs 1 + 3.
//!
//! Every point is computed by the kernel and the formula of the single-axis pass from the
//! same samples, so the results are the same bits.

use std::ops::Range;

use super::kernel::{block_gradient, point_into, standard_gradient, NumpyStencil};
use crate::element::{Narrow, Promote};
use crate::walk::streamed;

/// At most this many elements per tile (512 KiB of `f64`): a hyperplane of a 256^3
/// input, or enough rows of a larger one.
const TILE: usize = 1 << 16;

/// Writes the gradient along every axis of `x` (standard layout, of `shape`, at least
/// 2-D) into `ys` (standard layout, one per axis), with the stencils `st` (one per axis,
/// writing every point).
pub(super) fn all_axes<T: Promote, W: Narrow<T::Output>>(
    x: &[T],
    shape: &[usize],
    ys: Vec<&mut [T::Output]>,
    st: &[&NumpyStencil<W::Real>],
) {
    let (n0, n1) = (shape[0], shape[1]);
    let plane = x.len() / n0;
    let row = plane / n1;
    // A 2-D input has rows of one element: its tile is a whole hyperplane (a row of the
    // matrix), differentiated along axis 1 as one lane.
    let rows = if shape.len() == 2 {
        n1
    } else {
        (TILE / row).clamp(1, n1)
    };
    let tiles: Vec<(Range<usize>, NumpyStencil<W::Real>)> = (0..n1)
        .step_by(rows)
        .map(|j0| {
            let r = j0..(j0 + rows).min(n1);
            (r.clone(), st[1].clone().keep(r))
        })
        .collect();
    let stream = streamed::<T::Output>(x.len() * shape.len());
    let split = |ys, at: usize| split_at(ys, at * plane);
    crate::par::split_range(0..n0, x.len(), ys, &split, &|ks, mut ys| {
        for (r, st1) in &tiles {
            let t = r.start * row..r.end * row;
            let out = |k: usize| {
                let at = (k - ks.start) * plane;
                t.start + at..t.end + at
            };
            // The outputs along the axes within hyperplane `k`, from the tile alone, the
            // last axis first: its stencil reads only the lines it has just loaded.
            let in_plane = |k: usize, ys: &mut [&mut [T::Output]]| {
                let xk = &x[k * plane..(k + 1) * plane];
                for (a, st) in st.iter().enumerate().skip(2).rev() {
                    let p = shape[a + 1..].iter().product();
                    standard_gradient::<T, W>(&xk[t.clone()], &mut ys[a][out(k)], p, st, stream);
                }
                if shape.len() == 2 {
                    standard_gradient::<T, W>(xk, &mut ys[1][out(k)], 1, st[1], stream);
                } else {
                    block_gradient::<T, W>(xk, &mut ys[1][out(k)], row, st1, stream);
                }
            };
            for k in ks.clone() {
                if k == ks.start {
                    in_plane(k, &mut ys);
                }
                if k + 1 < ks.end {
                    in_plane(k + 1, &mut ys);
                }
                let across = |i: usize| &x[i * plane + t.start..i * plane + t.end];
                point_into::<T, W>(st[0], k, across, &mut ys[0][out(k)], stream);
            }
        }
    });
}

/// Every output cut into its first `at` elements and the rest.
fn split_at<U>(ys: Vec<&mut [U]>, at: usize) -> (Vec<&mut [U]>, Vec<&mut [U]>) {
    ys.into_iter().map(|y| y.split_at_mut(at)).unzip()
}
