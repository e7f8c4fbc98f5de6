//! Blocks with halos and carries: cutting an array into blocks of any sizes along any
//! axis, each with the halo `reach()` asks for (clipped at the array's ends), or each
//! with the previous block's carry, gives the whole array's result bit for bit. Random
//! shapes, cuts, options, element types and layouts; then the errors.

use std::fmt::Debug;

use ndcalc::prelude::*;
use ndcalc::{num_complex::Complex, Boundary, Missing, Promote};
use quickcheck::quickcheck;

/// A small deterministic generator, so that one quickcheck seed gives one case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The text of every element: equal texts are equal bits (`{:?}` prints the shortest
/// round trip, the sign of zero included), NaN aside, which the data avoid.
fn texts<T: Debug>(a: &ArrayView<'_, T>) -> Vec<String> {
    a.iter().map(|v| format!("{v:?}")).collect()
}

/// Cuts `0..n` into blocks of random sizes >= 1, small ones (one sample, inside the end
/// region) likely.
fn cuts(rng: &mut Rng, n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    while s < n {
        let len = 1 + if rng.below(2) == 0 {
            rng.below(3)
        } else {
            rng.below(n)
        };
        let e = (s + len).min(n);
        out.push((s, e));
        s = e;
    }
    out
}

/// The 3-D array of `shape` with `value(flat index)`, in one of four layouts (C order,
/// Fortran order, reversed along axis 0, every other element along axis 1), handed to
/// `f` as a view.
fn with_layout<T: Copy, R>(
    kind: usize,
    shape: [usize; 3],
    value: impl Fn(usize) -> T,
    f: impl FnOnce(ArrayView<'_, T>) -> R,
) -> R {
    let c = Array::from_shape_fn(shape, |i| value((i[0] * shape[1] + i[1]) * shape[2] + i[2]));
    match kind % 4 {
        0 => f(c.view()),
        1 => {
            let t = c.t().to_owned();
            f(t.t())
        }
        2 => {
            let r = c.view().invert_axis(0).unwrap().to_owned();
            f(r.view().invert_axis(0).unwrap())
        }
        _ => {
            let [a, b, d] = shape;
            let wide = Array::from_shape_fn([a, 2 * b, d], |i| c[[i[0], i[1] / 2, i[2]]]);
            f(wide
                .slice_axis(1, Slice::new(0, 2 * b as isize, 2))
                .unwrap())
        }
    }
}

/// `f` cut along `axis` to `a..b`.
fn cut<'a, T>(f: &ArrayView<'a, T>, axis: usize, a: usize, b: usize) -> ArrayView<'a, T> {
    f.slice_axis(axis, Slice::new(a as isize, b as isize, 1))
        .unwrap()
}

