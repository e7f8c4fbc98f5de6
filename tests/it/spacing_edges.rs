//! Degenerate spacings (zero steps, repeated, NaN and infinite coordinates, NaN and
//! infinite steps) against numpy's gradient (tests/fixtures/gen_spacing_edges.py), bit
//! for bit: numpy divides by them and so does ndcalc, no error.

use ndcalc::ndcore::npy::AnyArray;
use ndcalc::prelude::*;

use crate::fixtures::{load_in, same};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spacing_edges");

fn load(file: &str) -> AnyArray {
    load_in(DIR, file)
}

fn spacing(text: &str) -> Spacing {
    match text.strip_prefix("step:") {
        Some(h) => Spacing::from(h.parse::<f64>().unwrap()),
        None => match load(text) {
            AnyArray::F64(x) => Spacing::from(&x),
            AnyArray::F32(x) => Spacing::from(&x),
            _ => panic!("{text}: coordinates are f64 or f32"),
        },
    }
}

/// The gradient of `f` as a flat f64 list, through `compute` and `compute_into` (which
/// must agree), and of a transposed copy (the other loop order).
fn gradients<T: ndcalc::Promote>(f: &Array<T>, axis: usize, eo: usize, s: &Spacing) -> Vec<Vec<f64>>
where
    T::Output: Copy + Into<f64> + num_traits::Zero,
{
    let flat = |a: &Array<T::Output>| a.iter().map(|&v| v.into()).collect::<Vec<f64>>();
    let g = f.gradient().edge_order(eo).spacing(s.clone()).axis(axis);
    let mut into = Array::<T::Output>::zeros(f.shape());
    g.compute_into(&mut into).unwrap();
    let ft = f.t().to_owned();
    let gt = ft
        .gradient()
        .edge_order(eo)
        .spacing(s.clone())
        .axis(f.ndim() - 1 - axis);
    let t = gt.compute().unwrap().t().to_owned();
    vec![flat(&g.compute().unwrap()), flat(&into), flat(&t)]
}

#[test]
fn degenerate_spacings_give_numpy_infinities_and_nans() {
    let text = std::fs::read_to_string(format!("{DIR}/manifest.txt")).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let (name, axis, eo) = (w[0], w[1].parse::<usize>().unwrap(), w[2].parse().unwrap());
        let s = spacing(w[3]);
        let got = match (load(w[4]), load(w[5])) {
            (AnyArray::F64(f), AnyArray::F64(want)) => (gradients(&f, axis, eo, &s), want.to_vec()),
            (AnyArray::F32(f), AnyArray::F32(want)) => (
                gradients(&f, axis, eo, &s),
                want.iter().map(|&v| v as f64).collect(),
            ),
            _ => panic!("{name}: f64 or f32 cases"),
        };
        for g in &got.0 {
            same(name, g, &got.1);
        }
        n += 1;
    }
    assert_eq!(n, 58);
}

/// Beyond numpy the same rule holds: the wide stencils, boundaries and the second
/// derivative divide by degenerate steps as IEEE arithmetic does, never panicking and
/// never refusing; a NaN or infinity appears only near the degenerate step.
#[test]
fn beyond_numpy_degenerate_spacings_are_ieee_results_not_errors() {
    let f = Array::from_shape_fn([12], |i| (i[0] as f64 * 0.7).sin());
    let repeated =
        Array::from_shape_fn([12], |i| [0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10][i[0]] as f64);
    let with_nan = Array::from_shape_fn([12], |i| if i[0] == 9 { f64::NAN } else { i[0] as f64 });
    let cases = [
        (Spacing::from(0.0), false),
        (Spacing::from(f64::NAN), false),
        (Spacing::from(&repeated), true),
        (Spacing::from(&with_nan), true),
    ];
    for (s, coords) in cases {
        for k in [2, 4, 6] {
            for b in [Boundary::Numpy, Boundary::Periodic, Boundary::Reflect] {
                let periodic_coords = b == Boundary::Periodic && coords;
                for d in [1, 2] {
                    let r = f
                        .derivative(d)
                        .spacing(s.clone())
                        .accuracy(k)
                        .boundary(b)
                        .compute();
                    match r {
                        Ok(g) => assert!(g.iter().any(|v| !v.is_finite()), "{k} {b:?} {d}"),
                        // Periodic coordinates need a period: the one refusal, and not
                        // about the degenerate step.
                        Err(e) => assert!(periodic_coords, "{k} {b:?} {d}: {e}"),
                    }
                }
            }
        }
    }
}
