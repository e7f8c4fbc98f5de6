//! The options the stencil builders share, and which spacing belongs to which axis.

use ndcore::ArrayView;
use smallvec::SmallVec;

use super::wide::WideStencil;
use crate::element::Real;
use crate::error::{CalcError, Result};
use crate::halo::Halo;
use crate::missing::Missing;
use crate::runs::{Gaps, RunAxis};
use crate::spacing::Spacing;

/// What happens at one end of an axis.
///
/// numpy has only [`Numpy`](Boundary::Numpy) (numpy#21357 asks for more). Every other
/// boundary defines *ghost samples* beyond the end exactly as `np.pad` does with the mode
/// of the same meaning, and every point then takes the interior stencil; no one-sided
/// formula is used there (so `edge_order` does not apply to such an end). At accuracy 2
/// the result is bit-identical to `np.gradient(np.pad(f, 1, mode), xp)[1:-1]`, where
/// `xp` pads the coordinates as below.
///
/// | boundary | ghost `f[-k]` (and `f[n-1+k]`) | `np.pad` mode |
/// |---|---|---|
/// | `Periodic` | `f[n-k]` (`f[k-1]`) | `wrap` |
/// | `Constant(c)` | `c` | `constant`, `constant_values=c` |
/// | `Edge` | `f[0]` (`f[n-1]`) | `edge` |
/// | `Reflect` | `f[k]` (`f[n-1-k]`) | `reflect` |
/// | `Symmetric` | `f[k-1]` (`f[n-k]`) | `symmetric` |
///
/// With coordinates, the ghost coordinates mirror the end sample, `x[-k] = 2 x[0] - x[k]`
/// and `x[n-1+k] = 2 x[n-1] - x[n-1-k]`, for every mode but `Periodic`, which shifts
/// by the period ([`Spacing::periodic_coords`](crate::Spacing::periodic_coords)).
/// `Periodic` must be at both ends of an axis or at neither.
///
/// `Constant(c)` carries an `f64`, so `Boundary` is `PartialEq` but not `Eq`:
/// `Constant(f64::NAN)` differs from itself. The constant is converted to the data's
/// real type (as `np.pad` casts `constant_values`); for complex data the ghost is
/// `c + 0i`.
///
/// ```
/// use ndcalc::prelude::*;
/// use ndcalc::Boundary;
/// // One period of cos(2 pi t), sampled at 8 points.
/// let n = 8;
/// let h = 1.0 / n as f64;
/// let f = Array::from_shape_fn([n], |i| (std::f64::consts::TAU * i[0] as f64 * h).cos());
/// let g = f.gradient().spacing(h).boundary(Boundary::Periodic).axis(0).compute()?;
/// // The ends are central differences across the wrap, like every other point.
/// let wrap = (f[[1]] - f[[n - 1]]) / (2.0 * h);
/// assert_eq!(g[[0]], wrap);
/// // A wall holding zero at the start, numpy's one-sided difference at the far end.
/// let f = array![1., 2., 4., 7.];
/// let g = f.gradient().boundary_sides(Boundary::Constant(0.0), Boundary::Numpy).axis(0).compute()?;
/// assert_eq!(g, array![1., 1.5, 2.5, 3.5]); // (2 - 0) / 2 at the wall
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Boundary {
    /// numpy's: one-sided differences at the end (of `edge_order` for the numpy
    /// gradient, of the stencil's accuracy otherwise).
    #[default]
    Numpy,
    /// The axis wraps around: the point after the last is the first, so every point is
    /// an interior point (`np.pad` mode `wrap`). With coordinates, give the period with
    /// [`Spacing::periodic_coords`](crate::Spacing::periodic_coords); a scalar step `h`
    /// implies the period `n h`.
    Periodic,
    /// Ghost samples equal to a constant (`np.pad` mode `constant`), e.g. a wall value.
    Constant(f64),
    /// Ghost samples equal to the end sample (`np.pad` mode `edge`).
    Edge,
    /// Ghost samples mirror the samples about the end sample, which is not repeated
    /// (`np.pad` mode `reflect`).
    Reflect,
    /// Ghost samples mirror the samples about the end itself, the end sample repeated
    /// (`np.pad` mode `symmetric`).
    Symmetric,
}

