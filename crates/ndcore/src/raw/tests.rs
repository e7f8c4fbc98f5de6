//! Randomised checks of every path that dereferences a pointer (iterators, lanes, the
//! three walks, element access, splits) on random strided layouts: negative and gapped
//! strides, offsets, empty and 0-d views. Each read is compared with the element the
//! strides define; each write must land on exactly the view's own buffer positions.
//! Small enough to run under Miri, where it is the main check of `raw`'s `unsafe`.

use quickcheck::{Arbitrary, Gen, QuickCheck};

use crate::prelude::*;

/// A non-overlapping layout over a buffer: shape, strides, offset of `[0, ..]`.
#[derive(Clone, Debug)]
struct Layout {
    shape: Vec<usize>,
    strides: Vec<isize>,
    offset: usize,
    len: usize,
}

fn pick(g: &mut Gen, n: usize) -> usize {
    usize::arbitrary(g) % n
}

impl Arbitrary for Layout {
    fn arbitrary(g: &mut Gen) -> Self {
        let ndim = pick(g, 4);
        let shape: Vec<usize> = (0..ndim).map(|_| pick(g, 4)).collect();
        // Axes in a random memory order, each stepping past the faster ones, maybe
        // with a gap, maybe backwards.
        let mut order: Vec<usize> = (0..ndim).collect();
        for i in (1..ndim).rev() {
            order.swap(i, pick(g, i + 1));
        }
        let mut strides = vec![0isize; ndim];
        let mut reach = 0isize;
        for &a in order.iter().rev() {
            let s = reach + 1 + pick(g, 2) as isize;
            strides[a] = if bool::arbitrary(g) { -s } else { s };
            reach += (shape[a].max(1) as isize - 1) * s;
        }
        let empty = shape.contains(&0);
        let (mut lo, mut hi) = (0isize, 0isize);
        for (&n, &s) in shape.iter().zip(&strides) {
            let r = if empty { 0 } else { (n as isize - 1) * s };
            if r < 0 {
                lo += r;
            } else {
                hi += r;
            }
        }
        let offset = (-lo) as usize + pick(g, 2);
        let len = offset + if empty { 0 } else { hi as usize + 1 } + pick(g, 2);
        Layout {
            shape,
            strides,
            offset,
            len,
        }
    }
}

impl Layout {
    fn indices(&self) -> Vec<Vec<usize>> {
        let n: usize = self.shape.iter().product();
        let mut ix = vec![0; self.shape.len()];
        let mut out = Vec::new();
        for k in 0..n {
            if k > 0 {
                for ax in (0..ix.len()).rev() {
                    ix[ax] += 1;
                    if ix[ax] < self.shape[ax] {
                        break;
                    }
                    ix[ax] = 0;
                }
            }
            out.push(ix.clone());
        }
        out
    }

    /// The buffer position of `ix`, by the definition of strides.
    fn pos(&self, ix: &[usize]) -> usize {
        let off: isize = ix
            .iter()
            .zip(&self.strides)
            .map(|(&i, &s)| i as isize * s)
            .sum();
        (self.offset as isize + off) as usize
    }
}

