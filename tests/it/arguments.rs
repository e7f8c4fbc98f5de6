//! The argument forms a new user reaches for first: axes as `usize` (from `0..ndim()`) or
//! as numpy's negative numbers, in every ndcore and ndcalc call.

use ndcalc::prelude::*;

#[test]
fn axes_from_a_range_need_no_cast() {
    let a = Array::from_shape_fn([3, 4, 5], |i| (i[0] * 20 + i[1] * 5 + i[2] * i[2]) as f64);
    for ax in 0..a.ndim() {
        let neg = ax as isize - a.ndim() as isize;
        let g = a.gradient().axis(ax).compute().unwrap();
        assert_eq!(g, a.gradient().axis(neg).compute().unwrap());
        assert_eq!(
            a.diff().axis(ax).compute().unwrap(),
            a.diff().axis(neg).compute().unwrap()
        );
        assert_eq!(
            a.cumsum().axis(ax).compute().unwrap(),
            a.cumsum().axis(neg).compute().unwrap()
        );
        assert_eq!(
            a.trapezoid().axis(ax).compute().unwrap(),
            a.trapezoid().axis(neg).compute().unwrap()
        );
        assert_eq!(a.sum_axis(ax).unwrap(), a.sum_axis(neg).unwrap());
        assert_eq!(
            a.invert_axis(ax).unwrap().to_vec(),
            a.invert_axis(neg).unwrap().to_vec()
        );
        assert_eq!(a.lanes(ax).unwrap().count(), a.lanes(neg).unwrap().count());
        let mut out = Array::<f64>::zeros(a.shape());
        zip_lanes(&mut out, [&a], neg, |mut y, [x]| {
            for i in 0..y.len() {
                y[i] = x[i];
            }
        })
        .unwrap();
        assert_eq!(out, a);
    }
    let axes: Vec<usize> = (0..a.ndim()).rev().collect();
    assert_eq!(a.permuted_axes(&axes).unwrap().shape(), &[5, 4, 3]);
    assert_eq!(a.gradient().axes(&axes).compute().unwrap().len(), 3);
}

#[test]
fn negative_axes_follow_numpy() {
    let a = Array::from_shape_fn([2, 3], |i| (i[0] * 3 + i[1]) as i32);
    // np.expand_dims(a, -1), np.expand_dims(a, -3)
    assert_eq!(a.insert_axis(-1).unwrap().shape(), &[2, 3, 1]);
    assert_eq!(a.insert_axis(-3).unwrap().shape(), &[1, 2, 3]);
    // np.transpose(a, (-1, 0))
    assert_eq!(a.permuted_axes(&[-1, 0]).unwrap(), a.t());
    // np.flip(a, -1)
    assert_eq!(a.invert_axis(-1).unwrap().to_vec(), vec![2, 1, 0, 5, 4, 3]);
    let (l, r) = a.split_at(-1, 1).unwrap();
    assert_eq!((l.shape(), r.shape()), (&[2, 1][..], &[2, 2][..]));
    assert_eq!(a.index_axis(-2, 1).unwrap().to_vec(), vec![3, 4, 5]);
}

#[test]
fn axes_out_of_range_name_the_axis_as_given() {
    let a = Array::<f64>::zeros([2, 3]);
    let msg = |e: ndcore::Error| e.to_string();
    assert_eq!(
        msg(a.insert_axis(-4).unwrap_err()),
        "axis -4 is out of bounds for array of dimension 3"
    );
    assert_eq!(
        msg(a.sum_axis(2usize).unwrap_err()),
        "axis 2 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        a.gradient().axis(-3).compute().unwrap_err().to_string(),
        "axis -3 is out of bounds for array of dimension 2"
    );
    assert_eq!(
        a.cumsum()
            .axis(usize::MAX)
            .compute()
            .unwrap_err()
            .to_string(),
        format!(
            "axis {} is out of bounds for array of dimension 2",
            isize::MAX
        )
    );
    assert_eq!(
        msg(a.permuted_axes(&[0, 2]).unwrap_err()),
        "axes [0, 2] are not a permutation of the 2 axes 0..2"
    );
}

