"""numpy's gradient, diff, running sums and products and trapezoid integration, computed
by ndkit's Rust kernels: the same arguments, the same results (bit for bit for float64),
faster, with the GIL released.

>>> import numpy as np, ndkit
>>> f = np.array([1., 2., 4., 7., 11., 16.])
>>> ndkit.gradient(f)
array([1. , 1.5, 2.5, 3.5, 4.5, 5. ])
>>> ndkit.gradient(f, 2.0, edge_order=2)
array([0.25, 0.75, 1.25, 1.75, 2.25, 2.75])

Beyond numpy: ``accuracy=4`` or ``6`` (wider stencils), ``boundary="periodic"``,
:func:`derivative`, :func:`laplacian`, :func:`divergence`, :func:`curl`, and ``out=`` on
every function. Inputs of any layout (C, Fortran, transposed, reversed, step-sliced,
read-only) are read in place, never copied.

Element types: bool (where numpy's operation is defined on it), int8 to uint64, float32,
float64, complex64, complex128. Other dtypes (float16, longdouble, datetime64, object,
strings) raise ``TypeError`` naming the dtype.
"""

import operator

import numpy as np

from . import _ndkit

__all__ = [
    "gradient",
    "diff",
    "cumsum",
    "cumprod",
    "cumulative_sum",
    "cumulative_prod",
    "trapezoid",
    "cumulative_trapezoid",
    "derivative",
    "laplacian",
    "divergence",
    "curl",
]

# The dtypes the kernels read in place (native byte order).
_COMPUTED = frozenset(
    np.dtype(c) for c in ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f4", "f8", "c8", "c16")
)
# The type numpy accumulates each dtype in when `dtype=` asks for it, and the type ndkit
# accumulates it in: they differ for the narrow integers and bool, whose sums ndkit
# widens to 64 bits (exact: wrapping sums and products modulo 2**64 reduce to the same
# values modulo 2**8, 2**16 or 2**32, and or/and of bools are sums/products tested for
# non-zero).
_WIDENED = frozenset(np.dtype(c) for c in ("?", "i1", "i2", "i4", "u1", "u2", "u4"))


def _unsupported(name, dtype):
    return TypeError(f"ndkit.{name} does not compute on arrays of {dtype}")


def _array(a, name):
    """`a` as an ndarray the kernels can read in place; a copy only when its dtype is of
    the other byte order or its data is unaligned (as a dask block can be)."""
    a = np.asarray(a)
    dt = a.dtype
    if dt not in _COMPUTED:
        native = dt.newbyteorder("=") if dt.byteorder not in ("=", "|") else None
        if native is None or native not in _COMPUTED:
            raise _unsupported(name, dt)
        a = a.astype(native)
    if not a.flags.aligned:
        a = a.copy()
    return a


def _coords(x, name):
    """Coordinates as float64 (numpy converts integer coordinates to float64 too)."""
    x = np.asarray(x)
    if x.dtype.kind not in "iuf":
        raise TypeError(f"ndkit.{name}: coordinates must be real numbers, got {x.dtype}")
    return np.ascontiguousarray(x, dtype=np.float64)


def _spacings(varargs, period, name):
    """numpy's `varargs` as the extension takes them: a float step, or a tuple of float64
    coordinates and the axis's period (None unless `period` gives one)."""
    if period is None or np.ndim(period) == 0:
        periods = [None if period is None else float(period)] * len(varargs)
    else:
        periods = [None if p is None else float(p) for p in period]
        if len(periods) != len(varargs):
            raise ValueError(
                f"ndkit.{name}: {len(periods)} periods given for {len(varargs)} spacings"
            )
    out = []
    for v, p in zip(varargs, periods):
        if np.ndim(v) == 0:
            out.append(float(v))
        else:
            out.append((_coords(v, name), p))
    return out


def _index(value, name, what):
    value = operator.index(value)
    if value < 0:
        raise ValueError(f"ndkit.{name}: {what} must be non-negative, got {value}")
    return value


def _shares(out, inputs):
    return any(np.may_share_memory(o, i) for o in out for i in inputs)


