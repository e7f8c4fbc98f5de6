//! The stencil operations (gradient, derivative, Laplacian, divergence, curl) through
//! one path: the inputs read in place, one ndcalc builder made from the options, its
//! results written into `out` or new arrays; and the halo each needs around a block.

use ndcalc::ndcore::npy::{DType, Element};
use ndcalc::{curl, divergence, ArrayView, ArrayViewMut, Boundary, Calc, CalcError, Promote};
use ndcalc::{Curl, Derivative, Divergence, Gradient, Laplacian, Spacing};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

use crate::args::{self, Side};
use crate::buffer::Buffer;
use crate::error::to_py;
use crate::output::{detached, outputs, promoted, with_type};

/// A stencil operation, by the name the package gives it.
#[derive(Clone, Copy)]
enum Op {
    Gradient,
    Derivative,
    Laplacian,
    Divergence,
    Curl,
}

impl Op {
    fn named(name: &str) -> PyResult<Op> {
        Ok(match name {
            "gradient" => Op::Gradient,
            "derivative" => Op::Derivative,
            "laplacian" => Op::Laplacian,
            "divergence" => Op::Divergence,
            "curl" => Op::Curl,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "no stencil operation '{name}'"
                )))
            }
        })
    }

    fn name(self) -> &'static str {
        match self {
            Op::Gradient => "gradient",
            Op::Derivative => "derivative",
            Op::Laplacian => "laplacian",
            Op::Divergence => "divergence",
            Op::Curl => "curl",
        }
    }
}

/// The options of a stencil operation, as ndcalc takes them.
struct Options {
    op: Op,
    spacings: Vec<Spacing>,
    /// The selected axes: the gradient's (all when `None`) or the derivative's one.
    axes: Option<Vec<isize>>,
    /// The derivative's order.
    order: usize,
    /// numpy's `edge_order` of the gradient at accuracy 2.
    edge_order: Option<usize>,
    accuracy: usize,
    boundary: [Boundary; 2],
    /// One (before, after) pair per axis of the input when it is a block with halos.
    halos: Vec<(usize, usize)>,
}

