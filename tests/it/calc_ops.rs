//! numpy parity for diff, cumsum, cumprod, cumulative_sum, cumulative_prod, trapezoid
//! and SciPy's cumulative_trapezoid: every such case of tests/fixtures/calc/manifest.txt
//! (written by tests/fixtures/gen_calc.py) recomputed here and compared, plus the error
//! variants and quickcheck properties.

use ndcalc::ndcore::npy::AnyArray;
use ndcalc::prelude::*;
use ndcalc::{Accumulate, ArrayView, CalcError, DiffEdge, Integrate, NpArith};
use quickcheck::{quickcheck, TestResult};

use crate::fixtures::{cases, load, Case, Dist};

/// Compares one result with numpy's; returns the worst distance.
fn worst<O: Dist>(case: &Case, got: &Array<O>, want: &Array<O>) -> u64 {
    assert_eq!(got.shape(), want.shape(), "{}: shape", case.name);
    got.iter()
        .zip(want.iter())
        .map(|(g, w)| g.dist(*w))
        .max()
        .unwrap_or(0)
}

/// How far a case may be from numpy: bit for bit, except where numpy computes in a wider
/// type than ndcalc (f32 data with f64 coordinates).
fn allowed(case: &Case) -> u64 {
    if case.name.ends_with("coords_f64") {
        // 300 trapezoids summed in f32 instead of f64: measured 17 ulps.
        64
    } else {
        0
    }
}

/// Checks `got` against the case's numpy output and that `compute_into` (into a fresh
/// array and into a transposed view) gives the same; returns the worst distance.
fn check<O: Dist + Default>(
    case: &Case,
    got: Array<O>,
    into: impl Fn(&mut ArrayViewMut<'_, O>) -> ndcalc::Result<()>,
) -> u64 {
    let want = O::from_numpy(load(&case.outputs[0]));
    let w = worst(case, &got, &want);
    assert!(
        w <= allowed(case),
        "{}: differs from numpy by {w} ulps\n got {:?}\nwant {:?}",
        case.name,
        got.to_vec(),
        want.to_vec()
    );
    let mut out = Array::from_elem(got.shape(), O::default());
    into(&mut out.view_mut()).unwrap_or_else(|e| panic!("{}: compute_into: {e}", case.name));
    assert_eq!(worst(case, &out, &got), 0, "{}: compute_into", case.name);
    let rev: Vec<usize> = (0..got.ndim()).rev().collect();
    let mut t = Array::from_elem(
        rev.iter().map(|&k| got.shape()[k]).collect::<Vec<_>>(),
        O::default(),
    );
    let mut tv = t.permuted_axes_mut(&rev).unwrap();
    into(&mut tv).unwrap();
    assert_eq!(
        worst(case, &tv.to_owned(), &got),
        0,
        "{}: compute_into a transposed view",
        case.name
    );
    w
}

fn run_diff<T: NpArith + Dist + Default>(case: &Case, a: &Array<T>) -> u64 {
    let x = case.view(a);
    let edge = |spec: &Option<String>| -> Option<(bool, Array<T>)> {
        let (kind, file) = spec.as_deref()?.split_once(':').unwrap();
        Some((kind == "scalar", load(file).into_array::<T>().unwrap()))
    };
    let (p, q) = (edge(&case.prepend), edge(&case.append));
    fn to_edge<T: Copy>(e: &(bool, Array<T>)) -> DiffEdge<'_, T> {
        if e.0 {
            DiffEdge::Scalar(*e.1.iter().next().unwrap())
        } else {
            (&e.1).into()
        }
    }
    let mut b = x.diff().n(case.n);
    if let Some(axis) = case.axis {
        b = b.axis(axis);
    }
    if let Some(p) = &p {
        b = b.prepend(to_edge(p));
    }
    if let Some(q) = &q {
        b = b.append(to_edge(q));
    }
    let got = b.compute().unwrap_or_else(|e| panic!("{}: {e}", case.name));
    assert_eq!(b.shape().unwrap(), got.shape(), "{}", case.name);
    check(case, got, |o| b.compute_into(o))
}

