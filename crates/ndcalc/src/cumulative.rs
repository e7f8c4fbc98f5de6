//! Running sums and products: numpy's `cumsum`, `cumprod`, `cumulative_sum` and
//! `cumulative_prod`, result for result, as one builder, [`Cumulative`].
//!
//! # Formula
//!
//! Along the axis, `y[0] = x[0]` and `y[i] = y[i - 1] + x[i]` (or `*`): strictly in
//! order, like numpy, not pairwise, so `cumsum(x)[-1]` can differ from a pairwise `sum`
//! in the last bits. Without an axis `cumsum`/`cumprod` walk the input in logical C order
//! (row by row of what the view shows, whatever its memory layout) and return a 1-D array.
//! With [`include_initial(true)`](Cumulative::include_initial) the identity (0 or 1) comes
//! first and the axis is one longer: an empty axis gives `[0]` / `[1]`.
//!
//! # Element types
//!
//! The result type is numpy's default accumulator ([`Accumulate`]) unless
//! [`dtype`](Cumulative::dtype) names another, as numpy's `dtype=` does; the default
//! differs from the input type for small integers and `bool`:
//!
//! | input | result | why |
//! |---|---|---|
//! | `f32`, `f64`, `Complex<f32>`, `Complex<f64>` | the same | |
//! | `i64`, `u64` | the same | overflow wraps, as numpy's does |
//! | `i8`, `i16`, `i32`, `isize`, `bool` | `i64` | numpy's default `dtype` for signed ints narrower than 64 bits (and bools): sums of many small values do not overflow |
//! | `u8`, `u16`, `u32`, `usize` | `u64` | likewise for unsigned ints (`u8` `[200, 100]` gives `[200, 300]`) |
//!
//! # Loop order
//!
//! One pass, no temporaries. When the axis is the fastest in memory each lane is one
//! running loop; otherwise the running value is a whole hyperplane:
//! `y[i, ..] = y[i - 1, ..] + x[i, ..]`, read and written with contiguous runs innermost
//! (numpy walks each column with a large stride here). For inputs whose type differs from
//! the result's (small integers) each hyperplane is converted, then added to the previous
//! one: two sweeps of a hyperplane that is still in cache.
//!
//! # Coming from numpy
//!
//! | numpy | ndcalc |
//! |---|---|
//! | `np.cumsum(a)` (flattened) | `a.cumsum().compute()?` (1-D) |
//! | `np.cumsum(a, axis=0)` | `a.cumsum().axis(0).compute()?` |
//! | `np.cumprod(a, axis=-1)` | `a.cumprod().axis(-1).compute()?` |
//! | `np.cumulative_sum(x)` (1-D) | `x.cumulative_sum().compute()?` |
//! | `np.cumulative_sum(a, axis=1)` | `a.cumulative_sum().axis(1).compute()?` |
//! | `np.cumulative_sum(a, axis=1, include_initial=True)` | `a.cumulative_sum().axis(1).include_initial(true).compute()?` |
//! | `np.cumulative_prod(a, axis=0)` | `a.cumulative_prod().axis(0).compute()?` |
//! | `np.cumsum(a, axis=0, out=out)` | `a.cumsum().axis(0).compute_into(&mut out)?` |
//! | `np.cumsum(a, dtype=np.int8)` | `a.cumsum().dtype::<i8>().compute()?` (any pair of types: [`CastFrom`]) |
//! | `np.cumsum(a, dtype=np.float64)`, `np.cumulative_prod(a, dtype=...)` | `a.cumsum().dtype::<f64>()`, `a.cumulative_prod().dtype::<..>()` |
//! | `np.nancumsum(a, axis=0)`, `np.nancumprod(a)` | `a.cumsum().axis(0).missing(Missing::Skip)`, `a.cumprod().missing(Missing::Skip)` ([`Missing`]) |
//!
//! `cumulative_sum` without an axis on a 2-D input is an error, as in numpy;
//! `cumsum` without an axis flattens. `include_initial` also works on `cumsum`/`cumprod`
//! (numpy has it only on `cumulative_*`).

use ndcore::{
    zip_lanes, zip_runs, Array, ArrayLike, ArrayView, ArrayViewMut, AsView, AsViewMut, AxisArg,
    Lane, LaneMut, Shape, Slice,
};