/// Whether every block of `cuts` along `axis` of `f`, computed by `op` on the block
/// with the halo `reach` asks for (clipped at the ends), equals the whole array's result
/// there. `op(input, a, (lo, hi))` gets the input, its first index and its halo.
fn blocks_match<T, U: Debug>(
    f: &ArrayView<'_, T>,
    axis: usize,
    cuts: &[(usize, usize)],
    reach: (usize, usize),
    op: impl Fn(&ArrayView<'_, T>, usize, (usize, usize)) -> Result<Array<U>, CalcError>,
) -> bool {
    let n = f.shape()[axis];
    let whole = op(f, 0, (0, 0)).unwrap();
    cuts.iter().all(|&(s, e)| {
        let (a, b) = (s.saturating_sub(reach.0), (e + reach.1).min(n));
        let block = op(&cut(f, axis, a, b), a, (s - a, b - e)).unwrap();
        let ok = texts(&block.view()) == texts(&cut(&whole.view(), axis, s, e));
        if !ok {
            eprintln!("block {s}..{e} of {n} along axis {axis}, input {a}..{b}");
        }
        ok
    })
}

/// Data with some repeated values, so that coordinates and steps meet every branch.
fn data(rng: &mut Rng, len: usize) -> Vec<f64> {
    (0..len)
        .map(|_| (rng.below(2001) as f64 - 1000.0) / 7.0)
        .collect()
}

/// Coordinates along an axis of `n`: uneven, uneven with a stretch of equal steps (a
/// block inside it must keep the uneven formulas), or all equal.
fn coords(rng: &mut Rng, n: usize) -> (Vec<f64>, bool) {
    let kind = rng.below(3);
    let mut t = 0.0;
    let x: Vec<f64> = (0..n)
        .map(|i| {
            t += match kind {
                0 => 0.25 + rng.below(16) as f64 / 8.0,
                1 if i + 1 == n => 0.75,
                _ => 0.5,
            };
            t
        })
        .collect();
    let uneven = x.windows(2).any(|w| w[1] - w[0] != x[1] - x[0]);
    (x, uneven)
}

/// The spacing of the input `a..a + len` of coordinates `x`, marked uneven when the
/// whole axis is.
fn block_spacing(x: &[f64], uneven: bool, a: usize, len: usize) -> Spacing {
    let s = Spacing::from(&x[a..a + len]);
    if uneven {
        s.uneven()
    } else {
        s
    }
}

/// One random gradient or derivative case of element type `T`.
fn stencil_case<T: Promote + Copy>(seed: u64, value: impl Fn(f64) -> T) -> bool
where
    T::Output: Debug,
{
    let mut rng = Rng(seed | 1);
    let axis = rng.below(3);
    let mut shape = [1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4)];
    shape[axis] = 10 + rng.below(20);
    let n = shape[axis];
    let vals = data(&mut rng, shape.iter().product());
    let (x, uneven) = coords(&mut rng, n);
    let use_coords = rng.below(2) == 0;
    let h = [1.0, 0.5, 0.3][rng.below(3)];
    let blocks = cuts(&mut rng, n);
    // 0, 1: numpy's edge orders; 2..: accuracy 2, 4, 6; then the second derivative.
    let op = rng.below(8);
    let kind = rng.below(4);
    with_layout(
        kind,
        shape,
        |i| value(vals[i]),
        |f| {
            let spacing = |a: usize, len: usize| -> Spacing {
                if use_coords {
                    block_spacing(&x, uneven, a, len)
                } else {
                    Spacing::from(h)
                }
            };
            let ax = axis as isize;
            match op {
                0 | 1 => {
                    let e = op + 1;
                    let reach = f.gradient().edge_order(e).axis(ax).reach();
                    blocks_match(&f, axis, &blocks, reach, |g, a, (lo, hi)| {
                        let s = spacing(a, g.shape()[axis]);
                        g.gradient()
                            .edge_order(e)
                            .spacing(s)
                            .axis(ax)
                            .halo(lo, hi)
                            .compute()
                    })
                }
                2..=4 => {
                    let k = [2, 4, 6][op - 2];
                    let reach = f.gradient().accuracy(k).axis(ax).reach();
                    blocks_match(&f, axis, &blocks, reach, |g, a, (lo, hi)| {
                        let s = spacing(a, g.shape()[axis]);
                        let op = g.gradient().accuracy(k).spacing(s).axis(ax).halo(lo, hi);
                        let shape = op.compute()?.shape().to_vec();
                        // compute_into writes the same block.
                        let mut out = Array::<T::Output>::zeros_like_with_shape(g, shape);
                        op.compute_into(&mut out)?;
                        Ok(out)
                    })
                }
                _ => {
                    let k = [2, 4, 6][op - 5];
                    let reach = f.derivative(2).accuracy(k).reach();
                    blocks_match(&f, axis, &blocks, reach, |g, a, (lo, hi)| {
                        let s = spacing(a, g.shape()[axis]);
                        g.derivative(2)
                            .axis(ax)
                            .accuracy(k)
                            .spacing(s)
                            .halo(lo, hi)
                            .compute()
                    })
                }
            }
        },
    )
}

quickcheck! {
    fn prop_gradient_blocks_f64(seed: u64) -> bool {
        stencil_case(seed, |v| v)
    }

    fn prop_gradient_blocks_f32(seed: u64) -> bool {
        stencil_case(seed, |v| v as f32)
    }

    fn prop_gradient_blocks_complex(seed: u64) -> bool {
        stencil_case(seed, |v| Complex::new(v, 1.0 - v))
    }

    fn prop_gradient_blocks_i32(seed: u64) -> bool {
        stencil_case(seed, |v| (v * 7.0) as i32)
    }
}

