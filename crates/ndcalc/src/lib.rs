//! # ndcalc: numpy's derivatives and integrals of sampled data, in one pass
//!
//! ndcalc computes numpy's [`gradient`], [`diff`], running sums and
//! products ([`cumsum`, `cumprod`, `cumulative_sum`, `cumulative_prod`](cumulative)),
//! [`trapezoid`](integrate) and SciPy's [`cumulative_trapezoid`](integrate), with numpy's
//! results, on [ndcore] arrays of any layout, as builders:
//!
//! ```
//! use ndcalc::prelude::*;
//!
//! let f = array![1., 2., 4., 7., 11., 16.];
//! let x = array![2., 1., 5., 10., 11., 15.];
//! assert_eq!(f.gradient().axis(0).compute()?, array![1., 1.5, 2.5, 3.5, 4.5, 5.]);
//! let g = f.gradient().spacing(&x).axis(0).compute()?;
//! assert_eq!(g.shape(), &[6]);
//!
//! assert_eq!(f.diff().compute()?, array![1., 2., 3., 4., 5.]);
//! assert_eq!(f.cumsum().compute()?, array![1., 3., 7., 14., 25., 41.]);
//! assert_eq!(f.trapezoid().spacing(&x).compute()?[[]], 101.0);
//! # Ok::<(), ndcalc::CalcError>(())
//! ```
//!
//! | numpy / SciPy | ndcalc | result type |
//! |---|---|---|
//! | `np.gradient` | [`a.gradient()`](Calc::gradient) | floats, complex: same; integers: `f64` |
//! | `np.diff` | [`a.diff()`](Calc::diff) | the input's type (integers wrap, `bool` is xor); with `prepend`/`append` of another type, numpy's common type ([`ResultType`]) |
//! | `np.cumsum`, `np.cumprod` | [`a.cumsum()`](Calc::cumsum), [`a.cumprod()`](Calc::cumprod) | floats, complex, `i64`, `u64`: same; smaller signed ints and `bool`: `i64`; smaller unsigned: `u64` ([`Accumulate`]); any type with [`.dtype::<U>()`](Cumulative::dtype) |
//! | `np.cumulative_sum`, `np.cumulative_prod` | [`a.cumulative_sum()`](Calc::cumulative_sum), [`a.cumulative_prod()`](Calc::cumulative_prod) | as `cumsum` |
//! | `np.trapezoid` | [`a.trapezoid()`](Calc::trapezoid) | floats, complex: same; integers: `f64` ([`Integrate`]); with coordinates [`.x(&x)`](Trapezoid::x), numpy's rule ([`TrapezoidWith`]) |
//! | `scipy.integrate.cumulative_trapezoid` | [`a.cumulative_trapezoid()`](Calc::cumulative_trapezoid) | as `trapezoid` |
//!
//! Each module's "Coming from numpy" table maps numpy's arguments to builder methods.
//!
//! ## Beyond numpy
//!
//! What numpy's users have asked for and never got, on the same kernels (numpy's
//! defaults stay bit-identical):
//!
//! | ndcalc | what it does |
//! |---|---|
//! | [`a.gradient().boundary(Boundary::Periodic)`](Gradient::boundary) | the axis wraps around: no one-sided edges ([`Spacing::periodic_coords`] for coordinates) |
//! | [`.boundary(Boundary::Reflect)`](Gradient::boundary), [`.boundary_sides(Boundary::Constant(0.0), Boundary::Numpy)`](Gradient::boundary_sides) | ghost samples beyond the ends as `np.pad` makes them (constant, edge, reflect, symmetric), per end |
//! | [`a.gradient().accuracy(4)`](Gradient::accuracy) (or 2, 6) | order 2, 4 or 6 at every point: 3-, 5- and 7-point central stencils with one-sided ends of the same order, Fornberg weights for coordinates |
//! | [`a.derivative(2)`](Calc::derivative) | the second derivative along an axis (3-point, or wider with `accuracy`) |
//! | [`a.laplacian()`](Calc::laplacian), [`divergence(&[..])`](divergence), [`curl(&[..])`](curl) | vector calculus over the same spacing forms, accumulated into one output |
//! | [`.missing(Missing::Skip)`](Gradient::missing), [`.mask(&valid)`](Gradient::mask) | missing samples (NaN, or a mask for any type): each run of valid samples differentiated as its own array, `np.gradient` run by run ([`Missing`]) |
//! | `compute_into(&mut out)` on every builder | results written into caller memory, no allocation |
//!
//! ## Files larger than memory
//!
//! [`npy_file::NpyGradient`] differentiates a `.npy` file into another slab by slab,
//! through a memory map, in a few tens of MiB of memory whatever the file's size, with
//! results bit-identical to the in-memory gradient.
//!
//! ## Speed
//!
//! Every operation makes one pass over memory per output, with no input-sized
//! temporaries: lane order when the axis is the fastest in memory, plane order
//! (whole hyperplanes, contiguous runs innermost) otherwise; kernels use AVX2 when the
//! CPU has it, with identical results. The `parallel` feature splits large gradients
//! across rayon's threads, again with identical results.
//!
//! A user depends on ndcalc alone: it re-exports ndcore (the array types, `s!`,
//! `array!`) and `use ndcalc::prelude::*` brings in everything.
//!
//! Bad input (an axis out of range, a coordinate array of the wrong length, too few
//! points) is a [`CalcError`] whose message names the axis and the numbers, never a
//! panic.

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod calc;
mod cast;
pub mod cumulative;
pub mod diff;
mod element;
mod error;
pub mod gradient;
pub mod halo;
pub mod integrate;
mod missing;
pub mod npy_file;
mod numpy_weights;
mod par;
mod runs;
mod spacing;
mod stencil;
pub mod vector;
mod walk;

pub use calc::Calc;
pub use cast::{CastFrom, ResultType};
pub use cumulative::Cumulative;
pub use diff::{Diff, DiffEdge};
pub use element::{Accumulate, Integrate, NpArith, Promote, Real, Value};
pub use error::{CalcError, Result, SharedNpyError};
pub use gradient::{AxisList, Gradient, GradientAxes, GradientAxis};
pub use integrate::{Coords, CumulativeTrapezoid, Halve, Steps, Trapezoid, TrapezoidWith};
pub use missing::Missing;
pub use ndcore;
pub use ndcore::{
    array, s, Array, ArrayView, ArrayViewMut, AsView, AsViewMut, AxisArg, FloatMode, Lane, LaneMut,
    NewAxis, PrintOptions, Sign, Slice, SliceArg,
};
pub use num_complex;
pub use spacing::{Coordinate, Spacing};
pub use stencil::Boundary;
pub use vector::{curl, divergence, Curl, Derivative, Divergence, Laplacian};

// The README's example is compiled and run as a doctest, so it cannot go stale.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Everything most code needs: ndcore's prelude, the [`Calc`] operations and their
/// argument types.
pub mod prelude {
    pub use crate::{curl, divergence, Boundary};
    pub use crate::{Calc, CalcError, Spacing};
    pub use ndcore::prelude::*;
}
