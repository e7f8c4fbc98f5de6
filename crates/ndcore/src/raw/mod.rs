//! The unsafe room: the only module that turns element offsets into pointers and
//! pointers into references. Everything outside it is safe code built on the API here.
//!
//! # The invariant
//!
//! An [`ArrayView`] or [`ArrayViewMut`] is a pointer to element `[0, 0, ..]` plus a shape and
//! strides (in elements). For a view with at least one element, every index inside the
//! shape addresses, at `ptr + Σ index[k] * strides[k]`, an initialized `T` inside one live
//! allocation that the lifetime `'a` borrows (shared for `ArrayView`, exclusive for
//! `ArrayViewMut`). A mutable view never addresses one element through two indices. A
//! view with no elements never dereferences its pointer, which is non-null and aligned
//! but may dangle.
//!
//! The invariant is established by the checked constructors below and preserved by
//! [`ArrayView::relayout`]: every new layout is checked to reach only offsets inside the
//! old layout's range (and, for mutable views, not to overlap), so a mistake in the
//! layout arithmetic elsewhere becomes a panic, never undefined behaviour.

mod alloc;
mod iter;
mod lane;
mod map;
mod plane;
mod simd;

use std::marker::PhantomData;
use std::ptr::NonNull;

use crate::error::{Error, Result};
use crate::layout::{has_overlap, is_c_contiguous, offset_range, Shape, Strides};

pub(crate) use alloc::zeroed_vec;
pub use iter::{Iter, IterMut};
pub use lane::{zip_lanes, zip_runs, Lane, LaneIter, LaneMut, Lanes, LanesMut};
pub(crate) use map::{map_file, release};
pub use plane::{zip_planes, PlaneRuns, PlaneRunsMut};
pub use simd::with_simd;

/// A read-only view of an N-d array: borrowed data with any shape and strides.
///
/// Cheap to [`Clone`] (a pointer and, for up to four axes, inline shape and strides; no
/// heap allocation), but not `Copy`: a dynamic-rank shape does not fit a fixed-size
/// `Copy` value. All read methods come from [`AsView`](crate::AsView).
///
/// ```
/// use ndcore::prelude::*;
/// let data = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let v = ArrayView::from_slice(&data, [2, 3]).unwrap();
/// assert_eq!(v[[1, 0]], 4.0);
/// assert_eq!(v.t().to_vec(), vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
/// ```
pub struct ArrayView<'a, T> {
    ptr: NonNull<T>,
    shape: Shape,
    strides: Strides,
    life: PhantomData<&'a T>,
}

/// A mutable view of an N-d array: exclusively borrowed data with any shape and strides,
/// no two indices addressing one element.
///
/// Read methods come from [`AsView`](crate::AsView), write methods from
/// [`AsViewMut`](crate::AsViewMut). [`reborrow`](ArrayViewMut::reborrow) lends it for a
/// shorter time without giving it up.
///
/// ```
/// use ndcore::prelude::*;
/// let mut data = [0; 6];
/// let mut v = ArrayViewMut::from_slice(&mut data, [2, 3]).unwrap();
/// v.slice_mut(s![.., 1]).unwrap().fill(7);
/// assert_eq!(data, [0, 7, 0, 0, 7, 0]);
/// ```
pub struct ArrayViewMut<'a, T> {
    ptr: NonNull<T>,
    shape: Shape,
    strides: Strides,
    life: PhantomData<&'a mut T>,
}

// SAFETY: an ArrayView is a shared reference to many `T`s; `&T` is Send and Sync iff `T: Sync`.
unsafe impl<T: Sync> Send for ArrayView<'_, T> {}
// SAFETY: as above, a shared reference can be shared iff `T: Sync`.
unsafe impl<T: Sync> Sync for ArrayView<'_, T> {}
// SAFETY: an ArrayViewMut is an exclusive reference to distinct `T`s; `&mut T` is Send iff `T: Send`.
unsafe impl<T: Send> Send for ArrayViewMut<'_, T> {}
// SAFETY: sharing `&ArrayViewMut` only allows reads, so it is Sync iff `T: Sync`, like `&mut T`.
unsafe impl<T: Sync> Sync for ArrayViewMut<'_, T> {}

impl<T> Clone for ArrayView<'_, T> {
    fn clone(&self) -> Self {
        ArrayView {
            ptr: self.ptr,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            life: PhantomData,
        }
    }
}