fn run_cumulative<T: Accumulate>(case: &Case, a: &Array<T>) -> u64
where
    T::Acc: Dist + Default,
{
    let x = case.view(a);
    let mut b = match case.op.as_str() {
        "cumsum" => x.cumsum(),
        "cumprod" => x.cumprod(),
        "cumulative_sum" => x.cumulative_sum(),
        "cumulative_prod" => x.cumulative_prod(),
        op => panic!("{op}"),
    };
    if let Some(axis) = case.axis {
        b = b.axis(axis);
    }
    if case.include_initial {
        b = b.include_initial(true);
    }
    let got = b.compute().unwrap_or_else(|e| panic!("{}: {e}", case.name));
    check(case, got, |o| b.compute_into(o))
}

fn run_trapezoid<T: Integrate>(case: &Case, a: &Array<T>) -> u64
where
    T::Output: Dist + Default,
{
    let y = case.view(a);
    let sp = case.spacings();
    if case.op == "trapezoid" {
        let mut b = y.trapezoid();
        if let Some(s) = sp.into_iter().next() {
            b = b.spacing(s);
        }
        if let Some(axis) = case.axis {
            b = b.axis(axis);
        }
        let got = b.compute().unwrap_or_else(|e| panic!("{}: {e}", case.name));
        check(case, got, |o| b.compute_into(o))
    } else {
        let mut b = y.cumulative_trapezoid();
        if let Some(s) = sp.into_iter().next() {
            b = b.spacing(s);
        }
        if let Some(axis) = case.axis {
            b = b.axis(axis);
        }
        if let Some(v) = &case.initial {
            b = b.initial(v.parse::<f64>().unwrap());
        }
        let got = b.compute().unwrap_or_else(|e| panic!("{}: {e}", case.name));
        check(case, got, |o| b.compute_into(o))
    }
}

/// Runs every case of `op`; returns (cases, bit-identical).
fn parity(op: &str, run: impl Fn(&Case, AnyArray) -> u64) -> (usize, usize) {
    let all = cases(op);
    assert!(
        !all.is_empty(),
        "no {op} cases: rerun tests/fixtures/gen_calc.py"
    );
    let exact = all.iter().filter(|c| run(c, load(&c.input)) == 0).count();
    eprintln!(
        "{op}: {} numpy cases, {exact} bit-identical, {} within tolerance",
        all.len(),
        all.len() - exact
    );
    (all.len(), exact)
}

#[test]
fn diff_matches_numpy() {
    let (n, exact) = parity("diff", |c, a| match a {
        AnyArray::Bool(a) => run_diff(c, &a),
        AnyArray::I8(a) => run_diff(c, &a),
        AnyArray::I16(a) => run_diff(c, &a),
        AnyArray::I32(a) => run_diff(c, &a),
        AnyArray::I64(a) => run_diff(c, &a),
        AnyArray::U8(a) => run_diff(c, &a),
        AnyArray::U16(a) => run_diff(c, &a),
        AnyArray::U32(a) => run_diff(c, &a),
        AnyArray::U64(a) => run_diff(c, &a),
        AnyArray::F32(a) => run_diff(c, &a),
        AnyArray::F64(a) => run_diff(c, &a),
        AnyArray::Complex64(a) => run_diff(c, &a),
        AnyArray::Complex128(a) => run_diff(c, &a),
        other => panic!("{}: dtype {:?}", c.name, other.dtype()),
    });
    assert_eq!(n, exact);
}

fn cumulative_any(c: &Case, a: AnyArray) -> u64 {
    match a {
        AnyArray::Bool(a) => run_cumulative(c, &a),
        AnyArray::I8(a) => run_cumulative(c, &a),
        AnyArray::I16(a) => run_cumulative(c, &a),
        AnyArray::I32(a) => run_cumulative(c, &a),
        AnyArray::I64(a) => run_cumulative(c, &a),
        AnyArray::U8(a) => run_cumulative(c, &a),
        AnyArray::U16(a) => run_cumulative(c, &a),
        AnyArray::U32(a) => run_cumulative(c, &a),
        AnyArray::U64(a) => run_cumulative(c, &a),
        AnyArray::F32(a) => run_cumulative(c, &a),
        AnyArray::F64(a) => run_cumulative(c, &a),
        AnyArray::Complex64(a) => run_cumulative(c, &a),
        AnyArray::Complex128(a) => run_cumulative(c, &a),
        other => panic!("{}: dtype {:?}", c.name, other.dtype()),
    }
}

