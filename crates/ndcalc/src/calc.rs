//! The extension trait that puts the operations on every array type.

use ndcore::AsView;

use crate::element::Promote;
use crate::gradient::Gradient;

/// The numpy operations of ndcalc, on anything viewable as an array: [`Array`],
/// [`ArrayView`], [`ArrayViewMut`]. Each returns a builder; set its options, then call
/// `compute` (a new array) or `compute_into` (caller memory).
///
/// [`Array`]: ndcore::Array
/// [`ArrayView`]: ndcore::ArrayView
/// [`ArrayViewMut`]: ndcore::ArrayViewMut
///
/// ```
/// use ndcalc::prelude::*;
/// let f = array![[1., 2.], [4., 8.]];
/// let v = f.t();                              // any layout works
/// assert_eq!(v.gradient().axis(0).compute().unwrap(), array![[1., 4.], [1., 4.]]);
/// ```
pub trait Calc<T>: AsView<T> {
    /// numpy's `gradient`; see [`Gradient`].
    fn gradient(&self) -> Gradient<'_, T>
    where
        T: Promote,
    {
        Gradient::new(self.view())
    }
}

impl<T, A: AsView<T> + ?Sized> Calc<T> for A {}