/// Checks that `shape`/`strides` from `offset` stay inside a buffer of `len` elements.
fn check_in_buffer(shape: &[usize], strides: &[isize], offset: usize, len: usize) -> Result<()> {
    let err = || Error::OutOfBounds {
        shape: shape.to_vec(),
        strides: strides.to_vec(),
        offset,
        len,
    };
    if shape.len() != strides.len() {
        return Err(Error::WrongIndexCount {
            given: strides.len(),
            ndim: shape.len(),
        });
    }
    if let ([n], [s], 0) = (shape, strides, offset) {
        // The common 1-D forward case in one comparison (a stride of at least 1 cannot
        // overflow inside a buffer that exists).
        if *s >= 1 && (*n == 0 || (*n - 1).checked_mul(*s as usize).is_some_and(|r| r < len)) {
            return Ok(());
        }
    }
    crate::layout::size_checked(shape)?;
    match offset_range(shape, strides).map_err(|()| err())? {
        None if offset <= len => Ok(()),
        Some((lo, hi)) => {
            let off = isize::try_from(offset).map_err(|_| err())?;
            let ok = off.checked_add(lo).is_some_and(|x| x >= 0)
                && off.checked_add(hi).is_some_and(|x| (x as usize) < len);
            if ok {
                Ok(())
            } else {
                Err(err())
            }
        }
        None => Err(err()),
    }
}

/// The new layout's reach must lie inside the old one's; panics otherwise (a bug in
/// ndcore's layout arithmetic, never a consequence of user input).
fn check_within(old: (&[usize], &[isize]), offset: isize, new: (&[usize], &[isize])) {
    let inner = offset_range(new.0, new.1).expect("ndcore bug: layout arithmetic overflowed");
    let Some((lo, hi)) = inner else { return };
    let outer = offset_range(old.0, old.1).expect("valid layouts do not overflow");
    let fits = outer.is_some_and(|(olo, ohi)| {
        offset.checked_add(lo).is_some_and(|x| x >= olo)
            && offset.checked_add(hi).is_some_and(|x| x <= ohi)
    });
    assert!(
        fits,
        "ndcore bug: a derived view reaches outside its parent"
    );
}

impl<'a, T> ArrayView<'a, T> {
    /// A view of `data` in row-major order with `shape`.
    ///
    /// Errors when `data.len()` is not the number of elements of `shape`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let v = ArrayView::from_slice(&[1, 2, 3, 4], [2, 2]).unwrap();
    /// assert_eq!(v[[1, 1]], 4);
    /// assert!(ArrayView::from_slice(&[1, 2, 3], [2, 2]).is_err());
    /// ```
    pub fn from_slice(data: &'a [T], shape: impl crate::IntoShape) -> Result<Self> {
        let shape = shape.into_shape();
        let size = crate::layout::size_checked(&shape)?;
        if size != data.len() {
            return Err(Error::LengthMismatch {
                shape: shape.to_vec(),
                len: data.len(),
            });
        }
        let strides = crate::layout::c_strides(&shape);
        Self::from_slice_with_strides(data, shape, &strides, 0)
    }

    /// A view of `data` with any shape and strides (in elements, negative allowed), whose
    /// element `[0, 0, ..]` is `data[offset]`. Errors when an index would reach outside
    /// `data`. Strides may repeat elements (a zero stride, say) in a read-only view.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let data = [0, 1, 2, 3, 4, 5];
    /// // Columns of a 2x3 row-major matrix, read backwards: element [0, 0] is data[5].
    /// let v = ArrayView::from_slice_with_strides(&data, [3, 2], &[-1, -3], 5).unwrap();
    /// assert_eq!(v.to_vec(), vec![5, 2, 4, 1, 3, 0]);
    /// assert!(ArrayView::from_slice_with_strides(&data, [3, 2], &[1, 3], 1).is_err());
    /// ```
    pub fn from_slice_with_strides(
        data: &'a [T],
        shape: impl crate::IntoShape,
        strides: &[isize],
        offset: usize,
    ) -> Result<Self> {
        let shape = shape.into_shape();
        let strides = Strides::from_slice(strides);
        check_in_buffer(&shape, &strides, offset, data.len())?;
        let base = NonNull::from(data).cast::<T>();
        let ptr = if offset < data.len() {
            // SAFETY: offset < data.len(), so the result points inside `data`.
            unsafe { base.add(offset) }
        } else {
            base
        };
        Ok(ArrayView {
            ptr,
            shape,
            strides,
            life: PhantomData,
        })
    }

