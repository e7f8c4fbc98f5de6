//! The spacing of sample points along an axis: one scalar step or a coordinate array,
//! and what it resolves to for one axis ([`AxisSpacing`] for numpy's formulas and the
//! trapezoid rule, [`Grid`] for the wide stencils).

use ndcore::{Array, ArrayLike, ArrayView, AsView};

use crate::error::{CalcError, Result};

/// How far apart the samples along an axis are: a uniform step `h`, or the coordinate
/// of every sample (numpy's `varargs` items). Build one with `From`: from a number, or
/// from a reference to a 1-D array, view, slice or `Vec` of coordinates (floats or
/// integers; integers are converted to `f64` before differencing, so unsigned
/// coordinates never wrap).
///
/// A scalar step behaves like a Python float in numpy: `f32` data stays in `f32`
/// arithmetic. Coordinates keep numpy's rule for their type: `f32` coordinates are
/// differenced and weighed in `f32`; `f64` and integer coordinates (converted to `f64`
/// first, as numpy's gradient does) in `f64`, so `f32` or `Complex<f32>` data with them
/// is computed in `f64` (`Complex<f64>`) and rounded to the data's type, as numpy's
/// promotion does.
///
/// # Degenerate spacings
///
/// A zero step (a scalar `0.0` or `-0.0`, or repeated coordinates), a NaN or an
/// infinite step or coordinate is not an error: the formulas divide by it as numpy's
/// do, giving numpy's infinities and NaNs bit for bit, at the points whose stencil
/// reaches the degenerate step (every point for a scalar step). numpy warns ("divide by
/// zero encountered") and goes on; so does ndcalc, without the warning, so check the
/// result with `is_finite` where that matters. (numpy raises `ZeroDivisionError` for a
/// Python float step of `0.0` with `edge_order=2` only, an accident of Python's float
/// division; ndcalc gives what numpy gives for `np.float64(0.0)`.) The stencils
/// beyond numpy (`accuracy`, boundaries, `derivative(2)`) follow the same rule.
///
/// ```
/// use ndcalc::prelude::*;
/// let f: Array<f64> = array![1., 2., 4., 7.];
/// // np.gradient(f, [0., 1., 1., 2.]) is [1., nan, nan, 3.]: a repeated coordinate
/// let g = f.gradient().spacing(&[0., 1., 1., 2.]).axis(0).compute()?;
/// assert_eq!((g[[0]], g[[3]]), (1.0, 3.0));
/// assert!(g[[1]].is_nan() && g[[2]].is_nan());
/// // np.gradient(f, np.float64(0.0)) is [inf, inf, inf, inf]
/// let g = f.gradient().spacing(0.0).axis(0).compute()?;
/// assert!(g.iter().all(|&v| v == f64::INFINITY));
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
///
/// ```
/// use ndcalc::prelude::*;
/// let x = array![0.0, 1.0, 1.5, 3.5];
/// let s: Spacing = (&x).into();
/// let h: Spacing = 0.5.into();
/// let f = array![0.0, 1.0, 2.25, 12.25];
/// assert_eq!(f.gradient().spacing(s).axis(0).compute().unwrap().len(), 4);
/// assert_eq!(f.gradient().spacing(h).axis(0).compute().unwrap()[[0]], 2.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Spacing(
    Repr,
    /// Whether these coordinates are a block of a longer axis whose steps are not all
    /// equal ([`Spacing::uneven`]).
    bool,
);

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    Step(f64),
    Coords {
        values: Vec<f64>,
        ndim: usize,
        dtype: CoordType,
    },
    /// Coordinates of one period of a periodic axis (beyond numpy).
    Periodic {
        values: Vec<f64>,
        ndim: usize,
        dtype: CoordType,
        period: f64,
    },
}

/// The float type numpy differences coordinates and computes their weights in: `f32`
/// coordinates keep theirs; `f64` and integer ones (converted first) use `f64`. The
/// values are held as `f64` either way (exactly, for `f32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CoordType {
    F32,
    F64,
}

impl CoordType {
    fn of<C: Coordinate>() -> Self {
        if C::IS_F32 {
            CoordType::F32
        } else {
            CoordType::F64
        }
    }

