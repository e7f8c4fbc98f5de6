//! The trapezoid rule: numpy's `np.trapezoid` ([`Trapezoid`]) and SciPy's
//! `cumulative_trapezoid` ([`CumulativeTrapezoid`]), result for result, as builders.
//!
//! # Formula
//!
//! With samples `y[0..L]` along the axis and steps `d[k]` (one scalar step `dx`, or
//! `d[k] = x[k + 1] - x[k]` from coordinates, a [`Spacing`]), the `L - 1` trapezoids are
//! `t[k] = d[k] * (y[k + 1] + y[k]) / 2`, numpy's expression and operation order.
//! `trapezoid` sums them and removes the axis (a 1-D input gives a 0-d array; fewer than
//! two points give 0); `cumulative_trapezoid` keeps the running sums, `L - 1` of them, or
//! `L` with [`initial(0)`](CumulativeTrapezoid::initial), which puts a 0 first.
//!
//! numpy sums `t` with `add.reduce`, whose order depends on memory layout: when the axis
//! is the innermost one in memory the sum is numpy's pairwise summation (blocks of 8
//! partial sums), otherwise a plain running sum per element of the other axes. ndcalc
//! follows the same rule, so results are bit-identical to numpy's for `f64` data.
//! `cumulative_trapezoid` is a running sum, as SciPy's `np.cumsum` is.
//!
//! # Element types
//!
//! With a scalar step or [`spacing`](Trapezoid::spacing), `f32`, `f64` and complex data
//! keep their type: the step or coordinates are rounded to `f32` for `f32` data (numpy
//! does the same for a Python-float `dx` or `float32` coordinates). Integer data gives
//! `f64`, but `y[k + 1] + y[k]` is added in the input type first, as numpy does, so it
//! wraps (`u8` `[200, 200]` integrates to `72.0`, numpy's answer). See [`Integrate`].
//!
//! With [`x`](Trapezoid::x) the coordinates keep their own type and numpy's rule
//! decides the result's ([`TrapezoidWith`]): `diff(x)` in `x`'s type (`i64` nanosecond
//! timestamps are differenced exactly), the product with `y[k + 1] + y[k]` in the
//! common type, then halved: `f32` data with `f64` coordinates gives `f64`, as numpy.
//!
//! # Loop order
//!
//! One pass, no temporaries: the trapezoids are computed as they are summed. Axes that
//! are the fastest in memory sum lane by lane; the others accumulate whole hyperplanes
//! (`out[..] += t[k, ..]`), contiguous runs innermost. The kernels are written once,
//! over the rule that makes one trapezoid (a step in the data's real type, or typed
//! coordinates); coordinates that vary across the hyperplanes (an N-D `x` that is not
//! a broadcast 1-D one) are summed lane by lane, in the same order.
//!
//! # Coming from numpy and SciPy
//!
//! | numpy / SciPy | ndcalc |
//! |---|---|
//! | `np.trapezoid(y)` (1-D, a scalar) | `y.trapezoid().compute()?` (a 0-d array: `[[]]` or `.get(&[])`) |
//! | `np.trapezoid(y, dx=0.5)` | `y.trapezoid().spacing(0.5).compute()?` |
//! | `np.trapezoid(y, x)` | `y.trapezoid().spacing(&x).compute()?` |
//! | `np.trapezoid(y, x, axis=0)` | `y.trapezoid().x(&x).axis(0).compute()?` (numpy's types), or `.spacing(&x)` (coordinates rounded to the data's real type) |
//! | `np.trapezoid(y, x)`, `x` of `y`'s shape or broadcasting to it | `y.trapezoid().x(&x).compute()?` |
//! | `cumulative_trapezoid(y, dx=0.5)` | `y.cumulative_trapezoid().spacing(0.5).compute()?` |
//! | `cumulative_trapezoid(y, x, axis=0, initial=0)` | `y.cumulative_trapezoid().x(&x).axis(0).initial(0).compute()?` |
//! | *(no numpy equivalent)* | `y.trapezoid().axis(0).compute_into(&mut out)?` |
//!
//! `x` may be 1-D (along the axis) or of any shape that broadcasts to `y`'s with the
//! axis at full length, as numpy's. A `dx` array (numpy broadcasts one against the
//! trapezoids) is not offered: pass coordinates instead.
//!
//! With an N-D `x` numpy's summation order follows the layout of its temporary
//! `diff(x) * (y[1:] + y[:-1])`; ndcalc follows `y`'s layout, which is the same whenever
//! `x` and `y` share a memory order (or `x` is broadcast).
//!
//! [`Spacing`]: crate::Spacing

use std::marker::PhantomData;

use ndcore::{
    zip_lanes, zip_runs, Array, ArrayLike, ArrayView, ArrayViewMut, AsView, AsViewMut, AxisArg,
    Slice,
};

use num_complex::Complex;

use crate::cast::{CastFrom, ResultType};
use crate::element::{Integrate, NpArith, Out, Real, RealOf, Value};
use crate::error::{check_out_shape, normalize_axis, CalcError, Result};
use crate::spacing::{AxisSpacing, Spacing};
use crate::walk::{inner_len, is_fastest, lane_order, MIN_PLANE};

