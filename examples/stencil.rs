//! Writing your own finite-difference stencil on ndcore's lanes and planes.
//!
//! The second derivative `f''(x) ≈ (f[i-1] - 2 f[i] + f[i+1]) / h²` (interior points
//! only) of a 2-D field along each axis, written twice: once in *lane order*
//! ([`zip_lanes`]: one 1-D line at a time, best along the fastest axis) and once in
//! *plane order* ([`zip_planes`]: whole rows at a time, best along the other axes). Both
//! agree to the last bit, and agree with `ndcalc`'s own `derivative(2)` to rounding.
//!
//! Run it with `cargo run --release --example stencil`.

use ndcalc::prelude::*;

/// Lane order: each lane is a whole line along `axis`, so the kernel may read its
/// neighbours `x[i - 1]` and `x[i + 1]`. `contiguous_or_strided` calls the kernel with
/// lanes of constant stride 1 where memory is contiguous, so this one loop compiles to a
/// slice loop there and stays right on strided lanes.
fn second_derivative_lanes(f: &Array<f64>, axis: usize, h: f64) -> Array<f64> {
    let mut out = Array::<f64>::zeros_like(f);
    zip_lanes(&mut out, [f], axis, |y, xs| {
        contiguous_or_strided(y, xs, |mut y, [x]| {
            for i in 1..x.len() - 1 {
                y[i] = (x[i - 1] - 2.0 * x[i] + x[i + 1]) / (h * h);
            }
        })
    })
    .expect("input and output have the same shape");
    out
}

/// Plane order: for each index `i` along the axis, the callback gets the output run of
/// hyperplane `i` and the matching runs of any input hyperplane `j`; `zip_with` runs the
/// elementwise loop over them, as a slice loop where they are contiguous. Neighbours
/// along the axis are other hyperplanes; within a run, only element `k` of each run
/// belongs to output element `k` (a run may be one element long).
fn second_derivative_planes(f: &Array<f64>, axis: usize, h: f64) -> Array<f64> {
    let mut out = Array::<f64>::zeros_like(f);
    let n = f.shape()[axis];
    zip_planes(&mut out, [f], axis, |i, y, [x]| {
        if i == 0 || i == n - 1 {
            return;
        }
        let planes = [x.plane(i - 1), x.plane(i), x.plane(i + 1)];
        y.plane_mut(i).zip_with(planes, |y, [lo, mid, hi]| {
            *y = (lo - 2.0 * mid + hi) / (h * h)
        });
    })
    .expect("input and output have the same shape");
    out
}

fn main() -> Result<(), CalcError> {
    let h = 0.1;
    // f(x, y) = x³ + 2y², whose second derivatives are 6x and 4.
    let f = Array::from_shape_fn([6, 5], |ix| {
        let (x, y) = (ix[0] as f64 * h, ix[1] as f64 * h);
        x * x * x + 2.0 * y * y
    });
    // numpy's `1:-1` (Rust's clippy objects to the range literal `1..-1` in `s![]`).
    let interior = Slice::new(1, -1, 1);
    for axis in 0..2 {
        let lanes = second_derivative_lanes(&f, axis, h);
        let planes = second_derivative_planes(&f, axis, h);
        assert_eq!(lanes, planes, "lane and plane order agree");
        println!(
            "d²f/d{}² in the interior (lane order = plane order):",
            ["x", "y"][axis]
        );
        println!("{:.6}\n", lanes.slice_axis(axis, interior)?);
    }
    // ndcalc's derivative(2) computes the same interior (and one-sided edges too).
    let d2 = f.derivative(2).axis(1).spacing(h).compute()?;
    let ours = second_derivative_lanes(&f, 1, h);
    let (a, b) = (d2.slice_axis(1, interior)?, ours.slice_axis(1, interior)?);
    assert!(a.iter().zip(b.iter()).all(|(p, q)| (p - q).abs() < 1e-9));
    println!("ndcalc derivative(2) along y, interior:\n{a:.6}");
    Ok(())
}