    /// The lengths of the axes.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The strides, in elements.
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }

    /// The same data seen through another layout that starts `offset` elements from this
    /// one's `[0, ..]`.
    ///
    /// # Panics
    /// If the new layout reaches outside this one (an ndcore bug, not a user error).
    pub(crate) fn relayout(self, offset: isize, shape: Shape, strides: Strides) -> Self {
        check_within((&self.shape, &self.strides), offset, (&shape, &strides));
        let ptr = if shape.contains(&0) {
            self.ptr
        } else {
            // SAFETY: check_within proved `offset` (plus the new layout's reach) lies inside
            // this view's non-empty range, which the invariant places inside the allocation.
            unsafe { self.ptr.offset(offset) }
        };
        ArrayView {
            ptr,
            shape,
            strides,
            life: PhantomData,
        }
    }

    /// The element at `index`, or `None` when the index has the wrong length or is out of
    /// bounds.
    pub fn get(&self, index: &[usize]) -> Option<&'a T> {
        let off = element_offset(&self.shape, &self.strides, index)?;
        // SAFETY: every coordinate is inside the shape, so the invariant places the element
        // inside the borrowed allocation.
        Some(unsafe { &*self.ptr.as_ptr().offset(off) })
    }

    /// The elements as one slice in logical order, when the view is C-contiguous.
    pub fn as_slice(&self) -> Option<&'a [T]> {
        if !is_c_contiguous(&self.shape, &self.strides) {
            return None;
        }
        let len = self.shape.iter().product();
        // SAFETY: C-contiguous means the `len` elements are consecutive from `ptr` (for
        // len == 0, the pointer is non-null and aligned, which is all `from_raw_parts` needs).
        Some(unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), len) })
    }

    /// An iterator over the elements in logical C order.
    pub fn into_iter_elements(self) -> Iter<'a, T> {
        Iter::new(self)
    }

    /// The two halves `[..index]` and `[index..]` along `axis`.
    pub(crate) fn split_at_checked(self, axis: usize, index: usize) -> (Self, Self) {
        let (first, second) = split_layout(&self.shape, &self.strides, axis, index);
        let b = self.clone().relayout(second.0, second.1, second.2);
        let a = self.relayout(first.0, first.1, first.2);
        (a, b)
    }
}

impl<'a, T> ArrayViewMut<'a, T> {
    /// A mutable view of `data` in row-major order with `shape`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut data = [1, 2, 3, 4];
    /// let mut v = ArrayViewMut::from_slice(&mut data, [2, 2]).unwrap();
    /// v[[0, 1]] = 20;
    /// assert_eq!(data, [1, 20, 3, 4]);
    /// ```
    pub fn from_slice(data: &'a mut [T], shape: impl crate::IntoShape) -> Result<Self> {
        let shape = shape.into_shape();
        let size = crate::layout::size_checked(&shape)?;
        if size != data.len() {
            return Err(Error::LengthMismatch {
                shape: shape.to_vec(),
                len: data.len(),
            });
        }
        let strides = crate::layout::c_strides(&shape);
        Self::from_slice_with_strides(data, shape, &strides, 0)
    }

    /// A mutable view of `data` with any shape and strides whose element `[0, 0, ..]` is
    /// `data[offset]`. Errors when an index would reach outside `data` or when two indices
    /// would address the same element.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut data = [0; 6];
    /// let mut v = ArrayViewMut::from_slice_with_strides(&mut data, [3], &[-2], 4).unwrap();
    /// v.fill(1);
    /// assert_eq!(data, [1, 0, 1, 0, 1, 0]);
    /// assert!(ArrayViewMut::from_slice_with_strides(&mut data, [2, 2], &[1, 1], 0).is_err());
    /// ```
    pub fn from_slice_with_strides(
        data: &'a mut [T],
        shape: impl crate::IntoShape,
        strides: &[isize],
        offset: usize,
    ) -> Result<Self> {
        let shape = shape.into_shape();
        let strides = Strides::from_slice(strides);
        check_in_buffer(&shape, &strides, offset, data.len())?;
        if has_overlap(&shape, &strides) {
            return Err(Error::Overlapping {
                shape: shape.to_vec(),
                strides: strides.to_vec(),
            });
        }
        let len = data.len();
        let base = NonNull::from(data).cast::<T>();
        let ptr = if offset < len {
            // SAFETY: offset < data.len(), so the result points inside `data`.
            unsafe { base.add(offset) }
        } else {
            base
        };
        Ok(ArrayViewMut {
            ptr,
            shape,
            strides,
            life: PhantomData,
        })
    }

