//! numpy's running sums and products: `cumsum`, `cumprod`, `cumulative_sum`,
//! `cumulative_prod`.

use ndcalc::ndcore::npy::{DType, Element};
use ndcalc::{Accumulate, ArrayView, Calc, CastFrom, Cumulative};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

use crate::buffer::{self, Buffer};
use crate::error::to_py;
use crate::output::{detached, output, with_type};

/// numpy's `cumsum`, `cumprod`, `cumulative_sum` and `cumulative_prod`, by `op`, in the
/// input's accumulation type or in `dtype` (numpy's `dtype=`, by numpy's name).
#[pyfunction]
#[pyo3(signature = (a, op, axis, include_initial=false, dtype=None, out=None))]
pub fn cumulative<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    op: &str,
    axis: Option<isize>,
    include_initial: bool,
    dtype: Option<&str>,
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
    let dtype = dtype
        .map(|name| {
            buffer::named(name).ok_or_else(|| {
                PyTypeError::new_err(format!("running operations do not compute in {name}"))
            })
        })
        .transpose()?;
    let r = Running {
        op,
        axis,
        include_initial,
    };
    match dtype {
        None => with_type!(any, ab.dtype, "cumulative", T => {
            let v = ab.view::<T>()?;
            run(py, &ab, r.of(&v), out)
        }),
        // numpy accepts every pair of input and accumulation types, and so does ndcalc.
        Some(dtype) => with_type!(any, ab.dtype, "cumulative", T => {
            with_type!(any, dtype, "cumulative", U => {
                let v = ab.view::<T>()?;
                run(py, &ab, r.of(&v).dtype::<U>(), out)
            })
        }),
    }
}

#[derive(Clone, Copy)]
enum Op {
    Cumsum,
    Cumprod,
    CumulativeSum,
    CumulativeProd,
}

struct Running {
    op: Op,
    axis: Option<isize>,
    include_initial: bool,
}

impl Running {
    /// The builder of this running operation on `v`.
    fn of<'a, T: Accumulate>(&self, v: &'a ArrayView<'_, T>) -> Cumulative<'a, T> {
        let c = match self.op {
            Op::Cumsum => v.cumsum(),
            Op::Cumprod => v.cumprod(),
            Op::CumulativeSum => v.cumulative_sum(),
            Op::CumulativeProd => v.cumulative_prod(),
        }
        .include_initial(self.include_initial);
        match self.axis {
            Some(axis) => c.axis(axis),
            None => c,
        }
    }
}

/// A running sum or product of `a` accumulated in `A`, into `out` or a new array.
fn run<'py, T, A>(
    py: Python<'py>,
    a: &Buffer,
    c: Cumulative<'_, T, A>,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Element + Accumulate,
    A: Element + CastFrom<T>,
{
    let shape = c.shape().map_err(|e| to_py(py, e))?;
    let (array, mut buf) = output(py, out, &shape, A::DTYPE)?;
    let mut view = buf.view_mut::<A>(&[a])?;
    detached(py, || c.compute_into(&mut view))?;
    Ok(array)
}
