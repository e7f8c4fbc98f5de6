"""ndkit on dask arrays: ``gradient``, ``derivative``, ``laplacian`` and ``diff`` as
graphs of per-chunk ndkit calls, equal bit for bit to the whole array's result for every
chunking.

``gradient`` and ``derivative`` compute each chunk in place with the same kernel, then
recompute the few results at each cut (where the chunk-local call used one-sided
stencils) from a short strip joining the neighbour's halo (its ``reach`` samples
nearest the cut; wrapped around on a periodic axis, none at the array's true ends) to
the chunk's own samples. ``laplacian`` extends every chunk on all axes
(``dask.array.overlap``) and trims; ``diff`` extends each chunk by the next ``n``
samples. A point whose stencil lies inside the samples its call sees gets the
operations and rounding it gets in the whole array. Chunks shorter than an end stencil
are merged with their neighbours first, so any chunking works.

Spacings are numbers, or coordinates with equal steps (which numpy and ndkit both use
as the step ``x[1] - x[0]``). Non-uniform coordinates are refused: a chunk whose own
coordinates happen to be evenly spaced would switch to the uniform formula.

>>> import numpy as np, dask.array as da, ndkit.dask
>>> f = da.from_array(np.arange(10.0) ** 2, chunks=3)
>>> ndkit.dask.gradient(f).compute()
array([ 1.,  2.,  4.,  6.,  8., 10., 12., 14., 16., 17.])
"""

import operator

import dask.array as da
import numpy as np

import ndkit


def _merge_small(chunks, least):
    """Chunk lengths with every chunk at least `least` long (or the whole axis), each
    short chunk merged into the following one (the last into the one before)."""
    out = []
    for c in chunks:
        if out and out[-1] < least:
            out[-1] += c
        else:
            out.append(c)
    if len(out) > 1 and out[-1] < least:
        last = out.pop()
        out[-1] += last
    return tuple(out)


def _rechunked(a, axes, least):
    """`a` with every chunk along `axes` at least `least` long."""
    chunks = list(a.chunks)
    changed = False
    for ax in axes:
        merged = _merge_small(chunks[ax], least)
        if merged != chunks[ax]:
            chunks[ax] = merged
            changed = True
    return a.rechunk(tuple(chunks)) if changed else a


