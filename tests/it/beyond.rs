//! Beyond numpy: higher accuracy, periodic boundaries, second derivatives and
//! vector operators. The order of accuracy is proved by convergence: on smooth data at
//! several resolutions the maximum error (ends included) shrinks like `h^k`, the fitted
//! log-log slope within 0.2 of `k`. Run with `--nocapture` to see the slopes.

use std::f64::consts::{FRAC_PI_4, PI, TAU};

use ndcalc::prelude::*;
use ndcalc::{Boundary, CalcError};
use quickcheck::{quickcheck, TestResult};

/// The least-squares slope of `log(err)` against `log(h)`.
fn slope(hs: &[f64], errs: &[f64]) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) = hs.iter().zip(errs).map(|(h, e)| (h.ln(), e.ln())).unzip();
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    sxy / sxx
}

fn max_abs(a: impl IntoIterator<Item = f64>) -> f64 {
    a.into_iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// A smooth test function with its first and second derivatives. The sine runs over one
/// whole period on `[0, 2]` with a phase where neither it nor its cosine vanishes at the
/// ends, so no error term is accidentally zero at an end (which would make the coarse
/// grids look better than the order).
#[derive(Clone, Copy)]
struct Smooth {
    name: &'static str,
    f: fn(f64) -> f64,
    d1: fn(f64) -> f64,
    d2: fn(f64) -> f64,
}

const SIN: Smooth = Smooth {
    name: "sin(pi x + pi/4)",
    f: |x| (PI * x + FRAC_PI_4).sin(),
    d1: |x| PI * (PI * x + FRAC_PI_4).cos(),
    d2: |x| -PI * PI * (PI * x + FRAC_PI_4).sin(),
};
/// As steep as the sine (derivatives grow like `3^k`), so truncation error stays well
/// above rounding on the grids used.
const EXP: Smooth = Smooth {
    name: "exp(3x-3)",
    f: |x| (3. * x - 3.).exp(),
    d1: |x| 3. * (3. * x - 3.).exp(),
    d2: |x| 9. * (3. * x - 3.).exp(),
};

/// `n` points on `[0, 2]`: uniform, or mapped smoothly so the steps grow by a factor 1.3
/// from left to right.
fn grid(n: usize, uniform: bool) -> Array<f64> {
    Array::from_shape_fn([n], |i| {
        let t = i[0] as f64 / (n - 1) as f64;
        if uniform {
            2.0 * t
        } else {
            2.0 * (t + 0.15 * t * t) / 1.15
        }
    })
}

/// Resolutions per derivative order and accuracy: fine enough to be asymptotic, coarse
/// enough that rounding (about `1e-16 / h^order` times the sum of the weights, ~320 for
/// the 9-point second derivative ends) stays far below the truncation error.
fn resolutions(order: usize, k: usize) -> &'static [usize] {
    match (order, k) {
        (1, 6) => &[96, 128, 192, 256],
        (2, 4) => &[80, 160, 320, 480],
        (2, 6) => &[48, 64, 80, 96, 128],
        _ => &[40, 80, 160, 320, 640],
    }
}

/// Maximum error of the `order`-th derivative over all points, per resolution.
fn errors(func: Smooth, order: usize, k: usize, uniform: bool) -> (Vec<f64>, Vec<f64>) {
    let mut hs = vec![];
    let mut es = vec![];
    for &n in resolutions(order, k) {
        let x = grid(n, uniform);
        let f = x.map(|&x| (func.f)(x));
        let (d, exact): (Array<f64>, fn(f64) -> f64) = if order == 1 {
            let g = if uniform {
                f.gradient().spacing(2.0 / (n - 1) as f64)
            } else {
                f.gradient().spacing(&x)
            };
            (g.accuracy(k).axis(0).compute().unwrap(), func.d1)
        } else {
            let d = f.derivative(2).accuracy(k);
            let d = if uniform {
                d.spacing(2.0 / (n - 1) as f64)
            } else {
                d.spacing(&x)
            };
            (d.compute().unwrap(), func.d2)
        };
        hs.push(2.0 / (n - 1) as f64);
        es.push(max_abs(d.iter().zip(x.iter()).map(|(d, &x)| d - exact(x))));
    }
    (hs, es)
}

fn assert_order(what: &str, k: usize, hs: &[f64], es: &[f64]) {
    assert_order_within(what, k, hs, es, 0.2)
}

