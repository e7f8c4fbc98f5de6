//! Missing data: `Missing::Skip` against numpy's NaN-aware functions
//! (tests/fixtures/gen_missing.py), bit for bit.

use ndcalc::ndcore::npy::AnyArray;
use ndcalc::num_complex::Complex;
use ndcalc::prelude::*;

use crate::fixtures::{load_in, same};
use ndcalc::{GradientAxis, Missing};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/missing");

fn load(file: &str) -> AnyArray {
    load_in(DIR, file)
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

/// The spacing of a gradient case: unit steps, a step, or coordinates from a file.
fn case_spacing(text: &str) -> Option<Spacing> {
    match text {
        "none" => None,
        s if s.starts_with("step:") => Some(Spacing::from(s[5..].parse::<f64>().unwrap())),
        file => match load(file) {
            AnyArray::F64(x) => Some(Spacing::from(&x)),
            _ => panic!("{file}: coordinates are f64"),
        },
    }
}

fn skip_gradient<'a>(
    f: &'a Array<f64>,
    axis: isize,
    edge_order: usize,
    s: &Option<Spacing>,
) -> ndcalc::GradientAxis<'a, f64> {
    let g = f
        .gradient()
        .edge_order(edge_order)
        .missing(Missing::Skip)
        .axis(axis);
    match s {
        Some(s) => g.spacing(s.clone()),
        None => g,
    }
}

fn bits(a: &Array<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

#[test]
fn skip_is_numpy_gradient_run_by_run_bit_for_bit() {
    let text = std::fs::read_to_string(format!("{DIR}/gradient.txt")).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let (name, axis, eo) = (w[0], w[1].parse::<isize>().unwrap(), w[2].parse().unwrap());
        let s = case_spacing(w[3]);
        let (AnyArray::F64(f), AnyArray::F64(want)) = (load(w[4]), load(w[5])) else {
            panic!("{name}: f64 cases only");
        };
        let want = bits(&want);
        let grad = |f, axis| skip_gradient(f, axis, eo, &s);
        // compute, compute_into, and the plane / lane order of a transposed copy.
        let got = grad(&f, axis).compute().unwrap();
        same(name, &bits(&got), &want);
        let mut into = Array::<f64>::zeros(f.shape());
        grad(&f, axis).compute_into(&mut into).unwrap();
        same(name, &bits(&into), &want);
        let nd = f.ndim() as isize;
        let ft = f.t().to_owned();
        let got = grad(&ft, nd - 1 - axis).compute().unwrap();
        same(name, &bits(&got.t().to_owned()), &want);
        // The mask form: the values at masked samples are never read.
        let valid = f.map(|v| !v.is_nan());
        let filled = f.map(|v| if v.is_nan() { 1e300 } else { *v });
        let g = filled.gradient().edge_order(eo).mask(&valid).axis(axis);
        let g = match &s {
            Some(s) => g.spacing(s.clone()),
            None => g,
        };
        same(name, &bits(&g.compute().unwrap()), &want);
        // At accuracy 2 the first derivative takes numpy's edge_order=2 formulas.
        if eo == 2 {
            let d = f.derivative(1).axis(axis).missing(Missing::Skip);
            let d = match &s {
                Some(s) => d.spacing(s.clone()),
                None => d,
            };
            same(name, &bits(&d.compute().unwrap()), &want);
        }
        n += 1;
    }
    assert_eq!(n, 64);
}

#[test]
fn a_mask_of_another_shape_names_both_shapes() {
    let f = Array::<f64>::zeros([5, 6]);
    let valid = Array::from_elem([6, 5], true);
    for err in [
        f.gradient().mask(&valid).compute().unwrap_err(),
        f.laplacian().mask(&valid).compute().unwrap_err(),
        divergence(&[&f, &f]).mask(&valid).compute().unwrap_err(),
    ] {
        assert_eq!(
            err.to_string(),
            "the mask has shape [6, 5], but the input has shape [5, 6]"
        );
    }
    // A block with a halo cannot know how far its runs reach.
    let ok = Array::from_elem([5, 6], true);
    let err = f.gradient().mask(&ok).axis(0).halo(1, 0).compute();
    assert!(matches!(err, Err(CalcError::BlockOption { .. })));
}

