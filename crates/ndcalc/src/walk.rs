//! The choices of how to walk memory shared by the kernels: between the two loop orders,
//! lane order and plane order (the gradient, the stencils, diff, the cumulative ops and
//! the trapezoid rule), and whether an output is stored around the caches (the gradient
//! and diff).

use ndcore::{ArrayView, AsView};

/// Outputs of at least this many bytes in all are stored around the caches (see
/// [`ndcore::fill_streaming`]): as much as a last-level cache holds (32 MiB on the
/// machine measured), so with their input they could not stay there for the caller
/// anyway, and an ordinary store would first read every line of them from memory.
///
/// At 64 MiB, 4000^2 `f32` (61 MiB) was left out: streamed, its gradient down axis 0
/// into caller memory measured 4.2 ms against 5.4, along axis 1 3.1 against 5.3, and
/// into a new array 11.1 against 11.9. Just over the threshold, 2048 x 2100 `f64` along
/// axis 1 measured 1.5 ms against 2.8 into caller memory, 5.3 against 6.0 into a new
/// array. New outputs gain too, though the kernel has just zeroed their fresh pages
/// through the caches: the gradient along axis 1 of 4000^2 `f64` into a new array
/// measured 18.5-19.0 ms streamed against 19.9-20.5 with ordinary stores, the last axis
/// of 256^3 19.3-19.7 against 23.2-23.9, and diff down axis 0 of 4000^2 20.1 against
/// 22.0.
const STREAM: usize = 32 << 20;

/// Whether `len` output elements of `U` in all are stored around the caches (see
/// [`STREAM`]).
pub(crate) fn streamed<U>(len: usize) -> bool {
    len * std::mem::size_of::<U>() >= STREAM
}

/// Hyperplanes smaller than this are not worth a plane-order walk: per-plane setup
/// would cost more than the strided lane walk it avoids.
pub(crate) const MIN_PLANE: usize = 64;

/// Whether `axis` has the smallest stride of `x` (ignoring axes of length 0 or 1), so a
/// lane along it is the fastest walk through memory.
pub(crate) fn is_fastest<T>(x: &ArrayView<'_, T>, axis: usize) -> bool {
    let stride = x.strides()[axis].unsigned_abs();
    x.shape()
        .iter()
        .zip(x.strides())
        .enumerate()
        .all(|(k, (&len, &s))| k == axis || len <= 1 || s.unsigned_abs() >= stride)
}

/// Lane order (a 1-D kernel per lane) or plane order (whole hyperplanes, contiguous runs
/// innermost) for work along `axis` of `x`.
pub(crate) fn lane_order<T>(x: &ArrayView<'_, T>, axis: usize) -> bool {
    let n = x.shape()[axis];
    let plane = x.len().checked_div(n).unwrap_or(0);
    is_fastest(x, axis) || plane < MIN_PLANE
}

/// The number of elements of one hyperplane across `axis` in a row-major block: the
/// product of the lengths after `axis`. When input and output are both in standard
/// layout and this is more than 1, plane order needs no walk at all: the array is
/// `outer` blocks of `len * inner` elements, hyperplane `i` of a block is the slice
/// `[i * inner..(i + 1) * inner]`, and kernels run over plain slices (no per-plane setup,
/// which dominates when the hyperplanes are small).
pub(crate) fn inner_len(shape: &[usize], axis: usize) -> usize {
    shape[axis + 1..].iter().product()
}

/// Hyperplane runs shorter than this are not worth plane order: the per-run setup
/// costs more than the strided lane walk it avoids.
const MIN_RUN: usize = 32;

/// Whether the contiguous runs of the hyperplanes across `axis` are too short for plane
/// order: the axes stepping less than `axis` hold fewer than `MIN_RUN` elements (always
/// so when `axis` is the fastest). Then lane order wins. Used by the stencil kernels.
pub(crate) fn short_runs<T>(x: &ArrayView<'_, T>, axis: usize) -> bool {
    let reach = x.strides()[axis].unsigned_abs();
    let inner: usize = (0..x.ndim())
        .filter(|&k| k != axis && x.strides()[k].unsigned_abs() < reach)
        .map(|k| x.shape()[k])
        .product();
    inner < MIN_RUN
}
