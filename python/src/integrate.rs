//! The trapezoid rule: numpy's `np.trapezoid` and SciPy's `cumulative_trapezoid`.

use ndcalc::ndcore::npy::{DType, Element};
use ndcalc::{Calc, Integrate, Spacing};
use pyo3::prelude::*;

use crate::args::coords;
use crate::buffer::Buffer;
use crate::error::to_py;
use crate::output::{detached, output, promoted, with_type};

/// numpy's `np.trapezoid` (coordinates as float64) into an array (0-d for 1-D input),
/// or, `cumulative`, SciPy's `cumulative_trapezoid` (`initial` is `None` or `0.0`).
#[pyfunction]
#[pyo3(signature = (y, x, dx, axis, cumulative, initial=None, out=None))]
#[allow(clippy::too_many_arguments)]
pub fn trapezoid<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    x: Option<&Bound<'py, PyAny>>,
    dx: f64,
    axis: isize,
    cumulative: bool,
    initial: Option<f64>,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let yb = Buffer::get(y)?;
    let s = match x {
        Some(x) => coords(x, None)?,
        None => Spacing::step(dx),
    };
    let rule = Rule {
        s,
        axis,
        cumulative: cumulative.then_some(initial),
    };
    let op = if cumulative {
        "cumulative_trapezoid"
    } else {
        "trapezoid"
    };
    with_type!(numeric, yb.dtype, op, T => integrate::<T>(py, &yb, &rule, out))
}

/// The spacing, the axis, and whether the integral is whole (`None`) or running with
/// `Some(initial)`.
struct Rule {
    s: Spacing,
    axis: isize,
    cumulative: Option<Option<f64>>,
}

fn integrate<'py, T>(
    py: Python<'py>,
    y: &Buffer,
    rule: &Rule,
    out: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Element + Integrate,
    T::Output: Element,
{
    let v = y.view::<T>()?;
    let dtype = promoted(T::DTYPE);
    match rule.cumulative {
        None => {
            let t = v.trapezoid().spacing(rule.s.clone()).axis(rule.axis);
            let shape = t.shape().map_err(|e| to_py(py, e))?;
            let (array, mut buf) = output(py, out, &shape, dtype)?;
            let mut view = buf.view_mut::<T::Output>(&[y])?;
            detached(py, || t.compute_into(&mut view))?;
            Ok(array)
        }
        Some(initial) => {
            let mut t = v
                .cumulative_trapezoid()
                .spacing(rule.s.clone())
                .axis(rule.axis);
            if let Some(i) = initial {
                t = t.initial(i);
            }
            let shape = t.shape().map_err(|e| to_py(py, e))?;
            let (array, mut buf) = output(py, out, &shape, dtype)?;
            let mut view = buf.view_mut::<T::Output>(&[y])?;
            detached(py, || t.compute_into(&mut view))?;
            Ok(array)
        }
    }
}
