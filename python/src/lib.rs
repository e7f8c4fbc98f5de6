//! `ndkit._ndkit`: ndcalc's operations for Python, on numpy arrays of any layout.
//!
//! The Python package `ndkit` turns numpy's arguments into the plain ones these
//! functions take (normalized spacings, the result dtype decided, inputs cast where numpy
//! casts); here each call reads its inputs through the buffer protocol without copying,
//! allocates its outputs with `numpy.empty` (or writes into `out`), and computes with the
//! GIL released. Errors of ndcalc become numpy's exception types with ndcalc's messages.

mod args;
mod buffer;
mod diff;
mod error;
mod integrate;
mod output;
mod running;
mod stencil;

use pyo3::prelude::*;

#[pymodule]
fn _ndkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(stencil::gradient, m)?)?;
    m.add_function(wrap_pyfunction!(stencil::stencil, m)?)?;
    m.add_function(wrap_pyfunction!(stencil::reach, m)?)?;
    m.add_function(wrap_pyfunction!(diff::diff, m)?)?;
    m.add_function(wrap_pyfunction!(running::cumulative, m)?)?;
    m.add_function(wrap_pyfunction!(integrate::trapezoid, m)?)?;
    Ok(())
}