    /// `b - a` in this type.
    #[inline]
    fn step(self, a: f64, b: f64) -> f64 {
        match self {
            CoordType::F32 => (b as f32 - a as f32) as f64,
            CoordType::F64 => b - a,
        }
    }
}

impl Spacing {
    /// A uniform step.
    pub const fn step(h: f64) -> Self {
        Spacing(Repr::Step(h), false)
    }

    /// Coordinates of the samples, from any array of numbers convertible to `f64`.
    pub fn coords<C: Coordinate>(x: &(impl ArrayLike<C> + ?Sized)) -> Self {
        let x = x.view();
        Spacing(
            Repr::Coords {
                values: x.iter().map(|&c| c.to_f64()).collect(),
                ndim: x.ndim(),
                dtype: CoordType::of::<C>(),
            },
            false,
        )
    }

    /// Coordinates of the samples of one period of a periodic axis, and the period: the
    /// sample after the last one is the first one shifted by `period`, at
    /// `x[0] + period`. Used with [`Boundary::Periodic`](crate::Boundary::Periodic)
    /// (beyond numpy, whose coordinates cannot wrap); with the numpy boundary the period
    /// is not used and these are plain coordinates.
    ///
    /// The period must be finite and farther than the last sample from the first, in the
    /// same direction (`x[0] + period` lies beyond `x[n-1]`), else the gradient is a
    /// [`CalcError::Period`].
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// use ndcalc::Boundary;
    /// use std::f64::consts::TAU;
    /// // sin on an uneven grid over one period [0, 2 pi).
    /// let x = Array::from_shape_fn([40], |i| { let t = i[0] as f64 / 40.0; TAU * (t + 0.05 * (TAU * t).sin()) });
    /// let f = x.map(|&x| x.sin());
    /// let g = f
    ///     .gradient()
    ///     .spacing(Spacing::periodic_coords(&x, TAU))
    ///     .boundary(Boundary::Periodic)
    ///     .axis(0)
    ///     .compute()?;
    /// let err = g.iter().zip(x.iter()).map(|(g, x)| (g - x.cos()).abs()).fold(0.0, f64::max);
    /// assert!(err < 1e-2);
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn periodic_coords<C: Coordinate>(x: &impl ArrayLike<C>, period: f64) -> Self {
        let x = x.view();
        Spacing(
            Repr::Periodic {
                values: x.iter().map(|&c| c.to_f64()).collect(),
                ndim: x.ndim(),
                dtype: CoordType::of::<C>(),
                period,
            },
            false,
        )
    }

    /// Marks coordinates as those of a block (with its halo) of a longer axis whose
    /// steps are not all equal, so that numpy's uneven formulas apply even where the
    /// block's own steps happen to be equal.
    ///
    /// numpy chooses between its uniform and its uneven formulas once for the whole axis
    /// (uniform only when every step is exactly equal), and the two differ in the last
    /// bit (and with infinite or NaN data). A block sees only its own coordinates, so the
    /// caller, who has the whole axis, says which it is. Without this call a block's
    /// coordinates are judged on their own; that is right when the whole axis is
    /// uniform, or when the block's steps are uneven anyway.
    ///
    /// ```
    /// use ndcalc::prelude::*;
    /// let x = array![0., 1., 2., 3., 5.];                 // uneven: the last step is 2
    /// let f = array![0., 1., f64::INFINITY, 9., 25.];
    /// // The uneven formula weighs f[2] by 0 at point 2: 0 * inf is NaN.
    /// assert!(f.gradient().spacing(&x).axis(0).compute()?[[2]].is_nan());
    /// // The block [1, 2] with one sample of halo each side, whose own steps are all 1:
    /// let (fb, xb) = (f.slice_axis(0, Slice::new(0, 4, 1))?, x.slice_axis(0, Slice::new(0, 4, 1))?);
    /// let g = fb.gradient().spacing(Spacing::from(&xb).uneven()).axis(0).halo(1, 1).compute()?;
    /// assert!(g[[1]].is_nan());                           // as on the whole axis
    /// let g = fb.gradient().spacing(&xb).axis(0).halo(1, 1).compute()?;
    /// assert_eq!(g[[1]], 4.0);                            // the uniform formula
    /// # Ok::<(), ndcalc::CalcError>(())
    /// ```
    pub fn uneven(self) -> Self {
        Spacing(self.0, true)
    }

