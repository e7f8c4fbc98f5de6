#!/usr/bin/env python3
"""The out-of-core gradient (`examples/npy_gradient.rs`) on a large .npy against `cp`.

    python3 benches/npy_file.py [GIB]        # default 4: a 4 GiB float64 file

Builds the example in release mode (single-threaded and with `--features parallel`),
writes a GIB-sized C-order float64 file of shape (rows, 16384) with numpy in chunks,
and times, each the median of three runs with the page cache warm (and no dirty pages
left by the run before):

  * `cp IN OUT` (which copies inside the kernel, copy_file_range), and a read + write
    loop through user space that writes as the driver does, the header and then the
    data in 128 KiB pieces (`COPY` below): the floor of a program that
    computes between reading and writing. (Where the writes fall matters on a Linux
    6.18 VM: `dd bs=128K`, whose writes are page-aligned where the driver's are 128
    bytes off, spent twice the kernel time of either.)
  * the driver along axis 0 (the slab axis: slabs with halos) and axis 1 (whole lanes),
    single-threaded and the parallel build on 1 and 2 threads (RAYON_NUM_THREADS),
    under /usr/bin/time -v for its peak resident memory.

Then, if the page cache can be dropped (root, /proc/sys/vm/drop_caches), one cold run
of each. It checks the driver's output against np.gradient, chunk by chunk over memory
maps, and deletes every file it made. Needs about 3 x GIB of free disk.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLS = 16384
CHUNK_ROWS = 2048


# The read + write floor, run as its own small Python process (no numpy to import): SRC
# to DST through a 128 KiB buffer, the header first, so every write lands where the
# driver's does.
COPY = """
import sys
buf = memoryview(bytearray(1 << 17))
with open(sys.argv[1], "rb", buffering=0) as f, open(sys.argv[2], "wb", buffering=0) as g:
    magic = f.read(8)
    n = f.read(2 if magic[6] == 1 else 4)  # the header's length: v1 u16, v2 and v3 u32
    g.write(magic + n + f.read(int.from_bytes(n, "little")))
    while k := f.readinto(buf):
        g.write(buf[:k])
