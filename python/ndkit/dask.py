"""ndkit on dask arrays: ``gradient``, ``derivative``, ``laplacian`` and ``diff`` as
graphs of per-chunk ndkit calls, equal bit for bit to the whole array's result for every
chunking.

Each chunk is computed by ndcalc's kernels as a *block with halos* (see the README's
"Large arrays: blocks with halos"): the chunk, with the samples of its neighbours that
``ndkit.reach`` asks for on each side of each differentiated axis (wrapped around on a
periodic axis, none past the array's ends), is one input whose halos tell the kernel
where the array goes on and where it ends. So every point takes the formula and the
samples it takes in the whole array, and the array's ends, numpy's one-sided ones or
ghost samples (``boundary=`` "constant", "edge", "reflect", "symmetric"), are computed
by the chunks that hold them. Chunks shorter than the reach are merged with their
neighbours first, so any chunking works.

The graph has one task per chunk that cuts its edge strips along every differentiated
axis (only those travel to the neighbours' workers), and one per chunk and result that
computes: a chunk at least as long as the reach on both sides together is not copied
(its inner points take the chunk itself as input, with the reach inside it as the halo;
its first and last points take short strips of the neighbours' samples joined to its
own); a shorter one, and the Laplacian's, is joined to the strips once. Spacings are numbers or coordinates (1-D, one per sample of the axis,
uneven too: each chunk gets its slice of them with its halo, marked uneven when the
whole axis is, so that numpy's choice of formulas for the axis holds in every chunk); on a
periodic axis (with ``period``) the halos wrapped past an end take the other end's
coordinates shifted by the period, as ndcalc places the samples past the ends.

>>> import numpy as np, dask.array as da, ndkit.dask
>>> f = da.from_array(np.arange(10.0) ** 2, chunks=3)
>>> ndkit.dask.gradient(f).compute()
array([ 1.,  2.,  4.,  6.,  8., 10., 12., 14., 16., 17.])
>>> x = np.array([0., 1., 3., 4., 6., 7., 9., 10., 12., 13.])
>>> bool((ndkit.dask.gradient(f, x, boundary="reflect").compute() == ndkit.gradient(f.compute(), x, boundary="reflect")).all())
True
"""

import functools
import itertools
import operator

import dask.array as da
import numpy as np
from dask.base import tokenize
from dask.highlevelgraph import HighLevelGraph, MaterializedLayer

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
    for ax in axes:
        chunks[ax] = _merge_small(chunks[ax], least)
    return a if tuple(chunks) == a.chunks else a.rechunk(tuple(chunks))


def _edges(axes, reach, block):
    """The strips of `block` its neighbours along `axes` take as halos: per axis, its
    first `reach[1]` samples (the halo after the chunk before it) and its last
    `reach[0]` (the halo before the chunk after it); copies, so that only they travel."""
    lo, hi = reach
    out = []
    for ax in axes:
        n = block.shape[ax]
        head = block[(slice(None),) * ax + (slice(0, min(hi, n)),)]
        tail = block[(slice(None),) * ax + (slice(n - min(lo, n), n),)]
        out.append((head.copy(), tail.copy()))
    return out


def _run(kernel, axes, slots, reach, dtype, starts, block, *neighbours):
    """`kernel(input, halos, starts, out)` for `block` and its neighbours' strips:
    `neighbours` holds, per axis of `axes`, the edges of the chunk before and of the
    chunk after (None past an end of a non-periodic axis), whose strips of that axis
    are at `slots`. `starts` are the indices in the whole array of the first point the
    input's results cover (here the block's)."""
    strips, halos = [], [(0, 0)] * block.ndim
    for k, (ax, slot) in enumerate(zip(axes, slots)):
        before, after = neighbours[2 * k], neighbours[2 * k + 1]
        below = None if before is None else before[slot][1]
        above = None if after is None else after[slot][0]
        halos[ax] = (0 if below is None else below.shape[ax], 0 if above is None else above.shape[ax])
        strips.append((below, above))
    if all(h == (0, 0) for h in halos):
        return kernel(block, halos, starts, None)
    if len(axes) == 1 and block.shape[axes[0]] >= sum(reach):
        return _in_place(kernel, axes[0], reach, dtype, starts, block, *strips[0])
    shape = tuple(n + lo + hi for n, (lo, hi) in zip(block.shape, halos))
    # The corners between two axes' halos are never read (each axis's stencil reads
    # along its axis only); zeros keep them defined.
    joined = (np.empty if len(axes) == 1 else np.zeros)(shape, block.dtype)
    centre = tuple(slice(lo, lo + n) for n, (lo, _) in zip(block.shape, halos))
    joined[centre] = block
    for ax, (below, above) in zip(axes, strips):
        lo, hi = halos[ax]
        n = block.shape[ax]
        if below is not None:
            joined[centre[:ax] + (slice(0, lo),) + centre[ax + 1 :]] = below
        if above is not None:
            joined[centre[:ax] + (slice(lo + n, lo + n + hi),) + centre[ax + 1 :]] = above
    return kernel(joined, halos, starts, None)