/// The step numpy assumes when no spacing is given.
static UNIT_STEP: Spacing = Spacing::step(1.0);

/// The options of every builder that applies stencils along axes (the gradient, the
/// derivatives, the Laplacian, divergence and curl): the spacing of each selected axis,
/// the order of accuracy, the boundary and which samples are missing. It alone decides
/// which spacing belongs to which axis and whether the options fit the axes, so the
/// builders share one rule.
#[derive(Clone, Debug, Default)]
pub(crate) struct StencilOptions<'m> {
    /// None (unit steps), one spacing for every selected axis, or one per selected axis.
    spacings: SmallVec<[Spacing; 3]>,
    /// As set (2, 4 or 6 once checked), or `None`: numpy's, 2.
    pub(crate) accuracy: Option<usize>,
    /// The gradient's numpy option: as set (1 or 2 once checked), or `None`.
    pub(crate) edge_order: Option<usize>,
    /// The boundary at the start and at the end of every selected axis.
    pub(crate) sides: [Boundary; 2],
    /// Whether NaN samples are missing.
    pub(crate) missing: Missing,
    /// The valid samples (`false`: missing), of the input's shape.
    pub(crate) mask: Option<ArrayView<'m, bool>>,
}

impl<'m> StencilOptions<'m> {
    /// One spacing for every selected axis.
    #[inline]
    pub(crate) fn set_spacing(&mut self, s: Spacing) {
        self.spacings = SmallVec::from_iter([s]);
    }

    /// One spacing per selected axis, in the order of the axes.
    #[inline]
    pub(crate) fn set_spacings(&mut self, s: impl IntoIterator<Item = Spacing>) {
        self.spacings = s.into_iter().collect();
    }

    /// The spacings as given, for callers that look for a plain scalar step.
    #[inline]
    pub(crate) fn spacings(&self) -> &[Spacing] {
        &self.spacings
    }

    /// Whether the stencils are numpy's three-point ones (accuracy 2, numpy's ends).
    #[inline]
    pub(crate) fn is_numpy(&self) -> bool {
        self.accuracy() == 2 && self.sides == [Boundary::Numpy; 2]
    }

    /// The order of accuracy: as set, or numpy's 2.
    #[inline]
    pub(crate) fn accuracy(&self) -> usize {
        self.accuracy.unwrap_or(2)
    }

    /// The order of the ends of numpy's three-point stencils: `edge_order` as set
    /// (numpy's default 1), or 2 under an explicit accuracy, which sets the order of
    /// every point; an explicit `edge_order` must then say the same.
    #[inline]
    pub(crate) fn end_order(&self) -> Result<usize> {
        match (self.edge_order, self.accuracy) {
            (Some(e), _) if !(1..=2).contains(&e) => Err(CalcError::EdgeOrder { edge_order: e }),
            (Some(e), Some(a)) if e != a => Err(CalcError::EdgeOrderAccuracy {
                edge_order: e,
                accuracy: a,
            }),
            (_, Some(_)) => Ok(2),
            (e, None) => Ok(e.unwrap_or(1)),
        }
    }

