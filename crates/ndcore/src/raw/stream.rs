//! Filling large outputs with stores that go around the caches.

use std::marker::PhantomData;
use std::mem::{align_of, size_of, MaybeUninit};
use std::ops::Range;

use bytemuck::{NoUninit, Zeroable};

/// The bytes of one cache line.
const LINE: usize = 64;

/// The bytes of a page, the period of the addresses that the CPU's caches and its store
/// buffer compare first.
const PAGE: usize = 4096;

/// One cache line's worth of values, built in registers (or the stack) and then
/// written to memory in one go.
#[repr(C, align(64))]
struct Line([MaybeUninit<u8>; LINE]);

/// Writes `y[i] = f(a[i], b[i])` for every `i` (the three equally long), whole cache
/// lines at a time with non-temporal stores (x86-64): a line written that way is not
/// first read from memory, as an ordinary store reads it, and does not push other data
/// out of the caches. Worth it only for outputs at least as large as the last-level cache,
/// which are not read back soon; elsewhere (other CPUs, element sizes that do not divide
/// a line, a slice not aligned to its element size) the stores are ordinary. The
/// stores are fenced before this returns, so the values are in place for any thread
/// that later reads `y`. To fill many short runs, fill them in one [`streaming`] scope:
/// a fence waits for the stores to reach memory.
///
/// `f` runs inside a function compiled for AVX2 when the CPU has it, as in
/// [`with_simd`](crate::with_simd), and its results do not depend on that.
///
/// ```
/// let x: Vec<f64> = (0..100).map(f64::from).collect();
/// let mut y = vec![0.0; 99];
/// ndcore::fill_streaming(&mut y, &x[1..], &x[..99], |hi, lo| hi - lo);
/// assert!(y.iter().all(|&d| d == 1.0));
/// ```
///
/// # Panics
///
/// If `a` or `b` is not as long as `y`.
#[inline]
pub fn fill_streaming<T: NoUninit, A: Copy, B: Copy>(
    y: &mut [T],
    a: &[A],
    b: &[B],
    f: impl Fn(A, B) -> T,
) {
    streaming(|s| s.fill(y, a, b, f))
}

/// Runs `f` with a [`Streams`], through which it fills outputs as
/// [`fill_streaming`] does, and fences those stores once, when `f` returns (or
/// unwinds): filling a row of each of several outputs in turn then costs no fence per
/// row. Every output filled stays borrowed until then, so nothing reads it before the
/// fence.
///
/// ```
/// let x: Vec<f64> = (0..1000).map(f64::from).collect();
/// let (mut up, mut down) = (vec![0.0; 999], vec![0.0; 999]);
/// ndcore::streaming(|s| {
///     for ((u, d), i) in up.chunks_mut(100).zip(down.chunks_mut(100)).zip((0..).step_by(100)) {
///         let (lo, hi) = (&x[i..i + u.len()], &x[i + 1..i + 1 + u.len()]);
///         s.fill(u, hi, lo, |h, l| h - l);
///         s.fill(d, lo, hi, |l, h| l - h);
///     }
/// });
/// assert!(up.iter().all(|&v| v == 1.0) && down.iter().all(|&v| v == -1.0));
/// ```
pub fn streaming<'y, R>(f: impl FnOnce(&Streams<'y>) -> R) -> R {
    /// Fences on drop, so on unwinding too.
    struct Fence;
    impl Drop for Fence {
        fn drop(&mut self) {
            fence()
        }
    }
    let _fence = Fence;
    f(&Streams { _y: PhantomData })
}

