//! `diff`: numpy's `np.diff`, result for result, as a builder.
//!
//! # Formula
//!
//! Along the axis, `y[i] = x[i + 1] - x[i]`, repeated `n` times. With `prepend`/`append`
//! the sequence differenced is the concatenation `prepend ++ x ++ append` along the axis,
//! so the result has length `max(0, L - n)` where `L` counts the prepended and appended
//! values. `n` larger than that gives an empty axis, not an error (numpy's rule); `n = 0`
//! gives a copy of the input and ignores everything else, as numpy returns its input.
//!
//! # Element types
//!
//! The result has the input's type, unless `prepend` or `append` has another: then,
//! as numpy concatenates before differencing, everything is first cast to the common
//! type of the three ([`ResultType`], numpy's promotion: `i8` data with a `u8` prepend
//! gives `i16`, `f32` data with an `f64` value gives `f64`). Integers wrap like numpy's
//! (`u8` `[1, 0]` gives `[255]`, `i64` `[MIN, MAX]` gives `[-1]`), `bool` differences
//! are `xor` (numpy's `not_equal`), floats and complex numbers subtract in IEEE
//! arithmetic, each repetition rounded as numpy rounds it. See [`NpArith`].
//!
//! With both of other types, ndcalc promotes in call order, which differs from numpy's
//! promotion of the three at once only for `int8`/`int16` with `uint16` and
//! `float32`/`complex64` (see [`Diff::append`]).
//!
//! A Rust literal has the type Rust infers for it: `prepend(0.)` is an `f64`, as
//! numpy's Python float is, so `f32` data gives `f64` in both; `prepend(0)` is an `i32`
//! where numpy's Python int is an `int64`, so write `prepend(0i64)` for numpy's type,
//! or `prepend(0u8)` to keep `u8` data `u8`.
//!
//! # Loop order
//!
//! One pass over memory, no input-sized temporaries: for `n = 1` on an axis that is not
//! the fastest in memory the difference is taken between whole hyperplanes
//! `x[i + 1, ..] - x[i, ..]` (plane order, contiguous runs innermost); otherwise each lane
//! is differenced on its own (for `n >= 2` in a lane-sized scratch buffer, reused).
//!
//! # Coming from numpy
//!
//! | numpy | ndcalc |
//! |---|---|
//! | `np.diff(a)` | `a.diff().compute()?` (the last axis, numpy's default) |
//! | `np.diff(a, n=2)` | `a.diff().n(2).compute()?` |
//! | `np.diff(a, axis=0)` | `a.diff().axis(0).compute()?` |
//! | `np.diff(a, prepend=0.0)` | `a.diff().prepend(0.0).compute()?` |
//! | `np.diff(a, append=b)` | `a.diff().append(&b).compute()?` |
//! | `np.diff(a, n=2, axis=-1, prepend=p, append=q)` | `a.diff().n(2).axis(-1).prepend(&p).append(&q).compute()?` |
//! | `np.diff(a) ` into existing memory | `a.diff().compute_into(&mut out)?` |
//! | `np.diff(a, n=-1)` (ValueError) | impossible: `n` is a `usize` |
//! | `np.diff(a_int8, prepend=b_uint8)` (`int16`) | `a.diff().prepend(&b).compute()?` (an `Array<i16>`) |

use ndcore::{
    zip_lanes, zip_runs, Array, ArrayView, ArrayViewMut, AsView, AsViewMut, AxisArg, Lane, LaneMut,
    Shape, Slice,
};
use num_complex::Complex;

use crate::cast::{CastFrom, ResultType};
use crate::element::NpArith;
use crate::error::{check_out_shape, normalize_axis, CalcError, Result};
use crate::halo::Halo;
use crate::walk::{inner_len, lane_order};

/// A `prepend` or `append` argument of [`Diff`]: one value (numpy's scalar, broadcast to
/// a slice of length 1 along the axis) or an array whose shape matches the input's on
/// every other axis. Made with `From` from a value or a reference to an array or view;
/// a 0-d array counts as a value.
#[derive(Clone)]
pub enum DiffEdge<'a, T> {
    /// One value for the whole slice.
    Scalar(T),
    /// Values to concatenate along the axis.
    Array(ArrayView<'a, T>),
}

impl<'a, T> From<&'a Array<T>> for DiffEdge<'a, T> {
    fn from(a: &'a Array<T>) -> Self {
        DiffEdge::Array(a.view())
    }
}