/// One operation's ndcalc builder.
enum Builder<'a, T> {
    Gradient(Gradient<'a, T>),
    Derivative(Derivative<'a, T>),
    Laplacian(Laplacian<'a, T>),
    Divergence(Divergence<'a, T>),
    Curl(Curl<'a, T>),
}

impl Options {
    /// `op` with numpy's defaults: unit spacing, every axis (or the derivative's only
    /// one), numpy's ends and stencils, no halos.
    fn plain(op: Op) -> Self {
        Options {
            op,
            spacings: Vec::new(),
            axes: None,
            order: 0,
            edge_order: None,
            accuracy: 2,
            boundary: [Boundary::Numpy; 2],
            halos: Vec::new(),
        }
    }

    /// The builder of the operation on `inputs` (one array, or the components of a
    /// field).
    fn builder<'a, T: Promote>(
        &'a self,
        inputs: &'a [ArrayView<'a, T>],
    ) -> Result<Builder<'a, T>, CalcError> {
        let [lo, hi] = self.boundary;
        let spacings = self.spacings.iter().cloned();
        let halos = self.halos.iter().copied();
        Ok(match self.op {
            Op::Gradient => {
                let mut g = inputs[0].gradient();
                if let Some(axes) = &self.axes {
                    g = g.axes(axes);
                }
                // numpy's signature: accuracy 2 is numpy's stencils, whose ends
                // `edge_order` chooses (numpy's 1 when it is not given); accuracy 4 and 6
                // are of that order at every point, the ends too.
                g = match (self.accuracy, self.edge_order) {
                    (2, Some(e)) => g.edge_order(e),
                    (2, None) => g,
                    (k, _) => g.accuracy(k),
                };
                // Each setter moves the builder, and numpy's plain call, whose cost is
                // the call's more than the kernel's, needs none of them.
                if !self.spacings.is_empty() {
                    g = g.spacings(spacings);
                }
                if self.boundary != [Boundary::Numpy; 2] {
                    g = g.boundary_sides(lo, hi);
                }
                if !self.halos.is_empty() {
                    g = g.halos(halos);
                }
                Builder::Gradient(g)
            }
            Op::Derivative => {
                let mut d = inputs[0].derivative(self.order);
                if let Some(&[axis]) = self.axes.as_deref() {
                    d = d.axis(axis);
                }
                match self.spacings.as_slice() {
                    [] => {}
                    [one] => d = d.spacing(one.clone()),
                    many => {
                        return Err(CalcError::SpacingCount {
                            given: many.len(),
                            axes: 1,
                        })
                    }
                }
                if let Some((lo, hi)) = self.derivative_halo(inputs[0].shape().len()) {
                    d = d.halo(lo, hi);
                }
                Builder::Derivative(d.accuracy(self.accuracy).boundary_sides(lo, hi))
            }
            Op::Laplacian => Builder::Laplacian(
                inputs[0]
                    .laplacian()
                    .accuracy(self.accuracy)
                    .boundary_sides(lo, hi)
                    .spacings(spacings)
                    .halos(halos),
            ),
            Op::Divergence => Builder::Divergence(
                divergence(inputs)
                    .accuracy(self.accuracy)
                    .boundary_sides(lo, hi)
                    .spacings(spacings)
                    .halos(halos),
            ),
            Op::Curl => Builder::Curl(
                curl(inputs)
                    .accuracy(self.accuracy)
                    .boundary_sides(lo, hi)
                    .spacings(spacings)
                    .halos(halos),
            ),
        })
    }

    /// The derivative's halo: the pair of its axis among the per-axis halos (an axis
    /// out of range is left for ndcalc to report).
    fn derivative_halo(&self, ndim: usize) -> Option<(usize, usize)> {
        let axis = match self.axes.as_deref() {
            Some(&[a]) => a,
            _ => 0,
        };
        let axis = if axis < 0 { axis + ndim as isize } else { axis };
        self.halos.get(usize::try_from(axis).ok()?).copied()
    }

    /// The shape of the results: the input's, less the halos (ndcalc reports halos
    /// longer than their axis).
    fn shape(&self, input: &[usize]) -> Vec<usize> {
        let mut shape = input.to_vec();
        for (n, (lo, hi)) in shape.iter_mut().zip(&self.halos) {
            *n = n.saturating_sub(lo + hi);
        }
        shape
    }
}

impl<T: Promote> Builder<'_, T> {
    /// How many arrays the operation returns (ndcalc checks the count it expects).
    fn len(&self, ndim: usize, axes: Option<&[isize]>) -> usize {
        match self {
            Builder::Gradient(_) => axes.map_or(ndim, <[isize]>::len),
            Builder::Curl(c) => c.len(),
            _ => 1,
        }
    }

    fn reach(&self) -> (usize, usize) {
        match self {
            Builder::Gradient(g) => g.reach(),
            Builder::Derivative(d) => d.reach(),
            Builder::Laplacian(l) => l.reach(),
            Builder::Divergence(d) => d.reach(),
            Builder::Curl(c) => c.reach(),
        }
    }

    fn compute_into(&self, outs: &mut [ArrayViewMut<'_, T::Output>]) -> Result<(), CalcError> {
        match self {
            Builder::Gradient(g) => g.compute_into(outs),
            Builder::Curl(c) => c.compute_into(outs),
            Builder::Derivative(d) => d.compute_into(one(outs)?),
            Builder::Laplacian(l) => l.compute_into(one(outs)?),
            Builder::Divergence(d) => d.compute_into(one(outs)?),
        }
    }
}

/// The one output of an operation with one result.
fn one<'a, 'b, U>(
    outs: &'a mut [ArrayViewMut<'b, U>],
) -> Result<&'a mut ArrayViewMut<'b, U>, CalcError> {
    let found = outs.len();
    match outs {
        [out] => Ok(out),
        _ => Err(CalcError::OutputCount {
            op: "stencil",
            expected: 1,
            found,
        }),
    }
}