    /// Checks the accuracy, the edge order and that they agree, and that the spacings
    /// fit `axes` selected axes: none, one scalar step for all, or one per axis.
    pub(crate) fn check(&self, axes: usize) -> Result<()> {
        let accuracy = self.accuracy();
        if !matches!(accuracy, 2 | 4 | 6) {
            return Err(CalcError::Accuracy { accuracy });
        }
        self.end_order()?;
        let [lo, hi] = self.sides;
        if (lo == Boundary::Periodic) != (hi == Boundary::Periodic) {
            return Err(CalcError::PeriodicOneSide {
                lo: format!("{lo:?}"),
                hi: format!("{hi:?}"),
            });
        }
        // A numpy end beside a ghost end takes the wide stencils' ends, of order 2.
        if self.edge_order == Some(1) && !self.is_numpy() && self.sides.contains(&Boundary::Numpy) {
            return Err(CalcError::EdgeOrderAccuracy {
                edge_order: 1,
                accuracy,
            });
        }
        match self.spacings.len() {
            0 => Ok(()),
            1 if self.spacings[0].is_scalar() => Ok(()),
            n if n == axes => Ok(()),
            n => Err(CalcError::SpacingCount { given: n, axes }),
        }
    }

    /// Which samples of an input of `shape` are missing, or `None` when none can be (the
    /// plain kernels alone then run). Errors: a mask of another shape, or a block with
    /// a halo (a run may reach past the halo, where its length is unknown).
    pub(crate) fn gaps(
        &self,
        op: &'static str,
        shape: &[usize],
        halos: &[Halo],
    ) -> Result<Option<Gaps<'_, 'm>>> {
        if let Some(m) = &self.mask {
            if m.shape() != shape {
                return Err(CalcError::MaskShape {
                    expected: shape.to_vec(),
                    found: m.shape().to_vec(),
                });
            }
        }
        let nan = self.missing == Missing::Skip;
        if !nan && self.mask.is_none() {
            return Ok(None);
        }
        if halos.iter().any(|h| *h != Halo::default()) {
            return Err(CalcError::BlockOption {
                op,
                option: "missing samples (Missing::Skip or a mask)",
            });
        }
        Ok(Some(Gaps::new(nan, self.mask.as_ref())))
    }

    /// The `k`-th selected axis, which is `axis` of the input, for derivative `order`, as
    /// the runs of valid samples need it (`numpy_ends` as for [`reach`](Self::reach)).
    pub(crate) fn run_axis(
        &self,
        k: usize,
        axis: usize,
        order: usize,
        numpy_ends: Option<usize>,
    ) -> RunAxis<'_> {
        let half = self.accuracy() / 2;
        let (lo, hi) = self.reach(order, numpy_ends);
        RunAxis {
            axis,
            spacing: self.spacing(k),
            sides: self.sides,
            // The second derivative on coordinates reads one more point on the right.
            near: (half, half + usize::from(order == 2)),
            deep: lo.max(hi),
        }
    }

    /// The spacing of the `k`-th selected axis (after [`check`](Self::check)).
    #[inline]
    pub(crate) fn spacing(&self, k: usize) -> &Spacing {
        match self.spacings.len() {
            0 => &UNIT_STEP,
            1 => &self.spacings[0],
            _ => &self.spacings[k],
        }
    }

    /// The stencil of derivative `order` along the `k`-th selected axis, which is `axis`
    /// of the input, of length `n`, for the block inside `halo` (after
    /// [`check`](Self::check)).
    pub(crate) fn wide_stencil<R: Real>(
        &self,
        k: usize,
        axis: usize,
        n: usize,
        order: usize,
        halo: Halo,
    ) -> Result<WideStencil<R>> {
        WideStencil::build(
            self.spacing(k),
            axis,
            n,
            order,
            self.accuracy(),
            self.sides,
            halo,
        )
    }

    /// The halo a block needs on each side for derivative `order` (see
    /// [`crate::halo`]); `numpy_ends` is the end order of numpy's own gradient
    /// stencils, which read one sample past the ends' order.
    pub(crate) fn reach(&self, order: usize, numpy_ends: Option<usize>) -> (usize, usize) {
        match numpy_ends {
            Some(e) if self.is_numpy() => (e, e),
            _ => super::wide::reach(order, self.accuracy(), self.sides),
        }
    }
}
