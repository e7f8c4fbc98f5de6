//! Missing samples along an axis: the runs of valid samples between them, and the
//! points of a result that the runs recompute.
//!
//! Along an axis the valid samples form runs, and each run is differentiated as its own
//! array (see [`Missing`](crate::Missing)). The plain kernel writes the result as if
//! nothing were missing; a point whose stencil read only samples of its run, with the
//! formula the run as its own array gives it, is then already right. That is every
//! point but those within the stencil's reach of a run's cut end. So each missing
//! sample rewrites only those points, run by run: the whole run when it is short (its
//! end formulas differ from the whole axis's) or when its coordinates take another of
//! numpy's formulas than the whole axis's (uniform steps where the axis has uneven
//! ones). Missing samples are set to NaN.
//!
//! On standard-layout data the kernel, the search for missing samples and these fixes
//! go a tile at a time ([`write`]), so the search and the fixes read the samples the
//! kernel has just read, from the cache, rather than the whole input a second time.
//! A large output with numpy's uniform gradient, where a missing sample changes only
//! its neighbours ([`Pieces`]), is instead fixed in the cache and then stored around
//! the caches: along contiguous lanes a 4 KiB piece at a time, searched after the
//! kernel; down any other axis a 256 KiB tile at a time, the hyperplanes it needs
//! searched first, so a tile with nothing missing goes straight from the kernel to
//! memory.
//! With the `parallel` feature, tiles of whole lanes or blocks of hyperplanes go to
//! separate threads; a single block (a 2-D array along axis 0) stays on one, its lanes
//! crossing every hyperplane.

use std::ops::{Index, Range};
use std::sync::{Mutex, PoisonError};

use ndcore::{Array, ArrayView, ArrayViewMut, AsView, AsViewMut, Lane, LaneMut, Slice};
use num_traits::Float;
use smallvec::SmallVec;

use crate::element::{Out, Promote, Value};
use crate::error::Result;
use crate::spacing::{AxisSpacing, Spacing};
use crate::stencil::Boundary;

/// Which samples are missing: the NaN ones ([`Missing::Skip`](crate::Missing::Skip)),
/// those a mask marks `false`, or both.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gaps<'o, 'm> {
    nan: bool,
    mask: Option<&'o ArrayView<'m, bool>>,
}

/// What a builder computes on one run of valid samples.
pub(crate) trait RunRule<T: Promote> {
    /// Writes into `y` the values at `points` of the run `x` (1-D) as its own array, of
    /// that spacing and with those boundaries at its two ends.
    fn run(
        &self,
        x: &ArrayView<'_, T>,
        spacing: &Spacing,
        sides: [Boundary; 2],
        points: Range<usize>,
        y: &mut ArrayViewMut<'_, Out<T>>,
    ) -> Result<()>;

    /// The fast path of [`run`](Self::run) for the points near the cut ends (`cut`) of a
    /// run `r` long enough for the ends' formulas: writes them into `y`, the whole axis's
    /// output lane, straight from lane `x` with the axis's own end weights, and says
    /// whether it could (only a uniform grid's end weights fit every run).
    fn cut_ends(
        &self,
        x: Lane<'_, T>,
        y: &mut LaneMut<'_, Out<T>>,
        r: Range<usize>,
        cut: [bool; 2],
    ) -> bool;
}

/// One axis of a stencil, as the runs need it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RunAxis<'s> {
    pub(crate) axis: usize,
    pub(crate) spacing: &'s Spacing,
    pub(crate) sides: [Boundary; 2],
    /// The neighbours the interior rule reads before and after a point: the points that
    /// far from a cut end of a run are recomputed.
    pub(crate) near: (usize, usize),
    /// How deep into the axis the whole axis's end formulas read: a run no longer than
    /// this is recomputed whole.
    pub(crate) deep: usize,
}

/// NaN, the value of a missing sample (`NaN + 0i` when complex).
pub(crate) fn nan<O: Value>() -> O {
    O::from_real(<O::Real as Float>::nan())
}

/// Whether any of `x` is NaN, with no branch per element (folded in a word per
/// sample: a fold of `bool`s packs every vector compare down to bytes).
#[inline(always)]
fn any_nan<T: Promote>(x: &[T]) -> bool {
    x.iter().fold(0u64, |a, &v| a | u64::from(is_nan(v))) != 0
}

/// Whether every flag of `m` is set, with no branch per element.
#[inline(always)]
fn all_valid(m: &[bool]) -> bool {
    m.iter().fold(true, |a, &v| a & v)
}

/// Whether `v` is NaN (for complex numbers, either part).
#[inline(always)]
#[allow(clippy::eq_op)] // NaN is the one value unequal to itself
fn is_nan<T: Promote>(v: T) -> bool {
    let v = v.promote();
    v != v
}

impl<'o, 'm> Gaps<'o, 'm> {
    pub(crate) fn new(nan: bool, mask: Option<&'o ArrayView<'m, bool>>) -> Self {
        Gaps { nan, mask }
    }

    /// Whether any sample of `x` is missing: one pass in memory order, with no branch
    /// per element when `x` and the mask are slices.
    pub(crate) fn any<T: Promote>(&self, x: &ArrayView<'_, T>) -> bool {
        if let (Some(xs), Some(ms)) = (x.as_slice(), self.mask_slice()) {
            return self.any_in(xs, ms);
        }
        self.mask.is_some_and(|m| !m.iter().all(|&v| v))
            || (self.nan && x.iter().any(|&v| is_nan(v)))
    }

    /// Whether any sample of `x` (with its mask `m`) is missing.
    fn any_in(&self, x: &[impl Promote], m: Option<&[bool]>) -> bool {
        ndcore::with_simd(|| {
            m.is_some_and(|m| !m.chunks(256).all(all_valid))
                || (self.nan && x.chunks(256).any(any_nan))
        })
    }

