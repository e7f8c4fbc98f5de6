//! Shapes, strides and the index arithmetic over them: sizes, contiguity, the
//! offset range a layout reaches, axis merging and the two loop planners.
//!
//! Everything here is plain integer arithmetic on element offsets; the pointer
//! side lives in `raw`. Strides are in elements and may be negative or zero.

use smallvec::{smallvec, SmallVec};

use crate::error::{Error, Result};

/// The lengths of an array's axes. Up to four axes are stored inline, without a heap allocation.
pub type Shape = SmallVec<[usize; 4]>;
/// The distance, in elements, between neighbours along each axis. Up to four inline.
pub type Strides = SmallVec<[isize; 4]>;

/// Anything that names a shape: `[usize; N]`, `&[usize]`, `Vec<usize>`, a [`Shape`] or a
/// single `usize` for 1-D.
///
/// ```
/// use ndcore::prelude::*;
/// let a = Array::<f64>::zeros([2, 3]);
/// let b = Array::<f64>::zeros(vec![2, 3]);
/// let c = Array::<f64>::zeros(&[2, 3][..]);
/// assert!(a.shape() == b.shape() && b.shape() == c.shape());
/// assert_eq!(Array::<f64>::zeros(4).shape(), &[4]);
/// ```
pub trait IntoShape {
    /// Converts into a [`Shape`].
    fn into_shape(self) -> Shape;
}

impl<const N: usize> IntoShape for [usize; N] {
    fn into_shape(self) -> Shape {
        Shape::from_slice(&self)
    }
}
impl IntoShape for &[usize] {
    fn into_shape(self) -> Shape {
        Shape::from_slice(self)
    }
}
impl<const N: usize> IntoShape for &[usize; N] {
    fn into_shape(self) -> Shape {
        Shape::from_slice(self)
    }
}
impl IntoShape for Vec<usize> {
    fn into_shape(self) -> Shape {
        Shape::from_vec(self)
    }
}
impl IntoShape for Shape {
    fn into_shape(self) -> Shape {
        self
    }
}
impl IntoShape for usize {
    fn into_shape(self) -> Shape {
        smallvec![self]
    }
}

/// The number of elements of `shape`, or an error when it exceeds `isize::MAX`.
pub(crate) fn size_checked(shape: &[usize]) -> Result<usize> {
    shape
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| Error::TooLarge {
            shape: shape.to_vec(),
        })
}

/// Row-major (C order) strides. A zero-length axis counts as length 1 so the strides
/// stay meaningful, as numpy does.
pub(crate) fn c_strides(shape: &[usize]) -> Strides {
    let mut strides: Strides = smallvec![0; shape.len()];
    let mut step = 1isize;
    for (s, &n) in strides.iter_mut().zip(shape).rev() {
        *s = step;
        step = step.wrapping_mul(n.max(1) as isize);
    }
    strides
}

/// The lowest and highest element offsets a layout reaches from element `[0, ..]`,
/// `Ok(None)` when it has no elements, `Err(())` on overflow.
pub(crate) fn offset_range(
    shape: &[usize],
    strides: &[isize],
) -> Result<Option<(isize, isize)>, ()> {
    if shape.contains(&0) {
        return Ok(None);
    }
    let (mut lo, mut hi) = (0isize, 0isize);
    for (&n, &s) in shape.iter().zip(strides) {
        let reach = isize::try_from(n - 1)
            .ok()
            .and_then(|m| m.checked_mul(s))
            .ok_or(())?;
        if reach < 0 {
            lo = lo.checked_add(reach).ok_or(())?;
        } else {
            hi = hi.checked_add(reach).ok_or(())?;
        }
    }
    Ok(Some((lo, hi)))
}

/// Whether the elements are laid out in row-major order with no gaps. Length-1 axes
/// may have any stride; an empty array is contiguous.
pub(crate) fn is_c_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    if let ([n], [s]) = (shape, strides) {
        return *s == 1 || *n <= 1;
    }
    if shape.contains(&0) {
        return true;
    }
    let mut expect = 1isize;
    for (&n, &s) in shape.iter().zip(strides).rev() {
        if n != 1 {
            if s != expect {
                return false;
            }
            expect *= n as isize;
        }
    }
    true
}

