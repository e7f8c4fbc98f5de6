//! The walks that hand lanes to kernels: [`zip_lanes`] (lane order: whole lanes along
//! an axis), [`zip_runs`] (the elementwise walk over same-shape operands) and
//! [`zip_planes`] (plane order: hyperplanes along an axis, their runs innermost). Each
//! takes the output first, then an array of inputs.
//!
//! # Lanes and runs
//!
//! A *lane* is a whole line of an array along one axis: its neighbours are the array's
//! neighbours along that axis, so a lane kernel may read `x[i - 1]` and `x[i + 1]`.
//!
//! A *run* is whatever stretch of elements every operand steps through with one stride:
//! the walk merges axes where all operands allow and orders them by the output's memory
//! layout, so a run may be a whole contiguous array, one row, or **one element** (a
//! transposed input against a row-major output). Element `i` of one run matches
//! element `i` of the others, and that is all a kernel may rely on: it reads index `i`
//! of its runs to write index `i`, never `i ± 1`. For neighbourhoods, use
//! [`stencil`](crate::stencil), or the other hyperplanes of a [`zip_planes`] walk.
//!
//! [`contiguous_or_strided`](crate::contiguous_or_strided) makes one kernel serve both
//! contiguous and strided lanes or runs at slice-loop speed.
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
use super::view::ArrayView;
use crate::axis::AxisArg;
use crate::error::Result;
use crate::layout::{LanePlan, Layout, Plan, PlanePlan};
use crate::{ArrayLike, AsViewMut};