/// The steps `d[0..L-1]` of an axis of length `len`, rounded to the data's real type.
fn steps<R: Real>(spacing: &Spacing, axis: usize, len: usize) -> Result<Vec<R>> {
    Ok(match spacing.resolve(axis, len)? {
        AxisSpacing::Uniform(h) => vec![R::from_f64(h); len.saturating_sub(1)],
        AxisSpacing::Steps(d) => d.into_iter().map(R::from_f64).collect(),
    })
}

/// Checks `y` and `axis`: the axis, normalized.
fn checked_axis<T>(y: &ArrayView<'_, T>, axis: isize, op: &'static str) -> Result<usize> {
    if y.ndim() == 0 {
        return Err(CalcError::ZeroDimensional { op });
    }
    normalize_axis(axis, y.ndim())
}

mod seal {
    /// What keeps [`Steps`](super::Steps) implemented here only.
    pub trait Sealed {}
}

/// What the trapezoid builders integrate against: a [`Spacing`] (a scalar step or
/// coordinates, rounded to the data's real type; the default) or coordinates of their
/// own type, [`Coords`] (from [`Trapezoid::x`]), which follow numpy's types. Sealed.
///
/// ```
/// use ndcalc::prelude::*;
/// use ndcalc::{Steps, Trapezoid};
/// fn integral<S: Steps<f32>>(t: Trapezoid<'_, f32, S>) -> Array<S::Integral> {
///     t.compute().unwrap()
/// }
/// let y = array![1f32, 2., 3.];
/// let x = array![0f64, 1., 3.];
/// assert_eq!(integral(y.trapezoid().spacing(&x))[[]], 6.5f32);
/// assert_eq!(integral(y.trapezoid().x(&x))[[]], 6.5f64);
/// ```
pub trait Steps<T: Integrate>: seal::Sealed + Clone {
    /// The type of the trapezoids and their sums.
    type Integral: Value;

    /// Checks the steps against `y`'s `axis`.
    #[doc(hidden)]
    fn check(&self, y: &ArrayView<'_, T>, axis: usize) -> Result<()>;

    /// Writes the sums of the trapezoids along `axis` into `out` (`y`'s shape without
    /// `axis`), in numpy's summation order.
    #[doc(hidden)]
    fn sum(
        &self,
        y: &ArrayView<'_, T>,
        out: &mut ArrayViewMut<'_, Self::Integral>,
        axis: usize,
    ) -> Result<()>;

    /// Writes the running sums of the trapezoids along `axis` into `out` (one shorter
    /// than `y` on `axis`), starting from `carry` where given.
    #[doc(hidden)]
    fn running(
        &self,
        y: &ArrayView<'_, T>,
        out: &mut ArrayViewMut<'_, Self::Integral>,
        axis: usize,
        carry: Option<&ArrayView<'_, Self::Integral>>,
    ) -> Result<()>;
}

impl seal::Sealed for Spacing {}

impl<T: Integrate> Steps<T> for Spacing {
    type Integral = Out<T>;

    fn check(&self, y: &ArrayView<'_, T>, axis: usize) -> Result<()> {
        steps::<RealOf<T>>(self, axis, y.shape()[axis]).map(drop)
    }

    fn sum(
        &self,
        y: &ArrayView<'_, T>,
        out: &mut ArrayViewMut<'_, Out<T>>,
        axis: usize,
    ) -> Result<()> {
        let d = steps(self, axis, y.shape()[axis])?;
        sum_kernel(y, out, axis, &d, Scaled::<T>::new())
    }

    fn running(
        &self,
        y: &ArrayView<'_, T>,
        out: &mut ArrayViewMut<'_, Out<T>>,
        axis: usize,
        carry: Option<&ArrayView<'_, Out<T>>>,
    ) -> Result<()> {
        let d = steps(self, axis, y.shape()[axis])?;
        running_kernel(y, out, axis, &d, Scaled::<T>::new(), carry)
    }
}

/// Coordinates of the samples with their own element type, numpy's `x`, which the
/// trapezoids follow in numpy's types ([`TrapezoidWith`]); made by [`Trapezoid::x`]
/// and [`CumulativeTrapezoid::x`].
///
/// ```
/// use ndcalc::prelude::*;
/// let y = array![[1., 2., 3.], [4., 5., 6.]];
/// let x = array![[0i64, 10, 30], [0, 1, 2]];   // one row of coordinates per row of y
/// assert_eq!(y.trapezoid().x(&x).compute()?, array![65., 10.]);
/// let y = array![1f32, 2., 3.];
/// let x = array![0i64, 10, 30];
/// assert_eq!(y.cumulative_trapezoid().x(&x).initial(0).compute()?, array![0., 15., 65.]);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone)]
pub struct Coords<'a, X>(ArrayView<'a, X>);

impl<X> seal::Sealed for Coords<'_, X> {}

