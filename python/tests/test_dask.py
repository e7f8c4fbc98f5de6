"""ndkit.dask on a real cluster: two worker processes on loopback import the extension
and run the kernels; every chunking (chunks of one sample included) gives the whole
array's result bit for bit."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

import ndkit  # noqa: E402
import ndkit.dask as nd  # noqa: E402
from conftest import assert_identical  # noqa: E402

A = np.random.default_rng(2).standard_normal((29, 17))
CHUNKS = [(1, 1), (2, 3), (5, 17), (29, 4), (7, 6), (29, 17)]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, distributed.Client(cluster) as c:
        yield c


def whole(fn, *args, **kwargs):
    r = fn(*args, **kwargs)
    return r if isinstance(r, tuple) else (r,)


def computed(client, r):
    r = r if isinstance(r, tuple) else (r,)
    return tuple(client.compute(list(r), sync=True))


def test_workers_are_processes(client):
    pids = client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2
    assert list(client.run(lambda: __import__("ndkit").gradient([0.0, 1.0, 4.0]).tolist()).values()) == [[1.0, 2.0, 3.0]] * 2


@pytest.mark.parametrize("chunks", CHUNKS[1:])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"axis": 0}, {"edge_order": 2}, {"accuracy": 4}, {"accuracy": 6, "axis": 1},
     {"boundary": "periodic"}, {"boundary": "periodic", "accuracy": 4, "axis": 0}],
)
def test_gradient(client, chunks, kwargs):
    d = da.from_array(A, chunks=chunks)
    got = computed(client, nd.gradient(d, 0.25, **kwargs))
    want = whole(ndkit.gradient, A, 0.25, **kwargs)
    assert_identical(got, want)
    if chunks == (2, 3):
        got1 = computed(client, nd.gradient(da.from_array(A, chunks=1), 0.25, **kwargs))
        assert_identical(got1, want)
    if kwargs.get("accuracy", 2) == 2 and kwargs.get("boundary", "numpy") == "numpy":
        assert_identical(got, whole(np.gradient, A, 0.25, **{k: v for k, v in kwargs.items()}))


@pytest.mark.parametrize("chunks", CHUNKS)
def test_derivative_laplacian_diff(client, chunks):
    d = da.from_array(A, chunks=chunks)
    for order, kw in [(1, {"axis": 0}), (2, {"axis": 1}), (2, {"axis": 0, "accuracy": 6}), (2, {"axis": 1, "boundary": "periodic"})]:
        assert_identical(computed(client, nd.derivative(d, order, 0.5, **kw))[0], ndkit.derivative(A, order, 0.5, **kw))
    for kw in [{}, {"accuracy": 4}, {"boundary": "periodic"}]:
        assert_identical(computed(client, nd.laplacian(d, **kw))[0], ndkit.laplacian(A, **kw))
    for kw in [{}, {"n": 3, "axis": 0}, {"n": 2, "prepend": 0, "append": 1.5}, {"n": 40, "axis": 0}]:
        assert_identical(computed(client, nd.diff(d, **kw))[0], np.diff(A, **kw))


def test_uniform_coordinates_and_dtypes(client):
    x = np.arange(29) * 0.5
    for dt in ("f4", "i8", "c16"):
        a = (A * 100).astype(dt)
        d = da.from_array(a, chunks=(4, 5))
        assert_identical(computed(client, nd.gradient(d, x, 2.0)), whole(np.gradient, a, x, 2.0))


def test_unaligned_blocks(client):
    """Blocks reaching a worker unaligned (a view into a byte buffer) are copied, not refused."""
    raw = np.zeros(A.size * 8 + 1, np.uint8)[1:].view(np.float64).reshape(A.shape)
    raw[...] = A
    d = da.from_array(raw, chunks=(6, 6), asarray=False)
    assert_identical(computed(client, nd.gradient(d)), whole(np.gradient, A))


def test_refusals():
    d = da.from_array(A, chunks=5)
    with pytest.raises(ValueError, match="no period"):
        nd.gradient(d, np.cumsum(np.arange(29.0)), axis=0, boundary="periodic")
    with pytest.raises(ValueError, match="period 3"):
        nd.gradient(d, np.cumsum(np.arange(29.0)), axis=0, boundary="periodic", period=3.0)
    with pytest.raises(np.exceptions.AxisError):
        nd.gradient(d, axis=2)
    with pytest.raises(TypeError):
        nd.gradient(da.from_array(np.zeros(4, np.float16)))


MODES = ["numpy", "periodic", "edge", "reflect", "symmetric", "constant", ("constant", -1.5)]


@st.composite
def chunked(draw):
    """A float64 array of 1 to 3 axes and a random chunking of it (chunks of one sample
    included)."""
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 14), min_size=ndim, max_size=ndim)))
    chunks = []
    for n in shape:
        cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1))) if n > 1 else []
        chunks.append(tuple(np.diff([0, *cuts, n]).tolist()))
    a = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).standard_normal(shape)
    return a, tuple(chunks)


def options(draw, name):
    acc = draw(st.sampled_from([2, 2, 4, 6]))
    kw = {"accuracy": acc}
    if name == "gradient" and acc == 2:
        kw["edge_order"] = draw(st.sampled_from([None, 1, 2]))
    if draw(st.booleans()):
        kw["boundary"] = draw(st.sampled_from(MODES))
    else:
        kw["boundary"] = (draw(st.sampled_from(MODES[2:])), draw(st.sampled_from([m for m in MODES if m != "periodic"])))
    return kw


def coordinates(draw, n):
    """A spacing for an axis of n samples and a period for it: a number (no period), or
    coordinates, uneven or evenly spaced (float64 or float32), with a period past the
    last sample (for an even spacing, often the one that makes the step across the wrap
    equal too)."""
    kind = draw(st.sampled_from(["step", "uneven", "even", "even"]))
    if kind == "step":
        return draw(st.sampled_from([0.5, 2.0, -1.5])), None
    if kind == "even":
        x = np.arange(n) * 0.25 + 3.0
        period = draw(st.sampled_from([n * 0.25, n * 0.25 + 0.125]))
    else:
        x = np.cumsum(np.random.default_rng(draw(st.integers(0, 999))).random(n) + 0.1)
        period = float(x[-1] - x[0]) + draw(st.sampled_from([0.1, 0.7, 1.3]))
    if draw(st.booleans()):
        x = x.astype(np.float32)
    return x, period


def outcome(fn):
    """The results of fn() as a tuple, or the type of the exception it raised."""
    try:
        r = fn()
    except (ValueError, TypeError) as e:
        return type(e)
    return r if isinstance(r, tuple) else (r,)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), case=chunked(), name=st.sampled_from(["gradient", "derivative", "laplacian"]))
def test_any_chunking_equals_the_whole(client, data, case, name):
    """On random shapes, chunkings, options, boundaries and coordinates, every stencil
    operation of ndkit.dask equals ndkit's on the whole array bit for bit (and numpy's
    where numpy has the operation), or both refuse the arguments."""
    a, chunks = case
    d = da.from_array(a, chunks=chunks)
    kw = options(data.draw, name)
    if name == "laplacian":
        args = [data.draw(st.sampled_from([0.5, 2.0]))] if data.draw(st.booleans()) else []
        if data.draw(st.booleans()):
            args, periods = zip(*[coordinates(data.draw, n) for n in a.shape])
            kw["period"] = list(periods)
        whole_fn = lambda: ndkit.laplacian(a, *args, **kw)  # noqa: E731
        dask_fn = lambda: computed(client, nd.laplacian(d, *args, **kw))  # noqa: E731
    else:
        ax = data.draw(st.integers(0, a.ndim - 1))
        x, kw["period"] = coordinates(data.draw, a.shape[ax])
        args = [x]
        if name == "gradient":
            whole_fn = lambda: ndkit.gradient(a, *args, axis=ax, **kw)  # noqa: E731
            dask_fn = lambda: computed(client, nd.gradient(d, *args, axis=ax, **kw))  # noqa: E731
        else:
            order = data.draw(st.sampled_from([1, 2]))
            whole_fn = lambda: ndkit.derivative(a, order, *args, axis=ax, **kw)  # noqa: E731
            dask_fn = lambda: computed(client, nd.derivative(d, order, *args, axis=ax, **kw))  # noqa: E731
    want = outcome(whole_fn)
    got = outcome(dask_fn)
    if isinstance(want, type):
        assert got is want or (isinstance(got, type) and issubclass(got, want))
        return
    assert_identical(got, want)
    if name == "gradient" and kw["accuracy"] == 2 and kw["boundary"] == "numpy":
        assert_identical(got, outcome(lambda: np.gradient(a, *args, axis=ax, edge_order=kw.get("edge_order") or 1)))


@pytest.mark.parametrize("chunks", [1, 2, 3, 5, 7, 16])
@pytest.mark.parametrize("accuracy", [2, 4, 6])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_periodic_coordinates(client, chunks, accuracy, dtype):
    """Coordinates on a periodic axis: the wrapped halos take the other end's
    coordinates shifted by the period; every chunking equals the whole array's result
    bit for bit, uneven coordinates and even ones (the step across the wrap equal or
    not)."""
    rng = np.random.default_rng(chunks)
    f = rng.standard_normal((16, 12))
    uneven = np.cumsum(rng.random(16) + 0.1).astype(dtype)
    even = (np.arange(16) * 0.25 + 3.0).astype(dtype)
    for x, period in [(uneven, float(uneven[-1] - uneven[0]) + 0.4), (even, 4.0), (even, 4.5)]:
        kw = {"accuracy": accuracy, "boundary": "periodic", "period": period}
        d = da.from_array(f, chunks=(chunks, 5))
        assert_identical(computed(client, nd.gradient(d, x, axis=0, **kw)), whole(ndkit.gradient, f, x, axis=0, **kw))
        for order in (1, 2):
            assert_identical(
                computed(client, nd.derivative(d, order, x, axis=0, **kw)),
                whole(ndkit.derivative, f, order, x, axis=0, **kw),
            )
        y = np.arange(12.0)
        kw["period"] = [period, 12.5]
        assert_identical(computed(client, nd.laplacian(d, x, y, **kw)), whole(ndkit.laplacian, f, x, y, **kw))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), case=chunked())
def test_diff_any_chunking_equals_numpy(client, data, case):
    """ndkit.dask.diff equals np.diff bit for bit for every chunking, chunks shorter
    than n included, with prepend and append, on floats, integers (wrapping) and bool."""
    a, chunks = case
    a = a * 100
    a = a.astype(data.draw(st.sampled_from(["f8", "f4", "i8", "u1", "?"])))
    ax = data.draw(st.integers(-a.ndim, a.ndim - 1))
    n = data.draw(st.integers(0, 6))
    kw = {}
    if data.draw(st.booleans()):
        kw["prepend"] = data.draw(st.sampled_from([0, 1.5]))
    if data.draw(st.booleans()):
        kw["append"] = 3
    got = computed(client, nd.diff(da.from_array(a, chunks=chunks), n=n, axis=ax, **kw))[0]
    assert_identical(got, np.diff(a, n=n, axis=ax, **kw))
