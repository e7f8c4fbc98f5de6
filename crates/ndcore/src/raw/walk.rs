//! The walks that hand lanes to kernels: [`zip_lanes`] (lane order: whole lanes along
//! an axis), [`zip_runs`] (the elementwise walk over same-shape operands) and
//! [`zip_planes`] (plane order: hyperplanes along an axis, their runs innermost).
//!
//! The loop nests come from `crate::layout`'s plans; this module only turns their
//! offsets into lanes.
//!
//! Plane order is the walk for along-axis work when the axis is not the fastest in
//! memory. Walking a lane of axis 0 of a row-major matrix jumps a whole row per element.
//! Plane order instead sweeps the index `i` along the axis and treats whole hyperplanes
//! `x[.., i, ..]` at once, with their contiguous runs innermost: every byte is read
//! sequentially and the inner loop is a slice loop. Axes that step farther than the
//! working axis are walked outermost, so the few hyperplanes a stencil touches stay in
//! cache (for axis 1 of a 3-D array, one 2-D slab at a time).

use std::marker::PhantomData;
use std::ptr::NonNull;

use smallvec::SmallVec;

use super::lane::{Lane, LaneMut};
use super::view::{ArrayView, ArrayViewMut};
use crate::error::Result;
use crate::layout::{LanePlan, Layout, Plan, PlanePlan};

/// Walks the lanes of `input` and `out` along `axis` together: `f` receives each input
/// lane with the output lane at the same index of the other axes. The lanes may differ
/// in length (diff shortens them, `include_initial` lengthens them); every other axis
/// must match. The order of the walk follows the output's memory layout, not C order.
///
/// This is *lane order*: best when `axis` is the fastest-varying one.
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_shape_vec([2, 3], vec![1., 2., 4., 8., 16., 32.]).unwrap();
/// let mut d = Array::<f64>::zeros([2, 2]);
/// zip_lanes(1, &a.view(), &mut d.view_mut(), |x, mut y| {
///     for i in 0..y.len() { y[i] = x[i + 1] - x[i]; }
/// }).unwrap();
/// assert_eq!(d.to_vec(), vec![1., 2., 8., 16.]);
/// ```
pub fn zip_lanes<T, U>(
    axis: usize,
    input: &ArrayView<'_, U>,
    out: &mut ArrayViewMut<'_, T>,
    mut f: impl FnMut(Lane<'_, U>, LaneMut<'_, T>),
) -> Result<()> {
    let LanePlan {
        outer,
        out_lane: (o_len, o_stride),
        in_lane: (i_len, i_stride),
    } = LanePlan::new(axis, &out.layout, &input.layout)?;
    let (n, so, si) = (outer.run_len(), outer.run_stride(0), outer.run_stride(1));
    outer.for_each_run(|start| {
        for k in 0..n as isize {
            let (oo, io) = (start[0] + k * so, start[1] + k * si);
            let op = if o_len == 0 {
                out.ptr
            } else {
                // SAFETY: an index inside the non-empty output.
                unsafe { out.ptr.offset(oo) }
            };
            let ip = if i_len == 0 {
                input.ptr
            } else {
                // SAFETY: an index inside the non-empty input.
                unsafe { input.ptr.offset(io) }
            };
            // SAFETY: the lanes at one index of the other axes, inside the views; each
            // outer index is visited once and output lanes at distinct outer indices are
            // disjoint, so `f` holds the only reference to its output lane.
            let (x, y) = unsafe {
                (
                    Lane::new(ip, i_len, i_stride),
                    LaneMut::new(op, o_len, o_stride),
                )
            };
            f(x, y);
        }
    });
    Ok(())
}