impl<T: TrapezoidWith<X>, X: NpArith> Steps<T> for Coords<'_, X> {
    type Integral = T::Integral;

    fn check(&self, y: &ArrayView<'_, T>, axis: usize) -> Result<()> {
        x_for(&self.0, y, axis).map(drop)
    }

    fn sum(
        &self,
        y: &ArrayView<'_, T>,
        out: &mut ArrayViewMut<'_, T::Integral>,
        axis: usize,
    ) -> Result<()> {
        let x = x_for(&self.0, y, axis)?;
        let rule = Typed(PhantomData);
        if let Some(steps) = shared_steps(&x, axis) {
            return sum_kernel(y, out, axis, &steps, rule);
        }
        // Coordinates that vary across the hyperplanes: lane by lane, in numpy's order.
        let m = y.shape()[axis].saturating_sub(1);
        let pairwise = is_fastest(y, axis);
        let mut o = out.insert_axis_mut(axis)?;
        for ((yl, xl), mut ol) in y.lanes(axis)?.zip(x.lanes(axis)?).zip(o.lanes_mut(axis)?) {
            let t = |k: usize| rule.term((xl[k], xl[k + 1]), yl[k], yl[k + 1]);
            ol[0] = if pairwise {
                T::Integral::sum_pairwise(m, &t)
            } else {
                (0..m).fold(zero(), |acc, k| acc + t(k))
            };
        }
        Ok(())
    }

    fn running(
        &self,
        y: &ArrayView<'_, T>,
        out: &mut ArrayViewMut<'_, T::Integral>,
        axis: usize,
        carry: Option<&ArrayView<'_, T::Integral>>,
    ) -> Result<()> {
        let x = x_for(&self.0, y, axis)?;
        let rule = Typed(PhantomData);
        if let Some(steps) = shared_steps(&x, axis) {
            return running_kernel(y, out, axis, &steps, rule, carry);
        }
        if out.is_empty() {
            return Ok(());
        }
        let carry = carry.map(|c| c.insert_axis(axis)).transpose()?;
        let mut carry = carry.as_ref().map(|c| c.lanes(axis)).transpose()?;
        for ((yl, xl), mut ol) in y.lanes(axis)?.zip(x.lanes(axis)?).zip(out.lanes_mut(axis)?) {
            let t = |k: usize| rule.term((xl[k], xl[k + 1]), yl[k], yl[k + 1]);
            // SciPy's np.cumsum: the first value is the first trapezoid itself.
            let mut acc = match carry.as_mut().and_then(Iterator::next) {
                Some(c) => c[0] + t(0),
                None => t(0),
            };
            ol[0] = acc;
            for k in 1..ol.len() {
                acc = acc + t(k);
                ol[k] = acc;
            }
        }
        Ok(())
    }
}

/// The pairs `(x[k], x[k + 1])` when `x` (of `y`'s shape) is the same in every
/// hyperplane across `axis`, as a 1-D `x` broadcast is, so that one step serves a whole
/// hyperplane; `None` when `x` varies across them.
fn shared_steps<X: Copy>(x: &ArrayView<'_, X>, axis: usize) -> Option<Vec<(X, X)>> {
    let shared = (0..x.ndim()).all(|k| k == axis || x.shape()[k] <= 1 || x.strides()[k] == 0);
    if !shared {
        return None;
    }
    let lane = x.lanes(axis).ok()?.next()?;
    Some((1..lane.len()).map(|k| (lane[k - 1], lane[k])).collect())
}

fn zero<V: Value>() -> V {
    <V as num_traits::Zero>::zero()
}

/// How one trapezoid is made from its two samples and the step between them, so the
/// kernels are written once for a [`Spacing`] and for [`Coords`].
trait Rule<T: Copy>: Copy {
    /// What the trapezoids between samples `k` and `k + 1` share across a hyperplane.
    type Step: Copy;
    /// The type of the trapezoids and their sums.
    type V: Value;

    /// The trapezoid between samples `lo` and `hi`.
    fn term(self, step: Self::Step, lo: T, hi: T) -> Self::V;

    /// `cur = prev + t(lo, hi)` over whole hyperplanes, a step of a running sum.
    fn add_terms(
        self,
        cur: &mut ArrayViewMut<'_, Self::V>,
        prev: &ArrayView<'_, Self::V>,
        lo: &ArrayView<'_, T>,
        hi: &ArrayView<'_, T>,
        step: Self::Step,
    ) -> Result<()> {
        add_terms_in_two_walks(self, cur, prev, lo, hi, step)
    }
}

/// [`Rule::add_terms`] as two walks (one walk reads operands of one element type): the
/// trapezoids first, then the previous sums added to them (in that order, as numpy's
/// `prev + t`).
fn add_terms_in_two_walks<T: Copy, R: Rule<T>>(
    rule: R,
    cur: &mut ArrayViewMut<'_, R::V>,
    prev: &ArrayView<'_, R::V>,
    lo: &ArrayView<'_, T>,
    hi: &ArrayView<'_, T>,
    step: R::Step,
) -> Result<()> {
    zip_runs(cur, [lo, hi], |mut o, lh| {
        o.zip_with(lh, |o, [l, h]| *o = rule.term(step, *l, *h))
    })?;
    zip_runs(cur, [prev], |mut o, p| o.zip_with(p, |o, [p]| *o = *p + *o))?;
    Ok(())
}

/// `d * (hi + lo) / 2` with a step `d` in the data's real type, the sum in the input's
/// type as numpy adds it.
struct Scaled<T: Integrate> {
    two: RealOf<T>,
}

impl<T: Integrate> Clone for Scaled<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Integrate> Copy for Scaled<T> {}

