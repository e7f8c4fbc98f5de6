"""ndkit from Python against numpy and dask.array, one table.

    python benches/python_bench.py            # after `pip install ./python` (dask, distributed too)

Rows: a 4000x4000 float64 gradient (both axes, new arrays) against np.gradient; the
cost of one call on 100 elements; and an 8000x8000 float64 gradient in 1000x1000 chunks
on a two-process LocalCluster, graph persisted on the workers (so the transfer to the
client does not hide the kernels), ndkit.dask.gradient against dask.array.gradient, the
results checked equal (each run on a fresh input, so no run finds the results of the
one before). Each figure is the median of several runs; the load average is printed
last, since other work on the machine moves every figure.
"""

import os
import statistics
import sys
import time

import numpy as np

import ndkit


def median_time(fn, repeat, number=1):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t) / number)
    return statistics.median(times)


def alternating(fns, repeat, number):
    """The median time per call of each of `fns`, timed in turns (one block of `number`
    calls of each, `repeat` times), so that a change of load on the machine moves them
    all alike."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times):
            t = time.perf_counter()
            for _ in range(number):
                fn()
            ts.append((time.perf_counter() - t) / number)
    return [statistics.median(ts) for ts in times]


def row(name, ours, theirs, unit="ms", scale=1e3):
    print(f"| {name} | {ours * scale:.2f} {unit} | {theirs * scale:.2f} {unit} | {theirs / ours:.1f}x |")


def main():
    print("| case | ndkit | reference | speed-up |")
    print("|---|---|---|---|")
    a = np.random.default_rng(0).standard_normal((4000, 4000))
    assert all(x.tobytes() == y.tobytes() for x, y in zip(ndkit.gradient(a), np.gradient(a)))
    row("gradient 4000x4000 f64, both axes (np.gradient)", median_time(lambda: ndkit.gradient(a), 7),
        median_time(lambda: np.gradient(a), 7))
    row("gradient 4000x4000 f64, axis 0 (np.gradient)", median_time(lambda: ndkit.gradient(a, axis=0), 7),
        median_time(lambda: np.gradient(a, axis=0), 7))
    small = np.random.default_rng(1).standard_normal(100)
    ours, theirs = alternating([lambda: ndkit.gradient(small), lambda: np.gradient(small)], 21, 2000)
    row("gradient of 100 elements, per call (np.gradient)", ours, theirs, unit="us", scale=1e6)
    if "--no-dask" in sys.argv:
        return
    import dask.array as da
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        import ndkit.dask as nd

        # One input per run: the graphs' names follow their inputs, so a run on the
        # input of the run before could find results not yet released and skip the work.
        inputs = [da.random.RandomState(s).standard_normal((8000, 8000), chunks=(1000, 1000)).persist()
                  for s in range(4)]
        distributed.wait(inputs)

        def median_persist(fn):
            times = []
            for big in inputs[1:]:
                t = time.perf_counter()
                r = client.persist(list(fn(big)))
                distributed.wait(r)
                times.append(time.perf_counter() - t)
                client.cancel(r)
                del r
                time.sleep(1.0)
            return statistics.median(times)

        r1, r2 = client.persist(list(nd.gradient(inputs[0]))), client.persist(list(da.gradient(inputs[0])))
        same = all(client.compute(da.all(x == y), sync=True) for x, y in zip(r1, r2))
        del r1, r2
        assert same, "ndkit.dask.gradient differs from dask.array.gradient"
        row("dask 8000x8000 f64 in 1000x1000 chunks, 2 processes, persist (da.gradient)",
            median_persist(nd.gradient), median_persist(da.gradient), unit="s", scale=1)
    print(f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

if __name__ == "__main__":
    main()