"""


def copy_cmd(src, dst):
    return [sys.executable, "-c", COPY, src, dst]


def build(features):
    args = ["cargo", "build", "--release", "--example", "npy_gradient"] + features
    subprocess.run(args, cwd=ROOT, check=True)
    exe = os.path.join(tempfile.gettempdir(), "npy_gradient" + ("_par" if features else ""))
    shutil.copy(os.path.join(ROOT, "target", "release", "examples", "npy_gradient"), exe)
    return exe


def make_input(path, rows):
    a = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(rows, COLS))
    for s in range(0, rows, CHUNK_ROWS):
        e = min(rows, s + CHUNK_ROWS)
        t = np.arange(s * COLS, e * COLS, dtype=np.float64).reshape(e - s, COLS)
        a[s:e] = np.sin(t * 1e-3) + t * 1e-9
    a.flush()
    del a


def timed(cmd, env=None):
    """Wall time, peak resident set (KiB) and CPU time (user + system) of one run
    under /usr/bin/time -v, with `env` added to the environment."""
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True,
                       env=dict(os.environ, **(env or {})))
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"{cmd} failed:\n{r.stderr}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    cpu = sum(float(re.search(rf"{k} time \(seconds\): ([\d.]+)", r.stderr).group(1))
              for k in ("User", "System"))
    return wall, rss, cpu


def median_run(cmd, reps=3, after=None, env=None):
    runs = []
    for _ in range(reps):
        # Each run starts with no dirty pages: the writeback of the previous run's
        # output would otherwise throttle this run's writes.
        subprocess.run(["sync"], check=True)
        runs.append(timed(cmd, env))
        if after:
            after()
    runs.sort()
    return runs[len(runs) // 2]


def drop_caches():
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def verify(inp, out, axis):
    """The output against np.gradient, chunk by chunk (axis 0: each chunk with the one
    row each side that the uniform edge_order 1 stencil reads, trimmed)."""
    a = np.load(inp, mmap_mode="r")
    g = np.load(out, mmap_mode="r")
    rows = a.shape[0]
    for s in range(0, rows, CHUNK_ROWS):
        e = min(rows, s + CHUNK_ROWS)
        if axis == 1:
            want = np.gradient(a[s:e], axis=1)
        else:
            lo, hi = max(0, s - 1), min(rows, e + 1)
            want = np.gradient(a[lo:hi], axis=0)[s - lo : s - lo + e - s]
        if not np.array_equal(want.view(np.uint64), np.asarray(g[s:e]).view(np.uint64)):
            sys.exit(f"axis {axis}: rows {s}..{e} differ from np.gradient")


def main():
    gib = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
    rows = int(gib * (1 << 30) / (COLS * 8))
    work = os.path.join(ROOT, "target", "bench-npy-file")
    os.makedirs(work, exist_ok=True)
    free = shutil.disk_usage(work).free
    need = 3.2 * rows * COLS * 8
    if free < need:
        sys.exit(f"needs {need / 2**30:.1f} GiB free in {work}, has {free / 2**30:.1f}")
    serial, parallel = build([]), build(["--features", "parallel"])
    inp, out, cp_out = (os.path.join(work, n) for n in ("in.npy", "out.npy", "cp.npy"))
    try:
        print(f"writing {inp}: float64 ({rows}, {COLS}), {rows * COLS * 8 / 2**30:.2f} GiB")
        make_input(inp, rows)
        size = os.path.getsize(inp)
        warm(inp)
        warm(inp)
        rm_cp = lambda: os.remove(cp_out)
        results = []
        cp_t, cp_rss, cp_cpu = median_run(["cp", inp, cp_out], after=rm_cp)
        results.append(("cp", cp_t, cp_rss, cp_cpu))
        rw_t, _, rw_cpu = median_run(copy_cmd(inp, cp_out), after=rm_cp)
        results.append(("read + write", rw_t, None, rw_cpu))
        builds = [("1 thread", serial, None),
                  ("parallel, 1 thread", parallel, {"RAYON_NUM_THREADS": "1"}),
                  ("parallel, 2 threads", parallel, {"RAYON_NUM_THREADS": "2"})]
        cases = [(name, exe, env, axis) for name, exe, env in builds for axis in (0, 1)]
        for name, exe, env, axis in cases:
            # The previous output is deleted first, outside the timing, as cp's is.
            os.remove(out) if os.path.exists(out) else None
            t, rss, cpu = median_run([exe, inp, str(axis), out], after=lambda: os.remove(out),
                                     env=env)
            results.append((f"driver axis {axis}, {name}", t, rss, cpu))
            if name == "1 thread":
                timed([exe, inp, str(axis), out])
                verify(inp, out, axis)
                os.remove(out)
        nproc = os.cpu_count()
        print(f"\nwarm page cache, {size / 2**30:.2f} GiB, {nproc} cores, median of 3:")
        print(f"{'':36} {'seconds':>8} {'GiB/s':>6} {'x cp':>5} {'x r+w':>9} "
              f"{'CPU s':>6} {'peak RSS':>9}")
        for label, t, rss, cpu in results:
            mem = f"{rss / 1024:.0f} MiB" if rss else ""
            print(f"{label:36} {t:8.2f} {size / t / 2**30:6.2f} {t / cp_t:5.2f} "
                  f"{t / rw_t:9.2f} {cpu:6.2f} {mem:>9}")
        load = os.getloadavg()[0]
        print(f"load average during the run: {load:.1f} on {nproc} cores")
        if drop_caches():
            print("\ncold page cache (dropped before each run), one run each:")
            cold = []
            for label, cmd in [("cp", ["cp", inp, cp_out]),
                               ("driver axis 0, 1 thread", [serial, inp, "0", out]),
                               ("driver axis 1, 1 thread", [serial, inp, "1", out])]:
                for p in (out, cp_out):
                    os.remove(p) if os.path.exists(p) else None
                drop_caches()
                t, _, _ = timed(cmd)
                cold.append((label, t))
                print(f"{label:36} {t:8.2f} {size / t / 2**30:6.2f} {t / cold[0][1]:9.2f}")
        else:
            print("\ncold page cache: not measured (cannot write /proc/sys/vm/drop_caches)")
    finally:
        for p in (inp, out, cp_out):
            if os.path.exists(p):
                os.remove(p)


if __name__ == "__main__":
    main()