fn assert_order_within(what: &str, k: usize, hs: &[f64], es: &[f64], tol: f64) {
    let s = slope(hs, es);
    eprintln!("{what}: slope {s:.3} (k = {k}), errors {es:?}");
    assert!(
        (s - k as f64).abs() <= tol,
        "{what}: slope {s} for accuracy {k}, errors {es:?}"
    );
}

#[test]
fn gradient_converges_at_the_claimed_order() {
    for func in [SIN, EXP] {
        for k in [2, 4, 6] {
            for uniform in [true, false] {
                let (hs, es) = errors(func, 1, k, uniform);
                let grid = if uniform { "uniform" } else { "coordinates" };
                assert_order(
                    &format!("gradient {} acc {k} {grid}", func.name),
                    k,
                    &hs,
                    &es,
                );
            }
        }
    }
}

#[test]
fn second_derivative_converges_at_the_claimed_order() {
    for func in [SIN, EXP] {
        for k in [2, 4, 6] {
            for uniform in [true, false] {
                let (hs, es) = errors(func, 2, k, uniform);
                let grid = if uniform {
                    "uniform"
                } else {
                    "smooth coordinates"
                };
                let what = format!("derivative(2) {} acc {k} {grid}", func.name);
                assert_order(&what, k, &hs, &es);
            }
        }
    }
}

/// `n` points on `[0, 2]` whose steps alternate between two lengths (ratio 1.5): a grid
/// that is not smooth, where `m` points give a second derivative of order `m - 2` only.
fn rough_grid(n: usize) -> Array<f64> {
    let steps = (n - 1) as f64 * 1.25 - if n.is_multiple_of(2) { 0.25 } else { 0.0 };
    Array::from_shape_fn([n], |i| {
        let i = i[0];
        let at = (i / 2) as f64 * 2.5 + if i % 2 == 1 { 1.0 } else { 0.0 };
        2.0 * at / steps
    })
}

#[test]
fn second_derivative_on_a_rough_grid_converges_at_the_claimed_order() {
    // The symmetric `k + 1` points would give order k - 1 here (slopes 1.0 and 3.2 at
    // accuracy 2 and 4); the interior takes `k + 2` points on coordinates.
    for func in [SIN, EXP] {
        for k in [2, 4, 6] {
            let (mut hs, mut es) = (vec![], vec![]);
            for &n in resolutions(2, k) {
                let x = rough_grid(n);
                let f = x.map(|&x| (func.f)(x));
                let d = f.derivative(2).spacing(&x).accuracy(k).compute().unwrap();
                hs.push(2.0 / (n - 1) as f64);
                es.push(max_abs(
                    d.iter().zip(x.iter()).map(|(d, &x)| d - (func.d2)(x)),
                ));
            }
            let what = format!("derivative(2) {} acc {k} rough coordinates", func.name);
            assert_order(&what, k, &hs, &es);
        }
    }
    // The same with a periodic boundary (every point interior).
    let func = |x: f64| (x + 0.4).sin() + 0.5 * (2. * x).cos();
    let d2 = |x: f64| -(x + 0.4).sin() - 2. * (2. * x).cos();
    for k in [2, 4, 6] {
        let (mut hs, mut es) = (vec![], vec![]);
        for &n in &[24usize, 32, 48, 64, 96] {
            let x = rough_grid(n + 1).map(|&x| x * PI);
            let x = x.slice(s![..n]).unwrap().to_owned();
            let f = x.map(|&x| func(x));
            let d = f
                .derivative(2)
                .spacing(Spacing::periodic_coords(&x, TAU))
                .accuracy(k)
                .boundary(Boundary::Periodic)
                .compute()
                .unwrap();
            hs.push(TAU / n as f64);
            es.push(max_abs(d.iter().zip(x.iter()).map(|(d, &x)| d - d2(x))));
        }
        assert_order(
            &format!("periodic derivative(2) acc {k} rough"),
            k,
            &hs,
            &es,
        );
    }
}