/// A stencil operation `op` on `inputs` (one array, or the components of a field for
/// the divergence and the curl): numpy's `np.gradient` with ndcalc's `accuracy` and
/// `boundary`, or ndcalc's derivative, Laplacian, divergence or curl. `halos` (one pair
/// per axis, none by default) says the input is a block with halos, as ndcalc's
/// `halos`. Returns the result arrays, in the order of ndcalc's `compute`.
#[pyfunction]
#[pyo3(signature = (op, inputs, spacings, axes, order, edge_order, accuracy, boundary, halos, out=None))]
#[allow(clippy::too_many_arguments)]
pub fn stencil<'py>(
    py: Python<'py>,
    op: &str,
    inputs: Vec<Bound<'py, PyAny>>,
    spacings: Vec<Bound<'py, PyAny>>,
    axes: Option<Vec<isize>>,
    order: usize,
    edge_order: Option<usize>,
    accuracy: usize,
    boundary: (Side, Side),
    halos: Vec<(usize, usize)>,
    out: Option<Vec<Bound<'py, PyAny>>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let op = Op::named(op)?;
    let bufs = components(&inputs)?;
    let opts = Options {
        op,
        spacings: args::spacings(&spacings)?,
        axes,
        order,
        edge_order,
        accuracy,
        boundary: args::boundary(&boundary)?,
        halos,
    };
    let Some(first) = bufs.first() else {
        let e = CalcError::Components {
            op: op.name(),
            found: 0,
            ndim: 0,
        };
        return Err(to_py(py, e));
    };
    with_type!(numeric, first.dtype, op.name(), T => compute::<T>(py, &bufs, &opts, out))
}

static NDARRAY: PyOnceLock<Py<PyType>> = PyOnceLock::new();

static GENERAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// numpy's ``np.gradient``: central differences inside, one-sided at the ends.
///
/// ``varargs``, ``axis`` and ``edge_order`` are numpy's (``edge_order`` left out is
/// numpy's 1 at a numpy end); a list of arrays (a tuple) is
/// returned for several axes, one array for one. Beyond numpy: ``accuracy`` 2, 4 or 6
/// (at 2, numpy's stencils with ``edge_order``'s ends; at 4 and 6, that order at every
/// point, the ends included, and ``edge_order`` does not apply), ``boundary``, and
/// ``out`` (an array, or a sequence of one per axis, of the result dtype).
///
/// ``boundary`` is ``"numpy"`` (one-sided ends), ``"periodic"`` (with ``period``, a
/// number or one per axis, for coordinate spacings), one of ``np.pad``'s modes
/// ``"wrap"`` (periodic), ``"edge"``, ``"reflect"``, ``"symmetric"`` or ``"constant"``
/// (ghost samples of 0; ``("constant", c)`` for ``c``), or a pair of those for the start
/// and the end of the axes. At accuracy 2 a mode gives
/// ``np.gradient(np.pad(f, 1, mode), ...)[1:-1]`` bit for bit.
///
/// >>> import numpy as np, ndkit
/// >>> ndkit.gradient(np.array([1., 2., 4., 7.]), boundary=(("constant", 0.0), "edge"))
/// array([1. , 1.5, 2.5, 1.5])
/// >>> ndkit.gradient(np.array([[1., 2., 6.], [3., 4., 5.]]))
/// (array([[ 2.,  2., -1.],
///        [ 2.,  2., -1.]]), array([[1. , 2.5, 4. ],
///        [1. , 1. , 1. ]]))
//
// The package's `gradient`, here so that numpy's plain call, the common one on small
// arrays, pays for no Python frame: an ndarray (not a subclass) read in place and no
// other argument. Every other call goes to the package's Python function, which
// normalizes numpy's argument forms and calls `stencil`.
#[pyfunction]
#[pyo3(
    signature = (f, *varargs, **kwargs),
    text_signature = "(f, *varargs, axis=None, edge_order=None, accuracy=2, boundary='numpy', period=None, out=None)"
)]
pub fn gradient<'py>(
    py: Python<'py>,
    f: &Bound<'py, PyAny>,
    varargs: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let ndarray = NDARRAY.get_or_try_init(py, || {
        py.import("numpy")?
            .getattr("ndarray")?
            .cast_into::<PyType>()
            .map(Bound::unbind)
            .map_err(PyErr::from)
    })?;
    if varargs.is_empty()
        && kwargs.is_none_or(|k| k.is_empty())
        && f.get_type().is(ndarray.bind(py))
    {
        // A dtype or layout the kernels do not read in place (other byte order,
        // unaligned, float16...) is the Python function's to convert or refuse.
        if let Ok(buf) = Buffer::get(f) {
            return numpy_plain(py, buf);
        }
    }
    let general = GENERAL.get_or_try_init(py, || {
        py.import("ndkit")?.getattr("_gradient").map(Bound::unbind)
    })?;
    let mut args = Vec::with_capacity(1 + varargs.len());
    args.push(f.clone());
    args.extend(varargs.iter());
    let args = PyTuple::new(py, args)?;
    general.bind(py).call(args, kwargs)
}

