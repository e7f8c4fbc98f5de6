#!/usr/bin/env python3
"""Side-by-side timing of ndkit and numpy on the same arrays, in one run.

    python3 benches/compare_numpy.py                    # builds the Rust side first
    python3 benches/compare_numpy.py --driver-gib 0.25  # a quick run: a small .npy
    python3 benches/compare_numpy.py --driver-gib 0     # no out-of-core rows

The Rust side is `benches/perf.rs` (release build); both sides time the median of
repeated calls on identical shapes. The copy of the input into a preallocated output (one
read, one write: the memory floor) is timed on the same side right before and right
after each case, and the case is divided by the mean of the two: on a shared machine the
floor drifts by 20-30% over a run, and bracketing cancels the drift. The targets are
ratios to the copy floor, with and without a preallocated output.

The out-of-core rows time the driver (`examples/npy_gradient.rs`) on a .npy file of
`--driver-gib` GiB (default 4) against `cp` of the same file, page cache warm, through
`benches/npy_file.py` (which also reports the parallel build, peak memory and a cold
cache when it can drop it). `cp` copies inside the kernel (copy_file_range); the floor
of a program that reads, computes and writes is a read + write loop through user
space, writing as the driver does (`npy_file.COPY`), and the ratio to it is printed
too.
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median(reps, f):
    f()
    ts = []
    for _ in range(reps):
        s = time.perf_counter()
        f()
        ts.append(time.perf_counter() - s)
    ts.sort()
    return ts[len(ts) // 2]


def per_call(calls, f):
    def batch():
        for _ in range(calls):
            f()
    return median(9, batch) / calls


def data(shape, dtype=np.float64):
    n = int(np.prod(shape))
    return ((np.arange(n) * 7919) % 1000 * 0.001).astype(dtype).reshape(shape)


def numpy_cases():
    """Each case's median time, and the median copy floor of its shape measured right
    before and right after it."""
    big1, sq, cube = data((10_000_000,)), data((4000, 4000)), data((256, 256, 256))
    sq32 = sq.astype(np.float32)
    outs = {name: np.empty_like(a) for name, a in [("1d", big1), ("2d", sq), ("2d_f32", sq32), ("3d", cube)]}
    copies = {
        "copy_1d": lambda: median(11, lambda: np.copyto(outs["1d"], big1)),
        "copy_2d": lambda: median(11, lambda: np.copyto(outs["2d"], sq)),
        "copy_2d_f32": lambda: median(11, lambda: np.copyto(outs["2d_f32"], sq32)),
        "copy_3d": lambda: median(11, lambda: np.copyto(outs["3d"], cube)),
    }
    x = np.arange(4000, dtype=float) ** 1.1
    step = data((8000, 4000))[::2]
    sqT = np.ascontiguousarray(sq.T).T
    g = lambda a, *args, **kw: lambda: median(11, lambda: np.gradient(a, *args, **kw))
    m = lambda f, a: lambda: median(11, lambda: f(a))
    small100, small1000 = data((100,)), data((1000,))
    nan = sq.copy()
    nan.flat[::97] = np.nan  # as benches/perf.rs's cum_nan
    cases = {
        "grad_1d": g(big1),
        "grad_2d_ax0": g(sq, axis=0),
        "grad_2d_ax1": g(sq, axis=1),
        "grad_2d_T_ax0": g(sqT, axis=0),
        "grad_2d_T_ax1": g(sqT, axis=1),
        "grad_2d_step_ax0": g(step, axis=0),
        "grad_2d_coords_ax0": g(sq, x, axis=0),
        "grad_2d_f32_ax0": g(sq32, axis=0),
        "grad_3d_ax0": g(cube, axis=0),
        "grad_3d_ax1": g(cube, axis=1),
        "grad_3d_ax2": g(cube, axis=2),
        "grad_3d_all": g(cube),
        "diff_2d_ax0": m(lambda a: np.diff(a, axis=0), sq),
        "diff_2d_ax1": m(lambda a: np.diff(a, axis=1), sq),
        "cumsum_2d_ax0": m(lambda a: np.cumsum(a, axis=0), sq),
        "cumsum_2d_ax1": m(lambda a: np.cumsum(a, axis=1), sq),
        "cumsum_2d_ax1_nan": m(lambda a: np.cumsum(a, axis=1), nan),
        "cumsum_2d_ax1_nan_skip": m(lambda a: np.nancumsum(a, axis=1), nan),
        "lap5_stencil": m(lambda f: f[:-2, 1:-1] + f[2:, 1:-1] + f[1:-1, :-2] + f[1:-1, 2:] - 4.0 * f[1:-1, 1:-1], sq),
        "fresh_2d": lambda: median(11, lambda: np.empty((4000, 4000)).fill(1.0)),
        "grad_100": lambda: per_call(2000, lambda: np.gradient(small100)),
        "grad_1000": lambda: per_call(2000, lambda: np.gradient(small1000)),
    }
    timings, floors = {}, {}
    for case, run in cases.items():
        floor = FLOOR_OF.get(case)
        before = copies[floor]() if floor else None
        timings[case] = run()
        if floor:
            after = copies[floor]()
            floors[case] = (before + after) / 2
            timings.setdefault(floor, []).extend([before, after])
    return timings, floors


def rust_cases():
    """As `numpy_cases`, for the Rust side (`benches/perf.rs`)."""
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "ndkit-benches", "--bin", "perf"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "perf")
    listed = subprocess.run([exe, "--list"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    cases = [c for c in listed if not c.startswith("copy_")]
    order = []
    for case in cases:
        floor = FLOOR_OF.get(case.removesuffix("_into"))
        order += [floor, case, floor] if floor else [case]
    out = subprocess.run([exe] + order, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    results = [(k, float(v)) for k, v in (line.split("\t") for line in out.splitlines())]
    timings, floors, i = {}, {}, 0
    for case in cases:
        if FLOOR_OF.get(case.removesuffix("_into")):
            (_, before), (_, t), (floor, after) = results[i : i + 3]
            floors[case] = (before + after) / 2
            timings.setdefault(floor, []).extend([before, after])
            i += 3
        else:
            t = results[i][1]
            i += 1
        timings[case] = t
    return timings, floors


# (label, case, copy floor, target new, target into)
ROWS = [
    ("gradient 1-D 10^7 f64", "grad_1d", "copy_1d", 1.9, 0.95),
    ("gradient 4000^2 f64 axis 0", "grad_2d_ax0", "copy_2d", 2.1, 1.1),
    ("gradient 4000^2 f64 axis 1", "grad_2d_ax1", "copy_2d", 1.9, 0.9),
    ("gradient coords 4000^2 axis 0", "grad_2d_coords_ax0", "copy_2d", 2.3, 1.2),
    ("gradient f32 4000^2 axis 0", "grad_2d_f32_ax0", "copy_2d_f32", 2.2, 1.1),
    ("gradient 256^3 f64 axis 0", "grad_3d_ax0", "copy_3d", 2.2, 1.1),
    ("gradient 256^3 f64 axis 1", "grad_3d_ax1", "copy_3d", 2.2, 1.1),
    ("gradient 256^3 f64 axis 2", "grad_3d_ax2", "copy_3d", 2.2, 1.1),
    ("gradient 256^3 f64 all axes", "grad_3d_all", "copy_3d", None, None),
    ("gradient transposed 4000^2 axis 0", "grad_2d_T_ax0", "copy_2d", None, None),
    ("gradient transposed 4000^2 axis 1", "grad_2d_T_ax1", "copy_2d", None, None),
    ("gradient a[::2] of 8000x4000 axis 0", "grad_2d_step_ax0", "copy_2d", None, None),
    ("diff 4000^2 f64 axis 0", "diff_2d_ax0", "copy_2d", 2.0, 1.2),
    ("diff 4000^2 f64 axis 1", "diff_2d_ax1", "copy_2d", 2.0, 1.2),
    ("cumsum 4000^2 f64 axis 0", "cumsum_2d_ax0", "copy_2d", 2.0, 1.2),
    ("cumsum 4000^2 f64 axis 1", "cumsum_2d_ax1", "copy_2d", 2.0, 1.2),
    ("5-point Laplacian 4000^2 f64: stencil / numpy slicing", "lap5_stencil", "copy_2d", None, None),
]


# The copy floor each case is divided by: the copy of an array of its input's shape.
FLOOR_OF = {case: floor for _, case, floor, _, _ in ROWS} | {
    case: "copy_2d" for case in ["fresh_2d", "laplacian_2d", "grad_2d_ax0_acc4", "grad_2d_ax1_acc4", "grad_2d_ax0_periodic",
                                 "grad_2d_ax0_skip", "grad_2d_ax1_skip", "grad_2d_ax0_skip_1pct", "grad_2d_ax1_skip_1pct"]
} | {"grad_3d_each": "copy_3d"}


def fmt(x):
    return "-" if x is None else f"{x:.2f}"


ROUNDS = 3


def rounds(measure):
    """`measure` run ROUNDS times: per case, the median time and the median of the
    per-round ratios to the bracketing floor (a burst of load on a shared host then
    spoils one round, not the figure)."""
    runs = [measure() for _ in range(ROUNDS)]
    med = lambda v: sorted(v)[len(v) // 2]
    times = {k: v for k, v in runs[0][0].items() if isinstance(v, list)}
    for t, _ in runs[1:]:
        for k in times:
            times[k] = times[k] + t[k]
    for k, v in runs[0][0].items():
        if not isinstance(v, list):
            times[k] = med([t[k] for t, _ in runs])
    ratio = {k: med([t[k] / f[k] for t, f in runs]) for k in runs[0][1]}
    return times, ratio


def driver_rows(gib):
    """The driver along axes 0 and 1 of a `gib` GiB float64 .npy, `cp` of the same file
    and a read + write loop: (label, seconds, ratio to cp, ratio to the loop) each, page
    cache warm, medians of 3 runs."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import npy_file

    rows = max(8, int(gib * (1 << 30) / (npy_file.COLS * 8)))
    work = os.path.join(ROOT, "target", "bench-npy-file")
    os.makedirs(work, exist_ok=True)
    exe = npy_file.build([])
    inp, out, cp_out = (os.path.join(work, n) for n in ("in.npy", "out.npy", "cp.npy"))
    try:
        npy_file.make_input(inp, rows)
        npy_file.warm(inp)
        rm = lambda p: lambda: os.remove(p)
        cp_t = npy_file.median_run(["cp", inp, cp_out], after=rm(cp_out))[0]
        rw_t = npy_file.median_run(npy_file.copy_cmd(inp, cp_out), after=rm(cp_out))[0]
        result = [(f"cp of {os.path.getsize(inp) / 2**30:.2f} GiB", cp_t),
                  ("read + write, 128 KiB", rw_t)]
        for axis in (0, 1):
            t = npy_file.median_run([exe, inp, str(axis), out], after=rm(out))[0]
            result.append((f"driver axis {axis}", t))
        return [(label, t, t / cp_t, t / rw_t) for label, t in result]
    finally:
        for p in (inp, out, cp_out):
            if os.path.exists(p):
                os.remove(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--driver-gib", type=float, default=4.0,
                    help="size of the .npy for the out-of-core rows (0: skip them)")
    args = ap.parse_args()
    np_t, np_ratio = rounds(numpy_cases)
    rs, rs_ratio = rounds(rust_cases)
    print(f"numpy {np.__version__}, {os.cpu_count()} cores; ratio = time / copy floor of the same side, the floor")
    print(f"timed right before and right after each case; medians of 11 calls, then of {ROUNDS} rounds")
    print()
    print("| case | ndkit new | ndkit into | numpy | target new / into | ndkit new ms | numpy ms |")
    print("|---|---|---|---|---|---|---|")
    for label, case, floor, tn, ti in ROWS:
        r_new = rs_ratio[case]
        r_into = rs_ratio.get(case + "_into")
        target = "-" if tn is None else f"<= {tn} / <= {ti}"
        print(f"| {label} | {fmt(r_new)} | {fmt(r_into)} | {fmt(np_ratio[case])} | {target} | {rs[case]*1e3:.1f} | {np_t[case]*1e3:.1f} |")
    for case, target in [("grad_100", 0.1), ("grad_1000", 0.7)]:
        print(f"| gradient of {case[5:]} elements, per call | {rs[case]*1e6:.2f} us | | {np_t[case]*1e6:.2f} us | <= {target} us | | |")
    print()
    print(f"fresh output (allocate a new 4000^2 f64 array and write it once): ndkit {rs['fresh_2d']*1e3:.1f} ms = "
          f"{rs_ratio['fresh_2d']:.2f} copies, numpy {np_t['fresh_2d']*1e3:.1f} ms = {np_ratio['fresh_2d']:.2f} copies")
    wide = [("accuracy 4, axis 0", "grad_2d_ax0_acc4", "grad_2d_ax0"), ("accuracy 4, axis 1", "grad_2d_ax1_acc4", "grad_2d_ax1"),
            ("periodic, axis 0", "grad_2d_ax0_periodic", "grad_2d_ax0")]
    print("beyond numpy, 4000^2 f64 new output (copies; times numpy's stencil, target for accuracy 4: <= 1.5x): "
          + ", ".join(f"{label} {rs_ratio[c]:.2f} ({rs_ratio[c] / rs_ratio[base]:.2f}x)" for label, c, base in wide))
    print(f"5-point Laplacian through stencil (interior): {rs['lap5_stencil']*1e3:.1f} ms, ndcalc's laplacian (every point): "
          f"{rs['laplacian_2d']*1e3:.1f} ms ({rs_ratio['lap5_stencil'] / rs_ratio['laplacian_2d']:.2f}x; target <= 1.3x), "
          f"numpy's slicing expression {np_t['lap5_stencil'] / rs['lap5_stencil']:.1f}x slower (target >= 3x)")
    print(f"all axes of 256^3 f64 in one call (one read of the input) / three single-axis calls: "
          f"into caller memory {rs['grad_3d_all_into'] / rs['grad_3d_each_into']:.2f}x (target <= 0.8x), "
          f"new outputs {rs['grad_3d_all'] / rs['grad_3d_each']:.2f}x; numpy's np.gradient(a) "
          f"{np_t['grad_3d_all'] * 1e3:.1f} ms")
    skip = lambda ax, kind: rs_ratio[f"grad_2d_ax{ax}_{kind}_into"] / rs_ratio[f"grad_2d_ax{ax}_into"]
    print("gradient 4000^2 f64 into caller memory, Missing::Skip / the plain kernel: NaN-free axis 0 "
          f"{skip(0, 'skip'):.2f}x, axis 1 {skip(1, 'skip'):.2f}x (target <= 1.3x); 1% NaN scattered axis 0 "
          f"{skip(0, 'skip_1pct'):.2f}x, axis 1 {skip(1, 'skip_1pct'):.2f}x (target <= 2x)")
    print(f"running sum with 1% NaN, 4000^2 axis 1, Missing::Skip / NaNs as values: ndkit "
          f"{rs['cumsum_2d_ax1_nan_skip'] / rs['cumsum_2d_ax1_nan']:.2f}x (target <= 2x), numpy nancumsum / cumsum "
          f"{np_t['cumsum_2d_ax1_nan_skip'] / np_t['cumsum_2d_ax1_nan']:.2f}x")
    if args.driver_gib > 0:
        print()
        print("| out of core (examples/npy_gradient, 1 thread, page cache warm) | seconds | x cp | x read + write | target |")
        print("|---|---|---|---|---|")
        for label, t, ratio, floor in driver_rows(args.driver_gib):
            target = "<= 1.3" if label.startswith("driver") else ""
            print(f"| {label} | {t:.2f} | {ratio:.2f} | {floor:.2f} | {target} |")
    med = lambda v: sorted(v)[len(v) // 2] * 1e3
    print("copy floors, median over the run (ms): "
          + ", ".join(f"{n[5:]} ndkit {med(rs[n]):.1f} / numpy {med(np_t[n]):.1f}" for n in FLOORS))


FLOORS = ["copy_1d", "copy_2d", "copy_2d_f32", "copy_3d"]


if __name__ == "__main__":
    sys.exit(main())