/// Fills outputs with non-temporal stores, fenced when the [`streaming`] call that
/// made it returns.
///
/// An output cannot be read inside the scope once filled:
///
/// ```compile_fail
/// let x = vec![1.0; 8];
/// let mut y = vec![0.0; 8];
/// let first = ndcore::streaming(|s| {
///     s.fill(&mut y, &x, &x, |a, b| a + b);
///     y[0] // error: `y` is borrowed until the fence
/// });
/// ```
///
/// nor can another thread store through it:
///
/// ```compile_fail
/// let x = vec![1.0; 8];
/// let mut y = vec![0.0; 8];
/// ndcore::streaming(|s| {
///     std::thread::scope(|t| {
///         t.spawn(|| s.fill(&mut y, &x, &x, |a, b| a + b)); // error: `Streams` is not `Sync`
///     })
/// });
/// ```
pub struct Streams<'y> {
    /// Invariant in `'y`, so every output filled is borrowed until the fence; neither
    /// `Send` nor `Sync`, because a fence orders only its own thread's stores.
    _y: PhantomData<*mut &'y mut ()>,
}

impl<'y> Streams<'y> {
    /// [`fill_streaming`] without its fence (the scope's fence covers these stores).
    ///
    /// # Panics
    ///
    /// If `a` or `b` is not as long as `y`.
    #[inline]
    pub fn fill<T: NoUninit, A: Copy, B: Copy>(
        &self,
        y: &'y mut [T],
        a: &[A],
        b: &[B],
        f: impl Fn(A, B) -> T,
    ) {
        assert!(
            a.len() == y.len() && b.len() == y.len(),
            "fill_streaming: lengths differ: output {}, inputs {} and {}",
            y.len(),
            a.len(),
            b.len()
        );
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2, the only feature `fill_avx2` enables.
                return unsafe { fill_avx2(y, a, b, f) };
            }
            fill_lines::<_, _, _, false>(y, a, b, f)
        }
        #[cfg(not(target_arch = "x86_64"))]
        for ((y, a), b) in y.iter_mut().zip(a).zip(b) {
            *y = f(*a, *b);
        }
    }

    /// Fills `y` a piece at a time through a buffer that stays in the cache: `f(r, buf)`
    /// writes the values of `y[r]` into `buf` (as long as `r`), and they are then
    /// streamed as by [`fill`](Self::fill). The pieces, of about `bytes` each (as
    /// [`line_pieces`] cuts them), follow one another in order and are cut on `y`'s
    /// cache lines (when the element size divides one), so no line is stored in two
    /// parts: the second part would first read the line back from memory. For values
    /// best computed a block at a time: a stencil whose ends are patched, a check made
    /// on the way. A piece small enough to stay in the first-level cache with its
    /// inputs is best (2 or 4 KiB; sizes that are not powers of two measured slower).
    ///
    /// ```
    /// let mut y = vec![0.0; 1000];
    /// ndcore::streaming(|s| {
    ///     s.fill_by(&mut y, 2048, |r, buf| {
    ///         for (b, i) in buf.iter_mut().zip(r) {
    ///             *b = i as f64;
    ///         }
    ///     })
    /// });
    /// assert!(y.iter().enumerate().all(|(i, &v)| v == i as f64));
    /// ```
    pub fn fill_by<T: NoUninit + Zeroable>(
        &self,
        y: &'y mut [T],
        bytes: usize,
        mut f: impl FnMut(Range<usize>, &mut [T]),
    ) {
        let len = piece_len::<T>(bytes).min(y.len());
        // Half a page from the output's lines.
        let (mut whole, at) = page_placed::<T, _>(len, y, PAGE / 2);
        let buf = &mut whole[at..at + len];
        let mut rest = y;
        for r in line_pieces(rest, bytes) {
            let (out, tail) = std::mem::take(&mut rest).split_at_mut(r.len());
            let b = &mut buf[..r.len()];
            f(r, b);
            self.fill(out, b, b, |v, _| v);
            rest = tail;
        }
    }
}

