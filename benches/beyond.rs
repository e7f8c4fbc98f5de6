//! criterion benches for the stencils beyond numpy: accuracy 4 and 6 beside numpy's
//! accuracy 2 on the same data (the target is accuracy 4 within 1.5x of accuracy 2), the
//! periodic boundary, the second derivative and the Laplacian, from 10^4 to 10^7
//! elements, along axis 0 (plane order) and the last axis (lane order).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndcalc::prelude::*;
use ndcalc::Boundary;

fn data(shape: &[usize]) -> Array<f64> {
    Array::from_shape_fn(shape, |ix| {
        (ix.iter().sum::<usize>() * 7919 % 1000) as f64 * 0.001
    })
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("beyond_f64");
    for side in [100usize, 1000, 3162] {
        let a = data(&[side, side]);
        let n = side * side;
        g.throughput(Throughput::Elements(n as u64));
        let mut out = Array::<f64>::zeros_like(&a);
        for (label, axis) in [("axis0", 0isize), ("last", 1)] {
            for acc in [2, 4, 6] {
                g.bench_with_input(
                    BenchmarkId::new(format!("{label}_acc{acc}"), n),
                    &a,
                    |b, a| {
                        b.iter(|| {
                            a.gradient()
                                .accuracy(acc)
                                .axis(axis)
                                .compute_into(&mut out)
                                .unwrap()
                        })
                    },
                );
            }
            g.bench_with_input(
                BenchmarkId::new(format!("{label}_periodic"), n),
                &a,
                |b, a| {
                    b.iter(|| {
                        a.gradient()
                            .boundary(Boundary::Periodic)
                            .axis(axis)
                            .compute_into(&mut out)
                            .unwrap()
                    })
                },
            );
            g.bench_with_input(BenchmarkId::new(format!("{label}_d2"), n), &a, |b, a| {
                b.iter(|| a.derivative(2).axis(axis).compute_into(&mut out).unwrap())
            });
        }
        g.bench_with_input(BenchmarkId::new("laplacian", n), &a, |b, a| {
            b.iter(|| a.laplacian().compute_into(black_box(&mut out)).unwrap())
        });
    }
    g.finish();
}

criterion_group! {
    name = beyond;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(300));
    targets = benches
}
criterion_main!(beyond);
