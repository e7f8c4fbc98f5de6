//! The view types: a pointer to element `[0, ..]` plus a [`Layout`], and the few methods
//! that turn the layout's offsets into references. Everything a view derives (slices,
//! transposes, splits, lanes) passes through [`ArrayView::relayout`] or
//! [`ArrayViewMut::relayout`], which check the new layout against the old.

use std::marker::PhantomData;
use std::ptr::NonNull;

use super::iter::{Iter, IterMut};
use crate::error::{Error, Result};
use crate::layout::{check_len, Layout, Relayout, Shape, Strides};
use crate::IntoShape;

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
    pub(super) ptr: NonNull<T>,
    pub(super) layout: Layout,
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
    pub(super) ptr: NonNull<T>,
    pub(super) layout: Layout,
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
            layout: self.layout.clone(),
            life: PhantomData,
        }
    }
}

/// The row-major layout of `shape` over a buffer of `len` elements, which must be its size.
fn c_layout(shape: Shape, len: usize) -> Result<Layout> {
    check_len(&shape, len)?;
    Ok(Layout::c_order(shape))
}

/// The pointer to element `[0, ..]` of `layout` placed at `offset` in the buffer at
/// `base` of `len` elements, after checking that the layout stays inside the buffer.
fn start_in_buffer<T>(
    base: NonNull<T>,
    len: usize,
    layout: &Layout,
    offset: usize,
) -> Result<NonNull<T>> {
    layout.check_in_buffer(offset, len)?;
    Ok(if offset < len {
        // SAFETY: offset < len, so the result points inside the buffer.
        unsafe { base.add(offset) }
    } else {
        // Only an empty layout starts at the end of the buffer; its pointer is never read.
        base
    })
}

