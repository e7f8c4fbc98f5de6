//! The read and write methods shared by [`Array`], [`ArrayView`] and [`ArrayViewMut`],
//! through the [`AsView`] and [`AsViewMut`] traits, and the views' layout transforms
//! (each a [`Layout`] method applied through the view's checked `relayout`).

use crate::axis::AxisArg;
use crate::error::Result;
use crate::iter::{AxisIter, AxisIterMut, IndexedIter};
use crate::layout::{broadcast_shapes, is_c_contiguous, Layout, Relayout, Shape};
use crate::raw::{zip_runs, ArrayView, ArrayViewMut, Iter, IterMut, Lanes, LanesMut};
use crate::slice::{Slice, SliceArg};
use crate::Array;

/// The layout transforms of a read-only view. They take `&self` and return views for the
/// whole lifetime `'a` (a view is cheap to clone), so transforms chain:
/// `v.t().slice(s![..;2])` borrows the data, not a temporary. The [`AsView`] methods of
/// the same names delegate here.
impl<'a, T> ArrayView<'a, T> {
    fn transform(&self, f: impl FnOnce(&Layout) -> Result<Relayout>) -> Result<Self> {
        let relayout = f(self.layout())?;
        Ok(self.clone().relayout(relayout))
    }

    /// See [`AsView::slice`].
    pub fn slice(&self, args: impl AsRef<[SliceArg]>) -> Result<Self> {
        self.transform(|l| l.slice(args.as_ref()))
    }

    /// See [`AsView::slice_axis`].
    pub fn slice_axis(&self, axis: impl AxisArg, s: Slice) -> Result<Self> {
        self.transform(|l| l.slice_axis(axis, s))
    }

    /// See [`AsView::index_axis`].
    pub fn index_axis(&self, axis: impl AxisArg, index: usize) -> Result<Self> {
        self.transform(|l| l.index_axis(axis, index))
    }

    /// See [`AsView::permuted_axes`].
    pub fn permuted_axes(&self, axes: &[impl AxisArg]) -> Result<Self> {
        self.transform(|l| l.permuted(axes))
    }

    /// See [`AsView::t`].
    pub fn t(&self) -> Self {
        let transposed = self.layout().transposed();
        self.clone().relayout((0, transposed))
    }

    /// See [`AsView::invert_axis`].
    pub fn invert_axis(&self, axis: impl AxisArg) -> Result<Self> {
        self.transform(|l| l.invert_axis(axis))
    }

    /// See [`AsView::insert_axis`].
    pub fn insert_axis(&self, axis: impl AxisArg) -> Result<Self> {
        self.transform(|l| l.insert_axis(axis))
    }

    /// See [`AsView::remove_axis`].
    pub fn remove_axis(&self, axis: impl AxisArg) -> Result<Self> {
        self.transform(|l| l.remove_axis(axis))
    }

    /// See [`AsView::reshape`].
    pub fn reshape(&self, shape: impl crate::IntoShape) -> Result<Self> {
        let shape = shape.into_shape();
        self.transform(|l| l.reshape(shape))
    }

    /// The view seen with `target`'s shape, numpy's broadcasting rules: axes are
    /// aligned at the end, and length-1 (or missing leading) axes repeat with stride 0.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let row = Array::from_vec(vec![1, 2, 3]);
    /// let b = row.broadcast([2, 3]).unwrap();
    /// assert_eq!(b.to_vec(), vec![1, 2, 3, 1, 2, 3]);
    /// assert_eq!(b.strides(), &[0, 1]);
    /// assert!(row.broadcast([3, 2]).is_err());
    /// ```
    pub fn broadcast(&self, target: impl crate::IntoShape) -> Result<Self> {
        let target = target.into_shape();
        self.transform(|l| l.broadcast(&target))
    }

    /// See [`AsView::split_at`].
    pub fn split_at(&self, axis: impl AxisArg, index: usize) -> Result<(Self, Self)> {
        let axis = self.layout().check_split(axis, index)?;
        Ok(self.clone().split_at_checked(axis, index))
    }

    /// See [`AsView::lanes`].
    pub fn lanes(&self, axis: impl AxisArg) -> Result<Lanes<'a, T>> {
        let axis = axis.resolve(self.shape().len())?;
        Ok(Lanes::new(self.clone(), axis))
    }

    /// See [`AsView::iter`].
    pub fn iter(&self) -> Iter<'a, T> {
        self.clone().into_iter_elements()
    }
}

