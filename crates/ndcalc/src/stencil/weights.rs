//! The finite-difference weights of the wide stencils beyond numpy's three-point ones,
//! computed in `f64` once per axis: Fornberg's algorithm for any points, and the
//! one-sided end weights of accuracy 4 and 6 that cancel the next error term.

use smallvec::SmallVec;

/// Fornberg's algorithm (Math. Comp. 51, 1988): the weights `w` with
/// `Σ w[j] f(x[j]) ≈ f^(order)(z)`, exact for polynomials of degree `x.len() - 1`.
/// `order <= 2`.
pub(crate) fn fornberg(z: f64, x: &[f64], order: usize) -> SmallVec<[f64; 9]> {
    let n = x.len();
    let m = order;
    let mut c: SmallVec<[[f64; 3]; 9]> = SmallVec::from_elem([0.0; 3], n);
    c[0][0] = 1.0;
    let (mut c1, mut c4) = (1.0, x[0] - z);
    for i in 1..n {
        let mn = i.min(m);
        let mut c2 = 1.0;
        let c5 = c4;
        c4 = x[i] - z;
        for j in 0..i {
            let c3 = x[i] - x[j];
            c2 *= c3;
            if j == i - 1 {
                for k in (1..=mn).rev() {
                    c[i][k] = c1 * (k as f64 * c[i - 1][k - 1] - c5 * c[i - 1][k]) / c2;
                }
                c[i][0] = -c1 * c5 * c[i - 1][0] / c2;
            }
            for k in (1..=mn).rev() {
                c[j][k] = (c4 * c[j][k] - k as f64 * c[j][k - 1]) / c3;
            }
            c[j][0] = c4 * c[j][0] / c3;
        }
        c1 = c2;
    }
    c.iter().map(|r| r[m]).collect()
}

/// The one-sided weights for `f^(order)(z)` over `x`: Fornberg's at accuracy 2, else
/// [`end_weights`].
pub(crate) fn one_sided(z: f64, x: &[f64], order: usize, accuracy: usize) -> SmallVec<[f64; 9]> {
    if accuracy == 2 {
        fornberg(z, x, order)
    } else {
        end_weights(z, x, order)
    }
}

/// The one-sided weights for `f^(order)(z)` over the `m` points `x` (all on one side
/// of the interior, `m = accuracy + order + 1`): of order `accuracy` with no
/// `h^(accuracy + 1)` error term.
///
/// Fornberg's weights over the `m` points are of order `accuracy + 1`; adding a multiple
/// of the top divided difference (which is zero on every polynomial of degree below
/// `m - 1`) keeps order `accuracy` and can cancel the next error moment instead. The
/// `accuracy + order` points the order needs at the least leave that term, with a
/// coefficient several times the leading one for the second derivative, so their error
/// follows `h^accuracy` only on grids too fine for rounding; these weights follow it
/// from coarse grids on, with a 3 to 4 times smaller error.
fn end_weights(z: f64, x: &[f64], order: usize) -> SmallVec<[f64; 9]> {
    let m = x.len();
    // Offsets in units of the mean step, so that products of m - 1 of them stay in range.
    let s = (x[m - 1] - x[0]).abs() / (m - 1) as f64;
    let u: SmallVec<[f64; 9]> = x.iter().map(|&x| (x - z) / s).collect();
    let w = fornberg(0.0, &u, order);
    let v: SmallVec<[f64; 9]> = (0..m)
        .map(|j| {
            let p: f64 = (0..m).filter(|&i| i != j).map(|i| u[j] - u[i]).product();
            1.0 / p
        })
        .collect();
    let moment = |c: &[f64]| -> f64 { c.iter().zip(&u).map(|(c, u)| c * u.powi(m as i32)).sum() };
    // The divided difference's next moment is the sum of the offsets: several steps for
    // an end point, but near zero if `z` sat at the points' centroid (possible only on a
    // wildly uneven grid), where cancelling would take huge weights; Fornberg's weights
    // alone (one order more) serve there.
    let (mw, mv) = (moment(&w), moment(&v));
    let alpha = if mv.abs() >= 0.5 { -mw / mv } else { 0.0 };
    let scale = s.powi(order as i32);
    w.iter()
        .zip(&v)
        .map(|(w, v)| (w + alpha * v) / scale)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fornberg_known_weights() {
        let c = fornberg(0.0, &[-1., 0., 1.], 1);
        assert_eq!(&c[..], &[-0.5, 0., 0.5]);
        let c = fornberg(0.0, &[-1., 0., 1.], 2);
        assert_eq!(&c[..], &[1., -2., 1.]);
        let c = fornberg(0.0, &[-2., -1., 0., 1., 2.], 1);
        let want = [1. / 12., -2. / 3., 0., 2. / 3., -1. / 12.];
        for (a, b) in c.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{c:?}");
        }
        let c = fornberg(0.0, &[0., 1., 2.], 1);
        assert_eq!(&c[..], &[-1.5, 2., -0.5]);
        let c = fornberg(0.0, &[-3., -2., -1., 0., 1., 2., 3.], 2);
        let want = [
            1. / 90.,
            -3. / 20.,
            1.5,
            -49. / 18.,
            1.5,
            -3. / 20.,
            1. / 90.,
        ];
        for (a, b) in c.iter().zip(want) {
            assert!((a - b).abs() < 1e-14, "{c:?}");
        }
    }

    #[test]
    fn end_weights_cancel_the_next_term() {
        // The 9-point second derivative at the first point: exact up to degree 7 (order
        // 6), no degree-9 moment, and a degree-8 moment of -761/5040 (the 8-point
        // stencil's is -363/560, 4.3 times larger).
        let x: Vec<f64> = (0..9).map(f64::from).collect();
        let w = end_weights(0.0, &x, 2);
        let moment = |m: i32| -> f64 { w.iter().zip(&x).map(|(w, x)| w * x.powi(m)).sum() };
        for m in 0..8 {
            let want = if m == 2 { 2.0 } else { 0.0 };
            assert!((moment(m) - want).abs() < 1e-9, "degree {m}: {}", moment(m));
        }
        assert!(moment(9).abs() < 1e-6, "{}", moment(9));
        assert!((moment(8) / 40320.0 + 761.0 / 5040.0).abs() < 1e-9);
        // A point at the centroid of its points: nothing to cancel with, so Fornberg's
        // weights (one order more) are used as they are.
        let centred = [-4.6, 0.0, 1.0, 1.1, 1.2, 1.3];
        let (a, b) = (end_weights(0.0, &centred, 1), fornberg(0.0, &centred, 1));
        for (a, b) in a.iter().zip(&b) {
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} {b}");
        }
        // Shifting and scaling the points scales the weights by 1 / h^2.
        let xs: Vec<f64> = x.iter().map(|x| 10.0 + 0.5 * x).collect();
        let ws = end_weights(10.0, &xs, 2);
        for (a, b) in ws.iter().zip(&w) {
            assert!((a - 4.0 * b).abs() < 1e-9 * b.abs().max(1.0));
        }
    }
}
