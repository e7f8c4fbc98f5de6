//! The one error type of ndcalc.

use std::fmt;
use std::sync::Arc;

use ndcore::npy::NpyError;

/// Everything that can go wrong in an ndcalc operation. Each message names the axis and
/// the numbers involved.
///
/// What the array layer already names (an axis out of range or repeated, an output of
/// the wrong shape) comes as [`CalcError::Array`] with ndcore's variant, so each error
/// has one variant.
///
/// ```
/// use ndcalc::prelude::*;
/// let f = array![1.0, 2.0];
/// let err = f.gradient().edge_order(2).axis(0).compute().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "axis 0 has 2 points, but edge_order 2 needs at least 3"
/// );
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalcError {
    /// A 0-d input to an operation that works along an axis.
    ZeroDimensional {
        /// The operation.
        op: &'static str,
    },
    /// A coordinate array that is not 1-D.
    CoordinatesNot1d {
        /// The axis the coordinates belong to.
        axis: usize,
        /// Their number of dimensions.
        ndim: usize,
    },
    /// A coordinate array whose length differs from its axis.
    CoordinatesLength {
        /// The axis the coordinates belong to.
        axis: usize,
        /// The axis length.
        expected: usize,
        /// The number of coordinates.
        found: usize,
    },
    /// A spacing list that matches neither one spacing for all axes nor one per axis.
    SpacingCount {
        /// The number of spacings given.
        given: usize,
        /// The number of selected axes.
        axes: usize,
    },
    /// An axis with fewer points than the stencil needs.
    TooFewPoints {
        /// The axis.
        axis: usize,
        /// Its length.
        len: usize,
        /// The least length that works.
        needed: usize,
        /// Why that many: the option that sets it, e.g. "edge_order 2".
        reason: String,
    },
    /// An `edge_order` other than 1 or 2.
    EdgeOrder {
        /// The value given.
        edge_order: usize,
    },
    /// An explicit `edge_order` that contradicts an explicit accuracy, which already
    /// sets the order of the ends (only `edge_order(2)` with `accuracy(2)` agree).
    EdgeOrderAccuracy {
        /// The edge order given.
        edge_order: usize,
        /// The accuracy given.
        accuracy: usize,
    },
    /// An error the array layer names: an axis out of range
    /// ([`AxisOutOfRange`](ndcore::Error::AxisOutOfRange)) or selected twice
    /// ([`RepeatedAxis`](ndcore::Error::RepeatedAxis)), an output whose shape is not the
    /// result's ([`ShapeMismatch`](ndcore::Error::ShapeMismatch)), or one from a view.
    Array(ndcore::Error),
    /// A `.npy` file that could not be opened, read or written.
    Npy(SharedNpyError),
    /// A `diff` prepend/append array whose shape does not fit the input: it needs the
    /// input's number of axes and the input's length on every axis but the diff axis.
    EdgeShape {
        /// `"prepend"` or `"append"`.
        which: &'static str,
        /// The diff axis.
        axis: usize,
        /// The shape of the prepend/append array.
        shape: Vec<usize>,
        /// The shape of the input.
        input: Vec<usize>,
    },
    /// An operation that needs an axis for input of two or more dimensions
    /// (`cumulative_sum` and `cumulative_prod`, as in numpy).
    AxisRequired {
        /// The operation.
        op: &'static str,
        /// The number of dimensions of the input.
        ndim: usize,
    },
    /// A `cumulative_trapezoid` initial value other than 0, the only one SciPy accepts.
    InitialNotZero {
        /// The value given, as text.
        value: String,
    },
    /// A stencil accuracy other than 2, 4 or 6 (beyond numpy).
    Accuracy {
        /// The value given.
        accuracy: usize,
    },
    /// A derivative order other than 1 or 2 (beyond numpy).
    DerivativeOrder {
        /// The value given.
        order: usize,
    },
    /// A periodic boundary on an axis given plain coordinates, which carry no period
    /// (use `Spacing::periodic_coords`).
    PeriodMissing {
        /// The axis.
        axis: usize,
    },
    /// A period that does not reach past the last coordinate (or is not finite).
    Period {
        /// The axis.
        axis: usize,
        /// The period given, as text (the enum is `Eq`).
        period: String,
        /// The last coordinate minus the first, as text.
        span: String,
    },
    /// A periodic boundary at one end of an axis only: an axis wraps at both ends or at
    /// neither.
    PeriodicOneSide {
        /// The boundary at the start, as text (the enum is `Eq`).
        lo: String,
        /// The boundary at the end, as text.
        hi: String,
    },
    /// A vector operation given a number of components that does not fit the arrays
    /// (divergence: one per axis; curl: 2 or 3 components of 2-D or 3-D arrays).
    Components {
        /// The operation.
        op: &'static str,
        /// The number of components given.
        found: usize,
        /// The number of dimensions of the components.
        ndim: usize,
    },
    /// A vector component whose shape differs from the first component's.
    ComponentShape {
        /// The index of the component.
        index: usize,
        /// The shape of component 0.
        expected: Vec<usize>,
        /// The shape of this component.
        found: Vec<usize>,
    },
    /// A mask of missing samples ([`Gradient::mask`](crate::Gradient::mask)) whose
    /// shape differs from the input's.
    MaskShape {
        /// The input's shape.
        expected: Vec<usize>,
        /// The mask's shape.
        found: Vec<usize>,
    },
    /// A number of output arrays other than the number of results.
    OutputCount {
        /// The operation.
        op: &'static str,
        /// The number of results.
        expected: usize,
        /// The number of outputs given.
        found: usize,
    },
    /// Trapezoid coordinates `x` of more than one dimension that do not broadcast to the
    /// data's shape with the integration axis at full length.
    XShape {
        /// The integration axis.
        axis: usize,
        /// The shape of `x`.
        x: Vec<usize>,
        /// The shape of `y`.
        y: Vec<usize>,
    },
    /// An input value whose cast to the requested type numpy leaves undefined (it warns
    /// "invalid value encountered in cast"): NaN, an infinity or a float beyond the
    /// integer it is cast through.
    InvalidCast {
        /// The value, as text.
        value: String,
        /// The type cast to.
        to: &'static str,
    },
    /// A halo longer than the input: `lo + hi` samples of halo along an axis of `len`
    /// (see [`GradientAxis::halo`](crate::GradientAxis::halo)).
    Halo {
        /// The axis.
        axis: usize,
        /// The samples before the block.
        lo: usize,
        /// The samples after the block.
        hi: usize,
        /// The input's length along the axis.
        len: usize,
    },
    /// A halo on a periodic axis shorter than the interior stencil reaches: a periodic
    /// axis has no end, so the caller passes wrapped halos of at least the reach.
    PeriodicHalo {
        /// The axis.
        axis: usize,
        /// The halo given, before and after the block.
        halo: (usize, usize),
        /// The reach of the stencil, before and after.
        reach: (usize, usize),
    },
    /// A number of halos other than the number of axes of a multi-axis operation.
    HaloCount {
        /// The number of halos given.
        given: usize,
        /// The number of axes.
        axes: usize,
    },
    /// An option that a block with a halo or a carry cannot take, as it belongs to the
    /// whole array: `diff`'s `prepend`/`append`, a scan's `include_initial`, the
    /// `initial` of `cumulative_trapezoid`, missing samples of a stencil (whose runs may
    /// reach past the halo).
    BlockOption {
        /// The operation.
        op: &'static str,
        /// The option.
        option: &'static str,
    },
}