impl<'a, T> ArrayViewMut<'a, T> {
    fn transform(self, f: impl FnOnce(&Layout) -> Result<Relayout>) -> Result<Self> {
        let relayout = f(self.layout())?;
        Ok(self.relayout(relayout))
    }

    /// [`AsViewMut::slice_mut`] for the whole lifetime `'a`, consuming the view.
    pub fn slice_move(self, args: impl AsRef<[SliceArg]>) -> Result<Self> {
        self.transform(|l| l.slice(args.as_ref()))
    }

    /// [`AsViewMut::index_axis_mut`] for the whole lifetime `'a`, consuming the view.
    pub fn index_axis_move(self, axis: impl AxisArg, index: usize) -> Result<Self> {
        self.transform(|l| l.index_axis(axis, index))
    }

    /// [`AsViewMut::split_at_mut`] for the whole lifetime `'a`, consuming the view.
    pub fn split_at_move(self, axis: impl AxisArg, index: usize) -> Result<(Self, Self)> {
        let axis = self.layout().check_split(axis, index)?;
        Ok(self.split_at_checked(axis, index))
    }

    /// [`AsViewMut::lanes_mut`] for the whole lifetime `'a`, consuming the view.
    pub fn into_lanes_mut(self, axis: impl AxisArg) -> Result<LanesMut<'a, T>> {
        let axis = axis.resolve(self.shape().len())?;
        Ok(LanesMut::new(self, axis))
    }
}

/// numpy's *array_like*: anything an operation reads as an array. [`Array`],
/// [`ArrayView`] and [`ArrayViewMut`] are arrays of their own shape; a `Vec<T>`, a slice
/// `[T]` and a Rust array `[T; N]` are 1-D arrays. Functions that read an array take
/// `&impl ArrayLike<T>`; [`AsView`], whose methods need a stored shape, is the three
/// array types' richer interface on top of it.
///
/// ```
/// use ndcore::prelude::*;
/// fn total(a: &impl ArrayLike<f64>) -> f64 { a.view().iter().sum() }
/// assert_eq!(total(&vec![1.0, 2.0]), 3.0);
/// assert_eq!(total(&[1.0, 2.0, 4.0]), 7.0);
/// assert_eq!(total(&array![[1.0], [2.0]]), 3.0);
/// ```
pub trait ArrayLike<T> {
    /// A read-only view of all elements.
    fn view(&self) -> ArrayView<'_, T>;
}

/// Read access shared by [`Array`], [`ArrayView`] and [`ArrayViewMut`]: a function that
/// takes `&impl AsView<T>` accepts all three.
///
/// The trait exists because `Deref` cannot return a view by value: it plays the part
/// `Deref<Target = [T]>` plays for `Vec<T>`. Every method borrows `self` and views
/// derived from it borrow `self` too; [`ArrayView`]'s `*_move` methods keep the original
/// lifetime instead.
///
/// Layout transforms (`slice`, `t`, `index_axis`, `reshape`, ...) never copy: they return
/// a view with a new shape and strides over the same elements.
///
/// Every `axis` argument is an [`AxisArg`]: a `usize` such as `0..a.ndim()` yields, or a
/// signed integer that counts from the end when negative (numpy's `axis=-1`).
///
/// ```
/// use ndcore::prelude::*;
/// fn total(a: &impl AsView<f64>) -> f64 { a.iter().sum() }
/// let a = Array::from_shape_vec([2, 2], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
/// assert_eq!(total(&a), 10.0);
/// assert_eq!(total(&a.view()), 10.0);
/// assert_eq!(total(&a.slice(s![.., 1]).unwrap()), 6.0);
/// ```
pub trait AsView<T>: ArrayLike<T> {
    /// The lengths of the axes.
    fn shape(&self) -> &[usize];

    /// The strides, in elements (negative for a reversed axis, zero for a broadcast one).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::<f64>::zeros([2, 3]);
    /// assert_eq!(a.strides(), &[3, 1]);
    /// assert_eq!(a.t().strides(), &[1, 3]);
    /// assert_eq!(a.slice(s![..;-1, ..;2]).unwrap().strides(), &[-3, 2]);
    /// ```
    fn strides(&self) -> &[isize];