def _in_place(kernel, ax, reach, dtype, starts, block, below, above):
    """The kernel along `ax` on a block at least `reach[0] + reach[1]` long, without
    copying it: its inner points with the block itself as input (the reach on each side
    inside the block as the halo), then its first `reach[0]` and last `reach[1]` points
    from short strips joining the neighbours' samples to the block's."""
    lo, hi = reach
    n, s = block.shape[ax], starts[ax]

    def along(a, b):
        return (slice(None),) * ax + (slice(a, b),)

    def halos(pair):
        return [pair if k == ax else (0, 0) for k in range(block.ndim)]

    def at(start):
        return starts[:ax] + (start,) + starts[ax + 1 :]

    out = np.empty(block.shape, dtype)
    if n > lo + hi:
        kernel(block, halos((lo, hi)), at(s + lo), out[along(lo, n - hi)])
    if lo:
        head = block[along(0, lo + hi)]
        if below is not None:
            head = np.concatenate([below, head], axis=ax)
        kernel(head, halos((head.shape[ax] - lo - hi, hi)), at(s), out[along(0, lo)])
    if hi:
        tail = block[along(n - hi - lo, n)]
        if above is not None:
            tail = np.concatenate([tail, above], axis=ax)
        kernel(tail, halos((lo, tail.shape[ax] - lo - hi)), at(s + n - hi), out[along(n - hi, n)])
    return out


def _halo_map(f, runs, reach, periodic, dtype, name, least=1, short=None):
    """For each `(axes, kernel)` of `runs`, `kernel(input, halos, starts, out)` on every
    chunk of `f` with its halos along `axes` (`reach` = (before, after) samples,
    wrapped where `periodic`): one dask array per run, of `f`'s chunks (after merging
    chunks shorter than the reach or than `least`) and of `dtype`, the last chunk along
    axis `short[0]` shorter by `short[1]` results when given (the diff's). `starts` are
    the indices of the input's first result point in the whole array; `out`, None or a
    view to write the results into. One task per chunk cuts the strips of every run's
    axes."""
    edge_axes = sorted({ax for axes, _ in runs for ax in axes})
    f = _rechunked(f, edge_axes, max(max(reach), least))
    token = tokenize(f.name, edge_axes, reach, periodic, name, [k for _, k in runs])
    edges = f"ndkit-edges-{token}"
    offsets = [np.concatenate([[0], np.cumsum(c)]).tolist() for c in f.chunks]
    blocks = list(itertools.product(*(range(n) for n in f.numblocks)))
    cut = functools.partial(_edges, edge_axes, reach)
    layers = dict(f.dask.layers)
    dependencies = dict(f.dask.dependencies)
    layers[edges] = MaterializedLayer({(edges,) + idx: (cut, (f.name,) + idx) for idx in blocks})
    dependencies[edges] = set(f.__dask_layers__())
    names = []
    for r, (axes, kernel) in enumerate(runs):
        out, layer = f"ndkit-{name}-{r}-{token}", {}
        slots = [edge_axes.index(ax) for ax in axes]
        for idx in blocks:
            neighbours = []
            for ax in axes:
                count = f.numblocks[ax]
                for step in (-1, 1):
                    j = idx[ax] + step
                    # A wrapping axis of one chunk wraps inside the kernel.
                    if periodic and count > 1:
                        j %= count
                    elif not 0 <= j < count:
                        neighbours.append(None)
                        continue
                    neighbours.append((edges,) + idx[:ax] + (j,) + idx[ax + 1 :])
            starts = tuple(offsets[k][i] for k, i in enumerate(idx))
            run = functools.partial(_run, kernel, axes, slots, reach, dtype, starts)
            layer[(out,) + idx] = (run, (f.name,) + idx, *neighbours)
        layers[out] = MaterializedLayer(layer)
        dependencies[out] = {edges} | set(f.__dask_layers__())
        names.append(out)
    graph = HighLevelGraph(layers, dependencies)
    meta = np.empty((0,) * f.ndim, dtype)
    chunks = list(f.chunks)
    if short is not None:
        ax, k = short
        chunks[ax] = chunks[ax][:-1] + (chunks[ax][-1] - k,)
    return [da.Array(graph, out, chunks=tuple(chunks), dtype=dtype, meta=meta) for out in names]


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
            raise ValueError(f"axis {a} is repeated")
        out.append(a)
    return out


