//! criterion benches for missing data: the gradient with `Missing::Skip` and with a mask
//! beside the plain gradient on the same data, NaN-free (the target: at most 1.3x the
//! plain kernel) and with 1% of the samples NaN, scattered (at most 2x), along axis 0
//! (plane order) and the last axis (lane order), at accuracy 2 (numpy's) and 4.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndcalc::prelude::*;
use ndcalc::Missing;

fn data(shape: &[usize]) -> Array<f64> {
    Array::from_shape_fn(shape, |ix| {
        (ix.iter().sum::<usize>() * 7919 % 1000) as f64 * 0.001
    })
}

/// `a` with about 1% of its samples NaN, scattered (a fixed pseudo-random pattern).
fn holes(a: &Array<f64>) -> Array<f64> {
    let mut k: u64 = 0x9e37_79b9_7f4a_7c15;
    a.map(|&v| {
        k ^= k << 13;
        k ^= k >> 7;
        k ^= k << 17;
        if k.is_multiple_of(100) {
            f64::NAN
        } else {
            v
        }
    })
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("missing_f64");
    for side in [1000usize, 3162] {
        let clean = data(&[side, side]);
        let holed = holes(&clean);
        let valid = holed.map(|v| !v.is_nan());
        let n = side * side;
        g.throughput(Throughput::Elements(n as u64));
        let mut out = Array::<f64>::zeros_like(&clean);
        for (label, axis) in [("axis0", 0isize), ("last", 1)] {
            for acc in [2, 4] {
                let id = |what: &str| BenchmarkId::new(format!("{label}_acc{acc}_{what}"), n);
                g.bench_function(id("plain"), |b| {
                    b.iter(|| {
                        let op = clean.gradient().accuracy(acc).axis(axis);
                        op.compute_into(&mut out).unwrap()
                    })
                });
                g.bench_function(id("skip_clean"), |b| {
                    b.iter(|| {
                        let op = clean.gradient().accuracy(acc).axis(axis);
                        op.missing(Missing::Skip).compute_into(&mut out).unwrap()
                    })
                });
                g.bench_function(id("skip_1pct"), |b| {
                    b.iter(|| {
                        let op = holed.gradient().accuracy(acc).axis(axis);
                        op.missing(Missing::Skip).compute_into(&mut out).unwrap()
                    })
                });
                g.bench_function(id("mask_1pct"), |b| {
                    b.iter(|| {
                        let op = clean.gradient().accuracy(acc).axis(axis);
                        op.mask(&valid).compute_into(&mut out).unwrap()
                    })
                });
            }
        }
    }
    g.finish();
}

criterion_group! {
    name = missing;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(300));
    targets = benches
}
criterion_main!(missing);