impl fmt::Display for CalcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalcError::ZeroDimensional { op } => write!(
                f,
                "{op} needs an array with at least one axis, but the input is 0-d"
            ),
            CalcError::CoordinatesNot1d { axis, ndim } => write!(
                f,
                "coordinates for axis {axis} must be 1-D, but they have {ndim} dimensions"
            ),
            CalcError::CoordinatesLength {
                axis,
                expected,
                found,
            } => write!(
                f,
                "coordinates for axis {axis} have {found} values, but the axis has length {expected}"
            ),
            CalcError::SpacingCount { given, axes } => write!(
                f,
                "{given} {} given for {axes} {}: give one spacing for all axes or one per axis",
                plural(*given, "spacing", "spacings"),
                plural(*axes, "axis", "axes")
            ),
            CalcError::TooFewPoints {
                axis,
                len,
                needed,
                reason,
            } => write!(
                f,
                "axis {axis} has {len} {}, but {reason} needs at least {needed}",
                plural(*len, "point", "points")
            ),
            CalcError::EdgeOrder { edge_order } => {
                write!(f, "edge_order must be 1 or 2, got {edge_order}")
            }
            CalcError::EdgeOrderAccuracy {
                edge_order,
                accuracy,
            } => write!(
                f,
                "edge_order {edge_order} contradicts accuracy {accuracy}, which makes every \
                 point of order {accuracy}, the ends included: leave edge_order out"
            ),
            CalcError::Array(e) => e.fmt(f),
            CalcError::Npy(e) => e.0.fmt(f),
            CalcError::EdgeShape {
                which,
                axis,
                shape,
                input,
            } => write!(
                f,
                "{which} has shape {shape:?}, but diff along axis {axis} of an array of shape \
                 {input:?} needs {} axes and the input's length on every axis but {axis}",
                input.len()
            ),
            CalcError::AxisRequired { op, ndim } => write!(
                f,
                "{op} needs an axis for an array of {ndim} dimensions"
            ),
            CalcError::InitialNotZero { value } => write!(
                f,
                "initial must be 0 (the only value SciPy accepts), got {value}"
            ),
            CalcError::Accuracy { accuracy } => {
                write!(f, "accuracy must be 2, 4 or 6, got {accuracy}")
            }
            CalcError::DerivativeOrder { order } => {
                write!(f, "the derivative order must be 1 or 2, got {order}")
            }
            CalcError::PeriodMissing { axis } => write!(
                f,
                "axis {axis} is periodic but its coordinates have no period: \
                 give them with Spacing::periodic_coords(&x, period)"
            ),
            CalcError::Period { axis, period, span } => write!(
                f,
                "the period {period} of axis {axis} must be finite and reach past the last \
                 coordinate, which is {span} from the first"
            ),
            CalcError::PeriodicOneSide { lo, hi } => write!(
                f,
                "the boundaries {lo} at the start and {hi} at the end: a periodic axis wraps \
                 at both ends, so Periodic must be at both or at neither"
            ),
            CalcError::Components { op, found, ndim } => write!(
                f,
                "{op} of {found} components of {ndim}-D arrays: {}",
                if *op == "curl" {
                    "give 2 components of 2-D arrays or 3 of 3-D arrays"
                } else {
                    "give one component per axis"
                }
            ),
            CalcError::ComponentShape {
                index,
                expected,
                found,
            } => write!(
                f,
                "component {index} has shape {found:?}, but component 0 has shape {expected:?}"
            ),
            CalcError::MaskShape { expected, found } => write!(
                f,
                "the mask has shape {found:?}, but the input has shape {expected:?}"
            ),
            CalcError::OutputCount { op, expected, found } => write!(
                f,
                "{op} has {expected} results, but {found} outputs were given"
            ),
            CalcError::XShape { axis, x, y } => write!(
                f,
                "x of shape {x:?} does not fit y of shape {y:?} along axis {axis}: give 1-D x \
                 as long as the axis, or x that broadcasts to y's shape with axis {axis} at \
                 full length"
            ),
            CalcError::InvalidCast { value, to } => write!(
                f,
                "cannot cast {value} to {to}: numpy's result is undefined there \
                 (\"invalid value encountered in cast\")"
            ),
            CalcError::Halo { axis, lo, hi, len } => write!(
                f,
                "a halo of {lo} before and {hi} after is longer than axis {axis}, \
                 which has {len} points"
            ),
            CalcError::PeriodicHalo { axis, halo, reach } => write!(
                f,
                "periodic axis {axis} has a halo of {} before and {} after, but its stencil \
                 reaches {} before and {} after (pass wrapped halos)",
                halo.0, halo.1, reach.0, reach.1
            ),
            CalcError::HaloCount { given, axes } => write!(
                f,
                "{given} halos were given for {axes} axes (one (lo, hi) pair per axis)"
            ),
            CalcError::BlockOption { op, option } => write!(
                f,
                "{op} of a block (with a halo or a carry) cannot take {option}, \
                 which belongs to the whole array"
            ),
        }
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