/// The pointer to element `[0, ..]` of `new`, a layout `offset` elements from `ptr`'s
/// element `[0, ..]` under `old`.
///
/// # Panics
/// If `new` reaches outside `old` (an ndcore bug, never a consequence of user input).
fn relayout_ptr<T>(ptr: NonNull<T>, old: &Layout, offset: isize, new: &Layout) -> NonNull<T> {
    assert!(
        old.reaches_within(offset, new),
        "ndcore bug: a derived view reaches outside its parent"
    );
    if new.shape.contains(&0) {
        ptr
    } else {
        // SAFETY: `new` is non-empty and reaches inside `old`, so `offset` is an element
        // offset inside `old`'s (then non-empty) range, which the invariant places inside
        // the borrowed allocation.
        unsafe { ptr.offset(offset) }
    }
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
    pub fn from_slice(data: &'a [T], shape: impl IntoShape) -> Result<Self> {
        let layout = c_layout(shape.into_shape(), data.len())?;
        Self::from_layout(data, layout, 0)
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
        shape: impl IntoShape,
        strides: &[isize],
        offset: usize,
    ) -> Result<Self> {
        let layout = Layout::new(shape.into_shape(), Strides::from_slice(strides));
        Self::from_layout(data, layout, offset)
    }

    /// A view of `data` with `layout` whose element `[0, ..]` is `data[offset]`.
    pub(crate) fn from_layout(data: &'a [T], layout: Layout, offset: usize) -> Result<Self> {
        let ptr = start_in_buffer(NonNull::from(data).cast(), data.len(), &layout, offset)?;
        Ok(ArrayView {
            ptr,
            layout,
            life: PhantomData,
        })
    }

    /// The view of `layout` from `ptr`.
    ///
    /// # Safety
    /// `ptr` and `layout` must satisfy the invariant of `raw` for `'a`, shared.
    pub(super) unsafe fn from_raw_parts(ptr: NonNull<T>, layout: Layout) -> Self {
        ArrayView {
            ptr,
            layout,
            life: PhantomData,
        }
    }

    /// The lengths of the axes.
    pub fn shape(&self) -> &[usize] {
        &self.layout.shape
    }

    /// The strides, in elements.
    pub fn strides(&self) -> &[isize] {
        &self.layout.strides
    }

    pub(crate) fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The same data seen through another layout that starts `offset` elements from this
    /// one's `[0, ..]`.
    ///
    /// # Panics
    /// If the new layout reaches outside this one (an ndcore bug, not a user error).
    pub(crate) fn relayout(self, (offset, layout): Relayout) -> Self {
        ArrayView {
            ptr: relayout_ptr(self.ptr, &self.layout, offset, &layout),
            layout,
            life: PhantomData,
        }
    }

    /// The element at `index`, or `None` when the index has the wrong length or is out of
    /// bounds.
    pub fn get(&self, index: &[usize]) -> Option<&'a T> {
        let off = self.layout.offset_of(index)?;
        // SAFETY: every coordinate is inside the shape, so the invariant places the element
        // inside the borrowed allocation.
        Some(unsafe { &*self.ptr.as_ptr().offset(off) })
    }

    /// The elements as one slice in logical order, when the view is C-contiguous.
    pub fn as_slice(&self) -> Option<&'a [T]> {
        if !self.layout.is_c_contiguous() {
            return None;
        }
        // SAFETY: C-contiguous means the `len` elements are consecutive from `ptr` (for
        // len == 0, the pointer is non-null and aligned, which is all `from_raw_parts` needs).
        Some(unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.layout.len()) })
    }

    /// An iterator over the elements in logical C order.
    pub fn into_iter_elements(self) -> Iter<'a, T> {
        Iter::new(self)
    }

    /// The two halves `[..index]` and `[index..]` along `axis`, both checked by
    /// [`Layout::check_split`].
    pub(crate) fn split_at_checked(self, axis: usize, index: usize) -> (Self, Self) {
        let (first, second) = self.layout.split_at(axis, index);
        (self.clone().relayout(first), self.relayout(second))
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
    pub fn from_slice(data: &'a mut [T], shape: impl IntoShape) -> Result<Self> {
        let layout = c_layout(shape.into_shape(), data.len())?;
        Self::from_layout(data, layout, 0)
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
        shape: impl IntoShape,
        strides: &[isize],
        offset: usize,
    ) -> Result<Self> {
        let layout = Layout::new(shape.into_shape(), Strides::from_slice(strides));
        Self::from_layout(data, layout, offset)
    }

    /// A mutable view of `data` with `layout` whose element `[0, ..]` is `data[offset]`.
    pub(crate) fn from_layout(data: &'a mut [T], layout: Layout, offset: usize) -> Result<Self> {
        let len = data.len();
        let ptr = start_in_buffer(NonNull::from(data).cast(), len, &layout, offset)?;
        if layout.has_overlap() {
            return Err(Error::Overlapping {
                shape: layout.shape.to_vec(),
                strides: layout.strides.to_vec(),
            });
        }
        Ok(ArrayViewMut {
            ptr,
            layout,
            life: PhantomData,
        })
    }

    /// The mutable view of `layout` from `ptr`.
    ///
    /// # Safety
    /// `ptr` and `layout` must satisfy the invariant of `raw` for `'a`, exclusive: no two
    /// indices address one element, and nothing else reads or writes them during `'a`.
    pub(super) unsafe fn from_raw_parts(ptr: NonNull<T>, layout: Layout) -> Self {
        ArrayViewMut {
            ptr,
            layout,
            life: PhantomData,
        }
    }

    /// The lengths of the axes.
    pub fn shape(&self) -> &[usize] {
        &self.layout.shape
    }

    /// The strides, in elements.
    pub fn strides(&self) -> &[isize] {
        &self.layout.strides
    }

    pub(crate) fn layout(&self) -> &Layout {
        &self.layout
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
            layout: self.layout.clone(),
            life: PhantomData,
        }
    }

    /// A read-only view of the same elements, borrowing `self`.
    pub fn as_view(&self) -> ArrayView<'_, T> {
        ArrayView {
            ptr: self.ptr,
            layout: self.layout.clone(),
            life: PhantomData,
        }
    }

    /// Turns the mutable view into a read-only one for the whole lifetime `'a`.
    pub fn into_view(self) -> ArrayView<'a, T> {
        ArrayView {
            ptr: self.ptr,
            layout: self.layout,
            life: PhantomData,
        }
    }

    /// See [`ArrayView::relayout`]; also refuses layouts that overlap.
    pub(crate) fn relayout(self, (offset, layout): Relayout) -> Self {
        assert!(
            !layout.has_overlap(),
            "ndcore bug: a derived mutable view overlaps itself"
        );
        ArrayViewMut {
            ptr: relayout_ptr(self.ptr, &self.layout, offset, &layout),
            layout,
            life: PhantomData,
        }
    }

    /// The element at `index`, mutably, or `None` when out of bounds.
    pub fn get_mut(&mut self, index: &[usize]) -> Option<&mut T> {
        let off = self.layout.offset_of(index)?;
        // SAFETY: the index is inside the shape; `&mut self` makes the reference exclusive.
        Some(unsafe { &mut *self.ptr.as_ptr().offset(off) })
    }

    /// The element at `index` for the whole lifetime `'a`, consuming the view.
    pub fn into_mut(self, index: &[usize]) -> Option<&'a mut T> {
        let off = self.layout.offset_of(index)?;
        // SAFETY: the index is inside the shape; consuming `self` hands its exclusive borrow on.
        Some(unsafe { &mut *self.ptr.as_ptr().offset(off) })
    }

    /// The elements as one mutable slice in logical order, when C-contiguous.
    pub fn as_slice_mut(&mut self) -> Option<&mut [T]> {
        self.reborrow().into_slice()
    }

    /// The elements as one mutable slice for the whole lifetime `'a`, when C-contiguous.
    pub fn into_slice(self) -> Option<&'a mut [T]> {
        if !self.layout.is_c_contiguous() {
            return None;
        }
        // SAFETY: C-contiguous: `len` consecutive elements from `ptr`; consuming `self`
        // hands its exclusive borrow on.
        Some(unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.layout.len()) })
    }

    /// A mutable iterator over the elements in logical C order.
    pub fn into_iter_elements(self) -> IterMut<'a, T> {
        IterMut::new(self)
    }

    /// The two disjoint halves `[..index]` and `[index..]` along `axis`, both checked by
    /// [`Layout::check_split`].
    pub(crate) fn split_at_checked(self, axis: usize, index: usize) -> (Self, Self) {
        let (first, second) = self.layout.split_at(axis, index);
        // The halves cover disjoint index ranges of a non-overlapping view, so they
        // address disjoint elements.
        let copy = ArrayViewMut {
            ptr: self.ptr,
            layout: self.layout.clone(),
            life: PhantomData,
        };
        (copy.relayout(first), self.relayout(second))
    }
}
