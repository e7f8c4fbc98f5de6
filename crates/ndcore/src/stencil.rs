//! Neighbourhood stencils: a closure of the values at fixed offsets around each point.
//!
//! [`stencil`] and [`stencil_into`] evaluate `kernel([x[p + o_0], .., x[p + o_{K-1}]])` at
//! every point `p` whose whole neighbourhood lies inside the array. The kernel sees
//! values only, never pointers, runs or strides, so one kernel is right on every layout.
//!
//! The walk is numpy's slicing expression without its temporaries: offset `o` is the
//! view `x[lo + o .. lo + o + n]` of the result's shape `n` (`lo` the reach below the
//! point on each axis), and the result and the `K` shifted views are walked together
//! elementwise, axes ordered by the result's memory layout. Their innermost runs are
//! contiguous wherever the input is, so each output row reads `K` contiguous input rows
//! that the neighbouring output rows also read: one pass over memory, in cache.
//!
//! Each run is computed by [`with_simd`]: the kernel, inlined into the run's loop, is
//! compiled with AVX2 when the CPU has it, with the same results. The loop reads `K`
//! values per point, so at 128-bit width it is bound by instructions, not by memory.

use bytemuck::Zeroable;

use crate::error::{Error, Result};
use crate::raw::{with_simd, zip_runs};
use crate::slice::Slice;
use crate::{Array, ArrayLike, ArrayView, AsViewMut};

/// The values at `offsets` around every point whose every offset is inside `f`, through
/// `kernel`: the result has `f`'s shape less the reach of the offsets on each side (an
/// axis shorter than its reach gives an empty result, as numpy's slicing does).
///
/// `offsets[k]` is a position relative to the point, one coordinate per axis of `f`;
/// `kernel` receives the `K` values in the order of `offsets`. Any layout of `f` works
/// (transposed, step-sliced, reversed, broadcast); the result is stored in `f`'s memory
/// order. `kernel` runs compiled for AVX2 when the CPU has it ([`with_simd`]), which
/// changes its speed, never its results. The 5-point Laplacian, numpy's
/// `f[:-2, 1:-1] + f[2:, 1:-1] + f[1:-1, :-2] + f[1:-1, 2:] - 4 * f[1:-1, 1:-1]`:
///
/// ```
/// use ndcore::prelude::*;
/// let f = Array::from_shape_fn([4, 5], |ix| (ix[0] * ix[0] + 2 * ix[1] * ix[1]) as f64);
/// let lap = stencil(&f, [[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]], |[c, n, s, w, e]| {
///     n + s + w + e - 4.0 * c
/// })?;
/// assert_eq!(lap.shape(), &[2, 3]);
/// assert!(lap.iter().all(|&v| v == 6.0)); // ∂²/∂i² + ∂²/∂j² of i² + 2j²
/// // Upwind: offsets need not be symmetric; the reach is per side.
/// let d = stencil(&f.t(), [[0, 0], [-1, 0]], |[c, w]| c - w)?;
/// assert_eq!(d.shape(), &[4, 4]);
/// # Ok::<(), ndcore::Error>(())
/// ```
///
/// # Errors
/// [`Error::StencilRank`] when `D` is not `f`'s number of axes.
pub fn stencil<T, O, const D: usize, const K: usize>(
    f: &impl ArrayLike<T>,
    offsets: [[isize; D]; K],
    kernel: impl FnMut([T; K]) -> O,
) -> Result<Array<O>>
where
    T: Copy,
    O: Zeroable,
{
    let x = f.view();
    let window = Window::new(x.shape(), &offsets)?;
    let mut out = Array::zeros_like_with_shape(&x, &window.shape[..]);
    window.apply(&x, &offsets, &mut out.view_mut(), kernel)?;
    Ok(out)
}