/// Walks the lanes of `out` and `inputs` along `axis` together: `f` receives each output
/// lane with the input lanes at the same index of the other axes. The lanes may differ
/// in length (diff shortens them, `include_initial` lengthens them); every other axis
/// must match. The order of the walk follows the output's memory layout, not C order.
///
/// This is *lane order*: best when `axis` is the fastest-varying one. A lane holds the
/// whole line along `axis`, so a kernel may read any element of it.
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_shape_vec([2, 3], vec![1., 2., 4., 8., 16., 32.]).unwrap();
/// let mut d = Array::<f64>::zeros([2, 2]);
/// zip_lanes(&mut d, [&a], 1, |mut y, [x]| {
///     for i in 0..y.len() { y[i] = x[i + 1] - x[i]; }
/// }).unwrap();
/// assert_eq!(d.to_vec(), vec![1., 2., 8., 16.]);
/// ```
///
/// # Errors
/// When `axis` is out of range, or an input differs from `out` on another axis.
pub fn zip_lanes<T, U, A, const K: usize>(
    out: &mut impl AsViewMut<T>,
    inputs: [&A; K],
    axis: impl AxisArg,
    mut f: impl FnMut(LaneMut<'_, T>, [Lane<'_, U>; K]),
) -> Result<()>
where
    A: ArrayLike<U> + ?Sized,
{
    let out = out.view_mut();
    let inputs: [ArrayView<'_, U>; K] = inputs.map(|a| a.view());
    let layouts: [&Layout; K] = std::array::from_fn(|k| &inputs[k].layout);
    let LanePlan { outer, lanes } = LanePlan::new(axis, &out.layout, &layouts)?;
    let n = outer.run_len();
    let steps: [isize; K] = std::array::from_fn(|k| outer.run_stride(k + 1));
    let so = outer.run_stride(0);
    outer.for_each_run(|start| {
        for j in 0..n as isize {
            // SAFETY: `start` and `j` index one lane of each operand, inside its view.
            let op = unsafe { run_start(out.ptr, lanes[0].0, start[0] + j * so) };
            let ips: [_; K] = std::array::from_fn(|k| {
                // SAFETY: as for the output.
                unsafe { run_start(inputs[k].ptr, lanes[k + 1].0, start[k + 1] + j * steps[k]) }
            });
            // SAFETY: the lanes at one index of the other axes, inside the views; each
            // outer index is visited once and output lanes at distinct outer indices are
            // disjoint, so `f` holds the only reference to its output lane.
            let (y, xs) = unsafe {
                (
                    LaneMut::new(op, lanes[0].0, lanes[0].1),
                    std::array::from_fn(|k| Lane::new(ips[k], lanes[k + 1].0, lanes[k + 1].1)),
                )
            };
            f(y, xs);
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
/// A *run* is whatever stretch of elements every operand steps through with one stride:
/// a whole contiguous array, one row, or **one element** (a transposed input against a
/// row-major output), and its next element need not be a neighbour along any axis. A
/// kernel writes element `i` of the output run from element `i` of the input runs only;
/// for neighbourhoods, use [`stencil`](crate::stencil). [`LaneMut::zip_with`] is that loop.
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
/// zip_runs(&mut out, [&lo, &hi], |mut o, [l, h]| {
///     for i in 0..o.len() { o[i] = (h[i] - l[i]) / 2.0; }
/// }).unwrap();
/// assert_eq!(out.to_vec(), vec![2., 2.]);
/// ```
///
/// # Errors
/// When an input's shape differs from the output's.
pub fn zip_runs<T, U, A, const K: usize>(
    out: &mut impl AsViewMut<T>,
    inputs: [&A; K],
    mut f: impl FnMut(LaneMut<'_, T>, [Lane<'_, U>; K]),
) -> Result<()>
where
    A: ArrayLike<U> + ?Sized,
{
    let out = out.view_mut();
    let inputs: [ArrayView<'_, U>; K] = inputs.map(|a| a.view());
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

/// The start of an operand's run at `offset`, or `ptr` itself when the operand has no
/// elements along the walked axis (`len` 0), where offsets point nowhere and no element
/// is read.
///
/// # Safety
/// With `len` above 0, `offset` is the offset of an element of the view `ptr` starts.
#[inline(always)]
unsafe fn run_start<T>(ptr: NonNull<T>, len: usize, offset: isize) -> NonNull<T> {
    if len == 0 {
        return ptr;
    }
    // SAFETY: an element of the view, by the caller's promise.
    unsafe { ptr.offset(offset) }
}

/// The runs of one operand's hyperplanes at one position of a [`zip_planes`] walk: the
/// part of [`PlaneRuns`] and [`PlaneRunsMut`] that does not depend on mutability.
#[derive(Clone, Copy)]
struct Planes<T> {
    /// The run of hyperplane 0.
    ptr: NonNull<T>,
    planes: usize,
    axis_stride: isize,
    run: usize,
    stride: isize,
}

impl<T> Planes<T> {
    /// The runs of `run` elements `stride` apart, of `planes` hyperplanes `axis_stride`
    /// apart, the one of hyperplane 0 at `offset` from `ptr`.
    ///
    /// # Safety
    /// With `planes` above 0, every run lies inside the view `ptr` starts.
    #[inline(always)]
    unsafe fn new(
        ptr: NonNull<T>,
        (planes, axis_stride): (usize, isize),
        offset: isize,
        (run, stride): (usize, isize),
    ) -> Self {
        Planes {
            // SAFETY: the start of a run inside the view, by the caller's promise.
            ptr: unsafe { run_start(ptr, planes, offset) },
            planes,
            axis_stride,
            run,
            stride,
        }
    }

    /// The start of the run of hyperplane `j`.
    ///
    /// # Panics
    /// If `j` is not below `planes`, like slice indexing.
    #[inline]
    fn start(&self, j: usize) -> NonNull<T> {
        assert!(
            j < self.planes,
            "hyperplane {j} is out of bounds for an axis of length {}",
            self.planes
        );
        // SAFETY: j < planes: the run of hyperplane j lies inside the non-empty operand.
        unsafe { self.ptr.offset(j as isize * self.axis_stride) }
    }
}

/// The runs of an input's hyperplanes at one position of a [`zip_planes`] walk:
/// `plane(j)` is the run of hyperplane `j` that matches the output run being written.
#[derive(Clone, Copy)]
pub struct PlaneRuns<'a, T> {
    at: Planes<T>,
    life: PhantomData<&'a T>,
}

impl<'a, T> PlaneRuns<'a, T> {
    /// The number of hyperplanes (the input's length along the axis).
    pub fn len(&self) -> usize {
        self.at.planes
    }

    /// Whether the input has no hyperplanes.
    pub fn is_empty(&self) -> bool {
        self.at.planes == 0
    }

    /// The run of hyperplane `j`.
    ///
    /// # Panics
    /// If `j` is not below [`len`](PlaneRuns::len), like slice indexing.
    #[inline]
    pub fn plane(&self, j: usize) -> Lane<'a, T> {
        // SAFETY: a run inside the input view, shared for 'a.
        unsafe { Lane::new(self.at.start(j), self.at.run, self.at.stride) }
    }
}

/// The runs of the output's hyperplanes at one position of a [`zip_planes`] walk.
pub struct PlaneRunsMut<'a, T> {
    at: Planes<T>,
    life: PhantomData<&'a mut T>,
}

impl<T> PlaneRunsMut<'_, T> {
    /// The number of hyperplanes (the output's length along the axis).
    pub fn len(&self) -> usize {
        self.at.planes
    }

    /// Whether the output has no hyperplanes.
    pub fn is_empty(&self) -> bool {
        self.at.planes == 0
    }

    /// The run of hyperplane `j`, to write.
    ///
    /// # Panics
    /// If `j` is not below [`len`](PlaneRunsMut::len).
    #[inline]
    pub fn plane_mut(&mut self, j: usize) -> LaneMut<'_, T> {
        // SAFETY: a run inside the output, exclusively borrowed through `&mut self`.
        unsafe { LaneMut::new(self.at.start(j), self.at.run, self.at.stride) }
    }

    /// The run of hyperplane `read` (to read) and of hyperplane `write` (to write), as a
    /// running sum along the axis needs.
    ///
    /// # Panics
    /// If either is out of bounds, or they are equal.
    #[inline]
    pub fn split(&mut self, read: usize, write: usize) -> (Lane<'_, T>, LaneMut<'_, T>) {
        assert!(
            read != write,
            "hyperplanes {read} and {write} must be distinct"
        );
        let (r, w) = (self.at.start(read), self.at.start(write));
        // SAFETY: both runs lie inside the output; distinct hyperplanes of a
        // non-overlapping view share no element, so the shared and the exclusive run
        // never alias; both borrow `&mut self`.
        unsafe {
            (
                Lane::new(r, self.at.run, self.at.stride),
                LaneMut::new(w, self.at.run, self.at.stride),
            )
        }
    }
}

/// Walks `out` and `inputs` along `axis` in plane order. For every position of the other
/// axes (in runs) and every output index `i` along `axis`, calls `f(i, out_runs,
/// in_runs)`: `out_runs.plane_mut(i)` is the run to write, `in_runs[k].plane(j)` the
/// matching run of hyperplane `j` of input `k`. All runs in one call have the same
/// length, and are slices (see [`Lane::as_slice`]) wherever memory allows.
///
/// A run covers the same positions of the other axes in every hyperplane, so a kernel
/// may read any hyperplane `j` (that is how it reaches neighbours along `axis`), but
/// within a run only the element `i` it writes: a run may be one element long, and its
/// next element need not be a neighbour along any axis (see [`zip_runs`]).
///
/// The arrays must agree on every axis but `axis`, where their lengths may differ (a
/// difference is one shorter, an `include_initial` scan one longer).
///
/// ```
/// use ndcore::prelude::*;
/// // A running sum down the columns, in plane order.
/// let a = array![[1, 2], [3, 4], [5, 6]];
/// let mut c = Array::<i32>::zeros([3, 2]);
/// zip_planes(&mut c, [&a], 0, |i, out, [x]| {
///     if i == 0 {
///         out.plane_mut(0).zip_with([x.plane(0)], |o, [x]| *o = *x);
///     } else {
///         let (prev, mut o) = out.split(i - 1, i);
///         o.zip_with([prev, x.plane(i)], |o, [p, x]| *o = p + x);
///     }
/// }).unwrap();
/// assert_eq!(c, array![[1, 2], [4, 6], [9, 12]]);
/// ```
///
/// # Errors
/// When `axis` is out of range, or an input differs from `out` on another axis.
pub fn zip_planes<T, U, A, const K: usize>(
    out: &mut impl AsViewMut<T>,
    inputs: [&A; K],
    axis: impl AxisArg,
    mut f: impl FnMut(usize, &mut PlaneRunsMut<'_, T>, [PlaneRuns<'_, U>; K]),
) -> Result<()>
where
    A: ArrayLike<U> + ?Sized,
{
    let out = out.view_mut();
    let inputs: [ArrayView<'_, U>; K] = inputs.map(|a| a.view());
    let layouts: [&Layout; K] = std::array::from_fn(|k| &inputs[k].layout);
    let Some(PlanePlan { outer, inner, axes }) = PlanePlan::new(axis, &out.layout, &layouts)?
    else {
        return Ok(());
    };
    let on = outer.run_len();
    let (len, so) = (inner.run_len(), inner.run_stride(0));
    let oso = outer.run_stride(0);
    let osi: [isize; K] = std::array::from_fn(|k| outer.run_stride(k + 1));
    let si: [isize; K] = std::array::from_fn(|k| inner.run_stride(k + 1));
    // The inner runs are the same for every hyperplane: list their starts once instead of
    // stepping the inner odometer for each of them, when they fit on the stack (usually
    // there is one run); more (a transposed input, say) are stepped plane by plane, so
    // that the walk never allocates.
    let mut starts: SmallVec<[SmallVec<[isize; 4]>; 4]> = SmallVec::new();
    let mut listed = true;
    inner.for_each_run(|start| {
        if starts.len() < starts.inline_size() {
            starts.push(SmallVec::from_slice(start));
        } else {
            listed = false;
        }
    });
    let mut visit = |i: usize, base: &[isize], start: &[isize]| {
        // SAFETY: (outer index, inner run start) is an index of hyperplane 0 of the
        // output, and its runs stay inside it; the runs at distinct positions are
        // disjoint, and `f` gets them one call at a time.
        let at = unsafe { Planes::new(out.ptr, axes[0], base[0] + start[0], (len, so)) };
        let mut o = PlaneRunsMut {
            at,
            life: PhantomData,
        };
        let xs = std::array::from_fn(|k| {
            let (offset, run) = (base[k + 1] + start[k + 1], (len, si[k]));
            // SAFETY: the same position in each input, whose runs stay inside it.
            let at = unsafe { Planes::new(inputs[k].ptr, axes[k + 1], offset, run) };
            PlaneRuns {
                at,
                life: PhantomData,
            }
        });
        f(i, &mut o, xs);
    };
    let mut base: SmallVec<[isize; 4]> = SmallVec::from_elem(0, K + 1);
    outer.for_each_run(|ostart| {
        for j in 0..on as isize {
            base[0] = ostart[0] + j * oso;
            for k in 0..K {
                base[k + 1] = ostart[k + 1] + j * osi[k];
            }
            for i in 0..axes[0].0 {
                if listed {
                    for start in &starts {
                        visit(i, &base, start);
                    }
                } else {
                    inner.for_each_run(|start| visit(i, &base, start));
                }
            }
        }
    });
    Ok(())
}
