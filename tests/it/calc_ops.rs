//! numpy parity for diff, cumsum, cumprod, cumulative_sum, cumulative_prod, trapezoid
//! and SciPy's cumulative_trapezoid: every such case of tests/fixtures/calc/manifest.txt
//! (written by tests/fixtures/gen_calc.py) recomputed here and compared, plus the error
//! variants and quickcheck properties.

use ndcalc::ndcore::npy::{self, AnyArray};
use ndcalc::num_complex::Complex;
use ndcalc::prelude::*;
use ndcalc::{Accumulate, ArrayView, CalcError, DiffEdge, Integrate, NpArith, ResultType};
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
/// type than `.spacing()` (f32 data with f64 coordinates, which `.x()` computes as numpy
/// does: see `trapezoid_coordinates_through_x_are_bit_identical`).
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

fn run_diff<T: NpArith + Dist + Default + ResultType<T, Output = T>>(
    case: &Case,
    a: &Array<T>,
) -> u64 {
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

/// A coordinates case of `trapezoid`/`cumulative_trapezoid` through `.x()`, which keeps
/// the coordinates' own type as numpy does; returns the worst distance.
fn run_trapezoid_x<T: ndcalc::TrapezoidWith<X>, X: NpArith>(
    case: &Case,
    a: &Array<T>,
    x: &Array<X>,
) -> u64
where
    T::Integral: Dist + Default,
{
    let y = case.view(a);
    let axis = case.axis.unwrap_or(-1);
    if case.op == "trapezoid" {
        let b = y.trapezoid().x(x).axis(axis);
        let got = b.compute().unwrap_or_else(|e| panic!("{}: {e}", case.name));
        check(case, got, |o| b.compute_into(o))
    } else {
        let mut b = y.cumulative_trapezoid().x(x).axis(axis);
        if let Some(v) = &case.initial {
            b = b.initial(v.parse::<f64>().unwrap());
        }
        let got = b.compute().unwrap_or_else(|e| panic!("{}: {e}", case.name));
        check(case, got, |o| b.compute_into(o))
    }
}

fn trapezoid_x_any(c: &Case, a: AnyArray) -> u64 {
    let file = c.spacing[0].strip_prefix("c:").unwrap();
    macro_rules! with_coords {
        ($a:expr) => {
            match load(file) {
                AnyArray::F64(x) => run_trapezoid_x(c, $a, &x),
                AnyArray::F32(x) => run_trapezoid_x(c, $a, &x),
                other => panic!("{}: x {:?}", c.name, other.dtype()),
            }
        };
    }
    match a {
        AnyArray::I8(a) => with_coords!(&a),
        AnyArray::I16(a) => with_coords!(&a),
        AnyArray::I32(a) => with_coords!(&a),
        AnyArray::I64(a) => with_coords!(&a),
        AnyArray::U8(a) => with_coords!(&a),
        AnyArray::U16(a) => with_coords!(&a),
        AnyArray::U32(a) => with_coords!(&a),
        AnyArray::U64(a) => with_coords!(&a),
        AnyArray::F32(a) => with_coords!(&a),
        AnyArray::F64(a) => with_coords!(&a),
        AnyArray::Complex64(a) => with_coords!(&a),
        AnyArray::Complex128(a) => with_coords!(&a),
        other => panic!("{}: dtype {:?}", c.name, other.dtype()),
    }
}

/// Every coordinates case of `trapezoid` and `cumulative_trapezoid`, through `.x()`:
/// bit-identical, the f32-data-with-f64-coordinates case included (numpy's result is
/// f64 there, and so is `.x()`'s).
#[test]
fn trapezoid_coordinates_through_x_are_bit_identical() {
    let mut n = 0;
    for op in ["trapezoid", "cumulative_trapezoid"] {
        for c in cases(op).iter().filter(|c| c.has_coords()) {
            assert_eq!(trapezoid_x_any(c, load(&c.input)), 0, "{}", c.name);
            n += 1;
        }
    }
    assert_eq!(n, 24);
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

/// Outputs of 32 MiB or more are stored around the caches; their differences are still
/// the plain element-wise ones (numpy's subtraction), wrapping for integers, in every
/// block of a 3-D input, into new arrays and into caller memory.
#[test]
fn diff_streamed_is_the_plain_difference() {
    fn check<T: NpArith + PartialEq>(x: &Array<T>, axis: usize) {
        let got = x.diff().axis(axis as isize).compute().unwrap();
        let mut into = Array::<T>::zeroed(got.shape());
        x.diff()
            .axis(axis as isize)
            .compute_into(&mut into)
            .unwrap();
        // Row-major blocks of `l` hyperplanes of `inner` elements: y[k] = x[k + inner] - x[k].
        let (l, inner) = (
            x.shape()[axis],
            x.shape()[axis + 1..].iter().product::<usize>(),
        );
        let xs = x.as_slice().unwrap();
        let want: Vec<T> = xs
            .chunks_exact(l * inner)
            .flat_map(|b| b[inner..].iter().zip(b).map(|(&h, &l)| h.np_sub(l)))
            .collect();
        assert!(got.as_slice().unwrap() == want, "new output, axis {axis}");
        assert!(
            into.as_slice().unwrap() == want,
            "caller memory, axis {axis}"
        );
    }
    // 619 x 8200 differences of 8 bytes: 40.6 MB, over the 32 MiB threshold.
    let x = Array::from_shape_fn([620, 8200], |i| {
        ((i[0] * 7919 + i[1] * 31) % 1013) as f64 / 7.0
    });
    check(&x, 0);
    let x = Array::from_shape_fn([3, 320, 5420], |i| {
        // Spread over the whole range, so that many differences wrap.
        (((i[0] * 7 + i[1] * 7919 + i[2] * 31) % 1013) as i64).wrapping_mul(i64::MAX / 300)
    });
    check(&x, 1);
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

// ---- Element types: numpy's dtype= and casts (tests/fixtures/calc_types) -------------

const TYPES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/calc_types");

/// The hexadecimal bits of an element, as tests/fixtures/gen_calc_types.py writes them.
trait Bits: Copy {
    fn bits(self) -> String;
}
macro_rules! bits_via {
    ($($t:ty => $u:ty),*) => {$(
        impl Bits for $t {
            fn bits(self) -> String {
                format!("{:x}", self as $u)
            }
        }
    )*};
}
bits_via!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, u8 => u8, u16 => u16, u32 => u32, u64 => u64);
impl Bits for bool {
    fn bits(self) -> String {
        u8::from(self).to_string()
    }
}
impl Bits for f32 {
    fn bits(self) -> String {
        format!("{:x}", self.to_bits())
    }
}
impl Bits for f64 {
    fn bits(self) -> String {
        format!("{:x}", self.to_bits())
    }
}
impl<R: Bits> Bits for Complex<R> {
    fn bits(self) -> String {
        format!("{}/{}", self.re.bits(), self.im.bits())
    }
}

/// One `scan` line: op, input file, dtype, axis, include_initial, shape, bits.
struct Scan<'l> {
    op: &'l str,
    axis: Option<isize>,
    include_initial: bool,
    shape: Vec<usize>,
    want: Vec<&'l str>,
    line: &'l str,
}

fn scan_with<T: Accumulate, U: ndcalc::CastFrom<T> + Bits>(
    s: &Scan<'_>,
    b: ndcalc::Cumulative<'_, T, U>,
) {
    let mut b = b.include_initial(s.include_initial);
    if let Some(axis) = s.axis {
        b = b.axis(axis);
    }
    let got = b.compute().unwrap_or_else(|e| panic!("{}: {e}", s.line));
    assert_eq!(got.shape(), &s.shape[..], "{}", s.line);
    let got: Vec<String> = got.iter().map(|v| v.bits()).collect();
    assert_eq!(got, s.want, "{}", s.line);
}

fn scan_dtype<T: Accumulate, U: ndcalc::CastFrom<T> + Bits>(s: &Scan<'_>, a: &Array<T>) {
    let b = match s.op {
        "cumsum" => a.cumsum(),
        "cumprod" => a.cumprod(),
        "cumulative_sum" => a.cumulative_sum(),
        "cumulative_prod" => a.cumulative_prod(),
        op => panic!("{op}"),
    };
    scan_with(s, b.dtype::<U>());
}

/// Runs a scan with numpy's dtype name `dst` on a concrete input array.
macro_rules! scan_any_dst {
    ($s:expr, $dst:expr, $a:expr) => {
        match $dst {
            "bool" => scan_dtype::<_, bool>($s, $a),
            "int8" => scan_dtype::<_, i8>($s, $a),
            "int16" => scan_dtype::<_, i16>($s, $a),
            "int32" => scan_dtype::<_, i32>($s, $a),
            "int64" => scan_dtype::<_, i64>($s, $a),
            "uint8" => scan_dtype::<_, u8>($s, $a),
            "uint16" => scan_dtype::<_, u16>($s, $a),
            "uint32" => scan_dtype::<_, u32>($s, $a),
            "uint64" => scan_dtype::<_, u64>($s, $a),
            "float32" => scan_dtype::<_, f32>($s, $a),
            "float64" => scan_dtype::<_, f64>($s, $a),
            "complex64" => scan_dtype::<_, Complex<f32>>($s, $a),
            "complex128" => scan_dtype::<_, Complex<f64>>($s, $a),
            "default" => {
                let a = $a;
                let b = match $s.op {
                    "cumsum" => a.cumsum(),
                    "cumprod" => a.cumprod(),
                    "cumulative_sum" => a.cumulative_sum(),
                    "cumulative_prod" => a.cumulative_prod(),
                    op => panic!("{op}"),
                };
                scan_with($s, b)
            }
            d => panic!("dtype {d}"),
        }
    };
}

fn types_manifest() -> String {
    std::fs::read_to_string(format!("{TYPES_DIR}/manifest.txt"))
        .expect("rerun tests/fixtures/gen_calc_types.py")
}

/// `dtype=` of cumsum, cumprod, cumulative_sum and cumulative_prod for every pair of
/// numpy's 13 numeric types (and numpy's default), each along no axis, axis 0 and axis 1,
/// bit for bit.
#[test]
fn running_ops_with_dtype_match_numpy() {
    let text = types_manifest();
    let mut count = 0;
    for line in text.lines().filter(|l| l.starts_with("scan ")) {
        let (head, bits) = line.split_once(" = ").unwrap();
        let f: Vec<&str> = head.split(' ').collect();
        let s = Scan {
            op: f[1],
            axis: (f[4] != "none").then(|| f[4].parse().unwrap()),
            include_initial: f[5] == "1",
            shape: f[6].split('x').map(|d| d.parse().unwrap()).collect(),
            want: bits.split(' ').collect(),
            line,
        };
        let dst = f[3];
        match npy::read_any(format!("{TYPES_DIR}/{}", f[2])).unwrap() {
            AnyArray::Bool(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::I8(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::I16(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::I32(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::I64(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::U8(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::U16(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::U32(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::U64(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::F32(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::F64(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::Complex64(a) => scan_any_dst!(&s, dst, &a),
            AnyArray::Complex128(a) => scan_any_dst!(&s, dst, &a),
            other => panic!("{line}: {:?}", other.dtype()),
        }
        count += 1;
    }
    assert_eq!(count, 13 * 14 * 6 + 12, "scan lines");
}

/// The bits of `x` cast to `U` by a one-element cumsum, or "invalid" for the error.
fn cast_bits<T: Accumulate, U: ndcalc::CastFrom<T> + Bits>(x: T) -> String {
    match array![x].cumsum().dtype::<U>().compute() {
        Ok(r) => r[[0]].bits(),
        Err(CalcError::InvalidCast { value, to }) => {
            assert_eq!(to, std::any::type_name::<U>());
            assert!(!value.is_empty());
            "invalid".into()
        }
        Err(e) => panic!("{e}"),
    }
}

fn cast_to<T: Accumulate>(dst: &str, x: T) -> String
where
    i8: ndcalc::CastFrom<T>,
    i16: ndcalc::CastFrom<T>,
    i32: ndcalc::CastFrom<T>,
    i64: ndcalc::CastFrom<T>,
    u8: ndcalc::CastFrom<T>,
    u16: ndcalc::CastFrom<T>,
    u32: ndcalc::CastFrom<T>,
    u64: ndcalc::CastFrom<T>,
{
    match dst {
        "int8" => cast_bits::<T, i8>(x),
        "int16" => cast_bits::<T, i16>(x),
        "int32" => cast_bits::<T, i32>(x),
        "int64" => cast_bits::<T, i64>(x),
        "uint8" => cast_bits::<T, u8>(x),
        "uint16" => cast_bits::<T, u16>(x),
        "uint32" => cast_bits::<T, u32>(x),
        "uint64" => cast_bits::<T, u64>(x),
        d => panic!("{d}"),
    }
}

/// Floats (and complex numbers) to every integer type at the edges of definedness: the
/// same integer as numpy where numpy's cast is defined, an `InvalidCast` error exactly
/// where numpy warns "invalid value encountered in cast".
#[test]
fn float_to_int_casts_match_numpy() {
    let text = types_manifest();
    let (mut count, mut invalid) = (0, 0);
    for line in text.lines().filter(|l| l.starts_with("cast ")) {
        let (head, want) = line.split_once(" = ").unwrap();
        let f: Vec<&str> = head.split(' ').collect();
        let v: f64 = f[3].parse().unwrap();
        let got = match f[1] {
            "float64" => cast_to(f[2], v),
            "float32" => cast_to(f[2], v as f32),
            "complex128" => cast_to(f[2], Complex::new(v, 2.5)),
            "complex64" => cast_to(f[2], Complex::new(v as f32, 2.5)),
            s => panic!("{s}"),
        };
        assert_eq!(got, want, "{line}");
        count += 1;
        invalid += usize::from(want == "invalid");
    }
    assert_eq!(count, 4 * 36 * 8);
    assert!(invalid > 100 && invalid < count - 100);
}

#[test]
fn invalid_cast_error_names_the_value() {
    let e = array![1.0, f64::NAN]
        .cumsum()
        .dtype::<i32>()
        .compute()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot cast NaN to i32: numpy's result is undefined there \
         (\"invalid value encountered in cast\")"
    );
    let e = array![[3e9f32]]
        .cumprod()
        .axis(0)
        .dtype::<i8>()
        .compute()
        .unwrap_err();
    assert!(
        matches!(e, CalcError::InvalidCast { ref value, to: "i8" } if value == "3000000000.0"),
        "{e}"
    );
    // compute_into refuses before writing anything.
    let mut out = Array::<u64>::from_elem([2], 7);
    let e = array![1.0, -1e19]
        .cumsum()
        .dtype::<u64>()
        .compute_into(&mut out);
    assert!(e.is_err());
    assert_eq!(out, array![7u64, 7]);
}

/// numpy's name of an element type.
fn np_name<T>() -> &'static str {
    match std::any::type_name::<T>() {
        "bool" => "bool",
        "i8" => "int8",
        "i16" => "int16",
        "i32" => "int32",
        "i64" => "int64",
        "u8" => "uint8",
        "u16" => "uint16",
        "u32" => "uint32",
        "u64" => "uint64",
        "f32" => "float32",
        "f64" => "float64",
        "num_complex::Complex<f32>" => "complex64",
        "num_complex::Complex<f64>" => "complex128",
        t => panic!("{t}"),
    }
}

/// A diff's shape, numpy dtype name and bits, checking `compute_into` on the way.
fn diff_result<T: NpArith + Bits + Default>(
    b: ndcalc::Diff<'_, T>,
) -> (String, &'static str, Vec<String>) {
    let r = b.compute().unwrap();
    let mut into = Array::from_elem(r.shape(), T::default());
    b.compute_into(&mut into).unwrap();
    let bits = |a: &Array<T>| a.iter().map(|v| v.bits()).collect::<Vec<_>>();
    assert_eq!(bits(&into), bits(&r), "compute_into");
    let shape: Vec<String> = r.shape().iter().map(|d| d.to_string()).collect();
    (shape.join("x"), np_name::<T>(), bits(&r))
}

/// `$body` with `$a` bound to the typed array inside `$any` (an `AnyArray`).
macro_rules! with_array {
    ($any:expr, |$a:ident| $body:expr) => {
        match $any {
            AnyArray::Bool($a) => $body,
            AnyArray::I8($a) => $body,
            AnyArray::I16($a) => $body,
            AnyArray::I32($a) => $body,
            AnyArray::I64($a) => $body,
            AnyArray::U8($a) => $body,
            AnyArray::U16($a) => $body,
            AnyArray::U32($a) => $body,
            AnyArray::U64($a) => $body,
            AnyArray::F32($a) => $body,
            AnyArray::F64($a) => $body,
            AnyArray::Complex64($a) => $body,
            AnyArray::Complex128($a) => $body,
            other => panic!("{:?}", other.dtype()),
        }
    };
}

/// The append types of the fixtures: none, int8, float32, complex128.
macro_rules! with_append {
    ($any:expr, $b:expr) => {
        match $any {
            None => diff_result($b),
            Some(AnyArray::I8(q)) => diff_result($b.append(&q)),
            Some(AnyArray::F32(q)) => diff_result($b.append(&q)),
            Some(AnyArray::Complex128(q)) => diff_result($b.append(&q)),
            Some(other) => panic!("append {:?}", other.dtype()),
        }
    };
}

/// `np.diff` with prepend/append of every other type: numpy's promoted type and
/// numpy's values, bit for bit.
#[test]
fn diff_with_edges_of_other_types_matches_numpy() {
    let text = types_manifest();
    let load = |f: &str| (f != "none").then(|| npy::read_any(format!("{TYPES_DIR}/{f}")).unwrap());
    let (mut count, mut pairwise) = (0, 0);
    for line in text.lines().filter(|l| l.starts_with("diff")) {
        pairwise += usize::from(line.starts_with("diff_pairwise "));
        let (head, bits) = line.split_once(" = ").unwrap();
        let f: Vec<&str> = head.split(' ').collect();
        let (axis, n): (isize, usize) = (f[4].parse().unwrap(), f[5].parse().unwrap());
        let (p, q) = (load(f[2]), load(f[3]));
        let got = with_array!(load(f[1]).unwrap(), |a| {
            let b = a.diff().axis(axis).n(n);
            match p {
                None => with_append!(q, b),
                Some(p) => with_array!(p, |p| with_append!(q, b.prepend(&p))),
            }
        });
        let want: Vec<&str> = bits.split(' ').collect();
        assert_eq!((got.0.as_str(), got.1), (f[6], f[7]), "{line}");
        assert_eq!(got.2, want, "{line}");
        count += 1;
    }
    assert_eq!(count, 13 * 14 * 4);
    // The triples where numpy's promotion of all three types differs from promotion in
    // call order (see `Diff::append`): {int8 or int16, uint16, float32 or complex64},
    // where the fixtures hold four of them.
    assert_eq!(pairwise, 4);
}

/// A trapezoid result's shape, numpy dtype name and bits, checking `compute_into`.
fn trap_result<O: Bits + Default + ndcalc::Value>(
    got: ndcalc::Result<Array<O>>,
    into: impl Fn(&mut Array<O>) -> ndcalc::Result<()>,
) -> (String, &'static str, Vec<String>) {
    let r = got.unwrap();
    let mut out = Array::from_elem(r.shape(), O::default());
    into(&mut out).unwrap();
    let bits = |a: &Array<O>| a.iter().map(|v| v.bits()).collect::<Vec<_>>();
    assert_eq!(bits(&out), bits(&r), "compute_into");
    let shape: Vec<String> = r.shape().iter().map(|d| d.to_string()).collect();
    (shape.join("x"), np_name::<O>(), bits(&r))
}

/// `$body` with `$a` bound to the typed trapezoid data inside `$any`.
macro_rules! with_y {
    ($any:expr, |$a:ident| $body:expr) => {
        match $any {
            AnyArray::I16($a) => $body,
            AnyArray::I64($a) => $body,
            AnyArray::U8($a) => $body,
            AnyArray::F32($a) => $body,
            AnyArray::F64($a) => $body,
            AnyArray::Complex128($a) => $body,
            other => panic!("y {:?}", other.dtype()),
        }
    };
}

/// `$body` with `$a` bound to the typed trapezoid coordinates inside `$any`.
macro_rules! with_x {
    ($any:expr, |$a:ident| $body:expr) => {
        match $any {
            AnyArray::Bool($a) => $body,
            AnyArray::I8($a) => $body,
            AnyArray::I16($a) => $body,
            AnyArray::I32($a) => $body,
            AnyArray::I64($a) => $body,
            AnyArray::U8($a) => $body,
            AnyArray::U64($a) => $body,
            AnyArray::F32($a) => $body,
            AnyArray::F64($a) => $body,
            AnyArray::Complex64($a) => $body,
            other => panic!("x {:?}", other.dtype()),
        }
    };
}

/// `np.trapezoid(y, x)` and SciPy's `cumulative_trapezoid(y, x)` with `x` of its own
/// dtype (f32, f64, int64 nanosecond timestamps, small integers, bool, complex) and of
/// y's shape, broadcasting to it, or 1-D; transposed views too: numpy's result dtype
/// and values, bit for bit.
#[test]
fn trapezoid_with_typed_x_matches_numpy() {
    let text = types_manifest();
    let load = |f: &str| npy::read_any(format!("{TYPES_DIR}/{f}")).unwrap();
    let mut count = 0;
    for line in text.lines().filter(|l| l.starts_with("trap ")) {
        let (head, bits) = line.split_once(" = ").unwrap();
        let f: Vec<&str> = head.split(' ').collect();
        let (op, axis, initial, t) = (f[1], f[4].parse::<isize>().unwrap(), f[5], f[6] == "t");
        let got = with_y!(load(f[2]), |y| with_x!(load(f[3]), |x| {
            let (yv, xv) = if t {
                (y.t(), x.t())
            } else {
                (y.view(), x.view())
            };
            if op == "trapezoid" {
                let b = yv.trapezoid().x(&xv).axis(axis);
                trap_result(b.compute(), |o| b.compute_into(o))
            } else {
                let mut b = yv.cumulative_trapezoid().x(&xv).axis(axis);
                if initial == "0" {
                    b = b.initial(0);
                }
                trap_result(b.compute(), |o| b.compute_into(o))
            }
        }));
        let want: Vec<&str> = bits.split(' ').filter(|b| !b.is_empty()).collect();
        assert_eq!((got.0.as_str(), got.1), (f[7], f[8]), "{line}");
        assert_eq!(got.2, want, "{line}");
        count += 1;
    }
    assert_eq!(count, 123);
}

#[test]
fn trapezoid_x_errors() {
    let y = array![[1., 2., 3.], [4., 5., 6.]];
    let e = y.trapezoid().x(&array![0., 1.]).compute().unwrap_err();
    assert_eq!(
        e,
        CalcError::CoordinatesLength {
            axis: 1,
            expected: 3,
            found: 2
        }
    );
    let x = array![[0i64, 1, 2]];
    let e = y.trapezoid().x(&x).axis(0).compute().unwrap_err();
    assert_eq!(
        e.to_string(),
        "x of shape [1, 3] does not fit y of shape [2, 3] along axis 0: give 1-D x as long as \
         the axis, or x that broadcasts to y's shape with axis 0 at full length"
    );
    // The same x is fine along axis 1, broadcast over the rows.
    assert_eq!(y.trapezoid().x(&x).compute().unwrap(), array![4., 10.]);
    let x3 = Array::<f64>::zeros([2, 2, 3]);
    assert!(matches!(
        y.trapezoid().x(&x3).compute(),
        Err(CalcError::XShape { .. })
    ));
    assert!(matches!(
        y.cumulative_trapezoid()
            .x(&array![[0., 1.], [2., 3.]])
            .compute(),
        Err(CalcError::XShape { .. })
    ));
    assert!(matches!(
        Array::scalar(1.0).trapezoid().x(&array![1.0]).compute(),
        Err(CalcError::ZeroDimensional { .. })
    ));
    assert!(matches!(
        y.cumulative_trapezoid()
            .x(&array![0., 1., 2.])
            .initial(2.0)
            .compute(),
        Err(CalcError::InitialNotZero { .. })
    ));
    let mut wrong = Array::<f64>::zeros([3]);
    assert!(matches!(
        y.trapezoid()
            .x(&array![0., 1., 2.])
            .compute_into(&mut wrong),
        Err(CalcError::Array(
            ndcalc::ndcore::Error::ShapeMismatch { .. }
        ))
    ));
}
