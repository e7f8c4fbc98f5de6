//! Reading tests/fixtures/calc/manifest.txt, the numpy parity cases of ndcalc.

use ndcalc::ndcore::npy::{self, AnyArray, Element};
use ndcalc::num_complex::Complex;
use ndcalc::prelude::*;
use ndcalc::ArrayView;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/calc");

/// One block of the manifest.
#[derive(Clone, Debug, Default)]
pub struct Case {
    pub name: String,
    pub op: String,
    pub input: String,
    pub view: Vec<String>,
    pub axes: Option<Vec<isize>>,
    pub spacing: Vec<String>,
    pub edge_order: usize,
    pub outputs: Vec<String>,
    /// The one axis of diff, the cumulative ops and the trapezoid rule (`axis` key).
    pub axis: Option<isize>,
    /// diff's order.
    pub n: usize,
    /// diff's prepend/append, `scalar:<file>` or `array:<file>`.
    pub prepend: Option<String>,
    pub append: Option<String>,
    /// cumulative_sum / cumulative_prod.
    pub include_initial: bool,
    /// cumulative_trapezoid's initial value, if any.
    pub initial: Option<String>,
    /// The input's numpy dtype name.
    pub dtype: String,
}

impl Case {
    /// The spacing items as ndcalc spacings.
    pub fn spacings(&self) -> Vec<Spacing> {
        self.spacing
            .iter()
            .map(|s| match s.split_once(':') {
                Some(("s", v)) => Spacing::from(v.parse::<f64>().unwrap()),
                Some(("c", file)) => match load(file) {
                    AnyArray::F64(x) => Spacing::from(&x),
                    AnyArray::I64(x) => Spacing::from(&x),
                    AnyArray::U8(x) => Spacing::from(&x),
                    AnyArray::F32(x) => Spacing::from(&x),
                    other => panic!("coordinates of dtype {:?}", other.dtype()),
                },
                _ => panic!("bad spacing item {s}"),
            })
            .collect()
    }

    pub fn has_coords(&self) -> bool {
        self.spacing.iter().any(|s| s.starts_with("c:"))
    }

    /// The input seen through the case's view transforms.
    pub fn view<'a, T>(&self, a: &'a Array<T>) -> ArrayView<'a, T> {
        let mut v = a.view();
        for op in &self.view {
            let parts: Vec<&str> = op.split(':').collect();
            v = match parts.as_slice() {
                ["t"] => v.t(),
                ["inv", k] => v.invert_axis(k.parse::<usize>().unwrap()).unwrap(),
                ["step", k, s] => v
                    .slice_axis(
                        k.parse::<usize>().unwrap(),
                        Slice::new(None, None, s.parse().unwrap()),
                    )
                    .unwrap(),
                _ => panic!("bad view op {op}"),
            };
        }
        v
    }
}

/// Reads a fixture file.
pub fn load(file: &str) -> AnyArray {
    load_in(DIR, file)
}

/// Reads fixture `file` of the directory `dir`.
pub fn load_in(dir: &str, file: &str) -> AnyArray {
    npy::read_any(format!("{dir}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Asserts `got` and numpy's `want` equal bit for bit, NaNs of any payload equal.
pub fn same(name: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{name}");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
            "{name}: element {k}: {g:e} vs numpy's {w:e}"
        );
    }
}

/// Every case of operation `op`.
pub fn cases(op: &str) -> Vec<Case> {
    cases_in("manifest.txt", op)
}

/// Every case of operation `op` in one manifest of the fixture directory.
pub fn cases_in(manifest: &str, op: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(format!("{DIR}/{manifest}")).unwrap();
    let mut out = Vec::new();
    let mut case = Case::default();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
        let words = || {
            rest.split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        match key {
            "case" => {
                case = Case {
                    name: rest.into(),
                    edge_order: 1,
                    ..Case::default()
                }
            }
            "op" => case.op = rest.into(),
            "input" => case.input = rest.into(),
            "view" => case.view = words(),
            "axes" if rest == "none" => case.axes = None,
            "axes" => case.axes = Some(words().iter().map(|a| a.parse().unwrap()).collect()),
            "spacing" => case.spacing = words(),
            "edge_order" => case.edge_order = rest.parse().unwrap(),
            "outputs" => case.outputs = words(),
            "axis" if rest == "none" => case.axis = None,
            "axis" => case.axis = Some(rest.parse().unwrap()),
            "n" => case.n = rest.parse().unwrap(),
            "prepend" => case.prepend = Some(rest.into()),
            "append" => case.append = Some(rest.into()),
            "include_initial" => case.include_initial = rest == "1",
            "initial" if rest == "none" => case.initial = None,
            "initial" => case.initial = Some(rest.into()),
            "dtype" => case.dtype = rest.into(),
            "end" if case.op == op => out.push(std::mem::take(&mut case)),
            _ => {} // keys of other operations, and the end of their cases
        }
    }
    out
}

/// Distance between a result and numpy's.
pub trait Dist: Copy + std::fmt::Debug + Element {
    /// 0 when identical (NaNs equal NaNs), else units in the last place (integers: MAX).
    fn dist(self, other: Self) -> u64;
    /// numpy's output as this type. `f32` also accepts numpy's `float64` (numpy computes
    /// `f32` data with `f64` coordinates in `f64`), rounded.
    fn from_numpy(a: AnyArray) -> Array<Self> {
        let dtype = a.dtype();
        a.into_array::<Self>()
            .unwrap_or_else(|e| panic!("numpy's output is {dtype:?}: {e}"))
    }
}

fn ulps64(a: f64, b: f64) -> u64 {
    if a.is_nan() && b.is_nan() || a == b && a.is_sign_negative() == b.is_sign_negative() {
        return 0;
    }
    let key = |x: f64| {
        let b = x.to_bits() as i64;
        if b < 0 {
            i64::MIN - b
        } else {
            b
        }
    };
    key(a).abs_diff(key(b)).max(1)
}

impl Dist for f64 {
    fn dist(self, o: f64) -> u64 {
        ulps64(self, o)
    }
}

impl Dist for f32 {
    fn dist(self, o: f32) -> u64 {
        if self.is_nan() && o.is_nan()
            || self == o && self.is_sign_negative() == o.is_sign_negative()
        {
            return 0;
        }
        let key = |x: f32| {
            let b = x.to_bits() as i32;
            if b < 0 {
                i32::MIN - b
            } else {
                b
            }
        };
        (key(self).abs_diff(key(o)) as u64).max(1)
    }
    fn from_numpy(a: AnyArray) -> Array<f32> {
        match a {
            AnyArray::F64(a) => a.mapv(|v| v as f32),
            a => a.into_array().unwrap(),
        }
    }
}

impl<R: Dist> Dist for Complex<R>
where
    Complex<R>: Element,
{
    fn dist(self, o: Self) -> u64 {
        self.re.dist(o.re).max(self.im.dist(o.im))
    }
}

macro_rules! exact_dist {
    ($($t:ty),*) => {$(
        impl Dist for $t {
            fn dist(self, o: $t) -> u64 {
                if self == o { 0 } else { u64::MAX }
            }
        }
    )*};
}
exact_dist!(bool, i8, i16, i32, i64, u8, u16, u32, u64);