/// [`stencil`] into `out`, any mutable view of the result's shape (a slice of a larger
/// array, a transposed or strided view).
///
/// ```
/// use ndcore::prelude::*;
/// let f = array![[1., 2., 4.], [8., 16., 32.], [64., 128., 256.]];
/// // The interior of a same-shape output, as numpy's `out[1:-1, 1:-1] = ...`.
/// let mut out = Array::<f64>::zeros([3, 3]);
/// let mut interior = out.slice_mut(s![1..2, 1..2])?;
/// stencil_into(&f, [[-1, -1], [1, 1]], &mut interior, |[a, b]| b - a)?;
/// assert_eq!(out[[1, 1]], 255.);
/// # Ok::<(), ndcore::Error>(())
/// ```
///
/// # Errors
/// [`Error::StencilRank`] when `D` is not `f`'s number of axes, [`Error::ShapeMismatch`]
/// when `out` does not have the result's shape.
pub fn stencil_into<T, O, const D: usize, const K: usize>(
    f: &impl ArrayLike<T>,
    offsets: [[isize; D]; K],
    out: &mut impl AsViewMut<O>,
    kernel: impl FnMut([T; K]) -> O,
) -> Result<()>
where
    T: Copy,
{
    let x = f.view();
    let window = Window::new(x.shape(), &offsets)?;
    window.apply(&x, &offsets, &mut out.view_mut(), kernel)
}

/// Where the result sits in the input: `lo[d]` points below it on axis `d`, `shape[d]`
/// points long.
struct Window<const D: usize> {
    lo: [usize; D],
    shape: [usize; D],
}

impl<const D: usize> Window<D> {
    fn new(shape: &[usize], offsets: &[[isize; D]]) -> Result<Self> {
        if shape.len() != D {
            return Err(Error::StencilRank {
                coordinates: D,
                ndim: shape.len(),
            });
        }
        let reach = |d: usize, side: fn(isize) -> isize| {
            offsets
                .iter()
                .map(|o| side(o[d]).max(0).unsigned_abs())
                .max()
                .unwrap_or(0)
        };
        let lo = std::array::from_fn(|d| reach(d, |o| -o));
        let shape = std::array::from_fn(|d| {
            shape[d]
                .saturating_sub(lo[d])
                .saturating_sub(reach(d, |o| o))
        });
        Ok(Window { lo, shape })
    }

    fn apply<T: Copy, O, const K: usize>(
        &self,
        x: &ArrayView<'_, T>,
        offsets: &[[isize; D]; K],
        out: &mut crate::ArrayViewMut<'_, O>,
        mut kernel: impl FnMut([T; K]) -> O,
    ) -> Result<()> {
        if out.shape() != self.shape {
            return Err(Error::ShapeMismatch {
                expected: self.shape.to_vec(),
                found: out.shape().to_vec(),
            });
        }
        let shifted = offsets
            .iter()
            .map(|o| self.shifted(x, o))
            .collect::<Result<Vec<_>>>()?;
        let inputs: [&ArrayView<'_, T>; K] = std::array::from_fn(|k| &shifted[k]);
        zip_runs(out, inputs, |mut o, xs| {
            with_simd(
                // Inlined into the AVX2 trampoline, or the loop stays 128-bit.
                #[inline(always)]
                || o.zip_with(xs, |o, v| *o = kernel(v.map(|&v| v))),
            )
        })
    }

    /// The view of `x` whose element `p` is `x[lo + p + offset]`.
    fn shifted<'a, T>(
        &self,
        x: &ArrayView<'a, T>,
        offset: &[isize; D],
    ) -> Result<ArrayView<'a, T>> {
        let mut v = x.clone();
        for (d, &o) in offset.iter().enumerate() {
            // lo[d] is at least -o, so the start is not negative; both bounds are inside
            // the axis when the window is not empty, and clamp when it is.
            let start = self.lo[d] as isize + o;
            v = v.slice_axis(d, Slice::new(start, start + self.shape[d] as isize, 1))?;
        }
        Ok(v)
    }
}
