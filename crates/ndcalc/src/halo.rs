//! Blocks with halos: one block of a larger array, computed exactly as the whole.
//!
//! An array too large for one call (in chunks, on disk, across machines) is cut along an
//! axis into blocks. Each block is given with a *halo*: `lo` samples of the array before
//! it and `hi` after it, so the input is `lo + block + hi` samples long, and the result
//! covers the block only. The rule:
//!
//! * a halo of at least the builder's [`reach`](crate::GradientAxis::reach) on a side
//!   means the array goes on there: every point of the block takes the formula it takes
//!   on the whole array, from the same samples;
//! * a shorter halo (0 included) means the array ends there, `lo` samples before the
//!   block or `hi` after it (a halo clipped at the array's start or end, as for a block
//!   one sample from the start), so the end formulas apply as on the whole array;
//! * an end with ghost samples (a [`Boundary`](crate::Boundary) other than `Numpy`)
//!   takes no end formula: its reach is the interior stencil's neighbours on that side,
//!   and a block whose halo is clipped there computes the ghosts from the input's
//!   samples at that end, which are the array's (ghosts read only samples within reach
//!   of the end). Each side's reach also covers what the other end reads into the axis,
//!   so the two sides' reaches may differ;
//! * on a periodic axis there is no end: the caller passes wrapped halos of at least
//!   the reach;
//! * coordinates are those of the input, halo included; numpy's choice between its
//!   uniform and uneven formulas belongs to the whole axis, so the coordinates of a
//!   block of an uneven axis are marked [`Spacing::uneven`](crate::Spacing::uneven).
//!
//! Then cutting an array into blocks of any sizes, each with the halo `reach()` asks for
//! (clipped at the ends), gives results bit-identical to the whole array's. The kernels
//! write the block's points only: a stencil is built for the input, whose ends are the
//! array's ends where the halo is clipped, and applied to the block's range of it.
//!
//! Running operations carry instead: [`Cumulative::carry`](crate::Cumulative::carry)
//! and [`CumulativeTrapezoid::carry`](crate::CumulativeTrapezoid::carry) take the last
//! slice of the previous block's result.

use std::ops::Range;

use ndcore::{ArrayView, Shape, Slice};

use crate::error::{CalcError, Result};

/// The samples before and after a block along one axis; none by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Halo {
    pub(crate) lo: usize,
    pub(crate) hi: usize,
}

impl Halo {
    pub(crate) fn new(lo: usize, hi: usize) -> Self {
        Halo { lo, hi }
    }

    /// The block's range of the input's indices along `axis` (of length `len`).
    pub(crate) fn block(self, axis: usize, len: usize) -> Result<Range<usize>> {
        if self.lo + self.hi > len {
            return Err(CalcError::Halo {
                axis,
                lo: self.lo,
                hi: self.hi,
                len,
            });
        }
        Ok(self.lo..len - self.hi)
    }

    /// Checks a halo on a periodic axis against the stencil's reach: an axis without
    /// ends needs the whole reach on both sides.
    pub(crate) fn check_periodic(self, axis: usize, reach: (usize, usize)) -> Result<()> {
        if self.lo < reach.0 || self.hi < reach.1 {
            return Err(CalcError::PeriodicHalo {
                axis,
                halo: (self.lo, self.hi),
                reach,
            });
        }
        Ok(())
    }
}

/// One halo per axis of a multi-axis operation, from the caller's pairs (none given:
/// no halo on any axis).
pub(crate) fn per_axis(halos: &[Halo], ndim: usize) -> Result<smallvec::SmallVec<[Halo; 4]>> {
    match halos.len() {
        0 => Ok((0..ndim).map(|_| Halo::default()).collect()),
        n if n == ndim => Ok(halos.iter().copied().collect()),
        given => Err(CalcError::HaloCount { given, axes: ndim }),
    }
}

/// The shape of the result of a block: the input's, less the halos.
pub(crate) fn block_shape(shape: &[usize], halos: &[Halo]) -> Result<Shape> {
    shape
        .iter()
        .zip(halos)
        .enumerate()
        .map(|(a, (&len, h))| Ok(h.block(a, len)?.len()))
        .collect()
}

/// `x` cut to the block on every axis but `axis`, along which a stencil then writes the
/// block's points only.
pub(crate) fn cut_others<'a, T>(
    x: &ArrayView<'a, T>,
    halos: &[Halo],
    axis: usize,
) -> Result<ArrayView<'a, T>> {
    let mut x = x.clone();
    for (a, h) in halos.iter().enumerate() {
        if a != axis && *h != Halo::default() {
            let r = h.block(a, x.shape()[a])?;
            x = x.slice_axis(a, Slice::new(r.start as isize, r.end as isize, 1))?;
        }
    }
    Ok(x)
}
