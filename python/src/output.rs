//! What every operation shares: the choice of the Rust element type, the result arrays
//! (`out` checked, or new `numpy.empty` ones) and the computation with the GIL released.

use ndcalc::ndcore::npy::DType;
use ndcalc::CalcError;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

use crate::buffer::Buffer;
use crate::error::to_py;

/// Runs `$body` with the type alias `$t` naming the Rust element type of the dtype
/// `$dtype`, over the numeric types or `any` (`bool` too); another dtype is the
/// `TypeError` of [`unsupported`] for the operation `$op`.
macro_rules! with_type {
    (numeric, $dtype:expr, $op:expr, $t:ident => $body:expr) => {
        match $dtype {
            DType::I8 => { type $t = i8; $body }
            DType::I16 => { type $t = i16; $body }
            DType::I32 => { type $t = i32; $body }
            DType::I64 => { type $t = i64; $body }
            DType::U8 => { type $t = u8; $body }
            DType::U16 => { type $t = u16; $body }
            DType::U32 => { type $t = u32; $body }
            DType::U64 => { type $t = u64; $body }
            DType::F32 => { type $t = f32; $body }
            DType::F64 => { type $t = f64; $body }
            DType::Complex64 => { type $t = ndcalc::num_complex::Complex<f32>; $body }
            DType::Complex128 => { type $t = ndcalc::num_complex::Complex<f64>; $body }
            other => Err($crate::output::unsupported($op, other)),
        }
    };
    (any, $dtype:expr, $op:expr, $t:ident => $body:expr) => {
        match $dtype {
            DType::Bool => { type $t = bool; $body }
            other => with_type!(numeric, other, $op, $t => $body),
        }
    };
}
pub(crate) use with_type;

pub fn unsupported(op: &str, dtype: DType) -> PyErr {
    PyTypeError::new_err(format!("{op} does not compute on arrays of {dtype}"))
}

/// The result type of the derivatives and integrals: integers become `float64`.
pub fn promoted(dtype: DType) -> DType {
    match dtype {
        DType::F32 | DType::F64 | DType::Complex64 | DType::Complex128 => dtype,
        _ => DType::F64,
    }
}

static EMPTY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

static DTYPES: PyOnceLock<Vec<(DType, Py<PyAny>)>> = PyOnceLock::new();

/// numpy's dtype object for `dtype`, made once: numpy parses a dtype given by its name
/// on every call, which costs a small array's call more than its kernel.
fn numpy_dtype(py: Python<'_>, dtype: DType) -> PyResult<&Bound<'_, PyAny>> {
    let all = DTYPES.get_or_try_init(py, || {
        let make = py.import("numpy")?.getattr("dtype")?;
        DType::ALL
            .into_iter()
            .map(|d| Ok((d, make.call1((d.name(),))?.unbind())))
            .collect::<PyResult<Vec<_>>>()
    })?;
    match all.iter().find(|(d, _)| *d == dtype) {
        Some((_, object)) => Ok(object.bind(py)),
        None => Err(unsupported("a result", dtype)),
    }
}

/// `out`, checked to be of the result's dtype, or a new `numpy.empty` array; with its
/// buffer. The shape of `out` is checked by ndcalc's `compute_into`.
pub fn output<'py>(
    py: Python<'py>,
    out: Option<Bound<'py, PyAny>>,
    shape: &[usize],
    dtype: DType,
) -> PyResult<(Bound<'py, PyAny>, Buffer)> {
    let array = match out {
        Some(o) => o,
        None => {
            let empty = EMPTY.get_or_try_init(py, || {
                py.import("numpy")?.getattr("empty").map(Bound::unbind)
            })?;
            empty
                .bind(py)
                .call1((PyTuple::new(py, shape)?, numpy_dtype(py, dtype)?))?
        }
    };
    let buf = Buffer::get(&array)?;
    if buf.dtype != dtype {
        return Err(PyTypeError::new_err(format!(
            "out has dtype {}, but the result is {dtype}",
            buf.dtype
        )));
    }
    Ok((array, buf))
}

/// The `count` outputs of an operation with several results: those of `out`, checked to
/// be `count` arrays that share no memory, or new ones.
pub fn outputs<'py>(
    py: Python<'py>,
    op: &'static str,
    out: Option<Vec<Bound<'py, PyAny>>>,
    count: usize,
    shape: &[usize],
    dtype: DType,
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
        let (a, b) = output(py, o, shape, dtype)?;
        if bufs.iter().any(|other| other.overlaps(&b)) {
            return Err(PyValueError::new_err("two outputs share memory"));
        }
        arrays.push(a);
        bufs.push(b);
    }
    Ok((arrays, bufs))
}

/// ndcalc's result as a Python result, the GIL released while `f` runs.
pub fn detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, CalcError> + Send,
) -> PyResult<T> {
    py.detach(f).map_err(|e| to_py(py, e))
}