    /// Whether `axis` (of length `len`) takes numpy's uneven formulas.
    pub(crate) fn is_uneven(&self, axis: usize, len: usize) -> Result<bool> {
        Ok(matches!(self.resolve(axis, len)?, AxisSpacing::Steps(_)))
    }

    /// The spacing of the samples `r` of the axis, for a block with its halo: a step
    /// as it is, coordinates cut to `r` (of the same type), marked
    /// [`uneven`](Self::uneven) when the whole axis is ([`is_uneven`](Self::is_uneven)),
    /// so that the block keeps numpy's choice of formulas for the whole axis. The one
    /// place a block's spacing is made from the whole axis's.
    pub(crate) fn block(&self, r: std::ops::Range<usize>, uneven: bool) -> Self {
        let repr = match &self.0 {
            Repr::Step(h) => Repr::Step(*h),
            Repr::Coords {
                values,
                ndim,
                dtype,
            } => Repr::Coords {
                values: values[r].to_vec(),
                ndim: *ndim,
                dtype: *dtype,
            },
            Repr::Periodic {
                values,
                ndim,
                dtype,
                period,
            } => Repr::Periodic {
                values: values[r].to_vec(),
                ndim: *ndim,
                dtype: *dtype,
                period: *period,
            },
        };
        Spacing(repr, uneven)
    }

    /// Coordinates `values` of the same type as these (a step stays itself): the
    /// coordinates of a run of valid samples.
    pub(crate) fn with_values(&self, values: Vec<f64>) -> Self {
        match self.coord_type() {
            None => self.clone(),
            Some(dtype) => Spacing(
                Repr::Coords {
                    values,
                    ndim: 1,
                    dtype,
                },
                false,
            ),
        }
    }

    /// The period of periodic coordinates.
    pub(crate) fn period(&self) -> Option<f64> {
        match self.0 {
            Repr::Periodic { period, .. } => Some(period),
            _ => None,
        }
    }

    /// Whether this is a single scalar step.
    pub fn is_scalar(&self) -> bool {
        matches!(self.0, Repr::Step(_))
    }

    /// The type of the coordinates, or `None` for a scalar step, which numpy treats as
    /// a Python float (it takes the data's type).
    pub(crate) fn coord_type(&self) -> Option<CoordType> {
        match self.0 {
            Repr::Step(_) => None,
            Repr::Coords { dtype, .. } | Repr::Periodic { dtype, .. } => Some(dtype),
        }
    }

    /// The step, if this is a single scalar step.
    pub(crate) fn as_step(&self) -> Option<f64> {
        match self.0 {
            Repr::Step(h) => Some(h),
            _ => None,
        }
    }

    /// The coordinates, if this is not a scalar step.
    pub(crate) fn values(&self) -> Option<&[f64]> {
        match &self.0 {
            Repr::Step(_) => None,
            Repr::Coords { values, .. } | Repr::Periodic { values, .. } => Some(values),
        }
    }

    /// The spacing of `axis` (of length `len`) as the kernels use it: the steps
    /// `x[i + 1] - x[i]` in the coordinates' own type ([`CoordType`]). Coordinates whose
    /// steps are all exactly equal become a uniform step, numpy's rule (visible with NaN
    /// or infinite data, where the two formulas differ), unless marked
    /// [`uneven`](Self::uneven): the one place the rule is applied.
    pub(crate) fn resolve(&self, axis: usize, len: usize) -> Result<AxisSpacing> {
        match &self.0 {
            Repr::Step(h) => Ok(AxisSpacing::Uniform(*h)),
            Repr::Coords {
                values,
                ndim,
                dtype,
            }
            | Repr::Periodic {
                values,
                ndim,
                dtype,
                ..
            } => {
                if *ndim != 1 {
                    return Err(CalcError::CoordinatesNot1d { axis, ndim: *ndim });
                }
                if values.len() != len {
                    return Err(CalcError::CoordinatesLength {
                        axis,
                        expected: len,
                        found: values.len(),
                    });
                }
                let dx: Vec<f64> = values.windows(2).map(|w| dtype.step(w[0], w[1])).collect();
                match dx.first() {
                    Some(&h0) if !self.1 && dx.iter().all(|&h| h == h0) => {
                        Ok(AxisSpacing::Uniform(h0))
                    }
                    _ => Ok(AxisSpacing::Steps(dx)),
                }
            }
        }
    }
}