def _reach(accuracy, order):
    """How far a stencil reaches from its point (the overlap depth), and the longest
    one-sided end stencil (the shortest chunk that keeps a true end's stencils inside).

    ndcalc's stencils on a uniform step: the interior takes accuracy/2 points each side
    (numpy's central difference: 1), the ends up to accuracy + 2 points for the first
    derivative and accuracy + 3 for the second (numpy's edge_order 2: 3); the chunk-local
    one-sided stencils at a cut cover the first accuracy/2 points, exactly the trimmed ones.
    """
    depth = max(1, accuracy // 2)
    return depth, accuracy + 2 + order


def _step(v, n, name):
    """One spacing argument as a number: a scalar, or coordinates with equal steps."""
    if np.ndim(v) == 0:
        return float(v)
    x = np.asarray(v)
    if x.ndim != 1 or len(x) != n:
        raise ValueError(
            f"ndkit.dask.{name}: coordinates must be 1-D with one value per sample ({n}), got shape {x.shape}"
        )
    if x.dtype.kind not in "iuf":
        raise TypeError(f"ndkit.dask.{name}: coordinates must be real numbers, got {x.dtype}")
    x = x.astype(np.float64)
    d = np.diff(x)
    if len(d) and not (d == d[0]).all():
        raise ValueError(
            f"ndkit.dask.{name}: non-uniform coordinates are not supported on dask arrays "
            "(a chunk whose own steps are equal would use the uniform formula); use "
            "ndkit.{name} on the computed array"
        )
    return float(d[0]) if len(d) else 1.0


def _boundary(boundary):
    if boundary not in ("numpy", "periodic"):
        raise ValueError(f"boundary must be 'numpy' or 'periodic', got '{boundary}'")
    return "periodic" if boundary == "periodic" else "none"


def _overlapped(f, axes, depth, least, boundary):
    """`f` with chunks at least `least` long along `axes`, each chunk extended there by
    `depth` samples of its neighbours (wrapped on a periodic axis, none at a true end);
    and the trimming that undoes the extension of the chunk at a given position."""
    f = _rechunked(f, axes, least)
    bound = _boundary(boundary)
    depths = {k: (depth if k in axes else 0) for k in range(f.ndim)}
    g = da.overlap.overlap(f, depth=depths, boundary={k: bound for k in range(f.ndim)})

    def trim(block, info):
        where = info[None]["chunk-location"]
        count = info[None]["num-chunks"]
        index = []
        for k in range(block.ndim):
            if k not in axes:
                index.append(slice(None))
                continue
            lo = depth if (bound == "periodic" or where[k] > 0) else 0
            hi = depth if (bound == "periodic" or where[k] < count[k] - 1) else 0
            index.append(slice(lo, block.shape[k] - hi))
        return block[tuple(index)]

    return f, g, trim


def _map(f, g, trim, kernel, dtype):
    """`kernel` on every extended chunk of `g`, trimmed back to `f`'s chunks."""

    def run(block, block_info=None):
        return trim(kernel(block), block_info)

    return da.map_blocks(run, g, chunks=f.chunks, dtype=dtype, meta=np.empty((0,) * f.ndim, dtype))


def _halo_map(f, ax, depth, least, boundary, op, dtype):
    """`op` (an ndkit call along `ax`) on every chunk of `f`, its results at the chunk's
    cuts made exact from the neighbours' halos.

    Each chunk is computed as it is, in place (no copy of the chunk); only its first and
    last `depth` results, where the chunk-local call used one-sided stencils at a cut,
    are recomputed on a short strip: the neighbour's last (or first) `depth` samples
    joined to the chunk's first (or last) ones. On a periodic axis the first and last
    chunks are each other's neighbours; at a true end nothing is recomputed. The strips
    are what a halo API of the kernels would take directly.
    """
    bound = _boundary(boundary)
    periodic = bound == "periodic"
    grab = max(2 * depth, least)
    f = _rechunked(f, [ax], grab)
    nb = len(f.chunks[ax])

    def along(lo, hi):
        return (slice(None),) * ax + (slice(lo, hi),)

    def part(lo, hi):
        chunks = list(f.chunks)
        chunks[ax] = (depth,) * nb
        return f.map_blocks(lambda b: b[along(lo, hi)], chunks=tuple(chunks), dtype=f.dtype)

    heads, tails = part(0, depth), part(-depth, None)
    blocks = (slice(None),) * ax
    first, last = heads.blocks[blocks + (slice(0, 1),)], tails.blocks[blocks + (slice(nb - 1, nb),)]
    # The halo below chunk i is the tail of chunk i - 1, above it the head of chunk i + 1;
    # at a true end a placeholder the kernel does not read.
    below, above = [last if periodic else first], [first if periodic else last]
    if nb > 1:
        below = below + [tails.blocks[blocks + (slice(0, nb - 1),)]]
        above = [heads.blocks[blocks + (slice(1, nb),)]] + above
    below, above = da.concatenate(below, axis=ax), da.concatenate(above, axis=ax)

    def kernel(block, lo, hi, block_info=None):
        where = block_info[0]["chunk-location"][ax]
        out = op(block)
        n = block.shape[ax]
        if periodic or where > 0:
            strip = np.concatenate([lo, block[along(0, grab)]], axis=ax)
            out[along(0, depth)] = op(strip)[along(depth, 2 * depth)]
        if periodic or where < nb - 1:
            strip = np.concatenate([block[along(n - grab, n)], hi], axis=ax)
            m = strip.shape[ax]
            out[along(n - depth, n)] = op(strip)[along(m - 2 * depth, m - depth)]
        return out

    return da.map_blocks(
        kernel, f, below, above, chunks=f.chunks, dtype=dtype, meta=np.empty((0,) * f.ndim, dtype)
    )


def _result_dtype(f):
    dt = f.dtype
    if dt.kind in "iu":
        return np.dtype(np.float64)
    if dt in (np.float32, np.float64, np.complex64, np.complex128):
        return dt
    raise TypeError(f"ndkit.dask does not compute on arrays of {dt}")


def _axes(axis, ndim):
    if axis is None:
        return list(range(ndim))
    axes = list(axis) if isinstance(axis, (tuple, list)) else [axis]
    out = []
    for a in axes:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(f"axis {a} is out of bounds for array of dimension {ndim}")
        a %= ndim
        if a in out:
            raise ValueError(f"axis {a} is selected twice")
        out.append(a)
    return out


def gradient(f, *varargs, axis=None, edge_order=1, accuracy=2, boundary="numpy"):
    """``ndkit.gradient`` of a dask array: a tuple for several axes, one array for one.

    >>> import numpy as np, dask.array as da, ndkit.dask
    >>> g = ndkit.dask.gradient(da.ones((6, 6), chunks=2), axis=1)
    >>> g.compute().shape
    (6, 6)
    """
    f = da.asarray(f)
    axes = _axes(axis, f.ndim)
    if len(varargs) == 0:
        steps = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        steps = [float(varargs[0])] * len(axes)
    elif len(varargs) == len(axes):
        steps = [_step(v, f.shape[ax], "gradient") for v, ax in zip(varargs, axes)]
    else:
        raise TypeError(f"{len(varargs)} spacings given for {len(axes)} axes: give one spacing for all axes or one per axis")
    dtype = _result_dtype(f)
    depth, least = _reach(accuracy, 1)
    outs = []
    for ax, h in zip(axes, steps):
        # Chunks are computed with numpy's ends; on a periodic axis every chunk is inner
        # and its ends are recomputed from the wrapped halos.
        def op(block, ax=ax, h=h):
            return ndkit.gradient(block, h, axis=ax, edge_order=edge_order, accuracy=accuracy, boundary="numpy")

        outs.append(_halo_map(f, ax, depth, least, boundary, op, dtype))
    return outs[0] if len(outs) == 1 else tuple(outs)


def derivative(f, order, *varargs, axis=None, accuracy=2, boundary="numpy"):
    """``ndkit.derivative`` (first or second) of a dask array along ``axis``."""
    f = da.asarray(f)
    if axis is None:
        if f.ndim != 1:
            raise ValueError(f"derivative needs an axis for an array of {f.ndim} dimensions")
        axis = 0
    (ax,) = _axes(axis, f.ndim)
    if len(varargs) > 1:
        raise TypeError(f"{len(varargs)} spacings given for 1 axes: give one spacing for all axes or one per axis")
    h = _step(varargs[0], f.shape[ax], "derivative") if varargs else 1.0
    depth, least = _reach(accuracy, order)

    def op(block):
        return ndkit.derivative(block, order, h, axis=ax, accuracy=accuracy, boundary="numpy")

    return _halo_map(f, ax, depth, least, boundary, op, _result_dtype(f))


def laplacian(f, *varargs, accuracy=2, boundary="numpy"):
    """``ndkit.laplacian`` of a dask array: every axis extended at once, one kernel call
    per chunk (the sum over axes in ndkit's order)."""
    f = da.asarray(f)
    if len(varargs) == 0:
        steps = [1.0] * f.ndim
    elif len(varargs) == 1 and (np.ndim(varargs[0]) == 0 or f.ndim == 1):
        steps = [_step(varargs[0], f.shape[0], "laplacian")] * f.ndim
    elif len(varargs) == f.ndim:
        steps = [_step(v, f.shape[k], "laplacian") for k, v in enumerate(varargs)]
    else:
        raise TypeError(f"{len(varargs)} spacings given for {f.ndim} axes: give one spacing for all axes or one per axis")
    depth, least = _reach(accuracy, 2)
    f, g, trim = _overlapped(f, list(range(f.ndim)), depth, least, boundary)

    def kernel(block):
        return ndkit.laplacian(block, *steps, accuracy=accuracy, boundary="numpy")

    return _map(f, g, trim, kernel, _result_dtype(f))


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """``ndkit.diff`` of a dask array: each chunk extended by the next ``n`` samples."""
    a = da.asarray(a)
    n = operator.index(n)
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    (ax,) = _axes(axis, a.ndim)
    edges = []
    for e in (prepend, append):
        if e is None:
            edges.append(None)
            continue
        e = da.asarray(e)
        if e.ndim == 0:
            shape = list(a.shape)
            shape[ax] = 1
            e = da.broadcast_to(e, tuple(shape))
        edges.append(e)
    parts = [p for p in (edges[0], a, edges[1]) if p is not None]
    if len(parts) > 1:
        dt = np.result_type(*[p.dtype for p in parts])
        a = da.concatenate([p.astype(dt) for p in parts], axis=ax)
    if n == 0:
        return a
    length = a.shape[ax]
    if length <= n:
        shape = list(a.shape)
        shape[ax] = 0
        return da.zeros(tuple(shape), dtype=a.dtype)
    a = _rechunked(a, [ax], n + 1)
    chunks = list(a.chunks)
    sizes = list(chunks[ax])
    sizes[-1] -= n
    chunks[ax] = tuple(sizes)

    def kernel(block):
        return ndkit.diff(block, n=n, axis=ax)

    depths = {k: ((0, n) if k == ax else 0) for k in range(a.ndim)}
    return da.map_overlap(
        kernel,
        a,
        depth=depths,
        boundary="none",
        trim=False,
        chunks=tuple(chunks),
        dtype=a.dtype,
        meta=np.empty((0,) * a.ndim, a.dtype),
    )
