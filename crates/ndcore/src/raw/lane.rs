//! Lanes: the 1-D lines of an array along one axis, as `(pointer, length, stride)`, and
//! the two walks that hand them to kernels: [`zip_lanes`] (lane order) and [`zip_runs`]
//! (the elementwise walk used for plane order).

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};
use std::ptr::NonNull;

use super::{ArrayView, ArrayViewMut};
use crate::error::{Error, Result};
use crate::layout::{OffsetIter, Plan, Shape, Strides};

/// One line of elements along an axis: a pointer, a length and a stride. `Copy`.
///
/// When the stride is 1, [`as_slice`](Lane::as_slice) gives the elements as a slice, which
/// is where 1-D kernels vectorize.
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::from_shape_vec([2, 3], vec![1, 2, 3, 4, 5, 6]).unwrap();
/// let cols: Vec<i32> = a.lanes(0).unwrap().map(|lane| lane.iter().sum()).collect();
/// assert_eq!(cols, vec![5, 7, 9]);
/// let first_row = a.lanes(1).unwrap().next().unwrap();
/// assert_eq!(first_row.as_slice(), Some(&[1, 2, 3][..]));
/// ```
pub struct Lane<'a, T> {
    ptr: NonNull<T>,
    len: usize,
    stride: isize,
    life: PhantomData<&'a T>,
}

impl<T> Clone for Lane<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Lane<'_, T> {}

// SAFETY: a Lane is a shared borrow of `T`s, like `&[T]`.
unsafe impl<T: Sync> Send for Lane<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for Lane<'_, T> {}

impl<'a, T> Lane<'a, T> {
    /// The lane over a 1-D view (or a run of a walk). The caller guarantees the invariant
    /// of `raw` for `len` elements at `ptr` with `stride`.
    fn new(ptr: NonNull<T>, len: usize, stride: isize) -> Self {
        Lane {
            ptr,
            len,
            stride,
            life: PhantomData,
        }
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the lane has no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The distance between neighbours, in elements.
    pub fn stride(&self) -> isize {
        self.stride
    }

    /// The element at `i`, or `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a T> {
        if i < self.len {
            // SAFETY: i < len stays inside the lane.
            Some(unsafe { &*self.ptr.as_ptr().offset(i as isize * self.stride) })
        } else {
            None
        }
    }

    /// The elements as a slice, when they are consecutive (stride 1, or fewer than two).
    #[inline]
    pub fn as_slice(&self) -> Option<&'a [T]> {
        if self.stride == 1 || self.len <= 1 {
            // SAFETY: `len` consecutive elements from `ptr` (or none).
            Some(unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) })
        } else {
            None
        }
    }

    /// An iterator over the elements, first to last.
    pub fn iter(&self) -> LaneIter<'a, T> {
        LaneIter {
            lane: *self,
            front: 0,
            back: self.len,
        }
    }

    /// The lane as a 1-D [`ArrayView`].
    pub fn to_view(&self) -> ArrayView<'a, T> {
        ArrayView {
            ptr: self.ptr,
            shape: Shape::from_slice(&[self.len]),
            strides: Strides::from_slice(&[self.stride]),
            life: PhantomData,
        }
    }
}

impl<T> Index<usize> for Lane<'_, T> {
    type Output = T;

    /// # Panics
    /// If `i >= len`, like slice indexing.
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!(
                "index {i} is out of bounds for a lane of length {}",
                self.len
            ),
        }
    }
}

impl<'a, T> IntoIterator for Lane<'a, T> {
    type Item = &'a T;
    type IntoIter = LaneIter<'a, T>;
    fn into_iter(self) -> LaneIter<'a, T> {
        self.iter()
    }
}

/// An iterator over a [`Lane`]'s elements; double-ended and exact-size.
pub struct LaneIter<'a, T> {
    lane: Lane<'a, T>,
    front: usize,
    back: usize,
}

impl<'a, T> Iterator for LaneIter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        if self.front < self.back {
            let x = self.lane.get(self.front);
            self.front += 1;
            x
        } else {
            None
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T> DoubleEndedIterator for LaneIter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front < self.back {
            self.back -= 1;
            self.lane.get(self.back)
        } else {
            None
        }
    }
}

impl<T> ExactSizeIterator for LaneIter<'_, T> {}

/// One mutable line of elements along an axis.
///
/// ```
/// use ndcore::prelude::*;
/// let mut a = Array::from_shape_vec([2, 3], vec![1, 2, 3, 4, 5, 6]).unwrap();
/// for mut lane in a.lanes_mut(0).unwrap() {
///     lane[1] += lane[0]; // running sum down each column
/// }
/// assert_eq!(a.to_vec(), vec![1, 2, 3, 5, 7, 9]);
/// ```
pub struct LaneMut<'a, T> {
    ptr: NonNull<T>,
    len: usize,
    stride: isize,
    life: PhantomData<&'a mut T>,
}

