//! The Python-facing functions: buffers in, numpy arrays out, ndcalc in between.
//!
//! Each function reads its arguments as the `ndkit` package normalized them, resolves the
//! result's shape and dtype with ndcalc's own checks, allocates the result with
//! `numpy.empty` unless `out` is given, and computes with the GIL released.

use ndcalc::num_complex::Complex;
use ndcalc::{curl as curl_of, divergence as divergence_of};
use ndcalc::{Accumulate, ArrayView, ArrayViewMut, Boundary, Calc, CalcError, Integrate};
use ndcalc::{DiffEdge, Promote, Spacing};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

use crate::buffer::{Buffer, Elem, Native};
use crate::error::to_py;

/// Runs `$f::<T>(args)` for the element type `T` of `$elem`, over the types of `$list`
/// (`numeric` or `any`, which adds `bool`); other types are a `TypeError`.
macro_rules! dispatch {
    (numeric, $elem:expr, $op:expr, $f:ident($($arg:expr),*)) => {
        match $elem {
            Elem::I8 => $f::<i8>($($arg),*),
            Elem::I16 => $f::<i16>($($arg),*),
            Elem::I32 => $f::<i32>($($arg),*),
            Elem::I64 => $f::<i64>($($arg),*),
            Elem::U8 => $f::<u8>($($arg),*),
            Elem::U16 => $f::<u16>($($arg),*),
            Elem::U32 => $f::<u32>($($arg),*),
            Elem::U64 => $f::<u64>($($arg),*),
            Elem::F32 => $f::<f32>($($arg),*),
            Elem::F64 => $f::<f64>($($arg),*),
            Elem::C64 => $f::<Complex<f32>>($($arg),*),
            Elem::C128 => $f::<Complex<f64>>($($arg),*),
            Elem::Bool => Err(unsupported($op, Elem::Bool)),
        }
    };
    (any, $elem:expr, $op:expr, $f:ident($($arg:expr),*)) => {
        match $elem {
            Elem::Bool => $f::<bool>($($arg),*),
            _ => dispatch!(numeric, $elem, $op, $f($($arg),*)),
        }
    };
}

fn unsupported(op: &str, elem: Elem) -> PyErr {
    PyTypeError::new_err(format!(
        "{op} does not compute on arrays of {}",
        elem.name()
    ))
}

/// The result type of the derivatives and integrals: integers become `float64`.
fn promoted(elem: Elem) -> Elem {
    match elem {
        Elem::F32 | Elem::F64 | Elem::C64 | Elem::C128 => elem,
        _ => Elem::F64,
    }
}

/// The result type of the running sums and products: numpy's platform integer for
/// smaller integers and `bool`.
fn accumulated(elem: Elem) -> Elem {
    match elem {
        Elem::Bool | Elem::I8 | Elem::I16 | Elem::I32 | Elem::I64 => Elem::I64,
        Elem::U8 | Elem::U16 | Elem::U32 | Elem::U64 => Elem::U64,
        _ => elem,
    }
}

static EMPTY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `out`, checked to be of the result's dtype, or a new `numpy.empty` array; with its
/// buffer. The shape of `out` is checked by ndcalc's `compute_into`.
fn output<'py>(
    py: Python<'py>,
    out: Option<Bound<'py, PyAny>>,
    shape: &[usize],
    elem: Elem,
) -> PyResult<(Bound<'py, PyAny>, Buffer)> {
    let array = match out {
        Some(o) => o,
        None => {
            let empty = EMPTY.get_or_try_init(py, || {
                py.import("numpy")?.getattr("empty").map(Bound::unbind)
            })?;
            empty
                .bind(py)
                .call1((PyTuple::new(py, shape)?, elem.name()))?
        }
    };
    let buf = Buffer::get(&array)?;
    if buf.elem != elem {
        return Err(PyTypeError::new_err(format!(
            "out has dtype {}, but the result is {}",
            buf.elem.name(),
            elem.name()
        )));
    }
    Ok((array, buf))
}