impl std::error::Error for CalcError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CalcError::Array(e) => Some(e),
            CalcError::Npy(e) => Some(&*e.0),
            _ => None,
        }
    }
}

impl From<ndcore::Error> for CalcError {
    fn from(e: ndcore::Error) -> Self {
        CalcError::Array(e)
    }
}

impl From<NpyError> for CalcError {
    fn from(e: NpyError) -> Self {
        CalcError::Npy(SharedNpyError(Arc::new(e)))
    }
}

/// An [`NpyError`] inside a [`CalcError`], shared so that `CalcError` stays `Clone`. Two
/// compare equal when their messages do, as an I/O error has no equality of its own.
///
/// `?` converts ndcore's errors and `.npy` errors alike, so one `main` covers loading,
/// viewing and computing:
///
/// ```
/// use ndcalc::prelude::*;
/// fn main() -> Result<(), CalcError> {
///     # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
///     let path = std::env::temp_dir().join(format!("ndcalc-doc-{}.npy", std::process::id()));
///     ndcalc::ndcore::npy::write(&path, &array![[1., 2., 4.], [8., 16., 32.]])?;
///     let f: Array<f64> = ndcalc::ndcore::npy::read(&path)?;
///     let row = f.slice(s![1, ..])?;
///     assert_eq!(row.gradient().axis(0).compute()?, array![8., 12., 16.]);
///     let missing = ndcalc::ndcore::npy::read::<f64>(path.with_extension("none"));
///     let err = CalcError::from(missing.unwrap_err());
///     assert!(err.to_string().starts_with("cannot open "));
///     # std::fs::remove_file(&path).ok();
///     Ok(())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct SharedNpyError(pub Arc<NpyError>);

