//! The owned array and its constructors.

use num_traits::{Float, NumCast, One, Zero};

use crate::error::{Error, Result};
use crate::layout::{
    check_len, next_c_index, size_checked, IntoShape, Layout, OffsetIter, Shape, Strides,
};
use crate::raw::{ArrayView, ArrayViewMut};
use crate::view::{ArrayLike, AsView, AsViewMut};

/// An owned N-dimensional array: a `Vec<T>` of exactly its elements plus a shape and
/// non-negative strides (row-major after every constructor here, other orders when read
/// from a Fortran-order `.npy` file or built with [`from_shape_vec_strides`]).
///
/// All read methods come from [`AsView`], write methods from [`AsViewMut`]; bring them
/// in with `use ndcore::prelude::*`.
///
/// ```
/// use ndcore::prelude::*;
/// let mut a = Array::from_shape_vec([2, 3], vec![1., 2., 3., 4., 5., 6.]).unwrap();
/// a[[1, 2]] = 60.;
/// assert_eq!(a.shape(), &[2, 3]);
/// assert_eq!(a.slice(s![.., -1]).unwrap().to_vec(), vec![3., 60.]);
/// ```
///
/// [`from_shape_vec_strides`]: Array::from_shape_vec_strides
#[derive(Clone)]
pub struct Array<T> {
    data: Vec<T>,
    layout: Layout,
}

impl<T> Array<T> {
    /// The array of `shape` whose elements, in row-major order, are `data`. Errors when
    /// the lengths differ.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// assert_eq!(a[[1, 0]], 3);
    /// let err = Array::from_shape_vec([2, 2], vec![1, 2, 3]).unwrap_err();
    /// assert_eq!(err.to_string(), "cannot build an array of shape [2, 2] (4 elements) from 3 elements");
    /// ```
    pub fn from_shape_vec(shape: impl IntoShape, data: Vec<T>) -> Result<Self> {
        let shape = shape.into_shape();
        check_len(&shape, data.len())?;
        Ok(Self::from_parts_c(shape, data))
    }

    /// The array of `shape` whose element at index `ix` is `data[Σ ix[k] * strides[k]]`.
    /// Strides must be non-negative and visit every element of `data` exactly once (a
    /// permutation of row-major order, such as Fortran order).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// // Column-major 2x3: data holds the columns one after another.
    /// let a = Array::from_shape_vec_strides([2, 3], &[1, 2], vec![1, 4, 2, 5, 3, 6]).unwrap();
    /// assert_eq!(a.to_vec(), vec![1, 2, 3, 4, 5, 6]);
    /// assert!(Array::from_shape_vec_strides([2, 3], &[1, 1], vec![0; 6]).is_err());
    /// ```
    pub fn from_shape_vec_strides(
        shape: impl IntoShape,
        strides: &[isize],
        data: Vec<T>,
    ) -> Result<Self> {
        let layout = Layout::new(shape.into_shape(), Strides::from_slice(strides));
        check_len(&layout.shape, data.len())?;
        // In bounds and non-overlapping with as many indices as elements: a bijection.
        if layout.strides.iter().any(|&s| s < 0) || layout.has_overlap() {
            return Err(Error::Overlapping {
                shape: layout.shape.to_vec(),
                strides: layout.strides.to_vec(),
            });
        }
        layout.check_in_buffer(0, data.len())?;
        Ok(Array { data, layout })
    }

    /// A 1-D array of the elements of `data`.
    pub fn from_vec(data: Vec<T>) -> Self {
        Array {
            layout: Layout::new(smallvec::smallvec![data.len()], smallvec::smallvec![1]),
            data,
        }
    }

    /// The array of `shape` with `f(index)` at each index, called in row-major order.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_fn([2, 3], |ix| 10 * ix[0] + ix[1]);
    /// assert_eq!(a.to_vec(), vec![0, 1, 2, 10, 11, 12]);
    /// ```
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements (the allocation could not exist).
    pub fn from_shape_fn(shape: impl IntoShape, mut f: impl FnMut(&[usize]) -> T) -> Self {
        let shape = shape.into_shape();
        let n = size_checked(&shape).expect("shape too large to allocate");
        let mut data = Vec::with_capacity(n);
        let mut index: Shape = smallvec::smallvec![0; shape.len()];
        for k in 0..n {
            if k > 0 {
                next_c_index(&mut index, &shape);
            }
            data.push(f(&index));
        }
        Self::from_parts_c(shape, data)
    }