/// The `count` outputs of an operation with several results: those of `out`, checked to
/// be `count` arrays that share no memory, or new ones.
fn outputs<'py>(
    py: Python<'py>,
    op: &'static str,
    out: Option<Vec<Bound<'py, PyAny>>>,
    count: usize,
    shape: &[usize],
    elem: Elem,
) -> PyResult<(Vec<Bound<'py, PyAny>>, Vec<Buffer>)> {
    let given: Vec<Option<Bound<'py, PyAny>>> = match out {
        Some(o) if o.len() != count => {
            let e = CalcError::OutputCount {
                op,
                expected: count,
                found: o.len(),
            };
            return Err(to_py(py, e));
        }
        Some(o) => o.into_iter().map(Some).collect(),
        None => vec![None; count],
    };
    let (mut arrays, mut bufs) = (
        Vec::with_capacity(count),
        Vec::<Buffer>::with_capacity(count),
    );
    for o in given {
        let (a, b) = output(py, o, shape, elem)?;
        if bufs.iter().any(|other| other.overlaps(&b)) {
            return Err(PyValueError::new_err("two outputs share memory"));
        }
        arrays.push(a);
        bufs.push(b);
    }
    Ok((arrays, bufs))
}

fn boundary(name: &str) -> PyResult<Boundary> {
    match name {
        "numpy" => Ok(Boundary::Numpy),
        "periodic" => Ok(Boundary::Periodic),
        _ => Err(PyValueError::new_err(format!(
            "boundary must be 'numpy' or 'periodic', got '{name}'"
        ))),
    }
}

/// One spacing as the package passes it: a float step, or a tuple of float64
/// coordinates and a period (`None` for a non-periodic axis).
fn spacing(s: &Bound<'_, PyAny>) -> PyResult<Spacing> {
    if let Ok(h) = s.extract::<f64>() {
        return Ok(Spacing::step(h));
    }
    let (x, period): (Bound<'_, PyAny>, Option<f64>) = s.extract()?;
    coords(&x, period)
}

/// float64 coordinates, periodic with `period` when it is given.
fn coords(x: &Bound<'_, PyAny>, period: Option<f64>) -> PyResult<Spacing> {
    let buf = Buffer::get(x)?;
    let x = buf.view::<f64>()?;
    Ok(match period {
        Some(p) => Spacing::periodic_coords(&x, p),
        None => Spacing::coords(&x),
    })
}

fn spacings(list: &[Bound<'_, PyAny>]) -> PyResult<Vec<Spacing>> {
    list.iter().map(spacing).collect()
}

/// ndcalc's result as a Python result, the GIL released while `f` runs.
fn detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, CalcError> + Send,
) -> PyResult<T> {
    py.detach(f).map_err(|e| to_py(py, e))
}

/// The gradient along `axes` (all when `None`): numpy's `np.gradient` with ndcalc's
/// `accuracy` and `boundary`. Returns one array per axis.
#[pyfunction]
#[pyo3(signature = (f, spacings, axes, edge_order, accuracy, boundary, out=None))]
#[allow(clippy::too_many_arguments)]
pub fn gradient<'py>(
    py: Python<'py>,
    f: &Bound<'py, PyAny>,
    spacings: Vec<Bound<'py, PyAny>>,
    axes: Option<Vec<isize>>,
    edge_order: usize,
    accuracy: usize,
    boundary: &str,
    out: Option<Vec<Bound<'py, PyAny>>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let fb = Buffer::get(f)?;
    let boundary = self::boundary(boundary)?;
    let spacings = self::spacings(&spacings)?;
    let ndim = fb.shape().len();
    let axes = gradient_axes(axes, ndim, &spacings).map_err(|e| to_py(py, e))?;
    let (arrays, mut bufs) = outputs(
        py,
        "gradient",
        out,
        axes.len(),
        fb.shape(),
        promoted(fb.elem),
    )?;
    let opts = GradientOpts {
        axes: &axes,
        spacings: &spacings,
        edge_order,
        accuracy,
        boundary,
    };
    dispatch!(
        numeric,
        fb.elem,
        "gradient",
        gradient_typed(py, &fb, &mut bufs, &opts)
    )?;
    Ok(arrays)
}