impl<T: Integrate> Scaled<T> {
    fn new() -> Self {
        Scaled {
            two: RealOf::<T>::from_f64(2.0),
        }
    }
}

impl<T: Integrate> Rule<T> for Scaled<T> {
    type Step = RealOf<T>;
    type V = Out<T>;

    #[inline(always)]
    fn term(self, d: RealOf<T>, lo: T, hi: T) -> Out<T> {
        hi.np_add(lo).promote().scale(d).div_real(self.two)
    }

    /// One walk when the samples are of the output type (floats and complex numbers,
    /// where numpy's arithmetic on them is the same).
    fn add_terms(
        self,
        cur: &mut ArrayViewMut<'_, Out<T>>,
        prev: &ArrayView<'_, Out<T>>,
        lo: &ArrayView<'_, T>,
        hi: &ArrayView<'_, T>,
        d: RealOf<T>,
    ) -> Result<()> {
        match (T::same_view(lo), T::same_view(hi)) {
            (Some(l), Some(h)) => zip_runs(cur, [prev, &l, &h], |mut o, plh| {
                o.zip_with(plh, |o, [p, l, h]| {
                    *o = *p + (*h + *l).scale(d).div_real(self.two)
                })
            })
            .map_err(Into::into),
            _ => add_terms_in_two_walks(self, cur, prev, lo, hi, d),
        }
    }
}

/// `(x_hi - x_lo) * (y_hi + y_lo) / 2` with numpy's types ([`TrapezoidWith`]).
struct Typed<X>(PhantomData<X>);

impl<X> Clone for Typed<X> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<X> Copy for Typed<X> {}

impl<T: TrapezoidWith<X>, X: NpArith> Rule<T> for Typed<X> {
    type Step = (X, X);
    type V = T::Integral;

    #[inline(always)]
    fn term(self, (x_lo, x_hi): (X, X), lo: T, hi: T) -> T::Integral {
        T::trapezoid(x_lo, x_hi, lo, hi)
    }
}

/// Writes the sums of the trapezoids along `axis` of `y` into `out` (`y`'s shape
/// without `axis`), `steps[k]` between samples `k` and `k + 1`, in numpy's summation
/// order.
fn sum_kernel<T: Copy, R: Rule<T>>(
    y: &ArrayView<'_, T>,
    out: &mut ArrayViewMut<'_, R::V>,
    axis: usize,
    steps: &[R::Step],
    rule: R,
) -> Result<()> {
    let n = y.shape()[axis];
    if out.is_empty() {
        return Ok(());
    }
    if n < 2 {
        out.fill(zero());
        return Ok(());
    }
    let m = n - 1;
    let mut o = out.insert_axis_mut(axis)?;
    if is_fastest(y, axis) {
        // numpy's temporary has the axis innermost: add.reduce sums it pairwise.
        zip_lanes(&mut o, [y], axis, |mut ol, [yl]| {
            ol[0] = match yl.as_slice() {
                Some(ys) => R::V::sum_pairwise(m, &|k| rule.term(steps[k], ys[k], ys[k + 1])),
                None => R::V::sum_pairwise(m, &|k| rule.term(steps[k], yl[k], yl[k + 1])),
            };
        })?;
        return Ok(());
    }
    // Otherwise numpy adds the trapezoids in order, one after the other, onto 0.
    let inner = inner_len(y.shape(), axis);
    if let (Some(ys), Some(os)) = (y.as_slice(), o.as_slice_mut()) {
        // Row-major blocks: out[..] += t[k, ..], hyperplane k at [k * inner..].
        for (yb, ob) in ys.chunks_exact(n * inner).zip(os.chunks_exact_mut(inner)) {
            ob.fill(zero());
            for (k, &dk) in steps.iter().enumerate().take(m) {
                let (lo, hi) = (&yb[k * inner..], &yb[(k + 1) * inner..(k + 2) * inner]);
                for ((o, &l), &h) in ob.iter_mut().zip(lo).zip(hi) {
                    *o = *o + rule.term(dk, l, h);
                }
            }
        }
        return Ok(());
    }
    if y.len() / n < MIN_PLANE {
        zip_lanes(&mut o, [y], axis, |mut ol, [yl]| {
            ol[0] = (0..m).fold(zero(), |acc, k| acc + rule.term(steps[k], yl[k], yl[k + 1]));
        })?;
        return Ok(());
    }
    let mut out = o.index_axis_move(axis, 0)?;
    out.fill(zero());
    for (k, &dk) in steps.iter().enumerate().take(m) {
        let (lo, hi) = (y.index_axis(axis, k)?, y.index_axis(axis, k + 1)?);
        zip_runs(&mut out, [&lo, &hi], |mut o, lh| {
            o.zip_with(lh, |o, [l, h]| *o = *o + rule.term(dk, *l, *h))
        })?;
    }
    Ok(())
}

