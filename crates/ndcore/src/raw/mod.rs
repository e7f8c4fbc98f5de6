//! The unsafe room: the only module that turns element offsets into pointers and
//! pointers into references. Everything outside it is safe code built on the API here;
//! the offsets themselves are computed by `crate::layout`, which holds no pointers.
//!
//! * `view`: [`ArrayView`] and [`ArrayViewMut`], their checked constructors and
//!   `relayout`, through which every derived view passes.
//! * `lane`: [`Lane`] and [`LaneMut`] (pointer, length, stride) and the lane iterators.
//! * `walk`: the walks that hand lanes to kernels: [`zip_lanes`], [`zip_runs`],
//!   [`zip_planes`].
//! * `iter`: the element iterators [`Iter`] and [`IterMut`].
//! * `alloc`, `simd`, `stream`, `map`: fresh output buffers, the AVX2 trampoline, stores
//!   that go around the caches and memory-mapped files.
//! * `tests`: the randomised suite that Miri runs over every dereferencing path.
//!
//! # The invariant
//!
//! An [`ArrayView`] or [`ArrayViewMut`] is a pointer to element `[0, 0, ..]` plus a shape and
//! strides (in elements). For a view with at least one element, every index inside the
//! shape addresses, at `ptr + Σ index[k] * strides[k]`, an initialized `T` inside one live
//! allocation that the lifetime `'a` borrows (shared for `ArrayView`, exclusive for
//! `ArrayViewMut`). A mutable view never addresses one element through two indices. A
//! view with no elements never dereferences its pointer, which is non-null and aligned
//! but may dangle.
//!
//! The invariant is established by the checked constructors in `view` and preserved by
//! `ArrayView::relayout`: every new layout is checked to reach only offsets inside the
//! old layout's range (and, for mutable views, not to overlap), so a mistake in the
//! layout arithmetic elsewhere becomes a panic, never undefined behaviour.

mod alloc;
mod iter;
mod lane;
mod map;
mod simd;
mod stream;
#[cfg(test)]
mod tests;
mod view;
mod walk;

pub(crate) use alloc::zeroed_vec;
pub use iter::{Iter, IterMut};
pub use lane::{contiguous_or_strided, Lane, LaneIter, LaneMut, Lanes, LanesMut};
pub(crate) use map::{map_file, release};
pub use simd::with_simd;
pub use stream::{fill_streaming, line_pieces, page_placed, streaming, Streams};
pub use view::{ArrayView, ArrayViewMut};
pub use walk::{zip_lanes, zip_planes, zip_runs, PlaneRuns, PlaneRunsMut};