/// `QUICKCHECK_TESTS` when set (a longer Miri run), else 300, or 12 under Miri.
fn cases() -> u64 {
    let default = if cfg!(miri) { 12 } else { 300 };
    std::env::var("QUICKCHECK_TESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn reads(l: Layout) {
    let buf: Vec<i32> = (0..l.len as i32).collect();
    let v =
        ArrayView::from_slice_with_strides(&buf, l.shape.clone(), &l.strides, l.offset).unwrap();
    let idx = l.indices();
    let want: Vec<i32> = idx.iter().map(|ix| buf[l.pos(ix)]).collect();
    for (ix, w) in idx.iter().zip(&want) {
        assert_eq!(v.get(ix), Some(w));
    }
    let mut by_next = Vec::new();
    let mut it = v.iter();
    if let Some(&x) = it.next() {
        by_next.push(x);
    }
    it.fold((), |(), &x| by_next.push(x));
    assert_eq!(by_next, want);
    assert_eq!(v.iter().copied().collect::<Vec<_>>(), want);
    if let Some(s) = v.as_slice() {
        assert_eq!(s, &want[..]);
    }
    for a in 0..l.shape.len() {
        let mut seen = 0;
        for lane in v.lanes(a).unwrap() {
            let fwd: Vec<i32> = lane.iter().copied().collect();
            let mut back: Vec<i32> = lane.iter().rev().copied().collect();
            back.reverse();
            assert_eq!(fwd, back);
            assert_eq!(lane.to_view().to_vec(), fwd);
            if let Some(s) = lane.as_slice() {
                assert_eq!(s, &fwd[..]);
            }
            seen += fwd.len();
        }
        assert_eq!(seen, want.len());
        let (x, y) = v.split_at(a, l.shape[a] / 2).unwrap();
        assert_eq!(x.len() + y.len(), want.len());
        assert_eq!(
            v.axis_iter(a).unwrap().map(|s| s.len()).sum::<usize>(),
            want.len()
        );
    }
}

/// Runs `write` on a fresh mutable view of `l` and checks the buffer: positions of
/// the view hold `expect(k)` for the k-th element in C order, all others are intact.
fn check_write(
    l: &Layout,
    write: impl FnOnce(ArrayViewMut<'_, i32>),
    expect: impl Fn(usize, &[usize]) -> i32,
) {
    let before: Vec<i32> = (0..l.len as i32).map(|x| -x - 1).collect();
    let mut buf = before.clone();
    let v = ArrayViewMut::from_slice_with_strides(&mut buf, l.shape.clone(), &l.strides, l.offset)
        .unwrap();
    write(v);
    let mut want = before;
    for (k, ix) in l.indices().iter().enumerate() {
        want[l.pos(ix)] = expect(k, ix);
    }
    assert_eq!(buf, want);
}

fn writes(l: Layout) {
    let n = l.indices().len();
    check_write(
        &l,
        |mut v| v.iter_mut().enumerate().for_each(|(k, x)| *x = k as i32),
        |k, _| k as i32,
    );
    check_write(
        &l,
        |mut v| {
            let mut it = v.iter_mut();
            let mut k = 0;
            // `next` on purpose: `for` would go through the `fold` override.
            #[allow(clippy::while_let_on_iterator)]
            while let Some(x) = it.next() {
                *x = k;
                k += 1;
            }
        },
        |k, _| k as i32,
    );
    check_write(&l, |mut v| v.fill(7), |_, _| 7);
    check_write(
        &l,
        |mut v| {
            let s: Vec<i32> = (0..n as i32).collect();
            let src = Array::from_shape_vec(l.shape.clone(), s).unwrap();
            v.assign(&src.t().t()).unwrap();
        },
        |k, _| k as i32,
    );
    check_write(
        &l,
        |mut v| {
            for (k, ix) in l.indices().iter().enumerate() {
                *v.get_mut(ix).unwrap() = 100 + k as i32;
            }
        },
        |k, _| 100 + k as i32,
    );
    check_write(
        &l,
        |mut v| {
            if let Some(s) = v.as_slice_mut() {
                s.fill(3);
            } else {
                v.fill(3);
            }
        },
        |_, _| 3,
    );
    for a in 0..l.shape.len() {
        let other: Vec<usize> = l
            .shape
            .iter()
            .enumerate()
            .filter(|&(b, _)| b != a)
            .map(|(_, &m)| m)
            .collect();
        // The j-th lane along `a` in C order of the other axes.
        let lane_no = move |ix: &[usize]| {
            ix.iter()
                .enumerate()
                .filter(|&(b, _)| b != a)
                .zip(&other)
                .fold(0, |acc, ((_, &i), &m)| acc * m + i)
        };
        let value = move |j: usize, i: usize| (1000 * j + i) as i32;
        for variant in 0..3 {
            check_write(
                &l,
                |mut v| {
                    for (j, mut lane) in v.lanes_mut(a).unwrap().enumerate() {
                        match variant {
                            0 => (0..lane.len()).for_each(|i| lane[i] = value(j, i)),
                            1 => lane
                                .iter_mut()
                                .enumerate()
                                .for_each(|(i, x)| *x = value(j, i)),
                            _ => match lane.as_mut_slice() {
                                Some(s) => {
                                    s.iter_mut().enumerate().for_each(|(i, x)| *x = value(j, i))
                                }
                                None => lane
                                    .view_mut()
                                    .iter_mut()
                                    .enumerate()
                                    .for_each(|(i, x)| *x = value(j, i)),
                            },
                        }
                    }
                },
                |_, ix| value(lane_no(ix), ix[a]),
            );
        }
        // An input one longer along `a`, reversed.
        let mut in_shape = l.shape.clone();
        in_shape[a] += 1;
        let src = Array::from_shape_fn(in_shape, |ix| 10 * ix[a] as i32);
        let input = src.invert_axis(a).unwrap();
        // zip_lanes with that input: y[i] = x[i + 1].
        check_write(
            &l,
            |mut v| {
                zip_lanes(&mut v, [&input], a, |mut y, [x]| {
                    for i in 0..y.len() {
                        y[i] = x[i + 1];
                    }
                })
                .unwrap();
            },
            |_, ix| 10 * (l.shape[a] - 1 - ix[a]) as i32,
        );
        // zip_planes with the same input: plane i of the output from plane i + 1 of the input,
        // then a running sum down the axis through `split`.
        check_write(
            &l,
            |mut v| {
                zip_planes(&mut v, [&input], a, |i, out, [x]| {
                    assert_eq!((out.len(), x.len()), (l.shape[a], l.shape[a] + 1));
                    let xi = x.plane(i + 1);
                    if i == 0 {
                        let mut o = out.plane_mut(0);
                        for k in 0..o.len() {
                            o[k] = xi[k];
                        }
                    } else {
                        let (prev, mut o) = out.split(i - 1, i);
                        assert_eq!((prev.len(), xi.len()), (o.len(), o.len()));
                        for k in 0..o.len() {
                            o[k] = prev[k] + xi[k];
                        }
                    }
                })
                .unwrap();
            },
            // Input plane j (reversed) holds 10 * (len - j); the output is the running
            // sum of input planes 1..=i + 1.
            |_, ix| (1..=ix[a] + 1).map(|j| 10 * (l.shape[a] - j) as i32).sum(),
        );
        check_write(
            &l,
            |mut v| {
                let mid = l.shape[a] / 2;
                let (mut x, mut y) = v.split_at_mut(a, mid).unwrap();
                x.fill(1);
                y.fill(2);
            },
            |_, ix| if ix[a] < l.shape[a] / 2 { 1 } else { 2 },
        );
        check_write(
            &l,
            |mut v| {
                for (i, mut sub) in v.axis_iter_mut(a).unwrap().enumerate() {
                    sub.fill(i as i32);
                }
            },
            |_, ix| ix[a] as i32,
        );
    }
    // zip_runs with one input in the transposed layout, by index and through
    // `zip_with` beside a C-order input (so runs mix strided and contiguous lanes).
    let rev: Vec<usize> = l.shape.iter().rev().copied().collect();
    let src = Array::from_shape_fn(rev, |ix| ix.iter().fold(0, |a, &i| 10 * a + i as i32));
    let t = src.t();
    let number = |ix: &[usize]| ix.iter().rev().fold(0, |a, &i| 10 * a + i as i32);
    check_write(
        &l,
        |mut v| {
            zip_runs(&mut v, [&t], |mut o, [x]| {
                for i in 0..o.len() {
                    o[i] = x[i] + 1;
                }
            })
            .unwrap();
        },
        |_, ix| number(ix) + 1,
    );
    let c = Array::from_shape_fn(l.shape.clone(), |ix| 1000 * ix.len() as i32);
    check_write(
        &l,
        |mut v| {
            zip_runs(&mut v, [&t, &c.view()], |mut o, xs| {
                o.zip_with(xs, |o, [x, y]| *o = x + y);
            })
            .unwrap();
        },
        |_, ix| number(ix) + 1000 * ix.len() as i32,
    );
}

#[test]
fn reads_match_strides() {
    QuickCheck::new()
        .tests(cases())
        .quickcheck(reads as fn(Layout));
}

#[test]
fn writes_land_on_own_elements() {
    QuickCheck::new()
        .tests(cases())
        .quickcheck(writes as fn(Layout));
}

#[test]
fn zip_planes_with_many_inner_runs() {
    // A C-order input and a transposed output: along axis 0 the other axes break into
    // nine runs of three (more than are listed on the stack), so the walk steps them
    // plane by plane.
    let x = Array::from_shape_fn([4, 3, 3, 3], |ix| {
        ix.iter().fold(0, |a, &i| 10 * a + i as i32)
    });
    let mut buf = Array::<i32>::zeros([3, 3, 3, 3]);
    let mut y = buf.permuted_axes_mut(&[3, 2, 1, 0]).unwrap();
    let mut calls = 0;
    zip_planes(&mut y, [&x.view()], 0, |i, out, [x]| {
        let (lo, hi, mut o) = (x.plane(i), x.plane(i + 1), out.plane_mut(i));
        for k in 0..o.len() {
            o[k] = hi[k] - lo[k];
        }
        calls += 1;
    })
    .unwrap();
    assert_eq!(calls, 3 * 9);
    assert!(buf.iter().all(|&d| d == 1000));
}

#[test]
fn walks_with_several_inputs_of_different_layouts() {
    // Two inputs, one C order and one a transposed copy that is longer along axis 0;
    // the output reversed along axis 1. Both walks read both inputs at every element.
    let a = Array::from_shape_fn([4, 3], |ix| (10 * ix[0] + ix[1]) as i32);
    let bt = Array::from_shape_fn([3, 5], |ix| (100 * ix[1] + ix[0]) as i32);
    let b = bt.t(); // b[i, j] = 100 i + j, shape [5, 3]
    let want = Array::from_shape_fn([4, 3], |ix| a[[ix[0], ix[1]]] + b[[ix[0] + 1, ix[1]]]);
    let mut buf = Array::<i32>::zeros([4, 3]);
    zip_planes(
        &mut buf.invert_axis_mut(1).unwrap(),
        [&a.view(), &b],
        0,
        |i, out, [x, z]| {
            out.plane_mut(i)
                .zip_with([x.plane(i), z.plane(i + 1)], |o, [x, z]| *o = x + z);
        },
    )
    .unwrap();
    assert_eq!(buf.invert_axis(1).unwrap(), want);
    let mut buf = Array::<i32>::zeros([4, 3]);
    let z = b.slice(s![1.., ..]).unwrap();
    zip_lanes(
        &mut buf.invert_axis_mut(1).unwrap(),
        [&a.view(), &z],
        1,
        |y, xs| {
            contiguous_or_strided(y, xs, |mut y, [x, z]| {
                for i in 0..y.len() {
                    y[i] = x[i] + z[i];
                }
            })
        },
    )
    .unwrap();
    assert_eq!(buf.invert_axis(1).unwrap(), want);
}

#[test]
fn empty_and_zero_d_views() {
    // An empty view at the end of a buffer (dangling-adjacent pointer).
    let mut data = [1, 2, 3];
    let mut v = ArrayViewMut::from_slice_with_strides(&mut data, [2, 0], &[-1, 1], 3).unwrap();
    v.fill(0);
    assert_eq!(v.lanes_mut(0).unwrap().count(), 0);
    assert_eq!(v.lanes_mut(1).unwrap().map(|l| l.len()).sum::<usize>(), 0);
    let e: [f64; 0] = [];
    let w = ArrayView::from_slice(&e, [0]).unwrap();
    assert_eq!(w.as_slice(), Some(&[][..]));
    assert_eq!(
        w.lanes(0).unwrap().next().unwrap().as_slice(),
        Some(&[][..])
    );
    assert_eq!(data, [1, 2, 3]);
    // 0-d: one element, no axes.
    let mut s = Array::scalar(4);
    s.map_inplace(|x| *x += 1);
    let none: [&ArrayView<'_, i32>; 0] = [];
    zip_runs(&mut s.view_mut(), none, |mut o, []| o[0] *= 2).unwrap();
    assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![10]);
}

/// `fill_streaming` writes every element of every length at every offset from a cache
/// line, exactly once with `f` of the matching inputs, for element sizes that divide a
/// line (streamed whole lines plus ordinary ends) and one that does not (all ordinary);
/// and so does a `streaming` scope filling the slice in two parts.
#[test]
fn fill_streaming_writes_each_element() {
    fn check<T: bytemuck::NoUninit + PartialEq + std::fmt::Debug>(make: impl Fn(usize) -> T) {
        let src: Vec<T> = (0..200).map(&make).collect();
        for len in [0, 1, 7, 8, 9, 33, 64, 100, 150] {
            for off in 0..9 {
                let mut buf: Vec<T> = (0..len + 20).map(|i| make(1000 + i)).collect();
                let want: Vec<T> = buf.clone();
                let y = &mut buf[off..off + len];
                crate::fill_streaming(
                    y,
                    &src[..len],
                    &src[1..=len],
                    |a, b| if a == b { a } else { b },
                );
                // The same again in one scope, in two parts with one fence.
                let mut again = buf.clone();
                let (head, tail) = again[off..off + len].split_at_mut(len / 3);
                crate::streaming(|s| {
                    let pick = |a: T, b: T| if a == b { a } else { b };
                    s.fill(tail, &src[len / 3..len], &src[len / 3 + 1..=len], pick);
                    s.fill(head, &src[..len / 3], &src[1..=len / 3], pick);
                });
                assert_eq!(again, buf, "len {len}, offset {off}, in one scope");
                for (i, v) in buf.iter().enumerate() {
                    let inside = (off..off + len).contains(&i);
                    let expect = if inside { &src[i - off + 1] } else { &want[i] };
                    assert_eq!(v, expect, "len {len}, offset {off}, element {i}");
                }
            }
        }
    }
    check(|i| i as f64 * 0.5);
    check(|i| i as f32);
    check(|i| [i as f64, -(i as f64)]);
    check(|i| [i as u8, (i / 3) as u8, 7]);
}

/// `Streams::fill_by` asks for every element of every length at every offset from a
/// cache line exactly once, in order, in pieces that after the first start on a line
/// when the element size divides one, and writes what the pieces hold.
#[test]
fn fill_by_writes_each_piece_once() {
    fn check<T: bytemuck::NoUninit + bytemuck::Zeroable + PartialEq + std::fmt::Debug>(
        make: impl Fn(usize) -> T,
    ) {
        let size = std::mem::size_of::<T>();
        for len in [0, 1, 7, 8, 9, 100, 300, 700] {
            for off in 0..9 {
                let mut buf: Vec<T> = (0..len + 20).map(|i| make(5000 + i)).collect();
                let want = buf.clone();
                let y = &mut buf[off..off + len];
                let base = y.as_ptr().addr();
                let mut next = 0;
                crate::streaming(|s| {
                    s.fill_by(y, 128, |r, piece| {
                        assert_eq!(
                            (r.start, piece.len()),
                            (next, r.len()),
                            "len {len}, offset {off}"
                        );
                        if r.start > 0 && 64 % size == 0 {
                            assert_eq!((base + r.start * size) % 64, 0, "len {len}, offset {off}");
                        }
                        for (p, i) in piece.iter_mut().zip(r.clone()) {
                            *p = make(i);
                        }
                        next = r.end;
                    })
                });
                assert_eq!(next, len, "len {len}, offset {off}");
                for (i, v) in buf.iter().enumerate() {
                    let expect = if (off..off + len).contains(&i) {
                        make(i - off)
                    } else {
                        want[i]
                    };
                    assert_eq!(v, &expect, "len {len}, offset {off}, element {i}");
                }
            }
        }
    }
    check(|i| i as f64 * 0.5);
    check(|i| i as f32);
    check(|i| [i as u8, (i / 3) as u8, 7]);
}