    /// The mask as a slice (`Some(None)` without one), or `None` when it is not in
    /// standard layout.
    fn mask_slice(&self) -> Option<Option<&'o [bool]>> {
        match self.mask {
            Some(m) => m.as_slice().map(Some),
            None => Some(None),
        }
    }

    /// Calls `f(k)` for each missing sample `x[k]` (with `m[k]` the mask's), in order:
    /// the bits of 64 samples at a time with no branch, in the widest vector
    /// instructions the CPU has. No check of a wider chunk first: with a few missing
    /// samples in a hundred most chunks hold one, and the check costs as much as the
    /// bits.
    fn each(
        &self,
        x: &[impl Promote],
        m: Option<&[bool]>,
        mut f: impl FnMut(usize) -> Result<()>,
    ) -> Result<()> {
        ndcore::with_simd(|| {
            for (c, xc) in x.chunks(64).enumerate() {
                let mut bits = self.bits(xc, m.map(|m| &m[c * 64..c * 64 + xc.len()]));
                while bits != 0 {
                    f(c * 64 + bits.trailing_zeros() as usize)?;
                    bits &= bits - 1;
                }
            }
            Ok(())
        })
    }

    /// Bit `i` set where sample `x[i]` (with its mask `m[i]`) is missing, of at most 64
    /// samples, with no branch.
    #[inline(always)]
    fn bits(&self, x: &[impl Promote], m: Option<&[bool]>) -> u64 {
        let mut bits = 0;
        if self.nan {
            bits = bits_where(x, |v| is_nan(*v));
        }
        if let Some(m) = m {
            bits |= bits_where(m, |v| !*v);
        }
        bits
    }

    /// The [`bits`](Self::bits) of each 64 samples of `x` (with its mask `m`) into
    /// `out`, in the widest vector instructions the CPU has.
    fn words(&self, x: &[impl Promote], m: Option<&[bool]>, out: &mut [u64]) {
        // Inlined into the vector code whatever its size.
        ndcore::with_simd(
            #[inline(always)]
            || {
                for (c, (o, xc)) in out.iter_mut().zip(x.chunks(64)).enumerate() {
                    *o = self.bits(xc, m.map(|m| &m[c * 64..c * 64 + xc.len()]));
                }
            },
        )
    }

    /// Whether sample `k` of `x` (with its mask `m`; slices or lanes) is valid.
    #[inline(always)]
    fn valid<T: Promote>(
        &self,
        x: &(impl Index<usize, Output = T> + ?Sized),
        m: Option<&(impl Index<usize, Output = bool> + ?Sized)>,
        k: usize,
    ) -> bool {
        !(self.nan && is_nan(x[k])) && m.is_none_or(|m| m[k])
    }

    /// The missing samples of one lane (with its mask lane), in order, into `out`.
    fn lane(&self, x: Lane<'_, impl Promote>, m: Option<Lane<'_, bool>>, out: &mut Vec<usize>) {
        out.clear();
        if let (Some(xs), Some(ms)) = (x.as_slice(), m.map(|m| m.as_slice())) {
            let _ = self.each(xs, ms, |i| {
                out.push(i);
                Ok(())
            });
            return;
        }
        for i in 0..x.len() {
            if !self.valid(&x, m.as_ref(), i) {
                out.push(i);
            }
        }
    }
}

/// Bit `i` set where `at(&x[i])` (at most 64 samples), with no branch.
#[inline(always)]
fn bits_where<T>(x: &[T], at: impl Fn(&T) -> bool) -> u64 {
    let bits = |x: &[T]| {
        x.iter()
            .enumerate()
            .fold(0, |b, (i, v)| b | u64::from(at(v)) << i)
    };
    // A full chunk's known length lets the compiler compare a vector of samples at a
    // time and shift each result into place.
    match <&[T; 64]>::try_from(x) {
        Ok(full) => bits(full),
        Err(_) => bits(x),
    }
}

/// About this many samples are differentiated, then searched for missing ones and
/// fixed, at a time: the search and the fixes then read what the kernel has just read
/// and written, from the cache (a tile of input and one of output, half a 1 MiB L2
/// cache for `f64`), instead of reading the input from memory a second time. Each tile
/// costs a pause in the memory traffic while it is checked, and a store fence: on
/// 4000^2 `f64` NaN-free along axis 1, tiles of 2^16 samples measured 7.5 ms where
/// 2^14 took 8.7 (2^12: 11.2), with 1% NaN no different.
const TILE: usize = 1 << 16;

/// The signature of the kernel [`write`] runs tile by tile: `kernel(x, y, axis, points,
/// around)` writes the plain result at `points` of `axis` of `x` into `y`, which holds
/// those points only; `around` says `y` is unlikely to be fixed, so its stores may go
/// around the caches.
pub(crate) trait Kernel<T: Promote>:
    Fn(&ArrayView<'_, T>, &mut ArrayViewMut<'_, Out<T>>, usize, Range<usize>, bool) -> Result<()>
{
}

impl<T: Promote, F> Kernel<T> for F where
    F: Fn(
        &ArrayView<'_, T>,
        &mut ArrayViewMut<'_, Out<T>>,
        usize,
        Range<usize>,
        bool,
    ) -> Result<()>
{
}

/// A gradient of consecutive lanes (contiguous, or across the hyperplanes of a block)
/// that reads one neighbour each side in the interior and at most two samples deep at
/// the ends (numpy's, on a uniform grid), cheap enough to call a small piece or a single
/// point at a time. A missing sample then
/// changes only the points at most two from it in its lane: its neighbours become the
/// ends of their runs, and the points beside those when that leaves a run of two.
pub(crate) trait Pieces<T: Promote>: Sync {
    /// Writes the plain result at points `r` of the whole lanes `x` into `y` (as long as
    /// `r`).
    fn plain(&self, x: &[T], r: Range<usize>, y: &mut [Out<T>]);