def _copy_into(out, results):
    """Copies results computed aside into `out` (which overlapped an input)."""
    for o, r in zip(out, results):
        if not isinstance(o, np.ndarray) or o.dtype != r.dtype:
            raise TypeError(f"out has dtype {getattr(o, 'dtype', type(o))}, but the result is {r.dtype}")
        if o.shape != r.shape:
            raise ValueError(
                f"the output has shape {list(o.shape)}, but the result has shape {list(r.shape)}"
            )
        o[...] = r


def _call(fn, inputs, out, *args):
    """`fn(*args, out=out)`, through a temporary when `out` overlaps an input (the kernels
    never read memory they write)."""
    if out is None:
        return fn(*args)
    single = not isinstance(out, (tuple, list))
    outs = [out] if single else list(out)
    if _shares(outs, inputs):
        res = fn(*args)
        _copy_into(outs, res if isinstance(res, list) else [res])
        return out if single else outs
    return fn(*args, out if single else outs)


def _axes(axis):
    """numpy's `axis` forms (None, an int, a tuple or list of ints) as a list or None;
    ndcalc checks the values."""
    if axis is None:
        return None
    if isinstance(axis, (tuple, list)):
        return [operator.index(a) for a in axis]
    return [operator.index(axis)]


def gradient(f, *varargs, axis=None, edge_order=1, accuracy=2, boundary="numpy", period=None, out=None):
    """numpy's ``np.gradient``: central differences inside, one-sided at the ends.

    ``varargs``, ``axis`` and ``edge_order`` are numpy's; a list of arrays (a tuple) is
    returned for several axes, one array for one. Beyond numpy: ``accuracy`` 2, 4 or 6
    (at 2, numpy's stencils with ``edge_order``'s ends; at 4 and 6, that order at every
    point, the ends included, and ``edge_order`` does not apply),
    ``boundary="periodic"`` (with ``period``, a number or one per axis, for coordinate
    spacings), and ``out`` (an array, or a sequence of one per axis, of the result dtype).

    >>> import numpy as np, ndkit
    >>> ndkit.gradient(np.array([[1., 2., 6.], [3., 4., 5.]]))
    (array([[ 2.,  2., -1.],
           [ 2.,  2., -1.]]), array([[1. , 2.5, 4. ],
           [1. , 1. , 1. ]]))
    """
    f = _array(f, "gradient")
    axes = _axes(axis)
    edge_order = operator.index(edge_order)
    if edge_order < 0:
        raise ValueError(f"edge_order must be 1 or 2, got {edge_order}")
    spacings = _spacings(varargs, period, "gradient")
    acc = _index(accuracy, "gradient", "accuracy")
    if out is not None and not isinstance(out, (tuple, list)):
        out = [out]
    res = _call(_ndkit.gradient, [f], out, f, spacings, axes, edge_order, acc, boundary)
    return res[0] if len(res) == 1 else tuple(res)


def diff(a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue, out=None):
    """numpy's ``np.diff``: the n-th discrete difference along ``axis`` (integers wrap,
    bool is ``!=``), with ``prepend``/``append`` promoted as numpy concatenates them.

    >>> import numpy as np, ndkit
    >>> ndkit.diff(np.array([1, 2, 4, 7, 0]), prepend=0)
    array([ 1,  1,  2,  3, -7])
    """
    n = operator.index(n)
    if n == 0 and out is None:
        return a
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    a = np.asanyarray(a)
    if n == 0:
        _copy_into([out], [a])
        return out
    edges = [e for e in (prepend, append) if e is not np._NoValue]
    if edges:
        edges = [np.asanyarray(e) for e in edges]
        dt = np.result_type(a, *edges)
        a = a.astype(dt, copy=False)
    a = _array(a, "diff")
    pre = app = None
    if prepend is not np._NoValue:
        pre = _array(np.asarray(prepend).astype(a.dtype, copy=False), "diff")
    if append is not np._NoValue:
        app = _array(np.asarray(append).astype(a.dtype, copy=False), "diff")
    inputs = [x for x in (a, pre, app) if x is not None]
    return _call(_ndkit.diff, inputs, out, a, n, operator.index(axis), pre, app)