/// numpy's axes of a gradient, checked as ndcalc's `Gradient::compute` checks them (the
/// outputs are allocated before the computation, so the axes are resolved here).
fn gradient_axes(
    axes: Option<Vec<isize>>,
    ndim: usize,
    spacings: &[Spacing],
) -> Result<Vec<usize>, CalcError> {
    if ndim == 0 {
        return Err(CalcError::ZeroDimensional { op: "gradient" });
    }
    let list = axes.unwrap_or_else(|| (0..ndim as isize).collect());
    let mut axes: Vec<usize> = Vec::with_capacity(list.len());
    for axis in list {
        let a = if axis < 0 { axis + ndim as isize } else { axis };
        if !(0..ndim as isize).contains(&a) {
            return Err(ndcalc::ndcore::Error::AxisOutOfRange { axis, ndim }.into());
        }
        if axes.contains(&(a as usize)) {
            return Err(ndcalc::ndcore::Error::RepeatedAxis { axis: a as usize }.into());
        }
        axes.push(a as usize);
    }
    match spacings {
        [] => Ok(axes),
        [one] if one.is_scalar() => Ok(axes),
        s if s.len() == axes.len() => Ok(axes),
        s => Err(CalcError::SpacingCount {
            given: s.len(),
            axes: axes.len(),
        }),
    }
}

struct GradientOpts<'a> {
    axes: &'a [usize],
    spacings: &'a [Spacing],
    edge_order: usize,
    accuracy: usize,
    boundary: Boundary,
}

fn gradient_typed<T>(
    py: Python<'_>,
    f: &Buffer,
    outs: &mut [Buffer],
    o: &GradientOpts<'_>,
) -> PyResult<()>
where
    T: Native + Promote,
    T::Output: Native,
{
    let fv = f.view::<T>()?;
    let mut views = outs
        .iter_mut()
        .map(|b| b.view_mut::<T::Output>(&[f]))
        .collect::<PyResult<Vec<ArrayViewMut<'_, T::Output>>>>()?;
    detached(py, || {
        for (k, (&axis, out)) in o.axes.iter().zip(views.iter_mut()).enumerate() {
            let g = fv.gradient().axis(axis as isize).boundary(o.boundary);
            // numpy's signature: accuracy 2 is numpy's stencils, whose ends `edge_order`
            // chooses; accuracy 4 and 6 are of that order at every point, the ends too.
            let mut g = match o.accuracy {
                2 => g.edge_order(o.edge_order),
                k => g.accuracy(k),
            };
            match o.spacings {
                [] => {}
                [one] => g = g.spacing(one.clone()),
                many => g = g.spacing(many[k].clone()),
            }
            g.compute_into(out)?;
        }
        Ok(())
    })
}

/// numpy's `np.diff` (`prepend` and `append` already of the input's dtype).
#[pyfunction]
#[pyo3(signature = (a, n, axis, prepend=None, append=None, out=None))]
pub fn diff<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    n: usize,
    axis: isize,
    prepend: Option<&Bound<'py, PyAny>>,
    append: Option<&Bound<'py, PyAny>>,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let ab = Buffer::get(a)?;
    let pre = prepend.map(Buffer::get).transpose()?;
    let app = append.map(Buffer::get).transpose()?;
    let args = DiffArgs {
        a: &ab,
        prepend: pre.as_ref(),
        append: app.as_ref(),
        n,
        axis,
    };
    dispatch!(any, ab.elem, "diff", diff_typed(py, &args, out))
}

struct DiffArgs<'a> {
    a: &'a Buffer,
    prepend: Option<&'a Buffer>,
    append: Option<&'a Buffer>,
    n: usize,
    axis: isize,
}

fn diff_typed<'py, T: Native + ndcalc::NpArith + ndcalc::ResultType<T, Output = T>>(
    py: Python<'py>,
    args: &DiffArgs<'_>,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let a = args.a.view::<T>()?;
    let pre = args.prepend.map(Buffer::view::<T>).transpose()?;
    let app = args.append.map(Buffer::view::<T>).transpose()?;
    let mut d = a.diff().n(args.n).axis(args.axis);
    if let Some(p) = &pre {
        d = d.prepend(DiffEdge::from(p));
    }
    if let Some(p) = &app {
        d = d.append(DiffEdge::from(p));
    }
    let shape = d.shape().map_err(|e| to_py(py, e))?;
    let (array, mut buf) = output(py, out, &shape, T::ELEM)?;
    let inputs: Vec<&Buffer> = [Some(args.a), args.prepend, args.append]
        .into_iter()
        .flatten()
        .collect();
    let mut view = buf.view_mut::<T>(&inputs)?;
    detached(py, || d.compute_into(&mut view))?;
    Ok(array)
}

