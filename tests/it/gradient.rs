//! numpy parity for `gradient`: every case of tests/fixtures/calc/manifest.txt (written by
//! numpy through tests/fixtures/gen_calc.py) recomputed here and compared.

use ndcalc::ndcore::npy::{self, AnyArray};
use ndcalc::num_complex::Complex;
use ndcalc::prelude::*;
use ndcalc::{ArrayView, Promote};

use crate::fixtures::{load, Case, Dist};

/// Asserts that one result matches numpy's bit for bit (NaNs equal to NaNs).
fn compare<O: Dist>(case: &str, got: &Array<O>, want: &Array<O>) -> bool {
    assert_eq!(got.shape(), want.shape(), "{case}: shape");
    let worst = got
        .iter()
        .zip(want.iter())
        .map(|(g, w)| g.dist(*w))
        .max()
        .unwrap_or(0);
    assert!(
        worst == 0,
        "{case}: differs from numpy by {worst} ulps\n got {:?}\nwant {:?}",
        got.to_vec(),
        want.to_vec()
    );
    true
}

fn run<T>(case: &Case, f: ArrayView<'_, T>, want: Vec<Array<T::Output>>) -> (usize, usize)
where
    T: Promote,
    T::Output: Dist,
{
    let spacings: Vec<Spacing> = case.spacings();
    let mut g = f.gradient().edge_order(case.edge_order);
    if !spacings.is_empty() {
        g = g.spacings(spacings);
    }
    if let Some(axes) = &case.axes {
        g = g.axes(axes);
    }
    let got = g.compute().unwrap_or_else(|e| panic!("{}: {e}", case.name));
    assert_eq!(got.len(), want.len(), "{}: number of outputs", case.name);
    let exact = got
        .iter()
        .zip(&want)
        .filter(|(g, w)| compare(&case.name, g, w))
        .count();

    // An explicit accuracy 2 is numpy's edge_order=2, bit for bit.
    if case.edge_order == 2 {
        let mut a2 = f.gradient().accuracy(2);
        if !case.spacings().is_empty() {
            a2 = a2.spacings(case.spacings());
        }
        if let Some(axes) = &case.axes {
            a2 = a2.axes(axes);
        }
        let got2 = a2
            .compute()
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        for (g, w) in got2.iter().zip(&want) {
            assert!(compare(&case.name, g, w), "{}: accuracy(2)", case.name);
        }
    }

    // The single-axis form and the no-allocation form agree with the multi-axis one.
    if let Some([axis]) = case.axes.as_deref() {
        let mut one = g.clone().axis(*axis);
        if case.spacings().len() == 1 {
            one = one.spacing(case.spacings().remove(0));
        }
        let a = one.compute().unwrap();
        assert!(
            a.iter().zip(got[0].iter()).all(|(x, y)| x.dist(*y) == 0),
            "{}: axis form",
            case.name
        );
        let mut out = Array::from_elem(f.shape(), num_traits::Zero::zero());
        one.compute_into(&mut out).unwrap();
        compare(&case.name, &out, &got[0]);
        let mut t = Array::from_elem(f.t().shape(), num_traits::Zero::zero());
        let reversed: Vec<usize> = (0..f.ndim()).rev().collect();
        one.compute_into(&mut t.permuted_axes_mut(&reversed).unwrap())
            .unwrap();
        compare(&case.name, &t.t().to_owned(), &got[0]);
    }
    (exact, want.len())
}

fn expect<T: npy::Element>(files: &[String]) -> Vec<Array<T>> {
    files
        .iter()
        .map(|f| load(f).into_array::<T>().unwrap())
        .collect()
}

#[test]
fn gradient_matches_numpy() {
    let cases = crate::fixtures::cases("gradient");
    assert!(cases.len() >= 90, "only {} gradient cases", cases.len());
    let (mut exact, mut total) = (0, 0);
    for case in &cases {
        let input = load(&case.input);
        let (e, t) = match &input {
            AnyArray::F64(a) => run(case, case.view(a), expect::<f64>(&case.outputs)),
            AnyArray::F32(a) => run(case, case.view(a), expect::<f32>(&case.outputs)),
            AnyArray::Complex128(a) => {
                run(case, case.view(a), expect::<Complex<f64>>(&case.outputs))
            }
            AnyArray::U8(a) => run(case, case.view(a), expect::<f64>(&case.outputs)),
            AnyArray::I8(a) => run(case, case.view(a), expect::<f64>(&case.outputs)),
            AnyArray::I32(a) => run(case, case.view(a), expect::<f64>(&case.outputs)),
            AnyArray::I64(a) => run(case, case.view(a), expect::<f64>(&case.outputs)),
            AnyArray::U64(a) => run(case, case.view(a), expect::<f64>(&case.outputs)),
            other => panic!(
                "{}: no gradient test for dtype {:?}",
                case.name,
                other.dtype()
            ),
        };
        exact += e;
        total += t;
    }
    println!(
        "gradient: {exact} of {total} numpy outputs ({} cases) match to the last bit",
        cases.len()
    );
    assert_eq!(
        exact, total,
        "every gradient output matches numpy bit for bit"
    );
}

/// Data and coordinates of different float types: numpy differences and weighs the
/// coordinates in their own type and promotes against the data.
#[test]
fn mixed_float_types_match_numpy() {
    let cases = crate::fixtures::cases_in("manifest_gradient_dtypes.txt", "gradient");
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    let (mut exact, mut total) = (0, 0);
    for case in &cases {
        let (e, t) = match &load(&case.input) {
            AnyArray::F64(a) => run(case, case.view(a), expect(&case.outputs)),
            AnyArray::F32(a) => run(case, case.view(a), expect(&case.outputs)),
            AnyArray::Complex128(a) => run(case, case.view(a), expect(&case.outputs)),
            AnyArray::Complex64(a) => run(case, case.view(a), expect(&case.outputs)),
            AnyArray::I64(a) => run(case, case.view(a), expect(&case.outputs)),
            other => panic!("{}: dtype {:?}", case.name, other.dtype()),
        };
        exact += e;
        total += t;
    }
    assert_eq!(
        exact, total,
        "{exact} of {total} outputs match numpy bit for bit"
    );
}

mod errors {
    use ndcalc::prelude::*;

    fn msg<T: std::fmt::Debug>(r: Result<T, CalcError>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn axis_out_of_range() {
        let f = Array::<f64>::zeros([2, 3]);
        assert_eq!(
            msg(f.gradient().axis(2).compute()),
            "axis 2 is out of bounds for array of dimension 2"
        );
        assert_eq!(
            msg(f.gradient().axes(&[0, -3]).compute()),
            "axis -3 is out of bounds for array of dimension 2"
        );
    }

    #[test]
    fn repeated_axis() {
        let f = Array::<f64>::zeros([2, 3]);
        assert_eq!(
            msg(f.gradient().axes(&[1, -1]).compute()),
            "axis 1 is repeated"
        );
    }

    #[test]
    fn coordinates_wrong_length_or_not_1d() {
        let f = Array::<f64>::zeros([4, 3]);
        let x = array![0., 1., 2.];
        assert_eq!(
            msg(f.gradient().spacing(&x).axis(0).compute()),
            "coordinates for axis 0 have 3 values, but the axis has length 4"
        );
        let x2 = Array::<f64>::zeros([2, 2]);
        assert_eq!(
            msg(f.gradient().spacing(&x2).axis(0).compute()),
            "coordinates for axis 0 must be 1-D, but they have 2 dimensions"
        );
    }

    #[test]
    fn spacing_count() {
        let f = Array::<f64>::zeros([4, 3]);
        let x = array![0., 1., 2., 3.];
        // One coordinate array for two axes is numpy's "invalid number of arguments".
        assert_eq!(
            msg(f.gradient().spacing(&x).compute()),
            "1 spacing given for 2 axes: give one spacing for all axes or one per axis"
        );
        assert_eq!(
            msg(f.gradient().spacings([1.0, 2.0, 3.0]).compute()),
            "3 spacings given for 2 axes: give one spacing for all axes or one per axis"
        );
        assert_eq!(
            msg(f.gradient().spacings([1.0, 2.0]).axis(1).compute()),
            "2 spacings given for 1 axis: give one spacing for all axes or one per axis"
        );
    }

    #[test]
    fn too_few_points() {
        let f = Array::<f64>::zeros([2, 3]);
        assert_eq!(
            msg(f.gradient().edge_order(2).axis(0).compute()),
            "axis 0 has 2 points, but edge_order 2 needs at least 3"
        );
        let e = Array::<f64>::zeros([0, 3]);
        assert_eq!(
            msg(e.gradient().axis(0).compute()),
            "axis 0 has 0 points, but edge_order 1 needs at least 2"
        );
        let one = Array::<f64>::zeros([1, 3]);
        assert_eq!(
            msg(one.gradient().axis(0).compute()),
            "axis 0 has 1 point, but edge_order 1 needs at least 2"
        );
        // Unselected axes may be empty: the result is empty too.
        assert_eq!(e.gradient().axis(1).compute().unwrap().shape(), &[0, 3]);
    }

    #[test]
    fn explicit_accuracy_sets_the_ends() {
        let f = array![1., 4., 9., 16.];
        // numpy's default ends are first order; an explicit accuracy 2 makes them second
        // order, with or without an agreeing edge_order.
        assert_eq!(
            f.gradient().axis(0).compute().unwrap(),
            array![3., 4., 6., 7.]
        );
        let a2 = f.gradient().accuracy(2).axis(0).compute().unwrap();
        assert_eq!(a2, array![2., 4., 6., 8.]);
        let both = f.gradient().accuracy(2).edge_order(2).axis(0).compute();
        assert_eq!(both.unwrap(), a2);
        // The multi-axis form, compute_into and the lean 1-D path agree.
        let mut out = Array::<f64>::zeros([4]);
        f.gradient()
            .accuracy(2)
            .axis(0)
            .compute_into(&mut out)
            .unwrap();
        assert_eq!(out, a2);
        assert_eq!(f.gradient().accuracy(2).compute().unwrap()[0], a2);
        let m = Array::from_shape_fn([3, 4], |i| (i[1] * i[1] + i[0]) as f64);
        let g = m.gradient().accuracy(2).axis(1).compute().unwrap();
        assert_eq!(g.slice(s![0, ..]).unwrap(), array![0., 2., 4., 6.]);
        // An axis needs the three points of the second-order ends.
        assert_eq!(
            msg(array![1., 2.].gradient().accuracy(2).axis(0).compute()),
            "axis 0 has 2 points, but accuracy 2 needs at least 3"
        );
    }

    #[test]
    fn edge_order_contradicting_accuracy_is_an_error() {
        let f = Array::from_shape_fn([8], |i| i[0] as f64);
        for (e, a) in [(1, 2), (1, 4), (2, 4), (2, 6), (1, 6)] {
            assert_eq!(
                f.gradient()
                    .edge_order(e)
                    .accuracy(a)
                    .axis(0)
                    .compute()
                    .unwrap_err(),
                CalcError::EdgeOrderAccuracy {
                    edge_order: e,
                    accuracy: a
                }
            );
            assert_eq!(
                msg(f.gradient().accuracy(a).edge_order(e).compute()),
                format!(
                    "edge_order {e} contradicts accuracy {a}, which makes every point of \
                     order {a}, the ends included: leave edge_order out"
                )
            );
        }
        // With a periodic boundary there are no ends, but the two still contradict.
        let p = f
            .gradient()
            .boundary(Boundary::Periodic)
            .edge_order(1)
            .accuracy(2);
        assert!(p.axis(0).compute().is_err());
    }

    #[test]
    fn edge_order_must_be_1_or_2() {
        let f = Array::<f64>::zeros([5]);
        for k in [0, 3] {
            assert_eq!(
                msg(f.gradient().edge_order(k).axis(0).compute()),
                format!("edge_order must be 1 or 2, got {k}")
            );
        }
    }

    #[test]
    fn zero_dimensional_input() {
        let f = Array::scalar(1.0);
        assert_eq!(
            msg(f.gradient().compute()),
            "gradient needs an array with at least one axis, but the input is 0-d"
        );
    }

    #[test]
    fn out_of_the_wrong_shape() {
        let f = Array::<f64>::zeros([2, 3]);
        let mut out = Array::<f64>::zeros([3, 2]);
        assert_eq!(
            msg(f.gradient().axis(0).compute_into(&mut out)),
            "expected an array of shape [2, 3], found shape [3, 2]"
        );
    }
}

mod properties {
    use ndcalc::prelude::*;
    use quickcheck::{quickcheck, TestResult};

    /// Strictly increasing integer coordinates from random positive steps.
    fn coords(steps: &[u8], n: usize) -> Vec<f64> {
        let mut x = vec![0.0];
        for i in 1..n {
            x.push(x[i - 1] + 1.0 + (steps.get(i).copied().unwrap_or(1) % 7) as f64);
        }
        x
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
    }

    quickcheck! {
        /// A linear function's gradient is its slope, for either edge order and any
        /// spacing: exactly with a power-of-two step, to rounding with coordinates.
        fn linear_is_exact(slope: i8, icept: i8, n: u8, steps: Vec<u8>, two: bool) -> TestResult {
            let n = 3 + n as usize % 40;
            let (m, c) = (slope as f64, icept as f64);
            let edge = if two { 2 } else { 1 };
            let h = 0.25;
            let f = Array::from_shape_fn([n], |ix| m * (ix[0] as f64 * h) + c);
            let g = f.gradient().spacing(h).edge_order(edge).axis(0).compute().unwrap();
            if g.iter().any(|&v| v != m) {
                return TestResult::failed();
            }
            let x = Array::from_vec(coords(&steps, n));
            let f = x.map(|&x| m * x + c);
            let g = f.gradient().spacing(&x).edge_order(edge).axis(0).compute().unwrap();
            TestResult::from_bool(g.iter().all(|&v| close(v, m)))
        }

        /// A quadratic's gradient is exact with edge_order 2, uniform and non-uniform, on
        /// every axis of a 2-D array.
        fn quadratic_is_exact_with_edge_order_2(a: i8, b: i8, n: u8, steps: Vec<u8>) -> bool {
            let n = 3 + n as usize % 30;
            let (a, b) = (a as f64, b as f64);
            let x = coords(&steps, n);
            let f = Array::from_shape_fn([n, 4], |ix| a * x[ix[0]] * x[ix[0]] + b * x[ix[0]] + ix[1] as f64);
            let xa = Array::from_vec(x.clone());
            let g = f.gradient().spacings([Spacing::from(&xa), Spacing::from(1.0)]).edge_order(2).compute().unwrap();
            let ok_x = g[0].indexed_iter().all(|(ix, &v)| close(v, 2.0 * a * x[ix[0]] + b));
            let ok_y = g[1].iter().all(|&v| close(v, 1.0));
            let fu = Array::from_shape_fn([n], |ix| a * (ix[0] as f64).powi(2) + b * ix[0] as f64);
            let gu = fu.gradient().edge_order(2).axis(0).compute().unwrap();
            let ok_u = gu.indexed_iter().all(|(ix, &v)| v == 2.0 * a * ix[0] as f64 + b);
            ok_x && ok_y && ok_u
        }

        /// The all-axes gradient of an input large enough to be read once for every
        /// axis is the single-axis calls' result bit for bit: 2-D to 4-D, axes as short
        /// as the end formulas allow, numpy's uniform or uneven stencils, `f64` and
        /// `f32` data (the latter with `f64` coordinates, computed in `f64`).
        fn all_axes_in_one_pass_equal_the_single_axis_calls(
            dims: Vec<u8>, two: bool, uneven: Vec<bool>, single: bool
        ) -> TestResult {
            let mut shape: Vec<usize> = dims.iter().take(4).map(|d| 2 + (*d % 9) as usize).collect();
            if shape.len() < 2 {
                return TestResult::discard();
            }
            // At least 2^17 elements (grow the last axis): read once, and with the
            // `parallel` feature cut between threads.
            let rest: usize = shape[..shape.len() - 1].iter().product();
            let last = shape.len() - 1;
            shape[last] = shape[last].max((1usize << 17).div_ceil(rest));
            let edge = if two { 2 } else { 1 };
            if shape.iter().any(|&n| n < edge + 1) {
                return TestResult::discard();
            }
            let xs: Vec<Array<f64>> = shape.iter().map(|&n| Array::from_shape_fn([n], |i| (i[0] as f64).powf(1.3))).collect();
            let spacing = |k: usize| match uneven.get(k) {
                Some(true) => Spacing::from(&xs[k]),
                _ => Spacing::from(0.5 + k as f64),
            };
            let spacings = || (0..shape.len()).map(spacing).collect::<Vec<_>>();
            let bits = |a: &Array<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            let mut n = 0usize;
            let f = Array::from_shape_fn(shape.clone(), |_| { n += 1; ((n * 7919) % 1013) as f64 / 7.0 });
            if single {
                let f = f.map(|&v| v as f32);
                let all = f.gradient().edge_order(edge).spacings(spacings()).compute().unwrap();
                for (k, g) in all.iter().enumerate() {
                    let one = f.gradient().edge_order(edge).spacing(spacing(k)).axis(k as isize).compute().unwrap();
                    if g.iter().map(|v| v.to_bits()).ne(one.iter().map(|v| v.to_bits())) {
                        return TestResult::failed();
                    }
                }
                return TestResult::passed();
            }
            let g = f.gradient().edge_order(edge).spacings(spacings());
            let all = g.compute().unwrap();
            let mut outs: Vec<Array<f64>> = all.iter().map(|o| Array::zeros(o.shape())).collect();
            g.compute_into(&mut outs).unwrap();
            for (k, (g, o)) in all.iter().zip(&outs).enumerate() {
                let one = f.gradient().edge_order(edge).spacing(spacing(k)).axis(k as isize).compute().unwrap();
                if bits(g) != bits(&one) || bits(o) != bits(&one) {
                    return TestResult::failed();
                }
            }
            TestResult::passed()
        }

        /// Any combination of shape, axis, edge order, accuracy, boundary and spacing
        /// gives a result or an error value, never a panic.
        fn arbitrary_calls_never_panic(
            dims: Vec<u8>, axis: i8, edge: u8, acc: u8, periodic: bool, spacing: u8, xlen: u8
        ) -> bool {
            let shape: Vec<usize> = dims.iter().take(3).map(|d| (*d % 5) as usize).collect();
            let f = Array::from_shape_fn(shape.clone(), |ix| ix.iter().sum::<usize>() as f64);
            let x = Array::from_shape_fn([xlen as usize % 6], |ix| (ix[0] * ix[0]) as f64);
            let x2 = Array::<f64>::zeros([2, 2]);
            let mut g = f.gradient().edge_order(edge as usize % 4).accuracy(acc as usize % 8);
            if periodic {
                g = g.boundary(Boundary::Periodic);
            }
            g = match spacing % 5 {
                0 => g,
                1 => g.spacing(0.5),
                2 => g.spacing(&x),
                3 => g.spacing(Spacing::periodic_coords(&x, 40.0)),
                _ => g.spacing(&x2),
            };
            let all = g.clone().compute();
            let one = g.axis(axis as isize % 4).compute();
            if let (Ok(v), false) = (&all, shape.is_empty()) {
                assert_eq!(v.len(), shape.len());
            }
            let _ = one;
            true
        }

        /// Lane order, plane order, transposed and reversed layouts all give the same
        /// numbers.
        fn layouts_agree(rows: u8, cols: u8, seed: u32) -> bool {
            let (r, c) = (2 + rows as usize % 9, 2 + cols as usize % 90);
            let f = Array::from_shape_fn([r, c], |ix| ((ix[0] * 31 + ix[1] * 17 + seed as usize) % 101) as f64 * 0.37);
            let ft = f.t().to_owned();
            (0..2).all(|axis| {
                let g = f.gradient().axis(axis as isize).compute().unwrap();
                let gt = ft.t().gradient().axis(axis as isize).compute().unwrap();
                let rev = f.invert_axis(axis).unwrap();
                let gr = rev.gradient().axis(axis as isize).compute().unwrap();
                let back = gr.invert_axis(axis).unwrap().map(|v| -v);
                g == gt && g == back
            })
        }
    }
}

/// Arrays large enough for the `parallel` feature to split them: the result is the
/// per-element formula everywhere, so no part boundary leaks into the numbers.
#[test]
fn large_arrays_match_the_formula_at_every_element() {
    let (r, c) = (700, 400);
    let f = Array::from_shape_fn([r, c], |ix| ((ix[0] * 31 + ix[1] * 7) % 97) as f64 * 0.25);
    for axis in 0..2 {
        let g = f.gradient().axis(axis as isize).compute().unwrap();
        let n = f.shape()[axis];
        for (ix, &v) in g.indexed_iter() {
            let at = |k: usize| {
                let mut j = [ix[0], ix[1]];
                j[axis] = k;
                f[j]
            };
            let i = ix[axis];
            let want = if i == 0 {
                at(1) - at(0)
            } else if i == n - 1 {
                at(n - 1) - at(n - 2)
            } else {
                (at(i + 1) - at(i - 1)) / 2.0
            };
            assert_eq!(v, want, "axis {axis} at {ix:?}");
        }
    }
}

/// The all-axes gradient, into new arrays and into caller memory, is the single-axis
/// calls' result bit for bit, for every layout and option.
#[test]
fn all_axes_equal_the_single_axis_calls() {
    let shape = [37, 41, 45];
    let a = Array::from_shape_fn(shape, |i| {
        ((i[0] * 31 + i[1] * 7 + i[2] * 3) % 101) as f64 / 9.0
    });
    let x = Array::from_shape_fn([41], |i| (i[0] as f64).powf(1.2));
    let t = a.t().to_owned();
    let layouts = [a.view(), t.t(), a.slice(s![..;-1, .., 1..]).unwrap()];
    for f in layouts {
        for opts in 0..4 {
            let spacings = || [Spacing::from(0.5), Spacing::from(&x), Spacing::from(2.0)];
            let g = match opts {
                0 => f.gradient(),
                1 => f.gradient().edge_order(2).spacings(spacings()),
                2 => f.gradient().accuracy(4),
                _ => f.gradient().axes(&[2, 0]),
            };
            let all = g.compute().unwrap();
            let mut outs: Vec<Array<f64>> = all.iter().map(|o| Array::zeros(o.shape())).collect();
            g.compute_into(&mut outs).unwrap();
            let axes: Vec<isize> = if opts == 3 { vec![2, 0] } else { vec![0, 1, 2] };
            for (k, &axis) in axes.iter().enumerate() {
                let one = match opts {
                    0 => f.gradient().axis(axis).compute(),
                    1 => f
                        .gradient()
                        .edge_order(2)
                        .spacing(spacings()[k].clone())
                        .axis(axis)
                        .compute(),
                    2 => f.gradient().accuracy(4).axis(axis).compute(),
                    _ => f.gradient().axis(axis).compute(),
                }
                .unwrap();
                let bits = |a: &Array<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&all[k]), bits(&one), "options {opts}, axis {axis}");
                assert_eq!(
                    bits(&outs[k]),
                    bits(&one),
                    "options {opts}, axis {axis}, into"
                );
            }
        }
    }
}

