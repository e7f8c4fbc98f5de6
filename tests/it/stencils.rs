//! `stencil` against numpy's slicing expressions (tests/fixtures/gen_stencil.py), on every
//! input layout and into strided outputs, through the kernels of examples/stencils.rs.

use ndcalc::ndcore::npy;
use ndcalc::ndcore::Error;
use ndcalc::prelude::*;

#[path = "../../examples/stencils.rs"]
mod examples;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stencil");

fn load(file: &str) -> Array<f64> {
    npy::read(format!("{DIR}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Bit-identical, shape included.
fn assert_bits(got: &impl AsView<f64>, want: &Array<f64>, what: &str) {
    assert_eq!(got.shape(), want.shape(), "{what}: shape");
    for (i, (g, w)) in got.iter().zip(want.iter()).enumerate() {
        assert_eq!(
            g.to_bits(),
            w.to_bits(),
            "{what}: element {i}: {g} vs numpy's {w}"
        );
    }
}

const LAP5: [[isize; 2]; 5] = [[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]];

fn lap5(f: &impl AsView<f64>) -> Array<f64> {
    stencil(f, LAP5, |[c, n, s, w, e]| n + s + w + e - 4.0 * c).unwrap()
}

#[test]
fn laplacian5_on_every_input_layout() {
    let a = load("in2.npy");
    let row = load("row.npy");
    assert_bits(&lap5(&a), &load("lap5_c.npy"), "C order");
    assert_bits(&lap5(&a.t()), &load("lap5_t.npy"), "transposed");
    assert_bits(
        &lap5(&a.slice(s![..;2, ..;3]).unwrap()),
        &load("lap5_step.npy"),
        "step-sliced",
    );
    assert_bits(
        &lap5(&a.slice(s![..;-1, ..]).unwrap()),
        &load("lap5_rev.npy"),
        "reversed",
    );
    let b = row.broadcast([9, 11]).unwrap();
    assert_eq!(b.strides(), &[0, 1]);
    assert_bits(&lap5(&b), &load("lap5_bcast.npy"), "broadcast");
    // A Fortran-order copy: the result follows the input's memory order.
    let f = a.t().to_owned();
    let r = lap5(&f.t());
    assert_eq!(r.strides(), &[1, 7]);
    assert_bits(&r, &load("lap5_c.npy"), "Fortran order");
}

#[test]
fn laplacian5_into_strided_outputs() {
    let a = load("in2.npy");
    let want = load("lap5_c.npy");
    let kernel = |[c, n, s, w, e]: [f64; 5]| n + s + w + e - 4.0 * c;
    // Every other row and column of a larger array, reversed on axis 1.
    let mut big = Array::from_elem([14, 18], -1.0);
    let mut out = big.slice_mut(s![..;2, ..;-2]).unwrap();
    stencil_into(&a, LAP5, &mut out, kernel).unwrap();
    assert_bits(&out, &want, "step-sliced reversed output");
    assert_eq!(big.iter().filter(|&&v| v == -1.0).count(), 14 * 18 - 7 * 9);
    // A transposed output.
    let mut t = Array::<f64>::zeros([9, 7]);
    stencil_into(&a, LAP5, &mut t.permuted_axes_mut(&[1, 0]).unwrap(), kernel).unwrap();
    assert_bits(&t.t(), &want, "transposed output");
    // Into the interior of a same-shape array, as numpy's `out[1:-1, 1:-1] = ...`.
    let mut full = Array::<f64>::zeros([9, 11]);
    stencil_into(
        &a,
        LAP5,
        &mut full.slice_mut(s![1..8, 1..10]).unwrap(),
        kernel,
    )
    .unwrap();
    assert_bits(
        &full.slice(s![1..8, 1..10]).unwrap(),
        &want,
        "interior output",
    );
    assert!(full.slice(s![0, ..]).unwrap().iter().all(|&v| v == 0.0));
}

#[test]
fn example_schemes_match_numpy() {
    let a = load("in2.npy");
    assert_bits(
        &examples::laplacian9(&a).unwrap(),
        &load("lap9.npy"),
        "9-point",
    );
    assert_bits(&examples::sobel(&a).unwrap(), &load("sobel.npy"), "Sobel");
    let up = examples::upwind_step(&a, 0.3, 0.45).unwrap();
    assert_bits(&up, &load("upwind.npy"), "upwind");
    let g = load("in3.npy");
    assert_bits(
        &examples::laplacian7(&g).unwrap(),
        &load("lap7_3d.npy"),
        "3-D 7-point",
    );
    // The same numbers through a permuted view of a permuted copy.
    let p = g.permuted_axes(&[2, 0, 1]).unwrap().to_owned();
    let back = p.permuted_axes(&[1, 2, 0]).unwrap();
    assert_bits(
        &examples::laplacian7(&back).unwrap(),
        &load("lap7_3d.npy"),
        "3-D permuted",
    );
}

#[test]
fn wrong_rank_and_shape_are_errors() {
    let a = Array::<f64>::zeros([4, 5]);
    let e = stencil(&a, [[0, 0, 1]], |[x]| x).unwrap_err();
    assert_eq!(
        e,
        Error::StencilRank {
            coordinates: 3,
            ndim: 2
        }
    );
    assert_eq!(
        e.to_string(),
        "stencil offsets have 3 coordinates, but the array has 2 dimensions"
    );
    let mut out = Array::<f64>::zeros([4, 5]);
    let e = stencil_into(&a, LAP5, &mut out, |[c, ..]| c).unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected an array of shape [2, 3], found shape [4, 5]"
    );
    // A CalcError through `?`.
    let calc = || -> Result<Array<f64>, CalcError> { Ok(stencil(&a, [[1]], |[x]| x)?) };
    assert!(calc().unwrap_err().to_string().contains("1 coordinates"));
}

#[test]
fn reach_is_per_side_and_short_axes_give_empty_results() {
    let a = Array::from_shape_fn([3, 4], |ix| (10 * ix[0] + ix[1]) as i32);
    // Forward difference along axis 1 reaches 1 to the right only.
    let d = stencil(&a, [[0, 0], [0, 1]], |[c, e]| e - c).unwrap();
    assert_eq!(d.shape(), &[3, 3]);
    assert!(d.iter().all(|&v| v == 1));
    // Offsets may skip the point itself and reach further than 1.
    let w = stencil(&a, [[0, -2], [2, 1]], |[x, y]| y - x).unwrap();
    assert_eq!(w.shape(), &[1, 1]);
    assert_eq!(w[[0, 0]], a[[2, 3]] - a[[0, 0]]);
    // An axis shorter than its reach: empty, as numpy's `f[1:-1]` of 1 point.
    let e = stencil(&a, [[-2, 0], [2, 0]], |[x, y]| x + y).unwrap();
    assert_eq!(e.shape(), &[0, 4]);
    // The result type may differ from the input's.
    let pos = stencil(&a, [[0, 0]], |[x]| x > 15).unwrap(); // 20, 21, 22, 23
    assert_eq!(pos.iter().filter(|&&b| b).count(), 4);
    // A 0-d array has one point, with no neighbours to reach.
    let s = stencil(&Array::scalar(2.5), [[], []], |[x, y]| x * y).unwrap();
    assert_eq!(s[[]], 6.25);
}
