"""Inputs of every layout read in place, `out=` (also overlapping the input), the
beyond-numpy operators, the exception types and messages, and concurrent calls."""

import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from numpy.exceptions import AxisError

import ndkit
from conftest import assert_identical

RNG = np.random.default_rng(3)
M = RNG.standard_normal((7, 9))


def layouts(a):
    """The same values in different memory: C, Fortran, transposed twice, reversed,
    step-sliced, read-only, unaligned and byte-swapped."""
    yield "c", a.copy()
    yield "fortran", np.asfortranarray(a)
    yield "reversed", a[::-1, ::-1].copy()[::-1, ::-1]
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 3))
    big[::2, ::3] = a
    yield "stepped", big[::2, ::3]
    ro = a.copy()
    ro.flags.writeable = False
    yield "read-only", ro
    raw = np.zeros(a.size * 8 + 1, np.uint8)[1:].view(np.float64).reshape(a.shape)
    raw[...] = a
    assert not raw.flags.aligned
    yield "unaligned", raw
    yield "byte-swapped", a.astype(">f8")


@pytest.mark.parametrize("name,kwargs", [
    ("gradient", {}), ("gradient", {"axis": 1, "edge_order": 2}), ("diff", {"axis": 0}),
    ("cumsum", {"axis": 0}), ("cumprod", {}), ("trapezoid", {"axis": 0}),
])
def test_every_layout(name, kwargs):
    want = getattr(np, name)(M, **kwargs)
    for label, a in layouts(M):
        assert_identical(getattr(ndkit, name)(a, **kwargs), want), label


def test_input_not_copied_nor_written():
    a = M.copy()
    a.flags.writeable = False
    before = a.copy()
    ndkit.gradient(a)
    assert_identical(a, before)


def test_out_overlapping_input():
    a = M.copy()
    want = np.gradient(a, axis=1)
    assert ndkit.gradient(a, axis=1, out=a) is a
    assert_identical(a, want)
    b = np.arange(10.0)
    ndkit.cumsum(b, out=b)
    assert_identical(b, np.cumsum(np.arange(10.0)))


def test_out_errors():
    with pytest.raises(TypeError, match="out has dtype float32, but the result is float64"):
        ndkit.gradient(M, axis=0, out=np.empty(M.shape, np.float32))
    with pytest.raises(ValueError, match=r"the output has shape \[9, 7\], but the result has shape \[7, 9\]"):
        ndkit.gradient(M, axis=0, out=np.empty((9, 7)))
    with pytest.raises(ValueError, match="2 outputs were expected|expected 2|2"):
        ndkit.gradient(M, out=(np.empty(M.shape),))
    ro = np.empty(M.shape)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        ndkit.gradient(M, axis=0, out=ro)
    o = np.empty(M.shape)
    with pytest.raises(ValueError, match="share memory"):
        ndkit.gradient(M, out=(o, o))


@pytest.mark.parametrize("dtype", ["float16", "datetime64[s]", "timedelta64[s]", "object", "longdouble", "U3"])
def test_refused_dtypes(dtype):
    a = np.zeros(4, dtype=dtype)
    for fn in (ndkit.gradient, ndkit.diff, ndkit.cumsum, ndkit.trapezoid):
        with pytest.raises(TypeError, match=re.escape(str(np.dtype(dtype)))):
            fn(a)
    with pytest.raises(TypeError, match="float16"):
        ndkit.cumsum(np.zeros(3), dtype=np.float16)


def test_error_types_and_messages():
    with pytest.raises(AxisError, match="axis 2 is out of bounds for array of dimension 2"):
        ndkit.diff(M, axis=2)
    with pytest.raises(AxisError):
        ndkit.cumsum(M, axis=-3)
    with pytest.raises(ValueError, match="axis 0 has 2 points, but edge_order 2 needs at least 3"):
        ndkit.gradient(np.ones(2), edge_order=2)
    with pytest.raises(ValueError, match="edge_order must be 1 or 2, got 3"):
        ndkit.gradient(np.ones(5), edge_order=3)
    with pytest.raises(ValueError, match="coordinates for axis 0 have 3 values, but the axis has length 5"):
        ndkit.gradient(np.ones(5), np.arange(3.0))
    with pytest.raises(TypeError, match="3 spacings given for 2 axes"):
        ndkit.gradient(M, 1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="needs an axis"):
        ndkit.cumulative_sum(M)
    with pytest.raises(ValueError, match="boundary must be"):
        ndkit.gradient(M, boundary="wrap")
    with pytest.raises(ValueError, match="accuracy"):
        ndkit.gradient(M, accuracy=3)
    with pytest.raises(TypeError, match="does not compute on arrays of bool"):
        ndkit.gradient(np.array([True, False, True]))