/// The all-axes gradient of inputs whose outputs are large enough to be stored around
/// the caches is still the single-axis calls' result bit for bit: 3-D and 4-D, steps
/// with and without an exact reciprocal, second-order ends with uneven coordinates on
/// one axis, `f32` data, into new arrays and into caller memory.
#[test]
fn all_axes_streamed_equal_the_single_axis_calls() {
    fn check<T: Promote>(f: &Array<T>, opts: usize) {
        let n1 = f.shape()[1];
        let x = Array::from_shape_fn([n1], |i| (i[0] as f64).powf(1.2));
        let spacings = |k: usize| match (opts, k) {
            (1, _) => Spacing::from(0.3),
            (2, 1) => Spacing::from(&x),
            _ => Spacing::from(1.0),
        };
        let edge = if opts == 2 { 2 } else { 1 };
        let g = f
            .gradient()
            .edge_order(edge)
            .spacings((0..f.ndim()).map(spacings));
        let all = g.compute().unwrap();
        let mut outs: Vec<Array<T::Output>> = all.iter().map(|o| Array::zeros(o.shape())).collect();
        g.compute_into(&mut outs).unwrap();
        let bits =
            |a: &Array<T::Output>| bytemuck::cast_slice::<_, u8>(a.as_slice().unwrap()).to_vec();
        for k in 0..f.ndim() {
            let one = f
                .gradient()
                .edge_order(edge)
                .spacing(spacings(k))
                .axis(k as isize)
                .compute()
                .unwrap();
            assert!(bits(&all[k]) == bits(&one), "options {opts}, axis {k}");
            assert!(
                bits(&outs[k]) == bits(&one),
                "options {opts}, axis {k}, into"
            );
        }
    }
    let value = |i: usize| ((i * 7919) % 1013) as f64 / 7.0;
    let mut n = 0;
    let cube = Array::from_shape_fn([130, 130, 170], |_| {
        n += 1;
        value(n)
    });
    for opts in 0..3 {
        check(&cube, opts);
    }
    let mut n = 0;
    let four = Array::from_shape_fn([20, 30, 40, 120], |_| {
        n += 1;
        value(n)
    });
    check(&four, 0);
    let single = Array::from_shape_fn([130, 200, 216], |i| {
        value(i[0] + 3 * i[1] + 7 * i[2]) as f32
    });
    check(&single, 0);
}

