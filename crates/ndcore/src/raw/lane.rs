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
    pub(super) fn new(ptr: NonNull<T>, len: usize, stride: isize) -> Self {
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
    pub(super) fn new(ptr: NonNull<T>, len: usize, stride: isize) -> Self {
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

/// Randomised checks of every path that dereferences a pointer (iterators, lanes, the
/// two walks, element access, splits) on random strided layouts: negative and gapped
/// strides, offsets, empty and 0-d views. Each read is compared with the element the
/// strides define; each write must land on exactly the view's own buffer positions.
/// Small enough to run under Miri, where it is the main check of this module's `unsafe`.
#[cfg(test)]
mod tests {
    use quickcheck::{Arbitrary, Gen, QuickCheck};

    use crate::prelude::*;

    /// A non-overlapping layout over a buffer: shape, strides, offset of `[0, ..]`.
    #[derive(Clone, Debug)]
    struct Layout {
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
        len: usize,
    }

    fn pick(g: &mut Gen, n: usize) -> usize {
        usize::arbitrary(g) % n
    }

    impl Arbitrary for Layout {
        fn arbitrary(g: &mut Gen) -> Self {
            let ndim = pick(g, 4);
            let shape: Vec<usize> = (0..ndim).map(|_| pick(g, 4)).collect();
            // Axes in a random memory order, each stepping past the faster ones, maybe
            // with a gap, maybe backwards.
            let mut order: Vec<usize> = (0..ndim).collect();
            for i in (1..ndim).rev() {
                order.swap(i, pick(g, i + 1));
            }
            let mut strides = vec![0isize; ndim];
            let mut reach = 0isize;
            for &a in order.iter().rev() {
                let s = reach + 1 + pick(g, 2) as isize;
                strides[a] = if bool::arbitrary(g) { -s } else { s };
                reach += (shape[a].max(1) as isize - 1) * s;
            }
            let empty = shape.contains(&0);
            let (mut lo, mut hi) = (0isize, 0isize);
            for (&n, &s) in shape.iter().zip(&strides) {
                let r = if empty { 0 } else { (n as isize - 1) * s };
                if r < 0 {
                    lo += r;
                } else {
                    hi += r;
                }
            }
            let offset = (-lo) as usize + pick(g, 2);
            let len = offset + if empty { 0 } else { hi as usize + 1 } + pick(g, 2);
            Layout {
                shape,
                strides,
                offset,
                len,
            }
        }
    }

    impl Layout {
        fn indices(&self) -> Vec<Vec<usize>> {
            let n: usize = self.shape.iter().product();
            let mut ix = vec![0; self.shape.len()];
            let mut out = Vec::new();
            for k in 0..n {
                if k > 0 {
                    for ax in (0..ix.len()).rev() {
                        ix[ax] += 1;
                        if ix[ax] < self.shape[ax] {
                            break;
                        }
                        ix[ax] = 0;
                    }
                }
                out.push(ix.clone());
            }
            out
        }

        /// The buffer position of `ix`, by the definition of strides.
        fn pos(&self, ix: &[usize]) -> usize {
            let off: isize = ix
                .iter()
                .zip(&self.strides)
                .map(|(&i, &s)| i as isize * s)
                .sum();
            (self.offset as isize + off) as usize
        }
    }

    /// `QUICKCHECK_TESTS` when set (a longer Miri run), else 300, or 12 under Miri.
    fn cases() -> u64 {
        let default = if cfg!(miri) { 12 } else { 300 };
        std::env::var("QUICKCHECK_TESTS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    }

    fn reads(l: Layout) {
        let buf: Vec<i32> = (0..l.len as i32).collect();
        let v = ArrayView::from_slice_with_strides(&buf, l.shape.clone(), &l.strides, l.offset)
            .unwrap();
        let idx = l.indices();
        let want: Vec<i32> = idx.iter().map(|ix| buf[l.pos(ix)]).collect();
        for (ix, w) in idx.iter().zip(&want) {
            assert_eq!(v.get(ix), Some(w));
        }
        let mut by_next = Vec::new();
        let mut it = v.iter();
        if let Some(&x) = it.next() {
            by_next.push(x);
        }
        it.fold((), |(), &x| by_next.push(x));
        assert_eq!(by_next, want);
        assert_eq!(v.iter().copied().collect::<Vec<_>>(), want);
        if let Some(s) = v.as_slice() {
            assert_eq!(s, &want[..]);
        }
        for a in 0..l.shape.len() {
            let mut seen = 0;
            for lane in v.lanes(a).unwrap() {
                let fwd: Vec<i32> = lane.iter().copied().collect();
                let mut back: Vec<i32> = lane.iter().rev().copied().collect();
                back.reverse();
                assert_eq!(fwd, back);
                assert_eq!(lane.to_view().to_vec(), fwd);
                if let Some(s) = lane.as_slice() {
                    assert_eq!(s, &fwd[..]);
                }
                seen += fwd.len();
            }
            assert_eq!(seen, want.len());
            let (x, y) = v.split_at(a, l.shape[a] / 2).unwrap();
            assert_eq!(x.len() + y.len(), want.len());
            assert_eq!(
                v.axis_iter(a).unwrap().map(|s| s.len()).sum::<usize>(),
                want.len()
            );
        }
    }

    /// Runs `write` on a fresh mutable view of `l` and checks the buffer: positions of
    /// the view hold `expect(k)` for the k-th element in C order, all others are intact.
    fn check_write(
        l: &Layout,
        write: impl FnOnce(ArrayViewMut<'_, i32>),
        expect: impl Fn(usize, &[usize]) -> i32,
    ) {
        let before: Vec<i32> = (0..l.len as i32).map(|x| -x - 1).collect();
        let mut buf = before.clone();
        let v =
            ArrayViewMut::from_slice_with_strides(&mut buf, l.shape.clone(), &l.strides, l.offset)
                .unwrap();
        write(v);
        let mut want = before;
        for (k, ix) in l.indices().iter().enumerate() {
            want[l.pos(ix)] = expect(k, ix);
        }
        assert_eq!(buf, want);
    }

    fn writes(l: Layout) {
        let n = l.indices().len();
        check_write(
            &l,
            |mut v| v.iter_mut().enumerate().for_each(|(k, x)| *x = k as i32),
            |k, _| k as i32,
        );
        check_write(
            &l,
            |mut v| {
                let mut it = v.iter_mut();
                let mut k = 0;
                // `next` on purpose: `for` would go through the `fold` override.
                #[allow(clippy::while_let_on_iterator)]
                while let Some(x) = it.next() {
                    *x = k;
                    k += 1;
                }
            },
            |k, _| k as i32,
        );
        check_write(&l, |mut v| v.fill(7), |_, _| 7);
        check_write(
            &l,
            |mut v| {
                let s: Vec<i32> = (0..n as i32).collect();
                let src = Array::from_shape_vec(l.shape.clone(), s).unwrap();
                v.assign(&src.t().t()).unwrap();
            },
            |k, _| k as i32,
        );
        check_write(
            &l,
            |mut v| {
                for (k, ix) in l.indices().iter().enumerate() {
                    *v.get_mut(ix).unwrap() = 100 + k as i32;
                }
            },
            |k, _| 100 + k as i32,
        );
        check_write(
            &l,
            |mut v| {
                if let Some(s) = v.as_slice_mut() {
                    s.fill(3);
                } else {
                    v.fill(3);
                }
            },
            |_, _| 3,
        );
        for a in 0..l.shape.len() {
            let other: Vec<usize> = l
                .shape
                .iter()
                .enumerate()
                .filter(|&(b, _)| b != a)
                .map(|(_, &m)| m)
                .collect();
            // The j-th lane along `a` in C order of the other axes.
            let lane_no = move |ix: &[usize]| {
                ix.iter()
                    .enumerate()
                    .filter(|&(b, _)| b != a)
                    .zip(&other)
                    .fold(0, |acc, ((_, &i), &m)| acc * m + i)
            };
            let value = move |j: usize, i: usize| (1000 * j + i) as i32;
            for variant in 0..3 {
                check_write(
                    &l,
                    |mut v| {
                        for (j, mut lane) in v.lanes_mut(a).unwrap().enumerate() {
                            match variant {
                                0 => (0..lane.len()).for_each(|i| lane[i] = value(j, i)),
                                1 => lane
                                    .iter_mut()
                                    .enumerate()
                                    .for_each(|(i, x)| *x = value(j, i)),
                                _ => match lane.as_mut_slice() {
                                    Some(s) => {
                                        s.iter_mut().enumerate().for_each(|(i, x)| *x = value(j, i))
                                    }
                                    None => lane
                                        .view_mut()
                                        .iter_mut()
                                        .enumerate()
                                        .for_each(|(i, x)| *x = value(j, i)),
                                },
                            }
                        }
                    },
                    |_, ix| value(lane_no(ix), ix[a]),
                );
            }
            // zip_lanes with an input one longer along `a`, reversed: y[i] = x[i + 1].
            check_write(
                &l,
                |mut v| {
                    let mut in_shape = l.shape.clone();
                    in_shape[a] += 1;
                    let src = Array::from_shape_fn(in_shape, |ix| 10 * ix[a] as i32);
                    let input = src.invert_axis(a).unwrap();
                    zip_lanes(a, &input, &mut v, |x, mut y| {
                        for i in 0..y.len() {
                            y[i] = x[i + 1];
                        }
                    })
                    .unwrap();
                },
                |_, ix| 10 * (l.shape[a] - 1 - ix[a]) as i32,
            );
            // zip_planes, same input: plane i of the output from plane i + 1 of the input,
            // then a running sum down the axis through `split`.
            check_write(
                &l,
                |mut v| {
                    let mut in_shape = l.shape.clone();
                    in_shape[a] += 1;
                    let src = Array::from_shape_fn(in_shape, |ix| 10 * ix[a] as i32);
                    let input = src.invert_axis(a).unwrap();
                    zip_planes(a, &input, &mut v, |i, out, x| {
                        assert_eq!((out.len(), x.len()), (l.shape[a], l.shape[a] + 1));
                        let xi = x.plane(i + 1);
                        if i == 0 {
                            let mut o = out.plane_mut(0);
                            for k in 0..o.len() {
                                o[k] = xi[k];
                            }
                        } else {
                            let (prev, mut o) = out.split(i - 1, i);
                            assert_eq!((prev.len(), xi.len()), (o.len(), o.len()));
                            for k in 0..o.len() {
                                o[k] = prev[k] + xi[k];
                            }
                        }
                    })
                    .unwrap();
                },
                // Input plane j (reversed) holds 10 * (len - j); the output is the running
                // sum of input planes 1..=i + 1.
                |_, ix| (1..=ix[a] + 1).map(|j| 10 * (l.shape[a] - j) as i32).sum(),
            );
            check_write(
                &l,
                |mut v| {
                    let mid = l.shape[a] / 2;
                    let (mut x, mut y) = v.split_at_mut(a, mid).unwrap();
                    x.fill(1);
                    y.fill(2);
                },
                |_, ix| if ix[a] < l.shape[a] / 2 { 1 } else { 2 },
            );
            check_write(
                &l,
                |mut v| {
                    for (i, mut sub) in v.axis_iter_mut(a).unwrap().enumerate() {
                        sub.fill(i as i32);
                    }
                },
                |_, ix| ix[a] as i32,
            );
        }
        // zip_runs with one input in the transposed layout.
        check_write(
            &l,
            |mut v| {
                let rev: Vec<usize> = l.shape.iter().rev().copied().collect();
                let src =
                    Array::from_shape_fn(rev, |ix| ix.iter().fold(0, |a, &i| 10 * a + i as i32));
                let t = src.t();
                zip_runs(&mut v, [&t], |mut o, [x]| {
                    for i in 0..o.len() {
                        o[i] = x[i] + 1;
                    }
                })
                .unwrap();
            },
            |_, ix| ix.iter().rev().fold(0, |a, &i| 10 * a + i as i32) + 1,
        );
    }

    #[test]
    fn reads_match_strides() {
        QuickCheck::new()
            .tests(cases())
            .quickcheck(reads as fn(Layout));
    }

    #[test]
    fn writes_land_on_own_elements() {
        QuickCheck::new()
            .tests(cases())
            .quickcheck(writes as fn(Layout));
    }

    #[test]
    fn zip_planes_with_many_inner_runs() {
        // A C-order input and a transposed output: along axis 0 the other axes break into
        // nine runs of three (more than are listed on the stack), so the walk steps them
        // plane by plane.
        let x = Array::from_shape_fn([4, 3, 3, 3], |ix| {
            ix.iter().fold(0, |a, &i| 10 * a + i as i32)
        });
        let mut buf = Array::<i32>::zeros([3, 3, 3, 3]);
        let mut y = buf.permuted_axes_mut(&[3, 2, 1, 0]).unwrap();
        let mut calls = 0;
        zip_planes(0, &x.view(), &mut y, |i, out, x| {
            let (lo, hi, mut o) = (x.plane(i), x.plane(i + 1), out.plane_mut(i));
            for k in 0..o.len() {
                o[k] = hi[k] - lo[k];
            }
            calls += 1;
        })
        .unwrap();
        assert_eq!(calls, 3 * 9);
        assert!(buf.iter().all(|&d| d == 1000));
    }

    #[test]
    fn empty_and_zero_d_views() {
        // An empty view at the end of a buffer (dangling-adjacent pointer).
        let mut data = [1, 2, 3];
        let mut v = ArrayViewMut::from_slice_with_strides(&mut data, [2, 0], &[-1, 1], 3).unwrap();
        v.fill(0);
        assert_eq!(v.lanes_mut(0).unwrap().count(), 0);
        assert_eq!(v.lanes_mut(1).unwrap().map(|l| l.len()).sum::<usize>(), 0);
        let e: [f64; 0] = [];
        let w = ArrayView::from_slice(&e, [0]).unwrap();
        assert_eq!(w.as_slice(), Some(&[][..]));
        assert_eq!(
            w.lanes(0).unwrap().next().unwrap().as_slice(),
            Some(&[][..])
        );
        assert_eq!(data, [1, 2, 3]);
        // 0-d: one element, no axes.
        let mut s = Array::scalar(4);
        s.map_inplace(|x| *x += 1);
        let none: [&ArrayView<'_, i32>; 0] = [];
        zip_runs(&mut s.view_mut(), none, |mut o, []| o[0] *= 2).unwrap();
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![10]);
    }
}
