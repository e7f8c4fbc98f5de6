//! numpy's `np.diff`.

use ndcalc::ndcore::npy::{DType, Element};
use ndcalc::{Calc, DiffEdge, NpArith, ResultType};
use pyo3::prelude::*;

use crate::buffer::Buffer;
use crate::error::to_py;
use crate::output::{detached, output, with_type};

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
    with_type!(any, ab.dtype, "diff", T => diff_typed::<T>(py, &args, out))
}

struct DiffArgs<'a> {
    a: &'a Buffer,
    prepend: Option<&'a Buffer>,
    append: Option<&'a Buffer>,
    n: usize,
    axis: isize,
}

fn diff_typed<'py, T: Element + NpArith + ResultType<T, Output = T>>(
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
    let (array, mut buf) = output(py, out, &shape, T::DTYPE)?;
    let inputs: Vec<&Buffer> = [Some(args.a), args.prepend, args.append]
        .into_iter()
        .flatten()
        .collect();
    let mut view = buf.view_mut::<T>(&inputs)?;
    detached(py, || d.compute_into(&mut view))?;
    Ok(array)
}
