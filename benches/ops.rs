//! criterion benches for diff, cumsum, cumprod and trapezoid: 10^2 to 10^7 elements,
//! first and last axis, contiguous and transposed, f32 and f64, new output and into
//! caller memory, beside the copy floor. (`benches/gradient.rs` has gradient;
//! `benches/compare_numpy.py` the side-by-side run with numpy.)

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndcalc::prelude::*;

mod common;
use common::{data, shape, SIZES};
use ndcalc::{Accumulate, NpArith};

fn bench_type<T>(c: &mut Criterion, name: &str)
where
    T: From<u16> + Copy + bytemuck::Zeroable + NpArith + Accumulate<Acc = T> + ndcalc::Integrate,
    T: ndcalc::CastFrom<T>,
{
    let mut g = c.benchmark_group(format!("ops_{name}"));
    for n in SIZES {
        let a = data::<T>(&shape(n));
        let t = a.t().to_owned();
        g.throughput(Throughput::Elements(n as u64));
        let mut out = Array::<T>::zeroed(a.shape());
        g.bench_with_input(BenchmarkId::new("copy", n), &a, |b, a| {
            let (src, dst) = (a.as_slice().unwrap(), out.as_slice_mut().unwrap());
            b.iter(|| dst.copy_from_slice(black_box(src)))
        });
        let last = a.ndim() as isize - 1;
        for (label, axis) in [("axis0", 0), ("last", last)] {
            if label == "last" && last == 0 {
                continue;
            }
            let mut d_out = Array::<T>::zeroed(a.diff().axis(axis).shape().unwrap());
            g.bench_with_input(
                BenchmarkId::new(format!("diff_{label}_new"), n),
                &a,
                |b, a| b.iter(|| black_box(a.diff().axis(axis).compute().unwrap())),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("diff_{label}_into"), n),
                &a,
                |b, a| b.iter(|| a.diff().axis(axis).compute_into(&mut d_out).unwrap()),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("cumsum_{label}_new"), n),
                &a,
                |b, a| b.iter(|| black_box(a.cumsum().axis(axis).compute().unwrap())),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("cumsum_{label}_into"), n),
                &a,
                |b, a| b.iter(|| a.cumsum().axis(axis).compute_into(&mut out).unwrap()),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("cumprod_{label}_new"), n),
                &a,
                |b, a| b.iter(|| black_box(a.cumprod().axis(axis).compute().unwrap())),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("trapezoid_{label}_new"), n),
                &a,
                |b, a| b.iter(|| black_box(a.trapezoid().axis(axis).compute().unwrap())),
            );
            if t.ndim() == 2 {
                g.bench_with_input(
                    BenchmarkId::new(format!("cumsum_{label}_transposed"), n),
                    &t,
                    |b, t| b.iter(|| black_box(t.t().cumsum().axis(axis).compute().unwrap())),
                );
                g.bench_with_input(
                    BenchmarkId::new(format!("diff_{label}_transposed"), n),
                    &t,
                    |b, t| b.iter(|| black_box(t.t().diff().axis(axis).compute().unwrap())),
                );
            }
        }
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_type::<f64>(c, "f64");
    bench_type::<f32>(c, "f32");
}

criterion_group! {
    name = ops;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(300));
    targets = benches
}
criterion_main!(ops);
