//! Accuracy orders compared on a known function: `f(x) = sin(3x) + 0.5 x` on a
//! non-uniform grid of `[0, 2]`, differentiated with `gradient().accuracy(k)` for
//! k = 2, 4, 6 (and numpy's default edges for reference) at several resolutions. Prints
//! the maximum error table with the observed orders, and writes an SVG plot of `f`, `f'`
//! and `f''` with the computed samples on top.
//!
//! `cargo run --release --example accuracy -- [path.svg]` (default `target/accuracy.svg`).
//!
//! The SVG is written by hand (about sixty lines below) rather than with a plotting
//! crate: three polylines, markers and axes need no dependency, a dependency needs a
//! better reason than that, and plain SVG opens in any browser.

use std::fmt::Write as _;

use ndcalc::prelude::*;

/// A named exact curve and its colour.
type Curve = (&'static str, fn(f64) -> f64, &'static str);

fn f(x: f64) -> f64 {
    (3. * x).sin() + 0.5 * x
}
fn d1(x: f64) -> f64 {
    3. * (3. * x).cos() + 0.5
}
fn d2(x: f64) -> f64 {
    -9. * (3. * x).sin()
}

/// `n` points on `[0, 2]`, steps growing by a factor of 1.3 left to right.
fn grid(n: usize) -> Array<f64> {
    Array::from_shape_fn([n], |i| {
        let t = i[0] as f64 / (n - 1) as f64;
        2.0 * (t + 0.15 * t * t) / 1.15
    })
}

