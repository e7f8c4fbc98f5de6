//! The iterators built on views: indexed elements and the sub-arrays along an axis.
//! (The element iterators [`Iter`] and [`IterMut`] and the lane iterators live with the
//! pointer code in `raw`.)

use smallvec::smallvec;

use crate::layout::{next_c_index, Shape};
use crate::raw::{ArrayView, ArrayViewMut, Iter};
#[cfg(doc)]
use crate::{AsView, AsViewMut, IterMut};

/// An iterator over `(index, &element)` in logical C order; see
/// [`AsView::indexed_iter`].
pub struct IndexedIter<'a, T> {
    index: Shape,
    shape: Shape,
    started: bool,
    iter: Iter<'a, T>,
}

impl<'a, T> IndexedIter<'a, T> {
    pub(crate) fn new(shape: &[usize], iter: Iter<'a, T>) -> Self {
        IndexedIter {
            index: smallvec![0; shape.len()],
            shape: Shape::from_slice(shape),
            started: false,
            iter,
        }
    }
}

impl<'a, T> Iterator for IndexedIter<'a, T> {
    type Item = (Shape, &'a T);

    fn next(&mut self) -> Option<Self::Item> {
        let x = self.iter.next()?;
        if self.started {
            next_c_index(&mut self.index, &self.shape);
        }
        self.started = true;
        Some((self.index.clone(), x))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl<T> ExactSizeIterator for IndexedIter<'_, T> {}

/// An iterator over the sub-arrays along an axis; see [`AsView::axis_iter`].
pub struct AxisIter<'a, T> {
    view: ArrayView<'a, T>,
    axis: usize,
    index: usize,
    len: usize,
}

impl<'a, T> AxisIter<'a, T> {
    /// The sub-arrays of `view` along `axis`, which is in range.
    pub(crate) fn new(view: ArrayView<'a, T>, axis: usize) -> Self {
        AxisIter {
            len: view.shape()[axis],
            view,
            axis,
            index: 0,
        }
    }
}

impl<'a, T> Iterator for AxisIter<'a, T> {
    type Item = ArrayView<'a, T>;

    fn next(&mut self) -> Option<ArrayView<'a, T>> {
        if self.index >= self.len {
            return None;
        }
        let v = self.view.index_axis(self.axis, self.index).ok();
        self.index += 1;
        v
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.len - self.index;
        (n, Some(n))
    }
}

impl<T> ExactSizeIterator for AxisIter<'_, T> {}

/// An iterator over the mutable sub-arrays along an axis; see
/// [`AsViewMut::axis_iter_mut`].
pub struct AxisIterMut<'a, T> {
    rest: Option<ArrayViewMut<'a, T>>,
    axis: usize,
}

impl<'a, T> AxisIterMut<'a, T> {
    /// The mutable sub-arrays of `view` along `axis`, which is in range.
    pub(crate) fn new(view: ArrayViewMut<'a, T>, axis: usize) -> Self {
        AxisIterMut {
            rest: Some(view),
            axis,
        }
    }
}

impl<'a, T> Iterator for AxisIterMut<'a, T> {
    type Item = ArrayViewMut<'a, T>;

    fn next(&mut self) -> Option<ArrayViewMut<'a, T>> {
        let rest = self.rest.take()?;
        if rest.shape()[self.axis] == 0 {
            return None;
        }
        let (head, tail) = rest.split_at_move(self.axis, 1).ok()?;
        self.rest = Some(tail);
        head.index_axis_move(self.axis, 0).ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.rest.as_ref().map_or(0, |r| r.shape()[self.axis]);
        (n, Some(n))
    }
}

impl<T> ExactSizeIterator for AxisIterMut<'_, T> {}