def _running(op, a, axis, dtype, include_initial, out):
    a = _array(a, op)
    if axis is not None:
        axis = operator.index(axis)
    if dtype is None:
        return _call(_ndkit.cumulative, [a], out, a, op, axis, include_initial)
    dt = np.dtype(dtype)
    if dt not in _COMPUTED:
        raise _unsupported(op, dt)
    # numpy casts each element to `dtype` (unsafe casting) and accumulates in it; the
    # cast first, elementwise, is the same cast.
    x = a.astype(dt, copy=False)
    if dt not in _WIDENED:
        return _call(_ndkit.cumulative, [x], out, x, op, axis, include_initial)
    wide = _ndkit.cumulative(x, op, axis, include_initial)
    if out is None:
        return wide.astype(dt)
    if not isinstance(out, np.ndarray) or out.dtype != dt:
        raise TypeError(f"out has dtype {getattr(out, 'dtype', type(out))}, but the result is {dt}")
    if out.shape != wide.shape:
        raise ValueError(
            f"the output has shape {list(out.shape)}, but the result has shape {list(wide.shape)}"
        )
    np.copyto(out, wide, casting="unsafe")
    return out


def cumsum(a, axis=None, dtype=None, out=None):
    """numpy's ``np.cumsum`` (``axis=None`` flattens in C order).

    >>> import numpy as np, ndkit
    >>> ndkit.cumsum(np.array([[1, 2], [3, 4]]), axis=0)
    array([[1, 2],
           [4, 6]])
    """
    return _running("cumsum", a, axis, dtype, False, out)


def cumprod(a, axis=None, dtype=None, out=None):
    """numpy's ``np.cumprod``.

    >>> import numpy as np, ndkit
    >>> ndkit.cumprod(np.array([1., 2., 3.]))
    array([1., 2., 6.])
    """
    return _running("cumprod", a, axis, dtype, False, out)


def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """numpy's ``np.cumulative_sum`` (array API): ``axis`` needed beyond 1-D.

    >>> import numpy as np, ndkit
    >>> ndkit.cumulative_sum(np.array([1., 2., 3.]), include_initial=True)
    array([0., 1., 3., 6.])
    """
    return _running("cumulative_sum", x, axis, dtype, bool(include_initial), out)


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """numpy's ``np.cumulative_prod``.

    >>> import numpy as np, ndkit
    >>> ndkit.cumulative_prod(np.array([2, 3, 4]), include_initial=True)
    array([ 1,  2,  6, 24])
    """
    return _running("cumulative_prod", x, axis, dtype, bool(include_initial), out)


def _trapezoid_coords(x, ndim, axis):
    """numpy's N-d `x` that varies along `axis` only (`x[:, None, None]`) is the 1-D
    coordinate array it broadcasts; any other N-d `x` is passed on for ndcalc to refuse."""
    x = np.asarray(x)
    if x.ndim > 1:
        ax = operator.index(axis)
        ax = ax + x.ndim if ax < 0 else ax
        if x.ndim == ndim and 0 <= ax < x.ndim and all(n == 1 for k, n in enumerate(x.shape) if k != ax):
            x = x.reshape(-1)
    return _coords(x, "trapezoid")


def trapezoid(y, x=None, dx=1.0, axis=-1, out=None):
    """numpy's ``np.trapezoid``; a numpy scalar for 1-D input, as numpy returns.

    >>> import numpy as np, ndkit
    >>> float(ndkit.trapezoid(np.array([1., 2., 3.]), x=np.array([4., 6., 8.])))
    8.0
    """
    y = _array(y, "trapezoid")
    xs = None if x is None else _trapezoid_coords(x, y.ndim, axis)
    inputs = [y] if xs is None else [y, xs]
    r = _call(_ndkit.trapezoid, inputs, out, y, xs, float(dx), operator.index(axis))
    return r[()] if out is None and r.ndim == 0 else r