use std::marker::PhantomData;

use crate::cast::CastFrom;
use crate::element::Accumulate;
use crate::error::{check_out_shape, normalize_axis, CalcError, Result};
use crate::missing::Missing;
use crate::walk::{inner_len, lane_order};

/// Sum or product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Sum,
    Prod,
}

/// numpy's older `cumsum`/`cumprod` (no axis: flatten) or the array-API
/// `cumulative_sum`/`cumulative_prod` (no axis: only for 1-D).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Api {
    Cum,
    Cumulative,
}

/// A running sum or product; made by [`Calc::cumsum`](crate::Calc::cumsum),
/// [`cumprod`](crate::Calc::cumprod), [`cumulative_sum`](crate::Calc::cumulative_sum) or
/// [`cumulative_prod`](crate::Calc::cumulative_prod). See the [module docs](self).
///
/// ```
/// use ndcalc::prelude::*;
/// let a = array![[1, 2, 3], [4, 5, 6]];
/// assert_eq!(a.cumsum().compute()?, array![1i64, 3, 6, 10, 15, 21]);
/// assert_eq!(a.cumsum().axis(0).compute()?, array![[1i64, 2, 3], [5, 7, 9]]);
/// assert_eq!(a.cumprod().axis(1).compute()?, array![[1i64, 2, 6], [4, 20, 120]]);
/// let b = a.cumulative_sum().axis(1).include_initial(true).compute()?;
/// assert_eq!(b, array![[0i64, 1, 3, 6], [0, 4, 9, 15]]);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
///
/// `A` is the type the input is cast to, accumulated in and returned as: numpy's default
/// ([`Accumulate`]) unless [`dtype`](Cumulative::dtype) sets it.
#[derive(Clone)]
pub struct Cumulative<'a, T: Accumulate, A = <T as Accumulate>::Acc> {
    x: ArrayView<'a, T>,
    op: Op,
    api: Api,
    axis: Option<isize>,
    include_initial: bool,
    /// The last slice of the previous block's result (see [`carry`](Self::carry)).
    carry: Option<ArrayView<'a, A>>,
    missing: Missing,
    acc: PhantomData<fn() -> A>,
}

/// What a checked builder computes.
#[derive(Clone, Copy)]
enum Plan {
    /// Along this axis.
    Axis(usize),
    /// Over the flattened input.
    Flat,
}

impl<'a, T: Accumulate> Cumulative<'a, T> {
    fn new(x: ArrayView<'a, T>, op: Op, api: Api) -> Self {
        Cumulative {
            x,
            op,
            api,
            axis: None,
            include_initial: false,
            carry: None,
            missing: Missing::Propagate,
            acc: PhantomData,
        }
    }
    pub(crate) fn cumsum(x: ArrayView<'a, T>) -> Self {
        Self::new(x, Op::Sum, Api::Cum)
    }
    pub(crate) fn cumprod(x: ArrayView<'a, T>) -> Self {
        Self::new(x, Op::Prod, Api::Cum)
    }
    pub(crate) fn cumulative_sum(x: ArrayView<'a, T>) -> Self {
        Self::new(x, Op::Sum, Api::Cumulative)
    }
    pub(crate) fn cumulative_prod(x: ArrayView<'a, T>) -> Self {
        Self::new(x, Op::Prod, Api::Cumulative)
    }
}