/// Writes the running sums of the trapezoids along `axis` into `out` (one shorter than
/// `y` on `axis`): `out[0] = t[0]`, `out[k] = out[k - 1] + t[k]`, numpy's `cumsum`;
/// with a `carry` (the previous block's last sums), `out[0] = carry + t[0]`, in the plane
/// walk.
fn running_kernel<T: Copy, R: Rule<T>>(
    y: &ArrayView<'_, T>,
    out: &mut ArrayViewMut<'_, R::V>,
    axis: usize,
    steps: &[R::Step],
    rule: R,
    carry: Option<&ArrayView<'_, R::V>>,
) -> Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    let m = out.shape()[axis];
    let inner = inner_len(y.shape(), axis);
    let fast = carry.is_none();
    if let (Some(ys), Some(os), true) = (y.as_slice(), out.as_slice_mut(), inner > 1 && fast) {
        // Row-major blocks: out[k, ..] = out[k - 1, ..] + t[k, ..].
        let n = m + 1;
        for (yb, ob) in ys
            .chunks_exact(n * inner)
            .zip(os.chunks_exact_mut(m * inner))
        {
            for (k, &dk) in steps.iter().enumerate().take(m) {
                let (lo, hi) = (&yb[k * inner..], &yb[(k + 1) * inner..(k + 2) * inner]);
                let (done, rest) = ob.split_at_mut(k * inner);
                let cur = &mut rest[..inner];
                if k == 0 {
                    for ((o, &l), &h) in cur.iter_mut().zip(lo).zip(hi) {
                        *o = rule.term(dk, l, h);
                    }
                } else {
                    let prev = &done[(k - 1) * inner..];
                    for (((o, &p), &l), &h) in cur.iter_mut().zip(prev).zip(lo).zip(hi) {
                        *o = p + rule.term(dk, l, h);
                    }
                }
            }
        }
        return Ok(());
    }
    if lane_order(y, axis) && fast {
        zip_lanes(out, [y], axis, |mut ol, [yl]| {
            let mut acc = rule.term(steps[0], yl[0], yl[1]);
            ol[0] = acc;
            match (yl.as_slice(), ol.as_mut_slice()) {
                (Some(ys), Some(os)) => {
                    for k in 1..m {
                        acc = acc + rule.term(steps[k], ys[k], ys[k + 1]);
                        os[k] = acc;
                    }
                }
                _ => {
                    for k in 1..m {
                        acc = acc + rule.term(steps[k], yl[k], yl[k + 1]);
                        ol[k] = acc;
                    }
                }
            }
        })?;
        return Ok(());
    }
    for (k, &dk) in steps.iter().enumerate().take(m) {
        let (lo, hi) = (y.index_axis(axis, k)?, y.index_axis(axis, k + 1)?);
        let (head, tail) = out.split_at_mut(axis, k)?;
        let mut cur = tail.index_axis_move(axis, 0)?;
        if k == 0 {
            zip_runs(&mut cur, [&lo, &hi], |mut o, lh| {
                o.zip_with(lh, |o, [l, h]| *o = rule.term(dk, *l, *h))
            })?;
            if let Some(c) = carry {
                zip_runs(&mut cur, [c], |mut o, p| {
                    o.zip_with(p, |o, [p]| *o = *p + *o)
                })?;
            }
            continue;
        }
        let prev = head.index_axis_move(axis, k - 1)?;
        rule.add_terms(&mut cur, &prev.view(), &lo, &hi, dk)?;
    }
    Ok(())
}

/// The integral of sampled data along an axis by the trapezoid rule; made by
/// [`Calc::trapezoid`](crate::Calc::trapezoid). See the [module docs](self).
///
/// ```
/// use ndcalc::prelude::*;
/// let y = array![1., 2., 3.];
/// assert_eq!(y.trapezoid().compute()?[[]], 4.0);
/// assert_eq!(y.trapezoid().spacing(&[4., 6., 8.]).compute()?[[]], 8.0);
/// let m = array![[0., 1., 2.], [3., 4., 5.]];
/// assert_eq!(m.trapezoid().axis(0).compute()?, array![1.5, 2.5, 3.5]);
/// assert_eq!(m.trapezoid().axis(1).compute()?, array![2., 8.]);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
///
/// # Blocks
///
/// An array cut along the axis into blocks that overlap by one sample (each block's
/// last sample is the next one's first) has every trapezoid in exactly one block, each
/// computed as on the whole array, so the blocks' integrals sum to the whole's in exact
/// arithmetic. In floating point the sum is bit-identical where every partial sum is
/// exact (integer-valued trapezoids below 2^53, say), and otherwise differs by the
/// association of the additions: numpy sums along the axis fastest in memory pairwise,
/// and along another axis in order onto 0, neither of which a sum of block results
/// reproduces. For a bit-identical running integral across blocks, use
/// [`CumulativeTrapezoid::carry`]: its last value along an axis not the fastest in
/// memory is the whole array's `trapezoid` there (up to the sign of a zero sum, which
/// numpy's `0 + t` makes positive).
///
/// ```
/// use ndcalc::prelude::*;
/// let y = array![1., 4., 2., 8., 5., 7.];
/// let whole = y.trapezoid().compute()?[[]];
/// let a = y.slice_axis(0, Slice::new(0, 4, 1))?.trapezoid().compute()?[[]];
/// let b = y.slice_axis(0, Slice::new(3, 6, 1))?.trapezoid().compute()?[[]]; // shares y[3]
/// assert_eq!(a + b, whole);                            // exact: halves of integers
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone)]
pub struct Trapezoid<'a, T, S = Spacing> {
    y: ArrayView<'a, T>,
    steps: S,
    axis: isize,
}