#[test]
fn laplacian_converges_at_the_claimed_order() {
    // f = sin(2x) exp(y/2) on [0,2]^2: Δf = (-4 + 1/4) f.
    for k in [2, 4, 6] {
        for uniform in [true, false] {
            let (mut hs, mut es) = (vec![], vec![]);
            let ns: &[usize] = if k == 6 {
                &[32, 48, 64, 96]
            } else {
                &[40, 80, 160, 320]
            };
            for &n in ns {
                let x = grid(n, uniform);
                let y = grid(n + 3, uniform);
                let f = Array::from_shape_fn([n, n + 3], |i| {
                    (2. * x[[i[0]]]).sin() * (0.5 * y[[i[1]]]).exp()
                });
                let l = if uniform {
                    f.laplacian()
                        .spacings([2.0 / (n - 1) as f64, 2.0 / (n + 2) as f64])
                } else {
                    f.laplacian().spacings([&x, &y])
                };
                let l = l.accuracy(k).compute().unwrap();
                hs.push(2.0 / (n - 1) as f64);
                es.push(max_abs(l.iter().zip(f.iter()).map(|(l, f)| l + 3.75 * f)));
            }
            let grid = if uniform { "uniform" } else { "coordinates" };
            assert_order(&format!("laplacian acc {k} {grid}"), k, &hs, &es);
        }
    }
}

/// `n` samples of one period `[0, 2 pi)`: uniform or smoothly uneven (a periodic map).
fn periodic_grid(n: usize, uniform: bool) -> Array<f64> {
    Array::from_shape_fn([n], |i| {
        let t = TAU * i[0] as f64 / n as f64;
        if uniform {
            t
        } else {
            t - 0.3 * t.sin()
        }
    })
}

#[test]
fn periodic_gradient_has_no_edge_error() {
    let func = |x: f64| (x + 0.4).sin() + 0.5 * (2. * x).cos();
    let d1 = |x: f64| (x + 0.4).cos() - (2. * x).sin();
    for k in [2, 4, 6] {
        for uniform in [true, false] {
            let (mut hs, mut es) = (vec![], vec![]);
            for &n in &[24usize, 32, 48, 64, 96] {
                let x = periodic_grid(n, uniform);
                let f = x.map(|&x| func(x));
                let s = if uniform {
                    Spacing::from(TAU / n as f64)
                } else {
                    Spacing::periodic_coords(&x, TAU)
                };
                let g = f
                    .gradient()
                    .spacing(s)
                    .accuracy(k)
                    .boundary(Boundary::Periodic);
                let g = g.axis(0).compute().unwrap();
                let err: Vec<f64> = g
                    .iter()
                    .zip(x.iter())
                    .map(|(g, &x)| (g - d1(x)).abs())
                    .collect();
                let h = k / 2;
                let ends = max_abs(err[..h].iter().chain(&err[n - h..]).copied());
                let inner = max_abs(err[h..n - h].iter().copied());
                // Every point is an interior point: the ends are no worse than the rest (a
                // one-sided end would be many times worse).
                assert!(
                    ends <= 1.1 * inner,
                    "acc {k} n {n}: end error {ends} > interior {inner}"
                );
                // Rolling the samples rolls the result: nothing marks the ends.
                let r = 5;
                let rolled = Array::from_shape_fn([n], |i| f[[(i[0] + r) % n]]);
                let rs = if uniform {
                    Spacing::from(TAU / n as f64)
                } else {
                    let xr = Array::from_shape_fn([n], |i| {
                        let j = i[0] + r;
                        if j < n {
                            x[[j]]
                        } else {
                            x[[j - n]] + TAU
                        }
                    });
                    Spacing::periodic_coords(&xr, TAU)
                };
                let gr = rolled
                    .gradient()
                    .spacing(rs)
                    .accuracy(k)
                    .boundary(Boundary::Periodic);
                let gr = gr.axis(0).compute().unwrap();
                for i in 0..n {
                    let (a, b) = (gr[[i]], g[[(i + r) % n]]);
                    if uniform {
                        assert_eq!(a.to_bits(), b.to_bits(), "acc {k} n {n} point {i}");
                    } else {
                        assert!((a - b).abs() < 1e-11, "acc {k} n {n} point {i}: {a} {b}");
                    }
                }
                // The numpy boundary at the same accuracy is worse at the ends.
                if uniform {
                    let ng = f.gradient().spacing(TAU / n as f64).accuracy(k);
                    let ng = ng.axis(0).compute().unwrap();
                    let nerr = max_abs(ng.iter().zip(x.iter()).map(|(g, &x)| g - d1(x)));
                    assert!(
                        nerr >= inner,
                        "acc {k} n {n}: one-sided ends {nerr} <= periodic {inner}"
                    );
                }
                hs.push(TAU / n as f64);
                es.push(inner);
            }
            let grid = if uniform { "uniform" } else { "coordinates" };
            assert_order(&format!("periodic gradient acc {k} {grid}"), k, &hs, &es);
        }
    }
}

