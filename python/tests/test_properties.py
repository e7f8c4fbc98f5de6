"""Hypothesis properties: on random shapes, dtypes, memory layouts (C, Fortran,
transposed, reversed, step-sliced, read-only) and arguments, every function returns
numpy's result bit for bit."""

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ndkit
from conftest import assert_identical

settings.register_profile("ndkit", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ndkit")

DTYPES = ["f8", "f4", "c16", "c8", "i8", "i4", "i1", "u8", "u2"]


@st.composite
def arrays(draw, dtypes=DTYPES, min_len=1, max_dims=3):
    """An array of a random dtype and shape, in a random layout over its memory."""
    dt = np.dtype(draw(st.sampled_from(dtypes)))
    ndim = draw(st.integers(1, max_dims))
    shape = tuple(draw(st.lists(st.integers(min_len, 6), min_size=ndim, max_size=ndim)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Steps: a[::2] of a twice-as-long base; reversed axes; a transpose; Fortran order.
    steps = [draw(st.sampled_from([1, 2, -1, -2])) for _ in shape]
    base_shape = tuple(n * abs(s) for n, s in zip(shape, steps))
    if dt.kind == "f":
        base = rng.standard_normal(base_shape) * 10.0 ** rng.integers(-3, 4)
        if draw(st.booleans()) and np.prod(base_shape) > 0:
            base.flat[rng.integers(0, max(base.size, 1))] = draw(st.sampled_from([np.nan, np.inf, -np.inf, -0.0, 0.0]))
    elif dt.kind == "c":
        base = rng.standard_normal(base_shape) + 1j * rng.standard_normal(base_shape)
    elif dt.kind == "b":
        base = rng.random(base_shape) > 0.5
    else:
        info = np.iinfo(dt)
        base = rng.integers(info.min, info.max, size=base_shape, endpoint=True, dtype=dt)
    base = base.astype(dt)
    if draw(st.booleans()):
        base = np.asfortranarray(base)
    a = base[tuple(slice(None, None, s) for s in steps)]
    if draw(st.booleans()):
        perm = draw(st.permutations(range(ndim)))
        a = a.transpose(perm)
    if draw(st.booleans()):
        a.flags.writeable = False
    return a


def spacing_for(draw, n, kind):
    if kind == "none":
        return []
    if kind == "scalar":
        return [draw(st.sampled_from([0.5, 2.0, 3.0, -1.5, 1e-3]))]
    x = np.cumsum(np.random.default_rng(draw(st.integers(0, 999))).random(n) + 0.1)
    if kind == "int":
        return [np.arange(n) * draw(st.integers(1, 5))]
    if draw(st.booleans()):
        x = x[::-1].copy()
    return [x]


@given(st.data())
def test_gradient(data):
    a = data.draw(arrays(min_len=1))
    edge_order = data.draw(st.sampled_from([1, 2]))
    axis = data.draw(st.sampled_from([None, "one", "all"]))
    if axis == "one":
        axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
        axes = [axis]
    elif axis == "all":
        axes = list(data.draw(st.permutations(range(a.ndim))))
        axis = tuple(axes)
    else:
        axes = list(range(a.ndim))
    # f32 data with coordinates: numpy mixes f32 and f64 arithmetic (see
    # test_numpy_cases.test_f32_with_coordinates), ndcalc does not.
    kinds = ["none", "scalar"] if a.dtype in (np.float32, np.complex64) else ["none", "scalar", "coords", "int"]
    kind = data.draw(st.sampled_from(kinds))
    varargs = []
    if kind in ("none", "scalar"):
        varargs = spacing_for(data.draw, 0, kind)
    else:
        for ax in axes:
            varargs += spacing_for(data.draw, a.shape[ax], kind)
    if any(a.shape[ax] < edge_order + 1 for ax in axes):
        try:
            np.gradient(a, *varargs, axis=axis, edge_order=edge_order)
        except (ValueError, IndexError):  # numpy's IndexError for 1-point coordinates
            try:
                ndkit.gradient(a, *varargs, axis=axis, edge_order=edge_order)
            except ValueError:
                return
            raise AssertionError("numpy raised ValueError, ndkit did not")
        raise AssertionError("numpy did not raise")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.gradient(a, *varargs, axis=axis, edge_order=edge_order)
    got = ndkit.gradient(a, *varargs, axis=axis, edge_order=edge_order)
    if a.dtype.kind == "c" and not all(np.isfinite(w).all() for w in (want if isinstance(want, tuple) else [want])):
        return  # numpy's complex division (see test_numpy_cases)
    assert_identical(got, want)


@given(st.data())
def test_diff(data):
    a = data.draw(arrays(dtypes=DTYPES + ["?"], min_len=1))
    n = data.draw(st.integers(0, 4))
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    kwargs = {}
    if data.draw(st.booleans()):
        kwargs["prepend"] = data.draw(st.sampled_from([0, 1.5, True]))
    if data.draw(st.booleans()):
        shape = list(a.shape)
        shape[axis] = data.draw(st.integers(1, 3))
        kwargs["append"] = np.ones(shape, dtype=a.dtype)
    want = np.diff(a, n=n, axis=axis, **kwargs)
    got = ndkit.diff(a, n=n, axis=axis, **kwargs)
    assert_identical(got, want)


@given(st.data())
def test_running(data):
    a = data.draw(arrays(dtypes=DTYPES + ["?"], min_len=0))
    name = data.draw(st.sampled_from(["cumsum", "cumprod", "cumulative_sum", "cumulative_prod"]))
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    if name.startswith("cum") and not name.startswith("cumulative") and data.draw(st.booleans()):
        axis = None
    kwargs = {"axis": axis}
    if name.startswith("cumulative"):
        kwargs["include_initial"] = data.draw(st.booleans())
    if data.draw(st.booleans()):
        kwargs["dtype"] = data.draw(st.sampled_from(["f8", "f4", "i8", "i2", "u1", "u8", "?", "c16"]))
    length = a.size if axis is None else a.shape[axis]
    if name.endswith("prod") and np.dtype(kwargs.get("dtype", a.dtype)).kind == "c" and length == 2:
        return  # see test_numpy_cases.test_complex_cumprod_of_two
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(np, name)(a, **kwargs)
        got = getattr(ndkit, name)(a, **kwargs)
    assert_identical(got, want)


@given(st.data())
def test_trapezoid(data):
    a = data.draw(arrays(dtypes=["f8", "f4", "c16", "i8", "i2"], min_len=1))
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    kind = data.draw(st.sampled_from(["dx", "x", "none"]))
    kwargs = {"axis": axis}
    if kind == "dx":
        kwargs["dx"] = data.draw(st.sampled_from([0.5, 2.0, 0.1, -3.0]))
    elif kind == "x":
        (x,) = spacing_for(data.draw, a.shape[axis], "coords")
        if a.dtype == np.float32:
            x = x.astype(np.float32)  # numpy computes f32 data with f64 steps in f64
        kwargs["x"] = x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.trapezoid(a, **kwargs)
    got = ndkit.trapezoid(a, **kwargs)
    assert_identical(got, want)


@given(st.data())
def test_out(data):
    """`out=` takes memory of any layout and gets the same values."""
    a = data.draw(arrays(dtypes=["f8"], min_len=2))
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    out = data.draw(arrays(dtypes=["f8"], min_len=1))
    out = np.empty(a.shape[::-1]).T if data.draw(st.booleans()) else np.empty(a.shape)
    r = ndkit.gradient(a, axis=axis, out=out)
    assert r is out
    assert_identical(out.copy(), np.gradient(a, axis=axis))
    out2 = np.empty(np.cumsum(a, axis=axis).shape)[..., ::-1][..., ::-1]
    ndkit.cumsum(a, axis=axis, out=out2)
    assert_identical(out2.copy(), np.cumsum(a, axis=axis))
