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
