//! ndcore, tested from the outside.
//!
//! The heart of this file is a *model*: for a view built by a random chain of layout
//! operations over a buffer, the model knows, for every logical index, which buffer
//! position the element must come from, computed by explicit index arithmetic (Python's
//! slice rules, permutation, reversal, ...) and never from the library's strides. Every
//! read method is checked against it; every write method is checked to change exactly
//! the model's positions and nothing else in the buffer.
//!
//! Case counts follow `QUICKCHECK_TESTS` when set.

use std::cell::Cell;
use std::marker::PhantomData;
use std::rc::Rc;

use ndcalc::ndcore;
use ndcore::prelude::*;
use ndcore::{Error, Iter, IterMut, LaneIter, Lanes, LanesMut, SliceArg};
use quickcheck::{Arbitrary, Gen, QuickCheck};

// ---------------------------------------------------------------------------------------
// Helpers: random numbers, indices, the model.
// ---------------------------------------------------------------------------------------

/// Runs `f`; if it panics, panics again with `case` in the message (quickcheck 1.1 only
/// prints the arguments of a failure that shrinking reproduced).
fn report<C: std::fmt::Debug>(case: &C, f: impl FnOnce()) {
    if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{msg}\nfailing case: {case:#?}");
    }
}

fn qc(default: u64) -> QuickCheck {
    let n = std::env::var("QUICKCHECK_TESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    QuickCheck::new().tests(n).max_tests(n * 10)
}

/// A uniform number in `0..n` (`n > 0`).
fn pick(g: &mut Gen, n: usize) -> usize {
    usize::arbitrary(g) % n
}

/// A uniform number in `lo..=hi`.
fn pick_in(g: &mut Gen, lo: isize, hi: isize) -> isize {
    lo + pick(g, (hi - lo + 1) as usize) as isize
}

fn chance(g: &mut Gen, percent: usize) -> bool {
    pick(g, 100) < percent
}

/// Every index of `shape` in row-major (C) order; none for an empty shape, one (`[]`)
/// for a 0-d shape.
fn all_indices(shape: &[usize]) -> Vec<Vec<usize>> {
    let n: usize = shape.iter().product();
    let mut out = Vec::with_capacity(n);
    let mut ix = vec![0; shape.len()];
    for k in 0..n {
        if k > 0 {
            for ax in (0..shape.len()).rev() {
                ix[ax] += 1;
                if ix[ax] < shape[ax] {
                    break;
                }
                ix[ax] = 0;
            }
        }
        out.push(ix.clone());
    }
    out
}

/// The row-major position of `ix` in `shape`.
fn ravel(shape: &[usize], ix: &[usize]) -> usize {
    assert_eq!(shape.len(), ix.len());
    ix.iter().zip(shape).fold(0, |acc, (&i, &n)| {
        assert!(i < n);
        acc * n + i
    })
}

fn with_inserted(ix: &[usize], axis: usize, value: usize) -> Vec<usize> {
    let mut v = ix.to_vec();
    v.insert(axis, value);
    v
}

fn with_removed(ix: &[usize], axis: usize) -> Vec<usize> {
    let mut v = ix.to_vec();
    v.remove(axis);
    v
}

/// The value stored at buffer position `p`: distinct for distinct positions.
fn val(p: usize) -> i64 {
    1000 + 3 * p as i64
}

/// CPython's `PySlice_Unpack` followed by `PySlice_AdjustIndices` (Objects/sliceobject.c),
/// transcribed: the indices `x[start:stop:step]` selects from a sequence of length `len`.
/// numpy's basic slicing uses exactly this.
fn py_slice_indices(
    len: usize,
    start: Option<isize>,
    stop: Option<isize>,
    step: isize,
) -> Vec<usize> {
    assert!(step != 0);
    // PySlice_Unpack: a step of -PY_SSIZE_T_MAX-1 becomes -PY_SSIZE_T_MAX so `-step`
    // cannot overflow; missing bounds become the extremes.
    let step = if step < -isize::MAX {
        -isize::MAX
    } else {
        step
    };
    let mut start = start.unwrap_or(if step < 0 { isize::MAX } else { 0 });
    let mut stop = stop.unwrap_or(if step < 0 { isize::MIN } else { isize::MAX });
    // PySlice_AdjustIndices.
    let length = len as isize;
    if start < 0 {
        start += length;
        if start < 0 {
            start = if step < 0 { -1 } else { 0 };
        }
    } else if start >= length {
        start = if step < 0 { length - 1 } else { length };
    }
    if stop < 0 {
        stop += length;
        if stop < 0 {
            stop = if step < 0 { -1 } else { 0 };
        }
    } else if stop >= length {
        stop = if step < 0 { length - 1 } else { length };
    }
    let count = if step < 0 {
        if stop < start {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    (0..count)
        .map(|k| (start as i128 + k as i128 * step as i128) as usize)
        .collect()
}

/// numpy's broadcasting of two shapes, written out: align at the end, equal or 1.
fn naive_broadcast(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let get = |s: &[usize], k: usize| {
        let lead = n - s.len();
        if k < lead {
            1
        } else {
            s[k - lead]
        }
    };
    (0..n)
        .map(|k| match (get(a, k), get(b, k)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// The index of a broadcast operand of shape `shape` read at index `j` of the result.
fn broadcast_source(shape: &[usize], j: &[usize]) -> Vec<usize> {
    let lead = j.len() - shape.len();
    shape
        .iter()
        .enumerate()
        .map(|(k, &n)| if n == 1 { 0 } else { j[lead + k] })
        .collect()
}

/// For every logical index of a view (row-major), the buffer position of its element.
#[derive(Clone, Debug)]
struct Model {
    shape: Vec<usize>,
    pos: Vec<usize>,
}

impl Model {
    fn from_fn(shape: Vec<usize>, mut f: impl FnMut(&[usize]) -> usize) -> Model {
        let pos = all_indices(&shape).iter().map(|ix| f(ix)).collect();
        Model { shape, pos }
    }

    fn at(&self, ix: &[usize]) -> usize {
        self.pos[ravel(&self.shape, ix)]
    }

    fn values(&self) -> Vec<i64> {
        self.pos.iter().map(|&p| val(p)).collect()
    }

    /// The model after `op`, by index arithmetic alone.
    fn apply(&self, op: &Op) -> Model {
        let sh = &self.shape;
        match op {
            Op::Slice(args) => {
                // Each output axis is either a new axis or (source axis, chosen indices);
                // single indices pin a source axis.
                let mut out: Vec<Option<(usize, Vec<usize>)>> = Vec::new();
                let mut pinned: Vec<(usize, usize)> = Vec::new();
                let mut axis = 0;
                for arg in args {
                    match *arg {
                        SliceArg::NewAxis => out.push(None),
                        SliceArg::Index(i) => {
                            let n = sh[axis] as isize;
                            let j = if i < 0 { i + n } else { i };
                            assert!((0..n).contains(&j));
                            pinned.push((axis, j as usize));
                            axis += 1;
                        }
                        SliceArg::Slice(s) => {
                            out.push(Some((
                                axis,
                                py_slice_indices(sh[axis], s.start, s.end, s.step),
                            )));
                            axis += 1;
                        }
                    }
                }
                for (a, &n) in sh.iter().enumerate().skip(axis) {
                    out.push(Some((a, (0..n).collect())));
                }
                let shape = out
                    .iter()
                    .map(|o| o.as_ref().map_or(1, |(_, list)| list.len()))
                    .collect();
                Model::from_fn(shape, |j| {
                    let mut src = vec![0; sh.len()];
                    for &(a, i) in &pinned {
                        src[a] = i;
                    }
                    for (k, o) in out.iter().enumerate() {
                        if let Some((a, list)) = o {
                            src[*a] = list[j[k]];
                        }
                    }
                    self.at(&src)
                })
            }
            Op::SliceAxis(a, s) => {
                let list = py_slice_indices(sh[*a], s.start, s.end, s.step);
                let mut shape = sh.clone();
                shape[*a] = list.len();
                Model::from_fn(shape, |j| {
                    let mut src = j.to_vec();
                    src[*a] = list[j[*a]];
                    self.at(&src)
                })
            }
            Op::Permute(axes) => {
                let shape = axes.iter().map(|&a| sh[a]).collect();
                Model::from_fn(shape, |j| {
                    let mut src = vec![0; sh.len()];
                    for (k, &a) in axes.iter().enumerate() {
                        src[a] = j[k];
                    }
                    self.at(&src)
                })
            }
            Op::T => {
                let axes: Vec<usize> = (0..sh.len()).rev().collect();
                self.apply(&Op::Permute(axes))
            }
            Op::Invert(a) => Model::from_fn(sh.clone(), |j| {
                let mut src = j.to_vec();
                src[*a] = sh[*a] - 1 - j[*a];
                self.at(&src)
            }),
            Op::IndexAxis(a, i) => {
                Model::from_fn(with_removed(sh, *a), |j| self.at(&with_inserted(j, *a, *i)))
            }
            Op::InsertAxis(a) => {
                Model::from_fn(with_inserted(sh, *a, 1), |j| self.at(&with_removed(j, *a)))
            }
            Op::RemoveAxis(a) => {
                Model::from_fn(with_removed(sh, *a), |j| self.at(&with_inserted(j, *a, 0)))
            }
            Op::Reshape(shape) => Model {
                shape: shape.clone(),
                pos: self.pos.clone(),
            },
            Op::Split(a, i, second) => {
                let mut shape = sh.clone();
                shape[*a] = if *second { sh[*a] - i } else { *i };
                Model::from_fn(shape, |j| {
                    let mut src = j.to_vec();
                    if *second {
                        src[*a] += i;
                    }
                    self.at(&src)
                })
            }
            Op::Broadcast(target) => {
                Model::from_fn(target.clone(), |j| self.at(&broadcast_source(sh, j)))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Random layouts and random chains of layout operations.
// ---------------------------------------------------------------------------------------

/// A base view: `shape` and `strides` over a buffer of `buf_len` elements, element
/// `[0, ..]` at `offset`. `overlapping` layouts (zero or colliding strides) are read-only.
#[derive(Clone, Debug)]
struct Base {
    shape: Vec<usize>,
    strides: Vec<isize>,
    offset: usize,
    buf_len: usize,
    c_order: bool,
    overlapping: bool,
}

impl Base {
    fn gen(g: &mut Gen, allow_overlap: bool) -> Base {
        let ndim = pick(g, 5);
        let shape: Vec<usize> = (0..ndim)
            .map(|_| {
                if chance(g, 8) {
                    0
                } else {
                    *g.choose(&[1, 1, 2, 2, 3, 3, 4, 5]).unwrap()
                }
            })
            .collect();
        let kind = pick(g, if allow_overlap { 5 } else { 4 });
        if kind == 0 {
            let size = shape.iter().product();
            return Base {
                strides: c_strides(&shape),
                shape,
                offset: 0,
                buf_len: size,
                c_order: true,
                overlapping: false,
            };
        }
        let strides: Vec<isize> = if kind == 4 {
            // Anything goes for a read-only view: zero, repeated, colliding strides.
            (0..ndim).map(|_| pick_in(g, -3, 3)).collect()
        } else {
            // Non-overlapping: axes in a random memory order, each stepping past what the
            // faster ones reach (maybe with a gap), with random signs.
            let mut order: Vec<usize> = (0..ndim).collect();
            shuffle(g, &mut order);
            let mut st = vec![0isize; ndim];
            let mut reach = 0isize;
            for &a in order.iter().rev() {
                let s = reach + 1 + pick_in(g, 0, 2);
                st[a] = if chance(g, 40) { -s } else { s };
                reach += (shape[a].max(1) as isize - 1) * s;
            }
            st
        };
        let empty = shape.contains(&0);
        let (mut lo, mut hi) = (0isize, 0isize);
        if !empty {
            for (&n, &s) in shape.iter().zip(&strides) {
                let r = (n as isize - 1) * s;
                if r < 0 {
                    lo += r
                } else {
                    hi += r
                }
            }
        }
        let pad_front = pick(g, 3);
        let pad_back = pick(g, 3);
        let offset = (-lo) as usize + pad_front;
        let buf_len = if empty {
            offset + pad_back
        } else {
            offset + hi as usize + 1 + pad_back
        };
        let overlapping = kind == 4;
        Base {
            shape,
            strides,
            offset,
            buf_len,
            c_order: false,
            overlapping,
        }
    }

    fn buffer(&self) -> Vec<i64> {
        (0..self.buf_len).map(val).collect()
    }

    /// The element of index `ix`, by the definition of strides.
    fn model(&self) -> Model {
        Model::from_fn(self.shape.clone(), |ix| {
            let off: isize = ix
                .iter()
                .zip(&self.strides)
                .map(|(&i, &s)| i as isize * s)
                .sum();
            (self.offset as isize + off) as usize
        })
    }

    fn view<'a>(&self, buf: &'a [i64]) -> ArrayView<'a, i64> {
        if self.c_order {
            ArrayView::from_slice(buf, self.shape.clone()).unwrap()
        } else {
            ArrayView::from_slice_with_strides(buf, self.shape.clone(), &self.strides, self.offset)
                .unwrap()
        }
    }

    fn view_mut<'a>(&self, buf: &'a mut [i64]) -> ArrayViewMut<'a, i64> {
        assert!(!self.overlapping);
        if self.c_order {
            ArrayViewMut::from_slice(buf, self.shape.clone()).unwrap()
        } else {
            ArrayViewMut::from_slice_with_strides(
                buf,
                self.shape.clone(),
                &self.strides,
                self.offset,
            )
            .unwrap()
        }
    }
}

fn c_strides(shape: &[usize]) -> Vec<isize> {
    let mut st = vec![0isize; shape.len()];
    let mut step = 1isize;
    for k in (0..shape.len()).rev() {
        st[k] = step;
        step *= shape[k].max(1) as isize;
    }
    st
}

fn shuffle<T>(g: &mut Gen, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = pick(g, i + 1);
        v.swap(i, j);
    }
}

/// One layout operation.
#[derive(Clone, Debug)]
enum Op {
    Slice(Vec<SliceArg>),
    SliceAxis(usize, Slice),
    Permute(Vec<usize>),
    T,
    Invert(usize),
    IndexAxis(usize, usize),
    InsertAxis(usize),
    RemoveAxis(usize),
    Reshape(Vec<usize>),
    Split(usize, usize, bool),
    Broadcast(Vec<usize>),
}

fn gen_bound(g: &mut Gen, n: usize) -> Option<isize> {
    if chance(g, 30) {
        None
    } else {
        let m = n as isize + 3;
        Some(pick_in(g, -m, m))
    }
}

fn gen_slice(g: &mut Gen, n: usize) -> Slice {
    let step = *g.choose(&[1, 1, 1, 2, 3, -1, -1, -2, -3, 5, -7]).unwrap();
    Slice::new(gen_bound(g, n), gen_bound(g, n), step)
}

/// A random factorisation of `size` into up to four axes (with some length-1 axes).
fn gen_reshape(g: &mut Gen, size: usize) -> Vec<usize> {
    if size == 0 {
        let ndim = 1 + pick(g, 3);
        let mut s: Vec<usize> = (0..ndim).map(|_| pick(g, 4)).collect();
        let z = pick(g, ndim);
        s[z] = 0;
        return s;
    }
    let ndim = if size == 1 {
        pick(g, 4)
    } else {
        1 + pick(g, 4)
    };
    let mut rest = size;
    let mut s = Vec::new();
    for _ in 1..ndim {
        let divisors: Vec<usize> = (1..=rest).filter(|d| rest.is_multiple_of(*d)).collect();
        let d = *g.choose(&divisors).unwrap();
        s.push(d);
        rest /= d;
    }
    if ndim > 0 {
        s.push(rest);
    }
    shuffle(g, &mut s);
    s
}

/// A random operation valid for `shape` (mutable views lack `t`, `remove_axis` and
/// `broadcast`).
fn gen_op(g: &mut Gen, shape: &[usize], mutable: bool) -> Op {
    let ndim = shape.len();
    loop {
        match pick(g, 11) {
            0 | 1 => {
                let mut args = Vec::new();
                let used = pick(g, ndim + 1);
                let mut new_axes = 0;
                for &n in &shape[..used] {
                    if ndim + new_axes < 6 && chance(g, 10) {
                        args.push(SliceArg::NewAxis);
                        new_axes += 1;
                    }
                    if n > 0 && chance(g, 20) {
                        let i = pick(g, n) as isize;
                        args.push(SliceArg::Index(if chance(g, 50) {
                            i - n as isize
                        } else {
                            i
                        }));
                    } else {
                        args.push(SliceArg::Slice(gen_slice(g, n)));
                    }
                }
                if ndim + new_axes < 6 && chance(g, 10) {
                    args.push(SliceArg::NewAxis);
                }
                return Op::Slice(args);
            }
            2 if ndim > 0 => {
                let a = pick(g, ndim);
                return Op::SliceAxis(a, gen_slice(g, shape[a]));
            }
            3 => {
                let mut axes: Vec<usize> = (0..ndim).collect();
                shuffle(g, &mut axes);
                return Op::Permute(axes);
            }
            4 if !mutable => return Op::T,
            5 if ndim > 0 => return Op::Invert(pick(g, ndim)),
            6 if ndim > 0 => {
                let a = pick(g, ndim);
                if shape[a] > 0 {
                    return Op::IndexAxis(a, pick(g, shape[a]));
                }
            }
            7 if ndim < 6 => return Op::InsertAxis(pick(g, ndim + 1)),
            8 if !mutable => {
                if let Some(a) = (0..ndim).find(|&a| shape[a] == 1) {
                    return Op::RemoveAxis(a);
                }
            }
            9 => {
                let size = shape.iter().product();
                return Op::Reshape(gen_reshape(g, size));
            }
            10 if ndim > 0 => {
                let a = pick(g, ndim);
                return Op::Split(a, pick(g, shape[a] + 1), chance(g, 50));
            }
            _ if !mutable && chance(g, 30) => {
                // Broadcast: stretch length-1 axes, maybe add leading axes.
                let mut target: Vec<usize> = shape
                    .iter()
                    .map(|&n| if n == 1 { pick(g, 4) } else { n })
                    .collect();
                for _ in 0..pick(g, 3).min(6 - ndim.min(6)) {
                    target.insert(0, pick(g, 4));
                }
                return Op::Broadcast(target);
            }
            _ => {}
        }
    }
}

/// A base layout and a chain of operations on it.
#[derive(Clone, Debug)]
struct Case {
    base: Base,
    ops: Vec<Op>,
}

fn gen_case(g: &mut Gen, mutable: bool) -> Case {
    let base = Base::gen(g, !mutable);
    let mut model = base.model();
    let mut ops = Vec::new();
    for _ in 0..pick(g, 5) {
        let op = gen_op(g, &model.shape, mutable);
        model = model.apply(&op);
        ops.push(op);
    }
    Case { base, ops }
}

#[derive(Clone, Debug)]
struct ReadCase(Case);
impl Arbitrary for ReadCase {
    fn arbitrary(g: &mut Gen) -> Self {
        ReadCase(gen_case(g, false))
    }
}

#[derive(Clone, Debug)]
struct MutCase(Case);
impl Arbitrary for MutCase {
    fn arbitrary(g: &mut Gen) -> Self {
        MutCase(gen_case(g, true))
    }
}

/// Whether two shapes differ only in length-1 axes (a reshape that must never fail).
fn same_but_ones(a: &[usize], b: &[usize]) -> bool {
    let f = |s: &[usize]| s.iter().copied().filter(|&n| n != 1).collect::<Vec<_>>();
    f(a) == f(b)
}

/// Applies `ops` to `v` (checking the model agrees at every step), then calls `at_end`.
fn run_ops(
    v: ArrayView<'_, i64>,
    model: Model,
    ops: &[Op],
    at_end: &mut dyn FnMut(&ArrayView<'_, i64>, &Model),
) {
    assert_eq!(v.shape(), &model.shape[..], "shape after ops");
    let Some((op, rest)) = ops.split_first() else {
        at_end(&v, &model);
        return;
    };
    let w = match op {
        Op::Slice(args) => v.slice(args).unwrap(),
        Op::SliceAxis(a, s) => v.slice_axis(*a, *s).unwrap(),
        Op::Permute(axes) => v.permuted_axes(axes).unwrap(),
        Op::T => v.t(),
        Op::Invert(a) => v.invert_axis(*a).unwrap(),
        Op::IndexAxis(a, i) => v.index_axis(*a, *i).unwrap(),
        Op::InsertAxis(a) => v.insert_axis(*a).unwrap(),
        Op::RemoveAxis(a) => v.remove_axis(*a).unwrap(),
        Op::Reshape(shape) => match v.reshape(shape.clone()) {
            Ok(w) => w,
            Err(Error::ReshapeLayout { .. }) => {
                assert!(
                    !v.is_standard_layout() && !same_but_ones(v.shape(), shape),
                    "reshape of {:?} (strides {:?}) to {shape:?} must not fail",
                    v.shape(),
                    v.strides()
                );
                // The rest of the chain was generated for the reshaped shape: stop here.
                at_end(&v, &model);
                return;
            }
            Err(e) => panic!("unexpected reshape error {e}"),
        },
        Op::Split(a, i, second) => {
            let (l, r) = v.split_at(*a, *i).unwrap();
            if *second {
                r
            } else {
                l
            }
        }
        Op::Broadcast(target) => v.broadcast(target.clone()).unwrap(),
    };
    run_ops(w, model.apply(op), rest, at_end)
}

/// The mutable counterpart of [`run_ops`]; `at_end` receives the final mutable view.
fn run_ops_mut(
    mut v: ArrayViewMut<'_, i64>,
    model: Model,
    ops: &[Op],
    at_end: &mut dyn FnMut(ArrayViewMut<'_, i64>, &Model),
) {
    assert_eq!(v.shape(), &model.shape[..], "shape after ops");
    let Some((op, rest)) = ops.split_first() else {
        at_end(v, &model);
        return;
    };
    let w = match op {
        Op::Slice(args) => v.slice_mut(args).unwrap(),
        Op::SliceAxis(a, s) => v.slice_axis_mut(*a, *s).unwrap(),
        Op::Permute(axes) => v.permuted_axes_mut(axes).unwrap(),
        Op::Invert(a) => v.invert_axis_mut(*a).unwrap(),
        Op::IndexAxis(a, i) => v.index_axis_mut(*a, *i).unwrap(),
        Op::InsertAxis(a) => v.insert_axis_mut(*a).unwrap(),
        Op::Reshape(shape) => {
            let standard = v.is_standard_layout();
            match v.reshape_mut(shape.clone()) {
                Ok(w) => w,
                Err(Error::ReshapeLayout { .. }) => {
                    assert!(!standard, "reshape of a standard layout must not fail");
                    // The rest of the chain was generated for the reshaped shape.
                    at_end(v, &model);
                    return;
                }
                Err(e) => panic!("unexpected reshape error {e}"),
            }
        }
        Op::Split(a, i, second) => {
            let (l, r) = v.split_at_mut(*a, *i).unwrap();
            if *second {
                r
            } else {
                l
            }
        }
        Op::T | Op::RemoveAxis(_) | Op::Broadcast(_) => unreachable!("read-only op"),
    };
    run_ops_mut(w, model.apply(op), rest, at_end)
}

/// `v[ix]` through the `Index<[usize; N]>` impls, for a run-time index length.
fn index_dyn<'v>(v: &'v ArrayView<'_, i64>, ix: &[usize]) -> &'v i64 {
    match *ix {
        [] => &v[[]],
        [a] => &v[[a]],
        [a, b] => &v[[a, b]],
        [a, b, c] => &v[[a, b, c]],
        [a, b, c, d] => &v[[a, b, c, d]],
        [a, b, c, d, e] => &v[[a, b, c, d, e]],
        [a, b, c, d, e, f] => &v[[a, b, c, d, e, f]],
        [a, b, c, d, e, f, h] => &v[[a, b, c, d, e, f, h]],
        _ => panic!("index too long for the test helper"),
    }
}

fn index_mut_dyn<'v>(v: &'v mut ArrayViewMut<'_, i64>, ix: &[usize]) -> &'v mut i64 {
    match *ix {
        [] => &mut v[[]],
        [a] => &mut v[[a]],
        [a, b] => &mut v[[a, b]],
        [a, b, c] => &mut v[[a, b, c]],
        [a, b, c, d] => &mut v[[a, b, c, d]],
        [a, b, c, d, e] => &mut v[[a, b, c, d, e]],
        [a, b, c, d, e, f] => &mut v[[a, b, c, d, e, f]],
        _ => panic!("index too long for the test helper"),
    }
}

// ---------------------------------------------------------------------------------------
// Property (1), (2), (3), (5): every read method of a random view against the model.
// ---------------------------------------------------------------------------------------

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

/// Every read method of `v` agrees with `model`.
fn check_read(v: &ArrayView<'_, i64>, model: &Model, distinct: bool) {
    let shape = &model.shape[..];
    let want = model.values();
    let indices = all_indices(shape);
    assert_eq!(v.shape(), shape);
    assert_eq!(v.ndim(), shape.len());
    assert_eq!(v.len(), want.len());
    assert_eq!(v.is_empty(), want.is_empty());
    if distinct {
        let mut p = model.pos.clone();
        p.sort_unstable();
        p.dedup();
        assert_eq!(
            p.len(),
            model.pos.len(),
            "model of a non-overlapping layout repeats a position"
        );
    }

    // (1) Every element equals the index arithmetic of the base.
    for (ix, &w) in indices.iter().zip(&want) {
        assert_eq!(v.get(ix), Some(&w), "get({ix:?})");
        assert_eq!(*index_dyn(v, ix), w, "v[{ix:?}]");
    }
    for a in 0..shape.len() {
        if let Some(ix) = indices.first() {
            let mut out = ix.clone();
            out[a] = shape[a];
            assert_eq!(v.get(&out), None, "get({out:?}) past the end");
        }
    }
    assert_eq!(
        v.get(&vec![0; shape.len() + 1]),
        None,
        "get with too many indices"
    );
    if !shape.is_empty() {
        assert_eq!(
            v.get(&vec![0; shape.len() - 1]),
            None,
            "get with too few indices"
        );
    }

    // Logical-order iteration, every path: to_vec, next, fold, size_hint, partial + fold.
    assert_eq!(v.to_vec(), want, "to_vec");
    let it = v.iter();
    assert_eq!(it.len(), want.len());
    let mut by_next = Vec::new();
    let mut it = v.iter();
    while let Some(&x) = it.next() {
        by_next.push(x);
        assert_eq!(it.len(), want.len() - by_next.len());
    }
    assert_eq!(by_next, want, "iter().next()");
    let by_fold = v.iter().fold(Vec::new(), |mut acc, &x| {
        acc.push(x);
        acc
    });
    assert_eq!(by_fold, want, "iter().fold()");
    for k in [0, 1, want.len() / 2, want.len().saturating_sub(1)] {
        let mut it = v.iter();
        let head: Vec<i64> = it.by_ref().take(k).copied().collect();
        let tail = it.clone().copied().collect::<Vec<_>>();
        let tail_fold = it.fold(Vec::new(), |mut acc, &x| {
            acc.push(x);
            acc
        });
        assert_eq!(
            [head.clone(), tail.clone()].concat(),
            want,
            "next then collect, k = {k}"
        );
        assert_eq!(tail, tail_fold, "next then fold, k = {k}");
    }
    assert_eq!(v.clone().into_iter().copied().collect::<Vec<_>>(), want);
    assert_eq!(v.sum(), want.iter().sum::<i64>());
    let indexed: Vec<(Vec<usize>, i64)> =
        v.indexed_iter().map(|(ix, &x)| (ix.to_vec(), x)).collect();
    let expect: Vec<(Vec<usize>, i64)> =
        indices.iter().cloned().zip(want.iter().copied()).collect();
    assert_eq!(indexed, expect, "indexed_iter");
    assert_eq!(v.indexed_iter().len(), want.len());

    // Contiguity and owned copies.
    match v.as_slice() {
        Some(s) => assert_eq!(s, &want[..]),
        None => assert!(!v.is_standard_layout()),
    }
    if v.is_standard_layout() {
        assert!(v.as_slice().is_some());
    }
    let owned = v.to_owned();
    assert!(owned.is_standard_layout());
    assert_eq!(owned.shape(), shape);
    assert_eq!(owned.as_slice().unwrap(), &want[..]);
    assert!(owned == *v, "Array == ArrayView");
    assert!(*v == owned, "ArrayView == Array");
    assert_eq!(
        v.map(|x| x * 2).to_vec(),
        want.iter().map(|x| x * 2).collect::<Vec<_>>()
    );
    assert_eq!(v.mapv(|x| x - 1).shape(), shape);
    assert_eq!(owned.clone().into_vec(), want);
    let _ = format!("{v:?}");

    // (2) Lanes along every axis visit every element exactly once, in order.
    for a in 0..shape.len() {
        let other = with_removed(shape, a);
        let others = all_indices(&other);
        let lanes: Vec<Lane<'_, i64>> = v.lanes(a).unwrap().collect();
        assert_eq!(v.lanes(a).unwrap().len(), others.len());
        assert_eq!(lanes.len(), others.len(), "number of lanes along {a}");
        let mut seen = Vec::new();
        for (oj, lane) in others.iter().zip(&lanes) {
            assert_eq!(lane.len(), shape[a]);
            assert_eq!(lane.is_empty(), shape[a] == 0);
            let expect: Vec<i64> = (0..shape[a])
                .map(|i| val(model.at(&with_inserted(oj, a, i))))
                .collect();
            let got: Vec<i64> = lane.iter().copied().collect();
            assert_eq!(got, expect, "lane {oj:?} along axis {a}");
            let rev: Vec<i64> = lane.iter().rev().copied().collect();
            assert_eq!(rev, expect.iter().rev().copied().collect::<Vec<_>>());
            for (i, &e) in expect.iter().enumerate() {
                assert_eq!(lane.get(i), Some(&e));
                assert_eq!(lane[i], e);
            }
            assert_eq!(lane.get(lane.len()), None);
            if let Some(s) = lane.as_slice() {
                assert_eq!(s, &expect[..]);
            } else {
                assert!(lane.stride() != 1 && lane.len() > 1);
            }
            if lane.stride() == 1 {
                assert!(lane.as_slice().is_some());
            }
            assert_eq!(lane.to_view().to_vec(), expect);
            seen.extend(got);
        }
        assert_eq!(
            sorted(seen),
            sorted(want.clone()),
            "lanes along {a} cover the elements once"
        );
        let into: usize = v.clone().lanes(a).unwrap().map(|l| l.len()).sum();
        assert_eq!(into, want.len());

        // fold_axis / sum_axis agree with the lanes.
        let sums = v.sum_axis(a).unwrap();
        assert_eq!(sums.shape(), &other[..]);
        for (oj, s) in others.iter().zip(sums.iter()) {
            let e: i64 = (0..shape[a])
                .map(|i| val(model.at(&with_inserted(oj, a, i))))
                .sum();
            assert_eq!(*s, e);
        }
        let counts = v.fold_axis(a, 0usize, |c, _| c + 1).unwrap();
        assert!(counts.iter().all(|&c| c == shape[a]));

        // axis_iter: sub-views in order.
        let subs: Vec<Vec<i64>> = v.axis_iter(a).unwrap().map(|s| s.to_vec()).collect();
        assert_eq!(subs.len(), shape[a]);
        assert_eq!(v.axis_iter(a).unwrap().len(), shape[a]);
        for (i, sub) in subs.iter().enumerate() {
            let e: Vec<i64> = others
                .iter()
                .map(|oj| val(model.at(&with_inserted(oj, a, i))))
                .collect();
            assert_eq!(sub, &e, "axis_iter({a}) item {i}");
        }
    }
    let n = shape.len();
    assert!(matches!(v.lanes(n), Err(Error::AxisOutOfRange { .. })));

    // (3) A transposed / permuted view is the element-by-element definition.
    let t = v.t();
    let rev_shape: Vec<usize> = shape.iter().rev().copied().collect();
    let t_expect: Vec<i64> = all_indices(&rev_shape)
        .iter()
        .map(|j| {
            let src: Vec<usize> = j.iter().rev().copied().collect();
            val(model.at(&src))
        })
        .collect();
    assert_eq!(t.to_vec(), t_expect, "to_vec of the transpose");
    if n > 1 {
        // A rotation of the axes: result axis k is source axis (k + 1) % n.
        let axes: Vec<usize> = (0..n).map(|k| (k + 1) % n).collect();
        let p = v.permuted_axes(&axes).unwrap();
        let p_shape: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
        let p_expect: Vec<i64> = all_indices(&p_shape)
            .iter()
            .map(|j| {
                let mut src = vec![0; n];
                for (k, &a) in axes.iter().enumerate() {
                    src[a] = j[k];
                }
                val(model.at(&src))
            })
            .collect();
        assert_eq!(p.to_vec(), p_expect, "to_vec of permuted_axes({axes:?})");
        assert_eq!(p.to_owned().into_vec(), p_expect);
    }

    // (5) A reshape view, when it succeeds, keeps the logical order.
    for target in [vec![want.len()], vec![1, want.len()], vec![want.len(), 1]] {
        match v.reshape(target.clone()) {
            Ok(r) => assert_eq!(r.to_vec(), want, "reshape to {target:?}"),
            Err(Error::ReshapeLayout { .. }) => assert!(!v.is_standard_layout()),
            Err(e) => panic!("unexpected {e}"),
        }
    }
    if want.len() == 1 {
        assert_eq!(v.reshape([]).unwrap()[[]], want[0]);
    }
}

#[test]
fn prop_views_match_index_arithmetic() {
    fn body(case: ReadCase) {
        let c = case.0;
        let buf = c.base.buffer();
        let v = c.base.view(&buf);
        let distinct = !c.base.overlapping && !c.ops.iter().any(|o| matches!(o, Op::Broadcast(_)));
        run_ops(v, c.base.model(), &c.ops, &mut |v, m| {
            check_read(v, m, distinct);
        });
    }
    fn prop(case: ReadCase) {
        report(&case.clone(), || body(case));
    }
    qc(400).quickcheck(prop as fn(ReadCase));
}

#[test]
fn prop_reshape_follows_logical_order() {
    fn body(case: ReadCase, seed: u64) {
        let c = case.0;
        let buf = c.base.buffer();
        let v = c.base.view(&buf);
        let mut g = Gen::new(seed as usize % 50 + 1);
        run_ops(v, c.base.model(), &c.ops, &mut |v, m| {
            for _ in 0..4 {
                let target = gen_reshape(&mut g, m.pos.len());
                match v.reshape(target.clone()) {
                    Ok(r) => {
                        assert_eq!(r.shape(), &target[..]);
                        assert_eq!(
                            r.to_vec(),
                            m.values(),
                            "reshape {:?} -> {target:?}",
                            v.shape()
                        );
                        // And back again.
                        let back = r.reshape(v.shape().to_vec());
                        if let Ok(b) = back {
                            assert_eq!(b.to_vec(), m.values());
                        }
                    }
                    Err(Error::ReshapeLayout {
                        from,
                        strides,
                        shape,
                    }) => {
                        assert!(!v.is_standard_layout());
                        assert_eq!(
                            (&from[..], &strides[..], shape),
                            (v.shape(), v.strides(), target.clone())
                        );
                    }
                    Err(e) => panic!("unexpected {e}"),
                }
                // The owned path never fails on a size match.
                let owned = v.to_owned().into_shape(target.clone()).unwrap();
                assert_eq!(owned.to_vec(), m.values());
            }
        });
    }
    fn prop(case: ReadCase, seed: u64) {
        report(&(case.clone(), seed), || body(case, seed));
    }
    qc(300).quickcheck(prop as fn(ReadCase, u64));
}

// ---------------------------------------------------------------------------------------
// Property (4): mutable walks write exactly their own elements.
// ---------------------------------------------------------------------------------------

/// Every way of writing through a mutable view.
#[derive(Clone, Copy, Debug)]
enum Write {
    IterMutNext,
    IterMutFold,
    IntoIter,
    Fill,
    MapInplace,
    MapvInplace,
    AddAssign,
    DivAssign,
    Assign,
    AssignTransposed,
    AssignBroadcastRow,
    AssignScalar,
    ZipMutWith,
    LanesMutIndex(usize),
    LanesMutIter(usize),
    LanesMutSliceOrView(usize),
    ZipLanes(usize),
    ZipLanesDiff(usize),
    ZipPlanes(usize),
    ZipRuns,
    ZipRunsNoInput,
    AxisIterMut(usize),
    SplitAtMut(usize),
    GetMut,
    IndexMut,
    AsSliceMut,
    Reborrow,
}

fn writes(ndim: usize) -> Vec<Write> {
    use Write::*;
    let mut w = vec![
        IterMutNext,
        IterMutFold,
        IntoIter,
        Fill,
        MapInplace,
        MapvInplace,
        AddAssign,
        DivAssign,
        Assign,
        AssignTransposed,
        AssignBroadcastRow,
        AssignScalar,
        ZipMutWith,
        ZipRuns,
        ZipRunsNoInput,
        GetMut,
        IndexMut,
        AsSliceMut,
        Reborrow,
    ];
    for a in 0..ndim {
        w.extend([
            LanesMutIndex(a),
            LanesMutIter(a),
            LanesMutSliceOrView(a),
            ZipLanes(a),
            ZipLanesDiff(a),
            ZipPlanes(a),
            AxisIterMut(a),
            SplitAtMut(a),
        ]);
    }
    w
}

/// A distinct value for source arrays.
fn src_val(shape: &[usize], ix: &[usize]) -> i64 {
    5_000_000 + 7 * ravel(shape, ix) as i64
}

/// Performs `w` on `v`; returns the new value of each element in logical order, or
/// `None` for "unchanged".
fn do_write(w: Write, mut v: ArrayViewMut<'_, i64>, m: &Model) -> Vec<Option<i64>> {
    let shape = m.shape.clone();
    let idx = all_indices(&shape);
    let old = m.values();
    let n = old.len();
    let ndim = shape.len();
    match w {
        Write::IterMutNext => {
            let mut it: IterMut<'_, i64> = v.iter_mut();
            assert_eq!(it.len(), n);
            let mut k = 0;
            // `next` on purpose: `for` would go through the `fold` override.
            #[allow(clippy::while_let_on_iterator)]
            while let Some(x) = it.next() {
                assert_eq!(*x, old[k]);
                *x = 10_000_000 + k as i64;
                k += 1;
            }
            (0..n).map(|k| Some(10_000_000 + k as i64)).collect()
        }
        Write::IterMutFold => {
            let mut it = v.iter_mut();
            // One element by `next`, the rest through `fold`.
            if let Some(x) = it.next() {
                *x = -5;
            }
            let mut k = 1;
            it.for_each(|x| {
                *x = 10_000_000 + k;
                k += 1;
            });
            (0..n)
                .map(|k| Some(if k == 0 { -5 } else { 10_000_000 + k as i64 }))
                .collect()
        }
        Write::IntoIter => {
            for (k, x) in v.into_iter().enumerate() {
                *x += k as i64;
            }
            old.iter()
                .enumerate()
                .map(|(k, x)| Some(x + k as i64))
                .collect()
        }
        Write::Fill => {
            v.fill(-1);
            vec![Some(-1); n]
        }
        Write::MapInplace => {
            v.map_inplace(|x| *x = -*x);
            old.iter().map(|x| Some(-x)).collect()
        }
        Write::MapvInplace => {
            v.mapv_inplace(|x| 2 * x + 1);
            old.iter().map(|x| Some(2 * x + 1)).collect()
        }
        Write::AddAssign => {
            v += 5;
            old.iter().map(|x| Some(x + 5)).collect()
        }
        Write::DivAssign => {
            v /= 3;
            old.iter().map(|x| Some(x / 3)).collect()
        }
        Write::Assign => {
            let src = Array::from_shape_fn(shape.clone(), |ix| src_val(&shape, ix));
            v.assign(&src).unwrap();
            idx.iter().map(|ix| Some(src_val(&shape, ix))).collect()
        }
        Write::AssignTransposed => {
            let rev: Vec<usize> = shape.iter().rev().copied().collect();
            let src = Array::from_shape_fn(rev.clone(), |ix| src_val(&rev, ix));
            v.assign(&src.t()).unwrap();
            idx.iter()
                .map(|ix| {
                    let r: Vec<usize> = ix.iter().rev().copied().collect();
                    Some(src_val(&rev, &r))
                })
                .collect()
        }
        Write::AssignBroadcastRow => {
            if ndim == 0 {
                let src = Array::scalar(77);
                v.assign(&src).unwrap();
                return vec![Some(77); n];
            }
            let last = shape[ndim - 1];
            let row = Array::from_shape_fn([last], |ix| 900 + ix[0] as i64);
            v.assign(&row).unwrap();
            // A row of the wrong length does not broadcast, and writes nothing.
            let bad = Array::from_vec(vec![0i64; last + 2]);
            assert!(matches!(v.assign(&bad), Err(Error::Broadcast { .. })));
            idx.iter()
                .map(|ix| Some(900 + ix[ndim - 1] as i64))
                .collect()
        }
        Write::AssignScalar => {
            v.assign(&Array::scalar(-8)).unwrap();
            vec![Some(-8); n]
        }
        Write::ZipMutWith => {
            let src = Array::from_shape_fn(shape.clone(), |ix| src_val(&shape, ix));
            v.zip_mut_with(&src, |x, y| *x = *x * 10 + y).unwrap();
            idx.iter()
                .zip(&old)
                .map(|(ix, x)| Some(x * 10 + src_val(&shape, ix)))
                .collect()
        }
        Write::LanesMutIndex(a) | Write::LanesMutIter(a) | Write::LanesMutSliceOrView(a) => {
            let lanes: LanesMut<'_, i64> = v.lanes_mut(a).unwrap();
            let len = shape[a];
            for (j, mut lane) in lanes.enumerate() {
                assert_eq!(lane.len(), len);
                let value = |i: usize| 20_000_000 + 100 * j as i64 + i as i64;
                match w {
                    Write::LanesMutIndex(_) => {
                        for i in 0..len {
                            lane[i] = value(i);
                        }
                        assert!(lane.get_mut(len).is_none());
                    }
                    Write::LanesMutIter(_) => {
                        for (i, x) in lane.iter_mut().enumerate() {
                            *x = value(i);
                        }
                    }
                    _ => {
                        let stride = lane.stride();
                        match lane.as_mut_slice() {
                            Some(s) => {
                                for (i, x) in s.iter_mut().enumerate() {
                                    *x = value(i);
                                }
                            }
                            None => {
                                assert!(stride != 1 && len > 1);
                                let mut lv = lane.view_mut();
                                for (i, x) in lv.iter_mut().enumerate() {
                                    *x = value(i);
                                }
                            }
                        }
                    }
                }
                for i in 0..len {
                    assert_eq!(lane.get(i), Some(&value(i)));
                    assert_eq!(lane.as_lane()[i], value(i));
                }
            }
            let other = with_removed(&shape, a);
            idx.iter()
                .map(|ix| {
                    let j = ravel(&other, &with_removed(ix, a));
                    Some(20_000_000 + 100 * j as i64 + ix[a] as i64)
                })
                .collect()
        }
        Write::ZipLanes(a) => {
            // The input in another layout: reversed along `a`.
            let src = Array::from_shape_fn(shape.clone(), |ix| src_val(&shape, ix));
            let input = src.invert_axis(a).unwrap();
            zip_lanes(&mut v, [&input], a, |mut y, [x]| {
                assert_eq!(x.len(), y.len());
                for i in 0..y.len() {
                    y[i] = x[i];
                }
            })
            .unwrap();
            idx.iter()
                .map(|ix| {
                    let mut s = ix.clone();
                    s[a] = shape[a] - 1 - ix[a];
                    Some(src_val(&shape, &s))
                })
                .collect()
        }
        Write::ZipLanesDiff(a) => {
            // Input lanes one longer (as for `diff` with prepend): y[i] = x[i+1] - x[i].
            let mut in_shape = shape.clone();
            in_shape[a] += 1;
            let f = |ix: &[usize]| (ix[a] * ix[a]) as i64 * 3 + src_val(&in_shape, ix);
            let src = Array::from_shape_fn(in_shape.clone(), f);
            let input = src.t();
            let input = input.t(); // same shape, via two transposes
            zip_lanes(&mut v, [&input], a, |mut y, [x]| {
                assert_eq!(x.len(), y.len() + 1);
                for i in 0..y.len() {
                    y[i] = x[i + 1] - x[i];
                }
            })
            .unwrap();
            // Wrong other-axis shapes are an error.
            if ndim > 1 {
                let mut bad_shape = in_shape.clone();
                bad_shape[(a + 1) % ndim] += 1;
                let bad = Array::<i64>::zeros(bad_shape);
                assert!(matches!(
                    zip_lanes(&mut v, [&bad.view()], a, |_, [_]| unreachable!()),
                    Err(Error::ShapeMismatch { .. })
                ));
            }
            idx.iter()
                .map(|ix| {
                    let mut hi = ix.clone();
                    hi[a] += 1;
                    Some(f(&hi) - f(ix))
                })
                .collect()
        }
        Write::ZipPlanes(a) => {
            // Plane order, input one shorter along `a` (a cumulative sum with an initial
            // zero plane, as include_initial does): out[0] = 0, out[i] = out[i-1] + x[i-1].
            let mut in_shape = shape.clone();
            in_shape[a] = in_shape[a].saturating_sub(1);
            let src = Array::from_shape_fn(in_shape.clone(), |ix| src_val(&in_shape, ix));
            let input = src.t();
            let input = input.t();
            zip_planes(&mut v, [&input], a, |i, out, [x]| {
                if i == 0 {
                    out.plane_mut(0).iter_mut().for_each(|o| *o = 0);
                } else {
                    let xi = x.plane(i - 1);
                    let (prev, mut o) = out.split(i - 1, i);
                    for k in 0..o.len() {
                        o[k] = prev[k] + xi[k];
                    }
                }
            })
            .unwrap();
            idx.iter()
                .map(|ix| {
                    let s: i64 = (0..ix[a])
                        .map(|j| {
                            let mut src_ix = ix.clone();
                            src_ix[a] = j;
                            src_val(&in_shape, &src_ix)
                        })
                        .sum();
                    Some(s)
                })
                .collect()
        }
        Write::ZipRuns => {
            let a_src = Array::from_shape_fn(shape.clone(), |ix| src_val(&shape, ix));
            let rev: Vec<usize> = shape.iter().rev().copied().collect();
            let b_src = Array::from_shape_fn(rev.clone(), |ix| src_val(&rev, ix) * 2);
            let (av, bv) = (a_src.view(), b_src.t());
            let mut total = 0;
            zip_runs(&mut v, [&av, &bv], |mut o, [x, y]| {
                assert_eq!((o.len(), x.len()), (y.len(), y.len()));
                total += o.len();
                for i in 0..o.len() {
                    o[i] = x[i] + 3 * y[i];
                }
            })
            .unwrap();
            assert_eq!(total, n, "zip_runs covers every element once");
            let bad = Array::<i64>::zeros(vec![n + 1]);
            if shape != [n + 1] {
                assert!(matches!(
                    zip_runs(&mut v, [&bad.view()], |_, _| unreachable!()),
                    Err(Error::ShapeMismatch { .. })
                ));
            }
            idx.iter()
                .map(|ix| {
                    let r: Vec<usize> = ix.iter().rev().copied().collect();
                    Some(src_val(&shape, ix) + 3 * src_val(&rev, &r) * 2)
                })
                .collect()
        }
        Write::ZipRunsNoInput => {
            let none: [&ArrayView<'_, i64>; 0] = [];
            zip_runs(&mut v, none, |mut o, []| {
                for x in o.iter_mut() {
                    *x = 3;
                }
            })
            .unwrap();
            vec![Some(3); n]
        }
        Write::AxisIterMut(a) => {
            let it = v.axis_iter_mut(a).unwrap();
            assert_eq!(it.len(), shape[a]);
            for (i, mut sub) in it.enumerate() {
                assert_eq!(sub.shape(), &with_removed(&shape, a)[..]);
                sub.fill(30_000_000 + i as i64);
            }
            idx.iter()
                .map(|ix| Some(30_000_000 + ix[a] as i64))
                .collect()
        }
        Write::SplitAtMut(a) => {
            let at = shape[a] / 2;
            let (mut l, mut r) = v.split_at_mut(a, at).unwrap();
            assert_eq!(l.shape()[a] + r.shape()[a], shape[a]);
            l.fill(1);
            r.fill(2);
            idx.iter()
                .map(|ix| Some(if ix[a] < at { 1 } else { 2 }))
                .collect()
        }
        Write::GetMut => {
            for (k, ix) in idx.iter().enumerate() {
                *v.get_mut(ix).unwrap() = 40_000_000 + k as i64;
            }
            if let Some(ix) = idx.first() {
                let mut past = ix.clone();
                if ndim > 0 {
                    past[0] = shape[0];
                    assert!(v.get_mut(&past).is_none());
                }
            }
            (0..n).map(|k| Some(40_000_000 + k as i64)).collect()
        }
        Write::IndexMut => {
            for (k, ix) in idx.iter().enumerate() {
                *index_mut_dyn(&mut v, ix) += k as i64;
            }
            old.iter()
                .enumerate()
                .map(|(k, x)| Some(x + k as i64))
                .collect()
        }
        Write::AsSliceMut => {
            let standard = v.is_standard_layout();
            match v.as_slice_mut() {
                Some(s) => {
                    assert!(standard);
                    assert_eq!(s.len(), n);
                    for (k, x) in s.iter_mut().enumerate() {
                        *x = 50_000_000 + k as i64;
                    }
                    (0..n).map(|k| Some(50_000_000 + k as i64)).collect()
                }
                None => {
                    assert!(!standard);
                    vec![None; n]
                }
            }
        }
        Write::Reborrow => {
            fn bump(mut v: ArrayViewMut<'_, i64>) {
                v += 1;
            }
            bump(v.reborrow());
            bump(v.reborrow());
            // The original is usable again.
            v.map_inplace(|x| *x *= 2);
            old.iter().map(|x| Some((x + 2) * 2)).collect()
        }
    }
}

#[test]
fn prop_mutable_walks_write_exactly_their_elements() {
    fn body(case: MutCase) {
        let c = case.0;
        let probe = {
            let mut buf = c.base.buffer();
            let mut shape = Vec::new();
            run_ops_mut(
                c.base.view_mut(&mut buf),
                c.base.model(),
                &c.ops,
                &mut |v, m| {
                    assert_eq!(v.shape(), &m.shape[..]);
                    shape = m.shape.clone();
                },
            );
            shape
        };
        for w in writes(probe.len()) {
            let before = c.base.buffer();
            let mut buf = before.clone();
            let mut expected = before.clone();
            run_ops_mut(
                c.base.view_mut(&mut buf),
                c.base.model(),
                &c.ops,
                &mut |v, m| {
                    // Reads through the mutable view agree with the model first.
                    check_read(&v.view(), m, true);
                    let new = do_write(w, v, m);
                    assert_eq!(new.len(), m.pos.len());
                    for (&p, x) in m.pos.iter().zip(new) {
                        if let Some(x) = x {
                            expected[p] = x;
                        }
                    }
                },
            );
            assert_eq!(buf, expected, "{w:?} on {c:?}");
        }
    }
    fn prop(case: MutCase) {
        report(&case.clone(), || body(case));
    }
    qc(150).quickcheck(prop as fn(MutCase));
}

// ---------------------------------------------------------------------------------------
// Broadcasting arithmetic against a naive implementation.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct BroadcastCase {
    a: Vec<usize>,
    b: Vec<usize>,
    a_reversed: bool,
    b_transposed: bool,
}

impl Arbitrary for BroadcastCase {
    fn arbitrary(g: &mut Gen) -> Self {
        let ndim = pick(g, 5);
        let full: Vec<usize> = (0..ndim).map(|_| pick(g, 4)).collect();
        let derive = |g: &mut Gen| -> Vec<usize> {
            let drop = pick(g, ndim + 1);
            full[drop..]
                .iter()
                .map(|&n| {
                    if chance(g, 35) {
                        1
                    } else if chance(g, 5) {
                        n + 1 // usually incompatible
                    } else {
                        n
                    }
                })
                .collect()
        };
        let a = derive(g);
        let b = derive(g);
        BroadcastCase {
            a,
            b,
            a_reversed: chance(g, 50),
            b_transposed: chance(g, 50),
        }
    }
}

#[test]
fn prop_broadcasting_arithmetic_matches_naive() {
    fn body(c: BroadcastCase) {
        let fa = |ix: &[usize]| 1 + ravel(&c.a, ix) as i64;
        let a_owned = Array::from_shape_fn(c.a.clone(), fa);
        // The a operand, maybe reversed along axis 0: element ix is a_owned[rev(ix)].
        let a = if c.a_reversed && !c.a.is_empty() {
            a_owned.invert_axis(0).unwrap()
        } else {
            a_owned.view()
        };
        let a_at = |ix: &[usize]| {
            let mut s = ix.to_vec();
            if c.a_reversed && !c.a.is_empty() {
                s[0] = c.a[0] - 1 - s[0];
            }
            fa(&s)
        };
        // The b operand, maybe the transpose of an array of the reversed shape.
        let rb: Vec<usize> = c.b.iter().rev().copied().collect();
        let b_owned = if c.b_transposed {
            Array::from_shape_fn(rb.clone(), |ix| {
                let r: Vec<usize> = ix.iter().rev().copied().collect();
                100 + 100 * ravel(&c.b, &r) as i64
            })
        } else {
            Array::from_shape_fn(c.b.clone(), |ix| 100 + 100 * ravel(&c.b, ix) as i64)
        };
        let b = if c.b_transposed {
            b_owned.t()
        } else {
            b_owned.view()
        };
        let b_at = |ix: &[usize]| 100 + 100 * ravel(&c.b, ix) as i64;

        let expect_shape = naive_broadcast(&c.a, &c.b);
        let results = [
            (&a + &b, 0),
            (&a - &b, 1),
            (&a * &b, 2),
            (&a / &b, 3),
            (a.zip_map(&b, |x, y| x * 1000 + y), 4),
        ];
        for (got, op) in results {
            match &expect_shape {
                None => match got {
                    Err(Error::Broadcast { from, to }) => {
                        assert_eq!((from, to), (c.a.clone(), c.b.clone()));
                    }
                    other => panic!("expected a broadcast error, got {other:?}"),
                },
                Some(shape) => {
                    let got = got.unwrap();
                    assert_eq!(got.shape(), &shape[..]);
                    assert!(got.is_standard_layout());
                    let want: Vec<i64> = all_indices(shape)
                        .iter()
                        .map(|j| {
                            let (x, y) = (
                                a_at(&broadcast_source(&c.a, j)),
                                b_at(&broadcast_source(&c.b, j)),
                            );
                            match op {
                                0 => x + y,
                                1 => x - y,
                                2 => x * y,
                                3 => x / y,
                                _ => x * 1000 + y,
                            }
                        })
                        .collect();
                    assert_eq!(got.to_vec(), want, "op {op}");
                }
            }
        }
        // The owned/view/mut-view operator impls agree with each other.
        if expect_shape.is_some() {
            let sum = (&a + &b).unwrap();
            let b_copy = b.to_owned();
            let mut b_mut_owner = b.to_owned();
            let b_mut = b_mut_owner.view_mut();
            assert!((&a_owned.to_owned() + &b_copy).is_ok());
            assert_eq!((&a + &b_copy).unwrap(), sum);
            assert_eq!((&a + &b_mut).unwrap(), sum);
            assert_eq!((&a.to_owned() + &b_mut).unwrap(), sum);
            // In-place: a broadcast target's own shape must be the result shape.
            let mut acc = a.to_owned();
            let fits = acc.zip_mut_with(&b, |x, y| *x += y);
            if Some(c.a.clone()) == expect_shape {
                fits.unwrap();
                assert_eq!(acc, sum);
            } else {
                assert!(matches!(fits, Err(Error::Broadcast { .. })));
                assert_eq!(acc, a.to_owned(), "a failed zip_mut_with writes nothing");
            }
        }
        // Scalars on either side.
        let want: Vec<i64> = a.iter().map(|x| x * 3).collect();
        assert_eq!((&a * 3).to_vec(), want);
        assert_eq!((3 * &a).to_vec(), want);
        assert_eq!(
            (&a_owned - 1).to_vec(),
            a_owned.iter().map(|x| x - 1).collect::<Vec<_>>()
        );
        assert_eq!(
            (10 - &a_owned).to_vec(),
            a_owned.iter().map(|x| 10 - x).collect::<Vec<_>>()
        );
        let mut m = a.to_owned();
        m *= 2;
        m -= 1;
        m += 3;
        m /= 2;
        assert_eq!(
            m.to_vec(),
            a.iter().map(|x| (x * 2 - 1 + 3) / 2).collect::<Vec<_>>()
        );
        let m2 = a.to_owned() + 1;
        assert_eq!(m2.to_vec(), a.iter().map(|x| x + 1).collect::<Vec<_>>());
    }
    fn prop(c: BroadcastCase) {
        report(&c.clone(), || body(c));
    }
    qc(400).quickcheck(prop as fn(BroadcastCase));
}

#[test]
fn float_arithmetic_broadcasts_a_column_and_a_row() {
    let col = array![[1.0], [2.0], [3.0]];
    let row = array![10.0, 20.0];
    let s = (&col + &row).unwrap();
    assert_eq!(s, array![[11.0, 21.0], [12.0, 22.0], [13.0, 23.0]]);
    let d = (&row / &col).unwrap();
    assert_eq!(d.shape(), &[3, 2]);
    assert_eq!(d[[2, 1]], 20.0 / 3.0);
    let mut v = s.clone();
    let mut vm = v.view_mut();
    vm *= 0.5;
    vm -= 1.0;
    assert_eq!(v[[0, 0]], 4.5);
    assert_eq!(
        (&s.view() - &s.view()).unwrap(),
        Array::<f64>::zeros([3, 2])
    );
}

// ---------------------------------------------------------------------------------------
// Slicing against Python's slice.indices.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct SliceCase {
    len: usize,
    start: Option<isize>,
    stop: Option<isize>,
    step: isize,
}

impl Arbitrary for SliceCase {
    fn arbitrary(g: &mut Gen) -> Self {
        let len = pick(g, 12);
        let bound = |g: &mut Gen| match pick(g, 10) {
            0 => None,
            1 => Some(
                *g.choose(&[isize::MIN, isize::MAX, isize::MIN + 1, -isize::MAX])
                    .unwrap(),
            ),
            _ => Some(pick_in(g, -20, 20)),
        };
        let start = bound(g);
        let stop = bound(g);
        let step = match pick(g, 12) {
            0 => *g
                .choose(&[isize::MIN, isize::MAX, isize::MIN + 1, isize::MAX - 1])
                .unwrap(),
            _ => *g
                .choose(&[1, 2, 3, 4, 7, -1, -2, -3, -4, -7, 13, -13])
                .unwrap(),
        };
        SliceCase {
            len,
            start,
            stop,
            step,
        }
    }
}

#[test]
fn prop_slicing_matches_python_slice_indices() {
    fn body(c: SliceCase) {
        let want = py_slice_indices(c.len, c.start, c.stop, c.step);
        let base: Vec<i64> = (0..c.len as i64).collect();
        let a = Array::from_vec(base.clone());
        let s = Slice::new(c.start, c.stop, c.step);
        let got = a.slice_axis(0, s).unwrap();
        let want_vals: Vec<i64> = want.iter().map(|&i| i as i64).collect();
        assert_eq!(got.to_vec(), want_vals, "slice_axis");
        assert_eq!(got.shape(), &[want.len()]);
        let got = a.slice([SliceArg::Slice(s)]).unwrap();
        assert_eq!(got.to_vec(), want_vals, "slice");
        // Once more through a reversed base and inside a 2-D array (axis 1), and mutably.
        let r = a.invert_axis(0).unwrap();
        let got = r.slice_axis(0, s).unwrap().to_vec();
        let want_r: Vec<i64> = want.iter().map(|&i| (c.len - 1 - i) as i64).collect();
        assert_eq!(got, want_r, "slice of a reversed view");
        let m = Array::from_shape_fn([2, c.len], |ix| (100 * ix[0] + ix[1]) as i64);
        let got = m
            .slice([SliceArg::Index(-1), SliceArg::Slice(s)])
            .unwrap()
            .to_vec();
        let want_m: Vec<i64> = want.iter().map(|&i| 100 + i as i64).collect();
        assert_eq!(got, want_m, "slice of axis 1");
        let mut mm = m.clone();
        mm.slice_axis_mut(1, s).unwrap().fill(-1);
        let touched = mm.iter().filter(|&&x| x == -1).count();
        assert_eq!(touched, 2 * want.len());
    }
    fn prop(c: SliceCase) {
        report(&c.clone(), || body(c));
    }
    qc(3000).quickcheck(prop as fn(SliceCase));
}

#[test]
fn python_slice_reference_agrees_with_python() {
    // Spot checks of the reference itself, values from CPython's slice(...).indices(len).
    assert_eq!(py_slice_indices(5, Some(2), Some(100), 1), vec![2, 3, 4]);
    assert_eq!(py_slice_indices(6, Some(5), Some(1), -1), vec![5, 4, 3, 2]);
    assert_eq!(py_slice_indices(5, None, None, -2), vec![4, 2, 0]);
    assert_eq!(
        py_slice_indices(5, Some(-100), Some(100), -1),
        Vec::<usize>::new()
    );
    assert_eq!(
        py_slice_indices(5, Some(100), Some(-100), -1),
        vec![4, 3, 2, 1, 0]
    );
    assert_eq!(py_slice_indices(10, Some(-3), None, 1), vec![7, 8, 9]);
    assert_eq!(py_slice_indices(10, Some(8), Some(-9), -3), vec![8, 5, 2]);
    assert_eq!(py_slice_indices(3, None, None, isize::MIN), vec![2]);
}

#[test]
// numpy's `a[4:1:-1]` is `s![4..1;-1]`, which clippy reads as an empty Rust range.
#[allow(clippy::reversed_empty_ranges)]
fn slice_macro_forms() {
    let a = Array::from_shape_fn([4, 5], |ix| (10 * ix[0] + ix[1]) as i32);
    assert_eq!(
        a.slice(s![1..3, 2..=3]).unwrap().to_vec(),
        vec![12, 13, 22, 23]
    );
    assert_eq!(a.slice(s![..2, ..=1]).unwrap().to_vec(), vec![0, 1, 10, 11]);
    assert_eq!(a.slice(s![-1, -2..]).unwrap().to_vec(), vec![33, 34]);
    assert_eq!(a.slice(s![-1, -2..=-1]).unwrap().to_vec(), vec![33, 34]);
    assert_eq!(
        a.slice(s![2, ..=-2]).unwrap().to_vec(),
        vec![20, 21, 22, 23]
    );
    assert_eq!(a.slice(s![.., 4..1;-1]).unwrap().shape(), &[4, 3]);
    assert_eq!(a.slice(s![0, 4..1;-1]).unwrap().to_vec(), vec![4, 3, 2]);
    assert_eq!(a.slice(s![0, ..;-2]).unwrap().to_vec(), vec![4, 2, 0]);
    assert_eq!(a.slice(s![0, 3..;-1]).unwrap().to_vec(), vec![3, 2, 1, 0]);
    assert_eq!(a.slice(s![0, ..1;-1]).unwrap().to_vec(), vec![4, 3, 2]);
    assert_eq!(
        a.slice(s![0usize, 1usize..3usize]).unwrap().to_vec(),
        vec![1, 2]
    );
    assert_eq!(
        a.slice(s![0isize, 1isize..]).unwrap().to_vec(),
        vec![1, 2, 3, 4]
    );
    // Bounds clamp; an empty selection keeps its axis.
    assert_eq!(a.slice(s![7.., ..]).unwrap().shape(), &[0, 5]);
    assert_eq!(a.slice(s![1..100, 3]).unwrap().to_vec(), vec![13, 23, 33]);
    // New axes anywhere, trailing commas, missing trailing axes.
    assert_eq!(
        a.slice(s![NewAxis, .., NewAxis, 1,]).unwrap().shape(),
        &[1, 4, 1]
    );
    assert_eq!(a.slice(s![2]).unwrap().to_vec(), vec![20, 21, 22, 23, 24]);
    assert_eq!(a.slice(s![]).unwrap().shape(), &[4, 5]);
    // A computed step.
    let k = -2;
    assert_eq!(a.slice(s![0, ..;k]).unwrap().to_vec(), vec![4, 2, 0]);
    // Slicing a slice composes like numpy: a[::-1][1::2].
    let v = a.slice(s![..;-1, 0]).unwrap();
    assert_eq!(v.slice(s![1..;2]).unwrap().to_vec(), vec![20, 0]);
}

// ---------------------------------------------------------------------------------------
// Every error variant, with its message.
// ---------------------------------------------------------------------------------------

#[test]
fn error_length_mismatch() {
    let e = Array::from_shape_vec([2, 3], vec![0; 5]).unwrap_err();
    assert_eq!(
        e,
        Error::LengthMismatch {
            shape: vec![2, 3],
            len: 5
        }
    );
    assert_eq!(
        e.to_string(),
        "cannot build an array of shape [2, 3] (6 elements) from 5 elements"
    );
    let data = [1, 2, 3];
    let e = ArrayView::from_slice(&data, [2, 2]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot build an array of shape [2, 2] (4 elements) from 3 elements"
    );
    let mut data = [1, 2, 3];
    assert!(matches!(
        ArrayViewMut::from_slice(&mut data, [4]),
        Err(Error::LengthMismatch { .. })
    ));
    let e = Array::from_shape_vec_strides([2], &[1], vec![1]).unwrap_err();
    assert_eq!(
        e,
        Error::LengthMismatch {
            shape: vec![2],
            len: 1
        }
    );
}

#[test]
fn error_too_large() {
    let e = Array::from_shape_vec([usize::MAX, 2], Vec::<u8>::new()).unwrap_err();
    assert_eq!(
        e,
        Error::TooLarge {
            shape: vec![usize::MAX, 2]
        }
    );
    assert_eq!(
        e.to_string(),
        format!(
            "shape [{}, 2] has more than isize::MAX elements",
            usize::MAX
        )
    );
    let e = Array::from_shape_vec([1 << 40, 1 << 40], Vec::<u8>::new()).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }));
    let a = Array::from_vec(vec![1u8, 2]);
    assert!(matches!(
        a.reshape([usize::MAX, 3]),
        Err(Error::TooLarge { .. })
    ));
    let data = [0u8; 4];
    assert!(matches!(
        ArrayView::from_slice_with_strides(&data, [usize::MAX / 2, 4], &[0, 0], 0),
        Err(Error::TooLarge { .. })
    ));
}

#[test]
fn error_axis_out_of_range() {
    let a = Array::<f64>::zeros([2, 3]);
    let e = a.lanes(2).err().unwrap();
    assert_eq!(e, Error::AxisOutOfRange { axis: 2, ndim: 2 });
    assert_eq!(
        e.to_string(),
        "axis 2 is out of bounds for array of dimension 2"
    );
    assert!(matches!(
        a.index_axis(5, 0),
        Err(Error::AxisOutOfRange { axis: 5, ndim: 2 })
    ));
    assert!(matches!(
        a.invert_axis(2),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.remove_axis(2),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(a.axis_iter(2), Err(Error::AxisOutOfRange { .. })));
    assert!(matches!(a.sum_axis(9), Err(Error::AxisOutOfRange { .. })));
    assert!(matches!(
        a.split_at(2, 0),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.slice_axis(2, Slice::FULL),
        Err(Error::AxisOutOfRange { .. })
    ));
    let e = a.insert_axis(3).unwrap_err();
    assert_eq!(
        e.to_string(),
        "axis 3 is out of bounds for array of dimension 3"
    );
    // A huge usize axis is out of range, not "counted from the end".
    assert!(matches!(
        a.lanes(usize::MAX),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.index_axis(usize::MAX, 0),
        Err(Error::AxisOutOfRange { .. })
    ));
    let mut out = Array::<f64>::zeros([2, 3]);
    let e = zip_lanes(&mut out.view_mut(), [&a.view()], usize::MAX, |_, [_]| {}).unwrap_err();
    assert!(matches!(e, Error::AxisOutOfRange { .. }), "{e:?}");
    let e = zip_lanes(&mut out.view_mut(), [&a.view()], 2, |_, [_]| {}).unwrap_err();
    assert!(matches!(e, Error::AxisOutOfRange { .. }), "{e:?}");
}

#[test]
fn error_repeated_axis_and_bad_permutation() {
    let a = Array::<f64>::zeros([2, 3, 4]);
    let e = a.permuted_axes(&[0, 2, 0]).unwrap_err();
    assert_eq!(e, Error::RepeatedAxis { axis: 0 });
    assert_eq!(e.to_string(), "axis 0 is repeated");
    let e = a.permuted_axes(&[0, 1]).unwrap_err();
    assert_eq!(
        e,
        Error::BadPermutation {
            axes: vec![0, 1],
            ndim: 3
        }
    );
    assert_eq!(
        e.to_string(),
        "axes [0, 1] are not a permutation of the 3 axes 0..3"
    );
    let e = a.permuted_axes(&[0, 1, 3]).unwrap_err();
    assert_eq!(
        e,
        Error::BadPermutation {
            axes: vec![0, 1, 3],
            ndim: 3
        }
    );
}

#[test]
fn error_index_out_of_range() {
    let a = Array::<f64>::zeros([2, 3]);
    let e = a.index_axis(1, 3).unwrap_err();
    assert_eq!(
        e,
        Error::IndexOutOfRange {
            axis: 1,
            index: 3,
            len: 3
        }
    );
    assert_eq!(
        e.to_string(),
        "index 3 is out of bounds for axis 1 with size 3"
    );
    let e = a.slice(s![-3, ..]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "index -3 is out of bounds for axis 0 with size 2"
    );
    assert!(a.slice(s![-2, ..]).is_ok());
    let e = Array::<f64>::zeros([0]).slice(s![0]).unwrap_err();
    assert_eq!(
        e,
        Error::IndexOutOfRange {
            axis: 0,
            index: 0,
            len: 0
        }
    );
}

#[test]
fn error_wrong_index_count() {
    let a = Array::<f64>::zeros([2, 3]);
    let e = a.slice(s![.., .., ..]).unwrap_err();
    assert_eq!(e, Error::WrongIndexCount { given: 3, ndim: 2 });
    assert_eq!(e.to_string(), "3 indices given for an array of dimension 2");
    let e = Array::scalar(1.0).slice(s![0]).unwrap_err();
    assert_eq!(e.to_string(), "1 indices given for an array of dimension 0");
    // New axes do not count.
    assert!(a.slice(s![NewAxis, .., NewAxis, ..]).is_ok());
}

#[test]
fn error_zero_step() {
    let a = Array::<f64>::zeros([2, 3]);
    let e = a.slice(s![.., ..;0]).unwrap_err();
    assert_eq!(e, Error::ZeroStep { axis: 1 });
    assert_eq!(e.to_string(), "slice step cannot be zero (axis 1)");
    assert!(matches!(
        a.slice_axis(0, Slice::new(None, None, 0)),
        Err(Error::ZeroStep { axis: 0 })
    ));
    // Even on an empty axis.
    assert!(matches!(
        Array::<f64>::zeros([0]).slice(s![..;0]),
        Err(Error::ZeroStep { axis: 0 })
    ));
}

#[test]
fn error_out_of_bounds() {
    let data = [0, 1, 2, 3, 4, 5];
    let e = ArrayView::from_slice_with_strides(&data, [3, 2], &[2, 1], 1).unwrap_err();
    assert_eq!(
        e,
        Error::OutOfBounds {
            shape: vec![3, 2],
            strides: vec![2, 1],
            offset: 1,
            len: 6
        }
    );
    assert_eq!(
        e.to_string(),
        "shape [3, 2] with strides [2, 1] from offset 1 reaches outside a buffer of 6 elements"
    );
    // Negative strides that walk below the start.
    let e = ArrayView::from_slice_with_strides(&data, [3], &[-1], 1).unwrap_err();
    assert!(matches!(e, Error::OutOfBounds { .. }));
    assert!(ArrayView::from_slice_with_strides(&data, [3], &[-1], 2).is_ok());
    // An offset past the end, for an empty and a 0-d view.
    assert!(ArrayView::from_slice_with_strides(&data, [0], &[1], 6).is_ok());
    assert!(matches!(
        ArrayView::from_slice_with_strides(&data, [0], &[1], 7),
        Err(Error::OutOfBounds { .. })
    ));
    assert!(matches!(
        ArrayView::from_slice_with_strides(&data, [], &[], 6),
        Err(Error::OutOfBounds { .. })
    ));
    // Strides whose reach overflows.
    assert!(matches!(
        ArrayView::from_slice_with_strides(&data, [2, 2], &[isize::MAX, isize::MAX], 0),
        Err(Error::OutOfBounds { .. })
    ));
    assert!(matches!(
        ArrayView::from_slice_with_strides(&data, [3], &[isize::MIN], 5),
        Err(Error::OutOfBounds { .. })
    ));
    let mut data = [0; 4];
    assert!(matches!(
        ArrayViewMut::from_slice_with_strides(&mut data, [2], &[4], 0),
        Err(Error::OutOfBounds { .. })
    ));
}

#[test]
fn error_overlapping() {
    let mut data = [0; 6];
    let e = ArrayViewMut::from_slice_with_strides(&mut data, [2, 3], &[1, 1], 0).unwrap_err();
    assert_eq!(
        e,
        Error::Overlapping {
            shape: vec![2, 3],
            strides: vec![1, 1]
        }
    );
    assert_eq!(
        e.to_string(),
        "shape [2, 3] with strides [1, 1] addresses some elements twice, which a mutable view cannot do"
    );
    assert!(matches!(
        ArrayViewMut::from_slice_with_strides(&mut data, [3], &[0], 0),
        Err(Error::Overlapping { .. })
    ));
    // A zero stride on a length-1 axis is fine; so is any stride on an empty view.
    assert!(ArrayViewMut::from_slice_with_strides(&mut data, [1, 3], &[0, 2], 0).is_ok());
    assert!(ArrayViewMut::from_slice_with_strides(&mut data, [0, 3], &[0, 0], 0).is_ok());
    // The read-only view accepts the same layout.
    assert!(ArrayView::from_slice_with_strides(&data, [2, 3], &[1, 1], 0).is_ok());
    // Owned arrays need a bijection onto their buffer.
    let e = Array::from_shape_vec_strides([2, 3], &[1, 1], vec![0; 6]).unwrap_err();
    assert!(matches!(e, Error::Overlapping { .. }));
    assert!(matches!(
        Array::from_shape_vec_strides([2], &[-1], vec![0; 2]),
        Err(Error::Overlapping { .. })
    ));
}

#[test]
fn error_reshape_size_and_layout() {
    let a = Array::from_vec((0..6).collect::<Vec<i32>>());
    let e = a.reshape([4, 2]).unwrap_err();
    assert_eq!(
        e,
        Error::ReshapeSize {
            len: 6,
            shape: vec![4, 2]
        }
    );
    assert_eq!(
        e.to_string(),
        "cannot reshape array of 6 elements into shape [4, 2]"
    );
    assert!(matches!(
        a.clone().into_shape([7]),
        Err(Error::ReshapeSize { len: 6, .. })
    ));
    let m = a.reshape([2, 3]).unwrap();
    let e = m.t().reshape([6]).unwrap_err();
    assert_eq!(
        e,
        Error::ReshapeLayout {
            from: vec![3, 2],
            strides: vec![1, 3],
            shape: vec![6]
        }
    );
    assert_eq!(
        e.to_string(),
        "cannot reshape an array of shape [3, 2] with strides [1, 3] into shape [6] without copying; use to_owned() first"
    );
    // The suggested fix works.
    assert_eq!(
        m.t().to_owned().reshape([6]).unwrap().to_vec(),
        vec![0, 3, 1, 4, 2, 5]
    );
    // A reversed 1-D view reshapes fine (numpy agrees: no copy needed).
    let r = a.invert_axis(0).unwrap().reshape([3, 2]).unwrap();
    assert_eq!(r.to_vec(), vec![5, 4, 3, 2, 1, 0]);
    assert_eq!(r.strides(), &[-2, -1]);
}

#[test]
fn error_broadcast() {
    let row = Array::from_vec(vec![1, 2, 3]);
    let e = row.broadcast([3, 2]).unwrap_err();
    assert_eq!(
        e,
        Error::Broadcast {
            from: vec![3],
            to: vec![3, 2]
        }
    );
    assert_eq!(e.to_string(), "cannot broadcast shape [3] to shape [3, 2]");
    assert!(matches!(
        Array::<i32>::zeros([2, 3]).broadcast([3]),
        Err(Error::Broadcast { .. })
    ));
    let e = (&row + &Array::from_vec(vec![1, 2])).unwrap_err();
    assert_eq!(e.to_string(), "cannot broadcast shape [3] to shape [2]");
    let mut m = Array::<i32>::zeros([2, 3]);
    assert!(matches!(
        m.assign(&Array::<i32>::zeros([3, 3])),
        Err(Error::Broadcast { .. })
    ));
    // A length-0 axis broadcasts with 1 but not with 2.
    assert_eq!(
        Array::<i32>::zeros([1]).broadcast([0]).unwrap().shape(),
        &[0]
    );
    assert!(Array::<i32>::zeros([2]).broadcast([0]).is_err());
    assert_eq!(
        (&Array::<i32>::zeros([0, 1]) + &row).unwrap().shape(),
        &[0, 3]
    );
}

#[test]
fn error_shape_mismatch() {
    let a = Array::<f64>::zeros([2, 3]);
    let mut out = Array::<f64>::zeros([3, 2]);
    let e = zip_lanes(&mut out.view_mut(), [&a.view()], 0, |_, [_]| {}).unwrap_err();
    assert_eq!(
        e,
        Error::ShapeMismatch {
            expected: vec![3, 2],
            found: vec![2, 3]
        }
    );
    assert_eq!(
        e.to_string(),
        "expected an array of shape [3, 2], found shape [2, 3]"
    );
    let e = zip_runs(&mut out.view_mut(), [&a.view()], |_, _| {}).unwrap_err();
    assert_eq!(
        e,
        Error::ShapeMismatch {
            expected: vec![3, 2],
            found: vec![2, 3]
        }
    );
    let b = Array::<f64>::zeros([2]);
    assert!(matches!(
        zip_lanes(&mut out.view_mut(), [&b.view()], 0, |_, [_]| {}),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn error_not_singleton() {
    let a = Array::<i8>::zeros([3, 1]);
    let e = a.remove_axis(0).unwrap_err();
    assert_eq!(e, Error::NotSingleton { axis: 0, len: 3 });
    assert_eq!(
        e.to_string(),
        "cannot remove axis 0 of length 3: only length-1 axes can be removed"
    );
}

#[test]
fn error_split_out_of_range() {
    let mut a = Array::<i8>::zeros([3, 2]);
    let e = a.split_at(0, 4).unwrap_err();
    assert_eq!(
        e,
        Error::SplitOutOfRange {
            axis: 0,
            index: 4,
            len: 3
        }
    );
    assert_eq!(e.to_string(), "cannot split axis 0 of length 3 at index 4");
    assert!(matches!(
        a.split_at_mut(1, 3),
        Err(Error::SplitOutOfRange {
            axis: 1,
            index: 3,
            len: 2
        })
    ));
    // The ends are fine.
    let (l, r) = a.split_at(0, 3).unwrap();
    assert_eq!((l.shape(), r.shape()), (&[3, 2][..], &[0, 2][..]));
}

#[test]
fn error_bad_range() {
    let e = Array::arange(0, 5, 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "arange needs a finite non-zero step and finite bounds, got start 0, end 5, step 0"
    );
    assert!(matches!(e, Error::BadRange { .. }));
    let e = Array::arange(0.0, 1.0, f64::NAN).unwrap_err();
    assert_eq!(
        e.to_string(),
        "arange needs a finite non-zero step and finite bounds, got start 0, end 1, step NaN"
    );
    assert!(matches!(
        Array::arange(0.0, f64::INFINITY, 1.0),
        Err(Error::BadRange { .. })
    ));
    let e = Array::arange(0.0, 1e300, 1e-300).unwrap_err();
    assert_eq!(
        e.to_string(),
        "arange from 0 to 1e300 by 1e-300 has too many values"
    );
    let e = Array::arange(0u8, 255, 1).unwrap();
    assert_eq!(e.len(), 255);
    // NotContiguous and BadBytes come from the byte views: error_not_contiguous_and_bad_bytes.
}

#[test]
fn errors_are_std_errors() {
    fn takes(_: &dyn std::error::Error) {}
    takes(&Error::ZeroStep { axis: 0 });
    let r: Result<(), Box<dyn std::error::Error>> = Err(Box::new(Error::ZeroStep { axis: 0 }));
    assert!(r.is_err());
}

// ---------------------------------------------------------------------------------------
// Edge cases.
// ---------------------------------------------------------------------------------------

#[test]
fn zero_dimensional_arrays_through_every_method() {
    let mut a = Array::scalar(7i64);
    assert_eq!((a.ndim(), a.len(), a.is_empty()), (0, 1, false));
    assert_eq!(a.shape(), &[] as &[usize]);
    assert_eq!(a.strides(), &[] as &[isize]);
    assert!(a.is_standard_layout());
    assert_eq!(a.as_slice(), Some(&[7][..]));
    assert_eq!(a[[]], 7);
    assert_eq!(a.get(&[]), Some(&7));
    assert_eq!(a.get(&[0]), None);
    assert_eq!(a.iter().copied().collect::<Vec<_>>(), vec![7]);
    assert_eq!(a.iter().len(), 1);
    let ix: Vec<(Vec<usize>, i64)> = a.indexed_iter().map(|(i, &x)| (i.to_vec(), x)).collect();
    assert_eq!(ix, vec![(vec![], 7)]);
    assert_eq!(a.to_vec(), vec![7]);
    assert_eq!(a.sum(), 7);
    assert_eq!(a.map(|x| x + 1)[[]], 8);
    assert_eq!(a.mapv(|x| x * 2).to_vec(), vec![14]);
    assert_eq!(a.t().shape(), &[] as &[usize]);
    assert_eq!(a.t()[[]], 7);
    assert_eq!(a.permuted_axes(&[0usize; 0]).unwrap()[[]], 7);
    assert_eq!(a.slice(s![]).unwrap()[[]], 7);
    assert_eq!(a.slice(s![NewAxis]).unwrap().to_vec(), vec![7]);
    assert_eq!(a.slice(s![NewAxis]).unwrap().shape(), &[1]);
    assert_eq!(a.insert_axis(0).unwrap().shape(), &[1]);
    assert_eq!(a.reshape([1, 1]).unwrap()[[0, 0]], 7);
    assert_eq!(a.reshape([]).unwrap()[[]], 7);
    assert_eq!(a.broadcast([2, 3]).unwrap().to_vec(), vec![7; 6]);
    assert_eq!(a.broadcast([]).unwrap()[[]], 7);
    assert!(matches!(
        a.lanes(0),
        Err(Error::AxisOutOfRange { axis: 0, ndim: 0 })
    ));
    assert_eq!(
        a.lanes(0).err().unwrap().to_string(),
        "axis 0 is out of bounds for array of dimension 0"
    );
    assert!(matches!(a.axis_iter(0), Err(Error::AxisOutOfRange { .. })));
    assert!(matches!(a.sum_axis(0), Err(Error::AxisOutOfRange { .. })));
    assert!(matches!(
        a.fold_axis(0, 0, |x, _| *x),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.index_axis(0, 0),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.invert_axis(0),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.split_at(0, 0),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.remove_axis(0),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert_eq!(a.to_owned(), a);
    assert_eq!(a.clone().into_vec(), vec![7]);
    assert_eq!(a.clone().into_raw_vec(), vec![7]);
    assert_eq!(a.clone().into_shape([1]).unwrap().to_vec(), vec![7]);
    assert_eq!(format!("{a:?}"), "array(7)");
    // Arithmetic: 0-d with 0-d, with 1-d, with scalars.
    assert_eq!((&a + &a).unwrap()[[]], 14);
    assert_eq!((&a * &array![1, 2]).unwrap().to_vec(), vec![7, 14]);
    assert_eq!((&a - 1)[[]], 6);
    // Writes.
    a[[]] = 8;
    assert_eq!(a[[]], 8);
    *a.get_mut(&[]).unwrap() = 9;
    a.fill(10);
    a.map_inplace(|x| *x += 1);
    a += 1;
    assert_eq!(a[[]], 12);
    for x in a.iter_mut() {
        *x *= 2;
    }
    assert_eq!(a.to_vec(), vec![24]);
    a.assign(&Array::scalar(3)).unwrap();
    a.zip_mut_with(&Array::scalar(4), |x, y| *x *= y).unwrap();
    assert_eq!(a[[]], 12);
    assert!(matches!(a.lanes_mut(0), Err(Error::AxisOutOfRange { .. })));
    assert!(matches!(
        a.axis_iter_mut(0),
        Err(Error::AxisOutOfRange { .. })
    ));
    assert!(matches!(
        a.split_at_mut(0, 0),
        Err(Error::AxisOutOfRange { .. })
    ));
    let mut v = a.view_mut();
    v[[]] = 1;
    assert_eq!(v.as_slice_mut(), Some(&mut [1][..]));
    let mut out = Array::scalar(0);
    zip_runs(&mut out.view_mut(), [&a.view()], |mut o, [x]| {
        o[0] = x[0] + 1
    })
    .unwrap();
    assert_eq!(out[[]], 2);
    assert!(zip_lanes(&mut out.view_mut(), [&a.view()], 0, |_, [_]| {}).is_err());
    // 0-d views over a slice with an offset.
    let data = [1, 2, 3];
    let v = ArrayView::from_slice_with_strides(&data, [], &[], 2).unwrap();
    assert_eq!(v[[]], 3);
    assert_eq!(Array::<f64>::zeros([]).len(), 1);
    assert_eq!(
        Array::<f64>::from_shape_fn([], |ix| ix.len() as f64)[[]],
        0.0
    );
}

#[test]
fn empty_arrays() {
    for shape in [vec![0], vec![0, 3], vec![3, 0], vec![2, 0, 4], vec![1, 0]] {
        let mut a = Array::<i32>::zeros(shape.clone());
        assert_eq!((a.len(), a.is_empty()), (0, true));
        assert!(a.is_standard_layout());
        assert_eq!(a.as_slice(), Some(&[][..]));
        assert_eq!(a.iter().count(), 0);
        assert_eq!(a.indexed_iter().count(), 0);
        assert_eq!(a.to_vec(), Vec::<i32>::new());
        assert_eq!(a.sum(), 0);
        assert_eq!(a.get(&vec![0; shape.len()]), None);
        assert_eq!(a.t().to_vec(), Vec::<i32>::new());
        assert_eq!(a.map(|x| x + 1).shape(), &shape[..]);
        for ax in 0..shape.len() {
            let lanes: Vec<usize> = a.lanes(ax).unwrap().map(|l| l.len()).collect();
            let others: usize = with_removed(&shape, ax).iter().product();
            assert_eq!(lanes.len(), others, "lanes of {shape:?} along {ax}");
            assert!(lanes.iter().all(|&l| l == shape[ax]));
            let sums = a.sum_axis(ax).unwrap();
            assert_eq!(sums.shape(), &with_removed(&shape, ax)[..]);
            assert!(sums.iter().all(|&s| s == 0));
            assert_eq!(a.axis_iter(ax).unwrap().count(), shape[ax]);
            assert_eq!(a.axis_iter_mut(ax).unwrap().count(), shape[ax]);
            assert_eq!(a.lanes_mut(ax).unwrap().count(), others);
            assert_eq!(a.invert_axis(ax).unwrap().len(), 0);
            assert_eq!(
                a.slice_axis(ax, Slice::new(None, None, -1)).unwrap().len(),
                0
            );
            let (l, r) = a.split_at_mut(ax, 0).unwrap();
            assert_eq!((l.len(), r.len()), (0, 0));
        }
        a.fill(1);
        a.map_inplace(|x| *x += 1);
        a += 1;
        for x in a.iter_mut() {
            *x = 3;
        }
        assert_eq!(a.reshape([0]).unwrap().len(), 0);
        assert_eq!(a.reshape([5, 0, 2]).unwrap().shape(), &[5, 0, 2]);
        assert!(matches!(
            a.reshape([1]),
            Err(Error::ReshapeSize { len: 0, .. })
        ));
        let b = (&a + &a).unwrap();
        assert_eq!(b.shape(), &shape[..]);
        assert_eq!(a.clone().into_vec(), Vec::<i32>::new());
    }
    // An empty view over an empty slice, and over the end of a slice.
    let data: [f64; 0] = [];
    let v = ArrayView::from_slice(&data, [0, 5]).unwrap();
    assert_eq!(v.iter().count(), 0);
    assert_eq!(v.lanes(1).unwrap().count(), 0);
    assert_eq!(v.lanes(0).unwrap().count(), 5);
    let mut data = [1.0, 2.0];
    let mut v = ArrayViewMut::from_slice_with_strides(&mut data, [0, 3], &[-7, 5], 2).unwrap();
    v.fill(9.0);
    for mut lane in v.lanes_mut(0).unwrap() {
        assert!(lane.as_mut_slice().unwrap().is_empty());
    }
    assert_eq!(data, [1.0, 2.0]);
    assert_eq!(Array::<f64>::linspace(0.0, 1.0, 0).len(), 0);
    let e: Array<i32> = array![];
    assert_eq!(e.shape(), &[0]);
}

#[test]
#[should_panic(expected = "index [2, 0] is out of bounds for array of shape [2, 3]")]
fn index_out_of_bounds_panics() {
    let a = Array::<f64>::zeros([2, 3]);
    let _ = a[[2, 0]];
}

#[test]
#[should_panic(expected = "out of bounds")]
fn index_with_wrong_length_panics() {
    let a = Array::<f64>::zeros([2, 3]);
    let _ = a[[1]];
}

#[test]
#[should_panic(expected = "index [0, 3] is out of bounds for array of shape [2, 3]")]
fn index_mut_out_of_bounds_panics() {
    let mut a = Array::<f64>::zeros([2, 3]);
    a[[0, 3]] = 1.0;
}

#[test]
#[should_panic(expected = "out of bounds")]
fn view_index_out_of_bounds_panics() {
    let a = Array::<f64>::zeros([2, 3]);
    let v = a.t();
    let _ = v[[0, 2]];
}

#[test]
#[should_panic(expected = "out of bounds")]
fn view_mut_index_out_of_bounds_panics() {
    let mut a = Array::<f64>::zeros([2, 3]);
    let mut v = a.view_mut();
    v[[2, 2]] = 0.0;
}

#[test]
#[should_panic(expected = "out of bounds")]
fn index_of_empty_array_panics() {
    let a = Array::<f64>::zeros([0]);
    let _ = a[[0]];
}

#[test]
#[should_panic(expected = "index 3 is out of bounds for a lane of length 3")]
fn lane_index_out_of_bounds_panics() {
    let a = Array::<f64>::zeros([2, 3]);
    let lane = a.lanes(1).unwrap().next().unwrap();
    let _ = lane[3];
}

#[test]
#[should_panic(expected = "index 2 is out of bounds for a lane of length 2")]
fn lane_mut_index_out_of_bounds_panics() {
    let mut a = Array::<f64>::zeros([2, 3]);
    let mut lane = a.lanes_mut(0).unwrap().next().unwrap();
    lane[2] = 1.0;
}

// Send / Sync: compile-time checks of what must hold...
fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

#[test]
// The negative cases are constants evaluated by `assert!` on purpose: a failing one
// reports which type is wrong instead of failing the build of the whole test crate.
#[allow(clippy::assertions_on_constants)]
fn send_and_sync_like_references() {
    assert_send::<Array<f64>>();
    assert_sync::<Array<f64>>();
    assert_send::<ArrayView<'static, f64>>();
    assert_sync::<ArrayView<'static, f64>>();
    assert_send::<ArrayViewMut<'static, f64>>();
    assert_sync::<ArrayViewMut<'static, f64>>();
    assert_send::<ArrayViewMut<'static, Cell<i32>>>(); // &mut Cell is Send
    assert_send::<Iter<'static, f64>>();
    assert_send::<IterMut<'static, Cell<i32>>>();
    assert_send::<Lane<'static, f64>>();
    assert_sync::<Lane<'static, f64>>();
    assert_send::<LaneMut<'static, Cell<i32>>>();
    assert_send::<Lanes<'static, f64>>();
    assert_send::<LanesMut<'static, Cell<i32>>>();
    assert_send::<LaneIter<'static, f64>>();
    assert_send::<ndcore::AxisIter<'static, f64>>();
    assert_send::<ndcore::AxisIterMut<'static, Cell<i32>>>();
    assert_send::<ndcore::IndexedIter<'static, f64>>();
    assert_send::<Error>();
    assert_sync::<Error>();

    // ...and, evaluated with the inherent-vs-trait constant trick, what must not:
    // `<Probe<T>>::SEND` names the inherent constant only when `T: Send`.
    struct Probe<T: ?Sized>(PhantomData<T>);
    trait NotSend {
        const SEND: bool = false;
    }
    impl<T: ?Sized> NotSend for Probe<T> {}
    impl<T: ?Sized + Send> Probe<T> {
        const SEND: bool = true;
    }
    struct ProbeSync<T: ?Sized>(PhantomData<T>);
    trait NotSync {
        const SYNC: bool = false;
    }
    impl<T: ?Sized> NotSync for ProbeSync<T> {}
    impl<T: ?Sized + Sync> ProbeSync<T> {
        const SYNC: bool = true;
    }
    // The probe itself works.
    assert!(<Probe<&'static f64>>::SEND);
    assert!(!<Probe<&'static Cell<i32>>>::SEND);
    assert!(!<Probe<Rc<i32>>>::SEND);
    assert!(<ProbeSync<ArrayView<'static, f64>>>::SYNC);
    assert!(!<ProbeSync<Cell<i32>>>::SYNC);
    // `&Cell<i32>` is not Send, so neither are shared views of cells.
    assert!(!<Probe<ArrayView<'static, Cell<i32>>>>::SEND);
    assert!(!<ProbeSync<ArrayView<'static, Cell<i32>>>>::SYNC);
    assert!(!<Probe<Iter<'static, Cell<i32>>>>::SEND);
    assert!(!<Probe<Lane<'static, Cell<i32>>>>::SEND);
    assert!(!<Probe<Lanes<'static, Cell<i32>>>>::SEND);
    assert!(!<Probe<LaneIter<'static, Cell<i32>>>>::SEND);
    assert!(!<Probe<ndcore::AxisIter<'static, Cell<i32>>>>::SEND);
    // `&mut Cell<i32>` is Send but not Sync.
    assert!(!<ProbeSync<ArrayViewMut<'static, Cell<i32>>>>::SYNC);
    assert!(!<ProbeSync<LaneMut<'static, Cell<i32>>>>::SYNC);
    assert!(!<ProbeSync<IterMut<'static, Cell<i32>>>>::SYNC);
    // Rc is neither.
    assert!(!<Probe<ArrayViewMut<'static, Rc<i32>>>>::SEND);
    assert!(!<Probe<IterMut<'static, Rc<i32>>>>::SEND);
    assert!(!<Probe<LanesMut<'static, Rc<i32>>>>::SEND);
    assert!(!<Probe<Array<Rc<i32>>>>::SEND);
}

#[test]
fn views_cross_threads() {
    let mut a = Array::from_shape_fn([4, 3], |ix| (ix[0] * 3 + ix[1]) as f64);
    let total: f64 = std::thread::scope(|s| {
        let (l, r) = a.split_at(0, 2).unwrap();
        let h1 = s.spawn(move || l.sum());
        let h2 = s.spawn(move || r.sum());
        h1.join().unwrap() + h2.join().unwrap()
    });
    assert_eq!(total, 66.0);
    std::thread::scope(|s| {
        let (mut l, mut r) = a.split_at_mut(1, 1).unwrap();
        s.spawn(move || l.fill(-1.0));
        s.spawn(move || r.map_inplace(|x| *x *= 2.0));
    });
    assert_eq!(a.index_axis(0, 1).unwrap().to_vec(), vec![-1.0, 8.0, 10.0]);
}

#[test]
fn reborrow_lends_and_returns() {
    let mut a = Array::from_vec(vec![1, 2, 3, 4]);
    let mut v = a.view_mut();
    {
        let mut w = v.reborrow();
        w[[0]] = 10;
        let mut inner = w.slice_mut(s![1..]).unwrap();
        inner.fill(0);
    }
    v[[3]] = 40;
    let r = v.reborrow().into_view();
    assert_eq!(r.to_vec(), vec![10, 0, 0, 40]);
    let x: &mut i32 = v.reborrow().into_mut(&[1]).unwrap();
    *x = 5;
    let s = v.reborrow().into_slice().unwrap();
    s[2] = 6;
    assert_eq!(v.as_view().to_vec(), vec![10, 5, 6, 40]);
    let w = v.slice_move(s![..;-1]).unwrap();
    assert_eq!(w.view().to_vec(), vec![40, 6, 5, 10]);
    assert!(w.into_slice().is_none());
    assert_eq!(a.to_vec(), vec![10, 5, 6, 40]);
}

#[test]
fn split_at_mut_halves_are_disjoint_and_cover() {
    let mut a = Array::from_shape_fn([3, 4], |ix| (ix[0] * 4 + ix[1]) as i32);
    {
        let mut t = a.permuted_axes_mut(&[1, 0]).unwrap(); // [4, 3], strides [1, 4]
        let (mut l, mut r) = t.split_at_mut(0, 1).unwrap();
        assert_eq!((l.shape(), r.shape()), (&[1, 3][..], &[3, 3][..]));
        l.fill(-1);
        r.map_inplace(|x| *x *= 10);
        let (mut rl, rr) = r.split_at_move(1, 2).unwrap();
        rl.assign(&rr.as_view().broadcast([3, 2]).unwrap()).unwrap();
    }
    // Column 0 is -1; rows 0 and 1 of columns 1.. copy row 2 (times 10).
    assert_eq!(
        a.to_vec(),
        vec![-1, 90, 100, 110, -1, 90, 100, 110, -1, 90, 100, 110]
    );
    let (l, r) = a.split_at_mut(1, 4).unwrap();
    assert_eq!((l.len(), r.len()), (12, 0));
}

#[test]
fn axis_iter_mut_visits_each_subview_once() {
    let mut a = Array::<i32>::zeros([2, 3, 2]);
    for (i, mut sub) in a.axis_iter_mut(1).unwrap().enumerate() {
        assert_eq!(sub.shape(), &[2, 2]);
        sub += i as i32 + 1;
    }
    assert_eq!(a.to_vec(), vec![1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]);
    let mut it = a.axis_iter_mut(0).unwrap();
    assert_eq!(it.len(), 2);
    let first = it.next().unwrap();
    let second = it.next().unwrap();
    assert!(it.next().is_none());
    assert_eq!(it.len(), 0);
    // Both alive at once: they are disjoint.
    let (mut f, s) = (first, second);
    f.zip_mut_with(&s, |x, y| *x += 10 * y).unwrap();
    assert_eq!(
        a.index_axis(0, 0).unwrap().to_vec(),
        vec![11, 11, 22, 22, 33, 33]
    );
    // Reversed axis.
    let mut r = a.invert_axis_mut(1).unwrap();
    let firsts: Vec<i32> = r
        .axis_iter_mut(1)
        .unwrap()
        .map(|v| v.as_view()[[0, 0]])
        .collect();
    assert_eq!(firsts, vec![33, 22, 11]);
}

#[test]
fn indexed_iter_gives_c_order_indices() {
    let a = Array::from_shape_fn([2, 3], |ix| 10 * ix[0] + ix[1]);
    let t = a.t();
    let got: Vec<(Vec<usize>, usize)> = t.indexed_iter().map(|(i, &x)| (i.to_vec(), x)).collect();
    assert_eq!(
        got,
        vec![
            (vec![0, 0], 0),
            (vec![0, 1], 10),
            (vec![1, 0], 1),
            (vec![1, 1], 11),
            (vec![2, 0], 2),
            (vec![2, 1], 12)
        ]
    );
    assert_eq!(t.indexed_iter().size_hint(), (6, Some(6)));
}

#[test]
fn linspace_matches_numpy() {
    // Values printed by numpy 2.4.6: repr(np.linspace(...).tolist()).
    let cases: [(f64, f64, usize, &[f64]); 6] = [
        (
            0.0,
            1.0,
            7,
            &[
                0.0,
                0.16666666666666666,
                0.3333333333333333,
                0.5,
                0.6666666666666666,
                0.8333333333333333,
                1.0,
            ],
        ),
        (-3.5, 2.25, 5, &[-3.5, -2.0625, -0.625, 0.8125, 2.25]),
        (
            1.0,
            0.0,
            4,
            &[1.0, 0.6666666666666667, 0.33333333333333337, 0.0],
        ),
        (0.1, 0.7, 7, &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]),
        (2.0, 3.0, 1, &[2.0]),
        (-1.0, 1.0, 2, &[-1.0, 1.0]),
    ];
    for (start, end, num, want) in cases {
        let got = Array::linspace(start, end, num).to_vec();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!(
                g.to_bits(),
                w.to_bits(),
                "linspace({start}, {end}, {num}): {got:?}"
            );
        }
    }
    let f = Array::<f32>::linspace(0.0, 1.0, 3);
    assert_eq!(f.to_vec(), vec![0.0f32, 0.5, 1.0]);
}

#[test]
fn arange_integers_match_numpy() {
    // numpy 2.4.6: np.arange(start, stop, step, dtype=...).tolist().
    let a = Array::arange(-128i8, 127, 1).unwrap();
    assert_eq!(a.to_vec(), (-128..=126).collect::<Vec<i8>>());
    let a = Array::arange(127i8, -128, -1).unwrap();
    assert_eq!(a.to_vec(), (-127..=127).rev().collect::<Vec<i8>>());
    assert_eq!(
        Array::arange(-128i8, 127, 127).unwrap().to_vec(),
        vec![-128, -1, 126]
    );
    assert_eq!(
        Array::arange(127i8, -128, -128).unwrap().to_vec(),
        vec![127, -1]
    );
    let a = Array::arange(0u8, 255, 3).unwrap();
    assert_eq!(a.to_vec(), (0..=252).step_by(3).collect::<Vec<u8>>());
    assert_eq!(
        Array::arange(i64::MIN, i64::MAX, 1 << 62).unwrap().to_vec(),
        vec![i64::MIN, -4611686018427387904, 0, 4611686018427387904]
    );
    assert_eq!(
        Array::arange(i64::MAX, i64::MIN, -3 << 60)
            .unwrap()
            .to_vec(),
        vec![
            9223372036854775807,
            5764607523034234879,
            2305843009213693951,
            -1152921504606846977,
            -4611686018427387905,
            -8070450532247928833
        ]
    );
    assert_eq!(
        Array::arange(0u64, u64::MAX, 1 << 63).unwrap().to_vec(),
        vec![0, 1 << 63]
    );
    let a = Array::arange(-32768i16, 32767, 4096).unwrap();
    assert_eq!(
        a.to_vec(),
        (-32768..32767).step_by(4096).collect::<Vec<i16>>()
    );
    // Empty ranges.
    assert_eq!(Array::arange(5i8, 5, 1).unwrap().len(), 0);
    assert_eq!(Array::arange(5i8, -5, 1).unwrap().len(), 0);
    assert_eq!(Array::arange(-5i8, 5, -1).unwrap().len(), 0);
    // Too many values for memory is an error, not an attempt to allocate.
    let e = Array::arange(i64::MIN, i64::MAX, 1).unwrap_err();
    assert!(e.to_string().contains("has too many values"), "{e}");
}

#[test]
fn arange_matches_numpy() {
    // Values printed by numpy 2.4.6: repr(np.arange(...).tolist()).
    let cases: [(f64, f64, f64, &[f64]); 9] = [
        (0.1, 1.0, 0.3, &[0.1, 0.4, 0.7000000000000001]),
        (
            -1.0,
            0.0,
            0.3,
            &[-1.0, -0.7, -0.3999999999999999, -0.09999999999999987],
        ),
        (1.0, 0.0, -0.25, &[1.0, 0.75, 0.5, 0.25]),
        (
            0.0,
            1.0,
            0.1,
            &[
                0.0,
                0.1,
                0.2,
                0.30000000000000004,
                0.4,
                0.5,
                0.6000000000000001,
                0.7000000000000001,
                0.8,
                0.9,
            ],
        ),
        (0.0, 0.0, 1.0, &[]),
        (5.0, 0.0, 1.0, &[]),
        (0.3, 2.0, 0.7, &[0.3, 1.0, 1.7]),
        (
            0.001,
            1.0,
            0.1,
            &[
                0.001,
                0.101,
                0.201,
                0.30100000000000005,
                0.401,
                0.501,
                0.6010000000000001,
                0.7010000000000001,
                0.801,
                0.901,
            ],
        ),
        (
            -2.2,
            3.1,
            0.45,
            &[
                -2.2,
                -1.7500000000000002,
                -1.3000000000000003,
                -0.8500000000000003,
                -0.40000000000000036,
                0.04999999999999982,
                0.49999999999999956,
                0.9499999999999993,
                1.3999999999999995,
                1.8499999999999996,
                2.3,
                2.749999999999999,
            ],
        ),
    ];
    for (start, end, step, want) in cases {
        let got = Array::arange(start, end, step).unwrap().to_vec();
        assert_eq!(
            got.len(),
            want.len(),
            "arange({start}, {end}, {step}): {got:?}"
        );
        for (g, w) in got.iter().zip(want) {
            assert_eq!(
                g.to_bits(),
                w.to_bits(),
                "arange({start}, {end}, {step}): {got:?}"
            );
        }
    }
    // Integers: np.arange(0, 10, 3), np.arange(10, 0, -3), np.arange(-5, 5, 4).
    assert_eq!(Array::arange(0, 10, 3).unwrap().to_vec(), vec![0, 3, 6, 9]);
    assert_eq!(
        Array::arange(10, 0, -3).unwrap().to_vec(),
        vec![10, 7, 4, 1]
    );
    assert_eq!(
        Array::arange(-5i64, 5, 4).unwrap().to_vec(),
        vec![-5, -1, 3]
    );
    assert_eq!(Array::arange(3, 3, 1).unwrap().len(), 0);
}

#[test]
fn array_macro() {
    let a = array![1, 2, 3];
    assert_eq!((a.shape(), a.to_vec()), (&[3][..], vec![1, 2, 3]));
    let b = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0],];
    assert_eq!(b.shape(), &[3, 2]);
    assert_eq!(b[[2, 1]], 6.0);
    let c = array![[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]];
    assert_eq!(c.shape(), &[2, 2, 3]);
    assert_eq!(c[[1, 0, 2]], 9);
    assert_eq!(c.to_vec(), (1..=12).collect::<Vec<_>>());
    let x: f64 = 2.5;
    let d = array![[x * 2.0, -x], [x + 1.0, x.sqrt()]];
    assert_eq!(d[[0, 0]], 5.0);
    let e = array![[7]];
    assert_eq!(e.shape(), &[1, 1]);
    let f = array![1u8,];
    assert_eq!(f.to_vec(), vec![1u8]);
    let row = array![[1, 2, 3]];
    assert_eq!(row.shape(), &[1, 3]);
}

#[test]
fn constructors() {
    let a = Array::from_shape_vec(vec![2, 2], vec![1, 2, 3, 4]).unwrap();
    let b = Array::from_shape_vec(&[2, 2][..], vec![1, 2, 3, 4]).unwrap();
    let c = Array::from_shape_vec([2, 2], vec![1, 2, 3, 4]).unwrap();
    assert!(a == b && b == c);
    assert_eq!(Array::<f64>::ones([2]).to_vec(), vec![1.0, 1.0]);
    assert_eq!(Array::from_elem([2, 1], 'x').to_vec(), vec!['x', 'x']);
    assert_eq!(Array::from(vec![1, 2]).shape(), &[2]);
    // Fortran order through strides: logical order is still C order.
    let f = Array::from_shape_vec_strides([2, 3], &[1, 2], vec![1, 4, 2, 5, 3, 6]).unwrap();
    assert_eq!(f.to_vec(), vec![1, 2, 3, 4, 5, 6]);
    assert!(!f.is_standard_layout());
    assert_eq!(f.clone().into_raw_vec(), vec![1, 4, 2, 5, 3, 6]);
    assert_eq!(f.clone().into_vec(), vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(f.to_owned().as_slice(), Some(&[1, 2, 3, 4, 5, 6][..]));
    assert_eq!(
        f.clone().into_shape([3, 2]).unwrap().to_vec(),
        vec![1, 2, 3, 4, 5, 6]
    );
    assert_eq!(
        f.lanes(0).unwrap().next().unwrap().as_slice(),
        Some(&[1, 4][..])
    );
    assert_eq!(
        f,
        Array::from_shape_vec([2, 3], vec![1, 2, 3, 4, 5, 6]).unwrap()
    );
    let mut g = f.clone();
    g.view_mut().fill(0);
    g[[1, 2]] = 9;
    assert_eq!(g.into_raw_vec(), vec![0, 0, 0, 0, 0, 9]);
    // A 3-d permuted layout moved into logical order in place.
    let p = Array::from_shape_vec_strides([2, 3, 4], &[1, 8, 2], (0..24).collect()).unwrap();
    let want: Vec<i32> = all_indices(&[2, 3, 4])
        .iter()
        .map(|ix| (ix[0] + 8 * ix[1] + 2 * ix[2]) as i32)
        .collect();
    assert_eq!(p.clone().into_vec(), want);
    assert_eq!(p.to_vec(), want);
}

#[test]
fn huge_arguments_are_errors_with_true_numbers() {
    let a = Array::<i32>::zeros([2, 3]);
    // A usize index or axis beyond isize::MAX is not "-1" in the message.
    let e = a.index_axis(0, usize::MAX).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "index {} is out of bounds for axis 0 with size 2",
            isize::MAX
        )
    );
    let e = a.insert_axis(usize::MAX).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "axis {} is out of bounds for array of dimension 3",
            isize::MAX
        )
    );
    let e = a.split_at(1, usize::MAX).unwrap_err();
    assert_eq!(
        e,
        Error::SplitOutOfRange {
            axis: 1,
            index: usize::MAX,
            len: 3
        }
    );
    // Broadcasting to more than isize::MAX elements is an error, not a panic.
    let one = Array::from_vec(vec![7]);
    let e = one.broadcast([usize::MAX]).unwrap_err();
    assert_eq!(
        e,
        Error::TooLarge {
            shape: vec![usize::MAX]
        }
    );
    assert!(matches!(
        one.broadcast([1 << 40, 1 << 40]),
        Err(Error::TooLarge { .. })
    ));
    assert_eq!(one.broadcast([1 << 40]).unwrap().len(), 1 << 40);
    // Strides of the wrong length are an error too.
    let data = [1, 2, 3];
    let e = ArrayView::from_slice_with_strides(&data, [3], &[1, 1], 0).unwrap_err();
    assert!(
        matches!(e, Error::WrongIndexCount { given: 2, ndim: 1 }),
        "{e:?}"
    );
}

#[test]
fn error_not_contiguous_and_bad_bytes() {
    // The byte views' errors, checked here so that every variant has a test.
    let a = Array::from_shape_vec([2, 3], vec![1u16, 2, 3, 4, 5, 6]).unwrap();
    let e = a.t().as_bytes().unwrap_err();
    assert_eq!(
        e,
        Error::NotContiguous {
            shape: vec![3, 2],
            strides: vec![1, 3]
        }
    );
    assert_eq!(
        e.to_string(),
        "array of shape [3, 2] with strides [1, 3] is not in standard (C-contiguous) layout"
    );
    assert_eq!(a.as_bytes().unwrap().len(), 12);
    let bytes = [0u8; 8];
    let e = ArrayView::<u16>::from_bytes([3], &bytes[..5]).unwrap_err();
    assert!(matches!(e, Error::BadBytes { .. }));
    assert_eq!(
        e.to_string(),
        "5 bytes cannot hold shape [3] of u16: it needs 3 elements of 2 bytes = 6 bytes"
    );
    // One of the two offsets 0 and 1 is misaligned for u16.
    let odd = if ArrayView::<u16>::from_bytes([2], &bytes[..4]).is_ok() {
        1
    } else {
        0
    };
    let e = ArrayView::<u16>::from_bytes([2], &bytes[odd..odd + 4]).unwrap_err();
    assert!(
        e.to_string()
            .contains("are not aligned for u16, which needs a multiple of 2 (off by 1)"),
        "{e}"
    );
}
