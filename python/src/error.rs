//! ndcalc's errors as the exceptions numpy raises for the same mistakes.

use ndcalc::CalcError;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static AXIS_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `numpy.exceptions.AxisError` (a subclass of `ValueError` and `IndexError`) for an
/// axis out of range, `TypeError` for a wrong number of spacings (numpy's "invalid
/// number of arguments"), `ValueError` for the rest; the message is ndcalc's.
pub fn to_py(py: Python<'_>, e: CalcError) -> PyErr {
    let msg = e.to_string();
    match e {
        CalcError::Array(ndcalc::ndcore::Error::AxisOutOfRange { .. }) => {
            let class = AXIS_ERROR.get_or_try_init(py, || {
                py.import("numpy.exceptions")?
                    .getattr("AxisError")
                    .map(Bound::unbind)
            });
            match class.and_then(|c| c.bind(py).call1((msg.clone(),))) {
                Ok(err) => PyErr::from_value(err),
                Err(_) => PyValueError::new_err(msg),
            }
        }
        CalcError::SpacingCount { .. } => PyTypeError::new_err(msg),
        _ => PyValueError::new_err(msg),
    }
}