#[test]
fn cumulative_ops_match_numpy() {
    for op in ["cumsum", "cumprod", "cumulative_sum", "cumulative_prod"] {
        let (n, exact) = parity(op, cumulative_any);
        assert_eq!(n, exact, "{op}");
    }
}

fn trapezoid_any(c: &Case, a: AnyArray) -> u64 {
    match a {
        AnyArray::I8(a) => run_trapezoid(c, &a),
        AnyArray::I16(a) => run_trapezoid(c, &a),
        AnyArray::I32(a) => run_trapezoid(c, &a),
        AnyArray::I64(a) => run_trapezoid(c, &a),
        AnyArray::U8(a) => run_trapezoid(c, &a),
        AnyArray::U16(a) => run_trapezoid(c, &a),
        AnyArray::U32(a) => run_trapezoid(c, &a),
        AnyArray::U64(a) => run_trapezoid(c, &a),
        AnyArray::F32(a) => run_trapezoid(c, &a),
        AnyArray::F64(a) => run_trapezoid(c, &a),
        AnyArray::Complex64(a) => run_trapezoid(c, &a),
        AnyArray::Complex128(a) => run_trapezoid(c, &a),
        other => panic!("{}: dtype {:?}", c.name, other.dtype()),
    }
}

#[test]
fn trapezoid_matches_numpy() {
    let (n, exact) = parity("trapezoid", trapezoid_any);
    // Only f32 data with f64 coordinates may differ (numpy computes it in f64).
    assert!(
        n - exact <= 1,
        "{} of {n} trapezoid cases not bit-identical",
        n - exact
    );
}

#[test]
fn cumulative_trapezoid_matches_scipy() {
    let (n, exact) = parity("cumulative_trapezoid", trapezoid_any);
    assert_eq!(n, exact);
}

// ---- Targeted behaviour --------------------------------------------------------------

#[test]
fn diff_numpy_examples() {
    assert_eq!(array![1u8, 0].diff().compute().unwrap(), array![255u8]);
    assert_eq!(
        array![true, false, false].diff().compute().unwrap(),
        array![true, false]
    );
    let x = array![1., 2., 4.];
    // n = 0 is a copy and ignores everything else, even a bad axis.
    assert_eq!(x.diff().n(0).axis(7).compute().unwrap(), x);
    // n beyond the length: an empty axis, not an error.
    assert_eq!(x.diff().n(5).compute().unwrap().shape(), &[0]);
    let m = array![[1, 2], [3, 5]];
    assert_eq!(
        m.diff()
            .axis(0)
            .prepend(0)
            .append(&array![[10, 10]])
            .compute()
            .unwrap(),
        array![[1, 2], [2, 3], [7, 5]]
    );
    // ArrayView edges and views as input.
    let p = array![[0, 0]];
    let pv = p.view();
    assert_eq!(
        m.t().diff().axis(1).prepend(&pv).compute().unwrap_err(),
        CalcError::EdgeShape {
            which: "prepend",
            axis: 1,
            shape: vec![1, 2],
            input: vec![2, 2]
        }
    );
    assert_eq!(m.t().diff().axis(1).compute().unwrap(), array![[2], [3]]);
}

#[test]
fn diff_errors() {
    let m = array![[1., 2., 3.], [4., 5., 6.]];
    let e = m.diff().axis(2).compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::Array(ndcalc::ndcore::Error::AxisOutOfRange { axis: 2, ndim: 2 })
    );
    let e = Array::scalar(1.0).diff().compute().unwrap_err();
    assert_eq!(e, CalcError::ZeroDimensional { op: "diff" });
    let bad = array![[0.], [0.], [0.]];
    let e = m.diff().axis(1).append(&bad).compute().unwrap_err();
    assert_eq!(
        e.to_string(),
        "append has shape [3, 1], but diff along axis 1 of an array of shape [2, 3] needs 2 axes \
         and the input's length on every axis but 1"
    );
    let flat = array![0., 0., 0.];
    assert!(matches!(
        m.diff().axis(0).prepend(&flat).compute(),
        Err(CalcError::EdgeShape {
            which: "prepend",
            ..
        })
    ));
    let mut out = Array::<f64>::zeros([2, 3]);
    let e = m.diff().compute_into(&mut out).unwrap_err();
    assert_eq!(
        e,
        CalcError::Array(ndcalc::ndcore::Error::ShapeMismatch {
            expected: vec![2, 2],
            found: vec![2, 3]
        })
    );
}