impl<'a, T: Integrate> Trapezoid<'a, T> {
    pub(crate) fn new(y: ArrayView<'a, T>) -> Self {
        Trapezoid {
            y,
            steps: Spacing::step(1.0),
            axis: -1,
        }
    }

    /// The sample spacing: a scalar step (numpy's `dx`, default 1) or the coordinates of
    /// the samples (numpy's `x`, 1-D, as long as the axis).
    pub fn spacing(mut self, s: impl Into<Spacing>) -> Self {
        self.steps = s.into();
        self
    }

    /// The coordinates of the samples with their own element type, numpy's `x`: 1-D
    /// along the axis, or any shape that broadcasts to `y`'s with the axis at full
    /// length. Unlike [`spacing`](Trapezoid::spacing), which rounds coordinates to the
    /// data's real type first (as `gradient` does), this follows numpy's `trapezoid`
    /// exactly, types included ([`TrapezoidWith`]); see [`Coords`].
    pub fn x<X: NpArith>(self, x: &'a impl ArrayLike<X>) -> Trapezoid<'a, T, Coords<'a, X>>
    where
        T: TrapezoidWith<X>,
    {
        Trapezoid {
            y: self.y,
            steps: Coords(x.view()),
            axis: self.axis,
        }
    }
}

impl<'a, T: Integrate, S: Steps<T>> Trapezoid<'a, T, S> {
    /// The axis to integrate along (negative counts from the end); the last by default.
    pub fn axis(mut self, axis: impl AxisArg) -> Self {
        self.axis = axis.signed();
        self
    }

    /// The shape of the result: the input's without the axis.
    ///
    /// Errors: as [`compute`](Trapezoid::compute).
    pub fn shape(&self) -> Result<Vec<usize>> {
        let axis = checked_axis(&self.y, self.axis, "trapezoid")?;
        self.steps.check(&self.y, axis)?;
        let mut s = self.y.shape().to_vec();
        s.remove(axis);
        Ok(s)
    }

    /// The integrals, a new array with the axis removed.
    ///
    /// Errors: a 0-d input, an axis out of range, coordinates not as long as the axis,
    /// [`spacing`](Trapezoid::spacing) coordinates that are not 1-D, [`x`](Trapezoid::x)
    /// coordinates that do not broadcast to `y`'s shape with the axis at full length.
    pub fn compute(&self) -> Result<Array<S::Integral>> {
        let axis = checked_axis(&self.y, self.axis, "trapezoid")?;
        let mut out = match self.y.index_axis(axis, 0) {
            Ok(plane) => Array::zeros_like(&plane),
            Err(_) => {
                let mut s = self.y.shape().to_vec();
                s.remove(axis);
                Array::zeros_like_with_shape(&self.y, s)
            }
        };
        self.steps.sum(&self.y, &mut out.view_mut(), axis)?;
        Ok(out)
    }

    /// Writes the integrals into `out` (an `Array` or a mutable view of the result's
    /// [`shape`](Trapezoid::shape)).
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let m = array![[0., 1., 2.], [3., 4., 5.]];
    /// let mut out = Array::<f64>::zeros([3]);
    /// m.trapezoid().spacing(2.0).axis(0).compute_into(&mut out)?;
    /// assert_eq!(out, array![3., 5., 7.]);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn compute_into(&self, out: &mut impl AsViewMut<S::Integral>) -> Result<()> {
        check_out_shape(&self.shape()?, out.shape())?;
        let axis = checked_axis(&self.y, self.axis, "trapezoid")?;
        self.steps.sum(&self.y, &mut out.view_mut(), axis)
    }
}

/// The running integral by the trapezoid rule, SciPy's `cumulative_trapezoid`; made by
/// [`Calc::cumulative_trapezoid`](crate::Calc::cumulative_trapezoid). See the
/// [module docs](self).
///
/// ```
/// use ndcalc::prelude::*;
/// let y = array![0., 1., 4., 9.];                  // x^2 at x = 0..3
/// assert_eq!(y.cumulative_trapezoid().compute()?, array![0.5, 3., 9.5]);
/// assert_eq!(y.cumulative_trapezoid().spacing(0.5).initial(0).compute()?, array![0., 0.25, 1.5, 4.75]);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone)]
pub struct CumulativeTrapezoid<'a, T: Integrate, S: Steps<T> = Spacing> {
    y: ArrayView<'a, T>,
    steps: S,
    axis: isize,
    initial: Option<f64>,
    /// The last slice of the previous block's result (see [`carry`](Self::carry)).
    carry: Option<ArrayView<'a, S::Integral>>,
}

impl<'a, T: Integrate> CumulativeTrapezoid<'a, T> {
    pub(crate) fn new(y: ArrayView<'a, T>) -> Self {
        CumulativeTrapezoid {
            y,
            steps: Spacing::step(1.0),
            axis: -1,
            initial: None,
            carry: None,
        }
    }

    /// The sample spacing: a scalar step (SciPy's `dx`, default 1) or the coordinates of
    /// the samples (SciPy's `x`, 1-D, as long as the axis).
    pub fn spacing(mut self, s: impl Into<Spacing>) -> Self {
        self.steps = s.into();
        self
    }

