//! The arguments as the `ndkit` package normalizes them, turned into ndcalc's: the
//! boundaries of the axes' ends and the spacings.

use ndcalc::ndcore::npy::{DType, Element};
use ndcalc::{Boundary, Coordinate, Spacing};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::buffer::Buffer;

/// One side's boundary as the package passes it: `np.pad`'s mode name (or "numpy" or
/// "periodic") and the value of a "constant" side.
pub type Side = (String, f64);

fn side((name, value): &Side) -> PyResult<Boundary> {
    Ok(match name.as_str() {
        "numpy" => Boundary::Numpy,
        "periodic" => Boundary::Periodic,
        "constant" => Boundary::Constant(*value),
        "edge" => Boundary::Edge,
        "reflect" => Boundary::Reflect,
        "symmetric" => Boundary::Symmetric,
        _ => {
            return Err(PyValueError::new_err(format!(
                "boundary must be 'numpy', 'periodic', 'constant', 'edge', 'reflect' or \
                 'symmetric', got '{name}'"
            )))
        }
    })
}

/// The boundaries at the start and at the end of the axes.
pub fn boundary((lo, hi): &(Side, Side)) -> PyResult<[Boundary; 2]> {
    Ok([side(lo)?, side(hi)?])
}

/// One spacing as the package passes it: a float step, or a tuple of coordinates, a
/// period (`None` for a non-periodic axis) and whether they are a block's coordinates
/// on an axis whose steps are uneven somewhere (numpy's uneven formulas, whatever the
/// block's own steps).
fn spacing(s: &Bound<'_, PyAny>) -> PyResult<Spacing> {
    if let Ok(h) = s.extract::<f64>() {
        return Ok(Spacing::step(h));
    }
    let (x, period, uneven): (Bound<'_, PyAny>, Option<f64>, bool) = s.extract()?;
    let s = coords(&x, period)?;
    Ok(if uneven { s.uneven() } else { s })
}

/// Coordinates (float32 or float64: numpy computes the steps of float32 ones in
/// float32), periodic with `period` when it is given.
pub fn coords(x: &Bound<'_, PyAny>, period: Option<f64>) -> PyResult<Spacing> {
    fn of<C: Element + Coordinate>(buf: &Buffer, period: Option<f64>) -> PyResult<Spacing> {
        let x = buf.view::<C>()?;
        Ok(match period {
            Some(p) => Spacing::periodic_coords(&x, p),
            None => Spacing::coords(&x),
        })
    }
    let buf = Buffer::get(x)?;
    match buf.dtype {
        DType::F32 => of::<f32>(&buf, period),
        _ => of::<f64>(&buf, period),
    }
}

pub fn spacings(list: &[Bound<'_, PyAny>]) -> PyResult<Vec<Spacing>> {
    list.iter().map(spacing).collect()
}