def cumulative_trapezoid(y, x=None, dx=1.0, axis=-1, initial=None, out=None):
    """SciPy's ``scipy.integrate.cumulative_trapezoid`` (``initial`` None or 0).

    >>> import numpy as np, ndkit
    >>> ndkit.cumulative_trapezoid(np.array([1., 2., 3.]), initial=0)
    array([0. , 1.5, 4. ])
    """
    y = _array(y, "cumulative_trapezoid")
    xs = None if x is None else _trapezoid_coords(x, y.ndim, axis)
    inputs = [y] if xs is None else [y, xs]
    ini = None if initial is None else float(initial)
    return _call(_ndkit.cumulative_trapezoid, inputs, out, y, xs, float(dx), operator.index(axis), ini)


def derivative(f, order, *varargs, axis=None, accuracy=2, boundary="numpy", period=None, out=None):
    """The ``order``-th derivative (1 or 2) along ``axis`` (needed beyond 1-D), with the
    gradient's spacing forms, ``accuracy`` and ``boundary``.

    >>> import numpy as np, ndkit
    >>> ndkit.derivative(np.array([0., 1., 4., 9., 16.]), 2)
    array([2., 2., 2., 2., 2.])
    """
    f = _array(f, "derivative")
    spacings = _spacings(varargs, period, "derivative")
    order = _index(order, "derivative", "order")
    acc = _index(accuracy, "derivative", "accuracy")
    ax = None if axis is None else operator.index(axis)
    return _call(_ndkit.derivative, [f], out, f, order, spacings, ax, acc, boundary)


def laplacian(f, *varargs, accuracy=2, boundary="numpy", period=None, out=None):
    """The sum of the second derivatives along every axis; ``varargs`` as the gradient's.

    >>> import numpy as np, ndkit
    >>> x = np.arange(5.)
    >>> ndkit.laplacian(x[:, None] ** 2 + x[None, :] ** 2)[2, 2]
    np.float64(4.0)
    """
    f = _array(f, "laplacian")
    spacings = _spacings(varargs, period, "laplacian")
    acc = _index(accuracy, "laplacian", "accuracy")
    return _call(_ndkit.laplacian, [f], out, f, spacings, acc, boundary)


def _components(components, name):
    arrays = [np.asarray(c) for c in components]
    if not arrays:
        return arrays
    dt = np.result_type(*arrays)
    return [_array(c.astype(dt, copy=False), name) for c in arrays]


def divergence(components, *varargs, accuracy=2, boundary="numpy", period=None, out=None):
    """The divergence of a field given as one array per axis (component ``a`` along
    axis ``a``): the sum of ``d components[a] / d x_a``.

    >>> import numpy as np, ndkit
    >>> x = np.arange(4.)
    >>> ndkit.divergence([np.broadcast_to(x[:, None], (4, 4)), np.zeros((4, 4))])[0]
    array([1., 1., 1., 1.])
    """
    cs = _components(components, "divergence")
    spacings = _spacings(varargs, period, "divergence")
    acc = _index(accuracy, "divergence", "accuracy")
    return _call(_ndkit.divergence, cs, out, cs, spacings, acc, boundary)


def curl(components, *varargs, accuracy=2, boundary="numpy", period=None, out=None):
    """The curl of a 2-D field (one array: ``d f1/d x0 - d f0/d x1``) or a 3-D one (a
    tuple of three), in the frame of the array's axes.

    >>> import numpy as np, ndkit
    >>> x = np.arange(4.)
    >>> ndkit.curl([np.zeros((4, 4)), np.broadcast_to(x[:, None], (4, 4))])[1]
    array([1., 1., 1., 1.])
    """
    cs = _components(components, "curl")
    spacings = _spacings(varargs, period, "curl")
    acc = _index(accuracy, "curl", "accuracy")
    if out is not None and not isinstance(out, (tuple, list)):
        out = [out]
    res = _call(_ndkit.curl, cs, out, cs, spacings, acc, boundary)
    return res[0] if len(res) == 1 else tuple(res)