/// The elementwise walk over an output and `K` inputs of the same shape: `f` receives
/// matching runs (a mutable output lane and `K` input lanes of equal length). Axes are
/// reordered to follow the output's memory layout and merged where every operand allows,
/// so same-layout contiguous operands arrive as one run each whose
/// [`as_slice`](Lane::as_slice) succeeds.
///
/// This is the engine of *plane order*: apply a stencil to whole hyperplanes
/// `x[i-1, ..]`, `x[i+1, ..]` (from [`index_axis`](crate::AsView::index_axis)) at once.
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_shape_vec([3, 2], vec![1., 2., 3., 4., 5., 6.]).unwrap();
/// let mut out = Array::<f64>::zeros([2]);
/// // Central difference of the middle row along axis 0: (a[2, ..] - a[0, ..]) / 2.
/// let (lo, hi) = (a.index_axis(0, 0).unwrap(), a.index_axis(0, 2).unwrap());
/// zip_runs(&mut out.view_mut(), [&lo, &hi], |mut o, [l, h]| {
///     for i in 0..o.len() { o[i] = (h[i] - l[i]) / 2.0; }
/// }).unwrap();
/// assert_eq!(out.to_vec(), vec![2., 2.]);
/// ```
pub fn zip_runs<T, U, const K: usize>(
    out: &mut ArrayViewMut<'_, T>,
    inputs: [&ArrayView<'_, U>; K],
    mut f: impl FnMut(LaneMut<'_, T>, [Lane<'_, U>; K]),
) -> Result<()> {
    let layouts: [&Layout; K] = std::array::from_fn(|k| &inputs[k].layout);
    let plan = Plan::elementwise(&out.layout, &layouts)?;
    let n = plan.run_len();
    let so = plan.run_stride(0);
    let si: [isize; K] = std::array::from_fn(|k| plan.run_stride(k + 1));
    plan.for_each_run(|start| {
        // SAFETY: `start` holds the offsets of one index inside the (non-empty: the plan
        // yields no runs otherwise) common shape, for each operand, and the run of `n`
        // elements from there stays inside each view. Runs of the output at distinct
        // positions are disjoint because the output does not overlap itself, so `f`
        // holds the only reference to its output run.
        let (o, ins) = unsafe {
            (
                LaneMut::new(out.ptr.offset(start[0]), n, so),
                std::array::from_fn(|k| Lane::new(inputs[k].ptr.offset(start[k + 1]), n, si[k])),
            )
        };
        f(o, ins);
    });
    Ok(())
}

/// The runs of an input's hyperplanes at one position of a [`zip_planes`] walk:
/// `plane(j)` is the run of hyperplane `j` that matches the output run being written.
pub struct PlaneRuns<'a, T> {
    ptr: NonNull<T>,
    planes: usize,
    axis_stride: isize,
    run: usize,
    stride: isize,
    life: PhantomData<&'a T>,
}

impl<'a, T> PlaneRuns<'a, T> {
    /// The number of hyperplanes (the input's length along the axis).
    pub fn len(&self) -> usize {
        self.planes
    }

    /// Whether the input has no hyperplanes.
    pub fn is_empty(&self) -> bool {
        self.planes == 0
    }

    /// The run of hyperplane `j`.
    ///
    /// # Panics
    /// If `j` is not below [`len`](PlaneRuns::len), like slice indexing.
    #[inline]
    pub fn plane(&self, j: usize) -> Lane<'a, T> {
        assert!(
            j < self.planes,
            "hyperplane {j} is out of bounds for an axis of length {}",
            self.planes
        );
        // SAFETY: j < planes: the run of hyperplane j lies inside the non-empty input view,
        // shared for 'a.
        unsafe {
            Lane::new(
                self.ptr.offset(j as isize * self.axis_stride),
                self.run,
                self.stride,
            )
        }
    }
}

/// The runs of the output's hyperplanes at one position of a [`zip_planes`] walk.
pub struct PlaneRunsMut<'a, T> {
    ptr: NonNull<T>,
    planes: usize,
    axis_stride: isize,
    run: usize,
    stride: isize,
    life: PhantomData<&'a mut T>,
}

impl<T> PlaneRunsMut<'_, T> {
    /// The number of hyperplanes (the output's length along the axis).
    pub fn len(&self) -> usize {
        self.planes
    }

    /// Whether the output has no hyperplanes.
    pub fn is_empty(&self) -> bool {
        self.planes == 0
    }

    /// The run of hyperplane `j`, to write.
    ///
    /// # Panics
    /// If `j` is not below [`len`](PlaneRunsMut::len).
    #[inline]
    pub fn plane_mut(&mut self, j: usize) -> LaneMut<'_, T> {
        assert!(
            j < self.planes,
            "hyperplane {j} is out of bounds for an axis of length {}",
            self.planes
        );
        // SAFETY: j < planes: the run lies inside the non-empty output, exclusively borrowed
        // through `&mut self`.
        unsafe {
            LaneMut::new(
                self.ptr.offset(j as isize * self.axis_stride),
                self.run,
                self.stride,
            )
        }
    }

    /// The run of hyperplane `read` (to read) and of hyperplane `write` (to write), as a
    /// running sum along the axis needs.
    ///
    /// # Panics
    /// If either is out of bounds, or they are equal.
    #[inline]
    pub fn split(&mut self, read: usize, write: usize) -> (Lane<'_, T>, LaneMut<'_, T>) {
        assert!(
            read < self.planes && write < self.planes && read != write,
            "hyperplanes {read} and {write} must be distinct and below {}",
            self.planes
        );
        // SAFETY: both runs lie inside the non-empty output; distinct hyperplanes of a
        // non-overlapping view share no element, so the shared and the exclusive run
        // never alias; both borrow `&mut self`.
        unsafe {
            (
                Lane::new(
                    self.ptr.offset(read as isize * self.axis_stride),
                    self.run,
                    self.stride,
                ),
                LaneMut::new(
                    self.ptr.offset(write as isize * self.axis_stride),
                    self.run,
                    self.stride,
                ),
            )
        }
    }
}