/// numpy's `cumsum`, `cumprod`, `cumulative_sum` and `cumulative_prod`, by `op`, in the
/// input's accumulation type.
#[pyfunction]
#[pyo3(signature = (a, op, axis, include_initial=false, out=None))]
pub fn cumulative<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    op: &str,
    axis: Option<isize>,
    include_initial: bool,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let ab = Buffer::get(a)?;
    let op = match op {
        "cumsum" => Op::Cumsum,
        "cumprod" => Op::Cumprod,
        "cumulative_sum" => Op::CumulativeSum,
        "cumulative_prod" => Op::CumulativeProd,
        _ => {
            return Err(PyValueError::new_err(format!(
                "no running operation '{op}'"
            )))
        }
    };
    let args = (op, axis, include_initial);
    dispatch!(
        any,
        ab.elem,
        "cumulative",
        cumulative_typed(py, &ab, args, out)
    )
}

#[derive(Clone, Copy)]
enum Op {
    Cumsum,
    Cumprod,
    CumulativeSum,
    CumulativeProd,
}

fn cumulative_typed<'py, T>(
    py: Python<'py>,
    a: &Buffer,
    (op, axis, include_initial): (Op, Option<isize>, bool),
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Native + Accumulate,
    T::Acc: Native,
{
    let v = a.view::<T>()?;
    let mut c = match op {
        Op::Cumsum => v.cumsum(),
        Op::Cumprod => v.cumprod(),
        Op::CumulativeSum => v.cumulative_sum(),
        Op::CumulativeProd => v.cumulative_prod(),
    }
    .include_initial(include_initial);
    if let Some(axis) = axis {
        c = c.axis(axis);
    }
    let shape = c.shape().map_err(|e| to_py(py, e))?;
    let (array, mut buf) = output(py, out, &shape, accumulated(T::ELEM))?;
    let mut view = buf.view_mut::<T::Acc>(&[a])?;
    detached(py, || c.compute_into(&mut view))?;
    Ok(array)
}

/// numpy's `np.trapezoid` (coordinates as float64) into an array (0-d for 1-D input).
#[pyfunction]
#[pyo3(signature = (y, x, dx, axis, out=None))]
pub fn trapezoid<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    x: Option<&Bound<'py, PyAny>>,
    dx: f64,
    axis: isize,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let yb = Buffer::get(y)?;
    let s = match x {
        Some(x) => coords(x, None)?,
        None => Spacing::step(dx),
    };
    let args = (s, axis, None);
    dispatch!(
        numeric,
        yb.elem,
        "trapezoid",
        integrate_typed(py, &yb, args, out)
    )
}

/// SciPy's `cumulative_trapezoid`; `initial` is `None` or `0.0`.
#[pyfunction]
#[pyo3(signature = (y, x, dx, axis, initial=None, out=None))]
pub fn cumulative_trapezoid<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    x: Option<&Bound<'py, PyAny>>,
    dx: f64,
    axis: isize,
    initial: Option<f64>,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let yb = Buffer::get(y)?;
    let s = match x {
        Some(x) => coords(x, None)?,
        None => Spacing::step(dx),
    };
    let args = (s, axis, Some(initial));
    dispatch!(
        numeric,
        yb.elem,
        "cumulative_trapezoid",
        integrate_typed(py, &yb, args, out)
    )
}

