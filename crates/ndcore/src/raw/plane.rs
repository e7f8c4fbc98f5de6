//! Plane order: the walk for along-axis work when the axis is not the fastest in memory.
//!
//! Walking a lane of axis 0 of a row-major matrix jumps a whole row per element. Plane
//! order instead sweeps the index `i` along the axis and treats whole hyperplanes
//! `x[.., i, ..]` at once, with their contiguous runs innermost: every byte is read
//! sequentially and the inner loop is a slice loop. Axes that step farther than the
//! working axis are walked outermost, so the few hyperplanes a stencil touches stay in
//! cache (for axis 1 of a 3-D array, one 2-D slab at a time).

use std::marker::PhantomData;
use std::ptr::NonNull;

use smallvec::SmallVec;

use super::lane::{Lane, LaneMut};
use super::{ArrayView, ArrayViewMut};
use crate::error::{Error, Result};
use crate::layout::{Plan, Shape, Strides};

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
        // SAFETY: j < planes: the run of hyperplane j lies inside the non-empty input view.
        Lane::new(
            unsafe { self.ptr.offset(j as isize * self.axis_stride) },
            self.run,
            self.stride,
        )
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
        LaneMut::new(
            unsafe { self.ptr.offset(j as isize * self.axis_stride) },
            self.run,
            self.stride,
        )
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
    let ndim = out.shape.len();
    crate::layout::check_axis(axis, ndim)?;
    let mismatch = || Error::ShapeMismatch {
        expected: out.shape.to_vec(),
        found: input.shape.to_vec(),
    };
    if input.shape.len() != ndim {
        return Err(mismatch());
    }
    let (n_out, n_in) = (out.shape[axis], input.shape[axis]);
    let (so_axis, si_axis) = (out.strides[axis], input.strides[axis]);
    // Split the other axes: those stepping farther than `axis` in the input go outside.
    let reach = input.strides[axis].unsigned_abs();
    let (mut o_shape, mut o_so, mut o_si) = (Shape::new(), Strides::new(), Strides::new());
    let (mut i_shape, mut i_so, mut i_si) = (Shape::new(), Strides::new(), Strides::new());
    for k in (0..ndim).filter(|&k| k != axis) {
        if out.shape[k] != input.shape[k] {
            return Err(mismatch());
        }
        let outer = input.strides[k].unsigned_abs() > reach;
        let (sh, so, si) = if outer {
            (&mut o_shape, &mut o_so, &mut o_si)
        } else {
            (&mut i_shape, &mut i_so, &mut i_si)
        };
        sh.push(out.shape[k]);
        so.push(out.strides[k]);
        si.push(input.strides[k]);
    }
    if o_shape.contains(&0) || i_shape.contains(&0) || n_out == 0 {
        return Ok(());
    }
    let outer = Plan::new(&o_shape, &[&o_so, &o_si]);
    let inner = Plan::new(&i_shape, &[&i_so, &i_si]);
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