    /// Writes the plain result at the flat points `r` of the block `x`, whose lanes run
    /// across its hyperplanes of `p` samples, into `y` (as long as `r`); with `stream`,
    /// around the caches.
    fn across(&self, x: &[T], p: usize, r: Range<usize>, y: &mut [Out<T>], stream: bool);

    /// The value at the valid point `i` of `x`, whose lane has its samples `stride`
    /// apart, as its run's own array gives it, where bit `k` of `valid` says whether
    /// sample `i + (k - 2) * stride` is valid and in `i`'s lane.
    fn at(&self, x: &[T], i: usize, stride: usize, valid: u8) -> Out<T>;
}

/// Writes into `y` the stencil along `ax.axis` of `x` (same shape) with the samples
/// `gaps` marks missing skipped: the plain result (`kernel`), then in every lane holding
/// a missing sample the points near the cut ends of each run take the run's own result
/// (`rule`), and missing samples NaN. Standard-layout data go tile by tile, each tile
/// searched and fixed while in the cache; other layouts in one pass of the kernel and
/// one of the fixes.
///
/// `pieces`, when given, computes the result a small piece or a point at a time: when
/// every run takes the axis's own formulas, each missing sample's neighbours are then
/// fixed point by point ([`fix_around`]), and with `stream` (a large output, to be
/// stored around the caches) contiguous lanes go a piece at a time instead of a tile
/// ([`streamed_fixed`]).
#[allow(clippy::too_many_arguments)] // the input, the output and what the plain kernel is
pub(crate) fn write<T: Promote>(
    x: &ArrayView<'_, T>,
    gaps: &Gaps<'_, '_>,
    y: &mut ArrayViewMut<'_, Out<T>>,
    ax: &RunAxis<'_>,
    rule: &(impl RunRule<T> + Sync),
    kernel: &(impl Kernel<T> + Sync),
    pieces: Option<&dyn Pieces<T>>,
    stream: bool,
) -> Result<()> {
    let (axis, n) = (ax.axis, x.shape()[ax.axis]);
    let (Some(xs), Some(ms), Some(ys)) = (x.as_slice(), gaps.mask_slice(), y.as_slice_mut()) else {
        kernel(x, y, axis, 0..n, false)?;
        return fix(x, gaps, y, ax, rule);
    };
    if xs.is_empty() {
        return Ok(());
    }
    let runs = Runs::new(ax, rule, gaps, n)?;
    let p: usize = x.shape()[axis + 1..].iter().product();
    let lanes = p == 1 && n <= TILE;
    // The parts threads may take: tiles of whole lanes, or blocks of hyperplanes.
    let unit = if lanes { (TILE / n).max(1) * n } else { n * p };
    let failed = Mutex::new(Ok(()));
    let units = 0..xs.len().div_ceil(unit);
    let split = |ys, m| <[_]>::split_at_mut(ys, m * unit);
    crate::par::split_range(units, xs.len(), ys, &split, &|u, ys| {
        let part = u.start * unit..u.start * unit + ys.len();
        let block = Block {
            xs: &xs[part.clone()],
            ms: ms.map(|m| &m[part]),
            np: [n, p],
        };
        let done = if lanes {
            block.lane_tiles(ys, &runs, kernel, pieces, stream)
        } else {
            block.plane_tiles(ys, &runs, kernel, pieces, stream)
        };
        if let Err(e) = done {
            *failed.lock().unwrap_or_else(PoisonError::into_inner) = Err(e);
        }
    });
    failed.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// A standard-layout input (and mask): blocks of `n` hyperplanes of `p` samples.
struct Block<'s, T> {
    xs: &'s [T],
    ms: Option<&'s [bool]>,
    np: [usize; 2],
}

