//! Printing.

use std::fmt;

use crate::{Array, ArrayView, ArrayViewMut, AsView};

fn debug_array<T: fmt::Debug>(a: &impl AsView<T>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let elems: Vec<&T> = a.iter().collect();
    f.debug_struct("Array")
        .field("shape", &a.shape())
        .field("data", &elems)
        .finish()
}

impl<T: fmt::Debug> fmt::Debug for Array<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_array(self, f)
    }
}
impl<T: fmt::Debug> fmt::Debug for ArrayView<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_array(self, f)
    }
}
impl<T: fmt::Debug> fmt::Debug for ArrayViewMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_array(self, f)
    }
}
