//! The Rust side of `benches/compare_numpy.py`: times each named case and prints
//! `name<TAB>median seconds` per line. The same case names, shapes and data are timed on
//! the numpy side, together with the copy floor, in one run.
//!
//! `cargo run --release -p ndkit-benches --bin perf -- [case ...]` (no case: every case;
//! `--list` prints the case names).

use std::hint::black_box;
use std::time::Instant;

use ndcalc::prelude::*;
use ndcalc::{Boundary, Missing};

/// The median of `reps` timings of `f`, after one warm-up call.
fn median(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[reps / 2]
}

/// Seconds per call of a cheap `f`, from the median of several batches.
fn per_call(calls: usize, mut f: impl FnMut()) -> f64 {
    median(9, || {
        for _ in 0..calls {
            f();
        }
    }) / calls as f64
}

/// Test data in memory allocated as numpy allocates large arrays (huge pages), so both
/// sides and the copy floor run on the same kind of memory.
fn data(shape: &[usize]) -> Array<f64> {
    let mut a = Array::<f64>::zeroed(shape);
    for (i, x) in a.iter_mut().enumerate() {
        *x = ((i * 7919) % 1000) as f64 * 0.001;
    }
    a
}

fn f32_data() -> Array<f32> {
    let mut a = Array::<f32>::zeroed([4000, 4000]);
    a.zip_mut_with(&data(&[4000, 4000]), |o, &x| *o = x as f32)
        .unwrap();
    a
}

const LAP5: [[isize; 2]; 5] = [[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]];

fn lap5([c, n, s, w, e]: [f64; 5]) -> f64 {
    n + s + w + e - 4.0 * c
}

fn copy_case(a: &Array<f64>) -> f64 {
    let mut out = Array::<f64>::zeroed(a.shape());
    let (src, dst) = (a.as_slice().unwrap(), out.as_slice_mut().unwrap());
    median(11, || dst.copy_from_slice(black_box(src)))
}

fn grad(a: &impl AsView<f64>, axis: isize) -> f64 {
    median(11, || {
        black_box(a.gradient().axis(axis).compute().unwrap());
    })
}

fn grad_into(a: &impl AsView<f64>, axis: isize) -> f64 {
    let mut out = Array::<f64>::zeroed(a.shape());
    median(11, || {
        a.gradient().axis(axis).compute_into(&mut out).unwrap()
    })
}

/// Every axis of `a` in one call (`all`) or one call per axis, into new arrays or
/// (`into`) into caller memory.
fn grad_axes(a: &Array<f64>, all: bool, into: bool) -> f64 {
    let mut outs: Vec<Array<f64>> = (0..a.ndim()).map(|_| Array::zeroed(a.shape())).collect();
    median(11, || match (all, into) {
        (true, false) => {
            black_box(a.gradient().compute().unwrap());
        }
        (true, true) => a.gradient().compute_into(&mut outs).unwrap(),
        (false, false) => {
            for axis in 0..a.ndim() as isize {
                black_box(a.gradient().axis(axis).compute().unwrap());
            }
        }
        (false, true) => {
            for (axis, out) in outs.iter_mut().enumerate() {
                a.gradient().axis(axis as isize).compute_into(out).unwrap();
            }
        }
    })
}

/// `a` with about 1% of its samples NaN, scattered (a fixed pseudo-random pattern).
fn holes(mut a: Array<f64>) -> Array<f64> {
    let mut k: u64 = 0x9e37_79b9_7f4a_7c15;
    for v in a.as_slice_mut().expect("standard layout") {
        k ^= k << 13;
        k ^= k >> 7;
        k ^= k << 17;
        if k.is_multiple_of(100) {
            *v = f64::NAN;
        }
    }
    a
}

/// The gradient along `axis` with NaN samples skipped, into a preallocated output.
fn grad_skip(a: &Array<f64>, axis: isize) -> f64 {
    let mut out = Array::<f64>::zeroed(a.shape());
    median(11, || {
        let op = a.gradient().missing(Missing::Skip).axis(axis);
        op.compute_into(&mut out).unwrap();
    })
}

/// A running sum or product of `4000 x 4000` data with every 97th sample NaN, into caller
/// memory, NaNs as numpy's values or (`skip`) as missing.
fn cum_nan(prod: bool, axis: isize, skip: bool) -> f64 {
    let mut a = data(&[4000, 4000]);
    for (i, x) in a.iter_mut().enumerate() {
        if i % 97 == 0 {
            *x = f64::NAN;
        } else if prod {
            // Near 1, so that the products stay normal numbers.
            *x = 1.0 + (*x - 0.5) * 1e-3;
        }
    }
    let mut out = Array::<f64>::zeroed([4000, 4000]);
    let missing = if skip {
        Missing::Skip
    } else {
        Missing::Propagate
    };
    median(11, || {
        let c = if prod { a.cumprod() } else { a.cumsum() };
        c.axis(axis)
            .missing(missing)
            .compute_into(&mut out)
            .unwrap()
    })
}

