//! A walk through `gradient`, step by step, following numpy's documentation of
//! `np.gradient`: every result is printed, and checked against the text numpy prints for
//! the same call (numpy 2.4, shown beside each step).
//!
//! Run it with `cargo run --release --example tutorial`.

use ndcalc::prelude::*;

/// Prints one step and checks that it prints exactly as numpy prints it.
fn show(numpy_call: &str, rust_call: &str, result: &impl std::fmt::Display, numpy_text: &str) {
    let text = result.to_string();
    println!(">>> {numpy_call}\n    ndcalc: {rust_call}\n{text}");
    if text == numpy_text {
        println!("    (identical to numpy's output)\n");
    } else {
        println!("    DIFFERS from numpy, which prints:\n{numpy_text}\n");
        std::process::exit(1);
    }
}

fn main() -> Result<(), CalcError> {
    println!("== 1-D samples: f = [1, 2, 4, 7, 11, 16] ==\n");
    let f = array![1., 2., 4., 7., 11., 16.];

    // Unit spacing: central differences inside, one-sided differences at the ends.
    let g = f.gradient().axis(0).compute()?;
    show(
        "np.gradient(f)",
        "f.gradient().axis(0).compute()?",
        &g,
        "[1.  1.5 2.5 3.5 4.5 5. ]",
    );

    // The second argument is the *spacing* between samples, not a derivative order:
    // samples 2 apart halve every slope.
    let g = f.gradient().spacing(2.0).axis(0).compute()?;
    show(
        "np.gradient(f, 2)",
        "f.gradient().spacing(2.0).axis(0).compute()?",
        &g,
        "[0.5  0.75 1.25 1.75 2.25 2.5 ]",
    );

    // Second-order accurate one-sided differences at the two ends; the interior is
    // unchanged.
    let g = f.gradient().edge_order(2).axis(0).compute()?;
    show(
        "np.gradient(f, edge_order=2)",
        "f.gradient().edge_order(2).axis(0).compute()?",
        &g,
        "[0.5 1.5 2.5 3.5 4.5 5.5]",
    );

    // Samples at arbitrary coordinates (here not even increasing): the interior uses
    // the three-point Lagrange formula for uneven steps.
    let x = array![2., 1., 5., 10., 11., 15.];
    let g = f.gradient().spacing(&x).axis(0).compute()?;
    show(
        "np.gradient(f, x)   # x = [2, 1, 5, 10, 11, 15]",
        "f.gradient().spacing(&x).axis(0).compute()?",
        &g,
        "[-1.         -1.5         0.54444444  3.43333333  3.45        1.25      ]",
    );

    println!("== 2-D: m = [[10, 20, 30], [40, 50, 60]] ==\n");
    let m = array![[10., 20., 30.], [40., 50., 60.]];

    // Every axis: one array per axis, in axis order (numpy returns a tuple).
    let all = m.gradient().compute()?;
    show(
        "np.gradient(m)[0]",
        "m.gradient().compute()?[0]",
        &all[0],
        "[[30. 30. 30.]\n [30. 30. 30.]]",
    );
    show(
        "np.gradient(m)[1]",
        "m.gradient().compute()?[1]",
        &all[1],
        "[[10. 10. 10.]\n [10. 10. 10.]]",
    );

    // One axis: down the columns, then along the rows.
    let g0 = m.gradient().axis(0).compute()?;
    show(
        "np.gradient(m, axis=0)",
        "m.gradient().axis(0).compute()?",
        &g0,
        "[[30. 30. 30.]\n [30. 30. 30.]]",
    );
    let g1 = m.gradient().axis(1).compute()?;
    show(
        "np.gradient(m, axis=1)",
        "m.gradient().axis(1).compute()?",
        &g1,
        "[[10. 10. 10.]\n [10. 10. 10.]]",
    );

    // Integer data is promoted to f64 before any arithmetic, as numpy does.
    let mi = array![[10, 20, 30], [40, 50, 60]];
    let g = mi.gradient().axis(1).compute()?;
    show(
        "repr(np.gradient(np.array([[10, 20, 30], [40, 50, 60]]), axis=1))",
        "format!(\"{:?}\", mi.gradient().axis(1).compute()?)",
        &format!("{g:?}"),
        "array([[10., 10., 10.],\n       [10., 10., 10.]])",
    );

    // Beyond numpy: write into memory you already have.
    let mut out = Array::<f64>::zeros([6]);
    f.gradient().axis(0).compute_into(&mut out)?;
    show(
        "(no numpy equivalent: numpy has no out=)",
        "f.gradient().axis(0).compute_into(&mut out)?",
        &out,
        "[1.  1.5 2.5 3.5 4.5 5. ]",
    );
    Ok(())
}