impl<'a, T> From<&ArrayView<'a, T>> for DiffEdge<'a, T> {
    fn from(a: &ArrayView<'a, T>) -> Self {
        DiffEdge::Array(a.clone())
    }
}

impl<'a, T> From<ArrayView<'a, T>> for DiffEdge<'a, T> {
    fn from(a: ArrayView<'a, T>) -> Self {
        DiffEdge::Array(a)
    }
}

/// A `Vec`, a slice or a Rust array is a 1-D array, as numpy's lists are.
impl<'a, T> From<&'a [T]> for DiffEdge<'a, T> {
    fn from(a: &'a [T]) -> Self {
        DiffEdge::Array(ndcore::ArrayLike::view(a))
    }
}

impl<'a, T> From<&'a Vec<T>> for DiffEdge<'a, T> {
    fn from(a: &'a Vec<T>) -> Self {
        DiffEdge::Array(ndcore::ArrayLike::view(a))
    }
}

impl<'a, T, const N: usize> From<&'a [T; N]> for DiffEdge<'a, T> {
    fn from(a: &'a [T; N]) -> Self {
        DiffEdge::Array(ndcore::ArrayLike::view(a))
    }
}

macro_rules! edge_scalars {
    ($($t:ty),*) => {$(
        impl From<$t> for DiffEdge<'_, $t> {
            fn from(v: $t) -> Self {
                DiffEdge::Scalar(v)
            }
        }
    )*};
}
edge_scalars!(
    f32,
    f64,
    Complex<f32>,
    Complex<f64>,
    i8,
    i16,
    i32,
    i64,
    isize,
    u8,
    u16,
    u32,
    u64,
    usize,
    bool
);

/// The `n`-th discrete difference along an axis; made by [`Calc::diff`](crate::Calc::diff).
/// See the [module docs](self) for the numpy correspondence.
///
/// ```
/// use ndcalc::prelude::*;
/// let x = array![1, 2, 4, 7, 0];
/// assert_eq!(x.diff().compute()?, array![1, 2, 3, -7]);
/// assert_eq!(x.diff().n(2).compute()?, array![1, 1, -10]);
/// let m = array![[1, 3, 6, 10], [0, 5, 6, 8]];
/// assert_eq!(m.diff().compute()?, array![[2, 3, 4], [5, 1, 2]]);
/// assert_eq!(m.diff().axis(0).compute()?, array![[-1, 2, 0, -2]]);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
///
/// `T` is the type the differences are computed in and returned as: the input's, or
/// the common type with `prepend`/`append` ([`ResultType`]), to which the input is then
/// cast.
#[derive(Clone)]
pub struct Diff<'a, T> {
    x: Edge<'a, T>,
    n: usize,
    axis: isize,
    prepend: Option<EdgeArg<'a, T>>,
    append: Option<EdgeArg<'a, T>>,
    halo: Halo,
}

/// A prepend/append as given, cast to the computing type.
#[derive(Clone)]
enum EdgeArg<'a, R> {
    Scalar(R),
    View(ArrayView<'a, R>),
    Owned(Array<R>),
}

impl<'a, R: NpArith> EdgeArg<'a, R> {
    fn new<P: Copy + 'a>(e: DiffEdge<'a, P>) -> Self
    where
        R: CastFrom<P>,
    {
        match e {
            DiffEdge::Scalar(v) => EdgeArg::Scalar(R::cast_from(v)),
            DiffEdge::Array(a) => match R::same_view(&a) {
                Some(v) => EdgeArg::View(v),
                None => EdgeArg::Owned(a.mapv(R::cast_from)),
            },
        }
    }

    /// The same values in the type `S` that a later prepend/append promoted to.
    fn cast<S: CastFrom<R>>(self) -> EdgeArg<'a, S> {
        match self {
            EdgeArg::Scalar(v) => EdgeArg::Scalar(S::cast_from(v)),
            EdgeArg::View(a) => EdgeArg::new(DiffEdge::Array(a)),
            EdgeArg::Owned(a) => EdgeArg::Owned(a.mapv(S::cast_from)),
        }
    }
}

/// The input, or a resolved prepend/append: the caller's array, or one made here (a
/// plane of one value, or values cast to a promoted type).
#[derive(Clone)]
enum Edge<'e, T> {
    Owned(Array<T>),
    View(ArrayView<'e, T>),
}

