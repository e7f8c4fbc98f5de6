//! Boundary conditions beyond numpy: ghost samples as `np.pad` makes them. At accuracy 2
//! every result is compared bit for bit with numpy's gradient of the padded array
//! (tests/fixtures/gen_boundary.py); at accuracy 4 and 6 the error of every point, ends
//! included, shrinks like `h^k` on functions whose true values the ghosts are.

use std::f64::consts::PI;

use ndcalc::ndcore::npy::AnyArray;
use ndcalc::num_complex::Complex;
use ndcalc::prelude::*;
use ndcalc::{Boundary, CalcError};

use crate::fixtures::{load_in, same};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/boundary");

fn load(file: &str) -> AnyArray {
    load_in(DIR, file)
}

fn f64s(file: &str) -> Array<f64> {
    load(file).into_array::<f64>().unwrap()
}

/// One line of the manifest.
struct Case {
    name: String,
    op: String,
    sides: [Boundary; 2],
    axis: isize,
    spacing: Spacing,
    input: String,
    output: String,
}

fn boundary(word: &str) -> Boundary {
    match word.split_once(':') {
        Some(("constant", c)) => Boundary::Constant(c.parse().unwrap()),
        _ => match word {
            "numpy" => Boundary::Numpy,
            "wrap" => Boundary::Periodic,
            "edge" => Boundary::Edge,
            "reflect" => Boundary::Reflect,
            "symmetric" => Boundary::Symmetric,
            _ => panic!("bad boundary {word}"),
        },
    }
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(format!("{DIR}/manifest.txt")).unwrap();
    text.lines()
        .map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let spacing = match w[5].split(':').collect::<Vec<_>>()[..] {
                ["s", h] => Spacing::from(h.parse::<f64>().unwrap()),
                ["c", file] => Spacing::from(&f64s(file)),
                ["p", file, p] => Spacing::periodic_coords(&f64s(file), p.parse().unwrap()),
                _ => panic!("bad spacing {}", w[5]),
            };
            Case {
                name: w[0].into(),
                op: w[1].into(),
                sides: [boundary(w[2]), boundary(w[3])],
                axis: w[4].parse().unwrap(),
                spacing,
                input: w[6].into(),
                output: w[7].into(),
            }
        })
        .collect()
}

/// The case's result on `f`, through `compute` and through `compute_into`.
fn run<T: ndcalc::Promote>(c: &Case, f: &Array<T>) -> [Array<T::Output>; 2] {
    let [lo, hi] = c.sides;
    let mut into = Array::zeros_like(f);
    let got = if c.op == "grad" {
        let g = f
            .gradient()
            .axis(c.axis)
            .spacing(c.spacing.clone())
            .boundary_sides(lo, hi);
        g.compute_into(&mut into).unwrap();
        g.compute().unwrap()
    } else {
        let d = f
            .derivative(2)
            .axis(c.axis)
            .spacing(c.spacing.clone())
            .boundary_sides(lo, hi);
        d.compute_into(&mut into).unwrap();
        d.compute().unwrap()
    };
    [got, into]
}

/// The shared bit-for-bit comparison (lengths included) over two element sequences.
fn same_bits(name: &str, got: impl Iterator<Item = f64>, want: impl Iterator<Item = f64>) {
    same(name, &got.collect::<Vec<_>>(), &want.collect::<Vec<_>>());
}

#[test]
fn accuracy_2_is_numpy_on_the_padded_array_bit_for_bit() {
    let all = cases();
    assert!(all.len() > 60);
    for c in &all {
        match (load(&c.input), load(&c.output)) {
            (AnyArray::F64(f), AnyArray::F64(want)) => {
                let [got, into] = run(c, &f);
                assert_eq!(got.shape(), want.shape(), "{}", c.name);
                same_bits(&c.name, got.iter().copied(), want.iter().copied());
                same_bits(&c.name, into.iter().copied(), want.iter().copied());
                // The same through a transposed view: the other walk order.
                let ft = f.t().to_owned();
                let mut ct = Case {
                    axis: f.ndim() as isize - 1 - c.axis,
                    ..clone_case(c)
                };
                ct.name.push_str(" (transposed)");
                let [got, _] = run(&ct, &ft);
                same_bits(&ct.name, got.t().iter().copied(), want.iter().copied());
            }
            (AnyArray::Complex128(f), AnyArray::Complex128(want)) => {
                let [got, into] = run(c, &f);
                assert_eq!(got, into, "{}", c.name);
                let parts = |a: &Array<Complex<f64>>| -> Vec<f64> {
                    a.iter().flat_map(|z| [z.re, z.im]).collect()
                };
                same_bits(&c.name, parts(&got).into_iter(), parts(&want).into_iter());
            }
            _ => panic!("{}: unexpected dtypes", c.name),
        }
    }
}