fn run(case: &str) -> Option<f64> {
    let big1 = || data(&[10_000_000]);
    let sq = || data(&[4000, 4000]);
    let cube = || data(&[256, 256, 256]);
    let x4000 = || Array::from_shape_fn([4000], |ix| (ix[0] as f64).powf(1.1));
    Some(match case {
        "copy_1d" => copy_case(&big1()),
        "grad_1d" => grad(&big1(), 0),
        "grad_1d_into" => grad_into(&big1(), 0),
        "copy_2d" => copy_case(&sq()),
        "grad_2d_ax0" => grad(&sq(), 0),
        "grad_2d_ax0_into" => grad_into(&sq(), 0),
        "grad_2d_ax1" => grad(&sq(), 1),
        "grad_2d_ax1_into" => grad_into(&sq(), 1),
        "grad_2d_ax0_acc4" => {
            let a = sq();
            median(11, || {
                black_box(a.gradient().accuracy(4).axis(0).compute().unwrap());
            })
        }
        "grad_2d_ax1_acc4" => {
            let a = sq();
            median(11, || {
                black_box(a.gradient().accuracy(4).axis(1).compute().unwrap());
            })
        }
        "grad_2d_ax0_skip_into" => grad_skip(&sq(), 0),
        "grad_2d_ax1_skip_into" => grad_skip(&sq(), 1),
        "grad_2d_ax0_skip_1pct_into" => grad_skip(&holes(sq()), 0),
        "grad_2d_ax1_skip_1pct_into" => grad_skip(&holes(sq()), 1),
        "grad_2d_ax0_periodic" => {
            let a = sq();
            median(11, || {
                black_box(
                    a.gradient()
                        .boundary(Boundary::Periodic)
                        .axis(0)
                        .compute()
                        .unwrap(),
                );
            })
        }
        "grad_3d_all" => grad_axes(&cube(), true, false),
        "grad_3d_all_into" => grad_axes(&cube(), true, true),
        "grad_3d_each" => grad_axes(&cube(), false, false),
        "grad_3d_each_into" => grad_axes(&cube(), false, true),
        "grad_2d_T_ax0" => grad(&sq().t(), 0),
        "grad_2d_T_ax1" => grad(&sq().t(), 1),
        "grad_2d_step_ax0" => {
            let a = data(&[8000, 4000]);
            let v = a.slice(s![..;2, ..]).unwrap();
            grad(&v, 0)
        }
        "grad_2d_coords_ax0" => {
            let (a, x) = (sq(), x4000());
            median(11, || {
                black_box(a.gradient().spacing(&x).axis(0).compute().unwrap());
            })
        }
        "grad_2d_coords_ax0_into" => {
            let (a, x) = (sq(), x4000());
            let mut out = Array::<f64>::zeroed([4000, 4000]);
            median(11, || {
                a.gradient()
                    .spacing(&x)
                    .axis(0)
                    .compute_into(&mut out)
                    .unwrap()
            })
        }
        "copy_2d_f32" => {
            let a = f32_data();
            let mut out = Array::<f32>::zeroed([4000, 4000]);
            let (src, dst) = (a.as_slice().unwrap(), out.as_slice_mut().unwrap());
            median(11, || dst.copy_from_slice(black_box(src)))
        }
        "grad_2d_f32_ax0" => {
            let a = f32_data();
            median(11, || {
                black_box(a.gradient().axis(0).compute().unwrap());
            })
        }
        "grad_2d_f32_ax0_into" => {
            let a = f32_data();
            let mut out = Array::<f32>::zeroed([4000, 4000]);
            median(11, || a.gradient().axis(0).compute_into(&mut out).unwrap())
        }
        "grad_2d_f32_ax1_into" => {
            let a = f32_data();
            let mut out = Array::<f32>::zeroed([4000, 4000]);
            median(11, || a.gradient().axis(1).compute_into(&mut out).unwrap())
        }
        "copy_3d" => copy_case(&cube()),
        "grad_3d_ax0" => grad(&cube(), 0),
        "grad_3d_ax1" => grad(&cube(), 1),
        "grad_3d_ax2" => grad(&cube(), 2),
        "grad_3d_ax0_into" => grad_into(&cube(), 0),
        "grad_3d_ax1_into" => grad_into(&cube(), 1),
        "grad_3d_ax2_into" => grad_into(&cube(), 2),
        "diff_2d_ax0" => {
            let a = sq();
            median(11, || {
                black_box(a.diff().axis(0).compute().unwrap());
            })
        }
        "diff_2d_ax1" => {
            let a = sq();
            median(11, || {
                black_box(a.diff().axis(1).compute().unwrap());
            })
        }
        "diff_2d_ax0_into" => {
            let a = sq();
            let mut out = Array::<f64>::zeroed([3999, 4000]);
            median(11, || a.diff().axis(0).compute_into(&mut out).unwrap())
        }
        "diff_2d_ax1_into" => {
            let a = sq();
            let mut out = Array::<f64>::zeroed([4000, 3999]);
            median(11, || a.diff().axis(1).compute_into(&mut out).unwrap())
        }
        "cumsum_2d_ax0" => {
            let a = sq();
            median(11, || {
                black_box(a.cumsum().axis(0).compute().unwrap());
            })
        }
        "cumsum_2d_ax1" => {
            let a = sq();
            median(11, || {
                black_box(a.cumsum().axis(1).compute().unwrap());
            })
        }
        "cumsum_2d_ax0_into" => {
            let a = sq();
            let mut out = Array::<f64>::zeroed([4000, 4000]);
            median(11, || a.cumsum().axis(0).compute_into(&mut out).unwrap())
        }
        "cumsum_2d_ax1_into" => {
            let a = sq();
            let mut out = Array::<f64>::zeroed([4000, 4000]);
            median(11, || a.cumsum().axis(1).compute_into(&mut out).unwrap())
        }
        // Running sums and products over data with 1% NaN scattered: numpy's values
        // (the NaN spreads) beside `Missing::Skip` (numpy's nancumsum, nancumprod).
        "cumsum_2d_ax0_nan" => cum_nan(false, 0, false),
        "cumsum_2d_ax0_nan_skip" => cum_nan(false, 0, true),
        "cumsum_2d_ax1_nan" => cum_nan(false, 1, false),
        "cumsum_2d_ax1_nan_skip" => cum_nan(false, 1, true),
        "cumprod_2d_ax1_nan" => cum_nan(true, 1, false),
        "cumprod_2d_ax1_nan_skip" => cum_nan(true, 1, true),
        // The 5-point Laplacian of the interior through `stencil`, beside ndcalc's own
        // `laplacian` (every point, one-sided at the edges).
        "lap5_stencil" => {
            let a = sq();
            median(11, || {
                black_box(stencil(&a, LAP5, lap5).unwrap());
            })
        }
        "lap5_stencil_into" => {
            let a = sq();
            let mut out = Array::<f64>::zeroed([3998, 3998]);
            median(11, || stencil_into(&a, LAP5, &mut out, lap5).unwrap())
        }
        "laplacian_2d" => {
            let a = sq();
            median(11, || {
                black_box(a.laplacian().compute().unwrap());
            })
        }
        // Allocating a new output and writing it once: the floor under every "new"
        // figure, set by the kernel zeroing each fresh page before its first write.
        "fresh_2d" => median(11, || {
            let mut out = Array::<f64>::zeroed([4000, 4000]);
            out.fill(1.0);
            black_box(out);
        }),
        "grad_100" => {
            let a = data(&[100]);
            per_call(20_000, || {
                black_box(black_box(&a).gradient().axis(0).compute().unwrap());
            })
        }
        "grad_1000" => {
            let a = data(&[1000]);
            per_call(5_000, || {
                black_box(black_box(&a).gradient().axis(0).compute().unwrap());
            })
        }
        _ => return None,
    })
}