/// `len` zeroed elements placed `bytes` after the first cache line of `anchor` (a
/// slice of any type), modulo a page: a vector a page longer than `len`, and the index
/// in it where they start. With `bytes` a multiple of a line (and the element size
/// dividing one), they start on a cache line.
///
/// The CPU compares a load's address with those of the stores still in flight by their
/// place within a page first, so a small buffer a loop stores into while it loads a
/// long input (or loads while it stores a long output) can slow it whenever the two
/// fall at the same place in their pages, or the buffer straddles cache lines: the
/// allocator's 16-byte alignment makes that a lottery between runs. Along the last axis
/// of 4000^2 `f64` with 1% NaN, searched and fixed a 4 KiB piece at a time, a piece
/// buffer 16 bytes off a line measured 13-15 ms and one on a line 9.2-10.4 ms (the plain
/// kernel, 2 KiB pieces: 12-15 ms against 5.4-6.6), and the search's 72 bytes of words
/// 112 bytes before the input's lines in their pages 13.2 ms against 9.2.
///
/// ```
/// let x = vec![0.0f64; 1000];
/// let (buf, at) = ndcore::page_placed::<f64, _>(64, &x, 1024);
/// let line = |a: usize| a.next_multiple_of(64);
/// assert_eq!(buf[at..].as_ptr().addr() % 4096, (line(x.as_ptr().addr()) + 1024) % 4096);
/// assert!(buf[at..].len() >= 64 && buf.iter().all(|&v| v == 0.0));
/// ```
pub fn page_placed<T: Zeroable, A>(len: usize, anchor: &[A], bytes: usize) -> (Vec<T>, usize) {
    let size = size_of::<T>().max(1);
    let v: Vec<T> = bytemuck::zeroed_vec(len + PAGE / size);
    let want = (anchor.as_ptr().addr().next_multiple_of(LINE) + bytes) % PAGE;
    let at = (want + PAGE - v.as_ptr().addr() % PAGE) % PAGE / size;
    (v, at)
}

/// The pieces of about `bytes` bytes (rounded up to whole cache lines, at least one
/// element) that cover `y` in order, cut on `y`'s cache lines when the element size
/// divides one: the first piece ends on a line, and every later one starts on one. A
/// line stored around the caches in two parts is read back from memory for the second,
/// so an output streamed a piece at a time is best cut so.
///
/// ```
/// let y = vec![0.0f64; 10_000];
/// let pieces: Vec<_> = ndcore::line_pieces(&y[3..], 4096).collect();
/// assert_eq!(pieces[0].start, 0);
/// assert_eq!(pieces.last().unwrap().end, 9997);
/// assert!(pieces.windows(2).all(|w| w[0].end == w[1].start));
/// assert!(pieces.iter().all(|r| r.len() <= 512));
/// ```
pub fn line_pieces<T>(y: &[T], bytes: usize) -> impl Iterator<Item = Range<usize>> + use<T> {
    let piece = piece_len::<T>(bytes);
    let head = match to_line(y) / size_of::<T>().max(1) {
        0 => piece,
        h => h,
    };
    let n = y.len();
    std::iter::successors(Some(0..head.min(n)), move |r| {
        (r.end < n).then(|| r.end..(r.end + piece).min(n))
    })
    .filter(|r| !r.is_empty())
}

/// The elements of a piece of [`line_pieces`]: `bytes` rounded up to whole cache lines,
/// so every piece after the first starts on one.
fn piece_len<T>(bytes: usize) -> usize {
    (bytes.div_ceil(LINE) * LINE / size_of::<T>().max(1)).max(1)
}

/// The bytes from the start of `y` to the next cache line boundary (0 on one).
fn to_line<T>(y: &[T]) -> usize {
    (LINE - y.as_ptr().addr() % LINE) % LINE
}