#[test]
fn periodic_second_derivative_and_laplacian() {
    for k in [2, 4, 6] {
        let (mut hs, mut es) = (vec![], vec![]);
        for &n in &[24usize, 32, 48, 64] {
            let x = periodic_grid(n, true);
            let f = Array::from_shape_fn([n, n], |i| (x[[i[0]]] + 0.4).sin() * x[[i[1]]].cos());
            let h = TAU / n as f64;
            let l = f
                .laplacian()
                .spacing(h)
                .accuracy(k)
                .boundary(Boundary::Periodic);
            let l = l.compute().unwrap();
            hs.push(h);
            es.push(max_abs(l.iter().zip(f.iter()).map(|(l, f)| l + 2. * f)));
            let d = f
                .derivative(2)
                .axis(1)
                .spacing(Spacing::periodic_coords(&x, TAU));
            let d = d
                .accuracy(k)
                .boundary(Boundary::Periodic)
                .compute()
                .unwrap();
            let e2 = max_abs(d.iter().zip(f.iter()).map(|(d, f)| d + f));
            assert!(e2 < 2. * h.powi(k as i32), "acc {k}: {e2}");
        }
        assert_order(&format!("periodic laplacian acc {k}"), k, &hs, &es);
    }
}

/// `p(x) = Σ c[j] x^j` and its first two derivatives.
fn poly(c: &[f64], x: f64) -> [f64; 3] {
    let mut v = [0.0; 3];
    for (j, &cj) in c.iter().enumerate() {
        let j = j as i32;
        v[0] += cj * x.powi(j);
        if j >= 1 {
            v[1] += cj * j as f64 * x.powi(j - 1);
        }
        if j >= 2 {
            v[2] += cj * (j * (j - 1)) as f64 * x.powi(j - 2);
        }
    }
    v
}

/// Whether the first and second derivative at accuracy `k` are exact (to rounding) for a
/// polynomial of degree `k` on the coordinates `x`.
fn exact_on_poly(c: &[f64], x: &Array<f64>, k: usize) -> bool {
    let f = x.map(|&x| poly(c, x)[0]);
    let g = f
        .gradient()
        .spacing(x)
        .accuracy(k)
        .axis(0)
        .compute()
        .unwrap();
    let d2 = f.derivative(2).spacing(x).accuracy(k).compute().unwrap();
    let scale = 1.0 + max_abs(c.iter().copied()) * 1e3;
    let ok = |d: &Array<f64>, o: usize| {
        d.iter().zip(x.iter()).all(|(d, &x)| {
            let want = poly(c, x)[o];
            (d - want).abs() <= 1e-7 * scale * (1.0 + want.abs())
        })
    };
    ok(&g, 1) && ok(&d2, 2)
}

/// The other half of "order k": on `(x/2)^(k+order)`, whose `(k+order)`-th derivative is
/// constant, the truncation error is its leading term alone, so the maximum error scales
/// like `h^k` exactly, with no pre-asymptotic range, for both derivatives at every
/// accuracy, uniform or on smooth coordinates: the order is `k`, not more.
#[test]
fn leading_error_term_is_h_to_the_k() {
    for order in [1, 2] {
        for k in [2, 4, 6] {
            for uniform in [true, false] {
                let (mut hs, mut es) = (vec![], vec![]);
                for n in [24, 32, 48, 64, 96] {
                    let x = grid(n, uniform);
                    let m = (k + order) as i32;
                    let f = x.map(|&x| (x / 2.).powi(m));
                    let (d, exact): (Array<f64>, Box<dyn Fn(f64) -> f64>) = if order == 1 {
                        let g = f.gradient().spacing(&x).accuracy(k);
                        let exact = move |x: f64| m as f64 / 2. * (x / 2.).powi(m - 1);
                        (g.axis(0).compute().unwrap(), Box::new(exact))
                    } else {
                        let d = f.derivative(2).spacing(&x).accuracy(k);
                        let c = (m * (m - 1)) as f64 / 4.;
                        (
                            d.compute().unwrap(),
                            Box::new(move |x: f64| c * (x / 2.).powi(m - 2)),
                        )
                    };
                    hs.push(2.0 / (n - 1) as f64);
                    es.push(max_abs(d.iter().zip(x.iter()).map(|(d, &x)| d - exact(x))));
                }
                let grid = if uniform {
                    "uniform"
                } else {
                    "smooth coordinates"
                };
                let what = format!("derivative({order}) of x^{} acc {k} {grid}", k + order);
                assert_order_within(&what, k, &hs, &es, 0.1);
            }
        }
    }
}

