//! Element iterators in logical C order.
//!
//! A C-contiguous view iterates as a plain slice. Anything else walks merged runs: the
//! outer index advances once per run and `fold` (which `for_each`, `sum`, `collect` and
//! friends use) runs a tight loop over each run, so the compiler sees the inner loop.

use std::marker::PhantomData;
use std::ptr::NonNull;

use super::view::{ArrayView, ArrayViewMut};
use crate::layout::OffsetIter;

/// The elements of a non-contiguous view as pointers, in logical C order: the part of
/// [`Iter`] and [`IterMut`] that does not depend on mutability. Every pointer it yields
/// addresses a distinct index inside the view's shape.
struct Strided<T> {
    ptr: NonNull<T>,
    offsets: OffsetIter,
}

impl<T> Clone for Strided<T> {
    fn clone(&self) -> Self {
        Strided {
            ptr: self.ptr,
            offsets: self.offsets.clone(),
        }
    }
}

impl<T> Strided<T> {
    #[inline]
    fn next(&mut self) -> Option<*mut T> {
        let off = self.offsets.next()?;
        // SAFETY: OffsetIter yields offsets of indices inside the (then non-empty) view's
        // shape, which the invariant places inside its allocation.
        Some(unsafe { self.ptr.as_ptr().offset(off) })
    }

    /// `f` over the remaining elements, a tight loop per run.
    #[inline]
    fn fold<B>(mut self, init: B, mut f: impl FnMut(B, *mut T) -> B) -> B {
        let stride = self.offsets.run_stride();
        let mut acc = init;
        while let Some((start, len)) = self.offsets.next_run() {
            // SAFETY: the run's elements are indices inside the view's shape.
            let p = unsafe { self.ptr.as_ptr().offset(start) };
            for i in 0..len {
                // SAFETY: as above; `i < len` stays inside the run.
                acc = f(acc, unsafe { p.offset(i as isize * stride) });
            }
        }
        acc
    }
}

/// An iterator over `&T` in logical C order; see [`AsView::iter`](crate::AsView::iter).
pub struct Iter<'a, T> {
    repr: Repr<'a, T>,
}

enum Repr<'a, T> {
    Slice(std::slice::Iter<'a, T>),
    Strided(Strided<T>, PhantomData<&'a T>),
}

// SAFETY: yields `&'a T` only, like `std::slice::Iter`, which is Send/Sync iff `T: Sync`.
unsafe impl<T: Sync> Send for Iter<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for Iter<'_, T> {}

impl<'a, T> Iter<'a, T> {
    pub(super) fn new(view: ArrayView<'a, T>) -> Self {
        let repr = match view.as_slice() {
            Some(s) => Repr::Slice(s.iter()),
            None => Repr::Strided(
                Strided {
                    ptr: view.ptr,
                    offsets: OffsetIter::new(&view.layout),
                },
                PhantomData,
            ),
        };
        Iter { repr }
    }
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        let repr = match &self.repr {
            Repr::Slice(s) => Repr::Slice(s.clone()),
            Repr::Strided(s, life) => Repr::Strided(s.clone(), *life),
        };
        Iter { repr }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        match &mut self.repr {
            Repr::Slice(s) => s.next(),
            // SAFETY: an element of the view, shared for 'a.
            Repr::Strided(s, _) => s.next().map(|p| unsafe { &*p }),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.repr {
            Repr::Slice(s) => s.size_hint(),
            Repr::Strided(s, _) => s.offsets.size_hint(),
        }
    }

    fn fold<B, F: FnMut(B, &'a T) -> B>(self, init: B, mut f: F) -> B {
        match self.repr {
            Repr::Slice(s) => s.fold(init, f),
            // SAFETY: an element of the view, shared for 'a.
            Repr::Strided(s, _) => s.fold(init, |acc, p| f(acc, unsafe { &*p })),
        }
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

/// An iterator over `&mut T` in logical C order; see
/// [`AsViewMut::iter_mut`](crate::AsViewMut::iter_mut).
pub struct IterMut<'a, T> {
    repr: ReprMut<'a, T>,
}

enum ReprMut<'a, T> {
    Slice(std::slice::IterMut<'a, T>),
    Strided(Strided<T>, PhantomData<&'a mut T>),
}

// SAFETY: yields distinct `&'a mut T`, like `std::slice::IterMut`: Send iff `T: Send`.
unsafe impl<T: Send> Send for IterMut<'_, T> {}
// SAFETY: `&IterMut` gives no access to elements, like `std::slice::IterMut`: Sync iff `T: Sync`.
unsafe impl<T: Sync> Sync for IterMut<'_, T> {}

impl<'a, T> IterMut<'a, T> {
    pub(super) fn new(view: ArrayViewMut<'a, T>) -> Self {
        let ptr = view.ptr;
        let offsets = OffsetIter::new(&view.layout);
        let repr = match view.into_slice() {
            Some(s) => ReprMut::Slice(s.iter_mut()),
            None => ReprMut::Strided(Strided { ptr, offsets }, PhantomData),
        };
        IterMut { repr }
    }
}

impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = &'a mut T;

    #[inline]
    fn next(&mut self) -> Option<&'a mut T> {
        match &mut self.repr {
            ReprMut::Slice(s) => s.next(),
            // SAFETY: each element of the exclusively borrowed, non-overlapping view is
            // yielded once, so the `&mut` references never alias.
            ReprMut::Strided(s, _) => s.next().map(|p| unsafe { &mut *p }),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.repr {
            ReprMut::Slice(s) => s.size_hint(),
            ReprMut::Strided(s, _) => s.offsets.size_hint(),
        }
    }

    fn fold<B, F: FnMut(B, &'a mut T) -> B>(self, init: B, mut f: F) -> B {
        match self.repr {
            ReprMut::Slice(s) => s.fold(init, f),
            // SAFETY: as in `next`, each element is handed out once.
            ReprMut::Strided(s, _) => s.fold(init, |acc, p| f(acc, unsafe { &mut *p })),
        }
    }
}

impl<T> ExactSizeIterator for IterMut<'_, T> {}