/// A 1-D gradient large enough to be stored around the caches (one lane, computed in
/// pieces), into a new array and into caller memory, is bit for bit the gradient of the
/// same samples in a strided column (walked as a lane, stored the ordinary way), with
/// both end orders and steps with and without an exact reciprocal.
#[test]
fn one_long_lane_streamed_equals_a_strided_one() {
    // 72 MB of `f64` output, over the 32 MiB at which stores are streamed.
    let n = 9_000_001;
    let value = |i: usize| ((i * 7919) % 1013) as f64 / 7.0;
    let f = Array::from_shape_fn([n], |i| value(i[0]));
    let wide = Array::from_shape_fn([n, 2], |i| value(i[0]));
    let column = wide.slice(s![.., 0]).unwrap();
    let bytes = |a: &Array<f64>| bytemuck::cast_slice::<_, u8>(a.as_slice().unwrap()).to_vec();
    for step in [1.0, 0.3] {
        for edge_order in [1, 2] {
            let g = f.gradient().spacing(step).edge_order(edge_order).axis(0);
            let mut into = Array::<f64>::zeros([n]);
            g.compute_into(&mut into).unwrap();
            let strided = column
                .gradient()
                .spacing(step)
                .edge_order(edge_order)
                .axis(0);
            let want = bytes(&strided.compute().unwrap());
            let what = format!("step {step}, edge_order {edge_order}");
            assert!(bytes(&g.compute().unwrap()) == want, "{what}");
            assert!(bytes(&into) == want, "{what}, into");
        }
    }
}