fn max_err(d: &Array<f64>, x: &Array<f64>, exact: fn(f64) -> f64) -> f64 {
    d.iter()
        .zip(x.iter())
        .map(|(d, &x)| (d - exact(x)).abs())
        .fold(0.0, f64::max)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/accuracy.svg".into());
    let ns = [20usize, 40, 80, 160];
    println!("max |error| of f' for f = sin(3x) + x/2 on a non-uniform grid of [0, 2]");
    println!(
        "{:>5} {:>14} {:>14} {:>14} {:>14}",
        "n", "numpy default", "accuracy 2", "accuracy 4", "accuracy 6"
    );
    let mut prev: Option<[f64; 4]> = None;
    for &n in &ns {
        let x = grid(n);
        let fx = x.map(|&x| f(x));
        let numpy = fx.gradient().spacing(&x).axis(0).compute()?;
        let mut e = [max_err(&numpy, &x, d1), 0., 0., 0.];
        for (j, k) in [2, 4, 6].into_iter().enumerate() {
            let g = fx.gradient().spacing(&x).accuracy(k).axis(0).compute()?;
            e[j + 1] = max_err(&g, &x, d1);
        }
        print!("{n:>5}");
        for v in e {
            print!(" {v:>14.3e}");
        }
        println!();
        if let Some(p) = prev {
            print!("{:>5}", "order");
            for j in 0..4 {
                print!(" {:>14.2}", (p[j] / e[j]).log2());
            }
            println!();
        }
        prev = Some(e);
    }
    println!("\nsecond derivative, derivative(2).accuracy(k):");
    for &n in &ns {
        let x = grid(n);
        let fx = x.map(|&x| f(x));
        print!("{n:>5}");
        for k in [2, 4, 6] {
            let d = fx.derivative(2).spacing(&x).accuracy(k).compute()?;
            print!(" {:>14.3e}", max_err(&d, &x, d2));
        }
        println!();
    }

    // The plot: f, f', f'' as curves, computed samples (n = 14) as markers.
    let n = 14;
    let x = grid(n);
    let fx = x.map(|&x| f(x));
    let g2 = fx.gradient().spacing(&x).edge_order(2).axis(0).compute()?;
    let g6 = fx.gradient().spacing(&x).accuracy(6).axis(0).compute()?;
    let s2 = fx.derivative(2).spacing(&x).accuracy(6).compute()?;
    let (w, h, m) = (860.0, 560.0, 50.0);
    let (ylo, yhi) = (-10.0, 10.0);
    let px = |x: f64| m + x / 2.0 * (w - 2.0 * m);
    let py = |y: f64| h - m - (y - ylo) / (yhi - ylo) * (h - 2.0 * m);
    let mut svg = String::new();
    writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="13">"#
    )?;
    writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#)?;
    writeln!(
        svg,
        r##"<text x="{}" y="24" text-anchor="middle" font-size="16">f = sin(3x) + x/2 and its derivatives on a {n}-point non-uniform grid</text>"##,
        w / 2.0
    )?;
    for yv in [-10.0, -5.0, 0.0, 5.0, 10.0] {
        let y = py(yv);
        writeln!(
            svg,
            r##"<line x1="{m}" y1="{y}" x2="{}" y2="{y}" stroke="#ddd"/><text x="{}" y="{}" text-anchor="end">{yv}</text>"##,
            w - m,
            m - 6.0,
            y + 4.0
        )?;
    }
    for xv in [0.0, 0.5, 1.0, 1.5, 2.0] {
        let xp = px(xv);
        writeln!(
            svg,
            r##"<line x1="{xp}" y1="{m}" x2="{xp}" y2="{}" stroke="#ddd"/><text x="{xp}" y="{}" text-anchor="middle">{xv}</text>"##,
            h - m,
            h - m + 18.0
        )?;
    }
    let curves: [Curve; 3] = [
        ("f", f, "#1f77b4"),
        ("f'", d1, "#d62728"),
        ("f''", d2, "#2ca02c"),
    ];
    for (i, (name, func, color)) in curves.iter().enumerate() {
        let pts: Vec<String> = (0..=400)
            .map(|j| {
                let xv = 2.0 * j as f64 / 400.0;
                format!("{:.2},{:.2}", px(xv), py(func(xv)))
            })
            .collect();
        writeln!(
            svg,
            r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"#,
            pts.join(" ")
        )?;
        let ly = m + 10.0 + 20.0 * i as f64;
        writeln!(
            svg,
            r#"<line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="2"/><text x="{}" y="{}">{name} exact</text>"#,
            w - m - 190.0,
            w - m - 160.0,
            w - m - 152.0,
            ly + 4.0
        )?;
    }
    let marks: [(&Array<f64>, &str, &str, &str); 4] = [
        (&fx, "#1f77b4", "circle", "samples of f"),
        (
            &g2,
            "#d62728",
            "square",
            "f' numpy (accuracy 2, edge_order 2)",
        ),
        (&g6, "#d62728", "circle", "f' accuracy 6"),
        (&s2, "#2ca02c", "circle", "f'' derivative(2) accuracy 6"),
    ];
    for (i, (vals, color, shape, label)) in marks.iter().enumerate() {
        for (&xv, &yv) in x.iter().zip(vals.iter()) {
            let (cx, cy) = (px(xv), py(yv));
            if *shape == "circle" {
                writeln!(
                    svg,
                    r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="4" fill="none" stroke="{color}" stroke-width="1.5"/>"#
                )?;
            } else {
                writeln!(
                    svg,
                    r#"<rect x="{:.2}" y="{:.2}" width="8" height="8" fill="{color}" opacity="0.5"/>"#,
                    cx - 4.0,
                    cy - 4.0
                )?;
            }
        }
        let ly = h - m - 70.0 + 18.0 * i as f64;
        writeln!(
            svg,
            r#"<circle cx="{}" cy="{ly}" r="4" fill="{}" stroke="{color}"/><text x="{}" y="{}">{label}</text>"#,
            m + 15.0,
            if *shape == "circle" { "none" } else { color },
            m + 25.0,
            ly + 4.0
        )?;
    }
    writeln!(svg, "</svg>")?;
    if let Some(dir) = std::path::Path::new(&path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, svg)?;
    println!("\nwrote {path}");
    Ok(())
}
