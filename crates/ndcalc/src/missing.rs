//! Missing samples: what an operation does with NaN.

/// How an operation treats NaN samples.
///
/// ```
/// use ndcalc::prelude::*;
/// use ndcalc::Missing;
/// let x = array![1., f64::NAN, 2.];
/// assert!(x.cumsum().compute()?[[2]].is_nan());                     // numpy's cumsum
/// assert_eq!(x.cumsum().missing(Missing::Skip).compute()?, array![1., 1., 3.]); // nancumsum
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
///
/// # Derivatives
///
/// The gradient, the derivatives, the Laplacian, divergence and curl take
/// `.missing(Missing::Skip)` (NaN samples are missing) or `.mask(&valid)` (a `bool` array
/// of the input's shape, `false` where a sample is missing, for data of any type; the
/// values there are never read). Along an axis the valid samples then form runs, and:
///
/// * each run is differentiated as its own array, with its own coordinates and the
///   builder's options: at accuracy 2 the result is bit-identical to `np.gradient`
///   applied run by run;
/// * a run of one sample has no derivative (NaN); a run too short for `edge_order` 2
///   (two samples) takes the `edge_order` 1 ends; at accuracy 4 and 6 each point takes
///   the highest accuracy whose stencil fits inside its run (the ends of the highest
///   accuracy the whole run allows, the wider central rule of a higher one where it fits
///   around the point); the second derivative of a run of three samples is that of the
///   parabola through them, of fewer NaN;
/// * missing samples give NaN;
/// * the builder's [`Boundary`](crate::Boundary) applies at the array's ends only; a run
///   ending at a missing sample takes one-sided differences there. With
///   [`Boundary::Periodic`](crate::Boundary::Periodic), when the first and the last
///   samples are both valid the run through the wrap is one run;
/// * the Laplacian and the divergence add the per-axis results and the curl subtracts
///   them, so a result is NaN exactly where a sample it needs is missing (in any
///   component) or has no derivative along one of the axes it needs (a run of one
///   sample; of fewer than three for the second derivative), not at the neighbours of a
///   missing sample as with numpy's NaN.
///
/// Missing data are not supported for a block with a halo (its runs may reach past the
/// halo): that is a [`CalcError::BlockOption`](crate::CalcError::BlockOption).
///
/// ```
/// use ndcalc::prelude::*;
/// use ndcalc::Missing;
/// let f = array![0., 1., 4., f64::NAN, 16., 25., 36.];        // x^2 with a hole
/// let g = f.gradient().missing(Missing::Skip).axis(0).compute()?;
/// // np.gradient([0, 1, 4]) and np.gradient([16, 25, 36]):
/// assert_eq!(g.slice_axis(0, Slice::new(0, 3, 1))?, array![1., 2., 3.]);
/// assert_eq!(g.slice_axis(0, Slice::new(4, 7, 1))?, array![9., 10., 11.]);
/// assert!(g[[3]].is_nan());
/// // The same with a mask, on integers:
/// let n = array![0i64, 1, 4, -1, 16, 25, 36];
/// let valid = n.map(|&v| v >= 0);
/// let h: Array<f64> = n.gradient().mask(&valid).axis(0).compute()?;
/// assert!(h.iter().zip(g.iter()).all(|(a, b)| a == b || (a.is_nan() && b.is_nan())));
/// # Ok::<(), ndcalc::CalcError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Missing {
    /// numpy's behaviour: a NaN enters the arithmetic like any value (so it spoils the
    /// results of its neighbours in a derivative).
    #[default]
    Propagate,
    /// NaN samples are missing: running sums and products skip them, as numpy's
    /// `nancumsum` and `nancumprod` do (a NaN counts as 0 in a sum, 1 in a product; for
    /// complex numbers a NaN in either part makes the sample missing); derivatives
    /// differentiate each run of valid samples on its own (see above).
    Skip,
}