    /// A row-major array; the caller guarantees `data.len()` is the size of `shape`.
    pub(crate) fn from_parts_c(shape: Shape, data: Vec<T>) -> Self {
        debug_assert_eq!(shape.iter().product::<usize>(), data.len());
        Array {
            data,
            layout: Layout::c_order(shape),
        }
    }

    /// The buffer, in memory order (row-major unless the array was built with other
    /// strides), without copying.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    /// assert_eq!(a.into_raw_vec(), vec![1, 2, 3, 4]);
    /// ```
    pub fn into_raw_vec(self) -> Vec<T> {
        self.data
    }

    /// The elements in logical C order, moving them (no `Clone` needed); no copy when
    /// the array is in standard layout.
    pub fn into_vec(self) -> Vec<T> {
        if self.layout.is_c_contiguous() {
            return self.data;
        }
        // perm[i] = where the i-th element in logical order sits in memory; apply the
        // permutation in place by following its cycles.
        let perm: Vec<usize> = OffsetIter::new(&self.layout).map(|o| o as usize).collect();
        let mut data = self.data;
        let mut done = vec![false; perm.len()];
        for i in 0..perm.len() {
            if done[i] {
                continue;
            }
            let mut j = i;
            while perm[j] != i {
                data.swap(j, perm[j]);
                done[j] = true;
                j = perm[j];
            }
            done[j] = true;
        }
        data
    }

    /// The same elements with another shape of the same size, in logical C order. Never
    /// fails for a size match: a non-standard layout is put in order first.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::from_vec((0..6).collect::<Vec<i32>>());
    /// let b = a.into_shape([3, 2]).unwrap();
    /// assert_eq!(b[[2, 1]], 5);
    /// assert!(b.into_shape([4]).is_err());
    /// ```
    pub fn into_shape(self, shape: impl IntoShape) -> Result<Self> {
        let shape = shape.into_shape();
        let new_len = size_checked(&shape)?;
        if new_len != self.data.len() {
            return Err(Error::ReshapeSize {
                len: self.data.len(),
                shape: shape.to_vec(),
            });
        }
        Ok(Self::from_parts_c(shape, self.into_vec()))
    }

    /// The array of `shape` with every element `elem`.
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements.
    pub fn from_elem(shape: impl IntoShape, elem: T) -> Self
    where
        T: Clone,
    {
        let shape = shape.into_shape();
        let n = size_checked(&shape).expect("shape too large to allocate");
        Self::from_parts_c(shape, vec![elem; n])
    }

    /// An array of `like`'s shape filled with `elem`, whose memory order follows
    /// `like`'s strides (numpy's `order='K'`): a transposed input gives a transposed
    /// (column-major) result, so a walk that is contiguous in one is contiguous in the other.
    /// Reversed axes are stored forwards.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::<f64>::zeros([2, 3]);
    /// let b = Array::from_elem_like(&a.t(), 1u8);
    /// assert_eq!((b.shape(), b.strides()), (&[3, 2][..], &[1, 3][..]));
    /// ```
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements.
    pub fn from_elem_like<U>(like: &impl AsView<U>, elem: T) -> Self
    where
        T: Clone,
    {
        let (layout, n) = layout_like(Shape::from_slice(like.shape()), like.strides());
        Array {
            data: vec![elem; n],
            layout,
        }
    }

    /// Zeros of `shape` in row-major order for plain-data element types, without a pass
    /// over memory: the zeroed pages come lazily from the kernel, and on Linux buffers
    /// of 4 MiB or more are advised as huge pages (as numpy does for its large arrays),
    /// which makes both the first write and later walks cheaper. [`zeros`](Array::zeros)
    /// is the general form for any `Zero` type.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let z = Array::<f64>::zeroed([2, 3]);
    /// assert_eq!(z, Array::zeros([2, 3]));
    /// ```
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements.
    pub fn zeroed(shape: impl IntoShape) -> Self
    where
        T: bytemuck::Zeroable,
    {
        let (layout, n) = layout_like(shape.into_shape(), &[]);
        Array {
            data: crate::raw::zeroed_vec(n),
            layout,
        }
    }