impl<'e, T> Edge<'e, T> {
    fn view(&self) -> ArrayView<'_, T> {
        match self {
            Edge::Owned(a) => a.view(),
            Edge::View(v) => v.clone(),
        }
    }

    fn shape(&self) -> &[usize] {
        match self {
            Edge::Owned(a) => a.shape(),
            Edge::View(v) => v.shape(),
        }
    }
}

impl<'e, T: NpArith> Edge<'e, T> {
    /// The same values in the type `S` (numpy's concatenation casts the input too).
    fn cast<S: CastFrom<T>>(self) -> Edge<'e, S> {
        match self {
            Edge::View(v) => match S::same_view(&v) {
                Some(v) => Edge::View(v),
                None => Edge::Owned(v.mapv(S::cast_from)),
            },
            Edge::Owned(a) => Edge::Owned(a.mapv(S::cast_from)),
        }
    }
}

impl<'a, T: NpArith> Diff<'a, T> {
    pub(crate) fn new(x: ArrayView<'a, T>) -> Self {
        Diff {
            x: Edge::View(x),
            n: 1,
            axis: -1,
            prepend: None,
            append: None,
            halo: Halo::default(),
        }
    }

    /// The input is a block of a larger array with a halo along the axis: `lo` samples
    /// of the array before the block and `hi` after it. The result holds the
    /// differences that start at the block's samples, `x[i+1] - x[i]` for `n = 1`, as
    /// on the whole array: one per sample when `hi` is at least [`reach`](Self::reach)
    /// (`n`), else (the array ends `hi` samples after the block) the last `n - hi` block
    /// samples have none, as the whole array's last `n` samples have none. So the
    /// results of blocks cut anywhere, each with `n` samples after it (clipped at the
    /// end), join into the whole array's result, bit for bit. `prepend` and `append`
    /// belong to the whole array: with a halo they are an error.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let x = array![1., 4., 9., 16., 25., 36.];
    /// let whole = x.diff().n(2).compute()?;               // [2., 2., 2., 2.]
    /// let (_, hi) = x.diff().n(2).reach();                // (0, 2)
    /// // The block [0, 3) with two samples after it, then the block [3, 6) at the end.
    /// let first = x.slice_axis(0, Slice::new(0, 3 + hi as isize, 1))?;
    /// assert_eq!(first.diff().n(2).halo(0, hi).compute()?, array![2., 2., 2.]);
    /// let last = x.slice_axis(0, Slice::new(3, 6, 1))?;
    /// assert_eq!(last.diff().n(2).halo(0, 0).compute()?, array![2.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn halo(mut self, lo: usize, hi: usize) -> Self {
        self.halo = Halo::new(lo, hi);
        self
    }

    /// The halo a block needs before and after it: `(0, n)`. See [`halo`](Self::halo).
    pub fn reach(&self) -> (usize, usize) {
        (0, self.n)
    }

    /// How many times to difference (numpy's `n`, default 1). `n = 0` returns a copy of
    /// the input.
    pub fn n(mut self, n: usize) -> Self {
        self.n = n;
        self
    }

    /// The axis (negative counts from the end); the last axis by default, as in numpy.
    pub fn axis(mut self, axis: impl AxisArg) -> Self {
        self.axis = axis.signed();
        self
    }

    /// Values placed before the input along the axis before differencing: a value (a
    /// slice of length 1) or an array matching the input's other axes. Of another type
    /// than the input, they make the result numpy's common type ([`ResultType`]).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let x = array![3., 5., 9.];
    /// assert_eq!(x.diff().prepend(0.).compute()?, array![3., 2., 4.]);
    /// let m = array![[1., 2.], [4., 8.]];
    /// let first = array![[0., 0.]];
    /// assert_eq!(m.diff().axis(0).prepend(&first).compute()?, array![[1., 2.], [3., 6.]]);
    /// // numpy: np.diff(np.array([1, 3], np.int8), prepend=np.array([200], np.uint8))
    /// // is int16 [-199, 2]: both are cast to int16 first.
    /// let d = array![1i8, 3].diff().prepend(&array![200u8]).compute()?;
    /// assert_eq!(d, array![-199i16, 2]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn prepend<P: Copy + 'a>(self, values: impl Into<DiffEdge<'a, P>>) -> Diff<'a, T::Output>
    where
        T: ResultType<P>,
    {
        let mut d = self.promote::<P>();
        d.prepend = Some(EdgeArg::new(values.into()));
        d
    }

    /// Values placed after the input along the axis before differencing; see
    /// [`prepend`](Diff::prepend).
    ///
    /// With both of other types the builder promotes in call order, the input's type
    /// with the first edge's, then that with the second's. numpy promotes the three at
    /// once, which gives the same type except for `int8` or `int16` with `uint16` and
    /// `float32` or `complex64` (numpy: `float32`; in order: `int32` then `float64`).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let d = array![1u8, 4].diff().prepend(0.5f32).append(&array![-1i64]).compute()?;
    /// assert_eq!(d, array![0.5, 3., -5.]); // numpy: float64, as f32 with i64 gives
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn append<P: Copy + 'a>(self, values: impl Into<DiffEdge<'a, P>>) -> Diff<'a, T::Output>
    where
        T: ResultType<P>,
    {
        let mut d = self.promote::<P>();
        d.append = Some(EdgeArg::new(values.into()));
        d
    }

    /// The builder in the common type of `T` and `P`.
    fn promote<P>(self) -> Diff<'a, T::Output>
    where
        T: ResultType<P>,
    {
        Diff {
            x: self.x.cast(),
            n: self.n,
            axis: self.axis,
            prepend: self.prepend.map(EdgeArg::cast),
            append: self.append.map(EdgeArg::cast),
            halo: self.halo,
        }
    }

    /// The shape of the result: the input's, with `max(0, L - n)` on the axis.
    ///
    /// Errors: as [`compute`](Diff::compute).
    pub fn shape(&self) -> Result<Vec<usize>> {
        let x = self.input()?;
        if self.n == 0 {
            return Ok(x.shape().to_vec());
        }
        let (axis, p, a) = self.plan()?;
        Ok(out_shape(&x, axis, p.as_ref(), a.as_ref(), self.n).to_vec())
    }

    /// The samples differenced: the input, or with a halo the block and the `n` samples
    /// after it that the input holds (so no point outside the block is computed).
    fn input(&self) -> Result<ArrayView<'_, T>> {
        let x = self.x.view();
        if self.halo == Halo::default() {
            return Ok(x);
        }
        if self.prepend.is_some() || self.append.is_some() {
            let option = if self.prepend.is_some() {
                "prepend"
            } else {
                "append"
            };
            return Err(CalcError::BlockOption { op: "diff", option });
        }
        let ndim = x.ndim();
        if ndim == 0 {
            return Err(CalcError::ZeroDimensional { op: "diff" });
        }
        let axis = normalize_axis(self.axis, ndim)?;
        let len = x.shape()[axis];
        let block = self.halo.block(axis, len)?;
        let end = (block.end + self.n).min(len);
        Ok(x.slice_axis(axis, Slice::new(block.start as isize, end as isize, 1))?)
    }

    /// The differences, a new array.
    ///
    /// Errors: a 0-d input, an axis out of range, a prepend/append array whose shape does
    /// not fit (unless `n = 0`, which returns the input unchecked, as numpy does, but in
    /// the type of the result).
    pub fn compute(&self) -> Result<Array<T>> {
        let x = self.input()?;
        if self.n == 0 {
            return Ok(x.to_owned());
        }
        // The input's memory order (a transposed input gives a transposed result).
        self.write(|shape| Ok(Array::zeros_like_with_shape(&x, shape)))
    }

    /// Writes the differences into `out` (an `Array` or a mutable view of the result's
    /// [`shape`](Diff::shape), any layout).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let x = array![1u8, 0, 4];
    /// let mut out = Array::<u8>::zeros([2]);
    /// x.diff().compute_into(&mut out)?;
    /// assert_eq!(out, array![255, 4]);            // wraps, like numpy's uint8
    /// let mut wrong = Array::<u8>::zeros([3]);
    /// assert!(x.diff().compute_into(&mut wrong).is_err());
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, out: &mut impl AsViewMut<T>) -> Result<()> {
        if self.n == 0 {
            let x = self.input()?;
            check_out_shape(x.shape(), out.shape())?;
            out.assign(&x)?;
            return Ok(());
        }
        self.write(|shape| {
            check_out_shape(&shape, out.shape())?;
            Ok(out.view_mut())
        })
        .map(drop)
    }

    /// Checks the call, then writes the differences into the output that `out` gives
    /// for the result's shape.
    fn write<O: AsViewMut<T>>(&self, out: impl FnOnce(Shape) -> Result<O>) -> Result<O> {
        let (axis, p, a) = self.plan()?;
        let x = self.input()?;
        let mut out = out(out_shape(&x, axis, p.as_ref(), a.as_ref(), self.n))?;
        let (pv, av) = (p.as_ref().map(Edge::view), a.as_ref().map(Edge::view));
        diff_split(
            &x,
            pv.as_ref(),
            av.as_ref(),
            &mut out.view_mut(),
            axis,
            self.n,
        )?;
        Ok(out)
    }

    /// Checks the input, the axis and prepend/append.
    #[allow(clippy::type_complexity)]
    fn plan<'s>(&'s self) -> Result<(usize, Option<Edge<'s, T>>, Option<Edge<'s, T>>)> {
        let ndim = self.x.shape().len();
        if ndim == 0 {
            return Err(CalcError::ZeroDimensional { op: "diff" });
        }
        let axis = normalize_axis(self.axis, ndim)?;
        let resolve = |e: &'s Option<EdgeArg<'a, T>>, which| -> Result<Option<Edge<'s, T>>> {
            let Some(e) = e else { return Ok(None) };
            let mut plane = self.x.shape().to_vec();
            plane[axis] = 1;
            let a = match e {
                EdgeArg::Scalar(v) => return Ok(Some(Edge::Owned(Array::from_elem(plane, *v)))),
                EdgeArg::View(a) => a.clone(),
                EdgeArg::Owned(a) => a.view(),
            };
            Ok(Some(match a {
                a if a.ndim() == 0 => {
                    let v = *a.iter().next().expect("a 0-d array has one element");
                    Edge::Owned(Array::from_elem(plane, v))
                }
                a => {
                    let fits = a.ndim() == ndim
                        && (0..ndim).all(|k| k == axis || a.shape()[k] == self.x.shape()[k]);
                    if !fits {
                        return Err(CalcError::EdgeShape {
                            which,
                            axis,
                            shape: a.shape().to_vec(),
                            input: self.x.shape().to_vec(),
                        });
                    }
                    Edge::View(a)
                }
            }))
        };
        let p = resolve(&self.prepend, "prepend")?;
        let a = resolve(&self.append, "append")?;
        Ok((axis, p, a))
    }
}