impl<T: Promote> Block<'_, T> {
    /// [`write`] when the lanes are contiguous (`p == 1`), several whole lanes a tile,
    /// or by [`streamed_fixed`] into a large output when `pieces` can fix each point on
    /// its own.
    fn lane_tiles<R: RunRule<T>>(
        &self,
        ys: &mut [Out<T>],
        runs: &Runs<'_, R>,
        kernel: &impl Kernel<T>,
        pieces: Option<&dyn Pieces<T>>,
        stream: bool,
    ) -> Result<()> {
        let n = self.np[0];
        let points = pieces.filter(|_| runs.pointwise());
        if let Some(f) = points.filter(|_| stream) {
            streamed_fixed(self.xs, self.ms, ys, n, runs.gaps, f);
            return Ok(());
        }
        let tile = (TILE / n).max(1) * n;
        let mut clean = true;
        for (t, yt) in ys.chunks_mut(tile).enumerate() {
            let a = t * tile;
            let xt = &self.xs[a..a + yt.len()];
            let mt = self.ms.map(|m| &m[a..a + xt.len()]);
            let lanes = xt.len() / n;
            // The kernel first, reading the tile from memory while it stores, as the
            // plain pass does; then the check, from the cache. Its stores go around the
            // caches unless the tile before had samples missing: then this one likely
            // has too, and its fixes should find the output in the cache (and the
            // search for them is the check).
            kernel(
                &ArrayView::from_slice(xt, [lanes, n])?,
                &mut ArrayViewMut::from_slice(yt, [lanes, n])?,
                1,
                0..n,
                clean,
            )?;
            let holes = !clean || runs.gaps.any_in(xt, mt);
            if !holes {
                clean = true;
                continue;
            }
            // The start of the lane of the last sample found, and where that lane stands
            // (one search through the tile: lanes may be far shorter than a vector's
            // worth of chunks).
            let (mut at, mut row) = (None, 0);
            let mut cursor = Cursor::new(n);
            runs.gaps.each(xt, mt, |k| {
                while k >= row + n {
                    row += n;
                }
                if let Some(f) = points {
                    let place = [k, k - row, n, 1];
                    let valid = neighbours(|q| runs.gaps.valid(xt, mt, q), place);
                    fix_around(f, xt, valid, place, |j, v| yt[j] = v);
                    at = Some(row);
                    return Ok(());
                }
                if at != Some(row) {
                    if let Some(l) = at {
                        let (x, _, mut y) = lane_of(xt, mt, yt, [l, n, 1]);
                        runs.finish(&cursor, x, &mut y)?;
                    }
                    (at, cursor) = (Some(row), Cursor::new(n));
                }
                let (x, m, mut y) = lane_of(xt, mt, yt, [row, n, 1]);
                runs.missing(&mut cursor, k - row, x, m, &mut y)
            })?;
            if let Some(l) = at.filter(|_| points.is_none()) {
                let (x, _, mut y) = lane_of(xt, mt, yt, [l, n, 1]);
                runs.finish(&cursor, x, &mut y)?;
            }
            clean = at.is_none();
        }
        Ok(())
    }

    /// [`write`] down the axis, a few hyperplanes a tile, the kernel one tile ahead of
    /// the search: a missing sample found in a tile closes the run before it in its
    /// lane, whose points near that end are in the cache, and the run after it starts
    /// at once (see [`Runs::missing`]) while its first points are. The kernel's stores
    /// go around the caches while the last tile searched had nothing missing. Into a
    /// large output, when `pieces` can fix each point on its own, by
    /// [`streamed_across`] instead.
    fn plane_tiles<R: RunRule<T>>(
        &self,
        ys: &mut [Out<T>],
        runs: &Runs<'_, R>,
        kernel: &impl Kernel<T>,
        pieces: Option<&dyn Pieces<T>>,
        stream: bool,
    ) -> Result<()> {
        let [n, p] = self.np;
        let points = pieces.filter(|_| runs.pointwise());
        if let Some(f) = points.filter(|_| stream) {
            match p {
                1 => streamed_fixed(self.xs, self.ms, ys, n, runs.gaps, f),
                _ => streamed_across(self, ys, runs.gaps, f),
            }
            return Ok(());
        }
        // At least enough hyperplanes that the start of a run stays inside the next tile.
        let rows = (TILE / p).max(2 * runs.ahead + 2);
        let tile = |a: usize| a..(a + rows).min(n);
        // One per lane for the run-by-run fixes; the point fixes need none.
        let mut cursors = vec![Cursor::new(n); if points.is_some() { 0 } else { p }];
        let mut clean = true;
        for (o, yo) in ys.chunks_mut(n * p).enumerate() {
            let xo = &self.xs[o * n * p..(o + 1) * n * p];
            let mo = self.ms.map(|m| &m[o * n * p..(o + 1) * n * p]);
            let xv = ArrayView::from_slice(xo, [n, p])?;
            let plain = |r: Range<usize>, yo: &mut [Out<T>], around| {
                let yt = &mut yo[r.start * p..r.end * p];
                kernel(
                    &xv,
                    &mut ArrayViewMut::from_slice(yt, [r.len(), p])?,
                    0,
                    r,
                    around,
                )
            };
            cursors.fill(Cursor::new(n));
            plain(tile(0), yo, clean)?;
            for a in (0..n).step_by(rows) {
                if a + rows < n {
                    plain(tile(a + rows), yo, clean)?;
                }
                let r = tile(a);
                let (xt, mt) = (
                    &xo[r.start * p..r.end * p],
                    mo.map(|m| &m[r.start * p..r.end * p]),
                );
                clean = !runs.gaps.any_in(xt, mt);
                if clean {
                    continue;
                }
                // The row of each sample found, counted up rather than divided out.
                let (mut i, mut row) = (a, 0);
                runs.gaps.each(xt, mt, |k| {
                    while k >= row + p {
                        (i, row) = (i + 1, row + p);
                    }
                    let j = k - row;
                    if let Some(f) = points {
                        let place = [i * p + j, i, n, p];
                        let valid = neighbours(|q| runs.gaps.valid(xo, mo, q), place);
                        fix_around(f, xo, valid, place, |q, v| yo[q] = v);
                        return Ok(());
                    }
                    let (x, m, mut y) = lane_of(xo, mo, yo, [j, n, p]);
                    runs.missing(&mut cursors[j], i, x, m, &mut y)
                })?;
            }
            if points.is_some() {
                continue;
            }
            for (j, c) in cursors.iter().enumerate() {
                let (x, _, mut y) = lane_of(xo, mo, yo, [j, n, p]);
                runs.finish(c, x, &mut y)?;
            }
        }
        Ok(())
    }
}