/// One random case of ghost boundaries: a boundary per end (one of them often numpy's
/// one-sided formulas, the other a ghost), cut along the axis into blocks each with the
/// halo `reach()` asks for on its own side.
fn ghost_case(seed: u64) -> bool {
    let mut rng = Rng(seed | 1);
    let axis = rng.below(3);
    let mut shape = [1 + rng.below(3), 1 + rng.below(3), 1 + rng.below(3)];
    shape[axis] = 10 + rng.below(20);
    let n = shape[axis];
    let vals = data(&mut rng, shape.iter().product());
    let (x, uneven) = coords(&mut rng, n);
    let use_coords = rng.below(2) == 0;
    let blocks = cuts(&mut rng, n);
    let ends = [
        Boundary::Numpy,
        Boundary::Constant(1.5),
        Boundary::Edge,
        Boundary::Reflect,
        Boundary::Symmetric,
    ];
    let (lo, hi) = (ends[rng.below(5)], ends[rng.below(5)]);
    // 0..3: the gradient at accuracy 2, 4, 6; then the second derivative.
    let op = rng.below(6);
    let kind = rng.below(4);
    with_layout(
        kind,
        shape,
        |i| vals[i],
        |f| {
            let spacing = |a: usize, len: usize| -> Spacing {
                if use_coords {
                    block_spacing(&x, uneven, a, len)
                } else {
                    Spacing::from(0.5)
                }
            };
            let ax = axis as isize;
            if op < 3 {
                let k = [2, 4, 6][op];
                let reach = f
                    .gradient()
                    .accuracy(k)
                    .boundary_sides(lo, hi)
                    .axis(ax)
                    .reach();
                blocks_match(&f, axis, &blocks, reach, |g, a, (l, h)| {
                    let s = spacing(a, g.shape()[axis]);
                    g.gradient()
                        .accuracy(k)
                        .boundary_sides(lo, hi)
                        .spacing(s)
                        .axis(ax)
                        .halo(l, h)
                        .compute()
                })
            } else {
                let k = [2, 4, 6][op - 3];
                let reach = f.derivative(2).accuracy(k).boundary_sides(lo, hi).reach();
                blocks_match(&f, axis, &blocks, reach, |g, a, (l, h)| {
                    let s = spacing(a, g.shape()[axis]);
                    g.derivative(2)
                        .axis(ax)
                        .accuracy(k)
                        .boundary_sides(lo, hi)
                        .spacing(s)
                        .halo(l, h)
                        .compute()
                })
            }
        },
    )
}

quickcheck! {
    fn prop_ghost_boundary_blocks(seed: u64) -> bool {
        ghost_case(seed)
    }
}

#[test]
fn reflect_and_numpy_ends_take_each_sides_reach() {
    // The reflected start reads one neighbour, but a block holding the numpy end needs
    // the two samples before its last point that numpy's edge_order=2 formula reads.
    let f = Array::from_shape_fn([12], |i| (i[0] * i[0] * i[0]) as f64 / 3.0);
    let grad = f
        .gradient()
        .boundary_sides(Boundary::Reflect, Boundary::Numpy)
        .axis(0);
    assert_eq!(grad.reach(), (2, 1));
    let whole = grad.compute().unwrap();
    let mut parts = Vec::new();
    for (s, e) in [(0usize, 1usize), (1, 2), (2, 7), (7, 11), (11, 12)] {
        let (a, b) = (s.saturating_sub(2), (e + 1).min(12));
        let block = f
            .slice_axis(0, Slice::new(a as isize, b as isize, 1))
            .unwrap();
        let g = block
            .gradient()
            .boundary_sides(Boundary::Reflect, Boundary::Numpy)
            .axis(0)
            .halo(s - a, b - e)
            .compute()
            .unwrap();
        parts.extend(g.iter().map(|v| v.to_bits()));
    }
    let whole: Vec<u64> = whole.iter().map(|v| v.to_bits()).collect();
    assert_eq!(parts, whole);
}

