//! # ndcalc: numpy's derivatives and integrals of sampled data, in one pass
//!
//! ndcalc computes numpy's [`gradient`](gradient), with numpy's results, on
//! [ndcore](ndcore) arrays of any layout, as builders:
//!
//! ```
//! use ndcalc::prelude::*;
//!
//! let f = array![1., 2., 4., 7., 11., 16.];
//! let x = array![2., 1., 5., 10., 11., 15.];
//! assert_eq!(f.gradient().axis(0).compute()?, array![1., 1.5, 2.5, 3.5, 4.5, 5.]);
//! let g = f.gradient().spacing(&x).axis(0).compute()?;
//! assert_eq!(g.shape(), &[6]);
//! # Ok::<(), ndcalc::CalcError>(())
//! ```
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
pub mod cumulative;
pub mod diff;
mod element;
mod error;
pub mod gradient;
pub mod integrate;
mod spacing;
mod walk;

pub use calc::Calc;
pub use cumulative::Cumulative;
pub use diff::{Diff, DiffEdge};
pub use element::{Accumulate, Integrate, NpArith, Promote, Real, Value};
pub use error::{CalcError, Result};
pub use gradient::{Gradient, GradientAxis};
pub use integrate::{CumulativeTrapezoid, Trapezoid};
pub use ndcore;
pub use ndcore::{
    array, s, Array, ArrayView, ArrayViewMut, AsView, AsViewMut, Lane, LaneMut, NewAxis, Slice,
};
pub use num_complex;
pub use spacing::{Coordinate, Spacing};

/// Everything most code needs: ndcore's prelude, the [`Calc`] operations and their
/// argument types.
pub mod prelude {
    pub use crate::{Calc, CalcError, Spacing};
    pub use ndcore::prelude::*;
}