class _Spacing:
    """One axis's spacing for the chunks: a step, or the whole axis's coordinates (in
    the type numpy computes their steps in), their period (None if not given) and
    whether their steps are uneven, cut for each chunk with its halo."""

    def __init__(self, v, n, name, period=None):
        self.period = period
        if np.ndim(v) == 0:
            self.step, self.x = float(v), None
            return
        x = ndkit._coords(v, f"dask.{name}", float32=True)
        if x.ndim != 1 or len(x) != n:
            raise ValueError(
                f"ndkit.dask.{name}: coordinates must be 1-D with one value per sample ({n}), got shape {x.shape}"
            )
        d = np.diff(x)
        self.step, self.x = None, x
        self.uneven = bool(len(d)) and not bool((d == d[0]).all())

    def block(self, start, n, halo, wraps):
        """The spacing of the samples [start - halo[0], start + n + halo[1]); on an axis
        that `wraps`, those past an end are the other end's shifted by the period, as
        ndcalc places the samples past the ends of periodic coordinates."""
        if self.x is None:
            return self.step
        lo, hi = halo
        if not wraps:
            return (self.x[start - lo : start + n + hi], None, self.uneven)
        if halo == (0, 0):
            # The whole axis in one chunk, which wraps in the kernel.
            return (self.x, self.period, False)
        x, p = self.x, self.period
        step = x[1] - x[0]
        if not self.uneven and (x[0] + p) - x[-1] == step:
            # ndcalc's uniform steps for the axis, the step across the wrap equal too:
            # the block's shifted coordinates could round into unequal steps.
            return float(step)
        # Periodic float64 coordinates only (float32 ones make the axis one chunk).
        idx = np.arange(start - lo, start + n + hi)
        out = x[idx % len(x)]
        out[idx < 0] -= p
        out[idx >= len(x)] += p
        return (out, None, True)


def _spacings(varargs, naxes, lengths, name, period=None):
    """numpy's `varargs` for `naxes` axes of the given lengths, with ndkit's `period`
    (one for all spacings or one per spacing): one `_Spacing` per axis."""
    if len(varargs) == 0:
        return [_Spacing(1.0, 0, name)] * naxes
    if len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        return [_Spacing(varargs[0], 0, name)] * naxes
    if len(varargs) == naxes:
        if period is None or np.ndim(period) == 0:
            periods = [None if period is None else float(period)] * naxes
        else:
            periods = [None if p is None else float(p) for p in period]
            if len(periods) != naxes:
                raise ValueError(f"ndkit.{name}: {len(periods)} periods given for {naxes} spacings")
        return [_Spacing(v, n, name, p) for v, n, p in zip(varargs, lengths, periods)]
    raise TypeError(f"{len(varargs)} spacings given for {naxes} axes: give one spacing for all axes or one per axis")


def _periodic(bc, name):
    """Whether the boundary wraps (at both ends, or ndcalc refuses it)."""
    modes = {side[0] for side in bc}
    if "periodic" not in modes:
        return False
    if modes != {"periodic"}:
        raise ValueError(f"ndkit.dask.{name}: a periodic boundary must be at both ends of the axes")
    return True


def _check(f, op, axes, spacings, order, edge_order, accuracy, boundary):
    """Raises what ndkit raises on the whole array for these options (an axis too short
    for the stencils, coordinates that do not fit, ...), before any chunk is computed:
    a chunk with halos sees a part of its axis only. Each axis is checked on zeros of its
    length, one sample long along the others."""
    for ax, s in zip(axes, spacings):
        shape = [1] * f.ndim
        shape[ax] = f.shape[ax]
        probe = np.zeros(shape, f.dtype if f.dtype.kind in "fc" else np.float64)
        spacing = s.step if s.x is None else s.x
        kw = {"accuracy": accuracy, "boundary": boundary, "period": s.period}
        if op == "gradient":
            ndkit.gradient(probe, spacing, axis=ax, edge_order=edge_order, **kw)
        else:
            # The Laplacian's stencils along an axis are the second derivative's.
            ndkit.derivative(probe, order, spacing, axis=ax, **kw)


