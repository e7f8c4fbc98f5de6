"""numpy's gradient, diff, running sums and products and trapezoid integration, computed
by ndkit's Rust kernels: the same arguments, the same results (bit for bit for float64),
faster, with the GIL released.

>>> import numpy as np, ndkit
>>> f = np.array([1., 2., 4., 7., 11., 16.])
>>> ndkit.gradient(f)
array([1. , 1.5, 2.5, 3.5, 4.5, 5. ])
>>> ndkit.gradient(f, 2.0, edge_order=2)
array([0.25, 0.75, 1.25, 1.75, 2.25, 2.75])

Beyond numpy: ``accuracy=4`` or ``6`` (wider stencils), ``boundary=`` (periodic, or
``np.pad``'s modes, see :func:`gradient`),
:func:`derivative`, :func:`laplacian`, :func:`divergence`, :func:`curl`, and ``out=`` on
every function; :func:`reach`, the halo a block of a larger array needs (what
``ndkit.dask`` overlaps its chunks by). Inputs of any layout (C, Fortran, transposed, reversed, step-sliced,
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
    "reach",
]

# The dtypes the kernels read in place (native byte order).
_COMPUTED = frozenset(
    np.dtype(c) for c in ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f4", "f8", "c8", "c16")
)
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


def _coords(x, name, float32=False):
    """Coordinates as float64 (numpy converts integer coordinates to float64 too), or as
    float32 when they are and `float32` says the operation computes their steps in
    float32, as numpy's gradient does."""
    x = np.asarray(x)
    if x.dtype.kind not in "iuf":
        raise TypeError(f"ndkit.{name}: coordinates must be real numbers, got {x.dtype}")
    dt = np.float32 if float32 and x.dtype == np.float32 else np.float64
    return np.ascontiguousarray(x, dtype=dt)


def _spacings(varargs, period, name):
    """numpy's `varargs` as the extension takes them: a float step, or a tuple of
    coordinates, the axis's period (None unless `period` gives one) and False (whole
    axes, whose own steps choose numpy's formulas)."""
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
            out.append((_coords(v, name, float32=True), p, False))
    return out


# np.pad's mode names for the boundaries ndcalc computes, and ndcalc's own names.
_MODES = {
    "numpy": "numpy",
    "periodic": "periodic",
    "wrap": "periodic",
    "constant": "constant",
    "edge": "edge",
    "reflect": "reflect",
    "symmetric": "symmetric",
}


def _side(b, name):
    """One side's boundary as the extension takes it: (mode, constant value)."""
    if isinstance(b, str):
        mode, value = b, 0.0
    elif _is_constant(b):
        mode, value = b
    else:
        raise ValueError(f"ndkit.{name}: a boundary is a mode name or ('constant', value), got {b!r}")
    if mode not in _MODES:
        modes = ", ".join(repr(m) for m in _MODES)
        raise ValueError(f"ndkit.{name}: boundary must be one of {modes}, got {mode!r}")
    if _MODES[mode] != "constant" and not isinstance(b, str):
        raise ValueError(f"ndkit.{name}: only the 'constant' boundary takes a value, got {b!r}")
    return (_MODES[mode], float(value))


def _is_constant(b):
    """Whether `b` is a mode with a value, ``("constant", c)``."""
    return isinstance(b, (tuple, list)) and len(b) == 2 and isinstance(b[0], str) and np.ndim(b[1]) == 0 and not isinstance(b[1], str)


def _boundary(boundary, name):
    """``boundary`` (a mode, ``("constant", c)``, or a pair of those for the start and
    the end of the axes) as the extension takes it: a pair of (mode, value)."""
    if isinstance(boundary, (tuple, list)) and len(boundary) == 2 and not _is_constant(boundary):
        return (_side(boundary[0], name), _side(boundary[1], name))
    side = _side(boundary, name)
    return (side, side)


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
                f"expected an array of shape {list(r.shape)}, found shape {list(o.shape)}"
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


def _stencil(op, inputs, out, spacings, axes, order, edge_order, accuracy, bc, halos=(), single=False):
    """The extension's stencil operation `op` (a list of results, or the one result when
    `single`), into `out` (an array or a sequence of arrays) when given. `halos`, one
    (before, after) pair per axis, says the input is a block of a larger array with
    those samples around it (what ``ndkit.dask`` passes; see ndcalc's ``halos``)."""
    if out is not None and not isinstance(out, (tuple, list)):
        out = [out]
    res = _call(_ndkit.stencil, inputs, out, op, inputs, spacings, axes, order, edge_order, accuracy, bc, list(halos))
    return res[0] if single else res