#[test]
fn cumulative_behaviour_and_errors() {
    let a = array![[1u8, 2], [3, 4]];
    assert_eq!(a.cumsum().compute().unwrap(), array![1u64, 3, 6, 10]);
    assert_eq!(a.t().cumsum().compute().unwrap(), array![1u64, 4, 6, 10]);
    assert_eq!(
        array![i64::MAX, 1].cumsum().compute().unwrap(),
        array![i64::MAX, i64::MIN]
    );
    let e = a.cumulative_sum().compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::AxisRequired {
            op: "cumulative_sum",
            ndim: 2
        }
    );
    assert_eq!(
        e.to_string(),
        "cumulative_sum needs an axis for an array of 2 dimensions"
    );
    assert!(matches!(
        a.cumulative_prod().compute(),
        Err(CalcError::AxisRequired {
            op: "cumulative_prod",
            ..
        })
    ));
    assert_eq!(
        a.cumsum().axis(-3).compute().unwrap_err(),
        CalcError::Array(ndcalc::ndcore::Error::AxisOutOfRange { axis: -3, ndim: 2 })
    );
    let empty = Array::<i32>::zeros([0]);
    assert_eq!(
        empty
            .cumulative_prod()
            .include_initial(true)
            .compute()
            .unwrap(),
        array![1i64]
    );
    let mut out = Array::<u64>::zeros([2, 2]);
    assert_eq!(
        a.cumulative_sum()
            .axis(0)
            .include_initial(true)
            .compute_into(&mut out)
            .unwrap_err(),
        CalcError::Array(ndcalc::ndcore::Error::ShapeMismatch {
            expected: vec![3, 2],
            found: vec![2, 2]
        })
    );
    assert_eq!(Array::scalar(2.5).cumsum().compute().unwrap(), array![2.5]);
}

#[test]
fn trapezoid_behaviour_and_errors() {
    let y = array![1., 2., 3.];
    assert_eq!(y.trapezoid().compute().unwrap()[[]], 4.0);
    assert_eq!(array![200u8, 200].trapezoid().compute().unwrap()[[]], 72.0);
    assert_eq!(
        Array::<f64>::zeros([1]).trapezoid().compute().unwrap()[[]],
        0.0
    );
    let e = y.trapezoid().spacing(&[1., 2.]).compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::CoordinatesLength {
            axis: 0,
            expected: 3,
            found: 2
        }
    );
    assert_eq!(
        Array::scalar(1.0).trapezoid().compute().unwrap_err(),
        CalcError::ZeroDimensional { op: "trapezoid" }
    );
    assert_eq!(
        y.trapezoid().axis(1).compute().unwrap_err(),
        CalcError::Array(ndcalc::ndcore::Error::AxisOutOfRange { axis: 1, ndim: 1 })
    );
    let mut out = Array::<f64>::zeros([1]);
    assert!(matches!(
        y.trapezoid().compute_into(&mut out),
        Err(CalcError::Array(
            ndcalc::ndcore::Error::ShapeMismatch { .. }
        ))
    ));

    let e = Array::<f64>::zeros([2, 0])
        .cumulative_trapezoid()
        .compute()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "axis 1 has 0 points, but cumulative_trapezoid needs at least 1"
    );
    let e = y.cumulative_trapezoid().initial(1).compute().unwrap_err();
    assert_eq!(e, CalcError::InitialNotZero { value: "1".into() });
    assert_eq!(
        e.to_string(),
        "initial must be 0 (the only value SciPy accepts), got 1"
    );
    assert_eq!(
        array![5.]
            .cumulative_trapezoid()
            .initial_zero()
            .compute()
            .unwrap(),
        array![0.]
    );
    assert_eq!(
        array![5.].cumulative_trapezoid().compute().unwrap().shape(),
        &[0]
    );
}