    /// The number of axes.
    fn ndim(&self) -> usize {
        self.shape().len()
    }

    /// The number of elements (1 for a 0-d array).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// assert_eq!(Array::<u8>::zeros([2, 3]).len(), 6);
    /// assert_eq!(Array::<u8>::zeros([]).len(), 1);
    /// assert_eq!(Array::<u8>::zeros([2, 0]).len(), 0);
    /// ```
    fn len(&self) -> usize {
        self.shape().iter().product()
    }

    /// Whether the array has no elements (some axis has length 0).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the elements are in row-major (C) order with no gaps, so that
    /// [`as_slice`](AsView::as_slice) succeeds.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::<f64>::zeros([2, 3]);
    /// assert!(a.is_standard_layout());
    /// assert!(!a.t().is_standard_layout());
    /// ```
    fn is_standard_layout(&self) -> bool {
        is_c_contiguous(self.shape(), self.strides())
    }

    /// The elements as a slice in logical order, when in standard layout.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// assert_eq!(a.as_slice(), Some(&[1, 2, 3, 4][..]));
    /// assert_eq!(a.t().as_slice(), None);
    /// ```
    fn as_slice(&self) -> Option<&[T]> {
        self.view().as_slice()
    }

    /// The element at `index`, or `None` if the index has the wrong length or is out of
    /// bounds.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// assert_eq!(a.get(&[1, 0]), Some(&3));
    /// assert_eq!(a.get(&[2, 0]), None);
    /// ```
    fn get(&self, index: &[usize]) -> Option<&T> {
        self.view().get(index)
    }