/// Orders every non-temporal store this thread made before all its later stores, as
/// Rust's memory model assumes of all stores. (Miri, which has no such fence, runs
/// those stores as ordinary ones.)
fn fence() {
    // SAFETY: a store fence has no preconditions.
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    unsafe {
        std::arch::x86_64::_mm_sfence()
    };
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fill_avx2<T: NoUninit, A: Copy, B: Copy>(
    y: &mut [T],
    a: &[A],
    b: &[B],
    f: impl Fn(A, B) -> T,
) {
    fill_lines::<_, _, _, true>(y, a, b, f)
}

/// [`fill_streaming`] on x86-64 (whose baseline, SSE2, has the non-temporal store),
/// storing 32 bytes at a time where the caller runs with AVX2 (`AVX2`), 16 elsewhere:
/// half the store instructions per line, which measured faster.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn fill_lines<T: NoUninit, A: Copy, B: Copy, const AVX2: bool>(
    y: &mut [T],
    a: &[A],
    b: &[B],
    f: impl Fn(A, B) -> T,
) {
    #[cfg(not(miri))]
    use std::arch::x86_64::_mm256_stream_si256;
    #[cfg(not(miri))]
    use std::arch::x86_64::_mm_stream_si128;
    use std::arch::x86_64::{__m128i, __m256i, _mm256_load_si256, _mm_load_si128};
    let (size, n) = (size_of::<T>(), y.len());
    let plain = |y: &mut [T], a: &[A], b: &[B]| {
        for ((y, a), b) in y.iter_mut().zip(a).zip(b) {
            *y = f(*a, *b);
        }
    };
    // Elements before the first whole line, when an element boundary falls on one.
    let head = to_line(y);
    if size == 0
        || !LINE.is_multiple_of(size)
        || align_of::<T>() > LINE
        || !head.is_multiple_of(size)
    {
        return plain(y, a, b);
    }
    let (head, per) = ((head / size).min(n), LINE / size);
    let body = (n - head) / per * per;
    plain(&mut y[..head], &a[..head], &b[..head]);
    let mut line = Line([MaybeUninit::uninit(); LINE]);
    let lines = y[head..head + body].chunks_exact_mut(per);
    let ins = a[head..head + body]
        .chunks_exact(per)
        .zip(b[head..head + body].chunks_exact(per));
    for (y, (a, b)) in lines.zip(ins) {
        let p = line.0.as_mut_ptr().cast::<T>();
        for (k, (a, b)) in a.iter().zip(b).enumerate() {
            // SAFETY: `per * size == LINE`, so element `k < per` lies inside `line`,
            // which is aligned to 64 and so to `T` (`align_of::<T>() <= LINE`).
            unsafe { p.add(k).write(f(*a, *b)) };
        }
        if AVX2 {
            let src = line.0.as_ptr().cast::<__m256i>();
            let dst = y.as_mut_ptr().cast::<__m256i>();
            for q in 0..LINE / 32 {
                // SAFETY: as below, with 32-byte accesses; `AVX2` is set only by
                // `fill_avx2`, which runs on CPUs with AVX2.
                unsafe {
                    let v = _mm256_load_si256(src.add(q));
                    #[cfg(not(miri))]
                    _mm256_stream_si256(dst.add(q), v);
                    #[cfg(miri)]
                    dst.add(q).write(v);
                }
            }
            continue;
        }
        let src = line.0.as_ptr().cast::<__m128i>();
        let dst = y.as_mut_ptr().cast::<__m128i>();
        for q in 0..LINE / 16 {
            // SAFETY: `line` holds `per` `T`s written whole, so all its bytes are
            // initialized (`T: NoUninit` has no padding), and is 64-aligned; `dst` is
            // the 64-aligned start (`head` elements from a line boundary) of `per`
            // elements of `y`, LINE bytes inside its exclusive borrow, so both 16-byte
            // accesses are in bounds and aligned. Miri, which cannot run the
            // non-temporal store (inline assembly), checks the same access as an
            // ordinary one.
            unsafe {
                let v = _mm_load_si128(src.add(q));
                #[cfg(not(miri))]
                _mm_stream_si128(dst.add(q), v);
                #[cfg(miri)]
                dst.add(q).write(v);
            }
        }
    }
    plain(&mut y[head + body..], &a[head + body..], &b[head + body..]);
}
