#!/usr/bin/env python3
"""Side-by-side timing of ndkit and numpy on the same arrays, in one run.

    python3 benches/compare_numpy.py            # builds the Rust side first

The Rust side is `examples/perf.rs` (release build); both sides time the median of
repeated calls on identical shapes, and the copy of the input into a preallocated output
(one read, one write: the memory floor) is timed on both sides in the same run. Ratios
are to the copy floor of the same side. Targets are those of issue 6.
"""
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


def copy(a):
    out = np.empty_like(a)
    return median(11, lambda: np.copyto(out, a))


def numpy_cases():
    big1, sq, cube = data((10_000_000,)), data((4000, 4000)), data((256, 256, 256))
    floors = lambda: [copy(big1), copy(sq), copy(sq.astype(np.float32)), copy(cube)]
    first = floors()
    x = np.arange(4000, dtype=float) ** 1.1
    sq32 = sq.astype(np.float32)
    step = data((8000, 4000))[::2]
    sqT = np.ascontiguousarray(sq.T).T
    g = lambda a, *args, **kw: median(11, lambda: np.gradient(a, *args, **kw))
    small100, small1000 = data((100,)), data((1000,))
    timings = {
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
        "fresh_2d": median(11, lambda: np.empty((4000, 4000)).fill(1.0)),
        "grad_100": per_call(2000, lambda: np.gradient(small100)),
        "grad_1000": per_call(2000, lambda: np.gradient(small1000)),
    }
    # As on the Rust side: each floor is the median of three measurements across the run.
    middle_and_last = [floors(), floors()]
    for i, name in enumerate(FLOORS):
        timings[name] = sorted([first[i]] + [m[i] for m in middle_and_last])[1]
    return timings


FLOORS = ["copy_1d", "copy_2d", "copy_2d_f32", "copy_3d"]


def rust_cases():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "perf"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "perf")
    listed = subprocess.run([exe, "--list"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    # The copy floors are timed at the start, the middle and the end of the run, and the
    # median taken: on a shared machine one copy measurement moves by 20-30%.
    half = len(listed) // 2
    order = FLOORS + listed[:half] + FLOORS + listed[half:] + FLOORS
    out = subprocess.run([exe] + order, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    seen = {}
    for line in out.splitlines():
        k, v = line.split("\t")
        seen.setdefault(k, []).append(float(v))
    return {k: sorted(v)[len(v) // 2] for k, v in seen.items()}


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
    ("gradient transposed 4000^2 axis 0", "grad_2d_T_ax0", "copy_2d", None, None),
    ("gradient transposed 4000^2 axis 1", "grad_2d_T_ax1", "copy_2d", None, None),
    ("gradient a[::2] of 8000x4000 axis 0", "grad_2d_step_ax0", "copy_2d", None, None),
    ("diff 4000^2 f64 axis 0", "diff_2d_ax0", "copy_2d", 2.0, 1.2),
    ("diff 4000^2 f64 axis 1", "diff_2d_ax1", "copy_2d", 2.0, 1.2),
    ("cumsum 4000^2 f64 axis 0", "cumsum_2d_ax0", "copy_2d", 2.0, 1.2),
    ("cumsum 4000^2 f64 axis 1", "cumsum_2d_ax1", "copy_2d", 2.0, 1.2),
]


def fmt(x):
    return "-" if x is None else f"{x:.2f}"


def main():
    np_t = numpy_cases()
    extra = {}
    for name, fn in [
        ("diff_2d_ax0", lambda a: np.diff(a, axis=0)), ("diff_2d_ax1", lambda a: np.diff(a, axis=1)),
        ("cumsum_2d_ax0", lambda a: np.cumsum(a, axis=0)), ("cumsum_2d_ax1", lambda a: np.cumsum(a, axis=1)),
    ]:
        sq = data((4000, 4000))
        extra[name] = median(11, lambda: fn(sq))
    np_t.update(extra)
    rs = rust_cases()
    print(f"numpy {np.__version__}, {os.cpu_count()} cores; medians; ratio = time / copy floor of the same side")
    print()
    print("| case | ndkit new | ndkit into | numpy | target new / into | ndkit new ms | numpy ms |")
    print("|---|---|---|---|---|---|---|")
    for label, case, floor, tn, ti in ROWS:
        if case not in rs:
            continue
        r_new = rs[case] / rs[floor]
        r_into = rs.get(case + "_into")
        r_into = None if r_into is None else r_into / rs[floor]
        n_ratio = np_t[case] / np_t[floor] if case in np_t else None
        target = "-" if tn is None else f"<= {tn} / <= {ti}"
        print(f"| {label} | {fmt(r_new)} | {fmt(r_into)} | {fmt(n_ratio)} | {target} | {rs[case]*1e3:.1f} | {np_t.get(case, float('nan'))*1e3:.1f} |")
    for case, target in [("grad_100", 0.1), ("grad_1000", 0.7)]:
        print(f"| gradient of {case[5:]} elements, per call | {rs[case]*1e6:.2f} us | | {np_t[case]*1e6:.2f} us | <= {target} us | | |")
    print()
    print(f"fresh output (allocate a new 4000^2 f64 array and write it once): ndkit {rs['fresh_2d']*1e3:.1f} ms = "
          f"{rs['fresh_2d']/rs['copy_2d']:.2f} copies, numpy {np_t['fresh_2d']*1e3:.1f} ms = {np_t['fresh_2d']/np_t['copy_2d']:.2f} copies")
    print(f"copy floors (ms): ndkit 1-D {rs['copy_1d']*1e3:.1f}, 2-D {rs['copy_2d']*1e3:.1f}, 2-D f32 {rs['copy_2d_f32']*1e3:.1f}, 3-D {rs['copy_3d']*1e3:.1f}; "
          f"numpy 1-D {np_t['copy_1d']*1e3:.1f}, 2-D {np_t['copy_2d']*1e3:.1f}, 2-D f32 {np_t['copy_2d_f32']*1e3:.1f}, 3-D {np_t['copy_3d']*1e3:.1f}")


if __name__ == "__main__":
    sys.exit(main())
