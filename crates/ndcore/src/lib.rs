//! # ndcore: a strided N-dimensional array
//!
//! ndcore is the array layer of ndkit: an owned [`Array<T>`], a borrowed [`ArrayView`]
//! and a mutably borrowed [`ArrayViewMut`], each a pointer plus a shape and strides with
//! any number of axes (0-d included), like a numpy `ndarray`. It is what
//! [ndcalc](https://docs.rs/ndcalc)'s gradient, diff and cumulative ops are written on.
//!
//! ## The model
//!
//! An array is a buffer and a *layout*: `shape[k]` is the length of axis `k` and
//! `strides[k]` the distance, **in elements**, between neighbours along it. The element
//! at index `ix` lives at `Σ ix[k] * strides[k]` from element `[0, 0, ..]`. Strides may
//! be negative (a reversed axis) or zero (a broadcast axis, read-only). Slicing,
//! transposing, reversing and reshaping only compute a new layout over the same
//! elements: they never copy.
//!
//! ```
//! use ndcore::prelude::*;
//!
//! let a = Array::from_shape_fn([3, 4], |ix| (10 * ix[0] + ix[1]) as f64);
//! let v = a.slice(s![..;-1, 1..3]).unwrap();    // rows reversed, columns 1 and 2
//! assert_eq!(v.shape(), &[3, 2]);
//! assert_eq!(v.strides(), &[-4, 1]);
//! assert_eq!(v.to_vec(), vec![21., 22., 11., 12., 1., 2.]);
//! assert_eq!(v.t()[[1, 0]], 22.);
//! ```
//!
//! ## Three types, one set of methods
//!
//! Every read method lives on the [`AsView`] trait and every write method on
//! [`AsViewMut`], implemented by all three types, so one function signature takes any of
//! them: `fn f(a: &impl AsView<f64>)`. Views derived from a borrowed array borrow it;
//! [`ArrayView`]'s `*_move` methods keep the original lifetime. An [`ArrayView`] is cheap
//! to clone (no heap allocation up to four axes); an [`ArrayViewMut`] lends itself out
//! with [`reborrow`](ArrayViewMut::reborrow). Functions that only read an array argument
//! take `&impl` [`ArrayLike`], numpy's *array_like*: the three types, and a `Vec<T>`, a
//! slice or a Rust array `[T; N]` as a 1-D array.
//!
//! ## Axes and indices
//!
//! Every method that takes an axis, here and in ndcalc, takes an [`AxisArg`]: a `usize`
//! (what `0..a.ndim()` yields, never from the end) or an `isize`/`i32` whose negative
//! values count from the end, numpy's `axis=-1`; so `for ax in 0..a.ndim()` and
//! `a.sum_axis(-1)` both need no cast. Elements are indexed with `usize`, as Rust slices
//! are; an axis or index out of range is an [`Error`] (or a panic for `a[[i, j]]`).
//! Inside [`s!`] negative indices count from the end, as in numpy.
//!
//! ## numpy's slicing
//!
//! [`s!`] follows numpy, not Rust ranges: bounds clamp, negative numbers count from the
//! end, and a negative step walks from `start` down to `end` (`s![4..1;-1]` is indices
//! 4, 3, 2). See the [`slice`](mod@slice) module.
//!
//! ## Lanes, and the two loop orders
//!
//! Work along one axis (a derivative, a running sum) is written on [`Lane`]s: the 1-D
//! lines along that axis, each a pointer, a length and a stride. [`AsView::lanes`] yields
//! them; [`zip_lanes`] walks an input's and an output's lanes together (*lane order*,
//! best when the axis is the fastest in memory); [`zip_runs`] walks whole same-shape
//! hyperplanes elementwise with their contiguous runs innermost (*plane order*, best for
//! the other axes, where a lane would jump a whole row per element). Both hand the kernel
//! runs whose [`Lane::as_slice`] succeeds when memory allows, so inner loops are plain
//! slice loops the compiler vectorizes; [`LaneMut::zip_with`] is that elementwise loop,
//! over slices where the runs are contiguous and by stride elsewhere.
//!
//! ```
//! use ndcore::prelude::*;
//! // A forward difference along axis 0 of a row-major matrix, in plane order.
//! let a = array![[1., 2.], [4., 8.], [9., 18.]];
//! let mut d = Array::<f64>::zeros([2, 2]);
//! for i in 0..2 {
//!     let (lo, hi) = (a.index_axis(0, i).unwrap(), a.index_axis(0, i + 1).unwrap());
//!     zip_runs(&mut d.index_axis_mut(0, i).unwrap(), [&lo, &hi], |mut o, [l, h]| {
//!         for k in 0..o.len() { o[k] = h[k] - l[k]; }
//!     }).unwrap();
//! }
//! assert_eq!(d, array![[3., 6.], [5., 10.]]);
//! ```
//!
//! ## Neighbourhood stencils
//!
//! Most finite-difference schemes need none of that: [`stencil`] takes the neighbour
//! offsets and a closure of the values there, and walks shifted views of the input with
//! contiguous runs innermost. The closure sees values only, so it is right on every
//! layout.
//!
//! ```
//! use ndcore::prelude::*;
//! let f = Array::from_shape_fn([4, 5], |ix| (ix[0] * ix[1]) as f64);
//! let mixed = stencil(&f, [[1, 1], [1, -1], [-1, 1], [-1, -1]], |[a, b, c, d]| {
//!     (a - b - c + d) / 4.0 // ∂²f/∂i∂j
//! })?;
//! assert!(mixed.iter().all(|&v| v == 1.0));
//! # Ok::<(), ndcore::Error>(())
//! ```
//!
//! ## Iteration
//!
//! [`AsView::iter`] visits elements in logical C order whatever the layout. Contiguous
//! arrays iterate as a slice; others merge the axes that step as one and advance their
//! outer index once per inner run, never once per element, and `fold` (behind `sum`,
//! `for_each`, `collect`) runs a tight loop per run. Elementwise operations that need no
//! order (`fill`, `assign`, arithmetic) walk in memory order instead.
//!
//! ## Printing
//!
//! Arrays print exactly as numpy prints them: [`Display`](std::fmt::Display) is numpy's
//! `str(a)` and [`Debug`](std::fmt::Debug) is numpy's `repr(a)` (with its `dtype=` and
//! `shape=` suffixes), byte for byte, for every element type numpy can print
//! ([`ndfmt::Element`]: the numeric primitives, `bool`, `Complex<f64>`, `Complex<f32>`).
//! [`AsView::display_with`] takes numpy's other print options ([`PrintOptions`]:
//! `precision`, `threshold`, `edgeitems`, `linewidth`, `suppress`, `sign`, `floatmode`),
//! and a precision in the format string (`{:.3}`) sets `precision`. The text streams to
//! the formatter; a summarized array (over `threshold` elements) reads only the elements
//! it shows, so printing a huge array is instant.
//!
//! ```
//! use ndcore::prelude::*;
//! use ndcore::PrintOptions;
//!
//! let a = array![[1., 2.], [3., 4.5]];
//! assert_eq!(format!("{a}"), "[[1.  2. ]\n [3.  4.5]]");
//! assert_eq!(format!("{a:?}"), "array([[1. , 2. ],\n       [3. , 4.5]])");
//! // Views print their own elements, whatever their strides.
//! assert_eq!(format!("{}", a.t()), "[[1.  3. ]\n [2.  4.5]]");
//!
//! let b = Array::from_vec(vec![1.5f32, -2.0, 1.0 / 3.0]);
//! assert_eq!(format!("{b:?}"), "array([ 1.5       , -2.        ,  0.33333334], dtype=float32)");
//! let opts = PrintOptions { precision: 3, ..PrintOptions::default() };
//! assert_eq!(format!("{}", b.display_with(opts)), "[ 1.5   -2.     0.333]");
//! assert_eq!(format!("{b:.2}"), "[ 1.5  -2.    0.33]");
//! assert_eq!(format!("{}", Array::scalar(0.1)), "0.1"); // 0-d: numpy's scalar str
//! ```
//!
//! ## Errors and panics
//!
//! Everything that depends on data returns [`Result`] with an [`Error`] that names the
//! numbers involved. The panics are the ones a Rust user expects: `a[[i, j]]` out of
//! bounds, and constructors asked for more than `isize::MAX` elements.
//!
//! ## Safety
//!
//! All pointer arithmetic lives in one private module; the rest of the crate is safe
//! code (`#![deny(unsafe_code)]` elsewhere). Every derived view is checked to stay inside
//! its parent, and mutable views are checked not to overlap, so a layout mistake becomes
//! a panic, not undefined behaviour. The test suite runs under Miri.

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod array;
mod axis;
mod bytes;
mod error;
mod fmt;
mod index;
mod iter;
mod layout;
pub mod npy;
pub mod ops;
#[allow(unsafe_code)]
#[deny(clippy::undocumented_unsafe_blocks)]
mod raw;
pub mod slice;
mod stencil;
mod view;

