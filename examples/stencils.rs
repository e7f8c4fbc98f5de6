//! Your own finite-difference schemes with [`stencil`]: each is a list of neighbour
//! offsets and a closure of the values there, in a few lines, right on every layout and
//! at the memory floor.
//!
//! * upwind advection: one explicit step of `u_t + a u_x + b u_y = 0` (a, b > 0),
//! * the 9-point Laplacian (isotropic to fourth order in its error term),
//! * the Sobel edge magnitude of an image,
//! * the 3-D 7-point Laplacian.
//!
//! Each function is numpy's slicing expression for the same scheme, term for term
//! (`tests/it/stencils.rs` checks them against numpy's results, bit for bit).
//!
//! Run it with `cargo run --release --example stencils`.

use ndcalc::prelude::*;

/// One upwind step with Courant numbers `cx = a Δt/Δx` and `cy = b Δt/Δy` (both in
/// `0..=1` for stability); numpy's
/// `u[1:, 1:] - cx * (u[1:, 1:] - u[:-1, 1:]) - cy * (u[1:, 1:] - u[1:, :-1])`.
/// The result lacks the first row and column, whose upwind neighbours are outside.
pub fn upwind_step(u: &impl AsView<f64>, cx: f64, cy: f64) -> Result<Array<f64>, CalcError> {
    Ok(stencil(u, [[0, 0], [-1, 0], [0, -1]], |[c, up, left]| {
        c - cx * (c - up) - cy * (c - left)
    })?)
}

/// The 9-point Laplacian with unit spacing,
/// `(4 (n + s + w + e) + (nw + ne + sw + se) - 20 c) / 6`, on the interior.
pub fn laplacian9(f: &impl AsView<f64>) -> Result<Array<f64>, CalcError> {
    let offsets = [
        [0, 0],
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
        [-1, -1],
        [-1, 1],
        [1, -1],
        [1, 1],
    ];
    Ok(stencil(f, offsets, |[c, n, s, w, e, nw, ne, sw, se]| {
        (4.0 * (n + s + w + e) + (nw + ne + sw + se) - 20.0 * c) / 6.0
    })?)
}

/// The Sobel gradient magnitude `sqrt(gx² + gy²)` on the interior, with axis 0 the
/// image's rows (y) and axis 1 its columns (x).
pub fn sobel(img: &impl AsView<f64>) -> Result<Array<f64>, CalcError> {
    let offsets = [
        [-1, -1],
        [-1, 0],
        [-1, 1],
        [0, -1],
        [0, 1],
        [1, -1],
        [1, 0],
        [1, 1],
    ];
    Ok(stencil(img, offsets, |[nw, n, ne, w, e, sw, s, se]| {
        let gx = (ne + 2.0 * e + se) - (nw + 2.0 * w + sw);
        let gy = (sw + 2.0 * s + se) - (nw + 2.0 * n + ne);
        (gx * gx + gy * gy).sqrt()
    })?)
}

/// The 7-point Laplacian of a 3-D field with unit spacing, on the interior.
pub fn laplacian7(f: &impl AsView<f64>) -> Result<Array<f64>, CalcError> {
    let offsets = [
        [0, 0, 0],
        [-1, 0, 0],
        [1, 0, 0],
        [0, -1, 0],
        [0, 1, 0],
        [0, 0, -1],
        [0, 0, 1],
    ];
    Ok(stencil(f, offsets, |[c, a, b, d, e, g, h]| {
        a + b + d + e + g + h - 6.0 * c
    })?)
}

#[allow(dead_code)] // the integration tests include this file for its kernels
fn main() -> Result<(), CalcError> {
    // A bump advected down and to the right, 8 steps: it moves, and the upwind scheme
    // smears it (numerical diffusion), as it should.
    let n = 12;
    let mut u = Array::from_shape_fn([n, n], |ix| {
        let (y, x) = (ix[0] as f64 - 3.0, ix[1] as f64 - 3.0);
        (-(x * x + y * y) / 2.0).exp()
    });
    for _ in 0..8 {
        let next = upwind_step(&u, 0.5, 0.5)?;
        // Inflow boundary: the first row and column stay zero.
        u.slice_mut(s![1.., 1..])?.assign(&next)?;
        u.slice_mut(s![0, ..])?.fill(0.0);
        u.slice_mut(s![.., 0])?.fill(0.0);
    }
    println!("upwind advection after 8 steps:\n{:.2}\n", u);

    // The 9-point Laplacian of x² + y² is 4 everywhere, on any layout.
    let f = Array::from_shape_fn([5, 6], |ix| (ix[0] * ix[0] + ix[1] * ix[1]) as f64);
    println!("9-point Laplacian of x² + y²:\n{}\n", laplacian9(&f)?);
    println!(
        "the same through a transposed view:\n{}\n",
        laplacian9(&f.t())?
    );

    // Sobel on a step edge: large along the edge, zero away from it.
    let img = Array::from_shape_fn([6, 8], |ix| if ix[1] >= 4 { 1.0 } else { 0.0 });
    println!("Sobel magnitude of a vertical edge:\n{}\n", sobel(&img)?);

    // The 7-point Laplacian of x² + 2y² + 3z² is 12.
    let g = Array::from_shape_fn([4, 4, 4], |ix| {
        let [x, y, z] = [ix[0], ix[1], ix[2]].map(|v| v as f64);
        x * x + 2.0 * y * y + 3.0 * z * z
    });
    println!(
        "3-D 7-point Laplacian of x² + 2y² + 3z²:\n{}",
        laplacian7(&g)?
    );
    Ok(())
}
