//! Shapes, strides and all the index arithmetic over them: the [`Layout`] type with its
//! transforms (slicing, permuting, reshaping, broadcasting, splitting), contiguity, the
//! offset range a layout reaches, axis merging and the loop plans of the walks.
//!
//! Everything here is plain integer arithmetic on element offsets; the pointer
//! side lives in `raw`. Strides are in elements and may be negative or zero.

use smallvec::{smallvec, SmallVec};

use crate::axis::AxisArg;
use crate::error::{Error, Result};
use crate::slice::{Slice, SliceArg};

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

/// Checks that `shape` has exactly `len` elements, as a buffer of `len` elements must.
pub(crate) fn check_len(shape: &[usize], len: usize) -> Result<()> {
    if size_checked(shape)? == len {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            shape: shape.to_vec(),
            len,
        })
    }
}

/// A shape and its strides: where each index of an array lives, as an element offset
/// from element `[0, ..]`.
///
/// Every layout transform (slicing, transposing, reshaping, broadcasting, splitting) is
/// a method here that returns the derived layout together with the offset of its
/// element `[0, ..]` from this one's, a [`Relayout`]; the views in `raw` only move their
/// pointer by that offset, after checking that the result stays inside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) shape: Shape,
    pub(crate) strides: Strides,
}

/// A derived layout: the offset of its element `[0, ..]` from its parent's, and itself.
pub(crate) type Relayout = (isize, Layout);

impl Layout {
    pub(crate) fn new(shape: Shape, strides: Strides) -> Self {
        Layout { shape, strides }
    }

    /// Row-major (C order) strides. A zero-length axis counts as length 1 so the strides
    /// stay meaningful, as numpy does.
    pub(crate) fn c_order(shape: Shape) -> Self {
        let mut strides: Strides = smallvec![0; shape.len()];
        let mut step = 1isize;
        for (s, &n) in strides.iter_mut().zip(&shape).rev() {
            *s = step;
            step = step.wrapping_mul(n.max(1) as isize);
        }
        Layout { shape, strides }
    }

    /// `shape` stored in the memory order of `like` (numpy's `order='K'`): axes from the
    /// largest |stride| outermost to the smallest, reversed axes stored forwards, ties
    /// and a different number of axes in row-major order. The caller has checked the size.
    pub(crate) fn like(shape: Shape, like: &[isize]) -> Self {
        let mut order: SmallVec<[usize; 4]> = (0..shape.len()).collect();
        if like.len() == shape.len() {
            // Stable, so ties keep row-major order.
            order.sort_by_key(|&a| std::cmp::Reverse(like[a].unsigned_abs()));
        }
        let mut strides: Strides = smallvec![0; shape.len()];
        let mut step = 1isize;
        for &a in order.iter().rev() {
            strides[a] = step;
            step *= shape[a].max(1) as isize;
        }
        Layout { shape, strides }
    }

    /// The number of elements (1 for no axes).
    pub(crate) fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether the elements are laid out in row-major order with no gaps. Length-1 axes
    /// may have any stride; an empty array is contiguous.
    pub(crate) fn is_c_contiguous(&self) -> bool {
        is_c_contiguous(&self.shape, &self.strides)
    }

