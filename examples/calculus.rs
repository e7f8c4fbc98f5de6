//! diff, running sums and the trapezoid rule, next to numpy (and SciPy) doing the same.
//!
//! ```text
//! cargo run --release --example calculus
//! ```
//!
//! Every line prints ndcalc's result the way numpy prints it (`Display` is numpy's
//! `str`) beside the numpy call, and checks that the text is exactly what numpy 2.4
//! printed for that call.

use ndcalc::prelude::*;
use std::fmt::Display;

/// Prints one result beside the numpy expression and checks it against numpy's text.
fn show(numpy: &str, ours: impl Display, numpy_printed: &str) {
    let text = ours.to_string();
    println!("{numpy}\n{}\n", indent(&text));
    assert_eq!(text, numpy_printed, "{numpy}");
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn main() -> Result<(), CalcError> {
    println!("## diff: differences of neighbours along an axis\n");
    let x = array![1, 2, 4, 7, 0];
    show("np.diff(x)", x.diff().compute()?, "[ 1  2  3 -7]");
    show("np.diff(x, n=2)", x.diff().n(2).compute()?, "[  1   1 -10]");
    // Integers wrap like numpy's; booleans differ by xor.
    show(
        "np.diff(np.array([1, 0], dtype=np.uint8))",
        array![1u8, 0].diff().compute()?,
        "[255]",
    );
    show(
        "np.diff([True, False, False, True])",
        array![true, false, false, true].diff().compute()?,
        "[ True False  True]",
    );
    let m = array![[1, 3, 6, 10], [0, 5, 6, 8]];
    show(
        "np.diff(m, axis=0)",
        m.diff().axis(0).compute()?,
        "[[-1  2  0 -2]]",
    );
    show(
        "np.diff(m, axis=1, prepend=0)",
        m.diff().axis(1).prepend(0).compute()?,
        "[[1 2 3 4]\n [0 5 1 2]]",
    );

    println!("## cumsum, cumprod, cumulative_sum: running sums and products\n");
    let a = array![[1, 2, 3], [4, 5, 6]];
    // Small integers accumulate in i64 / u64, numpy's default dtype.
    show("np.cumsum(a)", a.cumsum().compute()?, "[ 1  3  6 10 15 21]");
    show(
        "np.cumsum(a, axis=0)",
        a.cumsum().axis(0).compute()?,
        "[[1 2 3]\n [5 7 9]]",
    );
    show(
        "np.cumprod(a, axis=1)",
        a.cumprod().axis(1).compute()?,
        "[[  1   2   6]\n [  4  20 120]]",
    );
    show(
        "np.cumulative_sum(a, axis=1, include_initial=True)",
        a.cumulative_sum().axis(1).include_initial(true).compute()?,
        "[[ 0  1  3  6]\n [ 0  4  9 15]]",
    );
    show(
        "np.cumsum(np.array([200, 100], dtype=np.uint8))",
        array![200u8, 100].cumsum().compute()?,
        "[200 300]",
    );

    println!("## trapezoid: integrals of samples\n");
    let y = array![1., 2., 3.];
    show("np.trapezoid(y)", y.trapezoid().compute()?, "4.0");
    show(
        "np.trapezoid(y, x=[4, 6, 8])",
        y.trapezoid().spacing(&[4, 6, 8]).compute()?,
        "8.0",
    );
    show(
        "np.trapezoid(y, dx=0.5)",
        y.trapezoid().spacing(0.5).compute()?,
        "2.0",
    );
    let mm = array![[0., 1., 2.], [3., 4., 5.]];
    show(
        "np.trapezoid(mm, axis=0)",
        mm.trapezoid().axis(0).compute()?,
        "[1.5 2.5 3.5]",
    );
    // numpy adds neighbours in the input type first: uint8 200 + 200 wraps to 144.
    show(
        "np.trapezoid(np.array([200, 200], dtype=np.uint8))",
        array![200u8, 200].trapezoid().compute()?,
        "72.0",
    );

    println!("## cumulative_trapezoid (SciPy): running integrals\n");
    let t = Array::linspace(-2.0, 2.0, 9);
    show(
        "t = np.linspace(-2, 2, num=9)",
        &t,
        "[-2.  -1.5 -1.  -0.5  0.   0.5  1.   1.5  2. ]",
    );
    show(
        "cumulative_trapezoid(t, dx=0.5, initial=0)",
        t.cumulative_trapezoid().spacing(0.5).initial(0).compute()?,
        "[ 0.    -0.875 -1.5   -1.875 -2.    -1.875 -1.5   -0.875  0.   ]",
    );
    let t2 = t.mapv(|v| v * v);
    show(
        "cumulative_trapezoid(t**2, t, initial=0)",
        t2.cumulative_trapezoid()
            .spacing(&t)
            .initial_zero()
            .compute()?,
        "[0.     1.5625 2.375  2.6875 2.75   2.8125 3.125  3.9375 5.5   ]",
    );

    println!("## into caller memory: every op has compute_into\n");
    let mut out = Array::<f64>::zeros([3]);
    mm.trapezoid().axis(0).compute_into(&mut out)?;
    show(
        "np.trapezoid(mm, axis=0)  (into out)",
        &out,
        "[1.5 2.5 3.5]",
    );
    Ok(())
}