/// One random diff case: blocks with `(0, n)` halos join into the whole result.
fn diff_case<T: ndcalc::NpArith + Debug>(seed: u64, value: impl Fn(f64) -> T) -> bool {
    let mut rng = Rng(seed | 1);
    let axis = rng.below(3);
    let mut shape = [1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4)];
    shape[axis] = 1 + rng.below(20);
    let n = shape[axis];
    let order = rng.below(4);
    let vals = data(&mut rng, shape.iter().product());
    let blocks = cuts(&mut rng, n);
    with_layout(
        rng.below(4),
        shape,
        |i| value(vals[i]),
        |f| {
            let ax = axis as isize;
            let whole = f.diff().n(order).axis(ax).compute().unwrap();
            let (_, reach) = f.diff().n(order).reach();
            let mut joined = Vec::new();
            for &(s, e) in &blocks {
                let b = (e + reach).min(n);
                let d = cut(&f, axis, s, b)
                    .diff()
                    .n(order)
                    .axis(ax)
                    .halo(0, b - e)
                    .compute()
                    .unwrap();
                // Blocks along `axis` join in order; compare lane by lane via the axis-first view.
                joined.push(d);
            }
            let mut at = 0;
            joined.iter().all(|d| {
                let len = d.shape()[axis];
                let ok = texts(&d.view()) == texts(&cut(&whole.view(), axis, at, at + len));
                at += len;
                ok
            }) && at == whole.shape()[axis]
        },
    )
}

/// One random running-sum or product case: each block carries the previous result's
/// last slice.
fn carry_case(seed: u64) -> bool {
    let mut rng = Rng(seed | 1);
    let axis = rng.below(3);
    let mut shape = [1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4)];
    shape[axis] = 1 + rng.below(20);
    let n = shape[axis];
    let prod = rng.below(2) == 0;
    let vals = data(&mut rng, shape.iter().product());
    let blocks = cuts(&mut rng, n);
    with_layout(
        rng.below(4),
        shape,
        |i| vals[i] / 50.0,
        |f| {
            let ax = axis as isize;
            let run = |g: &ArrayView<'_, f64>, carry: Option<&Array<f64>>| {
                let c = if prod {
                    g.cumprod()
                } else {
                    g.cumulative_sum()
                }
                .axis(ax);
                match carry {
                    Some(c0) => c.carry(c0).compute().unwrap(),
                    None => c.compute().unwrap(),
                }
            };
            let whole = run(&f, None);
            let mut carry: Option<Array<f64>> = None;
            blocks.iter().all(|&(s, e)| {
                let r = run(&cut(&f, axis, s, e), carry.as_ref());
                let ok = texts(&r.view()) == texts(&cut(&whole.view(), axis, s, e));
                carry = Some(r.index_axis(axis, e - s - 1).unwrap().to_owned());
                ok
            })
        },
    )
}

/// One random flattened running sum or product (`cumsum`/`cumprod` without an axis)
/// of blocks cut along axis 0, which are consecutive runs of the flattened input: each
/// block carries the previous result's last value (a 0-d slice). Some samples are NaN,
/// skipped or not.
fn flat_carry_case(seed: u64) -> bool {
    let mut rng = Rng(seed | 1);
    let shape = [1 + rng.below(12), 1 + rng.below(4), 1 + rng.below(4)];
    let row = shape[1] * shape[2];
    let prod = rng.below(2) == 0;
    let missing = [Missing::Propagate, Missing::Skip][rng.below(2)];
    let mut vals = data(&mut rng, shape.iter().product());
    for v in vals.iter_mut() {
        if rng.below(8) == 0 {
            *v = f64::NAN;
        }
    }
    let blocks = cuts(&mut rng, shape[0]);
    with_layout(
        rng.below(4),
        shape,
        |i| vals[i] / 50.0,
        |f| {
            let run = |g: &ArrayView<'_, f64>, carry: Option<&Array<f64>>| {
                let c = if prod { g.cumprod() } else { g.cumsum() }.missing(missing);
                match carry {
                    Some(c0) => c.carry(c0).compute().unwrap(),
                    None => c.compute().unwrap(),
                }
            };
            let whole = run(&f, None);
            let mut carry: Option<Array<f64>> = None;
            blocks.iter().all(|&(s, e)| {
                let r = run(&cut(&f, 0, s, e), carry.as_ref());
                let want = cut(&whole.view(), 0, s * row, e * row);
                let ok = texts(&r.view()) == texts(&want);
                carry = Some(r.index_axis(0, r.len() - 1).unwrap().to_owned());
                ok
            })
        },
    )
}