/// [`write`] of the whole contiguous lanes `xs` of `n` samples (with the mask `ms`)
/// into `ys` by `pieces`, a piece at a time ([`ndcore::Streams::fill_by`]): each piece
/// is computed plain into a buffer in the first-level cache, the points near missing
/// samples are rewritten there, and the piece is stored around the caches. So the
/// memory traffic is the plain kernel's whatever is missing, and the search and the
/// fixes read what the kernel has just read. A piece searches its own samples and two
/// more each side, the reach of a missing sample (see [`Pieces`]).
fn streamed_fixed<T: Promote>(
    xs: &[T],
    ms: Option<&[bool]>,
    ys: &mut [Out<T>],
    n: usize,
    gaps: &Gaps<'_, '_>,
    pieces: &dyn Pieces<T>,
) {
    // Whether the last piece had samples missing: then this one likely has too, and
    // the search costs no more than the check that would precede it.
    let mut holes = false;
    // The words of a piece's search (one more, zero, for a window that ends in the last)
    // and the places found, each away from the input's lines in their pages: 72 bytes
    // of words 112 bytes before them slowed a whole pass by 40% (see
    // `ndcore::page_placed`).
    let words_len = (PIECE / size_of::<Out<T>>().max(1) + 64).div_ceil(64) + 1;
    let (mut words_page, at) = ndcore::page_placed::<u64, _>(words_len, xs, 1024);
    let words_all = &mut words_page[at..at + words_len];
    let found_len = words_len * 64 + 4;
    let (mut found_page, at) = ndcore::page_placed::<u32, _>(found_len, xs, 3072);
    let found = &mut found_page[at..at + found_len];
    ndcore::streaming(|s| {
        s.fill_by(ys, PIECE, |r, b| {
            pieces.plain(xs, r.clone(), b);
            let near = r.start.saturating_sub(2)..(r.end + 2).min(xs.len());
            if !holes && !gaps.any_in(&xs[near.clone()], ms.map(|m| &m[near.clone()])) {
                return;
            }
            // The piece's own samples are searched a word of 64 at a time, from where
            // the kernel's pieces start (on cache lines); the two each side, within
            // reach of the piece, one by one. The words, with a zero word after them for
            // a window that ends in the last, then say which samples around each one
            // found are valid, but for one within four of the piece's ends or three of
            // its lane's: those load their neighbours. Along the last axis of 4000^2
            // `f64` with 1% NaN this took 12.5 -> 11.0 ms (the plain kernel 5.7) from a
            // search of the piece and two more each side, in words that started
            // anywhere, with six loads per sample found.
            let words = &mut words_all[..r.len().div_ceil(64) + 1];
            let last = words.len() - 1;
            words[last] = 0;
            gaps.words(
                &xs[r.clone()],
                ms.map(|m| &m[r.clone()]),
                &mut words[..last],
            );
            holes = false;
            // The start of the lane of the sample found, counted up rather than divided
            // out.
            let mut lane = near.start / n * n;
            let mut fix = |k: usize| {
                holes = true;
                while k >= lane + n {
                    lane += n;
                }
                let (at, i) = (k - lane, k.wrapping_sub(r.start));
                let inside = (4..r.len().saturating_sub(3)).contains(&i);
                let valid = if inside && at >= 3 && at + 3 < n {
                    let (w, bit) = ((i - 4) / 64, (i - 4) % 64);
                    let bits = words[w] >> bit | words[w + 1] << 1 << (63 - bit);
                    !bits as u8 & 0b1110_1110
                } else {
                    neighbours(|q| gaps.valid(xs, ms, q), [k, at, n, 1])
                };
                fix_around(pieces, xs, valid, [k, at, n, 1], |j, v| {
                    if r.contains(&j) {
                        b[j - r.start] = v;
                    }
                });
            };
            let missing = |q: &usize| !gaps.valid(xs, ms, *q);
            (near.start..r.start).filter(missing).for_each(&mut fix);
            let count = set_bits(&words[..last], found);
            for &k in &found[..count] {
                fix(r.start + k as usize);
            }
            (r.end..near.end).filter(missing).for_each(&mut fix);
        })
    });
}

/// Writes into `out` the place of each bit set in `words` (bit `i % 64` of word `i / 64`
/// is place `i`), in order, and returns how many there are. Four places are written
/// per word whatever it holds, so the one branch per word is predicted unless a word
/// holds more than four: a loop over each word's bits mispredicted its exit and its
/// entry about once per word at 1% NaN (0.4 ms of 10.0 on 4000^2 `f64`).
/// `out` holds at least four more places than `words` has bits.
fn set_bits(words: &[u64], out: &mut [u32]) -> usize {
    let mut count = 0;
    for (c, &w) in words.iter().enumerate() {
        let (mut w, mut at, base) = (w, count, c as u32 * 64);
        count += w.count_ones() as usize;
        loop {
            for slot in &mut out[at..at + 4] {
                *slot = base + w.trailing_zeros();
                w &= w.wrapping_sub(1);
            }
            if w == 0 {
                break;
            }
            at += 4;
        }
    }
    count
}

/// The bytes of output [`streamed_fixed`] computes, searches and fixes before streaming
/// them. Along the last axis of 4000^2 `f64` with 1% NaN, 4 KiB measured 9.7 ms where 2
/// KiB took 10.8 (3 and 6 KiB slower than either, 8 KiB 12.5), NaN-free no different.
const PIECE: usize = 4 << 10;

/// [`write`] across the hyperplanes of `block` into `ys` by `pieces`, a tile of about
/// [`ACROSS`] bytes at a time, each stored around the caches. A point of output
/// hyperplane `i` differs from the plain result only where input hyperplane `i - 1`,
/// `i` or `i + 1` has a missing sample in its column (or hyperplane 2 for the first and
/// `n - 3` for the last, whose second-order ends reach that far), and its value then
/// depends on which of hyperplanes `i - 2` to `i + 2` are valid there. So the
/// hyperplanes a tile needs are searched first, each once ([`HoleRows`]); a tile with
/// none missing is computed straight into `ys`, and any other into a buffer that stays
/// in the cache, fixed there ([`fix_across`]) and then copied out. The memory traffic
/// is the plain kernel's whatever is missing.
fn streamed_across<T: Promote>(
    block: &Block<'_, T>,
    ys: &mut [Out<T>],
    gaps: &Gaps<'_, '_>,
    pieces: &dyn Pieces<T>,
) {
    let [n, p] = block.np;
    let tiles = ndcore::line_pieces(ys, ACROSS);
    let mut holes = HoleRows::new((ACROSS / size_of::<Out<T>>().max(1)).div_ceil(p) + 5, p);
    let mut buf = Vec::new();
    let mut rest = ys;
    ndcore::streaming(|s| {
        for r in tiles {
            let (y, tail) = std::mem::take(&mut rest).split_at_mut(r.len());
            rest = tail;
            let rows = r.start / p..(r.end - 1) / p + 1;
            let mut any = false;
            for k in rows.start.saturating_sub(2)..(rows.end + 2).min(n) {
                any |= holes.search(gaps, block, k);
            }
            if !any {
                pieces.across(block.xs, p, r, y, true);
                continue;
            }
            buf.resize(r.len(), nan());
            pieces.across(block.xs, p, r.clone(), &mut buf, false);
            for i in rows {
                let cols = r.start.max(i * p) - i * p..r.end.min(i * p + p) - i * p;
                fix_across(pieces, block, &holes, i, cols, |q, v| buf[q - r.start] = v);
            }
            s.fill(y, &buf, &buf, |v, _| v);
        }
    });
}