#[test]
fn exact_on_polynomials_of_degree_k() {
    for k in [2, 4, 6] {
        let c: Vec<f64> = (0..=k).map(|j| 1.0 - 0.3 * j as f64).collect();
        for x in [grid(12, true), grid(12, false)] {
            assert!(exact_on_poly(&c, &x, k), "accuracy {k}");
        }
        // Uniform spacing given as a scalar.
        let x = grid(11, true);
        let f = x.map(|&x| poly(&c, x)[0]);
        let g = f
            .gradient()
            .spacing(0.2)
            .accuracy(k)
            .axis(0)
            .compute()
            .unwrap();
        assert!(g
            .iter()
            .zip(x.iter())
            .all(|(g, &x)| (g - poly(&c, x)[1]).abs() < 1e-9));
    }
}

quickcheck! {
    /// Random polynomials of degree k on random increasing coordinates.
    fn prop_exact_on_random_polynomials(seed: Vec<u8>, acc: u8) -> TestResult {
        let k = [2, 4, 6][acc as usize % 3];
        if seed.len() < k + 10 {
            return TestResult::discard();
        }
        let c: Vec<f64> = seed[..=k].iter().map(|&b| (b as f64 - 128.0) / 64.0).collect();
        let mut t = 0.0;
        let x: Vec<f64> = seed[k + 1..].iter().map(|&b| { t += 0.05 + b as f64 / 256.0; t }).collect();
        let x = Array::from_vec(x);
        TestResult::from_bool(exact_on_poly(&c, &x, k))
    }

    /// Lane order and plane order give identical results, every option.
    fn prop_lane_and_plane_order_agree(vals: Vec<i16>, acc: u8, order: bool, periodic: bool, coords: bool) -> TestResult {
        let (r, c) = (9, 40);
        if vals.len() < 10 {
            return TestResult::discard();
        }
        let k = [2, 4, 6][acc as usize % 3];
        let a = Array::from_shape_fn([r, c], |i| vals[(i[0] * c + i[1]) % vals.len()] as f64 / 7.0);
        let at = a.t().to_owned();                     // same data, axis 0 now fastest
        let x = Array::from_shape_fn([r], |i| (i[0] as f64 + 1.0).powf(1.3));
        let s = match (coords, periodic) {
            (false, _) => Spacing::from(0.7),
            (true, false) => Spacing::from(&x),
            (true, true) => Spacing::periodic_coords(&x, 25.0),
        };
        let b = if periodic { Boundary::Periodic } else { Boundary::Numpy };
        let d = if order { 2 } else { 1 };
        let plane = a.derivative(d).axis(0).spacing(s.clone()).accuracy(k).boundary(b).compute().unwrap();
        let lane = at.t().derivative(d).axis(0).spacing(s.clone()).accuracy(k).boundary(b).compute().unwrap();
        let strided = a.slice(s![.., ..;-1]).unwrap().derivative(d).axis(0).spacing(s).accuracy(k).boundary(b).compute().unwrap();
        let same = |p: &Array<f64>, q: &Array<f64>| p.iter().zip(q.iter()).all(|(p, q)| p.to_bits() == q.to_bits());
        TestResult::from_bool(same(&plane, &lane) && same(&plane.slice(s![.., ..;-1]).unwrap().to_owned(), &strided))
    }
}