quickcheck! {
    fn prop_flat_cumulative_blocks_carry(seed: u64) -> bool {
        flat_carry_case(seed)
    }

    fn prop_diff_blocks_f64(seed: u64) -> bool {
        diff_case(seed, |v| v)
    }

    fn prop_diff_blocks_u8(seed: u64) -> bool {
        diff_case(seed, |v| v as i64 as u8)
    }

    fn prop_cumulative_blocks_carry(seed: u64) -> bool {
        carry_case(seed)
    }
}

#[test]
fn periodic_blocks_with_wrapped_halos_match_the_whole() {
    let n = 17;
    let f = Array::from_shape_fn([n, 3], |i| ((i[0] * 7 + i[1]) % 11) as f64 / 3.0);
    for k in [2, 4, 6] {
        let grad = f
            .gradient()
            .accuracy(k)
            .boundary(Boundary::Periodic)
            .axis(0);
        let whole = grad.compute().unwrap();
        let (lo, hi) = grad.reach();
        for (s, e) in [(0, 1), (1, 5), (5, 16), (16, 17)] {
            // The block and its halos, wrapped around the axis.
            let idx: Vec<usize> = (s + n - lo..e + n + hi).map(|i| i % n).collect();
            let input = Array::from_shape_fn([idx.len(), 3], |i| f[[idx[i[0]], i[1]]]);
            let g = input
                .gradient()
                .accuracy(k)
                .boundary(Boundary::Periodic)
                .axis(0)
                .halo(lo, hi)
                .compute()
                .unwrap();
            assert_eq!(
                texts(&g.view()),
                texts(&cut(&whole.view(), 0, s, e)),
                "accuracy {k}, block {s}..{e}"
            );
        }
    }
}