impl<'a, T: Accumulate, A: CastFrom<T>> Cumulative<'a, T, A> {
    /// The type to cast the input to, accumulate in and return: numpy's `dtype=`
    /// (`np.cumsum(a, dtype=np.float64)` is `a.cumsum().dtype::<f64>()`). Every pair of
    /// element types is accepted, as numpy accepts every pair; the cast is numpy's
    /// ([`CastFrom`]): floats to integers truncate and wrap, complex to real keeps the
    /// real part, anything to `bool` tests for nonzero. In `bool` a sum is `or` and a
    /// product `and`; integers wrap on overflow.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let a = array![100i8, 100, 100];
    /// assert_eq!(a.cumsum().compute()?, array![100i64, 200, 300]); // numpy's default
    /// assert_eq!(a.cumsum().dtype::<i8>().compute()?, array![100i8, -56, 44]); // wraps
    /// let x = array![0.1f32, 0.2, 0.3];
    /// let s = x.cumsum().dtype::<f64>().compute()?; // numpy: float32 data summed in float64
    /// assert_eq!(s[[2]], 0.1f32 as f64 + 0.2f32 as f64 + 0.3f32 as f64);
    /// assert_eq!(array![1.9, -1.9].cumsum().dtype::<i32>().compute()?, array![1, 0]);
    /// assert!(array![f64::NAN].cumsum().dtype::<i32>().compute().is_err()); // numpy: undefined
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn dtype<U: CastFrom<T>>(self) -> Cumulative<'a, T, U> {
        Cumulative {
            x: self.x,
            op: self.op,
            api: self.api,
            axis: self.axis,
            include_initial: self.include_initial,
            carry: None,
            missing: self.missing,
            acc: PhantomData,
        }
    }

    /// The axis to accumulate along (negative counts from the end). Without it,
    /// `cumsum`/`cumprod` flatten the input and `cumulative_*` need a 0-d or 1-D input.
    pub fn axis(mut self, axis: impl AxisArg) -> Self {
        self.axis = Some(axis.signed());
        self
    }

    /// Whether to start with the identity (0 for sums, 1 for products), making the axis
    /// one longer (numpy's `include_initial`, default `false`).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let x = array![2., 3., 4.];
    /// assert_eq!(x.cumulative_prod().include_initial(true).compute()?, array![1., 2., 6., 24.]);
    /// let empty = Array::<f64>::zeros([0]);
    /// assert_eq!(empty.cumulative_sum().include_initial(true).compute()?, array![0.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn include_initial(mut self, include: bool) -> Self {
        self.include_initial = include;
        self
    }

    /// The input is the next block along the axis of a larger array, and `previous` the
    /// last slice of the previous block's result (its index along the axis removed):
    /// the running op starts from it, `y[0] = previous + x[0]` (or `*`), so the blocks'
    /// results, cut anywhere along the axis, join into the whole array's result bit for
    /// bit. Set it after [`dtype`](Self::dtype); it refuses `include_initial`, whose
    /// initial value belongs to the first block only.
    ///
    /// When `cumsum`/`cumprod` flatten (no axis), the blocks are consecutive runs of the
    /// flattened input (blocks of an array cut along its first axis, say) and `previous`
    /// is the last value of the previous block's 1-D result, as a 0-d view
    /// (`result.index_axis(0, len - 1)`).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let x = array![[0.1, 1.], [0.2, 2.], [0.3, 3.], [0.4, 4.]];
    /// let whole = x.cumsum().axis(0).compute()?;
    /// let first = x.slice_axis(0, Slice::new(0, 3, 1))?.cumsum().axis(0).compute()?;
    /// let last = first.index_axis(0, 2)?;                 // [0.1 + 0.2 + 0.3, 6.]
    /// let rest = x.slice_axis(0, Slice::new(3, 4, 1))?;
    /// let second = rest.cumsum().axis(0).carry(&last).compute()?;
    /// assert_eq!(second, whole.slice_axis(0, Slice::new(3, 4, 1))?);
    ///
    /// // Flattened: rows 0..3, then row 3 from the last value so far.
    /// let flat = x.cumsum().compute()?;
    /// let head = x.slice_axis(0, Slice::new(0, 3, 1))?.cumsum().compute()?;
    /// let last = head.index_axis(0, 5)?;                  // a 0-d view
    /// let tail = rest.cumsum().carry(&last).compute()?;
    /// assert_eq!(tail, flat.slice_axis(0, Slice::new(6, 8, 1))?);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn carry(mut self, previous: &'a impl ArrayLike<A>) -> Self {
        self.carry = Some(previous.view());
        self
    }

    /// What NaN samples are: numpy's values ([`Missing::Propagate`], the default) or
    /// missing ([`Missing::Skip`]): numpy's `nancumsum` / `nancumprod`, which count a NaN
    /// as 0 in a sum and 1 in a product, then accumulate (with [`dtype`](Self::dtype), the
    /// NaN is replaced before the cast, as numpy does). Integers are never NaN.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// use ndcalc::Missing;
    /// let x = array![[f64::NAN, 2.], [3., f64::NAN]];
    /// assert_eq!(x.cumprod().axis(1).missing(Missing::Skip).compute()?, array![[1., 2.], [3., 3.]]);
    /// assert_eq!(x.cumsum().missing(Missing::Skip).compute()?, array![0., 2., 5., 5.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn missing(mut self, missing: Missing) -> Self {
        self.missing = missing;
        self
    }

    fn op_name(&self) -> &'static str {
        match (self.op, self.api) {
            (Op::Sum, Api::Cum) => "cumsum",
            (Op::Prod, Api::Cum) => "cumprod",
            (Op::Sum, Api::Cumulative) => "cumulative_sum",
            (Op::Prod, Api::Cumulative) => "cumulative_prod",
        }
    }

    /// The input seen as at least 1-D (numpy's `atleast_1d` / 0-d cumsum) and what to do.
    fn plan(&self) -> Result<(ArrayView<'a, T>, Plan)> {
        let x = if self.x.ndim() == 0 {
            self.x.reshape([1])?
        } else {
            self.x.clone()
        };
        let plan = match self.axis {
            Some(a) => Plan::Axis(normalize_axis(a, x.ndim())?),
            None if x.ndim() == 1 => Plan::Axis(0),
            None if self.api == Api::Cum => Plan::Flat,
            None => {
                return Err(CalcError::AxisRequired {
                    op: self.op_name(),
                    ndim: x.ndim(),
                })
            }
        };
        Ok((x, plan))
    }

    /// The shape of the result.
    ///
    /// Errors: as [`compute`](Cumulative::compute).
    pub fn shape(&self) -> Result<Vec<usize>> {
        let (x, plan) = self.plan()?;
        Ok(self.out_shape(&x, plan).to_vec())
    }

    /// The shape of the result, on the stack up to 4-D.
    fn out_shape(&self, x: &ArrayView<'_, T>, plan: Plan) -> Shape {
        let extra = usize::from(self.include_initial);
        match plan {
            Plan::Flat => smallvec::smallvec![x.len() + extra],
            Plan::Axis(axis) => {
                let mut s = Shape::from_slice(x.shape());
                s[axis] += extra;
                s
            }
        }
    }

    /// The running sums or products, a new array (in the input's memory order when the
    /// shapes agree).
    ///
    /// Errors: an axis out of range; no axis for `cumulative_*` on a 2-D or larger input;
    /// with [`dtype`](Cumulative::dtype), an input value numpy cannot cast (NaN or an
    /// infinity to an integer, or a float beyond the integer it is cast through).
    pub fn compute(&self) -> Result<Array<A>> {
        let (x, plan) = self.plan()?;
        let mut out = Array::zeros_like_with_shape(&x, self.out_shape(&x, plan));
        self.run(&x, plan, &mut out.view_mut())?;
        Ok(out)
    }

    /// Writes the running sums or products into `out` (an `Array` or a mutable view of
    /// the result's [`shape`](Cumulative::shape), any layout).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let a = array![[1., 2.], [3., 4.]];
    /// let mut out = Array::<f64>::zeros([2, 2]);
    /// a.cumsum().axis(0).compute_into(&mut out.permuted_axes_mut(&[1, 0])?)?; // transposed
    /// assert_eq!(out, array![[1., 4.], [2., 6.]]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, out: &mut impl AsViewMut<A>) -> Result<()> {
        let (x, plan) = self.plan()?;
        check_out_shape(&self.out_shape(&x, plan), out.shape())?;
        self.run(&x, plan, &mut out.view_mut())
    }

    fn run(&self, x: &ArrayView<'_, T>, plan: Plan, out: &mut ArrayViewMut<'_, A>) -> Result<()> {
        let one = self.op == Op::Prod;
        match self.missing {
            Missing::Propagate => self.run_with(x, plan, out, (A::cast_from, true)),
            // numpy fills a copy and scans it; filling each sample as it is read gives the
            // same values without writing and reading the copy (and without the page
            // faults of a new array as large as the input).
            Missing::Skip => {
                let read = move |v: T| A::cast_from(v.nan_fill(one).unwrap_or(v));
                self.run_with(x, plan, out, (read, false))
            }
        }
    }

    /// [`run`](Self::run) with each input sample read as `read(sample)` (`A::cast_from`
    /// when `plain`).
    fn run_with(
        &self,
        x: &ArrayView<'_, T>,
        plan: Plan,
        out: &mut ArrayViewMut<'_, A>,
        (read, plain): (impl Fn(T) -> A + Copy + Sync, bool),
    ) -> Result<()> {
        if let Some(carry) = &self.carry {
            if self.include_initial {
                return Err(CalcError::BlockOption {
                    op: self.op_name(),
                    option: "include_initial",
                });
            }
            // The last slice of the previous result: one value when the op flattens.
            let mut slice = Shape::from_slice(x.shape());
            match plan {
                Plan::Axis(axis) => drop(slice.remove(axis)),
                Plan::Flat => slice.clear(),
            }
            check_out_shape(&slice, carry.shape())?;
        }
        if A::CHECKED {
            // With `Missing::Skip` a NaN is filled before the cast, as numpy fills it.
            let (one, skip) = (self.op == Op::Prod, self.missing == Missing::Skip);
            let filled = |v: T| match v.nan_fill(one) {
                Some(fill) if skip => fill,
                _ => v,
            };
            if let Some(value) = x.iter().find_map(|&v| A::invalid(filled(v))) {
                return Err(CalcError::InvalidCast {
                    value,
                    to: std::any::type_name::<A>(),
                });
            }
        }
        let identity = match self.op {
            Op::Sum => A::np_zero(),
            Op::Prod => A::np_one(),
        };
        let axis = match plan {
            Plan::Axis(a) => a,
            Plan::Flat => 0,
        };
        let mut body = if self.include_initial {
            out.index_axis_mut(axis, 0)?.fill(identity);
            out.slice_axis_mut(axis, Slice::new(1, None, 1))?
        } else {
            out.view_mut()
        };
        // Each op is its own monomorphized walk: an `if` choosing between the two would
        // make `op` a function pointer, called (not inlined) once per element.
        match self.op {
            Op::Sum => self.walk(x, plan, &mut body, A::np_add, (read, plain))?,
            Op::Prod => self.walk(x, plan, &mut body, A::np_mul, (read, plain))?,
        }
        Ok(())
    }
}