/// The result shape: `max(0, L - n)` on `axis`, `L` counting prepend and append.
fn out_shape<T>(
    x: &ArrayView<'_, T>,
    axis: usize,
    p: Option<&Edge<'_, T>>,
    a: Option<&Edge<'_, T>>,
    n: usize,
) -> Shape {
    let len = |e: Option<&Edge<'_, T>>| e.map_or(0, |e| e.shape()[axis]);
    let total = len(p) + x.shape()[axis] + len(a);
    let mut shape = Shape::from_slice(x.shape());
    shape[axis] = total.saturating_sub(n);
    shape
}

/// `y[k] = hi[k] - lo[k]` over slices (the loop the compiler vectorizes).
#[inline(always)]
fn sub_slices<T: NpArith>(y: &mut [T], lo: &[T], hi: &[T]) {
    for ((y, &l), &h) in y.iter_mut().zip(lo).zip(hi) {
        *y = h.np_sub(l);
    }
}

/// `n` differences in place: afterwards `buf[..len - n]` holds the result.
fn diff_in_place<T: NpArith>(buf: &mut [T], n: usize) {
    for pass in 0..n.min(buf.len()) {
        let len = buf.len() - pass;
        for k in 0..len - 1 {
            buf[k] = buf[k + 1].np_sub(buf[k]);
        }
    }
}