/// About this many bytes of output [`streamed_across`] computes, fixes and stores at a
/// time: a tile of output and the input it reads stay in a 1 MiB second-level cache.
/// Down axis 0 of 4000^2 `f64` with 1% NaN into caller memory, tiles of 256 KiB
/// measured 16.2 ms, 64 KiB 17.1 and 8 KiB 22.8; 1 MiB no faster than 256 KiB.
const ACROSS: usize = 256 << 10;

/// The missing samples of the hyperplanes (`p` samples each) a tile of
/// [`streamed_across`] reads, as bits, in a ring: hyperplane `k` is held at `k % len`.
struct HoleRows {
    words: usize,
    bits: Vec<u64>,
    held: Vec<usize>,
}

impl HoleRows {
    fn new(len: usize, p: usize) -> Self {
        let words = p.div_ceil(64);
        HoleRows {
            words,
            bits: vec![0; len * words],
            held: vec![usize::MAX; len],
        }
    }

    /// Searches hyperplane `k` of `block` unless it is held already, and says whether
    /// it has a missing sample.
    fn search<T: Promote>(&mut self, gaps: &Gaps<'_, '_>, block: &Block<'_, T>, k: usize) -> bool {
        let (slot, p) = (k % self.held.len(), block.np[1]);
        let out = &mut self.bits[slot * self.words..][..self.words];
        if self.held[slot] != k {
            self.held[slot] = k;
            let q = k * p..(k + 1) * p;
            gaps.words(&block.xs[q.clone()], block.ms.map(|m| &m[q]), out);
        }
        out.iter().any(|&w| w != 0)
    }

    /// The bits of hyperplane `k`, held.
    fn row(&self, k: usize) -> &[u64] {
        &self.bits[k % self.held.len() * self.words..][..self.words]
    }
}

/// Rewrites by `put(q, v)` the points at columns `cols` of output hyperplane `i` of
/// `block` that its missing samples change ([`streamed_across`]), from the bits of
/// hyperplanes `i - 2` to `i + 2` in `holes`: NaN where a sample is missing or has no
/// valid neighbour, and the run's own end where one neighbour is missing.
fn fix_across<T: Promote>(
    pieces: &dyn Pieces<T>,
    block: &Block<'_, T>,
    holes: &HoleRows,
    i: usize,
    cols: Range<usize>,
    mut put: impl FnMut(usize, Out<T>),
) {
    let [n, p] = block.np;
    let near = |d: usize| {
        let k = (i + d).wrapping_sub(2);
        (k < n).then(|| holes.row(k))
    };
    let near = [near(0), near(1), near(2), near(3), near(4)];
    for w in cols.start / 64..cols.end.div_ceil(64) {
        // Beyond the array's ends counts as missing.
        let word = |d: usize| near[d].map_or(u64::MAX, |row| row[w]);
        let [m2, m1, c, p1, p2] = [word(0), word(1), word(2), word(3), word(4)];
        let lo = cols.start.max(w * 64) - w * 64;
        let hi = cols.end.min(w * 64 + 64) - w * 64;
        let here = (u64::MAX >> (64 - (hi - lo))) << lo;
        // The start of a run where only the sample before it is missing, the end of
        // one where only the sample after it is; at the array's own ends only a run of
        // two changes the result.
        let mut start = !c & m1 & !p1 & here;
        let mut end = !c & !m1 & p1 & here;
        if i == 0 {
            start &= p2;
        }
        if i + 1 == n {
            end &= m2;
        }
        // One kind of point at a time, so that the branches on the kind in
        // `Pieces::at` are predicted: a start or an end of a run of three or more, or
        // of two.
        let kinds = [
            (start & !p2, 0b11100),
            (start & p2, 0b01100),
            (end & !m2, 0b00111),
            (end & m2, 0b00110),
        ];
        let column = |bit: u64| i * p + w * 64 + bit.trailing_zeros() as usize;
        for (mut fix, valid) in kinds {
            while fix != 0 {
                let q = column(fix);
                put(q, pieces.at(block.xs, q, p, valid));
                fix &= fix - 1;
            }
        }
        let mut none = (c | m1 & p1) & here;
        while none != 0 {
            put(column(none), nan());
            none &= none - 1;
        }
    }
}

/// Writes by `put(j, v)` the points that the missing sample `k` changes, as their runs'
/// own arrays give them: `k` itself is NaN, its valid neighbours become ends of their
/// runs, and a point two away changes when that leaves it a run of two at the lane's
/// end (anywhere else a point after a missing sample is fixed as that sample's
/// neighbour). `k` is at position `at` of its lane of `n` samples `stride` apart in
/// `xs`; bit `d` of `valid` says whether the sample `d - 4` places from `k` along the
/// lane is in the lane and valid (as [`neighbours`] gives it).
// Inlined into each search: along the last axis at 1% NaN the call and the closure
// state it spilled cost 7% of the whole (13.7 -> 12.7 ms on 4000^2 `f64`).
#[inline(always)]
fn fix_around<T: Promote>(
    pieces: &dyn Pieces<T>,
    xs: &[T],
    valid: u8,
    [k, at, n, stride]: [usize; 4],
    mut put: impl FnMut(usize, Out<T>),
) {
    put(k, nan());
    for (d, fix) in [(2, at == 2), (3, true), (5, true), (6, at + 3 == n)] {
        if fix && valid >> d & 1 != 0 {
            let j = k + d * stride - 4 * stride;
            put(j, pieces.at(xs, j, stride, valid >> (d - 2) & 0x1f));
        }
    }
}