impl<T: Accumulate, A: CastFrom<T>> Cumulative<'_, T, A> {
    /// The running `op` of `x` into `body` (the output past any initial value).
    fn walk(
        &self,
        x: &ArrayView<'_, T>,
        plan: Plan,
        body: &mut ArrayViewMut<'_, A>,
        op: impl Fn(A, A) -> A + Copy + Sync,
        (read, plain): (impl Fn(T) -> A + Copy + Sync, bool),
    ) -> Result<()> {
        match (plan, &self.carry) {
            (Plan::Flat, carry) => {
                let init = carry.as_ref().and_then(|c| c.iter().next().copied());
                cum_flat(x, body, op, read, init);
                Ok(())
            }
            (Plan::Axis(a), Some(c)) => carried(x, body, a, c, op, (read, plain)),
            (Plan::Axis(a), None) => {
                crate::par::split_run(x, body, a, &|x, y| cum_axis(x, y, a, op, (read, plain)))
            }
        }
    }
}

/// `y[0] = x[0]` (or `op(init, x[0])`), `y[i] = op(y[i - 1], x[i])`, over two equally
/// long walks, each sample read through `read`.
#[inline(always)]
fn scan<'x, T: 'x + Copy, A: Copy + 'x>(
    x: impl Iterator<Item = &'x T>,
    y: impl Iterator<Item = &'x mut A>,
    op: impl Fn(A, A) -> A,
    read: impl Fn(T) -> A,
    init: Option<A>,
) {
    let mut pairs = y.zip(x);
    if let Some((y0, x0)) = pairs.next() {
        let mut acc = match init {
            Some(c) => op(c, read(*x0)),
            None => read(*x0),
        };
        *y0 = acc;
        for (y, x) in pairs {
            acc = op(acc, read(*x));
            *y = acc;
        }
    }
}