/// Whether two distinct indices can address the same element.
///
/// Sorted by |stride|, each axis must step past everything the smaller axes reach.
/// Zero strides on axes longer than 1 overlap by definition.
pub(crate) fn has_overlap(shape: &[usize], strides: &[isize]) -> bool {
    if shape.contains(&0) {
        return false;
    }
    if let ([n], [s]) = (shape, strides) {
        // The common 1-D case, without the sort.
        return *n > 1 && *s == 0;
    }
    let mut axes: SmallVec<[(usize, usize); 4]> = shape
        .iter()
        .zip(strides)
        .filter(|(&n, _)| n > 1)
        .map(|(&n, &s)| (s.unsigned_abs(), n))
        .collect();
    axes.sort_unstable();
    let mut reach = 0usize;
    for (s, n) in axes {
        if s <= reach {
            return true;
        }
        reach = match (n - 1).checked_mul(s).and_then(|r| r.checked_add(reach)) {
            Some(r) => r,
            None => return true,
        };
    }
    false
}

/// Checks an axis given as `usize` (never counted from the end). A huge value such as
/// `usize::MAX` is out of range, not `-1` after a cast.
pub(crate) fn check_axis(axis: usize, ndim: usize) -> Result<usize> {
    if axis < ndim {
        Ok(axis)
    } else {
        Err(Error::AxisOutOfRange {
            axis: isize::try_from(axis).unwrap_or(isize::MAX),
            ndim,
        })
    }
}

/// Merges neighbouring axes that step as one (`stride[i] == stride[i + 1] * shape[i + 1]`)
/// and drops length-1 axes, keeping C order. The result has at least one axis; an empty
/// layout becomes `[0]`, a single element `[1]`.
pub(crate) fn merge_c_order(shape: &[usize], strides: &[isize]) -> (Shape, Strides) {
    if shape.contains(&0) {
        return (smallvec![0], smallvec![1]);
    }
    let mut m_shape = Shape::new();
    let mut m_strides = Strides::new();
    for (&n, &s) in shape.iter().zip(strides) {
        if n == 1 {
            continue;
        }
        match (m_shape.last_mut(), m_strides.last_mut()) {
            (Some(last_n), Some(last_s)) if *last_s == s * n as isize => {
                *last_n *= n;
                *last_s = s;
            }
            _ => {
                m_shape.push(n);
                m_strides.push(s);
            }
        }
    }
    if m_shape.is_empty() {
        return (smallvec![1], smallvec![1]);
    }
    (m_shape, m_strides)
}

/// The loop nest of an elementwise walk over same-shape operands, operand 0 (the output)
/// leading: axes sorted by operand 0's |stride| (largest outermost), axes where operand 0
/// steps backwards flipped for every operand, neighbours merged where all operands
/// agree, length-1 axes dropped. This is numpy's raw array iterator plan.
pub(crate) struct Plan {
    /// Loop lengths, outermost first; the last is the inner run. Never empty.
    pub shape: Shape,
    /// Each operand's strides along the loop axes.
    pub strides: SmallVec<[Strides; 4]>,
    /// Each operand's offset of the first visited element.
    pub start: SmallVec<[isize; 4]>,
}

impl Plan {
    pub(crate) fn new(shape: &[usize], operands: &[&[isize]]) -> Self {
        let k = operands.len();
        let mut start: SmallVec<[isize; 4]> = smallvec![0; k];
        if shape.contains(&0) {
            return Plan {
                shape: smallvec![0],
                strides: smallvec![smallvec![1]; k],
                start,
            };
        }
        let mut axes: SmallVec<[usize; 4]> = (0..shape.len()).filter(|&a| shape[a] > 1).collect();
        let mut st: SmallVec<[Strides; 4]> =
            operands.iter().map(|s| Strides::from_slice(s)).collect();
        for &a in &axes {
            if st[0][a] < 0 {
                for (o, s) in start.iter_mut().zip(st.iter_mut()) {
                    *o += (shape[a] as isize - 1) * s[a];
                    s[a] = -s[a];
                }
            }
        }
        // Stable, so equal strides keep C order (operand 0 broadcast along both, say).
        axes.sort_by_key(|&a| std::cmp::Reverse(st[0][a]));
        let mut p_shape = Shape::new();
        let mut p_strides: SmallVec<[Strides; 4]> = smallvec![Strides::new(); k];
        for a in axes {
            let n = shape[a];
            let merge = !p_shape.is_empty()
                && st
                    .iter()
                    .zip(&p_strides)
                    .all(|(s, p)| p.last() == Some(&(s[a] * n as isize)));
            if let (true, Some(last)) = (merge, p_shape.last_mut()) {
                *last *= n;
                for (p, s) in p_strides.iter_mut().zip(&st) {
                    if let Some(l) = p.last_mut() {
                        *l = s[a];
                    }
                }
            } else {
                p_shape.push(n);
                for (p, s) in p_strides.iter_mut().zip(&st) {
                    p.push(s[a]);
                }
            }
        }
        if p_shape.is_empty() {
            p_shape.push(1);
            for s in &mut p_strides {
                s.push(0);
            }
        }
        Plan {
            shape: p_shape,
            strides: p_strides,
            start,
        }
    }