/// The validity [`fix_around`] takes around the missing sample `k`, at position `at`
/// of its lane of `n` samples `stride` apart, from `valid(q)` for each sample `q`.
#[inline(always)]
fn neighbours(valid: impl Fn(usize) -> bool, [k, at, n, stride]: [usize; 4]) -> u8 {
    [1, 2, 3, 5, 6, 7].into_iter().fold(0, |bits, d| {
        let inside = (at + d).wrapping_sub(4) < n;
        bits | u8::from(inside && valid(k + d * stride - 4 * stride)) << d
    })
}

/// One lane of the input, of the mask and of the output.
type LaneOf<'s, T, O> = (Lane<'s, T>, Option<Lane<'s, bool>>, LaneMut<'s, O>);

/// Lane `(start, len, stride)` of `xs`, `ms` and `ys`.
fn lane_of<'s, T, O>(
    xs: &'s [T],
    ms: Option<&'s [bool]>,
    ys: &'s mut [O],
    [start, len, stride]: [usize; 3],
) -> LaneOf<'s, T, O> {
    let m = ms.map(|m| Lane::strided(m, start, len, stride));
    match (
        Lane::strided(xs, start, len, stride),
        m,
        LaneMut::strided(ys, start, len, stride),
    ) {
        (Some(x), None | Some(Some(_)), Some(y)) => (x, m.flatten(), y),
        _ => unreachable!("a lane of a block is inside it"),
    }
}

/// Rewrites `y`, the plain result of the stencil along `ax.axis` of `x` (same shape),
/// where samples are missing, lane by lane (any layout): see [`write`].
pub(crate) fn fix<T: Promote>(
    x: &ArrayView<'_, T>,
    gaps: &Gaps<'_, '_>,
    y: &mut ArrayViewMut<'_, Out<T>>,
    ax: &RunAxis<'_>,
    rule: &impl RunRule<T>,
) -> Result<()> {
    if x.len() == 0 || !gaps.any(x) {
        return Ok(());
    }
    let runs = Runs::new(ax, rule, gaps, x.shape()[ax.axis])?;
    let mut masks = gaps.mask.map(|m| m.lanes(ax.axis)).transpose()?;
    let mut miss = Vec::new();
    let mut y = y.view_mut();
    for (x, mut y) in x.lanes(ax.axis)?.zip(y.lanes_mut(ax.axis)?) {
        let m = masks.as_mut().and_then(Iterator::next);
        gaps.lane(x, m, &mut miss);
        let mut cursor = Cursor::new(x.len());
        for &i in &miss {
            runs.missing(&mut cursor, i, x, m, &mut y)?;
        }
        runs.finish(&cursor, x, &mut y)?;
    }
    Ok(())
}

/// Where a lane of `n` samples stands as its missing samples are met in order (two
/// words: the search keeps one per lane of a block, and it is read at every missing
/// sample).
#[derive(Clone, Copy, Debug)]
struct Cursor {
    /// The end of the lane's first run (its first missing sample), `n` until one is met.
    first: usize,
    /// The start of the run after the last missing sample met.
    start: usize,
}

impl Cursor {
    fn new(n: usize) -> Self {
        Cursor { first: n, start: 0 }
    }
}

/// The runs of one axis: what its lanes share.
struct Runs<'a, R> {
    ax: &'a RunAxis<'a>,
    rule: &'a R,
    gaps: &'a Gaps<'a, 'a>,
    n: usize,
    /// A run whose first `ahead` samples are valid is not short.
    ahead: usize,
    periodic: bool,
    coords: bool,
    /// Whether the whole axis takes numpy's uniform formulas.
    axis_uniform: bool,
}

impl<'a, R> Runs<'a, R> {
    fn new(ax: &'a RunAxis<'a>, rule: &'a R, gaps: &'a Gaps<'a, 'a>, n: usize) -> Result<Self> {
        let coords = ax.spacing.values().is_some();
        let axis_uniform =
            !coords || matches!(ax.spacing.resolve(ax.axis, n)?, AxisSpacing::Uniform(_));
        Ok(Runs {
            ax,
            rule,
            gaps,
            n,
            ahead: ax.deep.max(ax.near.0 + ax.near.1) + 1,
            periodic: ax.sides[0] == Boundary::Periodic,
            coords,
            axis_uniform,
        })
    }

    /// Whether every run takes the whole axis's formulas, one-sided at its ends: then
    /// [`Pieces`] fixes a missing sample's neighbours one point at a time.
    fn pointwise(&self) -> bool {
        self.axis_uniform && self.ax.sides == [Boundary::Numpy; 2]
    }