def test_zero_dimensional():
    assert_identical(ndkit.cumsum(np.float64(2.5)), np.cumsum(np.float64(2.5)))
    with pytest.raises(ValueError):
        ndkit.gradient(np.float64(1.0))
    with pytest.raises(ValueError):
        ndkit.diff(np.float64(1.0))


def test_beyond_numpy_agrees_with_numpy_formulas():
    x = np.linspace(0.0, 2 * np.pi, 64, endpoint=False)
    h = x[1] - x[0]
    f = np.sin(x)
    # Periodic first derivative: numpy's central difference with wrapped neighbours.
    want = (np.roll(f, -1) - np.roll(f, 1)) / (2.0 * h)
    assert_identical(ndkit.gradient(f, h, boundary="periodic"), want)
    # Second derivative inside: (f[i-1] - 2 f[i] + f[i+1]) / h^2, wrapped.
    d2 = ndkit.derivative(f, 2, h, boundary="periodic")
    np.testing.assert_allclose(d2, -np.sin(x), atol=2e-3)
    # Higher accuracy is more accurate on a smooth function.
    e2 = np.abs(ndkit.gradient(f, h) - np.cos(x)).max()
    e4 = np.abs(ndkit.gradient(f, h, accuracy=4) - np.cos(x)).max()
    assert e4 < e2 / 10
    # Laplacian of x^2 + y^2 is 4; divergence of (x, y) is 2; curl of (-y, x) is 2.
    g = np.arange(6.0)
    X, Y = np.meshgrid(g, g, indexing="ij")
    np.testing.assert_allclose(ndkit.laplacian(X**2 + Y**2), 4.0)
    np.testing.assert_allclose(ndkit.divergence([X, Y]), 2.0)
    np.testing.assert_allclose(ndkit.curl([-Y, X]), 2.0)
    c3 = ndkit.curl([np.zeros((3, 4, 5))] * 2 + [np.broadcast_to(np.arange(3.0)[:, None, None], (3, 4, 5))])
    assert isinstance(c3, tuple) and len(c3) == 3
    np.testing.assert_array_equal(c3[1], -1.0)
    # Periodic coordinates with a period.
    xs = np.sort(RNG.random(32)) * 2 * np.pi
    gp = ndkit.gradient(np.sin(xs), xs, boundary="periodic", period=2 * np.pi, accuracy=4)
    np.testing.assert_allclose(gp, np.cos(xs), atol=0.05)


def test_threads():
    """Many threads at once, each on its own and on shared inputs: every result exact."""
    rng = np.random.default_rng(11)
    inputs = [rng.standard_normal((200, 300)) for _ in range(8)]
    wants = [np.gradient(a) for a in inputs]
    shared = inputs[0]
    errors = []

    def work(i):
        for _ in range(5):
            assert_identical(ndkit.gradient(inputs[i % 8]), wants[i % 8])
            assert_identical(ndkit.gradient(shared), wants[0])
            assert_identical(ndkit.cumsum(shared, axis=0), np.cumsum(shared, axis=0))
        return i

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sorted(pool.map(work, range(32))) == list(range(32))
    assert not errors


def test_gil_released():
    """Another thread runs Python code only while the calling thread is inside the
    kernel: with a switch interval far longer than the call, a thread that held the GIL
    through the call would leave the other thread no turn before `stop` is set."""
    a = np.random.default_rng(5).standard_normal((2000, 2000))
    go, stop = threading.Event(), threading.Event()
    turns = []

    def spin():
        go.wait()
        n = 0
        while not stop.is_set():
            n += 1
        turns.append(n)

    old = sys.getswitchinterval()
    sys.setswitchinterval(2.0)
    try:
        t = threading.Thread(target=spin)
        t.start()
        go.set()
        ndkit.gradient(a, axis=0)
        stop.set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert turns[0] > 0