#[test]
fn accuracy_2_first_derivative_is_numpy_edge_order_2() {
    let x = grid(30, false);
    let f = x.map(|&x| (3. * x).sin() * x.exp());
    for s in [Spacing::from(&x), Spacing::from(0.3)] {
        let numpy = f
            .gradient()
            .spacing(s.clone())
            .edge_order(2)
            .axis(0)
            .compute()
            .unwrap();
        let d1 = f.derivative(1).spacing(s).compute().unwrap();
        assert_eq!(numpy, d1);
    }
    // Both take numpy's weights from one place in numpy's type for them: f32
    // coordinates weigh in f32, with f64 and with f32 data (f32 data with f64
    // coordinates, which numpy's gradient computes in f64, is the one difference).
    let x32 = x.map(|&x| (x * 100.0 + 1000.0) as f32);
    let f32d = f.map(|&v| v as f32);
    let u32 = Array::from_shape_fn([30], |i| 1000.0 + 0.375 * i[0] as f32);
    for s in [Spacing::from(&x32), Spacing::from(&u32)] {
        let g = f
            .gradient()
            .spacing(s.clone())
            .accuracy(2)
            .axis(0)
            .compute()
            .unwrap();
        assert_eq!(g, f.derivative(1).spacing(s.clone()).compute().unwrap());
        let g = f32d
            .gradient()
            .spacing(s.clone())
            .accuracy(2)
            .axis(0)
            .compute()
            .unwrap();
        assert_eq!(g, f32d.derivative(1).spacing(s).compute().unwrap());
    }
    // The periodic interior is numpy's interior, bit for bit.
    let g = f
        .gradient()
        .spacing(0.3)
        .boundary(Boundary::Periodic)
        .axis(0)
        .compute()
        .unwrap();
    let numpy = f.gradient().spacing(0.3).axis(0).compute().unwrap();
    assert_eq!(g.slice(s![1..29]).unwrap(), numpy.slice(s![1..29]).unwrap());
    assert_eq!(g[[0]], (f[[1]] - f[[29]]) / 0.6);
}

/// `f(a, b, c)` elementwise over three arrays of one shape.
fn zip3(
    a: &Array<f64>,
    b: &Array<f64>,
    c: &Array<f64>,
    f: impl Fn(f64, f64, f64) -> f64,
) -> Array<f64> {
    let v: Vec<f64> = a
        .iter()
        .zip(b.iter())
        .zip(c.iter())
        .map(|((a, b), c)| f(*a, *b, *c))
        .collect();
    Array::from_shape_vec(a.shape(), v).unwrap()
}

#[test]
fn vector_operators_are_sums_of_derivatives() {
    let (n0, n1, n2) = (7, 9, 40);
    let x = grid(n0, false);
    let sp = [Spacing::from(&x), Spacing::from(0.25), Spacing::from(0.5)];
    let comp = |p: f64| {
        Array::from_shape_fn([n0, n1, n2], move |i| {
            (p * i[0] as f64 + 0.3 * i[1] as f64).sin() + (0.1 * i[2] as f64 * p).cos()
        })
    };
    let (f0, f1, f2) = (comp(1.0), comp(2.0), comp(3.0));
    let d = |f: &Array<f64>, a: usize| {
        f.derivative(1)
            .axis(a as isize)
            .spacing(sp[a].clone())
            .compute()
            .unwrap()
    };
    // Divergence at accuracy 2: the sum of numpy's edge_order=2 gradients, bit for bit.
    let div = divergence(&[&f0, &f1, &f2])
        .spacings(sp.clone())
        .compute()
        .unwrap();
    let numpy_sum = {
        let g = |f: &Array<f64>, a: isize| {
            f.gradient()
                .spacing(sp[a as usize].clone())
                .edge_order(2)
                .axis(a)
                .compute()
                .unwrap()
        };
        let (a, b, c) = (g(&f0, 0), g(&f1, 1), g(&f2, 2));
        zip3(&a, &b, &c, |a, b, c| a + b + c)
    };
    assert_eq!(div, numpy_sum);
    // Curl in 3-D: each component one derivative minus another.
    let c = curl(&[&f0, &f1, &f2])
        .spacings(sp.clone())
        .compute()
        .unwrap();
    let terms = [(&f2, 1, &f1, 2), (&f0, 2, &f2, 0), (&f1, 0, &f0, 1)];
    for (r, (p, ap, m, am)) in terms.into_iter().enumerate() {
        let (dp, dm) = (d(p, ap), d(m, am));
        assert_eq!(c[r], zip3(&dp, &dm, &dm, |p, m, _| p - m), "component {r}");
    }
    // Laplacian: the sum of second derivatives.
    let l = f0
        .laplacian()
        .spacings(sp.clone())
        .accuracy(4)
        .compute()
        .unwrap();
    let d2 = |a: usize| {
        f0.derivative(2)
            .axis(a as isize)
            .spacing(sp[a].clone())
            .accuracy(4)
            .compute()
            .unwrap()
    };
    let (a, b, cc) = (d2(0), d2(1), d2(2));
    assert_eq!(l, zip3(&a, &b, &cc, |a, b, c| a + b + c));
    // Into caller memory, any layout (here a transposed view).
    let mut out = Array::<f64>::zeros([n2, n1, n0]);
    let mut v = out.permuted_axes_mut(&[2, 1, 0]).unwrap();
    f0.laplacian()
        .spacings(sp.clone())
        .accuracy(4)
        .compute_into(&mut v)
        .unwrap();
    assert_eq!(v.to_owned(), l);
}