    /// An iterator over the elements in logical C order (last index fastest), whatever
    /// the memory layout. Contiguous arrays iterate as a slice; strided ones step their
    /// outer index once per run.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// assert_eq!(a.t().iter().copied().collect::<Vec<_>>(), vec![1, 3, 2, 4]);
    /// ```
    fn iter(&self) -> Iter<'_, T> {
        self.view().iter()
    }

    /// An iterator over `(index, &element)` in logical C order.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// let (ix, x) = a.indexed_iter().last().unwrap();
    /// assert_eq!((&ix[..], *x), (&[1, 1][..], 4));
    /// ```
    fn indexed_iter(&self) -> IndexedIter<'_, T> {
        IndexedIter::new(self.shape(), self.iter())
    }

    /// The elements in logical C order, cloned into a `Vec`.
    fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.iter().cloned().collect()
    }

    /// A new array in standard layout with clones of the elements.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// let t = a.t().to_owned();
    /// assert!(t.is_standard_layout());
    /// assert_eq!(t.as_slice(), Some(&[1, 3, 2, 4][..]));
    /// ```
    fn to_owned(&self) -> Array<T>
    where
        T: Clone,
    {
        Array::from_parts_c(Shape::from_slice(self.shape()), self.to_vec())
    }

    /// A view of a sub-array chosen by [`s!`](crate::s): ranges with steps, single
    /// indices and new axes, with numpy's semantics (see [`slice`](mod@crate::slice)).
    ///
    /// Errors name the axis and the numbers: an index out of range, a zero step, more
    /// indices than axes.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_fn([4, 5], |ix| ix[0] * 10 + ix[1]);
    /// let v = a.slice(s![1..;2, ..;-2]).unwrap();
    /// assert_eq!(v.shape(), &[2, 3]);
    /// assert_eq!(v.to_vec(), vec![14, 12, 10, 34, 32, 30]);
    /// let err = a.slice(s![.., 5]).unwrap_err();
    /// assert_eq!(err.to_string(), "index 5 is out of bounds for axis 1 with size 5");
    /// ```
    fn slice(&self, args: impl AsRef<[SliceArg]>) -> Result<ArrayView<'_, T>> {
        self.view().slice(args)
    }

    /// A view of one axis sliced by a run-time [`Slice`]; the other axes are whole.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_fn([2, 6], |ix| ix[1]);
    /// let v = a.slice_axis(1, Slice::new(-1, None, -2)).unwrap();
    /// assert_eq!(v.to_vec(), vec![5, 3, 1, 5, 3, 1]);
    /// ```
    fn slice_axis(&self, axis: impl AxisArg, s: Slice) -> Result<ArrayView<'_, T>> {
        self.view().slice_axis(axis, s)
    }

    /// The sub-array at `index` along `axis`, with that axis removed: a row, a column, a
    /// hyperplane.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 3], vec![1, 2, 3, 4, 5, 6]).unwrap();
    /// assert_eq!(a.index_axis(1, 2).unwrap().to_vec(), vec![3, 6]);
    /// assert!(a.index_axis(0, 2).is_err());
    /// ```
    fn index_axis(&self, axis: impl AxisArg, index: usize) -> Result<ArrayView<'_, T>> {
        self.view().index_axis(axis, index)
    }

    /// A view with the axes reordered: axis `i` of the result is axis `axes[i]` of `self`
    /// (negative counts from the end, as in numpy's `transpose`).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::<f64>::zeros([2, 3, 4]);
    /// assert_eq!(a.permuted_axes(&[2, 0, 1]).unwrap().shape(), &[4, 2, 3]);
    /// assert_eq!(a.permuted_axes(&[-1, 0, 1]).unwrap().shape(), &[4, 2, 3]);
    /// let err = a.permuted_axes(&[0, 0, 1]).unwrap_err();
    /// assert_eq!(err.to_string(), "axis 0 is repeated");
    /// ```
    fn permuted_axes(&self, axes: &[impl AxisArg]) -> Result<ArrayView<'_, T>> {
        self.view().permuted_axes(axes)
    }

    /// The transpose: all axes reversed, numpy's `a.T`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 3], vec![1, 2, 3, 4, 5, 6]).unwrap();
    /// assert_eq!(a.t().shape(), &[3, 2]);
    /// assert_eq!(a.t()[[2, 1]], 6);
    /// ```
    fn t(&self) -> ArrayView<'_, T> {
        self.view().t()
    }

    /// A view with `axis` reversed (a negative stride), numpy's `np.flip(a, axis)`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_vec(vec![1, 2, 3]);
    /// assert_eq!(a.invert_axis(0).unwrap().to_vec(), vec![3, 2, 1]);
    /// ```
    fn invert_axis(&self, axis: impl AxisArg) -> Result<ArrayView<'_, T>> {
        self.view().invert_axis(axis)
    }

    /// A view with a new length-1 axis at position `axis` of the result (`0..=ndim`, or
    /// negative from the end as numpy's `expand_dims`: `-1` appends one).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_vec(vec![1, 2, 3]);
    /// assert_eq!(a.insert_axis(1).unwrap().shape(), &[3, 1]);
    /// assert_eq!(a.insert_axis(-2).unwrap().shape(), &[1, 3]);
    /// ```
    fn insert_axis(&self, axis: impl AxisArg) -> Result<ArrayView<'_, T>> {
        self.view().insert_axis(axis)
    }

    /// A view without the length-1 axis `axis`; an error for longer axes.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::<i8>::zeros([3, 1]);
    /// assert_eq!(a.remove_axis(1).unwrap().shape(), &[3]);
    /// assert!(a.remove_axis(0).is_err());
    /// ```
    fn remove_axis(&self, axis: impl AxisArg) -> Result<ArrayView<'_, T>> {
        self.view().remove_axis(axis)
    }

    /// A view with another shape of the same size, elements taken in logical C order.
    /// Errors when the sizes differ, or when the strides cannot express the new shape
    /// without a copy (then `to_owned()` first, or use [`Array::into_shape`]).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_vec((0..6).collect::<Vec<i32>>());
    /// assert_eq!(a.reshape([2, 3]).unwrap()[[1, 0]], 3);
    /// let t = Array::<i32>::zeros([2, 3]);
    /// assert!(t.t().reshape([6]).is_err());
    /// ```
    fn reshape(&self, shape: impl crate::IntoShape) -> Result<ArrayView<'_, T>> {
        self.view().reshape(shape)
    }

    /// A read-only view with `target`'s shape under numpy's broadcasting rules; see
    /// [`ArrayView::broadcast`].
    fn broadcast(&self, target: impl crate::IntoShape) -> Result<ArrayView<'_, T>> {
        self.view().broadcast(target)
    }

    /// The two views `[..index]` and `[index..]` along `axis`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_vec(vec![1, 2, 3, 4, 5]);
    /// let (l, r) = a.split_at(0, 2).unwrap();
    /// assert_eq!((l.to_vec(), r.to_vec()), (vec![1, 2], vec![3, 4, 5]));
    /// ```
    fn split_at(
        &self,
        axis: impl AxisArg,
        index: usize,
    ) -> Result<(ArrayView<'_, T>, ArrayView<'_, T>)> {
        self.view().split_at(axis, index)
    }

    /// An iterator over the sub-arrays along `axis` (each with that axis removed), in
    /// order: the rows of a matrix for axis 0.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// let sums: Vec<i32> = a.axis_iter(0).unwrap().map(|row| row.iter().sum()).collect();
    /// assert_eq!(sums, vec![3, 7]);
    /// ```
    fn axis_iter(&self, axis: impl AxisArg) -> Result<AxisIter<'_, T>> {
        let axis = axis.resolve(self.ndim())?;
        Ok(AxisIter::new(self.view(), axis))
    }

    /// The 1-D lanes along `axis`: one [`Lane`](crate::Lane) per index of the other axes,
    /// in their logical C order. Each lane is a pointer, a length and a stride, the unit
    /// every along-axis computation (a stencil, a scan) is written on.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 3], vec![1, 2, 3, 4, 5, 6]).unwrap();
    /// let maxima: Vec<i32> = a.lanes(1).unwrap().map(|l| *l.iter().max().unwrap()).collect();
    /// assert_eq!(maxima, vec![3, 6]);
    /// ```
    fn lanes(&self, axis: impl AxisArg) -> Result<Lanes<'_, T>> {
        self.view().lanes(axis)
    }

    /// A new array of `f` applied to every element, in standard layout.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_vec(vec![1, 2, 3]);
    /// assert_eq!(a.map(|x| *x as f64 / 2.0).to_vec(), vec![0.5, 1.0, 1.5]);
    /// ```
    fn map<U>(&self, f: impl FnMut(&T) -> U) -> Array<U> {
        Array::from_parts_c(
            Shape::from_slice(self.shape()),
            self.iter().map(f).collect(),
        )
    }

    /// Like [`map`](AsView::map), with elements passed by value.
    fn mapv<U>(&self, mut f: impl FnMut(T) -> U) -> Array<U>
    where
        T: Clone,
    {
        self.map(|x| f(x.clone()))
    }

    /// A new array of `f(a, b)` over this array and `other` broadcast together (numpy's
    /// rules).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// let row = Array::from_vec(vec![10, 20]);
    /// assert_eq!(a.zip_map(&row, |x, y| x * y).unwrap().to_vec(), vec![10, 40, 30, 80]);
    /// ```
    fn zip_map<U, V>(
        &self,
        other: &impl ArrayLike<U>,
        mut f: impl FnMut(&T, &U) -> V,
    ) -> Result<Array<V>> {
        let other = other.view();
        let shape = broadcast_shapes(self.shape(), other.shape())?;
        let a = self.broadcast(shape.clone())?;
        let b = other.broadcast(shape.clone())?;
        let data = a.iter().zip(b.iter()).map(|(x, y)| f(x, y)).collect();
        Ok(Array::from_parts_c(shape, data))
    }

    /// The sum of all elements (`T::zero()` for an empty array), accumulated in logical
    /// C order.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// assert_eq!(Array::from_vec(vec![1, 2, 3]).sum(), 6);
    /// ```
    fn sum(&self) -> T
    where
        T: Clone + num_traits::Zero,
    {
        self.iter().fold(T::zero(), |acc, x| acc + x.clone())
    }

    /// The sums along `axis`, an array with that axis removed.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 3], vec![1, 2, 3, 4, 5, 6]).unwrap();
    /// assert_eq!(a.sum_axis(0).unwrap().to_vec(), vec![5, 7, 9]);
    /// assert_eq!(a.sum_axis(1).unwrap().to_vec(), vec![6, 15]);
    /// ```
    fn sum_axis(&self, axis: impl AxisArg) -> Result<Array<T>>
    where
        T: Clone + num_traits::Zero,
    {
        self.fold_axis(axis, T::zero(), |acc, x| acc.clone() + x.clone())
    }

    /// Folds every lane along `axis` into one value, an array with that axis removed.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 3], vec![1, 5, 3, 4, 2, 6]).unwrap();
    /// let max = a.fold_axis(1, i32::MIN, |m, x| *m.max(x)).unwrap();
    /// assert_eq!(max.to_vec(), vec![5, 6]);
    /// ```
    fn fold_axis<B: Clone>(
        &self,
        axis: impl AxisArg,
        init: B,
        mut f: impl FnMut(&B, &T) -> B,
    ) -> Result<Array<B>> {
        let axis = axis.resolve(self.ndim())?;
        let lanes = self.lanes(axis)?;
        let mut shape = Shape::from_slice(self.shape());
        shape.remove(axis);
        let data = lanes
            .map(|lane| lane.iter().fold(init.clone(), |acc, x| f(&acc, x)))
            .collect();
        Ok(Array::from_parts_c(shape, data))
    }

    /// The array with non-default print options: `{}` of the result is numpy's `str(a)`
    /// and `{:?}` its `repr(a)`, as printed after `numpy.set_printoptions(...)` with the
    /// same options. Nothing is formatted until the result is printed.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// use ndcore::{FloatMode, PrintOptions};
    ///
    /// let a = array![[1e-6, 0.5], [2.0, 3.0]];
    /// assert_eq!(format!("{a}"), "[[1.e-06 5.e-01]\n [2.e+00 3.e+00]]");
    /// let opts = PrintOptions { suppress: true, ..PrintOptions::default() };
    /// assert_eq!(format!("{}", a.display_with(opts)), "[[0.000001 0.5     ]\n [2.       3.      ]]");
    ///
    /// let b = Array::from_shape_fn([2000], |ix| ix[0] as i16);
    /// let opts = PrintOptions { threshold: 10, edgeitems: 2, linewidth: 30, ..PrintOptions::default() };
    /// assert_eq!(
    ///     format!("{:?}", b.display_with(opts)),
    ///     "array([   0,    1, ..., 1998,\n       1999],\n      shape=(2000,), dtype=int16)"
    /// );
    /// ```
    fn display_with(&self, opts: crate::PrintOptions) -> crate::Printed<'_, T>
    where
        T: ndfmt::Element,
    {
        crate::Printed::new(self.view(), opts, false)
    }

    /// Like [`display_with`](AsView::display_with), but `{}` of the result is numpy's
    /// `repr(a)` too, for APIs that take `impl Display`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// use ndcore::{FloatMode, PrintOptions};
    ///
    /// let a = array![0.5f32, 2.0];
    /// let opts = PrintOptions { floatmode: FloatMode::MaxPrecEqual, ..PrintOptions::default() };
    /// assert_eq!(a.debug_with(opts).to_string(), "array([0.5, 2.0], dtype=float32)");
    /// ```
    fn debug_with(&self, opts: crate::PrintOptions) -> crate::Printed<'_, T>
    where
        T: ndfmt::Element,
    {
        crate::Printed::new(self.view(), opts, true)
    }
}