const ALL: &[&str] = &[
    "copy_1d",
    "grad_1d",
    "grad_1d_into",
    "copy_2d",
    "grad_2d_ax0",
    "grad_2d_ax0_into",
    "grad_2d_ax1",
    "grad_2d_ax1_into",
    "grad_2d_ax0_acc4",
    "grad_2d_ax1_acc4",
    "grad_2d_ax0_periodic",
    "grad_2d_ax0_skip_into",
    "grad_2d_ax1_skip_into",
    "grad_2d_ax0_skip_1pct_into",
    "grad_2d_ax1_skip_1pct_into",
    "grad_2d_T_ax0",
    "grad_2d_T_ax1",
    "grad_2d_step_ax0",
    "grad_2d_coords_ax0",
    "grad_2d_coords_ax0_into",
    "copy_2d_f32",
    "grad_2d_f32_ax0",
    "grad_2d_f32_ax0_into",
    "copy_3d",
    "grad_3d_ax0",
    "grad_3d_ax1",
    "grad_3d_ax2",
    "grad_3d_ax0_into",
    "grad_3d_ax1_into",
    "grad_3d_ax2_into",
    "grad_3d_all",
    "grad_3d_all_into",
    "grad_3d_each",
    "grad_3d_each_into",
    "diff_2d_ax0",
    "diff_2d_ax0_into",
    "diff_2d_ax1",
    "diff_2d_ax1_into",
    "cumsum_2d_ax0",
    "cumsum_2d_ax0_into",
    "cumsum_2d_ax1",
    "cumsum_2d_ax1_into",
    "cumsum_2d_ax0_nan",
    "cumsum_2d_ax0_nan_skip",
    "cumsum_2d_ax1_nan",
    "cumsum_2d_ax1_nan_skip",
    "cumprod_2d_ax1_nan",
    "cumprod_2d_ax1_nan_skip",
    "lap5_stencil",
    "lap5_stencil_into",
    "laplacian_2d",
    "fresh_2d",
    "grad_100",
    "grad_1000",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        println!("{}", ALL.join("\n"));
        return;
    }
    let cases: Vec<&str> = if args.is_empty() {
        ALL.to_vec()
    } else {
        args.iter().map(String::as_str).collect()
    };
    for case in cases {
        match run(case) {
            Some(t) => println!("{case}\t{t:.9}"),
            None => {
                eprintln!("unknown case {case:?}; known: {}", ALL.join(" "));
                std::process::exit(2);
            }
        }
    }
}