def reach(op, order=1, edge_order=None, accuracy=2, boundary="numpy"):
    """The halo ``(before, after)`` a block of an array needs along an axis so that
    ``op`` ("gradient", "derivative" of ``order``, "laplacian", "divergence", "curl")
    computes its points as on the whole array, with these options (ndcalc's
    ``reach``): ``ndkit.dask``'s overlap.

    >>> import ndkit
    >>> ndkit.reach("gradient"), ndkit.reach("gradient", accuracy=4), ndkit.reach("derivative", 2)
    ((1, 1), (5, 5), (3, 3))
    """
    if edge_order is not None:
        edge_order = operator.index(edge_order)
    acc = _index(accuracy, op, "accuracy")
    return _ndkit.reach(op, _index(order, op, "order"), edge_order, acc, _boundary(boundary, op))


def _axes(axis):
    """numpy's `axis` forms (None, an int, a tuple or list of ints) as a list or None;
    ndcalc checks the values."""
    if axis is None:
        return None
    if isinstance(axis, (tuple, list)):
        return [operator.index(a) for a in axis]
    return [operator.index(axis)]


def gradient(f, *varargs, axis=None, edge_order=None, accuracy=2, boundary="numpy", period=None, out=None):
    """``ndkit.gradient`` for every call but numpy's plain one (an ndarray and no other
    argument), which the extension's ``gradient`` computes without this Python frame:
    numpy's argument forms normalized for the extension's ``stencil``."""
    f = _array(f, "gradient")
    axes = _axes(axis)
    if edge_order is not None:
        edge_order = operator.index(edge_order)
        if edge_order < 0:
            raise ValueError(f"edge_order must be 1 or 2, got {edge_order}")
    spacings = _spacings(varargs, period, "gradient")
    acc = _index(accuracy, "gradient", "accuracy")
    bc = _boundary(boundary, "gradient")
    res = _stencil("gradient", [f], out, spacings, axes, 0, edge_order, acc, bc)
    return res[0] if len(res) == 1 else tuple(res)


# The package's gradient (its docstring there): numpy's plain call in Rust, the others
# through the function above.
_gradient = gradient
gradient = _ndkit.gradient
# doctest does not look into the extension's functions.
__test__ = {"gradient": gradient.__doc__}


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
    if dtype is not None:
        dt = np.dtype(dtype)
        if dt not in _COMPUTED:
            raise _unsupported(op, dt)
        # numpy casts each element to `dtype` (unsafe casting) and accumulates in it;
        # ndcalc does the same cast and accumulation.
        dtype = dt.name
    return _call(_ndkit.cumulative, [a], out, a, op, axis, include_initial, dtype)


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
    r = _call(_ndkit.trapezoid, inputs, out, y, xs, float(dx), operator.index(axis), False)
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
    return _call(_ndkit.trapezoid, inputs, out, y, xs, float(dx), operator.index(axis), True, ini)


def derivative(f, order, *varargs, axis=None, accuracy=2, boundary="numpy", period=None, out=None):
    """The ``order``-th derivative (1 or 2) along ``axis`` (needed beyond 1-D), with the
    gradient's spacing forms, ``accuracy`` and ``boundary`` (see :func:`gradient`).

    >>> import numpy as np, ndkit
    >>> ndkit.derivative(np.array([0., 1., 4., 9., 16.]), 2)
    array([2., 2., 2., 2., 2.])
    """
    f = _array(f, "derivative")
    spacings = _spacings(varargs, period, "derivative")
    order = _index(order, "derivative", "order")
    acc = _index(accuracy, "derivative", "accuracy")
    axes = None if axis is None else [operator.index(axis)]
    bc = _boundary(boundary, "derivative")
    return _stencil("derivative", [f], out, spacings, axes, order, None, acc, bc, single=True)


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
    bc = _boundary(boundary, "laplacian")
    return _stencil("laplacian", [f], out, spacings, None, 0, None, acc, bc, single=True)


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
    bc = _boundary(boundary, "divergence")
    return _stencil("divergence", cs, out, spacings, None, 0, None, acc, bc, single=True)


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
    bc = _boundary(boundary, "curl")
    res = _stencil("curl", cs, out, spacings, None, 0, None, acc, bc)
    return res[0] if len(res) == 1 else tuple(res)
