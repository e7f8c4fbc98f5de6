//! Element iterators in logical C order.
//!
//! A C-contiguous view iterates as a plain slice. Anything else walks merged runs: the
//! outer index advances once per run and `fold` (which `for_each`, `sum`, `collect` and
//! friends use) runs a tight loop over each run, so the compiler sees the inner loop.

use std::marker::PhantomData;
use std::ptr::NonNull;

use super::{ArrayView, ArrayViewMut};
use crate::layout::OffsetIter;

/// An iterator over `&T` in logical C order; see [`AsView::iter`](crate::AsView::iter).
pub struct Iter<'a, T> {
    repr: Repr<'a, T>,
}

enum Repr<'a, T> {
    Slice(std::slice::Iter<'a, T>),
    Strided {
        ptr: NonNull<T>,
        offsets: OffsetIter,
        life: PhantomData<&'a T>,
    },
}

// SAFETY: yields `&'a T` only, like `std::slice::Iter`, which is Send/Sync iff `T: Sync`.
unsafe impl<T: Sync> Send for Iter<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for Iter<'_, T> {}

impl<'a, T> Iter<'a, T> {
    pub(super) fn new(view: ArrayView<'a, T>) -> Self {
        let repr = match view.as_slice() {
            Some(s) => Repr::Slice(s.iter()),
            None => Repr::Strided {
                ptr: view.ptr,
                offsets: OffsetIter::new(&view.shape, &view.strides),
                life: PhantomData,
            },
        };
        Iter { repr }
    }
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        let repr = match &self.repr {
            Repr::Slice(s) => Repr::Slice(s.clone()),
            Repr::Strided { ptr, offsets, .. } => Repr::Strided {
                ptr: *ptr,
                offsets: offsets.clone(),
                life: PhantomData,
            },
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
            Repr::Strided { ptr, offsets, .. } => {
                let off = offsets.next()?;
                // SAFETY: OffsetIter yields offsets of indices inside the view's shape.
                Some(unsafe { &*ptr.as_ptr().offset(off) })
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.repr {
            Repr::Slice(s) => s.size_hint(),
            Repr::Strided { offsets, .. } => offsets.size_hint(),
        }
    }

    fn fold<B, F: FnMut(B, &'a T) -> B>(self, init: B, mut f: F) -> B {
        match self.repr {
            Repr::Slice(s) => s.fold(init, f),
            Repr::Strided {
                ptr, mut offsets, ..
            } => {
                let stride = offsets.run_stride();
                let mut acc = init;
                while let Some((start, len)) = offsets.next_run() {
                    // SAFETY: the run's elements are indices inside the view's shape.
                    let p = unsafe { ptr.as_ptr().offset(start) };
                    for i in 0..len {
                        // SAFETY: as above; `i < len` stays inside the run.
                        acc = f(acc, unsafe { &*p.offset(i as isize * stride) });
                    }
                }
                acc
            }
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
    Strided {
        ptr: NonNull<T>,
        offsets: OffsetIter,
        life: PhantomData<&'a mut T>,
    },
}

// SAFETY: yields distinct `&'a mut T`, like `std::slice::IterMut`: Send iff `T: Send`.
unsafe impl<T: Send> Send for IterMut<'_, T> {}
// SAFETY: `&IterMut` gives no access to elements, like `std::slice::IterMut`: Sync iff `T: Sync`.
unsafe impl<T: Sync> Sync for IterMut<'_, T> {}

impl<'a, T> IterMut<'a, T> {
    pub(super) fn new(view: ArrayViewMut<'a, T>) -> Self {
        let ptr = view.ptr;
        let offsets = OffsetIter::new(&view.shape, &view.strides);
        let repr = match view.into_slice() {
            Some(s) => ReprMut::Slice(s.iter_mut()),
            None => ReprMut::Strided {
                ptr,
                offsets,
                life: PhantomData,
            },
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
            ReprMut::Strided { ptr, offsets, .. } => {
                let off = offsets.next()?;
                // SAFETY: each offset is yielded once and addresses a distinct element of a
                // non-overlapping view, so the `&mut` references never alias.
                Some(unsafe { &mut *ptr.as_ptr().offset(off) })
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.repr {
            ReprMut::Slice(s) => s.size_hint(),
            ReprMut::Strided { offsets, .. } => offsets.size_hint(),
        }
    }

    fn fold<B, F: FnMut(B, &'a mut T) -> B>(self, init: B, mut f: F) -> B {
        match self.repr {
            ReprMut::Slice(s) => s.fold(init, f),
            ReprMut::Strided {
                ptr, mut offsets, ..
            } => {
                let stride = offsets.run_stride();
                let mut acc = init;
                while let Some((start, len)) = offsets.next_run() {
                    // SAFETY: the run's elements are distinct indices inside the view's shape.
                    let p = unsafe { ptr.as_ptr().offset(start) };
                    for i in 0..len {
                        // SAFETY: as above; each element is handed out once.
                        acc = f(acc, unsafe { &mut *p.offset(i as isize * stride) });
                    }
                }
                acc
            }
        }
    }
}

impl<T> ExactSizeIterator for IterMut<'_, T> {}