/// Write access shared by [`Array`] and [`ArrayViewMut`].
///
/// ```
/// use ndcore::prelude::*;
/// fn double(a: &mut impl AsViewMut<f64>) { a.map_inplace(|x| *x *= 2.0); }
/// let mut a = Array::from_vec(vec![1.0, 2.0]);
/// double(&mut a);
/// double(&mut a.view_mut());
/// assert_eq!(a.to_vec(), vec![4.0, 8.0]);
/// ```
pub trait AsViewMut<T>: AsView<T> {
    /// A mutable view of all elements.
    fn view_mut(&mut self) -> ArrayViewMut<'_, T>;

    /// The element at `index`, mutably, or `None` when out of bounds.
    fn get_mut(&mut self, index: &[usize]) -> Option<&mut T> {
        self.view_mut().into_mut(index)
    }

    /// The elements as a mutable slice in logical order, when in standard layout.
    fn as_slice_mut(&mut self) -> Option<&mut [T]> {
        self.view_mut().into_slice()
    }

    /// A mutable iterator over the elements in logical C order.
    fn iter_mut(&mut self) -> IterMut<'_, T> {
        self.view_mut().into_iter_elements()
    }

    /// A mutable view of the sub-array chosen by [`s!`](crate::s); see
    /// [`AsView::slice`].
    fn slice_mut(&mut self, args: impl AsRef<[SliceArg]>) -> Result<ArrayViewMut<'_, T>> {
        self.view_mut().slice_move(args)
    }

    /// A mutable view of one axis sliced by a run-time [`Slice`].
    fn slice_axis_mut(&mut self, axis: impl AxisArg, s: Slice) -> Result<ArrayViewMut<'_, T>> {
        self.view_mut().transform(|l| l.slice_axis(axis, s))
    }

    /// The mutable sub-array at `index` along `axis`, with that axis removed.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut a = Array::<i32>::zeros([2, 3]);
    /// a.index_axis_mut(1, 0).unwrap().fill(9);
    /// assert_eq!(a.to_vec(), vec![9, 0, 0, 9, 0, 0]);
    /// ```
    fn index_axis_mut(&mut self, axis: impl AxisArg, index: usize) -> Result<ArrayViewMut<'_, T>> {
        self.view_mut().index_axis_move(axis, index)
    }

    /// A mutable view with the axes reordered; see [`AsView::permuted_axes`].
    fn permuted_axes_mut(&mut self, axes: &[impl AxisArg]) -> Result<ArrayViewMut<'_, T>> {
        self.view_mut().transform(|l| l.permuted(axes))
    }

    /// A mutable view with `axis` reversed.
    fn invert_axis_mut(&mut self, axis: impl AxisArg) -> Result<ArrayViewMut<'_, T>> {
        self.view_mut().transform(|l| l.invert_axis(axis))
    }

    /// A mutable view with a new length-1 axis at `axis`.
    fn insert_axis_mut(&mut self, axis: impl AxisArg) -> Result<ArrayViewMut<'_, T>> {
        self.view_mut().transform(|l| l.insert_axis(axis))
    }

    /// A mutable view with another shape of the same size; see [`AsView::reshape`].
    fn reshape_mut(&mut self, shape: impl crate::IntoShape) -> Result<ArrayViewMut<'_, T>> {
        let shape = shape.into_shape();
        self.view_mut().transform(|l| l.reshape(shape))
    }

    /// The two disjoint mutable views `[..index]` and `[index..]` along `axis`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut a = Array::from_vec(vec![1, 2, 3, 4]);
    /// let (mut l, r) = a.split_at_mut(0, 2).unwrap();
    /// l.assign(&r).unwrap();
    /// assert_eq!(a.to_vec(), vec![3, 4, 3, 4]);
    /// ```
    fn split_at_mut(
        &mut self,
        axis: impl AxisArg,
        index: usize,
    ) -> Result<(ArrayViewMut<'_, T>, ArrayViewMut<'_, T>)> {
        self.view_mut().split_at_move(axis, index)
    }

    /// The mutable lanes along `axis`; see [`AsView::lanes`].
    fn lanes_mut(&mut self, axis: impl AxisArg) -> Result<LanesMut<'_, T>> {
        self.view_mut().into_lanes_mut(axis)
    }

    /// An iterator over the mutable sub-arrays along `axis`.
    fn axis_iter_mut(&mut self, axis: impl AxisArg) -> Result<AxisIterMut<'_, T>> {
        let axis = axis.resolve(self.ndim())?;
        Ok(AxisIterMut::new(self.view_mut(), axis))
    }

    /// Sets every element to `value`.
    fn fill(&mut self, value: T)
    where
        T: Clone,
    {
        self.map_inplace(|x| *x = value.clone());
    }

    /// Copies `src` into `self`, broadcasting `src` to `self`'s shape.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut a = Array::<i32>::zeros([2, 3]);
    /// a.assign(&Array::from_vec(vec![1, 2, 3])).unwrap();
    /// assert_eq!(a.to_vec(), vec![1, 2, 3, 1, 2, 3]);
    /// assert!(a.assign(&Array::from_vec(vec![1, 2])).is_err());
    /// ```
    fn assign(&mut self, src: &impl ArrayLike<T>) -> Result<()>
    where
        T: Clone,
    {
        self.zip_mut_with(src, |o, x| *o = x.clone())
    }

    /// Calls `f` on every element, in memory order (the fastest walk, not C order).
    fn map_inplace(&mut self, mut f: impl FnMut(&mut T)) {
        let mut v = self.view_mut();
        let none: [&ArrayView<'_, T>; 0] = [];
        // Same shape by construction: the walk cannot fail.
        let _ = zip_runs(&mut v, none, |mut o, none| o.zip_with(none, |x, []| f(x)));
    }

    /// Replaces every element `x` with `f(x)`.
    fn mapv_inplace(&mut self, mut f: impl FnMut(T) -> T)
    where
        T: Clone,
    {
        self.map_inplace(|x| *x = f(x.clone()));
    }

    /// Calls `f(&mut a, &b)` on every element of `self` and the matching element of
    /// `other` broadcast to `self`'s shape, in memory order.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let mut a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// a.zip_mut_with(&Array::from_vec(vec![10, 100]), |x, y| *x *= y).unwrap();
    /// assert_eq!(a.to_vec(), vec![10, 200, 30, 400]);
    /// ```
    fn zip_mut_with<U>(
        &mut self,
        other: &impl ArrayLike<U>,
        mut f: impl FnMut(&mut T, &U),
    ) -> Result<()> {
        let mut v = self.view_mut();
        let b = other.view().broadcast(Shape::from_slice(v.shape()))?;
        zip_runs(&mut v, [&b], |mut o, x| o.zip_with(x, |o, [x]| f(o, x)))
    }
}