    /// The lengths of the axes.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The strides, in elements.
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }

    /// A mutable view of the same elements for a shorter lifetime; `self` is usable again
    /// once it is dropped.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// fn bump(mut v: ArrayViewMut<'_, i32>) { v += 1; }
    /// let mut a = Array::from_vec(vec![1, 2]);
    /// let mut v = a.view_mut();
    /// bump(v.reborrow());
    /// bump(v.reborrow());
    /// assert_eq!(a.to_vec(), vec![3, 4]);
    /// ```
    pub fn reborrow(&mut self) -> ArrayViewMut<'_, T> {
        ArrayViewMut {
            ptr: self.ptr,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            life: PhantomData,
        }
    }

    /// A read-only view of the same elements, borrowing `self`.
    pub fn as_view(&self) -> ArrayView<'_, T> {
        ArrayView {
            ptr: self.ptr,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            life: PhantomData,
        }
    }

    /// Turns the mutable view into a read-only one for the whole lifetime `'a`.
    pub fn into_view(self) -> ArrayView<'a, T> {
        ArrayView {
            ptr: self.ptr,
            shape: self.shape,
            strides: self.strides,
            life: PhantomData,
        }
    }

    /// See [`ArrayView::relayout`]; also refuses layouts that overlap.
    pub(crate) fn relayout(self, offset: isize, shape: Shape, strides: Strides) -> Self {
        check_within((&self.shape, &self.strides), offset, (&shape, &strides));
        assert!(
            !has_overlap(&shape, &strides),
            "ndcore bug: a derived mutable view overlaps itself"
        );
        let ptr = if shape.contains(&0) {
            self.ptr
        } else {
            // SAFETY: as in ArrayView::relayout, the new non-empty range lies inside ours.
            unsafe { self.ptr.offset(offset) }
        };
        ArrayViewMut {
            ptr,
            shape,
            strides,
            life: PhantomData,
        }
    }

    /// The element at `index`, mutably, or `None` when out of bounds.
    pub fn get_mut(&mut self, index: &[usize]) -> Option<&mut T> {
        let off = element_offset(&self.shape, &self.strides, index)?;
        // SAFETY: the index is inside the shape; `&mut self` makes the reference exclusive.
        Some(unsafe { &mut *self.ptr.as_ptr().offset(off) })
    }

    /// The element at `index` for the whole lifetime `'a`, consuming the view.
    pub fn into_mut(self, index: &[usize]) -> Option<&'a mut T> {
        let off = element_offset(&self.shape, &self.strides, index)?;
        // SAFETY: the index is inside the shape; consuming `self` hands its exclusive borrow on.
        Some(unsafe { &mut *self.ptr.as_ptr().offset(off) })
    }

    /// The elements as one mutable slice in logical order, when C-contiguous.
    pub fn as_slice_mut(&mut self) -> Option<&mut [T]> {
        if !is_c_contiguous(&self.shape, &self.strides) {
            return None;
        }
        let len = self.shape.iter().product();
        // SAFETY: C-contiguous: `len` consecutive elements from `ptr`, exclusively borrowed.
        Some(unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), len) })
    }

    /// The elements as one mutable slice for the whole lifetime `'a`, when C-contiguous.
    pub fn into_slice(self) -> Option<&'a mut [T]> {
        if !is_c_contiguous(&self.shape, &self.strides) {
            return None;
        }
        let len = self.shape.iter().product();
        // SAFETY: as in as_slice_mut; consuming `self` hands its exclusive borrow on.
        Some(unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), len) })
    }

    /// A mutable iterator over the elements in logical C order.
    pub fn into_iter_elements(self) -> IterMut<'a, T> {
        IterMut::new(self)
    }

    /// The two disjoint halves `[..index]` and `[index..]` along `axis`.
    pub(crate) fn split_at_checked(self, axis: usize, index: usize) -> (Self, Self) {
        let (first, second) = split_layout(&self.shape, &self.strides, axis, index);
        let b = ArrayViewMut {
            ptr: self.ptr,
            shape: self.shape.clone(),
            strides: self.strides.clone(),
            life: PhantomData,
        }
        .relayout(second.0, second.1, second.2);
        let a = self.relayout(first.0, first.1, first.2);
        // The halves cover disjoint index ranges of a non-overlapping view, so they
        // address disjoint elements.
        (a, b)
    }
}

type Part = (isize, Shape, Strides);

fn split_layout(shape: &[usize], strides: &[isize], axis: usize, index: usize) -> (Part, Part) {
    let mut s1 = Shape::from_slice(shape);
    let mut s2 = Shape::from_slice(shape);
    s1[axis] = index;
    s2[axis] = shape[axis] - index;
    let off2 = if s2.contains(&0) {
        0
    } else {
        index as isize * strides[axis]
    };
    let st = Strides::from_slice(strides);
    ((0, s1, st.clone()), (off2, s2, st))
}

/// The offset of `index`, or `None` when it has the wrong length or leaves the shape.
#[inline]
fn element_offset(shape: &[usize], strides: &[isize], index: &[usize]) -> Option<isize> {
    if index.len() != shape.len() {
        return None;
    }
    let mut off = 0isize;
    for ((&i, &n), &s) in index.iter().zip(shape).zip(strides) {
        if i >= n {
            return None;
        }
        off += i as isize * s;
    }
    Some(off)
}