/// The `n`-th difference of one lane.
fn lane_diff<T: NpArith>(x: Lane<'_, T>, mut y: LaneMut<'_, T>, n: usize, buf: &mut Vec<T>) {
    if n != 1 {
        return concat_diff([x], y, n, buf);
    }
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_mut_slice()) {
        return sub_slices(ys, xs, &xs[1..]);
    }
    for (k, y) in y.iter_mut().enumerate() {
        *y = x[k + 1].np_sub(x[k]);
    }
}

/// The `n`-th difference of the lanes `pieces` joined end to end (a prepend, the input's
/// lane, an append), gathered in `buf`.
fn concat_diff<'l, T: NpArith + 'l>(
    pieces: impl IntoIterator<Item = Lane<'l, T>>,
    mut y: LaneMut<'_, T>,
    n: usize,
    buf: &mut Vec<T>,
) {
    buf.clear();
    for lane in pieces {
        buf.extend(lane.iter().copied());
    }
    diff_in_place(buf, n);
    for (y, &v) in y.iter_mut().zip(buf.iter()) {
        *y = v;
    }
}

/// [`diff_kernel`], split across threads with the `parallel` feature when there is no
/// prepend or append (those would have to be cut too).
fn diff_split<T: NpArith>(
    x: &ArrayView<'_, T>,
    p: Option<&ArrayView<'_, T>>,
    a: Option<&ArrayView<'_, T>>,
    out: &mut ArrayViewMut<'_, T>,
    axis: usize,
    n: usize,
) -> Result<()> {
    // Decided on the whole output, not on the parts threads write.
    let stream = crate::walk::streamed::<T>(out.len());
    if p.is_none() && a.is_none() {
        crate::par::split_run(x, out, axis, &|x, y| {
            diff_kernel(x, None, None, y, axis, n, stream)
        })
    } else {
        diff_kernel(x, p, a, out, axis, n, stream)
    }
}