/// The trapezoid rule, whole (`cumulative` is `None`) or running (`Some(initial)`).
fn integrate_typed<'py, T>(
    py: Python<'py>,
    y: &Buffer,
    (s, axis, cumulative): (Spacing, isize, Option<Option<f64>>),
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Native + Integrate,
    T::Output: Native,
{
    let v = y.view::<T>()?;
    match cumulative {
        None => {
            let t = v.trapezoid().spacing(s).axis(axis);
            let shape = t.shape().map_err(|e| to_py(py, e))?;
            let (array, mut buf) = output(py, out, &shape, promoted(T::ELEM))?;
            let mut view = buf.view_mut::<T::Output>(&[y])?;
            detached(py, || t.compute_into(&mut view))?;
            Ok(array)
        }
        Some(initial) => {
            let mut t = v.cumulative_trapezoid().spacing(s).axis(axis);
            if let Some(i) = initial {
                t = t.initial(i);
            }
            let shape = t.shape().map_err(|e| to_py(py, e))?;
            let (array, mut buf) = output(py, out, &shape, promoted(T::ELEM))?;
            let mut view = buf.view_mut::<T::Output>(&[y])?;
            detached(py, || t.compute_into(&mut view))?;
            Ok(array)
        }
    }
}

/// The options the stencil operators share.
struct StencilOpts {
    spacings: Vec<Spacing>,
    accuracy: usize,
    boundary: Boundary,
}

fn stencil_opts(
    spacings: &[Bound<'_, PyAny>],
    accuracy: usize,
    boundary: &str,
) -> PyResult<StencilOpts> {
    Ok(StencilOpts {
        spacings: self::spacings(spacings)?,
        accuracy,
        boundary: self::boundary(boundary)?,
    })
}

/// The `order`-th derivative (1 or 2) along `axis`.
#[pyfunction]
#[pyo3(signature = (f, order, spacings, axis, accuracy, boundary, out=None))]
#[allow(clippy::too_many_arguments)]
pub fn derivative<'py>(
    py: Python<'py>,
    f: &Bound<'py, PyAny>,
    order: usize,
    spacings: Vec<Bound<'py, PyAny>>,
    axis: Option<isize>,
    accuracy: usize,
    boundary: &str,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let fb = Buffer::get(f)?;
    let opts = stencil_opts(&spacings, accuracy, boundary)?;
    let (array, mut buf) = output(py, out, fb.shape(), promoted(fb.elem))?;
    let args = (&fb, &mut buf, order, axis, &opts);
    dispatch!(numeric, fb.elem, "derivative", derivative_typed(py, args))?;
    Ok(array)
}

type DerivativeArgs<'a> = (
    &'a Buffer,
    &'a mut Buffer,
    usize,
    Option<isize>,
    &'a StencilOpts,
);

fn derivative_typed<T>(py: Python<'_>, (f, out, order, axis, o): DerivativeArgs<'_>) -> PyResult<()>
where
    T: Native + Promote,
    T::Output: Native,
{
    let fv = f.view::<T>()?;
    let mut view = out.view_mut::<T::Output>(&[f])?;
    let mut d = fv
        .derivative(order)
        .accuracy(o.accuracy)
        .boundary(o.boundary);
    match o.spacings.as_slice() {
        [] => {}
        [one] => d = d.spacing(one.clone()),
        many => {
            let e = CalcError::SpacingCount {
                given: many.len(),
                axes: 1,
            };
            return Err(to_py(py, e));
        }
    }
    if let Some(axis) = axis {
        d = d.axis(axis);
    }
    detached(py, || d.compute_into(&mut view))
}

/// The Laplacian: the sum of the second derivatives along every axis.
#[pyfunction]
#[pyo3(signature = (f, spacings, accuracy, boundary, out=None))]
pub fn laplacian<'py>(
    py: Python<'py>,
    f: &Bound<'py, PyAny>,
    spacings: Vec<Bound<'py, PyAny>>,
    accuracy: usize,
    boundary: &str,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let fb = Buffer::get(f)?;
    let opts = stencil_opts(&spacings, accuracy, boundary)?;
    let (array, mut buf) = output(py, out, fb.shape(), promoted(fb.elem))?;
    dispatch!(
        numeric,
        fb.elem,
        "laplacian",
        laplacian_typed(py, &fb, &mut buf, &opts)
    )?;
    Ok(array)
}