/// numpy's gradient of `f` along every axis with numpy's stencils and unit steps: one
/// array for a 1-d input, a tuple of one per axis otherwise.
fn numpy_plain<'py>(py: Python<'py>, buf: Buffer) -> PyResult<Bound<'py, PyAny>> {
    let opts = Options::plain(Op::Gradient);
    let bufs = std::slice::from_ref(&buf);
    let mut res =
        with_type!(numeric, buf.dtype, "gradient", T => compute::<T>(py, bufs, &opts, None))?;
    if res.len() == 1 {
        Ok(res.swap_remove(0))
    } else {
        Ok(PyTuple::new(py, res)?.into_any())
    }
}

/// Inputs of one dtype and their buffers, checked to share it.
fn components(list: &[Bound<'_, PyAny>]) -> PyResult<Vec<Buffer>> {
    let bufs = list.iter().map(Buffer::get).collect::<PyResult<Vec<_>>>()?;
    if let Some(first) = bufs.first() {
        if let Some(other) = bufs.iter().find(|b| b.dtype != first.dtype) {
            return Err(PyTypeError::new_err(format!(
                "the components have different dtypes: {} and {}",
                first.dtype, other.dtype
            )));
        }
    }
    Ok(bufs)
}

fn compute<'py, T>(
    py: Python<'py>,
    bufs: &[Buffer],
    opts: &Options,
    out: Option<Vec<Bound<'py, PyAny>>>,
) -> PyResult<Vec<Bound<'py, PyAny>>>
where
    T: Element + Promote,
    T::Output: Element,
{
    let views = bufs
        .iter()
        .map(Buffer::view::<T>)
        .collect::<PyResult<Vec<ArrayView<'_, T>>>>()?;
    let builder = opts.builder(&views).map_err(|e| to_py(py, e))?;
    let shape = opts.shape(bufs[0].shape());
    let count = builder.len(shape.len(), opts.axes.as_deref());
    let dtype = promoted(T::DTYPE);
    let (arrays, mut outs) = outputs(py, opts.op.name(), out, count, &shape, dtype)?;
    let inputs: Vec<&Buffer> = bufs.iter().collect();
    let mut views = outs
        .iter_mut()
        .map(|b| b.view_mut::<T::Output>(&inputs))
        .collect::<PyResult<Vec<_>>>()?;
    detached(py, || builder.compute_into(&mut views))?;
    Ok(arrays)
}

/// The halo `(before, after)` a block needs for the stencil operation `op` with these
/// options (see ndcalc's `reach`): the overlap of the chunks of `ndkit.dask`.
#[pyfunction]
#[pyo3(signature = (op, order, edge_order, accuracy, boundary))]
pub fn reach(
    op: &str,
    order: usize,
    edge_order: Option<usize>,
    accuracy: usize,
    boundary: (Side, Side),
) -> PyResult<(usize, usize)> {
    let opts = Options {
        order,
        edge_order,
        accuracy,
        boundary: args::boundary(&boundary)?,
        ..Options::plain(Op::named(op)?)
    };
    // The reach depends on the options only; a one-sample array stands for the input.
    let sample =
        [ArrayView::from_slice(&[0.0f64], [1])
            .map_err(|e| PyValueError::new_err(e.to_string()))?];
    let builder = opts
        .builder(&sample)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(builder.reach())
}