impl Spacing {
    /// The sample positions of `axis` (of length `len`) for the stencils beyond numpy
    /// ([`Grid`]): uniform when the steps are all exactly equal (numpy's rule; with a
    /// wrapping axis the step across the wrap must match too), else the coordinates, with
    /// the period when `periodic`.
    pub(crate) fn grid(&self, axis: usize, len: usize, periodic: bool) -> Result<Grid> {
        let (values, period) = match &self.0 {
            Repr::Step(h) => return Ok(Grid::Uniform(*h)),
            Repr::Coords { values, .. } => {
                if periodic {
                    self.resolve(axis, len)?;
                    return Err(CalcError::PeriodMissing { axis });
                }
                (values, None)
            }
            Repr::Periodic { values, period, .. } => (values, periodic.then_some(*period)),
        };
        let uniform = match self.resolve(axis, len)? {
            AxisSpacing::Uniform(h) => Some(h),
            AxisSpacing::Steps(_) => None,
        };
        if let (Some(p), true) = (period, len >= 2) {
            let span = values[len - 1] - values[0];
            if !(p.is_finite() && p.abs() > span.abs() && p * span >= 0.0) {
                return Err(CalcError::Period {
                    axis,
                    period: p.to_string(),
                    span: span.to_string(),
                });
            }
            let wrap = values[0] + p - values[len - 1];
            if uniform == Some(wrap) {
                return Ok(Grid::Uniform(wrap));
            }
        } else if let Some(h) = uniform {
            return Ok(Grid::Uniform(h));
        }
        Ok(Grid::Coords {
            x: values.clone(),
            period,
        })
    }
}

/// The resolved sample positions of one axis, for the wide stencils.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Grid {
    /// Every step is `h` (a scalar, or coordinates whose steps are all exactly equal).
    Uniform(f64),
    /// The coordinates of the samples, and the period when the axis wraps.
    Coords { x: Vec<f64>, period: Option<f64> },
}

/// The resolved spacing of one axis.
#[derive(Clone, Debug)]
pub(crate) enum AxisSpacing {
    /// Every step is `h`.
    Uniform(f64),
    /// The steps `x[i + 1] - x[i]`, one fewer than the points.
    Steps(Vec<f64>),
}

/// Numbers usable as coordinates: every primitive float and integer (sealed, as the
/// element traits are).
pub trait Coordinate: crate::element::sealed::Sealed + Copy {
    /// Whether numpy differences these coordinates in `f32` (only `f32` itself).
    #[doc(hidden)]
    const IS_F32: bool = false;
    /// The value as `f64` (integers beyond 2^53 round).
    fn to_f64(self) -> f64;
}

macro_rules! coordinates {
    ($($t:ty),*) => {$(
        impl Coordinate for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
coordinates!(f64, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Coordinate for f32 {
    const IS_F32: bool = true;
    #[inline]
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl From<f64> for Spacing {
    fn from(h: f64) -> Self {
        Spacing::step(h)
    }
}
impl From<f32> for Spacing {
    fn from(h: f32) -> Self {
        Spacing::step(h as f64)
    }
}
impl From<i32> for Spacing {
    fn from(h: i32) -> Self {
        Spacing::step(h as f64)
    }
}
impl<C: Coordinate> From<&Array<C>> for Spacing {
    fn from(x: &Array<C>) -> Self {
        Spacing::coords(x)
    }
}
impl<C: Coordinate> From<&ArrayView<'_, C>> for Spacing {
    fn from(x: &ArrayView<'_, C>) -> Self {
        Spacing::coords(x)
    }
}
impl<C: Coordinate> From<&[C]> for Spacing {
    fn from(x: &[C]) -> Self {
        Spacing::coords(x)
    }
}
impl<C: Coordinate, const N: usize> From<&[C; N]> for Spacing {
    fn from(x: &[C; N]) -> Self {
        Spacing::coords(x)
    }
}
impl<C: Coordinate> From<&Vec<C>> for Spacing {
    fn from(x: &Vec<C>) -> Self {
        Spacing::coords(x)
    }
}