// SAFETY: an exclusive borrow of distinct `T`s, like `&mut [T]`.
unsafe impl<T: Send> Send for LaneMut<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for LaneMut<'_, T> {}

impl<'a, T> LaneMut<'a, T> {
    fn new(ptr: NonNull<T>, len: usize, stride: isize) -> Self {
        LaneMut {
            ptr,
            len,
            stride,
            life: PhantomData,
        }
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the lane has no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The distance between neighbours, in elements.
    pub fn stride(&self) -> isize {
        self.stride
    }

    /// A read-only copy of the lane, borrowing `self`.
    pub fn as_lane(&self) -> Lane<'_, T> {
        Lane::new(self.ptr, self.len, self.stride)
    }

    /// The element at `i`, or `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        self.as_lane().get(i)
    }

    /// The element at `i` mutably, or `None` past the end.
    #[inline]
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i < self.len {
            // SAFETY: i < len stays inside the lane; `&mut self` makes it exclusive.
            Some(unsafe { &mut *self.ptr.as_ptr().offset(i as isize * self.stride) })
        } else {
            None
        }
    }

    /// The elements as a mutable slice, when consecutive.
    #[inline]
    pub fn as_mut_slice(&mut self) -> Option<&mut [T]> {
        if self.stride == 1 || self.len <= 1 {
            // SAFETY: `len` consecutive elements, exclusively borrowed through `&mut self`.
            Some(unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) })
        } else {
            None
        }
    }

    /// A mutable iterator over the elements, first to last.
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = &mut T> + DoubleEndedIterator + '_ {
        let (p, stride) = (self.ptr, self.stride);
        // SAFETY: each i < len addresses a distinct element of the lane, exclusively
        // borrowed through `&mut self`.
        (0..self.len).map(move |i| unsafe { &mut *p.as_ptr().offset(i as isize * stride) })
    }

    /// The lane as a 1-D [`ArrayViewMut`], borrowing `self`.
    pub fn view_mut(&mut self) -> ArrayViewMut<'_, T> {
        ArrayViewMut {
            ptr: self.ptr,
            shape: Shape::from_slice(&[self.len]),
            strides: Strides::from_slice(&[self.stride]),
            life: PhantomData,
        }
    }
}

impl<T> Index<usize> for LaneMut<'_, T> {
    type Output = T;

    /// # Panics
    /// If `i >= len`, like slice indexing.
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!(
                "index {i} is out of bounds for a lane of length {}",
                self.len
            ),
        }
    }
}

impl<T> IndexMut<usize> for LaneMut<'_, T> {
    /// # Panics
    /// If `i >= len`, like slice indexing.
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len;
        match self.get_mut(i) {
            Some(x) => x,
            None => panic!("index {i} is out of bounds for a lane of length {len}"),
        }
    }
}

/// The lanes of a view along one axis, in logical C order of the other axes; see
/// [`AsView::lanes`](crate::AsView::lanes).
pub struct Lanes<'a, T> {
    ptr: NonNull<T>,
    outer: OffsetIter,
    len: usize,
    stride: isize,
    life: PhantomData<&'a T>,
}

// SAFETY: yields shared lanes only, like `slice::Chunks`.
unsafe impl<T: Sync> Send for Lanes<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for Lanes<'_, T> {}

/// The other axes' layout and the lane's length and stride; `axis` is in range.
fn split_axis(shape: &[usize], strides: &[isize], axis: usize) -> (Shape, Strides, usize, isize) {
    let mut outer_shape = Shape::from_slice(shape);
    let mut outer_strides = Strides::from_slice(strides);
    let len = outer_shape.remove(axis);
    let stride = outer_strides.remove(axis);
    (outer_shape, outer_strides, len, stride)
}

impl<'a, T> Lanes<'a, T> {
    pub(crate) fn new(view: ArrayView<'a, T>, axis: usize) -> Self {
        let (shape, strides, len, stride) = split_axis(&view.shape, &view.strides, axis);
        Lanes {
            ptr: view.ptr,
            outer: OffsetIter::new(&shape, &strides),
            len,
            stride,
            life: PhantomData,
        }
    }
}

impl<'a, T> Iterator for Lanes<'a, T> {
    type Item = Lane<'a, T>;