    /// Zeros in `like`'s shape and memory order, like
    /// [`from_elem_like`](Array::from_elem_like), for outputs that are about to be
    /// overwritten: no pass over memory, and on Linux large buffers are advised as huge
    /// pages so that writing them first costs far fewer page faults.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::<f32>::zeros([4, 2]);
    /// let z = Array::<f64>::zeros_like(&a.t());
    /// assert_eq!((z.shape(), z.strides()), (&[2, 4][..], &[1, 2][..]));
    /// ```
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements.
    pub fn zeros_like<U>(like: &impl AsView<U>) -> Self
    where
        T: bytemuck::Zeroable,
    {
        Self::zeros_like_with_shape(like, like.shape())
    }

    /// Zeros of `shape`, stored in `like`'s memory order when both have the same number
    /// of axes (and in row-major order otherwise), as numpy's `zeros_like(a, shape=..)`:
    /// for results one shorter or longer along an axis than their input (a difference,
    /// a scan with its initial value). Same allocation as [`zeros_like`](Array::zeros_like).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::<f64>::zeros([3, 5]);
    /// let d = Array::<f64>::zeros_like_with_shape(&a.t(), [4, 3]);
    /// assert_eq!(d.strides(), &[1, 4]);
    /// ```
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements.
    pub fn zeros_like_with_shape<U>(like: &impl AsView<U>, shape: impl IntoShape) -> Self
    where
        T: bytemuck::Zeroable,
    {
        let (layout, n) = layout_like(shape.into_shape(), like.strides());
        Array {
            data: crate::raw::zeroed_vec(n),
            layout,
        }
    }

    /// The array of `shape` filled with zeros. Large zero arrays are cheap: the
    /// allocator hands out zeroed pages lazily.
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements.
    pub fn zeros(shape: impl IntoShape) -> Self
    where
        T: Clone + Zero,
    {
        Self::from_elem(shape, T::zero())
    }

    /// The array of `shape` filled with ones.
    ///
    /// # Panics
    /// If the shape has more than `isize::MAX` elements.
    pub fn ones(shape: impl IntoShape) -> Self
    where
        T: Clone + One,
    {
        Self::from_elem(shape, T::one())
    }

    /// A 0-d array holding `value`.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::scalar(3.5);
    /// assert_eq!((a.ndim(), a[[]]), (0, 3.5));
    /// ```
    pub fn scalar(value: T) -> Self {
        Self::from_parts_c(Shape::new(), vec![value])
    }

    /// `num` evenly spaced values from `start` to `end` inclusive, computed as numpy's
    /// `linspace` does (`start + i * step`, the last value exactly `end`).
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// let a = Array::linspace(0.0, 1.0, 5);
    /// assert_eq!(a.to_vec(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// assert_eq!(Array::linspace(2.0, 3.0, 1).to_vec(), vec![2.0]);
    /// ```
    pub fn linspace(start: T, end: T, num: usize) -> Self
    where
        T: Float,
    {
        let div = num.saturating_sub(1);
        let step = match T::from(div) {
            Some(d) if div > 0 => (end - start) / d,
            _ => T::zero(),
        };
        let mut data: Vec<T> = (0..num)
            .map(|i| T::from(i).map_or(T::nan(), |i| i * step + start))
            .collect();
        if num > 1 {
            data[num - 1] = end;
        }
        Self::from_vec(data)
    }