    /// The length of each inner run.
    pub(crate) fn run_len(&self) -> usize {
        self.shape[self.shape.len() - 1]
    }

    /// Operand `k`'s stride within a run.
    pub(crate) fn run_stride(&self, k: usize) -> isize {
        let s = &self.strides[k];
        s[s.len() - 1]
    }

    /// Calls `f` with each operand's offset of the start of every inner run. The outer
    /// index advances once per run, never once per element.
    pub(crate) fn for_each_run(&self, mut f: impl FnMut(&[isize])) {
        if self.shape.contains(&0) {
            return;
        }
        let outer = self.shape.len() - 1;
        let mut index: Shape = smallvec![0; outer];
        let mut off = self.start.clone();
        loop {
            f(&off);
            let mut ax = outer;
            loop {
                if ax == 0 {
                    return;
                }
                ax -= 1;
                index[ax] += 1;
                for (o, s) in off.iter_mut().zip(&self.strides) {
                    *o += s[ax];
                }
                if index[ax] < self.shape[ax] {
                    break;
                }
                index[ax] = 0;
                for (o, s) in off.iter_mut().zip(&self.strides) {
                    *o -= s[ax] * self.shape[ax] as isize;
                }
            }
        }
    }
}

/// The offsets of a layout's elements in logical C order, stepping the outer index once
/// per inner run of merged axes.
#[derive(Clone, Debug)]
pub(crate) struct OffsetIter {
    shape: Shape,
    strides: Strides,
    index: Shape,
    run_start: isize,
    pos: usize,
    left: usize,
}

impl OffsetIter {
    pub(crate) fn new(shape: &[usize], strides: &[isize]) -> Self {
        let left = shape.iter().product();
        let (shape, strides) = merge_c_order(shape, strides);
        let index = smallvec![0; shape.len() - 1];
        OffsetIter {
            shape,
            strides,
            index,
            run_start: 0,
            pos: 0,
            left,
        }
    }

    fn run_len(&self) -> usize {
        self.shape[self.shape.len() - 1]
    }

    /// The stride within a run.
    pub(crate) fn run_stride(&self) -> isize {
        self.strides[self.strides.len() - 1]
    }

    /// Moves to the next run; only called when elements are left.
    fn next_outer(&mut self) {
        let mut ax = self.index.len();
        while ax > 0 {
            ax -= 1;
            self.index[ax] += 1;
            self.run_start += self.strides[ax];
            if self.index[ax] < self.shape[ax] {
                break;
            }
            self.run_start -= self.strides[ax] * self.shape[ax] as isize;
            self.index[ax] = 0;
        }
        self.pos = 0;
    }

    /// The rest of the current run as (start offset, length), then the following runs.
    pub(crate) fn next_run(&mut self) -> Option<(isize, usize)> {
        if self.left == 0 {
            return None;
        }
        if self.pos == self.run_len() {
            self.next_outer();
        }
        let len = self.run_len() - self.pos;
        let start = self.run_start + self.pos as isize * self.run_stride();
        self.pos += len;
        self.left -= len;
        Some((start, len))
    }
}

impl Iterator for OffsetIter {
    type Item = isize;