    #[inline]
    fn next(&mut self) -> Option<Lane<'a, T>> {
        let off = self.outer.next()?;
        let ptr = if self.len == 0 {
            // An empty view's pointer may dangle: never offset it.
            self.ptr
        } else {
            // SAFETY: the lane's first element is an index inside the non-empty view.
            unsafe { self.ptr.offset(off) }
        };
        Some(Lane::new(ptr, self.len, self.stride))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.outer.size_hint()
    }
}

impl<T> ExactSizeIterator for Lanes<'_, T> {}

/// The mutable lanes of a view along one axis; see
/// [`AsViewMut::lanes_mut`](crate::AsViewMut::lanes_mut).
pub struct LanesMut<'a, T> {
    ptr: NonNull<T>,
    outer: OffsetIter,
    len: usize,
    stride: isize,
    life: PhantomData<&'a mut T>,
}

// SAFETY: yields disjoint mutable lanes, like `slice::ChunksMut`.
unsafe impl<T: Send> Send for LanesMut<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for LanesMut<'_, T> {}

impl<'a, T> LanesMut<'a, T> {
    pub(crate) fn new(view: ArrayViewMut<'a, T>, axis: usize) -> Self {
        let (shape, strides, len, stride) = split_axis(&view.shape, &view.strides, axis);
        LanesMut {
            ptr: view.ptr,
            outer: OffsetIter::new(&shape, &strides),
            len,
            stride,
            life: PhantomData,
        }
    }
}

impl<'a, T> Iterator for LanesMut<'a, T> {
    type Item = LaneMut<'a, T>;

    #[inline]
    fn next(&mut self) -> Option<LaneMut<'a, T>> {
        let off = self.outer.next()?;
        let ptr = if self.len == 0 {
            self.ptr
        } else {
            // SAFETY: the lane's first element is an index inside the non-empty view. Lanes
            // of a non-overlapping view at distinct outer indices share no element, so the
            // lanes handed out never alias.
            unsafe { self.ptr.offset(off) }
        };
        Some(LaneMut::new(ptr, self.len, self.stride))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.outer.size_hint()
    }
}

impl<T> ExactSizeIterator for LanesMut<'_, T> {}

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
    let ndim = out.shape.len();
    let axis = crate::layout::check_axis(axis, ndim)?;
    let mismatch = || Error::ShapeMismatch {
        expected: out.shape.to_vec(),
        found: input.shape.to_vec(),
    };
    if input.shape.len() != ndim {
        return Err(mismatch());
    }
    let (o_shape, o_strides, o_len, o_stride) = split_axis(&out.shape, &out.strides, axis);
    let (i_shape, i_strides, i_len, i_stride) = split_axis(&input.shape, &input.strides, axis);
    if o_shape != i_shape {
        return Err(mismatch());
    }
    let plan = Plan::new(&o_shape, &[&o_strides, &i_strides]);
    let (n, so, si) = (plan.run_len(), plan.run_stride(0), plan.run_stride(1));
    plan.for_each_run(|start| {
        for k in 0..n as isize {
            let (oo, io) = (start[0] + k * so, start[1] + k * si);
            let op = if o_len == 0 {
                out.ptr
            } else {
                // SAFETY: an index inside the non-empty output; each outer index is visited
                // once and lanes at distinct outer indices are disjoint.
                unsafe { out.ptr.offset(oo) }
            };
            let ip = if i_len == 0 {
                input.ptr
            } else {
                // SAFETY: an index inside the non-empty input.
                unsafe { input.ptr.offset(io) }
            };
            f(
                Lane::new(ip, i_len, i_stride),
                LaneMut::new(op, o_len, o_stride),
            );
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
    for v in &inputs {
        if v.shape != out.shape {
            return Err(Error::ShapeMismatch {
                expected: out.shape.to_vec(),
                found: v.shape.to_vec(),
            });
        }
    }
    let all: smallvec::SmallVec<[&[isize]; 4]> = std::iter::once(&out.strides[..])
        .chain(inputs.iter().map(|v| &v.strides[..]))
        .collect();
    let plan = Plan::new(&out.shape, &all);
    let n = plan.run_len();
    let so = plan.run_stride(0);
    let si: [isize; K] = std::array::from_fn(|k| plan.run_stride(k + 1));
    plan.for_each_run(|start| {
        // SAFETY: `start` holds the offsets of one index inside the (non-empty: the plan
        // yields no runs otherwise) common shape, for each operand. Runs of the output at
        // distinct positions are disjoint because the output does not overlap itself.
        let o = unsafe { out.ptr.offset(start[0]) };
        // SAFETY: as above, for each input.
        let ins = std::array::from_fn(|k| {
            Lane::new(unsafe { inputs[k].ptr.offset(start[k + 1]) }, n, si[k])
        });
        f(LaneMut::new(o, n, so), ins);
    });
    Ok(())
}