// ---- Properties ----------------------------------------------------------------------

quickcheck! {
    /// cumsum then diff (with a 0 prepended) gives the data back, exactly for integers
    /// (wrapping arithmetic is a ring), along either axis of a 2-D array of any layout.
    fn cumsum_then_diff_is_identity(data: Vec<i64>, cols: u8, axis: bool, transpose: bool) -> TestResult {
        let cols = 1 + cols as usize % 7;
        let rows = data.len() / cols;
        let a = Array::from_shape_vec([rows, cols], data[..rows * cols].to_vec()).unwrap();
        let v = if transpose { a.t() } else { a.view() };
        let axis = axis as isize;
        let c = v.cumsum().axis(axis).compute().unwrap();
        let d = c.diff().axis(axis).prepend(0i64).compute().unwrap();
        TestResult::from_bool(d == v.to_owned())
    }

    /// The same through cumulative_sum's include_initial and small ints (widened to i64).
    fn cumulative_sum_then_diff_is_identity(data: Vec<i8>) -> bool {
        let a = Array::from_vec(data.clone());
        let c = a.cumulative_sum().include_initial(true).compute().unwrap();
        let d = c.diff().compute().unwrap();
        d.to_vec() == data.iter().map(|&v| v as i64).collect::<Vec<_>>()
    }

    /// The trapezoid rule is exact for a linear function (small integer coefficients and
    /// grid so every value is exact in f64).
    fn trapezoid_of_linear_is_exact(a: i8, b: i8, n: u8, h: u8) -> bool {
        let n = 2 + n as usize % 300;
        let h = 1.0 + (h % 4) as f64;
        let (a, b) = (a as f64, b as f64);
        let x: Vec<f64> = (0..n).map(|i| i as f64 * h).collect();
        let y = Array::from_vec(x.iter().map(|&x| a * x + b).collect::<Vec<_>>());
        let len = x[n - 1];
        let want = a * len * len / 2.0 + b * len;
        let by_step = y.trapezoid().spacing(h).compute().unwrap()[[]];
        let by_coords = y.trapezoid().spacing(&x).compute().unwrap()[[]];
        by_step == want && by_coords == want
    }

    /// cumulative_trapezoid's last value is trapezoid's result (exactly when both sum in
    /// order: an axis of length up to 8, or a non-innermost axis).
    fn cumulative_trapezoid_ends_at_trapezoid(data: Vec<f64>, cols: u8) -> TestResult {
        let data: Vec<f64> = data.into_iter().filter(|v| v.is_finite() && v.abs() < 1e100).collect();
        let cols = 1 + cols as usize % 5;
        let rows = data.len() / cols;
        if rows == 0 {
            return TestResult::discard();
        }
        let a = Array::from_shape_vec([rows, cols], data[..rows * cols].to_vec()).unwrap();
        for axis in [0isize, 1] {
            let total = a.trapezoid().axis(axis).compute().unwrap();
            let running = a.cumulative_trapezoid().axis(axis).initial(0).compute().unwrap();
            let len = a.shape()[axis as usize];
            let last = running.index_axis(axis as usize, len - 1).unwrap();
            for (t, l) in total.iter().zip(last.iter()) {
                let exact = len <= 8 || (axis == 0 && cols > 1);
                let ok = if exact { t == l } else { (t - l).abs() <= 1e-9 * (1.0 + t.abs().max(l.abs())) * len as f64 };
                if !ok {
                    return TestResult::failed();
                }
            }
        }
        TestResult::passed()
    }
}

/// Views in, views out: every op reads any layout and writes into a mutable view.
#[test]
fn views_in_and_out() {
    let a = Array::from_shape_fn([4, 6], |ix| (ix[0] * 10 + ix[1]) as f64);
    let v: ArrayView<'_, f64> = a.slice(s![..;-1, 1..;2]).unwrap();
    let mut out = Array::<f64>::zeros([3, 3]);
    let mut sub = out.slice_mut(s![.., ..]).unwrap();
    v.diff().axis(0).compute_into(&mut sub).unwrap();
    assert_eq!(out, Array::from_elem([3, 3], -10.0));
    let c = v.cumsum().axis(0).compute().unwrap();
    assert_eq!(c.index_axis(0, 3).unwrap().to_vec(), vec![64., 72., 80.]);
}