/// A single-axis gradient whose output is large enough to be stored around the caches
/// is, bit for bit, the same call on four parts of its input cut across another axis
/// (outputs stored the ordinary way): along every axis, with and without an exact
/// reciprocal of the step, into a new array and into caller memory.
#[test]
fn single_axis_streamed_equals_its_parts() {
    // 72 MB of `f64` output, over the 32 MiB at which stores are streamed; 18 MB a part.
    let shape = [100, 300, 300];
    let value = |i: [usize; 3]| ((i[0] + 3 * i[1] + 7 * i[2]) * 7919 % 1013) as f64 / 7.0;
    let f = Array::from_shape_fn(shape, |i| value([i[0], i[1], i[2]]));
    let bytes = |a: &[f64]| bytemuck::cast_slice::<_, u8>(a).to_vec();
    for step in [1.0, 0.3] {
        for axis in 0..3 {
            let g = |f: &Array<f64>| f.gradient().spacing(step).axis(axis as isize).compute();
            let whole = g(&f).unwrap();
            let mut into = Array::<f64>::zeros(shape);
            let one = f.gradient().spacing(step).axis(axis as isize);
            one.compute_into(&mut into).unwrap();
            let cut = if axis == 0 { 1 } else { 0 };
            let mut part = shape;
            part[cut] /= 4;
            let parts: Vec<Array<f64>> = (0..4)
                .map(|k| {
                    let p = Array::from_shape_fn(part, |i| {
                        let mut j = [i[0], i[1], i[2]];
                        j[cut] += k * part[cut];
                        value(j)
                    });
                    g(&p).unwrap()
                })
                .collect();
            // Each block of the whole output from axis `cut` on is a block of each part.
            let block = shape[cut..].iter().product::<usize>() / 4;
            let mut blocks: Vec<_> = parts
                .iter()
                .map(|p| p.as_slice().unwrap().chunks_exact(block))
                .collect();
            let mut expected = Vec::new();
            while let Some(b) = blocks[0].next() {
                expected.extend_from_slice(b);
                for rest in &mut blocks[1..] {
                    expected.extend_from_slice(rest.next().unwrap());
                }
            }
            let expected = bytes(&expected);
            let what = format!("step {step}, axis {axis}");
            assert!(bytes(whole.as_slice().unwrap()) == expected, "{what}");
            assert!(bytes(into.as_slice().unwrap()) == expected, "{what}, into");
        }
    }
}
