//! Per-call overhead: for inputs of rank 1 to 4 with uniform spacing, an
//! operation allocates nothing but its output, and nothing at all into caller memory.
//! A counting global allocator tallies the allocations of the test's own thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use ndcalc::prelude::*;
use ndcalc::Boundary;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; the count is a
// thread-local `Cell` with a const initializer, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded unchanged; `ptr` came from this allocator, i.e. from System.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; `ptr` came from System.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations `f` makes on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    std::hint::black_box(f());
    ALLOCATIONS.with(Cell::get) - before
}

/// The allocations of each operation on `f` along `axis`, new and into caller memory.
fn check(f: &ArrayView<'_, f64>, axis: isize, what: &str) {
    let shape = f.shape().to_vec();
    let at = |op: &str| format!("{op} of {what} {shape:?} along {axis}");
    let mut out = Array::<f64>::zeros(&shape[..]);
    let g = || f.gradient().axis(axis);
    let n = allocations(|| g().compute().unwrap());
    assert_eq!(n, 1, "{}", at("gradient"));
    let n = allocations(|| g().compute_into(&mut out).unwrap());
    assert_eq!(n, 0, "{}", at("gradient into"));
    let n = allocations(|| g().spacing(0.5).edge_order(2).compute().unwrap());
    assert_eq!(n, 1, "{}", at("gradient, edge_order 2"));
    let n = allocations(|| {
        g().boundary(Boundary::Periodic)
            .compute_into(&mut out)
            .unwrap()
    });
    assert_eq!(n, 0, "{}", at("periodic gradient into"));
    if shape[axis as usize] >= 7 {
        let n = allocations(|| g().accuracy(4).compute_into(&mut out).unwrap());
        assert_eq!(n, 0, "{}", at("accuracy 4 gradient into"));
        let d2 = || f.derivative(2).axis(axis).accuracy(4);
        let n = allocations(|| d2().compute_into(&mut out).unwrap());
        assert_eq!(n, 0, "{}", at("accuracy 4 second derivative into"));
    }
    let n = allocations(|| f.cumsum().axis(axis).compute().unwrap());
    assert_eq!(n, 1, "{}", at("cumsum"));
    let n = allocations(|| f.cumsum().axis(axis).compute_into(&mut out).unwrap());
    assert_eq!(n, 0, "{}", at("cumsum into"));
    let mut d = f.diff().axis(axis).compute().unwrap();
    let n = allocations(|| f.diff().axis(axis).compute().unwrap());
    assert_eq!(n, 1, "{}", at("diff"));
    let n = allocations(|| f.diff().axis(axis).compute_into(&mut d).unwrap());
    assert_eq!(n, 0, "{}", at("diff into"));
}

#[test]
fn operations_allocate_only_their_output() {
    // With the `parallel` feature the first call starts rayon's thread pool, once.
    let mut warm = array![0.0, 0.0];
    array![1.0, 2.0]
        .gradient()
        .axis(0)
        .compute_into(&mut warm)
        .unwrap();
    let shapes: [&[usize]; 5] = [&[100], &[1000], &[7, 9], &[4, 5, 6], &[3, 4, 5, 7]];
    for shape in shapes {
        let f = Array::from_shape_fn(shape, |i| i.iter().sum::<usize>() as f64 * 0.7);
        let t = f.t().to_owned();
        for axis in 0..shape.len() as isize {
            check(&f.view(), axis, "a contiguous");
            check(&t.t(), axis, "a transposed");
        }
        // Every axis: the outputs and the Vec that holds them.
        let n = allocations(|| f.gradient().compute().unwrap());
        assert_eq!(n, shape.len() + 1, "gradient of {shape:?}, every axis");
    }
}