    /// The values `start, start + step, ...` below `end` (above it for a negative
    /// step), numpy's `arange`: `ceil((end - start) / step)` values, computed as numpy
    /// does: `start`, `start + step`, then `start + i * delta` with
    /// `delta = (start + step) - start`, so floating-point results match numpy bit for
    /// bit. Errors on a zero or non-finite step.
    ///
    /// ```
    /// use ndcore::prelude::*;
    /// assert_eq!(Array::arange(0, 5, 2).unwrap().to_vec(), vec![0, 2, 4]);
    /// assert_eq!(Array::arange(1.0, 0.0, -0.25).unwrap().to_vec(), vec![1.0, 0.75, 0.5, 0.25]);
    /// // numpy: np.arange(0.1, 1.0, 0.3) -> [0.1, 0.4, 0.7000000000000001]
    /// assert_eq!(Array::arange(0.1, 1.0, 0.3).unwrap().to_vec(), vec![0.1, 0.4, 0.7000000000000001]);
    /// assert!(Array::arange(0, 5, 0).is_err());
    /// // Integers are exact over the whole range of the type, as in numpy.
    /// let a = Array::arange(-128i8, 127, 1).unwrap();
    /// assert_eq!((a.len(), a[[0]], a[[254]]), (255, -128, 126));
    /// assert_eq!(Array::arange(i64::MAX, i64::MIN, -3 << 60).unwrap().len(), 6);
    /// ```
    pub fn arange(start: T, end: T, step: T) -> Result<Self>
    where
        T: NumCast + Copy + num_traits::Num,
    {
        let f = |x: T| x.to_f64().unwrap_or(f64::NAN);
        let (s, e, d) = (f(start), f(end), f(step));
        let (ss, es, ds) = (short(s), short(e), short(d));
        if d == 0.0 || !d.is_finite() || !s.is_finite() || !e.is_finite() {
            return Err(Error::BadRange {
                reason: format!("arange needs a finite non-zero step and finite bounds, got start {ss}, end {es}, step {ds}"),
            });
        }
        if T::one() / (T::one() + T::one()) == T::zero() {
            return Self::arange_int(start, end, step);
        }
        let n = ((e - s) / d).ceil().max(0.0);
        if n > isize::MAX as f64 {
            return Err(Error::BadRange {
                reason: format!("arange from {ss} to {es} by {ds} has too many values"),
            });
        }
        let n = n as usize;
        // numpy fills `start`, `start + step`, then `start + i * delta` with
        // `delta = (start + step) - start`, which can differ from `step` in floating point
        // (np.arange(0.1, 1, 0.3)[2] is 0.7000000000000001, not 0.7). With two or more
        // values `start + step` lies inside the range, so it cannot overflow.
        let second = if n > 1 { start + step } else { start };
        let delta = second - start;
        let data = (0..n)
            .map(|i| match i {
                0 => Some(start),
                1 => Some(second),
                _ => T::from(i).map(|i| start + i * delta),
            })
            .collect::<Option<Vec<T>>>()
            .ok_or_else(|| Error::BadRange {
                reason: format!(
                    "arange from {ss} to {es} by {ds}: an index does not fit the element type"
                ),
            })?;
        Ok(Self::from_vec(data))
    }

    /// [`arange`](Array::arange) of a primitive integer type: counted and filled exactly
    /// in `i128`, where `start + i * step` cannot overflow (in the element type it can,
    /// `-128i8 + 254 * 1` on the way to `126`), and every value lies between `start` and
    /// `end`, so it fits.
    fn arange_int(start: T, end: T, step: T) -> Result<Self>
    where
        T: NumCast + Copy + num_traits::Num,
    {
        let wide = |x: T| x.to_i128().unwrap_or(0);
        let (s, e, d) = (wide(start), wide(end), wide(step));
        let span = e - s;
        let n = if span != 0 && (span > 0) == (d > 0) {
            (span.abs() + d.abs() - 1) / d.abs()
        } else {
            0
        };
        let n = usize::try_from(n)
            .ok()
            .filter(|&n| n <= isize::MAX as usize)
            .ok_or_else(|| Error::BadRange {
                reason: format!("arange from {s} to {e} by {d} has too many values"),
            })?;
        let data = (0..n)
            .map(|i| T::from(s + i as i128 * d))
            .collect::<Option<Vec<T>>>()
            .ok_or_else(|| Error::BadRange {
                reason: format!(
                    "arange from {s} to {e} by {d}: a value does not fit the element type"
                ),
            })?;
        Ok(Self::from_vec(data))
    }

    #[doc(hidden)]
    pub fn __from_rows<const N: usize>(rows: Vec<[T; N]>) -> Self {
        let shape = Shape::from_slice(&[rows.len(), N]);
        Self::from_parts_c(shape, rows.into_iter().flatten().collect())
    }

    #[doc(hidden)]
    pub fn __from_blocks<const M: usize, const N: usize>(blocks: Vec<[[T; N]; M]>) -> Self {
        let shape = Shape::from_slice(&[blocks.len(), M, N]);
        Self::from_parts_c(shape, blocks.into_iter().flatten().flatten().collect())
    }
}

/// A number for an error message: integers without a fraction, others in Rust's
/// shortest form (`1e300`, not three hundred digits).
fn short(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x}")
    } else {
        format!("{x:?}")
    }
}