    /// Sample `i` of lane `l` is missing (after those `cursor` has met): NaN there, the
    /// run it closes takes its own result near that end, and the run after it near its
    /// start when it is long enough for the axis's own end formulas (its first samples
    /// are read here, and written while in the cache; a shorter run, or one on
    /// coordinates, is written whole when it closes). With a periodic axis the first run
    /// waits for [`finish`](Self::finish): it may continue the last one.
    fn missing<T: Promote>(
        &self,
        cursor: &mut Cursor,
        i: usize,
        x: Lane<'_, T>,
        m: Option<Lane<'_, bool>>,
        y: &mut LaneMut<'_, Out<T>>,
    ) -> Result<()>
    where
        R: RunRule<T>,
    {
        y[i] = nan();
        let s = cursor.start;
        if cursor.first == self.n {
            cursor.first = i;
            if !self.periodic && i > 0 {
                self.run(x, y, 0..i)?;
            }
        } else if i > s {
            self.close(x, y, s..i)?;
        }
        let (s, e) = (i + 1, i + 1 + self.ahead);
        let valid = |k: usize| self.gaps.valid(&x, m.as_ref(), k);
        cursor.start = s;
        if !self.coords && e <= self.n && (s..e).all(valid) {
            self.rule.cut_ends(x, y, s..e, [true, false]);
        }
        Ok(())
    }

    /// The lane's last run (and, when periodic, its first; one run through the wrap
    /// when the first and the last samples are both valid).
    fn finish<T: Promote>(
        &self,
        cursor: &Cursor,
        x: Lane<'_, T>,
        y: &mut LaneMut<'_, Out<T>>,
    ) -> Result<()>
    where
        R: RunRule<T>,
    {
        let first = cursor.first;
        if first == self.n {
            return Ok(());
        }
        let last = cursor.start..self.n;
        if self.periodic && first > 0 {
            if !last.is_empty() {
                return wrapped(x, y, [last, 0..first], self.ax, self.rule);
            }
            self.run(x, y, 0..first)?;
        }
        if !last.is_empty() {
            self.close(x, y, last)?;
        }
        Ok(())
    }

    /// The run `r` closes: its points near its end (or all of it), unless its first
    /// points were written when its start was met (see [`missing`](Self::missing)) and
    /// its end is the array's. Whether they were is not stored: they were when the run
    /// is at least `ahead` long and the end formulas fit a run that long, which the same
    /// call at the end tells (it writes nothing at an uncut end).
    fn close<T: Promote>(
        &self,
        x: Lane<'_, T>,
        y: &mut LaneMut<'_, Out<T>>,
        r: Range<usize>,
    ) -> Result<()>
    where
        R: RunRule<T>,
    {
        let cut = r.end < self.n || self.periodic;
        let tail = r.end.saturating_sub(self.ahead)..r.end;
        if !self.coords && r.len() >= self.ahead && self.rule.cut_ends(x, y, tail, [false, cut]) {
            return Ok(());
        }
        self.run(x, y, r)
    }

    /// The run `r` of lane `x` as its own array: its points near a cut end (all of
    /// them when it is short, or when its coordinates take other formulas than the
    /// axis's) into `y`.
    fn run<T: Promote>(
        &self,
        x: Lane<'_, T>,
        y: &mut LaneMut<'_, Out<T>>,
        r: Range<usize>,
    ) -> Result<()>
    where
        R: RunRule<T>,
    {
        let (ax, n) = (self.ax, self.n);
        let (s, e) = (r.start, r.end);
        let len = e - s;
        let cut = [s > 0 || self.periodic, e < n || self.periodic];
        let short = len <= ax.deep.max(ax.near.0 + ax.near.1);
        if !short && !self.coords && self.rule.cut_ends(x, y, r.clone(), cut) {
            return Ok(());
        }
        let sides = [0, 1].map(|k| if cut[k] { Boundary::Numpy } else { ax.sides[k] });
        let spacing = ax.spacing.block(r.clone(), false);
        let ghosts = sides.iter().any(|&b| b != Boundary::Numpy);
        let whole = short
            || (self.coords
                && (ghosts
                    || matches!(spacing.resolve(ax.axis, len)?, AxisSpacing::Uniform(_))
                        != self.axis_uniform));
        let mut points: SmallVec<[Range<usize>; 2]> = SmallVec::new();
        if whole {
            points.push(0..len);
        } else {
            if cut[0] {
                points.push(0..ax.near.0);
            }
            if cut[1] {
                points.push(len - ax.near.1..len);
            }
        }
        let xr = x
            .to_view()
            .slice_axis(0, Slice::new(s as isize, e as isize, 1))?;
        for p in points {
            let mut yv = y.view_mut();
            let (a, b) = ((s + p.start) as isize, (s + p.end) as isize);
            let mut yr = yv.slice_mut([Slice::new(a, b, 1).into()])?;
            self.rule.run(&xr, &spacing, sides, p, &mut yr)?;
        }
        Ok(())
    }
}

/// The run of a periodic lane that wraps from its end (`parts[0]`, up to the last
/// sample) to its start (`parts[1]`, from the first): copied out as one array whose
/// coordinates past the wrap are shifted by the period, differentiated whole with
/// one-sided ends (its neighbours beyond are missing), and copied back.
fn wrapped<T: Promote>(
    xl: Lane<'_, T>,
    yl: &mut LaneMut<'_, Out<T>>,
    parts: [Range<usize>; 2],
    ax: &RunAxis<'_>,
    rule: &impl RunRule<T>,
) -> Result<()> {
    let idx: Vec<usize> = parts[0].clone().chain(parts[1].clone()).collect();
    let x = Array::from_vec(idx.iter().map(|&i| xl[i]).collect());
    let spacing = match ax.spacing.values() {
        None => ax.spacing.clone(),
        Some(c) => {
            let period = ax.spacing.period().unwrap_or(0.0);
            let shifted = parts[1].clone().map(|i| c[i] + period);
            ax.spacing
                .with_values(parts[0].clone().map(|i| c[i]).chain(shifted).collect())
        }
    };
    let mut y = Array::<Out<T>>::zeros([idx.len()]);
    rule.run(
        &x.view(),
        &spacing,
        [Boundary::Numpy; 2],
        0..idx.len(),
        &mut y.view_mut(),
    )?;
    for (k, &i) in idx.iter().enumerate() {
        yl[i] = y[[k]];
    }
    Ok(())
}
