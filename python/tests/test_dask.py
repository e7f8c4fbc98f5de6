"""ndkit.dask on a real cluster: two worker processes on loopback import the extension
and run the kernels; every chunking (chunks of one sample included) gives the whole
array's result bit for bit."""

import numpy as np
import pytest

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
    with pytest.raises(ValueError, match="non-uniform"):
        nd.gradient(d, np.cumsum(np.arange(29.0)), axis=0)
    with pytest.raises(np.exceptions.AxisError):
        nd.gradient(d, axis=2)
    with pytest.raises(TypeError):
        nd.gradient(da.from_array(np.zeros(4, np.float16)))