    /// The lowest and highest element offsets the layout reaches from element `[0, ..]`,
    /// `Ok(None)` when it has no elements, `Err(())` on overflow.
    pub(crate) fn offset_range(&self) -> Result<Option<(isize, isize)>, ()> {
        if self.shape.contains(&0) {
            return Ok(None);
        }
        let (mut lo, mut hi) = (0isize, 0isize);
        for (&n, &s) in self.shape.iter().zip(&self.strides) {
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

    /// Whether two distinct indices can address the same element.
    ///
    /// Sorted by |stride|, each axis must step past everything the smaller axes reach.
    /// Zero strides on axes longer than 1 overlap by definition.
    pub(crate) fn has_overlap(&self) -> bool {
        if self.shape.contains(&0) {
            return false;
        }
        if let ([n], [s]) = (&self.shape[..], &self.strides[..]) {
            // The common 1-D case, without the sort.
            return *n > 1 && *s == 0;
        }
        let mut axes: SmallVec<[(usize, usize); 4]> = self
            .shape
            .iter()
            .zip(&self.strides)
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

    /// The offset of `index`, or `None` when it has the wrong length or leaves the shape.
    #[inline]
    pub(crate) fn offset_of(&self, index: &[usize]) -> Option<isize> {
        if index.len() != self.shape.len() {
            return None;
        }
        let mut off = 0isize;
        for ((&i, &n), &s) in index.iter().zip(&self.shape).zip(&self.strides) {
            if i >= n {
                return None;
            }
            off += i as isize * s;
        }
        Some(off)
    }

    /// Checks that the layout, with element `[0, ..]` at `offset`, stays inside a buffer
    /// of `len` elements.
    pub(crate) fn check_in_buffer(&self, offset: usize, len: usize) -> Result<()> {
        let (shape, strides) = (&self.shape[..], &self.strides[..]);
        let err = || Error::OutOfBounds {
            shape: shape.to_vec(),
            strides: strides.to_vec(),
            offset,
            len,
        };
        if shape.len() != strides.len() {
            return Err(Error::WrongIndexCount {
                given: strides.len(),
                ndim: shape.len(),
            });
        }
        if let ([n], [s], 0) = (shape, strides, offset) {
            // The common 1-D forward case in one comparison (a stride of at least 1
            // cannot overflow inside a buffer that exists).
            if *s >= 1 && (*n == 0 || (*n - 1).checked_mul(*s as usize).is_some_and(|r| r < len)) {
                return Ok(());
            }
        }
        size_checked(shape)?;
        match self.offset_range().map_err(|()| err())? {
            None if offset <= len => Ok(()),
            Some((lo, hi)) => {
                let off = isize::try_from(offset).map_err(|_| err())?;
                let ok = off.checked_add(lo).is_some_and(|x| x >= 0)
                    && off.checked_add(hi).is_some_and(|x| (x as usize) < len);
                if ok {
                    Ok(())
                } else {
                    Err(err())
                }
            }
            None => Err(err()),
        }
    }

    /// Whether `inner`, with element `[0, ..]` at `offset` from this layout's, reaches
    /// only offsets this layout reaches the bounds of (an empty `inner` reaches none).
    pub(crate) fn reaches_within(&self, offset: isize, inner: &Layout) -> bool {
        let Ok(inner) = inner.offset_range() else {
            return false;
        };
        let Some((lo, hi)) = inner else { return true };
        let Ok(Some((olo, ohi))) = self.offset_range() else {
            return false;
        };
        offset.checked_add(lo).is_some_and(|x| x >= olo)
            && offset.checked_add(hi).is_some_and(|x| x <= ohi)
    }

    /// Merges neighbouring axes that step as one (`stride[i] == stride[i + 1] * shape[i + 1]`)
    /// and drops length-1 axes, keeping C order. The result has at least one axis; an empty
    /// layout becomes `[0]`, a single element `[1]`.
    pub(crate) fn merge_c_order(&self) -> Layout {
        if self.shape.contains(&0) {
            return Layout::new(smallvec![0], smallvec![1]);
        }
        let mut m = Layout::new(Shape::new(), Strides::new());
        for (&n, &s) in self.shape.iter().zip(&self.strides) {
            if n == 1 {
                continue;
            }
            match (m.shape.last_mut(), m.strides.last_mut()) {
                (Some(last_n), Some(last_s)) if *last_s == s * n as isize => {
                    *last_n *= n;
                    *last_s = s;
                }
                _ => {
                    m.shape.push(n);
                    m.strides.push(s);
                }
            }
        }
        if m.shape.is_empty() {
            return Layout::new(smallvec![1], smallvec![1]);
        }
        m
    }

    /// The layouts of the lanes along `axis` (in range): the other axes' layout, and the
    /// lanes' length and stride.
    pub(crate) fn split_lanes(&self, axis: usize) -> (Layout, usize, isize) {
        let mut outer = self.clone();
        let len = outer.shape.remove(axis);
        let stride = outer.strides.remove(axis);
        (outer, len, stride)
    }

    /// `args` of [`s!`](crate::s) applied, with numpy's semantics.
    pub(crate) fn slice(&self, args: &[SliceArg]) -> Result<Relayout> {
        let (shape, strides) = (&self.shape[..], &self.strides[..]);
        let consumed = args
            .iter()
            .filter(|a| !matches!(a, SliceArg::NewAxis))
            .count();
        if consumed > shape.len() {
            return Err(Error::WrongIndexCount {
                given: consumed,
                ndim: shape.len(),
            });
        }
        let mut offset = 0isize;
        let mut out = Layout::new(Shape::new(), Strides::new());
        let mut axis = 0usize;
        for arg in args {
            match *arg {
                SliceArg::NewAxis => {
                    out.shape.push(1);
                    out.strides.push(0);
                }
                SliceArg::Index(i) => {
                    let len = shape[axis];
                    let j = if i < 0 { i + len as isize } else { i };
                    if j < 0 || j >= len as isize {
                        return Err(Error::IndexOutOfRange {
                            axis,
                            index: i,
                            len,
                        });
                    }
                    offset += j * strides[axis];
                    axis += 1;
                }
                SliceArg::Slice(s) => {
                    let (start, step, count) = s.resolve(axis, shape[axis])?;
                    if count > 0 {
                        offset += start as isize * strides[axis];
                    }
                    out.shape.push(count);
                    out.strides.push(step_stride(strides[axis], step));
                    axis += 1;
                }
            }
        }
        out.shape.extend_from_slice(&shape[axis..]);
        out.strides.extend_from_slice(&strides[axis..]);
        Ok((offset, out))
    }

    /// `axis` sliced by `s`, the other axes whole.
    pub(crate) fn slice_axis(&self, axis: impl AxisArg, s: Slice) -> Result<Relayout> {
        let axis = axis.resolve(self.shape.len())?;
        let (start, step, count) = s.resolve(axis, self.shape[axis])?;
        let mut out = self.clone();
        out.shape[axis] = count;
        out.strides[axis] = step_stride(self.strides[axis], step);
        let off = if count > 0 {
            start as isize * self.strides[axis]
        } else {
            0
        };
        Ok((off, out))
    }

    /// The hyperplane at `index` along `axis`, without that axis.
    pub(crate) fn index_axis(&self, axis: impl AxisArg, index: usize) -> Result<Relayout> {
        let axis = axis.resolve(self.shape.len())?;
        if index >= self.shape[axis] {
            return Err(Error::IndexOutOfRange {
                axis,
                index: isize::try_from(index).unwrap_or(isize::MAX),
                len: self.shape[axis],
            });
        }
        let (out, _, stride) = self.split_lanes(axis);
        Ok((index as isize * stride, out))
    }

    /// Axis `i` of the result is axis `axes[i]` of this layout.
    pub(crate) fn permuted(&self, axes: &[impl AxisArg]) -> Result<Relayout> {
        let ndim = self.shape.len();
        let mut seen: SmallVec<[bool; 4]> = smallvec![false; ndim];
        let bad = || Error::BadPermutation {
            axes: axes.iter().map(|a| a.signed()).collect(),
            ndim,
        };
        if axes.len() != ndim {
            return Err(bad());
        }
        let axes: SmallVec<[usize; 4]> = axes
            .iter()
            .map(|a| a.resolve(ndim))
            .collect::<Result<_>>()
            .map_err(|_| bad())?;
        for &a in &axes {
            if seen[a] {
                return Err(Error::RepeatedAxis { axis: a });
            }
            seen[a] = true;
        }
        let out = Layout::new(
            axes.iter().map(|&a| self.shape[a]).collect(),
            axes.iter().map(|&a| self.strides[a]).collect(),
        );
        Ok((0, out))
    }

    /// All axes in reverse order.
    pub(crate) fn transposed(&self) -> Layout {
        Layout::new(
            self.shape.iter().rev().copied().collect(),
            self.strides.iter().rev().copied().collect(),
        )
    }

    /// `axis` walked backwards.
    pub(crate) fn invert_axis(&self, axis: impl AxisArg) -> Result<Relayout> {
        let axis = axis.resolve(self.shape.len())?;
        let off = if self.shape.contains(&0) {
            0
        } else {
            (self.shape[axis] as isize - 1) * self.strides[axis]
        };
        let mut out = self.clone();
        out.strides[axis] = -out.strides[axis];
        Ok((off, out))
    }

    /// A new length-1 axis at `axis` among the result's `ndim + 1` axes (`0..=ndim`, or
    /// negative from the end, numpy's `expand_dims`).
    pub(crate) fn insert_axis(&self, axis: impl AxisArg) -> Result<Relayout> {
        let axis = axis.resolve(self.shape.len() + 1)?;
        let mut out = self.clone();
        out.shape.insert(axis, 1);
        out.strides.insert(axis, 0);
        Ok((0, out))
    }

    /// Without the length-1 axis `axis`.
    pub(crate) fn remove_axis(&self, axis: impl AxisArg) -> Result<Relayout> {
        let axis = axis.resolve(self.shape.len())?;
        if self.shape[axis] != 1 {
            return Err(Error::NotSingleton {
                axis,
                len: self.shape[axis],
            });
        }
        Ok((0, self.split_lanes(axis).0))
    }

    /// The same elements in logical C order seen as `new_shape`, without moving data.
    pub(crate) fn reshape(&self, new_shape: Shape) -> Result<Relayout> {
        let len = self.len();
        let new_len = size_checked(&new_shape)?;
        if len != new_len {
            return Err(Error::ReshapeSize {
                len,
                shape: new_shape.to_vec(),
            });
        }
        match self.reshape_strides(&new_shape) {
            Some(strides) => Ok((0, Layout::new(new_shape, strides))),
            None => Err(Error::ReshapeLayout {
                from: self.shape.to_vec(),
                strides: self.strides.to_vec(),
                shape: new_shape.to_vec(),
            }),
        }
    }

    /// Strides for viewing this layout as `new_shape` without moving data, or `None` when
    /// the existing strides cannot express it. Follows numpy's `_attempt_nocopy_reshape`:
    /// groups of old axes that hold the same number of elements as a group of new axes
    /// must be contiguous among themselves.
    fn reshape_strides(&self, new_shape: &[usize]) -> Option<Strides> {
        if self.len() == 0 || self.shape.is_empty() {
            return Some(Layout::c_order(Shape::from_slice(new_shape)).strides);
        }
        let old: SmallVec<[(usize, isize); 4]> = self
            .shape
            .iter()
            .zip(&self.strides)
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

    /// This layout seen with `target`'s shape under numpy's broadcasting rules: axes
    /// aligned at the end, stretched axes (length 1 or missing) with stride 0.
    pub(crate) fn broadcast(&self, target: &[usize]) -> Result<Relayout> {
        let err = || Error::Broadcast {
            from: self.shape.to_vec(),
            to: target.to_vec(),
        };
        // More than isize::MAX elements cannot be addressed (nor checked).
        size_checked(target)?;
        if target.len() < self.shape.len() {
            return Err(err());
        }
        let lead = target.len() - self.shape.len();
        let mut strides: Strides = smallvec![0; target.len()];
        for (i, (&n, &s)) in self.shape.iter().zip(&self.strides).enumerate() {
            let t = target[lead + i];
            strides[lead + i] = if n == t {
                s
            } else if n == 1 {
                0
            } else {
                return Err(err());
            };
        }
        Ok((0, Layout::new(Shape::from_slice(target), strides)))
    }

    /// Checks a split of `axis` at `index` (`0..=len`), returning the axis.
    pub(crate) fn check_split(&self, axis: impl AxisArg, index: usize) -> Result<usize> {
        let axis = axis.resolve(self.shape.len())?;
        if index > self.shape[axis] {
            return Err(Error::SplitOutOfRange {
                axis,
                index,
                len: self.shape[axis],
            });
        }
        Ok(axis)
    }

    /// The two halves `[..index]` and `[index..]` along `axis`, checked by
    /// [`check_split`](Layout::check_split).
    pub(crate) fn split_at(&self, axis: usize, index: usize) -> (Relayout, Relayout) {
        let (mut first, mut second) = (self.clone(), self.clone());
        first.shape[axis] = index;
        second.shape[axis] = self.shape[axis] - index;
        let off = if second.shape.contains(&0) {
            0
        } else {
            index as isize * self.strides[axis]
        };
        ((0, first), (off, second))
    }
}

/// Steps `index` to the next index of `shape` in logical C order (last axis fastest),
/// wrapping to all zeros after the last.
pub(crate) fn next_c_index(index: &mut [usize], shape: &[usize]) {
    for ax in (0..shape.len()).rev() {
        index[ax] += 1;
        if index[ax] < shape[ax] {
            return;
        }
        index[ax] = 0;
    }
}

/// Whether `shape`/`strides` are in row-major order with no gaps; see
/// [`Layout::is_c_contiguous`].
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

/// The stride of an axis sliced with `step`. With two or more elements selected the
/// product is a distance inside the buffer and cannot overflow; with fewer the stride
/// is never used, and a huge step (`isize::MAX`) keeps the old stride rather than
/// overflowing.
fn step_stride(stride: isize, step: isize) -> isize {
    stride.checked_mul(step).unwrap_or(stride)
}

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

    /// The plan of an elementwise walk over `out` and `inputs`, which must all have
    /// `out`'s shape.
    pub(crate) fn elementwise(out: &Layout, inputs: &[&Layout]) -> Result<Self> {
        if let Some(v) = inputs.iter().find(|v| v.shape != out.shape) {
            return Err(Error::ShapeMismatch {
                expected: out.shape.to_vec(),
                found: v.shape.to_vec(),
            });
        }
        let all: SmallVec<[&[isize]; 4]> = std::iter::once(&out.strides[..])
            .chain(inputs.iter().map(|v| &v.strides[..]))
            .collect();
        Ok(Plan::new(&out.shape, &all))
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
    pub(crate) fn new(layout: &Layout) -> Self {
        let left = layout.len();
        let Layout { shape, strides } = layout.merge_c_order();
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

/// Resolves `axis` against `out` and checks that the inputs agree with it on every
/// other axis.
fn check_along(axis: impl AxisArg, out: &Layout, inputs: &[&Layout]) -> Result<usize> {
    let axis = axis.resolve(out.shape.len())?;
    for input in inputs {
        let agree = input.shape.len() == out.shape.len()
            && (0..out.shape.len()).all(|k| k == axis || out.shape[k] == input.shape[k]);
        if !agree {
            return Err(Error::ShapeMismatch {
                expected: out.shape.to_vec(),
                found: input.shape.to_vec(),
            });
        }
    }
    Ok(axis)
}

/// Each operand's (length, stride) along one axis, the output first.
pub(crate) type AxisSteps = SmallVec<[(usize, isize); 4]>;

/// The loops of a lane-order walk along `axis` over an output and inputs that agree with
/// it on every other axis: a [`Plan`] over the other axes (operand 0 the output, then
/// the inputs) and each operand's lane length and stride.
pub(crate) struct LanePlan {
    pub outer: Plan,
    pub lanes: AxisSteps,
}

impl LanePlan {
    pub(crate) fn new(axis: impl AxisArg, out: &Layout, inputs: &[&Layout]) -> Result<Self> {
        let axis = check_along(axis, out, inputs)?;
        let split: SmallVec<[(Layout, usize, isize); 4]> = std::iter::once(out)
            .chain(inputs.iter().copied())
            .map(|l| l.split_lanes(axis))
            .collect();
        let strides: SmallVec<[&[isize]; 4]> = split.iter().map(|(l, ..)| &l.strides[..]).collect();
        Ok(LanePlan {
            outer: Plan::new(&split[0].0.shape, &strides),
            lanes: split.iter().map(|&(_, n, s)| (n, s)).collect(),
        })
    }
}

/// The loops of a plane-order walk along `axis` over an output and inputs that agree
/// with it on every other axis. The other axes split in two: those stepping farther than
/// `axis` in the first input (the output when there is none) are walked outermost
/// (`outer`), the rest form the runs of each hyperplane (`inner`); each plan has the
/// output as operand 0, then the inputs.
pub(crate) struct PlanePlan {
    pub outer: Plan,
    pub inner: Plan,
    /// Each operand's length and stride along `axis`.
    pub axes: AxisSteps,
}

impl PlanePlan {
    /// The plan, or `None` when the output has no elements to visit.
    pub(crate) fn new(
        axis: impl AxisArg,
        out: &Layout,
        inputs: &[&Layout],
    ) -> Result<Option<Self>> {
        let axis = check_along(axis, out, inputs)?;
        let all: SmallVec<[&Layout; 4]> =
            std::iter::once(out).chain(inputs.iter().copied()).collect();
        let lead = inputs.first().copied().unwrap_or(out);
        let reach = lead.strides[axis].unsigned_abs();
        let (mut o_shape, mut i_shape) = (Shape::new(), Shape::new());
        let mut o_st: SmallVec<[Strides; 4]> = smallvec![Strides::new(); all.len()];
        let mut i_st = o_st.clone();
        for k in (0..out.shape.len()).filter(|&k| k != axis) {
            let (sh, st) = if lead.strides[k].unsigned_abs() > reach {
                (&mut o_shape, &mut o_st)
            } else {
                (&mut i_shape, &mut i_st)
            };
            sh.push(out.shape[k]);
            for (s, l) in st.iter_mut().zip(&all) {
                s.push(l.strides[k]);
            }
        }
        if o_shape.contains(&0) || i_shape.contains(&0) || out.shape[axis] == 0 {
            return Ok(None);
        }
        fn refs(st: &[Strides]) -> SmallVec<[&[isize]; 4]> {
            st.iter().map(|s| &s[..]).collect()
        }
        let (outer, inner) = (
            Plan::new(&o_shape, &refs(&o_st)),
            Plan::new(&i_shape, &refs(&i_st)),
        );
        Ok(Some(PlanePlan {
            outer,
            inner,
            axes: all
                .iter()
                .map(|l| (l.shape[axis], l.strides[axis]))
                .collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(shape: &[usize], strides: &[isize]) -> Layout {
        Layout::new(Shape::from_slice(shape), Strides::from_slice(strides))
    }

    #[test]
    fn merge_keeps_order_and_merges_contiguous() {
        let m = layout(&[2, 3, 4], &[12, 4, 1]).merge_c_order();
        assert_eq!(m, layout(&[24], &[1]));
        let m = layout(&[2, 3, 4], &[1, 8, 2]).merge_c_order();
        assert_eq!(m, layout(&[2, 12], &[1, 2]));
        assert_eq!(
            layout(&[1, 1], &[5, 7]).merge_c_order().shape.as_slice(),
            &[1]
        );
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
    fn overlap_detection() {
        assert!(!layout(&[2, 3], &[3, 1]).has_overlap());
        assert!(layout(&[2, 3], &[1, 1]).has_overlap());
        assert!(layout(&[2], &[0]).has_overlap());
        assert!(!layout(&[1], &[0]).has_overlap());
        assert!(!layout(&[3, 2], &[-1, 3]).has_overlap());
    }

    #[test]
    fn reshape_of_strided_layouts() {
        let s = layout(&[2, 3], &[3, 1]).reshape_strides(&[3, 2]).unwrap();
        assert_eq!(s.as_slice(), &[2, 1]);
        assert!(layout(&[2, 3], &[1, 2]).reshape_strides(&[6]).is_none());
        let s = layout(&[4, 6], &[12, 1])
            .reshape_strides(&[4, 2, 3])
            .unwrap();
        assert_eq!(s.as_slice(), &[12, 3, 1]);
        let s = layout(&[6], &[-2]).reshape_strides(&[2, 3]).unwrap();
        assert_eq!(s.as_slice(), &[-6, -2]);
    }

    #[test]
    fn extreme_slice_steps_do_not_overflow() {
        let args = [SliceArg::Slice(Slice::new(None, None, isize::MIN))];
        let (off, l) = layout(&[3, 4], &[4, 1]).slice(&args).unwrap();
        assert_eq!((off, l), (8, layout(&[1, 4], &[4, 1])));
        assert_eq!(step_stride(-3, isize::MAX), -3);
        assert_eq!(step_stride(-3, -2), 6);
    }
}
