//! Lanes: the 1-D lines of an array along one axis, as `(pointer, length, stride)`, and
//! the iterators over all lanes of a view along an axis.

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};
use std::ptr::NonNull;

use super::{ArrayView, ArrayViewMut};
use crate::layout::{Layout, OffsetIter, Shape, Strides};

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
    /// The lane of `len` elements from `ptr`, `stride` elements apart.
    ///
    /// # Safety
    /// When `len > 0`, every `ptr + i * stride` for `i < len` must address an
    /// initialized `T` inside one allocation that stays alive and unmutated for `'a`.
    pub(super) unsafe fn new(ptr: NonNull<T>, len: usize, stride: isize) -> Self {
        Lane {
            ptr,
            len,
            stride,
            life: PhantomData,
        }
    }

    /// The lane of `len` elements of `s` from `start`, `stride` (at least 1) apart, or
    /// `None` when it would leave the slice: a line of a standard-layout block reached
    /// by index, without the bookkeeping of a view.
    ///
    /// ```
    /// use ndcore::Lane;
    /// let s = [1, 2, 3, 4, 5, 6];
    /// let col = Lane::strided(&s, 1, 2, 3).unwrap(); // column 1 of a 2 x 3 block
    /// assert_eq!(col.iter().copied().collect::<Vec<_>>(), [2, 5]);
    /// assert!(Lane::strided(&s, 1, 3, 3).is_none());
    /// ```
    pub fn strided(s: &'a [T], start: usize, len: usize, stride: usize) -> Option<Self> {
        if !fits(s.len(), start, len, stride) {
            return None;
        }
        let first = NonNull::from(s).cast::<T>();
        // SAFETY: `fits` checked that every `start + i * stride` (i < len) indexes `s`,
        // shared for `'a`.
        Some(unsafe { Lane::new(first.add(start), len, stride as isize) })
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
        // SAFETY: the lane's elements, shared for `'a` as the lane is.
        unsafe { ArrayView::from_raw_parts(self.ptr, self.layout()) }
    }

    fn layout(&self) -> Layout {
        Layout::new(
            Shape::from_slice(&[self.len]),
            Strides::from_slice(&[self.stride]),
        )
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

/// Whether every element of a lane of `len` elements from `start`, `stride` apart,
/// indexes a slice of `total` (and the stride is at least 1 and fits an `isize`); an
/// empty lane may start at the slice's end.
fn fits(total: usize, start: usize, len: usize, stride: usize) -> bool {
    let last = |k: usize| k.checked_mul(stride)?.checked_add(start);
    stride != 0
        && isize::try_from(stride).is_ok()
        && match len.checked_sub(1) {
            None => start <= total,
            Some(k) => last(k).is_some_and(|last| last < total),
        }
}

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
    /// The mutable lane of `len` elements from `ptr`, `stride` elements apart.
    ///
    /// # Safety
    /// When `len > 0`, every `ptr + i * stride` for `i < len` must address a distinct
    /// initialized `T` inside one allocation that stays alive for `'a`, and nothing else
    /// may read or write these elements during `'a`.
    pub(super) unsafe fn new(ptr: NonNull<T>, len: usize, stride: isize) -> Self {
        LaneMut {
            ptr,
            len,
            stride,
            life: PhantomData,
        }
    }

    /// The mutable lane of `len` elements of `s` from `start`, `stride` (at least 1)
    /// apart, or `None` when it would leave the slice (see [`Lane::strided`]).
    ///
    /// ```
    /// use ndcore::LaneMut;
    /// let mut s = [1, 2, 3, 4, 5, 6];
    /// let mut col = LaneMut::strided(&mut s, 2, 2, 3).unwrap();
    /// col[1] = 0;
    /// assert_eq!(s, [1, 2, 3, 4, 5, 0]);
    /// ```
    pub fn strided(s: &'a mut [T], start: usize, len: usize, stride: usize) -> Option<Self> {
        if !fits(s.len(), start, len, stride) {
            return None;
        }
        let first = NonNull::from(s).cast::<T>();
        // SAFETY: `fits` checked that every `start + i * stride` (i < len) indexes `s`;
        // a stride of at least 1 makes them distinct, and `s` is borrowed exclusively
        // for `'a`.
        Some(unsafe { LaneMut::new(first.add(start), len, stride as isize) })
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
        // SAFETY: the lane's elements, shared for as long as `self` is borrowed.
        unsafe { Lane::new(self.ptr, self.len, self.stride) }
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
        let layout = self.as_lane().layout();
        // SAFETY: the lane's distinct elements, exclusively borrowed through `&mut self`.
        unsafe { ArrayViewMut::from_raw_parts(self.ptr, layout) }
    }

    /// Calls `f(&mut self[i], [&inputs[0][i], .., &inputs[K - 1][i]])` for each `i`, first
    /// to last: the inner loop of an elementwise kernel over the runs that
    /// [`zip_runs`](crate::zip_runs) or [`zip_planes`](crate::zip_planes) hand out. When
    /// every lane is contiguous the loop runs over slices, which the compiler vectorizes;
    /// otherwise it steps by the strides.
    ///
    /// # Panics
    /// If an input's length differs from this lane's.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let (a, b) = (array![1., 2., 3.], array![10., 20., 30.]);
    /// let mut out = Array::<f64>::zeros([3]);
    /// zip_runs(&mut out.view_mut(), [&a.view(), &b.view()], |mut o, xs| {
    ///     o.zip_with(xs, |o, [x, y]| *o = x + y);
    /// })
    /// .unwrap();
    /// assert_eq!(out, array![11., 22., 33.]);
    /// ```
    #[inline(always)]
    pub fn zip_with<U, const K: usize>(
        &mut self,
        inputs: [Lane<'_, U>; K],
        mut f: impl FnMut(&mut T, [&U; K]),
    ) {
        let n = self.len;
        for x in &inputs {
            assert_eq!(
                x.len, n,
                "an input lane of length {} is zipped with an output lane of length {n}",
                x.len
            );
        }
        let contiguous = |len: usize, stride: isize| stride == 1 || len <= 1;
        if contiguous(n, self.stride) && inputs.iter().all(|x| contiguous(x.len, x.stride)) {
            // SAFETY: every lane holds `n` consecutive elements; the output's are exclusively
            // borrowed through `&mut self` and the inputs' shared, so the slices do not alias.
            let (out, xs): (&mut [T], [&[U]; K]) = unsafe {
                (
                    std::slice::from_raw_parts_mut(self.ptr.as_ptr(), n),
                    std::array::from_fn(|k| std::slice::from_raw_parts(inputs[k].ptr.as_ptr(), n)),
                )
            };
            for (i, o) in out.iter_mut().enumerate() {
                f(o, std::array::from_fn(|k| &xs[k][i]));
            }
        } else {
            for i in 0..n as isize {
                // SAFETY: i < n: the i-th element of each lane, the output's exclusively
                // borrowed through `&mut self`, the inputs' shared.
                let (o, xs) = unsafe {
                    (
                        &mut *self.ptr.as_ptr().offset(i * self.stride),
                        std::array::from_fn(|k| {
                            &*inputs[k].ptr.as_ptr().offset(i * inputs[k].stride)
                        }),
                    )
                };
                f(o, xs);
            }
        }
    }
}

/// Calls `kernel(out, inputs)` once, from one of two call sites: where every lane is
/// contiguous, with lanes whose stride is the constant 1 (so that, inlined, the kernel's
/// indexing compiles to the loop a slice would give, which the compiler vectorizes), and
/// otherwise with the lanes as they are. A kernel written once on [`Lane`] and
/// [`LaneMut`] indexing then runs at slice speed on contiguous memory and stays right on
/// strided memory: the branch between the two lives here, not in every kernel.
///
/// ```
/// use ndcore::prelude::*;
/// // A second difference along axis 1, right on the transposed view too.
/// let a = Array::from_shape_fn([3, 5], |ix| (ix[1] * ix[1] + ix[0]) as f64);
/// for x in [a.view(), a.t().to_owned().t()] {
///     let mut d = Array::<f64>::zeros([3, 3]);
///     zip_lanes(&mut d, [&x], 1, |y, xs| {
///         contiguous_or_strided(y, xs, |mut y, [x]| {
///             for i in 0..y.len() { y[i] = x[i] - 2.0 * x[i + 1] + x[i + 2]; }
///         })
///     }).unwrap();
///     assert!(d.iter().all(|&v| v == 2.0));
/// }
/// ```
#[inline(always)]
pub fn contiguous_or_strided<'a, 'b, T, U, R, const K: usize>(
    out: LaneMut<'a, T>,
    inputs: [Lane<'b, U>; K],
    kernel: impl FnOnce(LaneMut<'a, T>, [Lane<'b, U>; K]) -> R,
) -> R {
    let contiguous = |len: usize, stride: isize| stride == 1 || len <= 1;
    if contiguous(out.len, out.stride) && inputs.iter().all(|x| contiguous(x.len, x.stride)) {
        kernel(
            LaneMut { stride: 1, ..out },
            inputs.map(|x| Lane { stride: 1, ..x }),
        )
    } else {
        kernel(out, inputs)
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

/// The start of each lane along one axis of a view, in logical C order of the other
/// axes: the part of [`Lanes`] and [`LanesMut`] that does not depend on mutability.
struct LaneStarts<T> {
    ptr: NonNull<T>,
    outer: OffsetIter,
    len: usize,
    stride: isize,
}

impl<T> LaneStarts<T> {
    fn new(ptr: NonNull<T>, layout: &Layout, axis: usize) -> Self {
        let (outer, len, stride) = layout.split_lanes(axis);
        LaneStarts {
            ptr,
            outer: OffsetIter::new(&outer),
            len,
            stride,
        }
    }

    /// The first element of the next lane.
    #[inline]
    fn next(&mut self) -> Option<NonNull<T>> {
        let off = self.outer.next()?;
        Some(if self.len == 0 {
            // An empty view's pointer may dangle: never offset it.
            self.ptr
        } else {
            // SAFETY: the lane's first element is an index inside the non-empty view.
            unsafe { self.ptr.offset(off) }
        })
    }
}

/// The lanes of a view along one axis, in logical C order of the other axes; see
/// [`AsView::lanes`](crate::AsView::lanes).
pub struct Lanes<'a, T> {
    starts: LaneStarts<T>,
    life: PhantomData<&'a T>,
}

// SAFETY: yields shared lanes only, like `slice::Chunks`.
unsafe impl<T: Sync> Send for Lanes<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for Lanes<'_, T> {}

impl<'a, T> Lanes<'a, T> {
    pub(crate) fn new(view: ArrayView<'a, T>, axis: usize) -> Self {
        Lanes {
            starts: LaneStarts::new(view.ptr, &view.layout, axis),
            life: PhantomData,
        }
    }
}

impl<'a, T> Iterator for Lanes<'a, T> {
    type Item = Lane<'a, T>;

    #[inline]
    fn next(&mut self) -> Option<Lane<'a, T>> {
        let ptr = self.starts.next()?;
        // SAFETY: a lane of the view, which the invariant keeps valid and shared for 'a.
        Some(unsafe { Lane::new(ptr, self.starts.len, self.starts.stride) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.starts.outer.size_hint()
    }
}

impl<T> ExactSizeIterator for Lanes<'_, T> {}

/// The mutable lanes of a view along one axis; see
/// [`AsViewMut::lanes_mut`](crate::AsViewMut::lanes_mut).
pub struct LanesMut<'a, T> {
    starts: LaneStarts<T>,
    life: PhantomData<&'a mut T>,
}

// SAFETY: yields disjoint mutable lanes, like `slice::ChunksMut`.
unsafe impl<T: Send> Send for LanesMut<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for LanesMut<'_, T> {}

impl<'a, T> LanesMut<'a, T> {
    pub(crate) fn new(view: ArrayViewMut<'a, T>, axis: usize) -> Self {
        LanesMut {
            starts: LaneStarts::new(view.ptr, &view.layout, axis),
            life: PhantomData,
        }
    }
}

impl<'a, T> Iterator for LanesMut<'a, T> {
    type Item = LaneMut<'a, T>;

    #[inline]
    fn next(&mut self) -> Option<LaneMut<'a, T>> {
        let ptr = self.starts.next()?;
        // SAFETY: a lane of the exclusively borrowed view. Lanes of a non-overlapping view
        // at distinct outer indices share no element, and each is handed out once.
        Some(unsafe { LaneMut::new(ptr, self.starts.len, self.starts.stride) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.starts.outer.size_hint()
    }
}

impl<T> ExactSizeIterator for LanesMut<'_, T> {}