/// An [`Array`] from nested brackets, like numpy's `np.array([[1, 2], [3, 4]])`: 1-D,
/// 2-D or 3-D. Rows must have equal lengths (a compile error otherwise).
///
/// ```
/// use ndcore::prelude::*;
/// let a = array![[1., 2., 3.], [4., 5., 6.]];
/// assert_eq!(a.shape(), &[2, 3]);
/// let b = array![1, 2, 3];
/// assert_eq!(b.shape(), &[3]);
/// let c = array![[[1], [2]], [[3], [4]]];
/// assert_eq!(c.shape(), &[2, 2, 1]);
/// ```
#[macro_export]
macro_rules! array {
    ($([$([$($x:expr),* $(,)?]),+ $(,)?]),+ $(,)?) => {
        $crate::Array::__from_blocks(vec![$([$([$($x,)*],)+],)+])
    };
    ($([$($x:expr),* $(,)?]),+ $(,)?) => {
        $crate::Array::__from_rows(vec![$([$($x,)*],)+])
    };
    ($($x:expr),* $(,)?) => {
        $crate::Array::from_vec(vec![$($x,)*])
    };
}

impl<T> Array<T> {
    /// A read-only view of all elements (inherent, so that no trait need be in scope;
    /// see [`ArrayLike`]).
    pub fn view(&self) -> ArrayView<'_, T> {
        ArrayView::from_layout(&self.data, self.layout.clone(), 0)
            .expect("an Array's layout stays inside its buffer")
    }
}

impl<T> ArrayLike<T> for Array<T> {
    fn view(&self) -> ArrayView<'_, T> {
        Array::view(self)
    }
}

impl<T> AsView<T> for Array<T> {
    fn shape(&self) -> &[usize] {
        &self.layout.shape
    }
    fn strides(&self) -> &[isize] {
        &self.layout.strides
    }
}

impl<T> AsViewMut<T> for Array<T> {
    fn view_mut(&mut self) -> ArrayViewMut<'_, T> {
        ArrayViewMut::from_layout(&mut self.data, self.layout.clone(), 0)
            .expect("an Array's layout stays inside its buffer and does not overlap")
    }
}

impl<T> From<Vec<T>> for Array<T> {
    fn from(v: Vec<T>) -> Self {
        Array::from_vec(v)
    }
}

impl<'a, T> IntoIterator for &'a Array<T> {
    type Item = &'a T;
    type IntoIter = crate::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Array<T> {
    type Item = &'a mut T;
    type IntoIter = crate::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<'a, T> IntoIterator for ArrayView<'a, T> {
    type Item = &'a T;
    type IntoIter = crate::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_iter_elements()
    }
}

impl<'a, T> IntoIterator for &'a ArrayView<'_, T> {
    type Item = &'a T;
    type IntoIter = crate::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for ArrayViewMut<'a, T> {
    type Item = &'a mut T;
    type IntoIter = crate::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_iter_elements()
    }
}

impl<T: PartialEq> PartialEq<ArrayView<'_, T>> for ArrayView<'_, T> {
    /// Equal shapes and equal elements (layouts may differ).
    fn eq(&self, other: &ArrayView<'_, T>) -> bool {
        self.shape() == other.shape() && self.iter().eq(other.iter())
    }
}

impl<T: PartialEq> PartialEq<ArrayView<'_, T>> for Array<T> {
    fn eq(&self, other: &ArrayView<'_, T>) -> bool {
        self.view() == *other
    }
}

impl<T: PartialEq> PartialEq<Array<T>> for ArrayView<'_, T> {
    fn eq(&self, other: &Array<T>) -> bool {
        *self == other.view()
    }
}

impl<T: PartialEq> PartialEq for Array<T> {
    /// Equal shapes and equal elements in logical order (memory layouts may differ).
    fn eq(&self, other: &Array<T>) -> bool {
        self.view() == other.view()
    }
}

impl<T: Eq> Eq for Array<T> {}

/// `shape` stored in the memory order of `like_strides` (see [`Layout::like`]), and its
/// number of elements.
///
/// # Panics
/// If the shape has more than `isize::MAX` elements.
fn layout_like(shape: Shape, like_strides: &[isize]) -> (Layout, usize) {
    let n = size_checked(&shape).expect("shape too large to allocate");
    (Layout::like(shape, like_strides), n)
}
