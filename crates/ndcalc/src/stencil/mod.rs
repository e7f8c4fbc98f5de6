//! K-point derivative stencils (K = 3 to 9): what ndcalc offers beyond `np.gradient`.
//!
//! A [`WideStencil`] holds the weights of one axis for one derivative order (1 or 2) at
//! one accuracy (2, 4 or 6), computed once per axis in `f64` and rounded to the data's
//! real type:
//!
//! * the rule for a point with `lo` neighbours before it and `hi` after it, `x[i-lo ..=
//!   i+hi]`: numpy's central difference `(x[i+1] - x[i-1]) / 2h` (first derivative,
//!   accuracy 2, uniform), an antisymmetric sum `Σ w[j] (x[i+j] - x[i-j])` (first
//!   derivative, uniform: the centre weight is exactly zero, so it is never read), fixed
//!   weights (second derivative, uniform) or weights per point (coordinates), from
//!   Fornberg's algorithm;
//! * the width of that rule: `accuracy + 1` points centred on `i` (`lo = hi = half =
//!   accuracy / 2`), except for the second derivative on non-uniform coordinates, which
//!   uses `accuracy + 2` points, `x[i-half ..= i+half+1]` (`lo = half`, `hi = half + 1`).
//!   `m` points give a second derivative of order `m - 2` on an arbitrary grid; the
//!   symmetric `accuracy + 1` points gain the missing order only by the cancellation of a
//!   uniform grid (or, pre-asymptotically, of a smoothly varying one). The extra point is
//!   always on the right: one window per axis keeps the interior `K` shifted slices of a
//!   lane (a window chosen per point, e.g. on the side of the closer extra point, would
//!   need `accuracy + 3` slices with a zero weight each, a slower kernel for a smaller
//!   error constant, not a higher order);
//! * at a [`Boundary::Numpy`] boundary, the `lo` points nearest the start and the `hi`
//!   nearest the end use one-sided stencils of the same order of accuracy as the
//!   interior on any grid: of `accuracy + order` points at accuracy 2, of one more at
//!   accuracy 4 and 6 ([`weights`]: the extra point cancels the next error term); at
//!   a [`Boundary::Periodic`] boundary the axis wraps and every point uses the interior
//!   rule; at the other boundaries (`Constant`, `Edge`, `Reflect`, `Symmetric`) the
//!   points beyond the end are ghosts that read the sample `np.pad` copies there (or the
//!   constant), and every point uses the interior rule too. Only the `lo` and `hi`
//!   points next to an end read ghosts; the interior runs on the kernels unchanged.
//!
//! The first derivative at accuracy 2 takes numpy's own formulas (its central
//! difference, its non-uniform three-point weights, its `edge_order=2` ends) from
//! [`numpy_weights`](crate::numpy_weights), in the coordinates' own float type, where
//! numpy's gradient kernel takes them too, so it is bit-identical to
//! `np.gradient(f, x, edge_order=2)` (except for `f32` data with `f64` coordinates, which
//! numpy computes in `f64`).
//!
//! The loops are ndcalc's two: lane order over contiguous lanes (the interior is
//! `K` shifted slices of the lane), plane order over whole hyperplanes. Both end in the
//! same leaf kernels over slices, monomorphised per `K`, so a 5-point stencil costs
//! little more than a 3-point one: the input is read once and the `K` planes a point
//! needs are in cache. Results of the two orders are identical (same operation order).
//!
//! | module | what it holds |
//! |---|---|
//! | `options` | [`Boundary`] and the options the builders share: spacings, accuracy, boundary |
//! | `weights` | Fornberg's algorithm and the one-sided end weights, in `f64` |
//! | `wide` | [`WideStencil`]: the weights of one axis, built from its spacing |
//! | `kernels` | the leaf kernels over runs, and how results are stored |
//! | `apply` | the lane-order and plane-order walks |
//! | `run` | one run of valid samples as its own array (missing data) |

mod apply;
mod kernels;
mod options;
mod run;
mod weights;
mod wide;

pub(crate) use apply::apply;
pub(crate) use kernels::{AddTo, Overwrite, Store, SubtractFrom};
pub use options::Boundary;
pub(crate) use options::StencilOptions;
pub(crate) use run::{run, WideRuns};
pub(crate) use wide::WideStencil;