#[test]
fn a_constant_count_of_axes_destructures() {
    let f = Array::from_shape_fn([4, 3, 5], |i| (i[0] * i[0] + 2 * i[1] + i[2] * i[1]) as f64);
    let all = f.gradient().compute().unwrap();
    let [gz, gx] = f.gradient().axes([0, -1]).compute().unwrap();
    assert_eq!((&gz, &gx), (&all[0], &all[2]));
    let axes: [usize; 2] = [2, 1];
    let [a, b] = f.gradient().axes(axes).edge_order(2).compute().unwrap();
    let dynamic = f.gradient().edge_order(2).axes(&axes).compute().unwrap();
    assert_eq!(vec![a, b], dynamic);
    // into caller memory, any layout
    let mut outs = [
        Array::<f64>::zeros([5, 3, 4]),
        Array::<f64>::zeros([4, 3, 5]),
    ];
    let [t, c] = &mut outs;
    let t = t.permuted_axes_mut(&[2, 1, 0]).unwrap();
    f.gradient()
        .axes([0, 1])
        .compute_into(&mut [t, c.view_mut()])
        .unwrap();
    assert_eq!(outs[0].t(), all[0]);
    assert_eq!(outs[1], all[1]);
    // every option of the variable-count form, missing data included
    let mut holes = f.clone();
    holes[[1, 1, 1]] = f64::NAN;
    let valid = holes.map(|v| !v.is_nan());
    let skip = holes.gradient().missing(ndcalc::Missing::Skip);
    let bits = |a: &Array<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let [a, b] = skip.clone().axes([0, 2]).edge_order(2).compute().unwrap();
    let dynamic = skip.axes(&[0, 2]).edge_order(2).compute().unwrap();
    assert_eq!([bits(&a), bits(&b)], [bits(&dynamic[0]), bits(&dynamic[1])]);
    assert!(a[[1, 1, 1]].is_nan());
    let [m] = f.gradient().axes([2]).mask(&valid).compute().unwrap();
    let one = holes.gradient().mask(&valid).axis(2).compute().unwrap();
    assert_eq!(bits(&m), bits(&one));
    // the same errors as the variable-count form
    assert_eq!(
        f.gradient()
            .axes([0, -3])
            .compute()
            .unwrap_err()
            .to_string(),
        "axis 0 is repeated"
    );
    let mut wrong = [Array::<f64>::zeros([4, 3, 5]), Array::<f64>::zeros([4, 3])];
    assert!(f.gradient().axes([0, 1]).compute_into(&mut wrong).is_err());
}

