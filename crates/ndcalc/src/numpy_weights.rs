//! numpy's gradient coefficients: the one home of its formulas.
//!
//! numpy's gradient kernel ([`gradient`](crate::gradient)) and the accuracy-2 first
//! derivative of the wide stencils ([`stencil`](crate::stencil)) both take their
//! coefficients from here, in the same type, so `derivative(1)` equals
//! `gradient().edge_order(2)` by construction (but for `f32` or `Complex<f32>` data with
//! `f64` coordinates, which numpy's gradient computes in `f64` and the stencils beyond
//! numpy in the data's type). Every expression is numpy's own, operation for operation,
//! in numpy's type for it (the coordinates' float type, `f64` for a scalar step):
//! results are bit-identical only that way.
//!
//! With uniform step `h`, or steps `d1 = x[i] - x[i-1]`, `d2 = x[i+1] - x[i]`:
//!
//! ```text
//! interior, uniform:      (f[i+1] - f[i-1]) / (2 h)
//! interior, non-uniform:  -d2/(d1 (d1+d2)) f[i-1] + (d2-d1)/(d1 d2) f[i] + d1/(d2 (d1+d2)) f[i+1]
//! edge_order 1:           (f[1] - f[0]) / h[0]           (and mirrored at the end)
//! edge_order 2, uniform:  (-1.5 f[0] + 2 f[1] - 0.5 f[2]) / h, written as three weights
//! edge_order 2, steps:    the three-point one-sided Lagrange weights below
//! ```

use crate::element::Real;

/// The divisor `2h` of numpy's uniform central difference `(f[i+1] - f[i-1]) / 2h`.
#[inline]
pub(crate) fn central_divisor<R: Real>(h: R) -> R {
    R::from_f64(2.0) * h
}

/// The interior weights over `f[i-1], f[i], f[i+1]` with steps `d1` before the point
/// and `d2` after it.
#[inline]
pub(crate) fn interior<R: Real>(d1: R, d2: R) -> [R; 3] {
    [
        -d2 / (d1 * (d1 + d2)),
        (d2 - d1) / (d1 * d2),
        d1 / (d2 * (d1 + d2)),
    ]
}

/// The `edge_order=2` weights of the first point over `f[0], f[1], f[2]`, uniform step.
#[inline]
pub(crate) fn first_uniform<R: Real>(h: R) -> [R; 3] {
    let c = R::from_f64;
    [c(-1.5) / h, c(2.0) / h, c(-0.5) / h]
}

/// The `edge_order=2` weights of the last point over `f[n-3], f[n-2], f[n-1]`, uniform
/// step.
#[inline]
pub(crate) fn last_uniform<R: Real>(h: R) -> [R; 3] {
    let c = R::from_f64;
    [c(0.5) / h, c(-2.0) / h, c(1.5) / h]
}

/// The `edge_order=2` weights of the first point over `f[0], f[1], f[2]`, with the steps
/// `d1 = x[1] - x[0]` and `d2 = x[2] - x[1]`.
#[inline]
pub(crate) fn first_steps<R: Real>(d1: R, d2: R) -> [R; 3] {
    let two = R::from_f64(2.0);
    [
        -(two * d1 + d2) / (d1 * (d1 + d2)),
        (d1 + d2) / (d1 * d2),
        -d1 / (d2 * (d1 + d2)),
    ]
}

/// The `edge_order=2` weights of the last point over `f[n-3], f[n-2], f[n-1]`, with the
/// steps `d1 = x[n-2] - x[n-3]` and `d2 = x[n-1] - x[n-2]`.
#[inline]
pub(crate) fn last_steps<R: Real>(d1: R, d2: R) -> [R; 3] {
    let two = R::from_f64(2.0);
    [
        d2 / (d1 * (d1 + d2)),
        -(d2 + d1) / (d1 * d2),
        (two * d2 + d1) / (d2 * (d1 + d2)),
    ]
}