#[test]
fn laplacian_and_divergence_are_nan_only_where_a_needed_sample_is() {
    // x^2 + y^2 with a hole: the Laplacian is 4 wherever each axis's run around the
    // point has the three points a parabola needs; NaN at the hole only.
    let mut f = Array::from_shape_fn([9, 9], |i| (i[0] * i[0] + i[1] * i[1]) as f64);
    f[[4, 4]] = f64::NAN;
    let l = f.laplacian().missing(Missing::Skip).compute().unwrap();
    for (k, v) in l.iter().enumerate() {
        if k == 4 * 9 + 4 {
            assert!(v.is_nan());
        } else {
            assert!((v - 4.0).abs() < 1e-9, "{k}: {v}");
        }
    }
    let mut into = Array::<f64>::zeros([9, 9]);
    f.laplacian()
        .missing(Missing::Skip)
        .compute_into(&mut into)
        .unwrap();
    assert_eq!(bits(&into).len(), 81);
    assert!(into
        .iter()
        .zip(l.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    // A sample isolated along axis 1 (its neighbours there missing) has no second
    // derivative along axis 1, so the Laplacian there is NaN too; so are [0, 3] and
    // [0, 5], isolated along axis 0 by the two holes below them.
    let mut g = f.clone();
    g[[1, 3]] = f64::NAN;
    g[[1, 5]] = f64::NAN;
    let l = g.laplacian().missing(Missing::Skip).compute().unwrap();
    let nan: Vec<usize> = (0..81)
        .filter(|&k| l.iter().nth(k).unwrap().is_nan())
        .collect();
    assert_eq!(nan, [3, 5, 9 + 3, 9 + 4, 9 + 5, 4 * 9 + 4]);
    // div (x^2, y^2) = 2x + 2y: NaN at the hole of either component only (the runs of
    // 4 beside it take order-2 ends, exact for a parabola).
    let fx = Array::from_shape_fn([9, 9], |i| (i[0] * i[0]) as f64);
    let mut fy = Array::from_shape_fn([9, 9], |i| (i[1] * i[1]) as f64);
    fy[[2, 4]] = f64::NAN;
    let d = divergence(&[&fx, &fy])
        .missing(Missing::Skip)
        .accuracy(4)
        .compute()
        .unwrap();
    for i in 0..9 {
        for j in 0..9 {
            let v = d[[i, j]];
            if [i, j] == [2, 4] {
                assert!(v.is_nan());
            } else {
                assert!((v - 2.0 * (i + j) as f64).abs() < 1e-9, "{i} {j}: {v}");
            }
        }
    }
    // The curl of a gradient field is zero away from the hole.
    let c = curl(&[&fy, &fx]).missing(Missing::Skip).compute().unwrap();
    assert!(c[0][[2, 4]].is_nan());
    assert_eq!(c[0].iter().filter(|v| v.is_nan()).count(), 1);
}

mod props {
    use super::*;
    use quickcheck::{quickcheck, TestResult};

    /// Data from `vals` on an `r x c` grid, NaN where `holes` says.
    fn field(vals: &[i16], holes: &[u8], r: usize, c: usize, every: u8) -> Array<f64> {
        Array::from_shape_fn([r, c], |i| {
            let k = i[0] * c + i[1];
            let hole = !holes.is_empty() && holes[k % holes.len()].is_multiple_of(every.max(2));
            if hole {
                f64::NAN
            } else {
                vals[k % vals.len()] as f64 / 8.0
            }
        })
    }

    fn same_bits(a: &Array<f64>, b: &Array<f64>) -> bool {
        a.shape() == b.shape()
            && a.iter()
                .zip(b.iter())
                .all(|(p, q)| p.to_bits() == q.to_bits())
    }

    /// `g` (a gradient along `axis` of a 2-D field) computed on four parts of `f` cut
    /// across the other axis, and joined back: the parts' lanes are the whole field's,
    /// and their outputs a quarter as large, below the size at which stores go around
    /// the caches.
    fn by_parts(f: &Array<f64>, axis: usize, g: impl Fn(&Array<f64>) -> Array<f64>) -> Array<f64> {
        let [n0, n1] = [f.shape()[0], f.shape()[1]];
        let mut out = Array::<f64>::zeros([n0, n1]);
        for k in 0..4 {
            let rows = if axis == 1 {
                k * n0 / 4..(k + 1) * n0 / 4
            } else {
                0..n0
            };
            let cols = if axis == 0 {
                k * n1 / 4..(k + 1) * n1 / 4
            } else {
                0..n1
            };
            let part = g(&f.slice(s![rows.clone(), cols.clone()]).unwrap().to_owned());
            out.slice_mut(s![rows, cols])
                .unwrap()
                .assign(&part)
                .unwrap();
        }
        out
    }

    fn boundary(k: u8) -> Boundary {
        [
            Boundary::Numpy,
            Boundary::Periodic,
            Boundary::Reflect,
            Boundary::Constant(1.5),
        ][k as usize % 4]
    }

    quickcheck! {
        /// The NaN form and the mask form agree, every option, both loop orders.
        fn prop_mask_and_nan_agree(vals: Vec<i16>, holes: Vec<u8>, every: u8, acc: u8, order: bool, b: u8, coords: bool) -> TestResult {
            if vals.is_empty() {
                return TestResult::discard();
            }
            let (r, c) = (5, 17);
            let f = field(&vals, &holes, r, c, every);
            let valid = f.map(|v| !v.is_nan());
            let filled = f.map(|v| if v.is_nan() { -3.0 } else { *v });
            let k = [2, 4, 6][acc as usize % 3];
            let x = Array::from_shape_fn([c], |i| (i[0] as f64 + 1.0).powf(1.2));
            let s = if coords { Spacing::periodic_coords(&x, 40.0) } else { Spacing::from(0.5) };
            let d = if order { 2 } else { 1 };
            let b = boundary(b);
            let skip = f.derivative(d).axis(1).spacing(s.clone()).accuracy(k).boundary(b).missing(Missing::Skip).compute();
            let mask = filled.derivative(d).axis(1).spacing(s.clone()).accuracy(k).boundary(b).mask(&valid).compute();
            let ft = f.t().to_owned();
            let plane = ft.derivative(d).axis(0).spacing(s).accuracy(k).boundary(b).missing(Missing::Skip).compute();
            match (skip, mask, plane) {
                (Ok(p), Ok(q), Ok(t)) => TestResult::from_bool(same_bits(&p, &q) && same_bits(&p, &t.t().to_owned())),
                (Err(_), Err(_), Err(_)) => TestResult::discard(),
                _ => TestResult::failed(),
            }
        }

        /// A mask of all `true` changes nothing, as does Skip on NaN-free data.
        fn prop_all_true_mask_changes_nothing(vals: Vec<i16>, acc: u8, b: u8, lap: bool) -> TestResult {
            if vals.is_empty() {
                return TestResult::discard();
            }
            let f = field(&vals, &[], 9, 11, 2);
            let valid = Array::from_elem([9, 11], true);
            let k = [2, 4, 6][acc as usize % 3];
            let b = boundary(b);
            let (plain, masked, skipped) = if lap {
                let op = f.laplacian().accuracy(k).boundary(b);
                (op.compute(), op.clone().mask(&valid).compute(), op.missing(Missing::Skip).compute())
            } else {
                let op = f.gradient().accuracy(k).boundary(b).axis(0);
                (op.compute(), op.clone().mask(&valid).compute(), op.missing(Missing::Skip).compute())
            };
            match (plain, masked, skipped) {
                (Ok(p), Ok(m), Ok(s)) => TestResult::from_bool(same_bits(&p, &m) && same_bits(&p, &s)),
                _ => TestResult::discard(),
            }
        }

        /// With a periodic boundary and both end samples valid, the run through the
        /// wrap is one run: the same as the lane rotated so that the run is whole.
        fn prop_periodic_run_is_not_cut(vals: Vec<i16>, hole: u8, acc: u8) -> TestResult {
            let n = 24;
            if vals.is_empty() {
                return TestResult::discard();
            }
            let hole = 1 + hole as usize % (n - 2);            // never an end sample
            let k = [2, 4, 6][acc as usize % 3];
            let f = Array::from_shape_fn([n], |i| if i[0] == hole { f64::NAN } else { vals[i[0] % vals.len()] as f64 });
            let g = f.gradient().accuracy(k).boundary(Boundary::Periodic).missing(Missing::Skip).axis(0).compute().unwrap();
            // Rotated: the hole at the start, so the wrapping run is whole, from 1 to n-1.
            let rot = Array::from_shape_fn([n], |i| f[[(i[0] + hole) % n]]);
            let run = rot.slice_axis(0, Slice::new(1, n as isize, 1)).unwrap().to_owned();
            let want = run.gradient().accuracy(k).axis(0).compute().unwrap();
            let ok = (0..n - 1).all(|j| g[[(hole + 1 + j) % n]].to_bits() == want[[j]].to_bits());
            TestResult::from_bool(ok && g[[hole]].is_nan())
        }

        /// At accuracy 4 and 6 each run is computed as its own array: a run long enough
        /// for the accuracy gives the derivative of that run alone, bit for bit.
        fn prop_high_accuracy_is_per_run(vals: Vec<i16>, cut: u8, acc: bool, order: bool) -> TestResult {
            let n = 30;
            if vals.is_empty() {
                return TestResult::discard();
            }
            let k = if acc { 4 } else { 6 };
            let d = if order { 2 } else { 1 };
            let cut = 9 + cut as usize % (n - 18);          // both runs at least 9 long
            let f = Array::from_shape_fn([n], |i| if i[0] == cut { f64::NAN } else { vals[i[0] % vals.len()] as f64 });
            let g = f.derivative(d).accuracy(k).spacing(0.25).missing(Missing::Skip).compute().unwrap();
            let part = |a: usize, b: usize| f.slice_axis(0, Slice::new(a as isize, b as isize, 1)).unwrap().derivative(d).accuracy(k).spacing(0.25).compute().unwrap();
            let (left, right) = (part(0, cut), part(cut + 1, n));
            let ok = (0..cut).all(|i| g[[i]].to_bits() == left[[i]].to_bits())
                && (cut + 1..n).all(|i| g[[i]].to_bits() == right[[i - cut - 1]].to_bits());
            TestResult::from_bool(ok && g[[cut]].is_nan())
        }
    }

    /// Standard-layout data are differentiated a few thousand samples at a time, each
    /// tile's missing samples found and fixed as soon as it is written (tiles of 2^14
    /// samples: whole rows along axis 0, whole lanes along axis 1); other layouts lane
    /// by lane after the whole kernel. The two agree bit for bit on a field of several
    /// tiles with scattered holes, whole rows missing on both sides of a tile border,
    /// a whole tile missing and runs of every length, for every kind of stencil and end.
    #[test]
    fn tiles_agree_with_lane_by_lane() {
        let (r, c) = (200, 251); // 65 rows a tile along axis 0, 65 lanes along axis 1
        let mut k: u64 = 0x2545_f491_4f6c_dd1d;
        let f = Array::from_shape_fn([r, c], |i| {
            k ^= k << 13;
            k ^= k >> 7;
            k ^= k << 17;
            let row_gone = [64, 65, 129].contains(&i[0]) || (130..195).contains(&i[0]);
            let col_gone = i[1] == 7 && i[0] % 3 != 0;
            if row_gone || col_gone || k.is_multiple_of(97) {
                f64::NAN
            } else {
                (k % 1000) as f64 / 64.0
            }
        });
        let valid = f.map(|v| !v.is_nan());
        let filled = f.map(|v| if v.is_nan() { 7.0 } else { *v });
        // The same values in column-major layout, which the tiles do not take.
        let ft = f.t().to_owned();
        let (fc, vt) = (ft.t(), valid.t().to_owned());
        let vc = vt.t();
        let ys = Array::from_shape_fn([r], |i| (i[0] as f64 + 1.0).powf(1.1));
        let xs = Array::from_shape_fn([c], |i| 0.5 * i[0] as f64);
        for axis in [0usize, 1] {
            let coords = if axis == 0 { &ys } else { &xs };
            for (b, s, acc) in [
                (Boundary::Numpy, Spacing::from(0.5), None),
                (Boundary::Numpy, Spacing::from(coords), None),
                (Boundary::Numpy, Spacing::from(0.5), Some(4)),
                (Boundary::Numpy, Spacing::from(coords), Some(6)),
                (Boundary::Periodic, Spacing::from(0.5), Some(2)),
                (
                    Boundary::Periodic,
                    Spacing::periodic_coords(coords, 1e3),
                    None,
                ),
                (Boundary::Reflect, Spacing::from(0.5), Some(4)),
                (Boundary::Constant(1.5), Spacing::from(coords), None),
            ] {
                let grad = |f: &ArrayView<'_, f64>, m: Option<&ArrayView<'_, bool>>| {
                    let g = f
                        .gradient()
                        .axis(axis as isize)
                        .spacing(s.clone())
                        .boundary(b);
                    let g = match acc {
                        Some(a) => g.accuracy(a),
                        None => g,
                    };
                    match m {
                        Some(m) => g.mask(m).compute().unwrap(),
                        None => g.missing(Missing::Skip).compute().unwrap(),
                    }
                };
                let tiled = grad(&f.view(), None);
                let what = format!("axis {axis}, {b:?}, {s:?}, accuracy {acc:?}");
                assert!(same_bits(&tiled, &grad(&fc, None)), "{what}");
                assert!(
                    same_bits(&tiled, &grad(&filled.view(), Some(&valid.view()))),
                    "{what}: mask"
                );
                let d2 = |f: &ArrayView<'_, f64>, m: Option<&ArrayView<'_, bool>>| {
                    let d = f
                        .derivative(2)
                        .axis(axis as isize)
                        .spacing(s.clone())
                        .boundary(b);
                    let d = d.accuracy(acc.unwrap_or(2));
                    match m {
                        Some(m) => d.mask(m).compute().unwrap(),
                        None => d.missing(Missing::Skip).compute().unwrap(),
                    }
                };
                let tiled = d2(&f.view(), None);
                assert!(
                    same_bits(&tiled, &d2(&fc, Some(&vc))),
                    "{what}: second derivative"
                );
            }
        }
        // The Laplacian adds the second axis's term through a temporary.
        let lap = f.laplacian().missing(Missing::Skip).compute().unwrap();
        let lanes = fc.laplacian().missing(Missing::Skip).compute().unwrap();
        assert!(same_bits(&lap, &lanes));
    }

    /// Inputs large enough to be cut into parts for threads (with the `parallel`
    /// feature): whole-lane tiles along the last axis, blocks of hyperplanes along a
    /// middle one. Each part gives the bits of the lane-by-lane pass over the same
    /// values in column-major layout.
    #[test]
    fn parts_agree_with_lane_by_lane() {
        let mut k: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut sample = |lane_gone: bool| {
            k ^= k << 13;
            k ^= k >> 7;
            k ^= k << 17;
            if lane_gone || k.is_multiple_of(61) {
                f64::NAN
            } else {
                (k % 1000) as f64 / 64.0
            }
        };
        let wide = Array::from_shape_fn([1100, 120], |i| sample(i[0] == 517 && i[1] > 3));
        let deep = Array::from_shape_fn([2, 300, 251], |i| sample(i[2] == 9 && i[0] == 1));
        for (f, axis) in [(wide, 1usize), (deep, 1)] {
            let ft = f.t().to_owned();
            let fc = ft.t();
            let n = f.shape()[axis];
            let coords = Array::from_shape_fn([n], |i| (i[0] as f64 + 1.0).powf(1.1));
            for (b, s) in [
                (Boundary::Numpy, Spacing::from(0.5)),
                (Boundary::Numpy, Spacing::from(&coords)),
                (Boundary::Periodic, Spacing::from(0.5)),
            ] {
                let grad = |f: &ArrayView<'_, f64>| {
                    f.gradient()
                        .axis(axis as isize)
                        .spacing(s.clone())
                        .boundary(b)
                        .missing(Missing::Skip)
                        .compute()
                        .unwrap()
                };
                let what = format!("shape {:?}, axis {axis}, {b:?}, {s:?}", f.shape());
                assert!(same_bits(&grad(&f.view()), &grad(&fc)), "{what}");
            }
        }
    }

    /// An output of 32 MiB or more has the tiles after one with nothing missing stored
    /// around the caches (and fixed after, if they have holes), along either axis: the
    /// same bits, into a new array and into caller memory, NaN or a mask, as the field's
    /// quarters (not streamed), with holes in some tiles (a few whole rows, one row cut at
    /// every 64th sample) and none in most.
    #[test]
    fn clean_tiles_streamed() {
        let f = Array::from_shape_fn([2048, 4096], |i| {
            let [r, c] = [i[0], i[1]];
            if (r == 700 && c % 64 == 0) || (1500..1504).contains(&r) || (r * 7 + c) % 99_991 == 0 {
                f64::NAN
            } else {
                ((r * 31 + c * 17) % 1013) as f64 / 8.0
            }
        });
        let mask = f.map(|v| !v.is_nan());
        for (axis, b) in [0, 1]
            .into_iter()
            .flat_map(|a| [(a, Boundary::Numpy), (a, Boundary::Periodic)])
        {
            fn g(f: &Array<f64>, axis: usize, b: Boundary) -> GradientAxis<'_, f64> {
                f.gradient()
                    .axis(axis as isize)
                    .spacing(0.3)
                    .boundary(b)
                    .missing(Missing::Skip)
            }
            let want = by_parts(&f, axis, |h| g(h, axis, b).compute().unwrap());
            let g = |f| g(f, axis, b);
            assert!(
                same_bits(&g(&f).compute().unwrap(), &want),
                "axis {axis}, {b:?}"
            );
            let mut into = Array::<f64>::zeros([2048, 4096]);
            g(&f).compute_into(&mut into).unwrap();
            assert!(same_bits(&into, &want), "axis {axis}, {b:?} into");
            let filled = f.map(|v| if v.is_nan() { 0.0 } else { *v });
            let mut masked = Array::<f64>::zeros([2048, 4096]);
            filled
                .gradient()
                .axis(axis as isize)
                .spacing(0.3)
                .boundary(b)
                .mask(&mask)
                .compute_into(&mut masked)
                .unwrap();
            assert!(same_bits(&masked, &want), "axis {axis}, {b:?} mask");
        }
    }

    /// An output of 64 MiB (stored around the caches) of a field with about one sample
    /// in a hundred missing everywhere, a band of dense holes across the rows and one
    /// down the first and last columns, its first row missing and some of its last,
    /// gives along either axis, into a new array and into caller memory, the same bits
    /// as the field's quarters (not streamed), for numpy's ends of either order (on a step
    /// and on uniform coordinates) and the wide stencils, NaN or a mask. The same holds
    /// for the field as one lane, against its parts between missing samples.
    #[test]
    fn scattered_holes_streamed() {
        let mut k: u64 = 0x2545_f491_4f6c_dd1d;
        let f = Array::from_shape_fn([2048, 4096], |i| {
            k ^= k << 13;
            k ^= k >> 7;
            k ^= k << 17;
            let dense = (900..940).contains(&i[0]) && k.is_multiple_of(3)
                || (i[1] < 4 || i[1] >= 4092) && k.is_multiple_of(2);
            if dense
                || k.is_multiple_of(100)
                || i[0] == 0 && i[1] < 2048
                || i[0] == 2047 && i[1] % 5 == 0
            {
                f64::NAN
            } else {
                (k % 1000) as f64 / 64.0
            }
        });
        let mask = f.map(|v| !v.is_nan());
        let filled = f.map(|v| if v.is_nan() { 0.0 } else { *v });
        type Case = (usize, Option<usize>, bool);
        let cases: [Case; 3] = [(1, None, false), (2, None, false), (2, None, true)];
        let cases = cases
            .into_iter()
            .chain([(1, Some(4), false), (1, Some(6), false)]);
        for (axis, (ends, acc, coords)) in [0, 1]
            .into_iter()
            .flat_map(|a| cases.clone().map(move |c| (a, c)))
        {
            let x = Array::from_shape_fn([f.shape()[axis]], |i| i[0] as f64 * 0.25);
            /// The gradient of the case along `axis`, on coordinates `x` or a step.
            fn g<'a>(
                f: &'a Array<f64>,
                x: &'a Array<f64>,
                case: Case,
                axis: usize,
            ) -> GradientAxis<'a, f64> {
                let (ends, acc, coords) = case;
                let g = if coords {
                    f.gradient().spacing(x)
                } else {
                    f.gradient().spacing(0.3)
                };
                match acc {
                    Some(a) => g.accuracy(a),
                    None => g.edge_order(ends),
                }
                .axis(axis as isize)
            }
            let opts = (ends, acc, coords);
            let want = by_parts(&f, axis, |h| {
                g(h, &x, opts, axis)
                    .missing(Missing::Skip)
                    .compute()
                    .unwrap()
            });
            let g = |f| g(f, &x, opts, axis);
            let case =
                format!("axis {axis}, edge order {ends}, accuracy {acc:?}, coordinates {coords}");
            let new = g(&f).missing(Missing::Skip).compute().unwrap();
            assert!(same_bits(&new, &want), "{case}");
            let mut into = Array::<f64>::zeros([2048, 4096]);
            g(&f)
                .missing(Missing::Skip)
                .compute_into(&mut into)
                .unwrap();
            assert!(same_bits(&into, &want), "{case}: into");
            g(&filled).mask(&mask).compute_into(&mut into).unwrap();
            assert!(same_bits(&into, &want), "{case}: mask");
        }
        // One lane longer than a tile, in one piece; missing samples near a quarter, a half
        // and three quarters of it cut it into four independent parts.
        let line = f.view().reshape([2048 * 4096]).unwrap().to_owned();
        let n = line.len();
        let cuts: Vec<usize> = [n / 4, n / 2, 3 * n / 4]
            .iter()
            .map(|&at| (at..).find(|&i| line[[i]].is_nan()).unwrap())
            .collect();
        let bounds: Vec<(usize, usize)> = std::iter::once(0)
            .chain(cuts.iter().map(|c| c + 1))
            .zip(cuts.iter().copied().chain([n]))
            .collect();
        let parts: Vec<Array<f64>> = bounds
            .iter()
            .map(|&(a, b)| line.slice(s![a as isize..b as isize]).unwrap().to_owned())
            .collect();
        for ends in [1, 2] {
            fn g(f: &Array<f64>, ends: usize) -> GradientAxis<'_, f64> {
                f.gradient().edge_order(ends).missing(Missing::Skip).axis(0)
            }
            let g = |f| g(f, ends);
            let mut want = Vec::with_capacity(n);
            for (k, part) in parts.iter().enumerate() {
                if k > 0 {
                    want.push(f64::NAN);
                }
                want.extend(g(part).compute().unwrap().iter().copied());
            }
            let want = Array::from_vec(want);
            let new = g(&line).compute().unwrap();
            assert!(same_bits(&new, &want), "1-D, edge order {ends}");
            let mut into = Array::<f64>::zeros([2048 * 4096]);
            g(&line).compute_into(&mut into).unwrap();
            assert!(same_bits(&into, &want), "1-D, edge order {ends}, into");
        }
    }

    /// Short runs at accuracy 6 still converge: on sin with a hole every 8 samples,
    /// every point takes the highest order that fits its run, and the error falls as
    /// the grid is refined.
    #[test]
    fn short_runs_at_high_accuracy_converge() {
        let err = |n: usize| {
            let h = 1.0 / n as f64;
            let f = Array::from_shape_fn([n], |i| {
                if i[0] % 8 == 7 {
                    f64::NAN
                } else {
                    (i[0] as f64 * h * 3.0).sin()
                }
            });
            let g = f
                .gradient()
                .accuracy(6)
                .spacing(h)
                .missing(Missing::Skip)
                .axis(0)
                .compute()
                .unwrap();
            g.iter()
                .enumerate()
                .filter(|(_, v)| !v.is_nan())
                .map(|(i, v)| (v - 3.0 * (i as f64 * h * 3.0).cos()).abs())
                .fold(0.0, f64::max)
        };
        let (e1, e2) = (err(64), err(128));
        // Runs of 7 are too short for the ends of order 6 (8 points) but take those of
        // order 4 (6 points), and order 6 at their centre: halving h divides the error
        // by about 16.
        assert!(e2 < e1 / 12.0, "{e1:e} {e2:e}");
    }
}
