//! `a[[i, j]]` indexing, which panics out of bounds like slice indexing.

use std::ops::{Index, IndexMut};

use crate::{Array, ArrayView, ArrayViewMut, AsView, AsViewMut};

#[cold]
#[track_caller]
fn out_of_bounds(index: &[usize], shape: &[usize]) -> ! {
    panic!("index {index:?} is out of bounds for array of shape {shape:?}")
}

impl<T, const N: usize> Index<[usize; N]> for Array<T> {
    type Output = T;

    /// # Panics
    /// If the index has the wrong length or is out of bounds; use
    /// [`get`](AsView::get) for a checked lookup.
    #[track_caller]
    fn index(&self, index: [usize; N]) -> &T {
        match self.get(&index) {
            Some(x) => x,
            None => out_of_bounds(&index, self.shape()),
        }
    }
}

impl<T, const N: usize> IndexMut<[usize; N]> for Array<T> {
    /// # Panics
    /// If the index has the wrong length or is out of bounds.
    #[track_caller]
    fn index_mut(&mut self, index: [usize; N]) -> &mut T {
        let shape = crate::layout::Shape::from_slice(self.shape());
        match self.get_mut(&index) {
            Some(x) => x,
            None => out_of_bounds(&index, &shape),
        }
    }
}

impl<T, const N: usize> Index<[usize; N]> for ArrayView<'_, T> {
    type Output = T;

    /// # Panics
    /// If the index has the wrong length or is out of bounds.
    #[track_caller]
    fn index(&self, index: [usize; N]) -> &T {
        match ArrayView::get(self, &index) {
            Some(x) => x,
            None => out_of_bounds(&index, ArrayView::shape(self)),
        }
    }
}

impl<T, const N: usize> Index<[usize; N]> for ArrayViewMut<'_, T> {
    type Output = T;

    /// # Panics
    /// If the index has the wrong length or is out of bounds.
    #[track_caller]
    fn index(&self, index: [usize; N]) -> &T {
        match AsView::get(self, &index) {
            Some(x) => x,
            None => out_of_bounds(&index, ArrayViewMut::shape(self)),
        }
    }
}

impl<T, const N: usize> IndexMut<[usize; N]> for ArrayViewMut<'_, T> {
    /// # Panics
    /// If the index has the wrong length or is out of bounds.
    #[track_caller]
    fn index_mut(&mut self, index: [usize; N]) -> &mut T {
        let shape = crate::layout::Shape::from_slice(ArrayViewMut::shape(self));
        match ArrayViewMut::get_mut(self, &index) {
            Some(x) => x,
            None => out_of_bounds(&index, &shape),
        }
    }
}