    /// The coordinates of the samples with their own element type, SciPy's `x`: 1-D
    /// along the axis, or any shape that broadcasts to `y`'s with the axis at full
    /// length; numpy's types ([`TrapezoidWith`]), as [`Trapezoid::x`]. A
    /// [`carry`](Self::carry) is of the result's type, so it is given after this.
    pub fn x<X: NpArith>(
        self,
        x: &'a impl ArrayLike<X>,
    ) -> CumulativeTrapezoid<'a, T, Coords<'a, X>>
    where
        T: TrapezoidWith<X>,
    {
        CumulativeTrapezoid {
            y: self.y,
            steps: Coords(x.view()),
            axis: self.axis,
            initial: self.initial,
            carry: None,
        }
    }
}

impl<'a, T: Integrate, S: Steps<T>> CumulativeTrapezoid<'a, T, S> {
    /// The axis to integrate along (negative counts from the end); the last by default.
    pub fn axis(mut self, axis: impl AxisArg) -> Self {
        self.axis = axis.signed();
        self
    }

    /// SciPy's `initial`: a value put before the running sums, making the axis as long
    /// as the input's. Only 0 is accepted, as in SciPy 1.12 and later; anything else is
    /// an error at `compute`.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let y = array![1., 1.];
    /// assert_eq!(y.cumulative_trapezoid().initial(0).compute()?, array![0., 1.]);
    /// assert!(y.cumulative_trapezoid().initial(1.5).compute().is_err());
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn initial(mut self, value: impl Into<f64>) -> Self {
        self.initial = Some(value.into());
        self
    }

    /// The input is the next block along the axis of a larger array, overlapping the
    /// previous block by one sample (the trapezoid between them belongs to this block),
    /// and `previous` is the last slice of the previous block's result (its index along
    /// the axis removed): the running sum starts from it, so the blocks' results join
    /// into the whole array's bit for bit. Coordinates are the block's, the shared
    /// sample included. A block with a carry refuses `initial`, which belongs to the
    /// first block.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let y = array![0.1, 0.7, 0.2, 0.9, 0.4];
    /// let whole = y.cumulative_trapezoid().compute()?;      // 4 running integrals
    /// let first = y.slice_axis(0, Slice::new(0, 3, 1))?.cumulative_trapezoid().compute()?;
    /// let last = first.index_axis(0, 1)?;
    /// // Samples 2..5: the shared sample 2 starts the second block.
    /// let block = y.slice_axis(0, Slice::new(2, 5, 1))?;
    /// let second = block.cumulative_trapezoid().carry(&last).compute()?;
    /// assert_eq!(second, whole.slice_axis(0, Slice::new(2, 4, 1))?);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn carry(mut self, previous: &'a impl ArrayLike<S::Integral>) -> Self {
        self.carry = Some(previous.view());
        self
    }

    /// Same as [`initial(0)`](CumulativeTrapezoid::initial).
    pub fn initial_zero(self) -> Self {
        self.initial(0.0)
    }

    /// Checks all but the steps: the axis, normalized.
    fn plan(&self) -> Result<usize> {
        let axis = checked_axis(&self.y, self.axis, "cumulative_trapezoid")?;
        let len = self.y.shape()[axis];
        if len == 0 {
            return Err(CalcError::TooFewPoints {
                axis,
                len,
                needed: 1,
                reason: "cumulative_trapezoid".into(),
            });
        }
        if let Some(v) = self.initial {
            if v != 0.0 {
                return Err(CalcError::InitialNotZero {
                    value: v.to_string(),
                });
            }
        }
        if let Some(carry) = &self.carry {
            if self.initial.is_some() {
                return Err(CalcError::BlockOption {
                    op: "cumulative_trapezoid",
                    option: "initial",
                });
            }
            let mut slice = ndcore::Shape::from_slice(self.y.shape());
            slice.remove(axis);
            check_out_shape(&slice, carry.shape())?;
        }
        Ok(axis)
    }

    /// The result's shape for `axis`.
    fn out_shape(&self, axis: usize) -> Vec<usize> {
        let mut s = self.y.shape().to_vec();
        if self.initial.is_none() {
            s[axis] -= 1;
        }
        s
    }

    /// The shape of the result: the input's, one shorter on the axis without `initial`.
    ///
    /// Errors: as [`compute`](CumulativeTrapezoid::compute).
    pub fn shape(&self) -> Result<Vec<usize>> {
        let axis = self.plan()?;
        self.steps.check(&self.y, axis)?;
        Ok(self.out_shape(axis))
    }

    /// The running integrals, a new array.
    ///
    /// Errors: as [`Trapezoid::compute`], and an axis of length 0, an initial value
    /// other than 0, a carry with `initial` or of the wrong shape.
    pub fn compute(&self) -> Result<Array<S::Integral>> {
        let axis = self.plan()?;
        let mut out = Array::zeros_like_with_shape(&self.y, self.out_shape(axis));
        self.run(&mut out.view_mut(), axis)?;
        Ok(out)
    }

    /// Writes the running integrals into `out` (an `Array` or a mutable view of the
    /// result's [`shape`](CumulativeTrapezoid::shape)).
    pub fn compute_into(&self, out: &mut impl AsViewMut<S::Integral>) -> Result<()> {
        check_out_shape(&self.shape()?, out.shape())?;
        self.run(&mut out.view_mut(), self.plan()?)
    }

    fn run(&self, out: &mut ArrayViewMut<'_, S::Integral>, axis: usize) -> Result<()> {
        let mut body = if self.initial.is_some() {
            out.index_axis_mut(axis, 0)?.fill(zero());
            out.slice_axis_mut(axis, Slice::new(1, None, 1))?
        } else {
            out.view_mut()
        };
        self.steps
            .running(&self.y, &mut body, axis, self.carry.as_ref())
    }
}