/// [`scan`] over four consecutive lanes of length `l` at once.
#[inline(always)]
fn scan4<T: Copy, A: Copy>(
    x: &[T],
    y: &mut [A],
    l: usize,
    op: impl Fn(A, A) -> A,
    read: impl Fn(T) -> A,
) {
    if l == 0 {
        return;
    }
    let (x0, x1, x2, x3) = (&x[..l], &x[l..2 * l], &x[2 * l..3 * l], &x[3 * l..4 * l]);
    let (y0, rest) = y.split_at_mut(l);
    let (y1, rest) = rest.split_at_mut(l);
    let (y2, y3) = rest.split_at_mut(l);
    let y3 = &mut y3[..l];
    let mut acc = [read(x0[0]), read(x1[0]), read(x2[0]), read(x3[0])];
    (y0[0], y1[0], y2[0], y3[0]) = (acc[0], acc[1], acc[2], acc[3]);
    for i in 1..l {
        acc[0] = op(acc[0], read(x0[i]));
        acc[1] = op(acc[1], read(x1[i]));
        acc[2] = op(acc[2], read(x2[i]));
        acc[3] = op(acc[3], read(x3[i]));
        (y0[i], y1[i], y2[i], y3[i]) = (acc[0], acc[1], acc[2], acc[3]);
    }
}

