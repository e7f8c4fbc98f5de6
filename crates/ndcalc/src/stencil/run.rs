//! One run of valid samples as its own array (see [`crate::runs`]): the stencils of the
//! builder's accuracy where they fit, lower accuracies where they do not.

use std::ops::Range;

use ndcore::{ArrayView, ArrayViewMut, AsView, Lane, LaneMut};
use smallvec::SmallVec;

use super::kernels::{fixed_sum, Overwrite};
use super::weights::fornberg;
use super::{apply, Boundary, WideStencil};
use crate::element::{Out, Promote, Real, RealOf};
use crate::error::{CalcError, Result};
use crate::halo::Halo;
use crate::runs::{nan, RunRule};
use crate::spacing::Spacing;

/// Writes into `y` derivative `order` at `points` of the run `x` (1-D) with `spacing`
/// and `sides`: each point takes the highest accuracy up to `accuracy` whose stencil fits
/// inside the run (the run's own ends at the highest accuracy the whole run allows, the
/// interior rule of a higher one where it fits around the point). A run too short for
/// any takes, for the first derivative, numpy's first-order ends (`edge_order=1`; NaN
/// for one sample) and, for the second, the second derivative of the parabola through
/// its three samples (NaN for fewer).
pub(crate) fn run<T: Promote>(
    x: &ArrayView<'_, T>,
    spacing: &Spacing,
    order: usize,
    accuracy: usize,
    sides: [Boundary; 2],
    points: Range<usize>,
    y: &mut ArrayViewMut<'_, Out<T>>,
) -> Result<()> {
    let n = x.len();
    let mut full = None;
    for a in (1..=accuracy / 2).rev().map(|h| 2 * h) {
        match WideStencil::build(spacing, 0, n, order, a, sides, Halo::default()) {
            Ok(st) => {
                full = Some((a, st));
                break;
            }
            Err(CalcError::TooFewPoints { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let (floor, full) = match full {
        Some((a, st)) if a == accuracy => {
            return apply::<T, Overwrite>(x, y, 0, &st.keep(points));
        }
        Some((a, st)) => (a, st),
        None if order == 1 => return crate::gradient::numpy_run(x, spacing, 1, points, y),
        None => return parabola(x, spacing, points, y),
    };
    // The interior rules of the accuracies above the run's ends, highest first.
    let mut inner: SmallVec<[WideStencil<RealOf<T>>; 2]> = SmallVec::new();
    for a in (floor / 2 + 1..=accuracy / 2).rev().map(|h| 2 * h) {
        if let Some(st) = WideStencil::interior(spacing, n, order, a)? {
            inner.push(st);
        }
    }
    let at = |q: usize| x[[q]];
    for (k, i) in points.enumerate() {
        let st = inner.iter().find(|s| s.keep.contains(&i)).unwrap_or(&full);
        y[[k]] = st.eval(i, at);
    }
    Ok(())
}

/// A wide stencil on the runs of valid samples of one axis.
pub(crate) struct WideRuns<'s, R> {
    /// The stencil of the whole axis.
    pub(crate) stencil: &'s WideStencil<R>,
    pub(crate) order: usize,
    pub(crate) accuracy: usize,
}

impl<T: Promote> RunRule<T> for WideRuns<'_, RealOf<T>> {
    fn run(
        &self,
        x: &ArrayView<'_, T>,
        spacing: &Spacing,
        sides: [Boundary; 2],
        points: Range<usize>,
        y: &mut ArrayViewMut<'_, Out<T>>,
    ) -> Result<()> {
        run(x, spacing, self.order, self.accuracy, sides, points, y)
    }

    fn cut_ends(
        &self,
        x: Lane<'_, T>,
        y: &mut LaneMut<'_, Out<T>>,
        r: Range<usize>,
        cut: [bool; 2],
    ) -> bool {
        self.stencil.cut_ends(x, y, r, cut)
    }
}

/// The second derivative of the parabola through the three samples of a run (the same
/// at each), or NaN for a run of fewer.
fn parabola<T: Promote>(
    x: &ArrayView<'_, T>,
    spacing: &Spacing,
    points: Range<usize>,
    y: &mut ArrayViewMut<'_, Out<T>>,
) -> Result<()> {
    let v = if x.len() == 3 {
        let at: [f64; 3] = match (spacing.values(), spacing.as_step()) {
            (Some(c), _) => [c[0] - c[1], 0.0, c[2] - c[1]],
            (None, Some(h)) => [-h, 0.0, h],
            (None, None) => unreachable!("a spacing is a step or coordinates"),
        };
        let w: SmallVec<[RealOf<T>; 3]> = fornberg(0.0, &at, 2)
            .iter()
            .map(|&w| RealOf::<T>::from_f64(w))
            .collect();
        fixed_sum(&w, |j| x[[j]].promote())
    } else {
        nan()
    };
    for k in 0..points.len() {
        y[[k]] = v;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndcore::{Array, AsViewMut};

    /// The run's values at every point, through `run` one point at a time.
    fn pointwise(x: &[f64], order: usize, accuracy: usize) -> Vec<f64> {
        let x = Array::from_vec(x.to_vec());
        let s = Spacing::step(0.5);
        (0..x.len())
            .map(|i| {
                let mut y = Array::<f64>::zeros([1]);
                let sides = [Boundary::Numpy; 2];
                run(
                    &x.view(),
                    &s,
                    order,
                    accuracy,
                    sides,
                    i..i + 1,
                    &mut y.view_mut(),
                )
                .unwrap();
                y[[0]]
            })
            .collect()
    }

    #[test]
    fn short_runs_fall_back_point_by_point() {
        // x^2 at 0, 0.5, ..: every rule of order 2 or more is exact.
        let sq = |n: usize| (0..n).map(|i| (0.5 * i as f64).powi(2)).collect::<Vec<_>>();
        let d1 = |n: usize| (0..n).map(|i| i as f64).collect::<Vec<_>>();
        for n in 3..9 {
            let got = pointwise(&sq(n), 1, 6);
            for (g, w) in got.iter().zip(d1(n)) {
                assert!((g - w).abs() < 1e-12, "n = {n}: {got:?}");
            }
            let got = pointwise(&sq(n), 2, 6);
            assert!(
                got.iter().all(|g| (g - 2.0).abs() < 1e-12),
                "n = {n}: {got:?}"
            );
        }
        // Two samples: numpy's first-order difference; one: NaN.
        assert_eq!(pointwise(&[1.0, 2.0], 1, 4), [2.0, 2.0]);
        assert!(pointwise(&[1.0], 1, 4)[0].is_nan());
        assert!(pointwise(&[1.0, 2.0], 2, 2).iter().all(|v| v.is_nan()));
    }
}