pub use array::Array;
pub use axis::AxisArg;
pub use error::{Error, Result};
pub use fmt::Printed;
pub use iter::{AxisIter, AxisIterMut, IndexedIter};
pub use layout::{IntoShape, Shape, Strides};
/// The printing engine; `ndfmt::Element` is the bound of the `Display`/`Debug` impls.
pub use ndfmt;
pub use ndfmt::{FloatMode, PrintOptions, Sign};
pub use ops::ScalarOperand;
pub use raw::{
    contiguous_or_strided, fill_streaming, line_pieces, page_placed, streaming, with_simd,
    zip_lanes, zip_planes, zip_runs, ArrayView, ArrayViewMut, Iter, IterMut, Lane, LaneIter,
    LaneMut, Lanes, LanesMut, PlaneRuns, PlaneRunsMut, Streams,
};
pub use slice::{NewAxis, Slice, SliceArg};
pub use stencil::{stencil, stencil_into};
pub use view::{ArrayLike, AsView, AsViewMut};

/// The types, traits and macros most code needs: `use ndcore::prelude::*;`.
pub mod prelude {
    pub use crate::{array, s};
    pub use crate::{
        contiguous_or_strided, stencil, stencil_into, zip_lanes, zip_planes, zip_runs, Array,
        ArrayLike, ArrayView, ArrayViewMut, AsView, AsViewMut, Lane, LaneMut, NewAxis, Slice,
    };
}