fn clone_case(c: &Case) -> Case {
    Case {
        name: c.name.clone(),
        op: c.op.clone(),
        sides: c.sides,
        axis: c.axis,
        spacing: c.spacing.clone(),
        input: c.input.clone(),
        output: c.output.clone(),
    }
}

/// The fixture outputs of the named cases.
fn outputs(names: [&str; 2]) -> [Array<f64>; 2] {
    let all = cases();
    names.map(|n| {
        let c = all.iter().find(|c| c.name == n).unwrap();
        f64s(&c.output)
    })
}

#[test]
fn laplacian_divergence_and_curl_sum_numpy_axis_results() {
    for (mode, b) in [
        ("wrap", Boundary::Periodic),
        ("edge", Boundary::Edge),
        ("reflect", Boundary::Reflect),
        ("symmetric", Boundary::Symmetric),
        ("constant:-1.25", Boundary::Constant(-1.25)),
    ] {
        let c = cases();
        let c = c
            .iter()
            .find(|c| c.name == format!("d2_{mode}_2d_ax0"))
            .unwrap();
        let f = f64s(&c.input);
        let [d0, d1] = outputs([&format!("d2_{mode}_2d_ax0"), &format!("d2_{mode}_2d_ax1")]);
        let want: Vec<f64> = d0.iter().zip(d1.iter()).map(|(a, b)| a + b).collect();
        let lap = f.laplacian().spacing(0.5).boundary(b);
        let mut into = Array::zeros_like(&f);
        lap.compute_into(&mut into).unwrap();
        assert_eq!(lap.compute().unwrap(), into);
        same_bits(mode, into.iter().copied(), want.iter().copied());

        let [g0, g1] = outputs([
            &format!("grad_{mode}_2d_ax0_step"),
            &format!("grad_{mode}_2d_ax1_step"),
        ]);
        let comps = [&f, &f];
        let div = divergence(&comps)
            .spacings([0.7, 1.0])
            .boundary(b)
            .compute()
            .unwrap();
        let want: Vec<f64> = g0.iter().zip(g1.iter()).map(|(a, b)| a + b).collect();
        same_bits(mode, div.iter().copied(), want.iter().copied());
        // 2-D curl: d f_y / d x_0 - d f_x / d x_1.
        let cu = curl(&comps)
            .spacings([0.7, 1.0])
            .boundary(b)
            .compute()
            .unwrap();
        let want: Vec<f64> = g0.iter().zip(g1.iter()).map(|(a, b)| a - b).collect();
        same_bits(mode, cu[0].iter().copied(), want.iter().copied());
    }
}

/// The least-squares slope of `log(err)` against `log(h)`.
fn slope(hs: &[f64], errs: &[f64]) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) = hs.iter().zip(errs).map(|(h, e)| (h.ln(), e.ln())).unzip();
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    sxy / sxx
}

/// A test function on `[0, 2]` whose values beyond the ends are what `b`'s ghosts hold:
/// constant beyond the ends (`Edge`, `Constant`), even about each end sample
/// (`Reflect`), even about each end half a step out (`Symmetric`, on `x_i = (i + 1/2)
/// h`); with its first and second derivatives.
fn ghost_true(b: Boundary) -> [fn(f64) -> f64; 3] {
    match b {
        // 1.5 + (x (2 - x))^10 (1 + x / 4): flat to order 10 at both ends.
        Boundary::Edge | Boundary::Constant(_) => [
            |x| 1.5 + (x * (2. - x)).powi(10) * (1. + x / 4.),
            |x| {
                let p = x * (2. - x);
                10. * p.powi(9) * (2. - 2. * x) * (1. + x / 4.) + p.powi(10) / 4.
            },
            |x| {
                let (p, dp) = (x * (2. - x), 2. - 2. * x);
                let q = 1. + x / 4.;
                (90. * p.powi(8) * dp * dp - 20. * p.powi(9)) * q + 5. * p.powi(9) * dp
            },
        ],
        // Even about 0 and 2.
        _ => [
            |x| (PI * x).cos() + 0.3 * (2. * PI * x).cos(),
            |x| -PI * (PI * x).sin() - 0.6 * PI * (2. * PI * x).sin(),
            |x| -PI * PI * (PI * x).cos() - 1.2 * PI * PI * (2. * PI * x).cos(),
        ],
    }
}

