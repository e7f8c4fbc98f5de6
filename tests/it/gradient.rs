//! numpy parity for `gradient`: every case of tests/fixtures/calc/manifest.txt (written by
//! numpy through tests/fixtures/gen_calc.py) recomputed here and compared.

use ndcalc::ndcore::npy::{self, AnyArray};
use ndcalc::num_complex::Complex;
use ndcalc::prelude::*;
use ndcalc::{ArrayView, Promote};

use crate::fixtures::{load, Case};

/// How a result may differ from numpy's.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Tolerance {
    /// Bit for bit (NaNs equal to NaNs).
    Exact,
    /// Within `ulps` units in the last place (f32 data with f64 coordinates, which numpy
    /// computes in f64 and ndcalc in f32).
    Ulps(u32),
}

trait Bits: Copy + std::fmt::Debug {
    /// Distance in units of the last place, 0 for identical values or two NaNs.
    fn ulps(self, other: Self) -> u64;
}

impl Bits for f64 {
    fn ulps(self, o: f64) -> u64 {
        if self.is_nan() && o.is_nan() || self == o {
            return 0;
        }
        let key = |x: f64| {
            let b = x.to_bits() as i64;
            if b < 0 { i64::MIN - b } else { b }
        };
        key(self).abs_diff(key(o))
    }
}

impl Bits for f32 {
    fn ulps(self, o: f32) -> u64 {
        if self.is_nan() && o.is_nan() || self == o {
            return 0;
        }
        let key = |x: f32| {
            let b = x.to_bits() as i32;
            if b < 0 { i32::MIN - b } else { b }
        };
        key(self).abs_diff(key(o)) as u64
    }
}

impl<R: Bits> Bits for Complex<R> {
    fn ulps(self, o: Self) -> u64 {
        self.re.ulps(o.re).max(self.im.ulps(o.im))
    }
}

/// Compares one result; returns whether it matched bit for bit.
fn compare<O: Bits>(case: &str, got: &Array<O>, want: &Array<O>, tol: Tolerance) -> bool {
    assert_eq!(got.shape(), want.shape(), "{case}: shape");
    let worst = got.iter().zip(want.iter()).map(|(g, w)| g.ulps(*w)).max().unwrap_or(0);
    let allowed = match tol {
        Tolerance::Exact => 0,
        Tolerance::Ulps(u) => u as u64,
    };
    assert!(
        worst <= allowed,
        "{case}: differs from numpy by {worst} ulps (allowed {allowed})\n got {:?}\nwant {:?}",
        got.to_vec(),
        want.to_vec()
    );
    worst == 0
}

fn run<T>(case: &Case, f: ArrayView<'_, T>, want: Vec<Array<T::Output>>, tol: Tolerance) -> (usize, usize)
where
    T: Promote,
    T::Output: Bits,
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
    let exact = got.iter().zip(&want).filter(|(g, w)| compare(&case.name, g, w, tol)).count();

    // The single-axis form and the no-allocation form agree with the multi-axis one.
    if let Some([axis]) = case.axes.as_deref() {
        let mut one = g.clone().axis(*axis);
        if case.spacings().len() == 1 {
            one = one.spacing(case.spacings().remove(0));
        }
        let a = one.compute().unwrap();
        assert!(a.iter().zip(got[0].iter()).all(|(x, y)| x.ulps(*y) == 0), "{}: axis form", case.name);
        let mut out = Array::from_elem(f.shape(), num_traits::Zero::zero());
        one.compute_into(&mut out).unwrap();
        compare(&case.name, &out, &got[0], Tolerance::Exact);
        let mut t = Array::from_elem(f.t().shape(), num_traits::Zero::zero());
        let reversed: Vec<usize> = (0..f.ndim()).rev().collect();
        one.compute_into(&mut t.permuted_axes_mut(&reversed).unwrap()).unwrap();
        compare(&case.name, &t.t().to_owned(), &got[0], Tolerance::Exact);
    }
    (exact, want.len())
}

fn expect<T: npy::Element>(files: &[String]) -> Vec<Array<T>> {
    files.iter().map(|f| load(f).into_array::<T>().unwrap()).collect()
}

#[test]
fn gradient_matches_numpy() {
    let cases = crate::fixtures::cases("gradient");
    assert!(cases.len() >= 90, "only {} gradient cases", cases.len());
    let (mut exact, mut total) = (0, 0);
    for case in &cases {
        let input = load(&case.input);
        let coords_f32 = matches!(input, AnyArray::F32(_)) && case.has_coords();
        let (e, t) = match &input {
            AnyArray::F64(a) => run(case, case.view(a), expect::<f64>(&case.outputs), Tolerance::Exact),
            AnyArray::F32(a) => {
                let tol = if coords_f32 { Tolerance::Ulps(4) } else { Tolerance::Exact };
                run(case, case.view(a), expect::<f32>(&case.outputs), tol)
            }
            AnyArray::Complex128(a) => run(case, case.view(a), expect::<Complex<f64>>(&case.outputs), Tolerance::Exact),
            AnyArray::U8(a) => run(case, case.view(a), expect::<f64>(&case.outputs), Tolerance::Exact),
            AnyArray::I8(a) => run(case, case.view(a), expect::<f64>(&case.outputs), Tolerance::Exact),
            AnyArray::I32(a) => run(case, case.view(a), expect::<f64>(&case.outputs), Tolerance::Exact),
            AnyArray::I64(a) => run(case, case.view(a), expect::<f64>(&case.outputs), Tolerance::Exact),
            AnyArray::U64(a) => run(case, case.view(a), expect::<f64>(&case.outputs), Tolerance::Exact),
            other => panic!("{}: no gradient test for dtype {:?}", case.name, other.dtype()),
        };
        exact += e;
        total += t;
    }
    println!("gradient: {exact} of {total} numpy outputs ({} cases) match to the last bit", cases.len());
    assert_eq!(exact, total, "every gradient output matches numpy bit for bit");
}
