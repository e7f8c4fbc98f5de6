"""Boundary conditions: the gradient at accuracy 2 with ``boundary=`` an ``np.pad`` mode
is numpy's gradient of the array padded by one sample in that mode, the padding cut
off, bit for bit; a pair sets the two ends of the axes on their own."""

import numpy as np
import pytest

import ndkit
from conftest import assert_identical

MODES = ["wrap", "edge", "reflect", "symmetric", "constant"]


def padded(f, axis, lo, hi):
    """`f` with one ghost sample at each end of `axis`, the start as `np.pad` mode `lo`
    makes it and the end as mode `hi` does (a mode or ("constant", c))."""

    def pad(mode, side):
        width = [(0, 0)] * f.ndim
        width[axis] = (1, 0) if side == 0 else (0, 1)
        if isinstance(mode, tuple):
            return np.pad(f, width, mode="constant", constant_values=mode[1])
        return np.pad(f, width, mode=mode)

    start = np.take(pad(lo, 0), [0], axis=axis)
    end = np.take(pad(hi, 1), [-1], axis=axis)
    return np.concatenate([start, f, end], axis=axis)


def numpy_padded_gradient(f, h, axis, lo, hi):
    g = np.gradient(padded(f, axis, lo, hi), h, axis=axis)
    return np.take(g, np.arange(1, f.shape[axis] + 1), axis=axis)


@pytest.mark.parametrize("mode", MODES + [("constant", 2.5)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64])
def test_modes_are_numpy_of_the_padded_array(mode, dtype):
    if mode == ("constant", 2.5) and dtype == np.int64:
        mode = ("constant", -3.0)  # np.pad would truncate 2.5 into the integers
    rng = np.random.default_rng(3)
    f = (rng.standard_normal((7, 5)) * 10).astype(dtype)
    for axis in (0, 1, -1):
        for h in (1.0, 0.3):
            want = numpy_padded_gradient(f, h, axis, mode, mode)
            got = ndkit.gradient(f, h, axis=axis, boundary=mode)
            assert_identical(got, want)


@pytest.mark.parametrize("lo", MODES + [("constant", -1.0)])
@pytest.mark.parametrize("hi", ["edge", "reflect", "symmetric", ("constant", 4.0)])
def test_each_end_on_its_own(lo, hi):
    if lo == "wrap":
        with pytest.raises(ValueError):
            ndkit.gradient(np.arange(5.0), boundary=(lo, hi))
        return
    f = np.random.default_rng(5).standard_normal(9)
    assert_identical(ndkit.gradient(f, 0.5, boundary=(lo, hi)), numpy_padded_gradient(f, 0.5, 0, lo, hi))


def test_numpy_at_one_end():
    """The numpy boundary at an end beside a ghost end is numpy's one-sided difference
    of order 2 there (ndcalc's accuracy 2 everywhere; an explicit edge_order 1 is
    refused as contradicting it)."""
    f = np.array([1.0, 2.0, 4.0, 7.0, 11.0])
    g = ndkit.gradient(f, boundary=(("constant", 0.0), "numpy"))
    want = np.gradient(f, edge_order=2)
    want[0] = (f[1] - 0.0) / 2
    assert_identical(g, want)
    with pytest.raises(ValueError, match="edge_order 1 contradicts accuracy 2"):
        ndkit.gradient(f, edge_order=1, boundary=(("constant", 0.0), "numpy"))


def test_periodic_is_wrap_and_constant_defaults_to_zero():
    f = np.random.default_rng(2).standard_normal((6, 4))
    assert_identical(ndkit.gradient(f, boundary="periodic"), ndkit.gradient(f, boundary="wrap"))
    assert_identical(ndkit.gradient(f, boundary="constant"), ndkit.gradient(f, boundary=("constant", 0)))
    assert_identical(ndkit.laplacian(f, boundary="wrap"), ndkit.laplacian(f, boundary="periodic"))


def test_other_operators_take_boundaries():
    f = np.random.default_rng(4).standard_normal((6, 5))
    for b in MODES + [("constant", 1.5), ("edge", "reflect")]:
        d = ndkit.derivative(f, 1, axis=0, boundary=b)
        assert_identical(d, ndkit.gradient(f, axis=0, boundary=b))
        lap = ndkit.laplacian(f, boundary=b)
        assert lap.shape == f.shape and np.isfinite(lap).all()
        div = ndkit.divergence([f, f], boundary=b)
        want = ndkit.gradient(f, axis=0, boundary=b) + ndkit.gradient(f, axis=1, boundary=b)
        np.testing.assert_allclose(div, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "bad",
    ["mirror", ("edge", 1.0), ("numpy", "periodic", "edge"), 3, ("constant", "x", 1)],
)
def test_bad_boundaries_are_value_errors(bad):
    with pytest.raises(ValueError):
        ndkit.gradient(np.arange(5.0), boundary=bad)
