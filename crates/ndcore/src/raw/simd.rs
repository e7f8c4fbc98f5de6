//! Running a kernel compiled for the instruction set the CPU has.

/// Runs `f`, compiled with AVX2 enabled when the CPU has it (checked once, then cached
/// by the standard library), and for the baseline target otherwise.
///
/// `f` is inlined into a function compiled with the wider instruction set, so loops in
/// it (and in the `#[inline]` functions it calls) are vectorized with 256-bit registers.
/// Results are identical either way: Rust never contracts `a * b + c` into a fused
/// multiply-add, and a division is correctly rounded in every instruction set, so only
/// the speed changes.
///
/// ```
/// let v: Vec<f64> = (1..=8).map(f64::from).collect();
/// let halves: Vec<f64> = ndcore::with_simd(|| v.iter().map(|x| x / 2.0).collect());
/// assert_eq!(halves[7], 4.0);
/// ```
#[inline]
pub fn with_simd<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, the only feature `avx2` enables.
            return unsafe { avx2(f) };
        }
    }
    f()
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[target_feature(enable = "avx2")]
unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}
