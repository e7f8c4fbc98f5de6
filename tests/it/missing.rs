//! Missing data: `Missing::Skip` against numpy's NaN-aware functions
//! (tests/fixtures/gen_missing.py), bit for bit.

use ndcalc::ndcore::npy::{self, AnyArray};
use ndcalc::num_complex::Complex;
use ndcalc::prelude::*;
use ndcalc::Missing;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/missing");

fn load(file: &str) -> AnyArray {
    npy::read_any(format!("{DIR}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// `(got, want)` bit patterns, NaNs of any payload equal.
fn same(name: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{name}");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
            "{name}: element {k}: {g:e} vs numpy's {w:e}"
        );
    }
}

/// The running op of a case on `x`, through `compute` and `compute_into`.
fn scan<T: ndcalc::Accumulate>(op: &str, axis: Option<isize>, x: &Array<T>) -> [Array<T::Acc>; 2] {
    let c = if op == "nancumsum" {
        x.cumsum()
    } else {
        x.cumprod()
    };
    let c = match axis {
        Some(a) => c.axis(a),
        None => c,
    }
    .missing(Missing::Skip);
    let got = c.compute().unwrap();
    let mut into = Array::zeros_like(&got);
    c.compute_into(&mut into).unwrap();
    [got, into]
}

#[test]
fn skip_is_numpy_nancumsum_and_nancumprod_bit_for_bit() {
    let text = std::fs::read_to_string(format!("{DIR}/manifest.txt")).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let (name, op) = (w[0], w[1]);
        let axis = (w[2] != "none").then(|| w[2].parse::<isize>().unwrap());
        let parts =
            |z: &Array<Complex<f64>>| -> Vec<f64> { z.iter().flat_map(|z| [z.re, z.im]).collect() };
        match (load(w[3]), load(w[4])) {
            (AnyArray::F64(x), AnyArray::F64(want)) => {
                for got in scan(op, axis, &x) {
                    assert_eq!(got.shape(), want.shape(), "{name}");
                    same(
                        name,
                        &got.iter().copied().collect::<Vec<_>>(),
                        &want.iter().copied().collect::<Vec<_>>(),
                    );
                }
                // A transposed input walks the other loop order.
                if x.ndim() == 2 {
                    if let Some(a) = axis {
                        let xt = x.t().to_owned();
                        let [got, _] = scan(op, Some(1 - a), &xt);
                        same(
                            name,
                            &got.t().iter().copied().collect::<Vec<_>>(),
                            &want.iter().copied().collect::<Vec<_>>(),
                        );
                    }
                }
            }
            (AnyArray::F32(x), AnyArray::F32(want)) => {
                for got in scan(op, axis, &x) {
                    let g: Vec<f64> = got.iter().map(|&v| v as f64).collect();
                    same(
                        name,
                        &g,
                        &want.iter().map(|&v| v as f64).collect::<Vec<_>>(),
                    );
                }
            }
            (AnyArray::Complex128(x), AnyArray::Complex128(want)) => {
                for got in scan(op, axis, &x) {
                    same(name, &parts(&got), &parts(&want));
                }
            }
            _ => panic!("{name}: unexpected dtypes"),
        }
        n += 1;
    }
    assert_eq!(n, 18);
}

#[test]
fn skip_leaves_nan_free_and_integer_data_alone() {
    let x = array![[1.5, -0.0], [2.0, 3.0]];
    for axis in [0, 1] {
        let plain = x.cumsum().axis(axis).compute().unwrap();
        assert_eq!(
            x.cumsum()
                .axis(axis)
                .missing(Missing::Skip)
                .compute()
                .unwrap(),
            plain
        );
    }
    let i = array![3i32, -4, 5];
    assert_eq!(
        i.cumprod().missing(Missing::Skip).compute().unwrap(),
        array![3i64, -12, -60]
    );
    // The NaN is filled before the cast to the requested type, as numpy does.
    let y = array![f64::NAN, 2.7, 1.2];
    let s = y
        .cumsum()
        .dtype::<i32>()
        .missing(Missing::Skip)
        .compute()
        .unwrap();
    assert_eq!(s, array![0, 2, 3]);
    assert!(y.cumsum().dtype::<i32>().compute().is_err());
}