impl<T> ArrayView<'_, T> {
    /// A read-only view of all elements (inherent, so that no trait need be in scope;
    /// see [`ArrayLike`]).
    pub fn view(&self) -> ArrayView<'_, T> {
        self.clone()
    }
}

impl<T> ArrayLike<T> for ArrayView<'_, T> {
    fn view(&self) -> ArrayView<'_, T> {
        ArrayView::view(self)
    }
}

impl<T> AsView<T> for ArrayView<'_, T> {
    fn shape(&self) -> &[usize] {
        ArrayView::shape(self)
    }
    fn strides(&self) -> &[isize] {
        ArrayView::strides(self)
    }
}

impl<T> ArrayViewMut<'_, T> {
    /// A read-only view of all elements (inherent, so that no trait need be in scope;
    /// see [`ArrayLike`]).
    pub fn view(&self) -> ArrayView<'_, T> {
        self.as_view()
    }
}

impl<T> ArrayLike<T> for ArrayViewMut<'_, T> {
    fn view(&self) -> ArrayView<'_, T> {
        ArrayViewMut::view(self)
    }
}

impl<T> AsView<T> for ArrayViewMut<'_, T> {
    fn shape(&self) -> &[usize] {
        ArrayViewMut::shape(self)
    }
    fn strides(&self) -> &[isize] {
        ArrayViewMut::strides(self)
    }
}