/// Writes the `n`-th difference of `p ++ x ++ a` along `axis` into `out` (already of the
/// result's shape); with `stream`, the first differences of row-major blocks are stored
/// around the caches (see [`crate::walk::streamed`]).
fn diff_kernel<T: NpArith>(
    x: &ArrayView<'_, T>,
    p: Option<&ArrayView<'_, T>>,
    a: Option<&ArrayView<'_, T>>,
    out: &mut ArrayViewMut<'_, T>,
    axis: usize,
    n: usize,
    stream: bool,
) -> Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    let pl = p.map_or(0, |p| p.shape()[axis]);
    let l = x.shape()[axis];
    let m = out.shape()[axis];
    let inner = inner_len(x.shape(), axis);
    if n == 1 && p.is_none() && a.is_none() && inner > 1 {
        if let (Some(xs), Some(ys)) = (x.as_slice(), out.as_slice_mut()) {
            // Plane order over row-major blocks: y[k] = x[k + inner] - x[k] in each.
            let blocks = xs
                .chunks_exact(l * inner)
                .zip(ys.chunks_exact_mut(m * inner));
            if stream {
                ndcore::streaming(|s| {
                    for (xb, yb) in blocks {
                        let k = yb.len();
                        s.fill(yb, &xb[inner..inner + k], &xb[..k], |h, l| h.np_sub(l));
                    }
                });
            } else {
                for (xb, yb) in blocks {
                    ndcore::with_simd(|| sub_slices(yb, xb, &xb[inner..]));
                }
            }
            return Ok(());
        }
    }
    if n == 1 && !lane_order(x, axis) {
        // Plane order: out[i, ..] = c[i + 1, ..] - c[i, ..] over the concatenation c.
        let plane = |j: usize| -> Result<ArrayView<'_, T>> {
            Ok(match (p, a) {
                (Some(p), _) if j < pl => p.index_axis(axis, j)?,
                (_, Some(a)) if j >= pl + l => a.index_axis(axis, j - pl - l)?,
                _ => x.index_axis(axis, j - pl)?,
            })
        };
        for i in 0..m {
            let (lo, hi) = (plane(i)?, plane(i + 1)?);
            let mut yi = out.index_axis_mut(axis, i)?;
            zip_runs(&mut yi, [&lo, &hi], |mut o, lh| {
                o.zip_with(lh, |y, [l, h]| *y = h.np_sub(*l))
            })?;
        }
        return Ok(());
    }
    let mut buf = Vec::new();
    if p.is_none() && a.is_none() {
        zip_lanes(out, [x], axis, |yl, [xl]| lane_diff(xl, yl, n, &mut buf))?;
        return Ok(());
    }
    // Lane order with prepend/append: gather each concatenated lane (all lane walks are
    // in the same logical order, so the lanes correspond).
    let mut p_lanes = p.map(|p| p.lanes(axis)).transpose()?;
    let mut a_lanes = a.map(|a| a.lanes(axis)).transpose()?;
    for (xl, yl) in x.lanes(axis)?.zip(out.lanes_mut(axis)?) {
        let pl = p_lanes.as_mut().and_then(Iterator::next);
        let al = a_lanes.as_mut().and_then(Iterator::next);
        concat_diff(pl.into_iter().chain([xl]).chain(al), yl, n, &mut buf);
    }
    Ok(())
}