/// The running op over the input in logical C order, into a 1-D output, from `init`
/// (the previous block's last value) when given.
fn cum_flat<T: Copy, A: Copy>(
    x: &ArrayView<'_, T>,
    out: &mut ArrayViewMut<'_, A>,
    op: impl Fn(A, A) -> A,
    read: impl Fn(T) -> A,
    init: Option<A>,
) {
    let xs = x.as_slice().filter(|_| x.is_standard_layout());
    match (xs, out.as_slice_mut()) {
        (Some(xs), Some(ys)) => scan(xs.iter(), ys.iter_mut(), op, read, init),
        (Some(xs), None) => scan(xs.iter(), out.iter_mut(), op, read, init),
        (None, Some(ys)) => scan(x.iter(), ys.iter_mut(), op, read, init),
        (None, None) => scan(x.iter(), out.iter_mut(), op, read, init),
    }
}

/// `y = op(p, x)` over matching runs.
#[inline(always)]
fn run_op<A: Copy>(mut y: LaneMut<'_, A>, p: Lane<'_, A>, x: Lane<'_, A>, op: impl Fn(A, A) -> A) {
    if let (Some(ps), Some(xs), Some(ys)) = (p.as_slice(), x.as_slice(), y.as_mut_slice()) {
        for ((y, &p), &x) in ys.iter_mut().zip(ps).zip(xs) {
            *y = op(p, x);
        }
        return;
    }
    for ((y, &p), &x) in y.iter_mut().zip(p.iter()).zip(x.iter()) {
        *y = op(p, x);
    }
}

/// `y = y.op(...)`: `y[k] = op(p[k], y[k])` over matching runs.
#[inline(always)]
fn run_op_inplace<A: Copy>(mut y: LaneMut<'_, A>, p: Lane<'_, A>, op: impl Fn(A, A) -> A) {
    if let (Some(ps), Some(ys)) = (p.as_slice(), y.as_mut_slice()) {
        for (y, &p) in ys.iter_mut().zip(ps) {
            *y = op(p, *y);
        }
        return;
    }
    for (y, &p) in y.iter_mut().zip(p.iter()) {
        *y = op(p, *y);
    }
}

/// Converts a run of inputs to the accumulator type.
#[inline(always)]
fn run_convert<T: Copy, A: Copy>(mut y: LaneMut<'_, A>, x: Lane<'_, T>, read: impl Fn(T) -> A) {
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_mut_slice()) {
        for (y, &x) in ys.iter_mut().zip(xs) {
            *y = read(x);
        }
        return;
    }
    for (y, &x) in y.iter_mut().zip(x.iter()) {
        *y = read(x);
    }
}