#[test]
fn bad_halos_and_carries_are_errors_naming_the_numbers() {
    let f = Array::from_shape_fn([6, 2], |i| (i[0] * i[1]) as f64);
    let err = f.gradient().axis(0).halo(4, 3).compute().unwrap_err();
    assert_eq!(
        err.to_string(),
        "a halo of 4 before and 3 after is longer than axis 0, which has 6 points"
    );
    let err = f
        .gradient()
        .boundary(Boundary::Periodic)
        .accuracy(4)
        .axis(0)
        .halo(1, 2)
        .compute()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "periodic axis 0 has a halo of 1 before and 2 after, but its stencil reaches 2 before and 2 after (pass wrapped halos)"
    );
    let err = f.laplacian().halos([(0, 0)]).compute().unwrap_err();
    assert_eq!(
        err.to_string(),
        "1 halos were given for 2 axes (one (lo, hi) pair per axis)"
    );
    // An input too short for any stencil, with its halo clipped at both ends.
    let short = array![1.0, 2.0];
    let err = short
        .gradient()
        .edge_order(2)
        .axis(0)
        .halo(0, 0)
        .compute()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "axis 0 has 2 points, but edge_order 2 needs at least 3"
    );
    let err = f
        .diff()
        .axis(0)
        .prepend(0.0)
        .halo(1, 1)
        .compute()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "diff of a block (with a halo or a carry) cannot take prepend, which belongs to the whole array"
    );
    let wrong = Array::<f64>::zeros([3]);
    let err = f.cumsum().axis(0).carry(&wrong).compute().unwrap_err();
    assert!(
        matches!(
            err,
            CalcError::Array(ndcalc::ndcore::Error::ShapeMismatch { .. })
        ),
        "{err}"
    );
    let last = Array::<f64>::zeros([2]);
    let err = f
        .cumulative_sum()
        .axis(0)
        .include_initial(true)
        .carry(&last)
        .compute()
        .unwrap_err();
    assert!(
        matches!(
            err,
            CalcError::BlockOption {
                option: "include_initial",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn cumulative_trapezoid_blocks_with_carries_match_the_whole() {
    for seed in 1..60u64 {
        let mut rng = Rng(seed * 2654435761);
        let axis = rng.below(3);
        let mut shape = [1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4)];
        shape[axis] = 2 + rng.below(20);
        let n = shape[axis];
        let vals = data(&mut rng, shape.iter().product());
        let (x, _) = coords(&mut rng, n);
        // Blocks of trapezoids [s, e) read the samples s..=e.
        let blocks = cuts(&mut rng, n - 1);
        let ok = with_layout(
            rng.below(4),
            shape,
            |i| vals[i],
            |f| {
                let ax = axis as isize;
                let whole = f
                    .cumulative_trapezoid()
                    .axis(ax)
                    .spacing(&x)
                    .compute()
                    .unwrap();
                let mut carry: Option<Array<f64>> = None;
                blocks.iter().all(|&(s, e)| {
                    let g = cut(&f, axis, s, e + 1);
                    let op = g.cumulative_trapezoid().axis(ax).spacing(&x[s..=e]);
                    let r = match &carry {
                        Some(c) => op.carry(c).compute().unwrap(),
                        None => op.compute().unwrap(),
                    };
                    carry = Some(r.index_axis(axis, e - s - 1).unwrap().to_owned());
                    texts(&r.view()) == texts(&cut(&whole.view(), axis, s, e))
                })
            },
        );
        assert!(ok, "seed {seed}");
    }
}

/// Typed coordinates (`f32` data, `i64` coordinates, `f64` results) carry across blocks
/// as a spacing does: with 1-D coordinates, and with coordinates that differ per lane.
#[test]
fn cumulative_trapezoid_blocks_with_typed_coordinates_join_into_the_whole() {
    let y = Array::from_shape_fn([3, 13], |i| ((i[0] * 5 + i[1] * 3) % 7) as f32 / 3.0);
    let x1 = Array::from_shape_fn([13], |i| (i[0] * i[0]) as i64 * 1_000_003);
    let xn = Array::from_shape_fn([3, 13], |i| (i[1] * (i[0] + 2) + i[1] * i[1]) as i64);
    for x in [
        x1.insert_axis(0)
            .unwrap()
            .broadcast([3, 13])
            .unwrap()
            .to_owned(),
        xn,
    ] {
        for nd in [false, true] {
            let xs = if nd {
                x.clone()
            } else {
                x.index_axis(0, 0).unwrap().to_owned()
            };
            let whole = y.cumulative_trapezoid().x(&xs).compute().unwrap();
            let mut carry: Option<Array<f64>> = None;
            for (s, e) in [(0, 4), (4, 5), (5, 12)] {
                let g = y
                    .slice_axis(1, Slice::new(s as isize, e as isize + 1, 1))
                    .unwrap();
                let xb = xs
                    .slice_axis(xs.ndim() - 1, Slice::new(s as isize, e as isize + 1, 1))
                    .unwrap();
                let op = g.cumulative_trapezoid().x(&xb);
                let r = match &carry {
                    Some(c) => op.carry(c).compute().unwrap(),
                    None => op.compute().unwrap(),
                };
                let part = whole
                    .slice_axis(1, Slice::new(s as isize, e as isize, 1))
                    .unwrap();
                assert_eq!(
                    texts(&r.view()),
                    texts(&part),
                    "blocks ({s}, {e}), N-D x: {nd}"
                );
                carry = Some(r.index_axis(1, e - s - 1).unwrap().to_owned());
            }
        }
    }
}

#[test]
fn trapezoid_blocks_overlapping_by_one_sample_sum_to_the_whole() {
    // Integer-valued data and steps: every partial sum is exact, so bit-identical.
    let y = Array::from_shape_fn([40, 3], |i| ((i[0] * 37 + i[1] * 11) % 23) as f64);
    for axis_data in [y.view(), y.t()] {
        let ax = if axis_data.shape()[0] == 40 { 0 } else { 1 };
        let whole = axis_data.trapezoid().axis(ax as isize).compute().unwrap();
        let mut sum = Array::<f64>::zeros([3]);
        for (s, e) in [(0, 1), (1, 17), (17, 18), (18, 39)] {
            let b = cut(&axis_data, ax, s, e + 1)
                .trapezoid()
                .axis(ax as isize)
                .compute()
                .unwrap();
            sum = (&sum + &b).unwrap();
        }
        assert_eq!(sum, whole);
    }
}

/// Whether every block of the grid `cuts` (one list of cuts per axis) of the fields
/// `fs`, computed by `op` on the block with the halo `reach` asks for on every axis
/// (clipped at the ends), equals the whole fields' results there.
/// `op(inputs, halos)` gets the cut fields and one `(lo, hi)` per axis.
fn grid_blocks_match(
    fs: &[ArrayView<'_, f64>],
    cuts: &[Vec<(usize, usize)>],
    reach: (usize, usize),
    op: impl Fn(&[ArrayView<'_, f64>], Vec<(usize, usize)>) -> Result<Vec<Array<f64>>, CalcError>,
) -> bool {
    let shape = fs[0].shape().to_vec();
    let whole = op(fs, vec![(0, 0); shape.len()]).unwrap();
    // Every combination of one cut per axis.
    let mut pick = vec![0; shape.len()];
    loop {
        let (mut inputs, mut wants) = (
            fs.to_vec(),
            whole.iter().map(|w| w.view()).collect::<Vec<_>>(),
        );
        let mut halos = Vec::new();
        for (axis, &k) in pick.iter().enumerate() {
            let (s, e) = cuts[axis][k];
            let (a, b) = (s.saturating_sub(reach.0), (e + reach.1).min(shape[axis]));
            inputs = inputs.iter().map(|f| cut(f, axis, a, b)).collect();
            wants = wants.iter().map(|w| cut(w, axis, s, e)).collect();
            halos.push((s - a, b - e));
        }
        let got = op(&inputs, halos.clone()).unwrap();
        if got
            .iter()
            .zip(&wants)
            .any(|(g, w)| texts(&g.view()) != texts(w))
        {
            eprintln!("block {pick:?} of {cuts:?}, halos {halos:?}");
            return false;
        }
        // The next combination, or the end.
        let mut axis = 0;
        loop {
            if axis == pick.len() {
                return true;
            }
            pick[axis] += 1;
            if pick[axis] < cuts[axis].len() {
                break;
            }
            pick[axis] = 0;
            axis += 1;
        }
    }
}

/// One random multi-axis case: the all-axes gradient, the Laplacian, the divergence or
/// the curl of a 2-D or 3-D field, cut along every axis at once.
fn multi_axis_case(seed: u64) -> bool {
    let mut rng = Rng(seed | 1);
    let op = rng.below(4);
    let acc = [None, Some(2), Some(4)][rng.below(3)];
    let ndim = 2 + rng.below(2);
    // Long enough for every stencil: 7 points at accuracy 4 (the Laplacian's ends).
    let shape: Vec<usize> = (0..ndim).map(|_| 7 + rng.below(7)).collect();
    let h = [1.0, 0.5, 0.3][rng.below(3)];
    let len: usize = shape.iter().product();
    let fields: Vec<Array<f64>> = (0..ndim)
        .map(|_| Array::from_shape_vec(&shape[..], data(&mut rng, len)).unwrap())
        .collect();
    // C order, or the same values in Fortran order.
    let fortran: Vec<Array<f64>> = fields.iter().map(|f| f.t().to_owned()).collect();
    let views: Vec<ArrayView<'_, f64>> = if rng.below(2) == 0 {
        fields.iter().map(|f| f.view()).collect()
    } else {
        fortran.iter().map(|f| f.t()).collect()
    };
    let cuts: Vec<Vec<(usize, usize)>> = shape.iter().map(|&n| cuts(&mut rng, n)).collect();
    let f = &views[0];
    let k = acc.unwrap_or(2);
    match op {
        0 => {
            let reach = match acc {
                Some(k) => f.gradient().accuracy(k).reach(),
                None => f.gradient().reach(),
            };
            grid_blocks_match(&views[..1], &cuts, reach, |fs, halos| {
                let g = fs[0].gradient().spacing(h).halos(halos);
                match acc {
                    Some(k) => g.accuracy(k).compute(),
                    None => g.compute(),
                }
            })
        }
        1 => {
            let reach = f.laplacian().accuracy(k).reach();
            grid_blocks_match(&views[..1], &cuts, reach, |fs, halos| {
                let l = fs[0].laplacian().spacing(h).accuracy(k).halos(halos);
                l.compute().map(|o| vec![o])
            })
        }
        2 => {
            let reach = divergence(&views).accuracy(k).reach();
            grid_blocks_match(&views, &cuts, reach, |fs, halos| {
                let d = divergence(fs).spacing(h).accuracy(k).halos(halos);
                d.compute().map(|o| vec![o])
            })
        }
        _ => {
            let reach = curl(&views).accuracy(k).reach();
            grid_blocks_match(&views, &cuts, reach, |fs, halos| {
                curl(fs).spacing(h).accuracy(k).halos(halos).compute()
            })
        }
    }
}

quickcheck! {
    fn prop_multi_axis_blocks(seed: u64) -> bool {
        multi_axis_case(seed)
    }
}
