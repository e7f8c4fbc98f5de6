//! What the criterion suites share: the sizes, the shapes and the data.

use ndcalc::prelude::*;

/// The sizes every op is benched at.
pub const SIZES: [usize; 6] = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// Square-ish 2-D shapes with about `n` elements (1-D below 10^4).
pub fn shape(n: usize) -> Vec<usize> {
    if n < 10_000 {
        vec![n]
    } else {
        let side = (n as f64).sqrt() as usize;
        vec![side, n / side]
    }
}

/// Deterministic data in memory allocated as numpy allocates large arrays.
pub fn data<T: From<u16> + bytemuck::Zeroable + Copy>(shape: &[usize]) -> Array<T> {
    let mut a = Array::<T>::zeroed(shape);
    for (i, x) in a.iter_mut().enumerate() {
        *x = T::from((i * 7919 % 1000) as u16);
    }
    a
}
