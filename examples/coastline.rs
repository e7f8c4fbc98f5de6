//! Differentiating a field with a coastline: land cells are missing samples.
//!
//! A sea-surface field on a 40 x 56 grid has land along its northern edge and an island
//! in the middle. numpy's `np.gradient` on the field with NaN over land spoils every
//! ocean cell next to the coast (a NaN enters each central difference that reads it);
//! with the land masked out (`.mask(&ocean)`, or NaN with `Missing::Skip`) each run of
//! ocean cells along an axis is differentiated on its own, with one-sided differences at
//! the coast, so every ocean cell keeps a gradient.
//!
//! The example checks that the masked gradient is NaN on land and at no ocean cell
//! (none is cut off alone along an axis here), that numpy's is NaN along the whole
//! coast, and that the masked gradient stays close to the exact one at the coast. It
//! writes `coastline.svg` (or the path given as the first argument): the gradient's
//! magnitude with numpy's NaN on the left, with the land skipped on the right.
//!
//! Run it with `cargo run --release --example coastline [out.svg]`.

use std::fmt::Write as _;

use ndcalc::prelude::*;
use ndcalc::Missing;

const ROWS: usize = 40;
const COLS: usize = 56;
const H: f64 = 0.1;

/// The sea-surface field and its exact gradient (along the rows, along the columns).
fn field(i: usize, j: usize) -> (f64, [f64; 2]) {
    let (y, x) = (i as f64 * H, j as f64 * H);
    let f = (0.9 * y).sin() * (0.7 * x).cos() + 0.2 * x;
    let gy = 0.9 * (0.9 * y).cos() * (0.7 * x).cos();
    let gx = -0.7 * (0.9 * y).sin() * (0.7 * x).sin() + 0.2;
    (f, [gy, gx])
}

/// Whether cell `(i, j)` is ocean: land is a wavy northern coast and an island.
fn is_ocean(i: usize, j: usize) -> bool {
    let (y, x) = (i as f64, j as f64);
    let coast = 6.0 + 2.5 * (x / 6.0).sin();
    let island = ((y - 22.0) / 6.0).powi(2) + ((x - 30.0) / 9.0).powi(2) < 1.0;
    y >= coast && !island
}

/// The magnitude of a gradient given as its two components.
fn magnitude(g: &[Array<f64>]) -> Array<f64> {
    Array::from_shape_fn([ROWS, COLS], |k| {
        g[0][[k[0], k[1]]].hypot(g[1][[k[0], k[1]]])
    })
}

/// One panel of cells: magnitude on a blue-to-yellow ramp, land in sand, ocean cells
/// without a result in red.
fn panel(svg: &mut String, m: &Array<f64>, ocean: &Array<bool>, x0: usize, title: &str) {
    const CELL: usize = 8;
    let top = m
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0, |a: f64, &b| a.max(b));
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="20" font-family="sans-serif" font-size="14">{title}</text>"#,
        x0
    );
    for i in 0..ROWS {
        for j in 0..COLS {
            let v = m[[i, j]];
            let fill = if !ocean[[i, j]] {
                "#d8c48f".to_string()
            } else if v.is_nan() {
                "#d62728".to_string()
            } else {
                let t = (v / top).clamp(0.0, 1.0);
                let ch = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
                format!(
                    "#{:02x}{:02x}{:02x}",
                    ch(30.0, 250.0),
                    ch(60.0, 230.0),
                    ch(140.0, 60.0)
                )
            };
            let _ = writeln!(
                svg,
                r#"<rect x="{}" y="{}" width="{CELL}" height="{CELL}" fill="{fill}"/>"#,
                x0 + j * CELL,
                30 + i * CELL
            );
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ocean = Array::from_shape_fn([ROWS, COLS], |k| is_ocean(k[0], k[1]));
    let exact = |k: [usize; 2], a: usize| field(k[0], k[1]).1[a];
    // numpy's way: NaN over land, and np.gradient.
    let with_nan = Array::from_shape_fn([ROWS, COLS], |k| {
        if ocean[[k[0], k[1]]] {
            field(k[0], k[1]).0
        } else {
            f64::NAN
        }
    });
    let numpy = with_nan.gradient().spacing(H).compute()?;
    // Land masked out (the land values are never read), and the same with NaN skipped.
    let data = Array::from_shape_fn([ROWS, COLS], |k| field(k[0], k[1]).0);
    let skip = data.gradient().spacing(H).mask(&ocean).compute()?;
    let nan_skip = with_nan
        .gradient()
        .spacing(H)
        .missing(Missing::Skip)
        .compute()?;
    let same = |a: &Array<f64>, b: &Array<f64>| {
        a.iter()
            .zip(b.iter())
            .all(|(p, q)| p.to_bits() == q.to_bits())
    };
    assert!(
        skip.iter().zip(&nan_skip).all(|(a, b)| same(a, b)),
        "the mask and the NaN form agree"
    );

    let (m_numpy, m_skip) = (magnitude(&numpy), magnitude(&skip));
    let land = ocean.iter().filter(|&&o| !o).count();
    let nan = |m: &Array<f64>| m.iter().filter(|v| v.is_nan()).count();
    let (nan_numpy, nan_skip) = (nan(&m_numpy), nan(&m_skip));
    println!("{} cells, {land} of them land", ROWS * COLS);
    println!(
        "numpy's gradient: {nan_numpy} NaN cells ({} ocean cells lost)",
        nan_numpy - land
    );
    println!("with the land masked: {nan_skip} NaN cells");
    // The masked gradient is NaN on land and at the ocean cells cut off alone along an
    // axis (no ocean neighbour there, so no difference to take), nowhere else; numpy's
    // loses the whole coast.
    let lone = (0..ROWS * COLS)
        .filter(|&k| {
            let (i, j) = (k / COLS, k % COLS);
            let wet = |i: Option<usize>, j: Option<usize>| match (i, j) {
                (Some(i), Some(j)) if i < ROWS && j < COLS => ocean[[i, j]],
                _ => false,
            };
            let alone_0 = !wet(i.checked_sub(1), Some(j)) && !wet(Some(i + 1), Some(j));
            let alone_1 = !wet(Some(i), j.checked_sub(1)) && !wet(Some(i), Some(j + 1));
            ocean[[i, j]] && (alone_0 || alone_1)
        })
        .count();
    println!("ocean cells alone along an axis: {lone}");
    assert_eq!(nan_skip, land + lone);
    assert!(nan_numpy > land + COLS);

    // At the coast the one-sided differences are first order: close, not exact.
    let mut worst: f64 = 0.0;
    for i in 0..ROWS {
        for j in 0..COLS {
            if ocean[[i, j]] {
                for (a, g) in skip.iter().enumerate() {
                    worst = worst.max((g[[i, j]] - exact([i, j], a)).abs());
                }
            }
        }
    }
    println!("largest error of the masked gradient over the ocean: {worst:.3}");
    assert!(worst < 0.1);

    let (w, h) = (2 * COLS * 8 + 40, ROWS * 8 + 40);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
    );
    svg.push('\n');
    panel(
        &mut svg,
        &m_numpy,
        &ocean,
        10,
        "numpy: NaN spreads from the coast (red)",
    );
    panel(
        &mut svg,
        &m_skip,
        &ocean,
        COLS * 8 + 30,
        "Missing::Skip / mask: every ocean cell kept",
    );
    svg.push_str("</svg>\n");
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "coastline.svg".into());
    std::fs::write(&path, svg)?;
    println!("wrote {path}");
    Ok(())
}