/// numpy's `p / 2.0` on a product of a trapezoid: integers become `f64` first (numpy's
/// `true_divide`), floats and complex numbers keep their type.
///
/// ```
/// use ndcalc::Halve;
/// assert_eq!(7i64.halve(), 3.5f64);
/// assert_eq!(3f32.halve(), 1.5f32);
/// ```
///
/// Sealed, as the element traits are:
///
/// ```compile_fail,E0277
/// #[derive(Clone, Copy)]
/// struct Mine;
/// impl ndcalc::Halve for Mine {
///     type Output = f64;
///     fn halve(self) -> f64 { 0.0 }
/// }
/// ```
pub trait Halve: crate::element::sealed::Sealed + Copy {
    /// The type of the half: `f64` for integers, the type itself otherwise.
    type Output: Value;
    /// `self / 2`.
    fn halve(self) -> Self::Output;
}

macro_rules! halve_ints {
    ($($t:ty),*) => {$(
        impl Halve for $t {
            type Output = f64;
            #[inline]
            fn halve(self) -> f64 {
                self as f64 / 2.0
            }
        }
    )*};
}
halve_ints!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! halve_values {
    ($($t:ty),*) => {$(
        impl Halve for $t {
            type Output = $t;
            #[inline]
            fn halve(self) -> $t {
                self.div_real(<$t as Value>::Real::from_f64(2.0))
            }
        }
    )*};
}
halve_values!(f32, f64, Complex<f32>, Complex<f64>);

/// Data of a type that integrates against coordinates `x` of type `X`, with numpy's
/// types: `diff(x)` in `X` (so integer coordinates, e.g. `i64` nanosecond timestamps,
/// are differenced exactly, wrapping like numpy's), `y[k + 1] + y[k]` in the data's
/// type, their product in the common type of the two ([`ResultType`]), halved as
/// [`Halve`] says. So `f32` data with `f64` coordinates gives `f64`, `i64` data with
/// `i64` coordinates multiplies in `i64` and gives `f64`, `f32` data with `i16`
/// coordinates gives `f32`.
///
/// ```
/// use ndcalc::prelude::*;
/// let y = array![1f32, 2., 3.];
/// let x = array![0.0f64, 0.1, 0.3];
/// let r: Array<f64> = y.trapezoid().x(&x).compute()?; // f64, as numpy
/// assert_eq!(r[[]], 0.1 * 3.0 / 2.0 + (0.3 - 0.1) * 5.0 / 2.0);
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
pub trait TrapezoidWith<X>: Integrate + crate::element::sealed::SealedPair<X> {
    /// The type of the trapezoids and their sums.
    type Integral: Value;
    /// One trapezoid: `(x_hi - x_lo) * (y_hi + y_lo) / 2` with numpy's types.
    fn trapezoid(x_lo: X, x_hi: X, y_lo: Self, y_hi: Self) -> Self::Integral;
}

impl<Y, X> TrapezoidWith<X> for Y
where
    Y: Integrate + ResultType<X>,
    X: NpArith,
    <Y as ResultType<X>>::Output: Halve,
{
    type Integral = <<Y as ResultType<X>>::Output as Halve>::Output;
    #[inline(always)]
    fn trapezoid(x_lo: X, x_hi: X, y_lo: Y, y_hi: Y) -> Self::Integral {
        let d = <Y as ResultType<X>>::Output::cast_from(x_hi.np_sub(x_lo));
        let s = <Y as ResultType<X>>::Output::cast_from(y_hi.np_add(y_lo));
        d.np_mul(s).halve()
    }
}

/// `x` seen with `y`'s shape: 1-D coordinates along `axis`, or an N-D `x` broadcast to
/// `y`'s shape with the axis at full length (numpy's `diff(x, axis)` then broadcasts
/// against the sums of `y`).
fn x_for<'x, X, T>(
    x: &ArrayView<'x, X>,
    y: &ArrayView<'_, T>,
    axis: usize,
) -> Result<ArrayView<'x, X>> {
    let n = y.shape()[axis];
    if x.ndim() == 1 {
        if x.len() != n {
            return Err(CalcError::CoordinatesLength {
                axis,
                expected: n,
                found: x.len(),
            });
        }
        let mut along = vec![1; y.ndim()];
        along[axis] = n;
        return Ok(x.reshape(along)?.broadcast(y.shape())?);
    }
    let lead = y.ndim().checked_sub(x.ndim());
    let fits = lead.is_some_and(|lead| axis >= lead && x.shape()[axis - lead] == n);
    match x.broadcast(y.shape()) {
        Ok(b) if fits => Ok(b),
        _ => Err(CalcError::XShape {
            axis,
            x: x.shape().to_vec(),
            y: y.shape().to_vec(),
        }),
    }
}