#[test]
fn curl_2d_and_divergence_converge() {
    // f = (sin x0 cos x1, -cos x0 sin x1): div = -2 cos x0 cos x1 ... curl = 2 sin x0 sin x1.
    for k in [2, 4] {
        let (mut hs, mut ed, mut ec) = (vec![], vec![], vec![]);
        for &n in &[20usize, 40, 80] {
            let x = grid(n, true);
            let h = 2.0 / (n - 1) as f64;
            let f0 = Array::from_shape_fn([n, n], |i| x[[i[0]]].sin() * x[[i[1]]].cos());
            let f1 = Array::from_shape_fn([n, n], |i| -x[[i[0]]].cos() * x[[i[1]]].sin());
            let div = divergence(&[&f0, &f1])
                .spacing(h)
                .accuracy(k)
                .compute()
                .unwrap();
            let cu = curl(&[&f0, &f1]).spacing(h).accuracy(k).compute().unwrap();
            let exact = |i: &[usize]| 2.0 * x[[i[0]]].sin() * x[[i[1]]].sin();
            ed.push(max_abs(div.iter().copied()));
            let ex = Array::from_shape_fn([n, n], exact);
            ec.push(max_abs(cu[0].iter().zip(ex.iter()).map(|(a, b)| a - b)));
            hs.push(h);
        }
        // div f = cos x0 cos x1 - cos x0 cos x1 = 0 exactly: errors are pure truncation.
        assert_order(&format!("divergence acc {k}"), k, &hs, &ed);
        assert_order(&format!("curl 2-D acc {k}"), k, &hs, &ec);
    }
}