impl<T> AsViewMut<T> for ArrayViewMut<'_, T> {
    fn view_mut(&mut self) -> ArrayViewMut<'_, T> {
        self.reborrow()
    }
}

impl<T, A: ArrayLike<T> + ?Sized> ArrayLike<T> for &A {
    fn view(&self) -> ArrayView<'_, T> {
        (**self).view()
    }
}

impl<T, A: AsView<T> + ?Sized> AsView<T> for &A {
    fn shape(&self) -> &[usize] {
        (**self).shape()
    }
    fn strides(&self) -> &[isize] {
        (**self).strides()
    }
}

// `Array` and `ArrayView` are `Clone`, so the blanket `ToOwned::to_owned` would make
// `a.to_owned()` ambiguous with `AsView::to_owned`; these inherent methods win.
impl<T: Clone> Array<T> {
    /// A copy in standard layout; see [`AsView::to_owned`].
    pub fn to_owned(&self) -> Array<T> {
        AsView::to_owned(self)
    }
}

impl<T: Clone> ArrayView<'_, T> {
    /// A new array in standard layout; see [`AsView::to_owned`].
    pub fn to_owned(&self) -> Array<T> {
        AsView::to_owned(self)
    }
}

/// A slice is a contiguous 1-D array of its length.
impl<T> ArrayLike<T> for [T] {
    fn view(&self) -> ArrayView<'_, T> {
        ArrayView::from_slice(self, [self.len()])
            .expect("a slice is a contiguous 1-D array of its length")
    }
}

impl<T> ArrayLike<T> for Vec<T> {
    fn view(&self) -> ArrayView<'_, T> {
        self[..].view()
    }
}

impl<T, const N: usize> ArrayLike<T> for [T; N] {
    fn view(&self) -> ArrayView<'_, T> {
        self[..].view()
    }
}