def _stencil_map(f, op, axes, spacings, order, edge_order, accuracy, boundary):
    """ndkit's stencil `op`: a list of one result per axis of `axes` for the gradient
    and the derivative (each chunk's input with halos along that axis), or the one
    result along all of them (the Laplacian)."""
    bc = ndkit._boundary(boundary, f"dask.{op}")
    periodic = _periodic(bc, op)
    _check(f, op, axes, spacings, order, edge_order, accuracy, boundary)
    reach = ndkit.reach(op, order, edge_order, accuracy, boundary)
    if periodic:
        # Float32 coordinates shifted by the period would round to float32, where
        # ndcalc shifts them in float64: such an axis is one chunk, which wraps inside.
        whole = {ax: -1 for ax, s in zip(axes, spacings) if s.x is not None and s.x.dtype == np.float32}
        if whole:
            f = f.rechunk(whole)

    def kernel(axes, spacings, one_axis):
        def run(block, halos, starts, out):
            block = ndkit._array(block, op)
            sp = [
                s.block(starts[ax], block.shape[ax] - sum(halos[ax]), halos[ax], periodic)
                for s, ax in zip(spacings, axes)
            ]
            axis = axes if one_axis else None
            return ndkit._stencil(op, [block], out, sp, axis, order, edge_order, accuracy, bc, halos, single=True)

        return run

    if op == "laplacian":
        runs = [(axes, kernel(axes, spacings, False))]
    else:
        runs = [([ax], kernel([ax], [s], True)) for ax, s in zip(axes, spacings)]
    return _halo_map(f, runs, reach, periodic, _result_dtype(f), op)


def gradient(f, *varargs, axis=None, edge_order=None, accuracy=2, boundary="numpy", period=None):
    """``ndkit.gradient`` of a dask array: a tuple for several axes, one array for one.
    ``varargs`` are numpy's (numbers, or coordinates as numpy arrays, uneven too);
    ``boundary`` and ``period`` are ``ndkit.gradient``'s.

    >>> import numpy as np, dask.array as da, ndkit.dask
    >>> g = ndkit.dask.gradient(da.ones((6, 6), chunks=2), axis=1)
    >>> g.compute().shape
    (6, 6)
    """
    f = da.asarray(f)
    axes = _axes(axis, f.ndim)
    spacings = _spacings(varargs, len(axes), [f.shape[ax] for ax in axes], "gradient", period)
    if edge_order is not None:
        edge_order = operator.index(edge_order)
    acc = operator.index(accuracy)
    outs = _stencil_map(f, "gradient", axes, spacings, 1, edge_order, acc, boundary)
    return outs[0] if len(outs) == 1 else tuple(outs)


def derivative(f, order, *varargs, axis=None, accuracy=2, boundary="numpy", period=None):
    """``ndkit.derivative`` (first or second) of a dask array along ``axis``."""
    f = da.asarray(f)
    if axis is None:
        if f.ndim != 1:
            raise ValueError(f"derivative needs an axis for an array of {f.ndim} dimensions")
        axis = 0
    (ax,) = _axes(axis, f.ndim)
    if len(varargs) > 1:
        raise TypeError(f"{len(varargs)} spacings given for 1 axes: give one spacing for all axes or one per axis")
    spacings = _spacings(varargs, 1, [f.shape[ax]], "derivative", period)
    (out,) = _stencil_map(f, "derivative", [ax], spacings, operator.index(order), None, operator.index(accuracy), boundary)
    return out


def laplacian(f, *varargs, accuracy=2, boundary="numpy", period=None):
    """``ndkit.laplacian`` of a dask array: every chunk joined to its neighbours' strips
    along every axis, one kernel call per chunk (the sum over axes in ndkit's order)."""
    f = da.asarray(f)
    if len(varargs) == 1 and f.ndim == 1:
        spacings = _spacings(varargs, 1, f.shape, "laplacian", period)
    else:
        spacings = _spacings(varargs, f.ndim, f.shape, "laplacian", period)
    axes = list(range(f.ndim))
    (out,) = _stencil_map(f, "laplacian", axes, spacings, 2, None, operator.index(accuracy), boundary)
    return out


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """``ndkit.diff`` of a dask array: each chunk with the next ``n`` samples as its
    halo, by the stencils' one task per chunk (chunks shorter than ``n + 1`` merged
    first); its results are the differences that start at its samples, the last
    chunk's ``n`` fewer."""
    a = da.asarray(a)
    n = operator.index(n)
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    (ax,) = _axes(axis, a.ndim)
    if n == 0:
        # numpy's: the input as it is, without prepend and append.
        return a
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
    length = a.shape[ax]
    if length <= n:
        shape = list(a.shape)
        shape[ax] = 0
        return da.zeros(tuple(shape), dtype=a.dtype)

    def kernel(block, halos, starts, out):
        # Every input is a chunk with all of its halo after it, or the last chunk: its
        # differences are the ones that start at the chunk's samples.
        return ndkit.diff(block, n=n, axis=ax, out=out)

    (out,) = _halo_map(a, [([ax], kernel)], (0, n), False, a.dtype, "diff", least=n + 1, short=(ax, n))
    return out
