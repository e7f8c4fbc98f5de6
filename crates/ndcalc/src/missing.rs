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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Missing {
    /// numpy's behaviour: a NaN enters the arithmetic like any value.
    #[default]
    Propagate,
    /// NaN samples are missing: running sums and products skip them, as numpy's
    /// `nancumsum` and `nancumprod` do (a NaN counts as 0 in a sum, 1 in a product; for
    /// complex numbers a NaN in either part makes the sample missing).
    Skip,
}