#[test]
fn every_new_error() {
    let f = array![1., 2., 3., 4., 5.];
    let m = Array::<f64>::zeros([5, 5]);
    let x = array![0., 1., 2., 3., 4.];
    let e = f.gradient().accuracy(3).axis(0).compute().unwrap_err();
    assert_eq!(e, CalcError::Accuracy { accuracy: 3 });
    assert_eq!(e.to_string(), "accuracy must be 2, 4 or 6, got 3");
    let e = f.derivative(3).compute().unwrap_err();
    assert_eq!(e, CalcError::DerivativeOrder { order: 3 });
    assert_eq!(e.to_string(), "the derivative order must be 1 or 2, got 3");
    assert!(matches!(
        f.laplacian().accuracy(5).compute(),
        Err(CalcError::Accuracy { accuracy: 5 })
    ));
    let e = f.gradient().accuracy(6).axis(0).compute().unwrap_err();
    assert_eq!(
        e.to_string(),
        "axis 0 has 5 points, but the first derivative at accuracy 6 \
         (8-point one-sided stencils at the ends) needs at least 8"
    );
    let e = f.derivative(2).accuracy(4).compute().unwrap_err();
    assert!(
        matches!(e, CalcError::TooFewPoints { needed: 7, .. }),
        "{e}"
    );
    // The second derivative on uneven periodic coordinates takes `accuracy + 2` points.
    let e = f
        .derivative(2)
        .spacing(Spacing::periodic_coords(&array![0., 1., 3., 4., 6.], 8.0))
        .boundary(Boundary::Periodic)
        .accuracy(4)
        .compute()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "axis 0 has 5 points, but the second derivative at accuracy 4 with a periodic \
         boundary on non-uniform coordinates (6-point stencils) needs at least 6"
    );
    let e = f
        .derivative(2)
        .spacing(Spacing::periodic_coords(&x, 5.0))
        .boundary(Boundary::Periodic)
        .accuracy(4)
        .compute()
        .unwrap();
    assert_eq!(e.len(), 5);
    let e = m
        .gradient()
        .boundary(Boundary::Periodic)
        .accuracy(6)
        .axis(1)
        .compute()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "axis 1 has 5 points, but the first derivative at accuracy 6 with a periodic \
         boundary (7-point stencils) needs at least 7"
    );
    let e = f
        .gradient()
        .spacing(&x)
        .boundary(Boundary::Periodic)
        .axis(0)
        .compute()
        .unwrap_err();
    assert_eq!(e, CalcError::PeriodMissing { axis: 0 });
    assert!(e.to_string().contains("Spacing::periodic_coords"));
    for bad in [4.0, -5.0, f64::INFINITY, f64::NAN] {
        let e = f
            .gradient()
            .spacing(Spacing::periodic_coords(&x, bad))
            .boundary(Boundary::Periodic)
            .axis(0)
            .compute()
            .unwrap_err();
        assert!(matches!(e, CalcError::Period { axis: 0, .. }), "{bad}: {e}");
    }
    let e = f
        .gradient()
        .spacing(Spacing::periodic_coords(&x, 4.0))
        .boundary(Boundary::Periodic)
        .axis(0)
        .compute()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the period 4 of axis 0 must be finite and reach past the last coordinate, which is 4 from the first"
    );
    let e = m.derivative(2).compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::AxisRequired {
            op: "derivative",
            ndim: 2
        }
    );
    let e = divergence(&[&m]).compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::Components {
            op: "divergence",
            found: 1,
            ndim: 2
        }
    );
    assert_eq!(
        e.to_string(),
        "divergence of 1 components of 2-D arrays: give one component per axis"
    );
    let e = curl(&[&f, &f]).compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::Components {
            op: "curl",
            found: 2,
            ndim: 1
        }
    );
    let n = Array::<f64>::zeros([5, 6]);
    let e = curl(&[&m, &n]).compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::ComponentShape {
            index: 1,
            expected: vec![5, 5],
            found: vec![5, 6]
        }
    );
    assert_eq!(
        e.to_string(),
        "component 1 has shape [5, 6], but component 0 has shape [5, 5]"
    );
    let mut outs = vec![Array::<f64>::zeros([5, 5]); 3];
    let e = curl(&[&m, &m]).compute_into(&mut outs).unwrap_err();
    assert_eq!(
        e,
        CalcError::OutputCount {
            op: "curl",
            expected: 1,
            found: 3
        }
    );
    assert_eq!(
        e.to_string(),
        "curl has 1 results, but 3 outputs were given"
    );
    let e = m
        .laplacian()
        .spacings([1.0, 2.0, 3.0])
        .compute()
        .unwrap_err();
    assert_eq!(e, CalcError::SpacingCount { given: 3, axes: 2 });
    let mut wrong = Array::<f64>::zeros([4]);
    assert!(matches!(
        f.derivative(2).compute_into(&mut wrong),
        Err(CalcError::Array(
            ndcalc::ndcore::Error::ShapeMismatch { .. }
        ))
    ));
}

#[test]
fn f32_and_integers() {
    let f = Array::from_shape_fn([16], |i| (i[0] as f32 * 0.3).sin());
    let g: Array<f32> = f
        .gradient()
        .spacing(0.3)
        .accuracy(4)
        .axis(0)
        .compute()
        .unwrap();
    assert!((g[[8]] - (2.4f32).cos()).abs() < 1e-3);
    let u = Array::from_shape_fn([8], |i| (i[0] * i[0]) as u8);
    let d: Array<f64> = u.derivative(2).compute().unwrap();
    assert!(d.iter().all(|&v| (v - 2.0).abs() < 1e-12), "{d:?}");
}

#[test]
fn empty_component_lists_and_short_periodic_coordinates_are_errors() {
    use ndcalc::prelude::*;
    let none: [&Array<f64>; 0] = [];
    assert!(divergence(&none).compute().is_err());
    assert!(curl(&none).compute().is_err());
    let f = array![1.0];
    let x = array![0.0];
    assert!(f
        .gradient()
        .boundary(Boundary::Periodic)
        .spacing(Spacing::periodic_coords(&x, 1.0))
        .axis(0)
        .compute()
        .is_err());
    let e = Array::<f64>::zeros([0]);
    let xe = Array::<f64>::zeros([0]);
    assert!(e
        .gradient()
        .boundary(Boundary::Periodic)
        .spacing(Spacing::periodic_coords(&xe, 1.0))
        .axis(0)
        .compute()
        .is_err());
}
