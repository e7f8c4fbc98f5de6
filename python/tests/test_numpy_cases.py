"""numpy's own test cases (TestGradient, TestDiff, TestCumsum, TestCumprod,
test_cumulative_include_initial, TestTrapezoid of numpy/lib/tests/test_function_base.py),
each result compared with numpy's bit for bit rather than with numpy's expected
values alone. numpy's cases on datetime64/timedelta64 and masked arrays become checks
that ndkit refuses them (TypeError) or returns plain arrays."""

import numpy as np
import pytest
from numpy.exceptions import AxisError

import ndkit
from conftest import assert_identical


def both(name, *args, **kwargs):
    """ndkit's and numpy's result of the same call, asserted identical."""
    got = getattr(ndkit, name)(*args, **kwargs)
    want = getattr(np, name)(*args, **kwargs)
    assert_identical(got, want)
    return got


class TestGradient:
    def test_basic(self):
        v = [[1, 1], [3, 4]]
        x = np.array(v)
        both("gradient", x)
        both("gradient", v)
        dx = [np.array([[2.0, 3.0], [2.0, 3.0]]), np.array([[0.0, 0.0], [1.0, 1.0]])]
        np.testing.assert_array_equal(ndkit.gradient(x), dx)

    def test_args(self):
        dx = np.cumsum(np.ones(5))
        dx_uneven = [1.0, 2.0, 5.0, 9.0, 11.0]
        f_2d = np.arange(25).reshape(5, 5)
        both("gradient", np.arange(5), 3.0)
        both("gradient", np.arange(5), np.array(3.0))
        both("gradient", np.arange(5), dx)
        both("gradient", f_2d, 1.5)
        both("gradient", f_2d, np.array(1.5))
        both("gradient", f_2d, dx_uneven, dx_uneven)
        both("gradient", f_2d, dx, 2)
        both("gradient", f_2d, dx, axis=1)
        with pytest.raises(ValueError, match="must be 1-D"):
            ndkit.gradient(f_2d, np.stack([dx] * 2, axis=-1), 1)

    def test_badargs(self):
        f_2d = np.arange(25).reshape(5, 5)
        x = np.cumsum(np.ones(5))
        for args, kwargs, err in [
            ((x, np.ones(2)), {}, ValueError),
            ((1, np.ones(2)), {}, ValueError),
            ((np.ones(2), np.ones(2)), {}, ValueError),
            ((x,), {}, TypeError),
            ((x,), {"axis": (0, 1)}, TypeError),
            ((x, x, x), {}, TypeError),
            ((1, 1, 1), {}, TypeError),
            ((x, x), {"axis": 1}, TypeError),
            ((1, 1), {"axis": 1}, TypeError),
        ]:
            with pytest.raises(err):
                np.gradient(f_2d, *args, **kwargs)
            with pytest.raises(err):
                ndkit.gradient(f_2d, *args, **kwargs)

    def test_datetime64_refused(self):
        x = np.array(["1910-08-16", "1910-08-11", "1910-08-10"], dtype="datetime64[D]")
        with pytest.raises(TypeError, match="datetime64"):
            ndkit.gradient(x)
        with pytest.raises(TypeError, match="timedelta64"):
            ndkit.gradient(np.array([-5, -3, 10], dtype="timedelta64[D]"))

    def test_masked_becomes_plain(self):
        x = np.ma.array([[1, 1], [3, 4]], mask=[[False, False], [False, False]])
        out = ndkit.gradient(x)[0]
        assert type(out) is np.ndarray
        np.testing.assert_array_equal(out, np.gradient(x.data)[0])

    def test_second_order_accurate(self):
        x = np.linspace(0, 1, 10)
        dx = x[1] - x[0]
        y = 2 * x**3 + 4 * x**2 + 2 * x
        both("gradient", y, dx, edge_order=2)
        rng = np.random.default_rng(0)
        x = np.sort(rng.random(10))
        y = 2 * x**3 + 4 * x**2 + 2 * x
        both("gradient", y, x, edge_order=2)

    def test_spacing(self):
        f = np.array([0, 2.0, 3.0, 4.0, 5.0, 5.0])
        f = np.tile(f, (6, 1)) + f.reshape(-1, 1)
        x_uneven = np.array([0.0, 0.5, 1.0, 3.0, 5.0, 7.0])
        x_even = np.arange(6.0)
        for edge_order in (1, 2):
            for xs in (x_even, x_uneven):
                both("gradient", f, 1.0, axis=(0, 1), edge_order=edge_order)
                both("gradient", f, xs, xs, axis=(0, 1), edge_order=edge_order)
                both("gradient", f, xs, xs, axis=None, edge_order=edge_order)
                both("gradient", f, 1.0, axis=0, edge_order=edge_order)
                both("gradient", f, xs, axis=0, edge_order=edge_order)
                both("gradient", f, xs, axis=1, edge_order=edge_order)
            both("gradient", f, x_even, x_uneven, axis=(0, 1), edge_order=edge_order)
            both("gradient", f, x_uneven, x_even, axis=(1, 0), edge_order=edge_order)

    def test_specific_axes(self):
        x = np.array([[1, 1], [3, 4]])
        for axis in (0, 1, -1, (1, 0), None):
            both("gradient", x, axis=axis)
        both("gradient", x, 2, 3, axis=(1, 0))
        with pytest.raises(TypeError):
            ndkit.gradient(x, 1, 2, axis=1)
        with pytest.raises(AxisError, match="axis 3 is out of bounds for array of dimension 2"):
            ndkit.gradient(x, axis=3)
        with pytest.raises(AxisError):
            ndkit.gradient(x, axis=-3)
        with pytest.raises(ValueError, match="selected twice"):
            ndkit.gradient(x, axis=(0, 0))

    def test_inexact_dtypes(self):
        for dt in (np.float32, np.float64):
            x = np.array([1, 2, 3], dtype=dt)
            assert ndkit.gradient(x).dtype == np.diff(x).dtype
            both("gradient", x)
        with pytest.raises(TypeError, match="float16"):
            ndkit.gradient(np.array([1, 2, 3], dtype=np.float16))

    def test_values(self):
        both("gradient", np.arange(2), edge_order=1)
        both("gradient", np.arange(3), edge_order=2)
        for n, order in [(0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]:
            with pytest.raises(ValueError):
                np.gradient(np.arange(n), edge_order=order)
            with pytest.raises(ValueError):
                ndkit.gradient(np.arange(n), edge_order=order)

    @pytest.mark.parametrize("f_dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
    def test_f_decreasing_unsigned_int(self, f_dtype):
        both("gradient", np.array([5, 4, 3, 2, 1], dtype=f_dtype))

    @pytest.mark.parametrize("f_dtype", [np.int8, np.int16, np.int32, np.int64])
    def test_f_signed_int_big_jump(self, f_dtype):
        maxint = np.iinfo(f_dtype).max
        both("gradient", np.array([-1, maxint], dtype=f_dtype), np.array([1, 3]))

    @pytest.mark.parametrize("x_dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
    def test_x_decreasing_unsigned(self, x_dtype):
        both("gradient", np.array([0, 2, 4]), np.array([3, 2, 1], dtype=x_dtype))

    @pytest.mark.parametrize("x_dtype", [np.int8, np.int16, np.int32, np.int64])
    def test_x_signed_int_big_jump(self, x_dtype):
        minint, maxint = np.iinfo(x_dtype).min, np.iinfo(x_dtype).max
        both("gradient", np.array([minint // 2, 0]), np.array([-1, maxint], dtype=x_dtype))

    def test_return_type(self):
        assert type(ndkit.gradient(([1, 2], [2, 3]))) is tuple

    def test_complex(self):
        z = np.array([1 + 2j, 3 - 1j, 0.5 + 0j, 4j, -2 + 0j])
        both("gradient", z)
        both("gradient", z.astype(np.complex64), edge_order=2)
        both("gradient", z, np.array([0.0, 1, 3, 4, 8]))

    @pytest.mark.xfail(
        strict=True,
        reason="numpy divides complex by (2+0j) with Smith's complex division, so a NaN or "
        "infinite real part makes the imaginary part NaN too; ndcalc scales each part",
    )
    def test_complex_nonfinite(self):
        both("gradient", np.array([1 + 2j, 3 - 1j, np.nan + 0j, 4j, -2 + 0j]))

    @pytest.mark.xfail(
        strict=True,
        reason="numpy computes float32 data with float64 coordinate weights in float64 (and "
        "the one-sided differences in float32 first); ndcalc computes in float32",
    )
    def test_f32_with_coordinates(self):
        f = np.array([0.01257302, -0.01321049, 0.7, 0.3], dtype=np.float32)
        both("gradient", f, np.array([0.0, 0.3, 0.7, 1.6]))

    def test_nonfinite(self):
        f = np.array([0.0, np.inf, 1.0, -np.inf, np.nan, -0.0, 2.0])
        both("gradient", f)
        both("gradient", f, edge_order=2)
        both("gradient", f, np.array([0.0, 1, 3, 4, 8, 9, 11]))


class TestDiff:
    def test_basic(self):
        for x in ([1, 4, 6, 7, 12], [1.1, 2.2, 3.0, -0.2, -0.1], [True, True, False, False]):
            for n in (1, 2, 3):
                both("diff", x, n=n)

    def test_axis(self):
        x = np.zeros((10, 20, 30))
        x[:, 1::2, :] = 1
        for axis in (-1, 0, 1, -2):
            both("diff", x, axis=axis)
        for axis in (3, -4):
            with pytest.raises(AxisError):
                ndkit.diff(x, axis=axis)
        with pytest.raises(ValueError):
            ndkit.diff(np.array(1.11111111111, np.float64))

    def test_nd(self):
        x = 20 * np.random.default_rng(1).random((10, 20, 30))
        for n in (1, 2):
            for axis in (-1, 0):
                both("diff", x, n=n, axis=axis)

    def test_n(self):
        x = list(range(3))
        with pytest.raises(ValueError):
            ndkit.diff(x, n=-1)
        for n in range(1, 5):
            out = both("diff", x, n=n)
            assert type(out) is np.ndarray
        assert ndkit.diff(x, n=0) is x

    def test_times_refused(self):
        x = np.arange("1066-10-13", "1066-10-16", dtype=np.datetime64)
        with pytest.raises(TypeError, match="datetime64"):
            ndkit.diff(x)

    def test_prepend(self):
        x = np.arange(5) + 1
        for p in (0, [0], [-1, 0], 0.5):
            both("diff", x, prepend=p)
        x = np.arange(4).reshape(2, 2)
        both("diff", x, axis=1, prepend=0)
        both("diff", x, axis=1, prepend=[[0], [0]])
        both("diff", x, axis=0, prepend=0)
        both("diff", x, axis=0, prepend=[[0, 0]])
        with pytest.raises(ValueError):
            ndkit.diff(x, prepend=np.zeros((3, 3)))
        with pytest.raises(AxisError):
            ndkit.diff(x, prepend=0, axis=3)

    def test_append(self):
        x = np.arange(5)
        for a in (0, [0], [0, 2]):
            both("diff", x, append=a)
        x = np.arange(4).reshape(2, 2)
        both("diff", x, axis=1, append=0)
        both("diff", x, axis=1, append=[[0], [0]])
        both("diff", x, axis=0, append=0)
        both("diff", x, axis=0, append=[[0, 0]])
        both("diff", x, axis=0, prepend=[[7, 8]], append=[[0, 0]], n=2)
        with pytest.raises(ValueError):
            ndkit.diff(x, append=np.zeros((3, 3)))
        with pytest.raises(AxisError):
            ndkit.diff(x, append=0, axis=3)

    def test_integer_wrap(self):
        both("diff", np.array([0, 255, 1], dtype=np.uint8))
        both("diff", np.array([-128, 127], dtype=np.int8))


BA = [1, 2, 10, 11, 6, 5, 4]
BA2 = [[1, 2, 3, 4], [5, 6, 7, 9], [10, 3, 4, 5]]


class TestCumsum:
    @pytest.mark.parametrize("name", ["cumsum", "cumulative_sum"])
    @pytest.mark.parametrize(
        "ctype",
        [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.float32, np.float64, np.complex64, np.complex128],
    )
    def test_basic(self, name, ctype):
        a, a2 = np.array(BA, ctype), np.array(BA2, ctype)
        both(name, a, axis=0)
        both(name, a2, axis=0)
        both(name, a2, axis=1)
        if name == "cumsum":
            both(name, a2)
            both(name, a2, dtype=ctype)


class TestCumprod:
    @pytest.mark.parametrize("name", ["cumprod", "cumulative_prod"])
    @pytest.mark.parametrize(
        "ctype", [np.int16, np.uint16, np.int32, np.uint32, np.float32, np.float64, np.complex64, np.complex128]
    )
    def test_basic(self, name, ctype):
        a, a2 = np.array(BA, ctype), np.array(BA2, ctype)
        both(name, a, axis=-1)
        both(name, a2, axis=0)
        both(name, a2, axis=-1)


@pytest.mark.xfail(
    strict=True,
    reason="numpy's multiply.accumulate of exactly two complex values rounds the product "
    "differently from (ac - bd) + (ad + bc)i, which ndcalc and numpy's longer loops compute",
)
def test_complex_cumprod_of_two():
    z = np.array([0.9053558666731177 - 0.5369532353602852j, 0.4463745723640113 + 0.5811181041963531j])
    both("cumprod", z)


def test_complex_cumprod():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((64, 6)) + 1j * rng.standard_normal((64, 6))
    both("cumprod", z, axis=0)
    both("cumprod", z, axis=1)
    both("cumprod", z[:, 0])


def test_cumulative_include_initial():
    arr = np.arange(8).reshape((2, 2, 2))
    both("cumulative_sum", arr, axis=1, include_initial=True)
    both("cumulative_prod", arr, axis=2, include_initial=True)
    out = np.zeros((3, 2), dtype=np.int64)
    arr = np.arange(1, 5).reshape((2, 2))
    assert ndkit.cumulative_sum(arr, axis=0, out=out, include_initial=True) is out
    np.testing.assert_array_equal(out, np.cumulative_sum(arr, axis=0, include_initial=True))
    both("cumulative_prod", np.array([2, 2]), include_initial=True)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("src", ["?", "i1", "u2", "i4", "i8", "u8", "f4", "f8", "c8"])
@pytest.mark.parametrize("dt", ["?", "i1", "u1", "i2", "i4", "u4", "i8", "u8", "f4", "f8", "c16"])
def test_running_dtype(name, src, dt):
    """`dtype=`: numpy casts every element to it and accumulates in it; narrow integer
    sums wrap as numpy's do."""
    rng = np.random.default_rng(7)
    a = (rng.standard_normal((5, 9)) * 90).astype(src) if src != "?" else rng.random((5, 9)) > 0.5
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(name, a, dtype=dt)
        both(name, a, axis=1, dtype=dt)


class TestTrapezoid:
    def test_simple(self):
        x = np.arange(-10, 10, 0.1)
        both("trapezoid", np.exp(-0.5 * x**2) / np.sqrt(2 * np.pi), dx=0.1)

    def test_ndim(self):
        x = np.linspace(0, 1, 3)
        y = np.linspace(0, 2, 8)
        z = np.linspace(0, 3, 13)
        q = x[:, None, None] + y[None, :, None] + z[None, None, :]
        both("trapezoid", q, x=x[:, None, None], axis=0)
        both("trapezoid", q, x=y[None, :, None], axis=1)
        both("trapezoid", q, x=z[None, None, :], axis=2)
        both("trapezoid", q, x=x, axis=0)
        both("trapezoid", q, x=y, axis=1)
        both("trapezoid", q, x=z, axis=2)

    def test_masked_becomes_plain(self):
        x = np.arange(5)
        ym = np.ma.array(x * x, mask=x == 2)
        assert ndkit.trapezoid(ym, x) == np.trapezoid(ym.data, x)

    def test_forms(self):
        both("trapezoid", [1, 2, 3])
        both("trapezoid", np.array([1.0, 2.0, 3.0]), x=np.array([4.0, 6.0, 8.0]))
        both("trapezoid", np.arange(12.0).reshape(3, 4), axis=0)
        both("trapezoid", np.arange(12, dtype=np.float32).reshape(3, 4), dx=0.5)
        both("trapezoid", np.arange(12).reshape(3, 4), x=np.array([0, 1, 3, 7]))


class TestCumulativeTrapezoid:
    """SciPy's `cumulative_trapezoid`, the reference of ndkit's."""

    @pytest.fixture(autouse=True)
    def scipy_integrate(self):
        self.si = pytest.importorskip("scipy.integrate")

    def check(self, *args, **kwargs):
        assert_identical(ndkit.cumulative_trapezoid(*args, **kwargs), self.si.cumulative_trapezoid(*args, **kwargs))

    def test_forms(self):
        y = np.random.default_rng(4).standard_normal((5, 7))
        x = np.cumsum(np.random.default_rng(5).random(7))
        for axis in (0, 1, -1):
            for initial in (None, 0):
                self.check(y, axis=axis, initial=initial)
                self.check(y, dx=0.25, axis=axis, initial=initial)
        self.check(y, x=x, axis=1)
        self.check(y, x=x, initial=0)
        self.check(y.T, x=x, axis=0)
        self.check(np.arange(10), dx=0.5)
        self.check(y.astype(np.complex128), axis=0)

    def test_initial_not_zero(self):
        with pytest.raises(ValueError, match="initial must be 0"):
            ndkit.cumulative_trapezoid(np.ones(3), initial=1.0)