impl PartialEq for SharedNpyError {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for SharedNpyError {}

/// `Result` with [`CalcError`].
pub type Result<T, E = CalcError> = std::result::Result<T, E>;

/// Resolves `axis` (negative counts from the end) against `ndim`.
pub(crate) fn normalize_axis(axis: isize, ndim: usize) -> Result<usize> {
    Ok(ndcore::AxisArg::resolve(axis, ndim)?)
}

/// Resolves a list of axes, refusing repeats.
pub(crate) fn normalize_axes(
    axes: &[isize],
    ndim: usize,
) -> Result<smallvec::SmallVec<[usize; 4]>> {
    if let [a] = axes {
        return Ok(smallvec::smallvec![normalize_axis(*a, ndim)?]);
    }
    let mut out = smallvec::SmallVec::<[usize; 4]>::new();
    for &a in axes {
        let a = normalize_axis(a, ndim)?;
        if out.contains(&a) {
            return Err(ndcore::Error::RepeatedAxis { axis: a }.into());
        }
        out.push(a);
    }
    Ok(out)
}

/// Checks that an output has the result's shape.
pub(crate) fn check_out_shape(expected: &[usize], found: &[usize]) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(ndcore::Error::ShapeMismatch {
            expected: expected.to_vec(),
            found: found.to_vec(),
        }
        .into())
    }
}