#[test]
fn every_ghost_boundary_converges_at_the_claimed_order() {
    for b in [
        Boundary::Edge,
        Boundary::Constant(1.5),
        Boundary::Reflect,
        Boundary::Symmetric,
    ] {
        let [f, d1, d2] = ghost_true(b);
        let mut bad = vec![];
        for order in [1, 2] {
            for k in [2, 4, 6] {
                for uneven in [false, true] {
                    if uneven && b == Boundary::Symmetric {
                        continue; // its ghosts repeat the end sample: a uniform grid only
                    }
                    let (mut hs, mut es) = (vec![], vec![]);
                    for n in [64usize, 96, 128, 192, 256] {
                        let h = 2.0 / (n - 1) as f64;
                        let x = Array::from_shape_fn([n], |i| {
                            let t = i[0] as f64;
                            match (b, uneven) {
                                (Boundary::Symmetric, _) => (t + 0.5) * 2.0 / n as f64,
                                // A smooth stretch, mirrored alike at both ends.
                                (_, true) => t * h + 0.05 * (PI * t * h).sin(),
                                _ => t * h,
                            }
                        });
                        let fx = x.map(|&x| f(x));
                        let s = if uneven {
                            Spacing::from(&x)
                        } else {
                            Spacing::from(x[[1]] - x[[0]])
                        };
                        let d = fx
                            .derivative(order)
                            .spacing(s)
                            .accuracy(k)
                            .boundary(b)
                            .compute()
                            .unwrap();
                        let want = if order == 1 { d1 } else { d2 };
                        hs.push(h);
                        es.push(
                            d.iter()
                                .zip(x.iter())
                                .map(|(d, &x)| (d - want(x)).abs())
                                .fold(0.0, f64::max),
                        );
                    }
                    let s = slope(&hs, &es);
                    let what = format!("{b:?} order {order} acc {k} uneven {uneven}");
                    eprintln!("{what}: slope {s:.3}, errors {es:?}");
                    if (s - k as f64).abs() > 0.2 {
                        bad.push(what);
                    }
                }
            }
        }
        assert!(bad.is_empty(), "{bad:?}");
    }
}

#[test]
fn boundary_errors_name_the_sides() {
    let f = array![1., 2., 4., 7., 11.];
    let err = f
        .gradient()
        .boundary_sides(Boundary::Periodic, Boundary::Edge)
        .axis(0)
        .compute()
        .unwrap_err();
    assert!(matches!(err, CalcError::PeriodicOneSide { .. }));
    assert_eq!(
        err.to_string(),
        "the boundaries Periodic at the start and Edge at the end: a periodic axis wraps \
         at both ends, so Periodic must be at both or at neither"
    );
    // A numpy end beside a ghost end has order-2 ends: edge_order 1 contradicts it.
    let err = f
        .gradient()
        .edge_order(1)
        .boundary_sides(Boundary::Constant(0.0), Boundary::Numpy)
        .axis(0)
        .compute()
        .unwrap_err();
    assert_eq!(
        err,
        CalcError::EdgeOrderAccuracy {
            edge_order: 1,
            accuracy: 2
        }
    );
    // With ghosts at both ends edge_order has nothing to set.
    assert!(f
        .gradient()
        .edge_order(1)
        .boundary(Boundary::Edge)
        .axis(0)
        .compute()
        .is_ok());
    let err = array![1., 2., 3., 4.]
        .derivative(1)
        .accuracy(4)
        .boundary(Boundary::Reflect)
        .compute()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "axis 0 has 4 points, but the first derivative at accuracy 4 with ghost samples \
         beyond the ends (5-point stencils) needs at least 5"
    );
}

#[test]
fn constant_ghosts_of_integer_and_complex_data() {
    // Integers are promoted to f64 first, the constant is not cast to the integer type.
    let f = array![1i32, 2, 4];
    let g = f
        .gradient()
        .boundary(Boundary::Constant(0.5))
        .axis(0)
        .compute()
        .unwrap();
    assert_eq!(g, array![0.75, 1.5, -0.75]);
    // Complex data: the ghost is c + 0i.
    let z = array![
        Complex::new(1.0, 1.0),
        Complex::new(2.0, -1.0),
        Complex::new(0.0, 3.0)
    ];
    let g = z
        .gradient()
        .boundary(Boundary::Constant(2.0))
        .axis(0)
        .compute()
        .unwrap();
    assert_eq!(g[[0]], Complex::new(0.0, -0.5));
    assert_eq!(g[[2]], Complex::new(0.0, 0.5));
}