/// The running op along `axis` into `out` of the input's shape: lane order when the axis
/// is the fastest in memory, plane order (`y[i, ..] = op(y[i - 1, ..], x[i, ..])`)
/// otherwise. Each sample is read through `read`, which is `A::cast_from` when `plain`.
fn cum_axis<T: Copy, A: CastFrom<T>>(
    x: &ArrayView<'_, T>,
    out: &mut ArrayViewMut<'_, A>,
    axis: usize,
    op: impl Fn(A, A) -> A + Copy,
    (read, plain): (impl Fn(T) -> A + Copy, bool),
) -> Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    let (l, inner) = (x.shape()[axis], inner_len(x.shape(), axis));
    if let (Some(xs), Some(ys), true) = (x.as_slice(), out.as_slice_mut(), inner > 1) {
        // Plane order over row-major blocks: y[i, ..] = op(y[i - 1, ..], x[i, ..]).
        for (xb, yb) in xs
            .chunks_exact(l * inner)
            .zip(ys.chunks_exact_mut(l * inner))
        {
            for (y, &x) in yb[..inner].iter_mut().zip(&xb[..inner]) {
                *y = read(x);
            }
            for i in 1..l {
                let (done, rest) = yb.split_at_mut(i * inner);
                let prev = &done[(i - 1) * inner..];
                let xi = &xb[i * inner..(i + 1) * inner];
                for ((y, &p), &x) in rest[..inner].iter_mut().zip(prev).zip(xi) {
                    *y = op(p, read(x));
                }
            }
        }
        return Ok(());
    }
    if let (Some(xs), Some(ys), 1) = (x.as_slice(), out.as_slice_mut(), inner) {
        // Consecutive lanes: four scanned together, so four independent dependency
        // chains hide the latency of each addition (each lane keeps numpy's order).
        let mut x4 = xs.chunks_exact(4 * l);
        let mut y4 = ys.chunks_exact_mut(4 * l);
        for (xq, yq) in x4.by_ref().zip(y4.by_ref()) {
            scan4(xq, yq, l, op, read);
        }
        let rest = x4
            .remainder()
            .chunks_exact(l)
            .zip(y4.into_remainder().chunks_exact_mut(l));
        for (xl, yl) in rest {
            scan(xl.iter(), yl.iter_mut(), op, read, None);
        }
        return Ok(());
    }
    if lane_order(x, axis) {
        zip_lanes(out, [x], axis, |mut yl, [xl]| {
            match (xl.as_slice(), yl.as_mut_slice()) {
                (Some(xs), Some(ys)) => scan(xs.iter(), ys.iter_mut(), op, read, None),
                _ => scan(xl.iter(), yl.iter_mut(), op, read, None),
            }
        })?;
        return Ok(());
    }
    let x0 = x.index_axis(axis, 0)?;
    zip_runs(&mut out.index_axis_mut(axis, 0)?, [&x0], |y, [x]| {
        run_convert(y, x, read)
    })?;
    planes_from(x, out, axis, 1, op, (read, plain))
}

/// [`cum_axis`] from the last slice `carry` of the previous block's result: the first
/// hyperplane is `op(carry, x[0])`, then the plane walk goes on as on the whole array.
fn carried<T: Copy, A: CastFrom<T>>(
    x: &ArrayView<'_, T>,
    out: &mut ArrayViewMut<'_, A>,
    axis: usize,
    carry: &ArrayView<'_, A>,
    op: impl Fn(A, A) -> A + Copy,
    (read, plain): (impl Fn(T) -> A + Copy, bool),
) -> Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    let x0 = x.index_axis(axis, 0)?;
    let mut y0 = out.index_axis_mut(axis, 0)?;
    zip_runs(&mut y0, [&x0], |y, [x]| run_convert(y, x, read))?;
    zip_runs(&mut y0, [carry], |y, [p]| run_op_inplace(y, p, op))?;
    planes_from(x, out, axis, 1, op, (read, plain))
}

/// `y[i, ..] = op(y[i - 1, ..], x[i, ..])` for the hyperplanes `first..` across `axis`.
fn planes_from<T: Copy, A: CastFrom<T>>(
    x: &ArrayView<'_, T>,
    out: &mut ArrayViewMut<'_, A>,
    axis: usize,
    first: usize,
    op: impl Fn(A, A) -> A + Copy,
    (read, plain): (impl Fn(T) -> A + Copy, bool),
) -> Result<()> {
    for i in first..x.shape()[axis] {
        let xi = x.index_axis(axis, i)?;
        let (head, tail) = out.split_at_mut(axis, i)?;
        let prev = head.index_axis_move(axis, i - 1)?;
        let prev = prev.view();
        let mut cur = tail.index_axis_move(axis, 0)?;
        match A::same_view(&xi).filter(|_| plain) {
            Some(xa) => zip_runs(&mut cur, [&prev, &xa], |y, [p, x]| run_op(y, p, x, op))?,
            None => {
                zip_runs(&mut cur, [&xi], |y, [x]| run_convert(y, x, read))?;
                zip_runs(&mut cur, [&prev], |y, [p]| run_op_inplace(y, p, op))?;
            }
        }
    }
    Ok(())
}