/// Walks `input` and `out` along `axis` in plane order. For every position of the other
/// axes (in runs) and every output index `i` along `axis`, calls `f(i, out_runs,
/// in_runs)`: `out_runs.plane_mut(i)` is the run to write, `in_runs.plane(j)` the
/// matching run of input hyperplane `j`. All runs in one call have the same length, and
/// are slices (see [`Lane::as_slice`]) wherever memory allows.
///
/// The two arrays must agree on every axis but `axis`, where their lengths may differ
/// (a difference is one shorter, an `include_initial` scan one longer).
///
/// ```
/// use ndcore::prelude::*;
/// // A running sum down the columns, in plane order.
/// let a = array![[1, 2], [3, 4], [5, 6]];
/// let mut c = Array::<i32>::zeros([3, 2]);
/// zip_planes(0, &a.view(), &mut c.view_mut(), |i, mut out, x| {
///     if i == 0 {
///         let (mut o, x0) = (out.plane_mut(0), x.plane(0));
///         for k in 0..o.len() { o[k] = x0[k]; }
///     } else {
///         let (prev, mut o) = out.split(i - 1, i);
///         let xi = x.plane(i);
///         for k in 0..o.len() { o[k] = prev[k] + xi[k]; }
///     }
/// }).unwrap();
/// assert_eq!(c, array![[1, 2], [4, 6], [9, 12]]);
/// ```
pub fn zip_planes<T, U>(
    axis: usize,
    input: &ArrayView<'_, U>,
    out: &mut ArrayViewMut<'_, T>,
    mut f: impl FnMut(usize, &mut PlaneRunsMut<'_, T>, &PlaneRuns<'_, U>),
) -> Result<()> {
    let Some(PlanePlan {
        outer,
        inner,
        out_axis: (n_out, so_axis),
        in_axis: (n_in, si_axis),
    }) = PlanePlan::new(axis, &out.layout, &input.layout)?
    else {
        return Ok(());
    };
    let (on, oso, osi) = (outer.run_len(), outer.run_stride(0), outer.run_stride(1));
    let (len, so, si) = (inner.run_len(), inner.run_stride(0), inner.run_stride(1));
    // The inner runs are the same for every hyperplane: list their starts once instead of
    // stepping the inner odometer for each of them, when they fit on the stack (usually
    // there is one run); more (a transposed input, say) are stepped plane by plane, so
    // that the walk never allocates.
    let mut starts: SmallVec<[[isize; 2]; 4]> = SmallVec::new();
    let mut listed = true;
    inner.for_each_run(|start| {
        if starts.len() < starts.inline_size() {
            starts.push([start[0], start[1]]);
        } else {
            listed = false;
        }
    });
    let mut visit = |i: usize, base_o: isize, base_i: isize, start: &[isize]| {
        // SAFETY: (outer index, i, inner run start) is an index inside the non-empty
        // output; the runs handed out at distinct positions are disjoint, and `f` gets
        // them one call at a time.
        let op = unsafe { out.ptr.offset(base_o + start[0]) };
        let ip = if n_in == 0 {
            input.ptr
        } else {
            // SAFETY: the same position of hyperplane 0 of the non-empty input.
            unsafe { input.ptr.offset(base_i + start[1]) }
        };
        let mut o = PlaneRunsMut {
            ptr: op,
            planes: n_out,
            axis_stride: so_axis,
            run: len,
            stride: so,
            life: PhantomData,
        };
        let x = PlaneRuns {
            ptr: ip,
            planes: n_in,
            axis_stride: si_axis,
            run: len,
            stride: si,
            life: PhantomData,
        };
        f(i, &mut o, &x);
    };
    outer.for_each_run(|ostart| {
        for k in 0..on as isize {
            let (base_o, base_i) = (ostart[0] + k * oso, ostart[1] + k * osi);
            for i in 0..n_out {
                if listed {
                    for start in &starts {
                        visit(i, base_o, base_i, start);
                    }
                } else {
                    inner.for_each_run(|start| visit(i, base_o, base_i, start));
                }
            }
        }
    });
    Ok(())
}
