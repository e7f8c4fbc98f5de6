//! criterion benches for `gradient`: 10^2 to 10^7 elements, first and last axis,
//! contiguous and transposed, f32 and f64, new output and into caller memory. The copy
//! of the same data into a preallocated output is benched beside them: it is the
//! memory floor every figure is compared with. (`benches/compare_numpy.py` runs the
//! side-by-side comparison with numpy.)

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndcalc::prelude::*;

mod common;
use common::{data, shape, SIZES};
use ndcalc::Promote;

fn bench_type<T>(c: &mut Criterion, name: &str)
where
    T: From<u16> + Promote<Output = T> + Copy + bytemuck::Zeroable,
{
    let mut g = c.benchmark_group(format!("gradient_{name}"));
    for n in SIZES {
        let a = data::<T>(&shape(n));
        g.throughput(Throughput::Elements(n as u64));
        let mut out = Array::<T>::zeros_like(&a);
        g.bench_with_input(BenchmarkId::new("copy", n), &a, |b, a| {
            let (src, dst) = (a.as_slice().unwrap(), out.as_slice_mut().unwrap());
            b.iter(|| dst.copy_from_slice(black_box(src)))
        });
        let last = a.ndim() as isize - 1;
        for (label, axis) in [("axis0", 0), ("last", last)] {
            if label == "last" && last == 0 {
                continue;
            }
            g.bench_with_input(BenchmarkId::new(format!("{label}_new"), n), &a, |b, a| {
                b.iter(|| black_box(a.gradient().axis(axis).compute().unwrap()))
            });
            g.bench_with_input(BenchmarkId::new(format!("{label}_into"), n), &a, |b, a| {
                b.iter(|| a.gradient().axis(axis).compute_into(&mut out).unwrap())
            });
            if a.ndim() == 2 {
                let t = a.t().to_owned();
                g.bench_with_input(
                    BenchmarkId::new(format!("{label}_transposed"), n),
                    &t,
                    |b, t| b.iter(|| black_box(t.t().gradient().axis(axis).compute().unwrap())),
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
    name = gradient;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(300));
    targets = benches
}
criterion_main!(gradient);