/// Rows scanned four at a time (and the leftover rows one by one) keep numpy's
/// sequential order in every row.
#[test]
fn cumsum_of_many_rows_is_sequential_per_row() {
    for rows in [1, 3, 4, 5, 9] {
        let a = Array::from_shape_fn([rows, 11], |ix| {
            ((ix[0] * 37 + ix[1] * 11) % 17) as f64 * 0.1
        });
        let c = a.cumsum().axis(1).compute().unwrap();
        for r in 0..rows {
            let mut acc = 0.0;
            for k in 0..11 {
                acc = if k == 0 { a[[r, 0]] } else { acc + a[[r, k]] };
                assert_eq!(
                    c[[r, k]].to_bits(),
                    acc.to_bits(),
                    "row {r} of {rows}, column {k}"
                );
            }
        }
    }
}

quickcheck! {
    /// Any shape (zero-length axes included), axis and option gives a result or an
    /// error value from every operation, never a panic.
    fn arbitrary_op_calls_never_panic(dims: Vec<u8>, axis: i8, n: u8, initial: bool, xlen: u8) -> bool {
        let shape: Vec<usize> = dims.iter().take(3).map(|d| (*d % 4) as usize).collect();
        let a = Array::from_shape_fn(shape.clone(), |ix| ix.iter().sum::<usize>() as f64);
        let ai = a.map(|&v| v as i32);
        let x = Array::from_shape_fn([xlen as usize % 5], |ix| ix[0] as f64 * 0.5);
        let ax = axis as isize % 4;
        let _ = a.diff().n(n as usize % 5).axis(ax).compute();
        let _ = a.diff().axis(ax).prepend(1.0).append(&a).compute();
        let _ = ai.diff().n(n as usize % 3).axis(ax).compute();
        let _ = a.cumsum().axis(ax).compute();
        let _ = a.cumsum().compute();
        let _ = ai.cumprod().axis(ax).compute();
        let _ = a.cumulative_sum().axis(ax).include_initial(initial).compute();
        let _ = a.cumulative_prod().include_initial(initial).compute();
        let _ = a.trapezoid().axis(ax).compute();
        let _ = a.trapezoid().spacing(&x).axis(ax).compute();
        let _ = ai.trapezoid().spacing(0.5).axis(ax).compute();
        let _ = a.cumulative_trapezoid().spacing(&x).axis(ax).initial_zero().compute();
        let _ = a.cumulative_trapezoid().axis(ax).compute();
        let _ = a.derivative(n as usize % 4).axis(ax).compute();
        let _ = a.laplacian().compute();
        true
    }
}

/// Arrays large enough for the `parallel` feature to split them give the sequential
/// answer at every element.
#[test]
fn large_arrays_match_the_sequential_definition() {
    let (r, c) = (370, 360);
    let a = Array::from_shape_fn([r, c], |ix| ((ix[0] * 31 + ix[1] * 7) % 97) as f64 * 0.25);
    for axis in 0..2usize {
        let cs = a.cumsum().axis(axis as isize).compute().unwrap();
        let d = a.diff().axis(axis as isize).compute().unwrap();
        let (n, m) = (a.shape()[axis], a.shape()[1 - axis]);
        for j in 0..m {
            let at = |k: usize| if axis == 0 { [k, j] } else { [j, k] };
            let mut acc = 0.0;
            for k in 0..n {
                acc = if k == 0 { a[at(0)] } else { acc + a[at(k)] };
                assert_eq!(
                    cs[at(k)].to_bits(),
                    acc.to_bits(),
                    "cumsum axis {axis} at {:?}",
                    at(k)
                );
                if k + 1 < n {
                    assert_eq!(
                        d[at(k)],
                        a[at(k + 1)] - a[at(k)],
                        "diff axis {axis} at {:?}",
                        at(k)
                    );
                }
            }
        }
    }
}