fn laplacian_typed<T>(py: Python<'_>, f: &Buffer, out: &mut Buffer, o: &StencilOpts) -> PyResult<()>
where
    T: Native + Promote,
    T::Output: Native,
{
    let fv = f.view::<T>()?;
    let mut view = out.view_mut::<T::Output>(&[f])?;
    let l = fv
        .laplacian()
        .accuracy(o.accuracy)
        .boundary(o.boundary)
        .spacings(o.spacings.iter().cloned());
    detached(py, || l.compute_into(&mut view))
}

/// Components of one dtype and their buffers, checked to share it.
fn components(list: &[Bound<'_, PyAny>]) -> PyResult<Vec<Buffer>> {
    let bufs = list.iter().map(Buffer::get).collect::<PyResult<Vec<_>>>()?;
    if let Some(first) = bufs.first() {
        if let Some(other) = bufs.iter().find(|b| b.elem != first.elem) {
            return Err(PyTypeError::new_err(format!(
                "the components have different dtypes: {} and {}",
                first.elem.name(),
                other.elem.name()
            )));
        }
    }
    Ok(bufs)
}

/// The divergence of a vector field given as one array per axis.
#[pyfunction]
#[pyo3(signature = (components, spacings, accuracy, boundary, out=None))]
pub fn divergence<'py>(
    py: Python<'py>,
    components: Vec<Bound<'py, PyAny>>,
    spacings: Vec<Bound<'py, PyAny>>,
    accuracy: usize,
    boundary: &str,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let bufs = self::components(&components)?;
    let opts = stencil_opts(&spacings, accuracy, boundary)?;
    let Some(first) = bufs.first() else {
        let e = CalcError::Components {
            op: "divergence",
            found: 0,
            ndim: 0,
        };
        return Err(to_py(py, e));
    };
    let (array, buf) = output(py, out, first.shape(), promoted(first.elem))?;
    let mut outs = [buf];
    dispatch!(
        numeric,
        first.elem,
        "divergence",
        field_typed(py, &bufs, &mut outs, &opts, false)
    )?;
    Ok(array)
}

/// The curl of a 2-D field (one array) or a 3-D one (three).
#[pyfunction]
#[pyo3(signature = (components, spacings, accuracy, boundary, out=None))]
pub fn curl<'py>(
    py: Python<'py>,
    components: Vec<Bound<'py, PyAny>>,
    spacings: Vec<Bound<'py, PyAny>>,
    accuracy: usize,
    boundary: &str,
    out: Option<Vec<Bound<'py, PyAny>>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let bufs = self::components(&components)?;
    let opts = stencil_opts(&spacings, accuracy, boundary)?;
    let ndim = bufs.first().map_or(0, |b| b.shape().len());
    let count = match (bufs.len(), ndim) {
        (2, 2) => 1,
        (3, 3) => 3,
        (found, ndim) => {
            let e = CalcError::Components {
                op: "curl",
                found,
                ndim,
            };
            return Err(to_py(py, e));
        }
    };
    let (arrays, mut outs) = outputs(
        py,
        "curl",
        out,
        count,
        bufs[0].shape(),
        promoted(bufs[0].elem),
    )?;
    dispatch!(
        numeric,
        bufs[0].elem,
        "curl",
        field_typed(py, &bufs, &mut outs, &opts, true)
    )?;
    Ok(arrays)
}

/// The divergence (`curl` false, one output) or the curl of `components`.
fn field_typed<T>(
    py: Python<'_>,
    components: &[Buffer],
    outs: &mut [Buffer],
    o: &StencilOpts,
    curl: bool,
) -> PyResult<()>
where
    T: Native + Promote,
    T::Output: Native,
{
    let views = components
        .iter()
        .map(Buffer::view::<T>)
        .collect::<PyResult<Vec<ArrayView<'_, T>>>>()?;
    let inputs: Vec<&Buffer> = components.iter().collect();
    let mut outv = outs
        .iter_mut()
        .map(|b| b.view_mut::<T::Output>(&inputs))
        .collect::<PyResult<Vec<_>>>()?;
    if curl {
        let c = curl_of(&views)
            .accuracy(o.accuracy)
            .boundary(o.boundary)
            .spacings(o.spacings.iter().cloned());
        detached(py, || c.compute_into(&mut outv))
    } else {
        let d = divergence_of(&views)
            .accuracy(o.accuracy)
            .boundary(o.boundary)
            .spacings(o.spacings.iter().cloned());
        detached(py, || d.compute_into(&mut outv[0]))
    }
}