    #[inline]
    fn next(&mut self) -> Option<isize> {
        if self.left == 0 {
            return None;
        }
        if self.pos == self.run_len() {
            self.next_outer();
        }
        let off = self.run_start + self.pos as isize * self.run_stride();
        self.pos += 1;
        self.left -= 1;
        Some(off)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for OffsetIter {}

/// The shape two shapes broadcast to, numpy's rules: align at the end, length-1 axes
/// stretch.
pub(crate) fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Shape> {
    let n = a.len().max(b.len());
    let mut out: Shape = smallvec![0; n];
    for i in 0..n {
        let da = if i < n - a.len() {
            1
        } else {
            a[i - (n - a.len())]
        };
        let db = if i < n - b.len() {
            1
        } else {
            b[i - (n - b.len())]
        };
        out[i] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => {
                return Err(Error::Broadcast {
                    from: a.to_vec(),
                    to: b.to_vec(),
                })
            }
        };
    }
    Ok(out)
}

/// Strides that view `shape`/`strides` as `target` (zero strides on stretched axes).
pub(crate) fn broadcast_strides(
    shape: &[usize],
    strides: &[isize],
    target: &[usize],
) -> Result<Strides> {
    let err = || Error::Broadcast {
        from: shape.to_vec(),
        to: target.to_vec(),
    };
    if target.len() < shape.len() {
        return Err(err());
    }
    let lead = target.len() - shape.len();
    let mut out: Strides = smallvec![0; target.len()];
    for (i, (&n, &s)) in shape.iter().zip(strides).enumerate() {
        let t = target[lead + i];
        out[lead + i] = if n == t {
            s
        } else if n == 1 {
            0
        } else {
            return Err(err());
        };
    }
    Ok(out)
}

/// Strides for viewing a layout as `new_shape` without moving data, or `None` when the
/// existing strides cannot express it. Follows numpy's `_attempt_nocopy_reshape`: groups
/// of old axes that hold the same number of elements as a group of new axes must be
/// contiguous among themselves.
pub(crate) fn reshape_strides(
    shape: &[usize],
    strides: &[isize],
    new_shape: &[usize],
) -> Option<Strides> {
    let size: usize = shape.iter().product();
    if size == 0 || shape.is_empty() {
        return Some(c_strides(new_shape));
    }
    let old: SmallVec<[(usize, isize); 4]> = shape
        .iter()
        .zip(strides)
        .filter(|(&n, _)| n != 1)
        .map(|(&n, &s)| (n, s))
        .collect();
    let mut out: Strides = smallvec![0; new_shape.len()];
    let (mut oi, mut ni) = (0usize, 0usize);
    while ni < new_shape.len() && oi < old.len() {
        // Grow a group on each side until both hold the same number of elements.
        let (oj0, nj0) = (oi, ni);
        let mut np = new_shape[ni];
        let mut op = old[oi].0;
        let (mut oj, mut nj) = (oi + 1, ni + 1);
        while np != op {
            if np < op {
                np *= *new_shape.get(nj)?;
                nj += 1;
            } else {
                op *= old.get(oj)?.0;
                oj += 1;
            }
        }
        for k in oj0..oj - 1 {
            if old[k].1 != old[k + 1].1 * old[k + 1].0 as isize {
                return None;
            }
        }
        out[nj - 1] = old[oj - 1].1;
        for k in (nj0 + 1..nj).rev() {
            out[k - 1] = out[k] * new_shape[k] as isize;
        }
        oi = oj;
        ni = nj;
    }
    // Trailing length-1 axes of the new shape take any stride.
    for s in out.iter_mut().skip(ni) {
        *s = 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_order_and_merges_contiguous() {
        let (s, t) = merge_c_order(&[2, 3, 4], &[12, 4, 1]);
        assert_eq!((s.as_slice(), t.as_slice()), (&[24][..], &[1][..]));
        let (s, t) = merge_c_order(&[2, 3, 4], &[1, 8, 2]);
        assert_eq!((s.as_slice(), t.as_slice()), (&[2, 12][..], &[1, 2][..]));
        let (s, _) = merge_c_order(&[1, 1], &[5, 7]);
        assert_eq!(s.as_slice(), &[1]);
    }

    #[test]
    fn plan_sorts_flips_and_merges() {
        // A transposed C array walks in memory order.
        let p = Plan::new(&[4, 3], &[&[1, 4]]);
        assert_eq!(p.shape.as_slice(), &[12]);
        // A reversed axis is flipped: the walk starts at the last element.
        let p = Plan::new(&[5], &[&[-1]]);
        assert_eq!((p.start[0], p.strides[0][0]), (-4, 1));
    }

    #[test]
    fn huge_axes_are_out_of_range() {
        assert_eq!(check_axis(1, 2), Ok(1));
        assert_eq!(
            check_axis(usize::MAX, 2),
            Err(Error::AxisOutOfRange {
                axis: isize::MAX,
                ndim: 2
            })
        );
        assert_eq!(
            check_axis(2, 2),
            Err(Error::AxisOutOfRange { axis: 2, ndim: 2 })
        );
    }

    #[test]
    fn overlap_detection() {
        assert!(!has_overlap(&[2, 3], &[3, 1]));
        assert!(has_overlap(&[2, 3], &[1, 1]));
        assert!(has_overlap(&[2], &[0]));
        assert!(!has_overlap(&[1], &[0]));
        assert!(!has_overlap(&[3, 2], &[-1, 3]));
    }

    #[test]
    fn reshape_of_strided_layouts() {
        let s = reshape_strides(&[2, 3], &[3, 1], &[3, 2]).unwrap();
        assert_eq!(s.as_slice(), &[2, 1]);
        assert!(reshape_strides(&[2, 3], &[1, 2], &[6]).is_none());
        let s = reshape_strides(&[4, 6], &[12, 1], &[4, 2, 3]).unwrap();
        assert_eq!(s.as_slice(), &[12, 3, 1]);
        let s = reshape_strides(&[6], &[-2], &[2, 3]).unwrap();
        assert_eq!(s.as_slice(), &[-6, -2]);
    }
}