/// numpy takes lists wherever it takes arrays; ndcalc takes `Vec`, slices and Rust
/// arrays as 1-D arrays, giving what the same values in an `Array` give.
#[test]
fn vecs_slices_and_rust_arrays_are_1d_arrays() {
    let v = vec![1., 2., 4., 7., 11., 16.];
    let s: &[f64] = &v;
    let r = [1., 2., 4., 7., 11., 16.];
    let a = Array::from_vec(v.clone());
    let x = vec![0., 1., 1.5, 3., 3.25, 5.];
    let xa = Array::from_vec(x.clone());
    let expect = a.gradient().spacing(&xa).axis(0).compute().unwrap();
    // np.gradient([1, 2, 4, 7, 11, 16], [0, 1, 1.5, 3, 3.25, 5])
    assert_eq!(expect[[0]], 1.0);
    for g in [
        v.gradient().spacing(&x).axis(0).compute().unwrap(),
        s.gradient().spacing(&x[..]).axis(0).compute().unwrap(),
        r.gradient()
            .spacing(&[0., 1., 1.5, 3., 3.25, 5.])
            .axis(0)
            .compute()
            .unwrap(),
        a.gradient()
            .spacing(Spacing::coords(&x[..]))
            .axis(0)
            .compute()
            .unwrap(),
    ] {
        assert_eq!(g, expect);
    }
    assert_eq!(
        v.gradient().compute().unwrap(),
        a.gradient().compute().unwrap()
    );
    assert_eq!(
        s.diff().n(2).compute().unwrap(),
        a.diff().n(2).compute().unwrap()
    );
    assert_eq!(r.cumsum().compute().unwrap(), a.cumsum().compute().unwrap());
    assert_eq!(
        v.trapezoid().x(&x).compute().unwrap(),
        a.trapezoid().x(&xa).compute().unwrap()
    );
    assert_eq!(
        v.cumulative_trapezoid().x(&r).compute().unwrap(),
        a.cumulative_trapezoid().x(&a).compute().unwrap()
    );
    // np.diff(a, prepend=[0, 0], append=[100])
    let d = a
        .diff()
        .prepend(&vec![0., 0.])
        .append(&[100.])
        .compute()
        .unwrap();
    assert_eq!(d, array![0., 1., 1., 2., 3., 4., 5., 84.]);
    let valid = [true, true, false, true, true, true];
    let g = v.gradient().mask(&valid).axis(0).compute().unwrap();
    let valid_array = Array::from_vec(valid.to_vec());
    let g_array = a.gradient().mask(&valid_array).axis(0).compute().unwrap();
    assert_eq!(g.to_vec()[3..], g_array.to_vec()[3..]);
    assert!(g[[2]].is_nan());
    // Other array arguments of ndcore.
    let lap = stencil(&v, [[-1], [0], [1]], |[l, c, r]| l - 2.0 * c + r).unwrap();
    assert_eq!(lap, array![1., 1., 1., 1.]);
    let mut out = Array::<f64>::zeros([6]);
    out.assign(&r).unwrap();
    assert_eq!(out, a);
    assert_eq!(a.zip_map(&x, |f, x| f * x).unwrap()[[5]], 80.0);
    let mut d = Array::<f64>::zeros([5]);
    zip_lanes(&mut d, [&v], 0, |mut y, [f]| {
        for i in 0..y.len() {
            y[i] = f[i + 1] - f[i];
        }
    })
    .unwrap();
    assert_eq!(d, array![1., 2., 3., 4., 5.]);
    // Wrong lengths are the same errors as with arrays.
    let short = [0., 1.];
    assert_eq!(
        v.gradient()
            .spacing(&short)
            .axis(0)
            .compute()
            .unwrap_err()
            .to_string(),
        "coordinates for axis 0 have 2 values, but the axis has length 6"
    );
    // An empty Vec is an empty 1-D array.
    let empty: Vec<f64> = Vec::new();
    assert_eq!(empty.cumsum().compute().unwrap().shape(), &[0]);
}

/// numpy's `a[1:-1]` as `s![1..-1]`: this file is linted by `cargo clippy -D warnings`
/// in CI, whose `reversed_empty_ranges` refuses `1..-1` written as a plain range.
#[test]
fn numpy_interior_slices_pass_clippy() {
    let a = Array::from_shape_fn([4, 5], |i| (10 * i[0] + i[1]) as i32);
    // a[1:-1, 1:-1]
    assert_eq!(
        a.slice(s![1..-1, 1..-1]).unwrap(),
        array![[11, 12, 13], [21, 22, 23]]
    );
    // a[-1:0:-1, 2:-1:2]
    assert_eq!(
        a.slice(s![-1..0;-1, 0..-1;2]).unwrap(),
        array![[30, 32], [20, 22], [10, 12]]
    );
    // a[3:-1] is empty, as in numpy
    assert_eq!(a.slice(s![3..-1]).unwrap().shape(), &[0, 5]);
    let n = 1;
    assert_eq!(a.slice(s![n..-n, -1]).unwrap().to_vec(), vec![14, 24]);
}
