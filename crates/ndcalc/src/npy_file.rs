//! The gradient of a `.npy` file larger than memory, written to another `.npy` file.
//!
//! [`NpyGradient`] maps the input ([`npy::map`]), cuts it into *slabs* (ranges of the
//! axis slowest in memory: the first axis of a C-order file, the last of a
//! Fortran-order one), computes each slab's gradient with the in-memory builder, and
//! streams the results in order to an [`NpyWriter`], which renames the output into
//! place only once it is complete. The result equals the in-memory
//! [`gradient`](crate::Calc::gradient) of the whole array (and so numpy's
//! `np.gradient`) bit for bit.
//!
//! # Memory
//!
//! The input is read through the page cache and never copied into the heap, and the
//! pages of rows already done are released from the process's resident set
//! ([`NpyMap::release`]) as the slabs advance. The heap holds two sets of slab buffers
//! (the next batch of slabs is computed while the previous one is written), a batch
//! being one slab, or one per thread with the `parallel` feature (at most 16), of about
//! [`slab_bytes`](NpyGradient::slab_bytes) each (1 MiB by default), plus the
//! coordinates when given: a few tens of MiB whatever the file's size. A slab holds at
//! least one hyperplane across the slowest axis (a C-order file of shape `(2, 10^9)` has
//! slabs of `10^9` elements).
//!
//! # Halos
//!
//! When the gradient axis is not the slab axis, each slab holds whole lanes along it
//! and is computed alone. When it is, each slab is a block with a halo
//! ([`GradientAxis::halo`](crate::GradientAxis::halo)): the builder's
//! [`reach`](crate::GradientAxis::reach) on each side, clipped at the file's ends, and
//! the builder writes the slab's points only, each with exactly the formula, and the
//! inputs, it uses on the whole array. numpy's choice between its uniform and uneven
//! formulas is made once on the whole axis, and the coordinates of every slab of an
//! uneven axis are marked [`Spacing::uneven`](crate::Spacing::uneven).
//!
//! ```
//! use ndcalc::npy_file::NpyGradient;
//! use ndcalc::prelude::*;
//! use ndcalc::ndcore::npy;
//! # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
//! let dir = std::env::temp_dir();
//! let (input, output) = (dir.join("ndcalc-doc-in.npy"), dir.join("ndcalc-doc-out.npy"));
//! let f = Array::from_shape_fn([50, 3], |ix| (ix[0] * ix[0] + ix[1]) as f64);
//! npy::write(&input, &f)?;
//!
//! let mut seen = 0;
//! NpyGradient::new(&input, 0, &output)
//!     .spacing(0.5)
//!     .edge_order(2)
//!     .slab_bytes(10 * 3 * 8)              // ten rows per slab
//!     .progress(|done, total| { seen = done; assert!(done <= total) })
//!     .run()?;
//! assert_eq!(seen, 50 * 3 * 8);
//! let whole = f.gradient().spacing(0.5).edge_order(2).axis(0).compute()?;
//! assert_eq!(npy::read::<f64>(&output)?, whole);
//! # std::fs::remove_file(&input)?;
//! # std::fs::remove_file(&output)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ndcore::npy::{self, DType, Element, NpyError, NpyMap, NpyWriter};
use ndcore::{ArrayView, ArrayViewMut, AsView, AxisArg, Slice};
use num_complex::Complex;

use crate::element::Promote;
use crate::error::{normalize_axis, CalcError};
use crate::spacing::Spacing;
use crate::{Calc, GradientAxis};

/// The default size of one output slab: small enough that the two buffer sets stay in
/// the CPU's caches between the kernel writing them and `write` copying them out (4 MiB
/// slabs cost 2.5 times the CPU time on a 2-core EPYC).
const SLAB_BYTES: usize = 1 << 20;

/// With the `parallel` feature, at most this many slabs are in flight at once.
#[cfg(feature = "parallel")]
const MAX_IN_FLIGHT: usize = 16;

/// The gradient of a `.npy` file along one axis, written slab by slab to another `.npy`
/// file; see the [module docs](self).
///
/// Every dtype with a gradient: floats and complex keep their type, integers give
/// `float64`, as `np.gradient` does; `bool` is refused. C- and Fortran-order files; the
/// output has the input's order. The input must be in the machine's byte order.
///
/// Errors ([`NpyFileError`]) come before the output is created when the input or the
/// options are wrong (an unreadable or truncated file, an axis out of range, coordinates
/// of the wrong length, too few points); an I/O error while writing (a full disk) leaves
/// no output file, and an existing output is replaced only by a complete one.
///
/// ```
/// use ndcalc::npy_file::NpyGradient;
/// use ndcalc::prelude::*;
/// use ndcalc::ndcore::npy::{self, DType};
/// # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
/// let dir = std::env::temp_dir();
/// let input = dir.join(format!("ndcalc-doc-f-{}.npy", std::process::id()));
/// let output = dir.join(format!("ndcalc-doc-g-{}.npy", std::process::id()));
/// // A Fortran-order int16 file: slabs are ranges of its last axis, the gradient axis.
/// let f = Array::from_shape_fn([3, 9], |ix| (ix[1] * ix[1]) as i16 - ix[0] as i16);
/// npy::write(&input, &f.t().to_owned().t())?;
/// let x = array![0., 1., 3., 4., 7., 8., 9., 13., 14.];
/// let written = NpyGradient::new(&input, -1, &output)
///     .spacing(&x)
///     .slab_bytes(1)                      // one sample per slab, each with its halo
///     .run()?;
/// assert_eq!((written.dtype, written.fortran_order, written.slabs), (DType::F64, true, 9));
/// let g = npy::read::<f64>(&output)?;
/// assert_eq!(g, f.gradient().spacing(&x).axis(-1).compute()?);
/// # std::fs::remove_file(&input)?;
/// # std::fs::remove_file(&output)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct NpyGradient<'p> {
    input: PathBuf,
    axis: isize,
    output: PathBuf,
    spacing: Spacing,
    edge_order: Option<usize>,
    accuracy: Option<usize>,
    slab_bytes: usize,
    durable: bool,
    progress: Option<Box<dyn FnMut(u64, u64) + 'p>>,
}

impl fmt::Debug for NpyGradient<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NpyGradient")
            .field("input", &self.input)
            .field("axis", &self.axis)
            .field("output", &self.output)
            .field("spacing", &self.spacing)
            .field("edge_order", &self.edge_order)
            .field("accuracy", &self.accuracy)
            .field("slab_bytes", &self.slab_bytes)
            .field("durable", &self.durable)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What [`NpyGradient::run`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The dtype of the output.
    pub dtype: DType,
    /// The shape of the input and the output.
    pub shape: Vec<usize>,
    /// Whether the output (like the input) is in Fortran order.
    pub fortran_order: bool,
    /// The number of slabs the array was cut into.
    pub slabs: usize,
}

impl<'p> NpyGradient<'p> {
    /// The gradient of the `.npy` file `input` along `axis` (negative counts from the
    /// end), to be written to `output`, with numpy's defaults: unit spacing,
    /// `edge_order(1)`.
    pub fn new(input: impl AsRef<Path>, axis: impl AxisArg, output: impl AsRef<Path>) -> Self {
        NpyGradient {
            input: input.as_ref().to_path_buf(),
            axis: axis.signed(),
            output: output.as_ref().to_path_buf(),
            spacing: Spacing::step(1.0),
            edge_order: None,
            accuracy: None,
            slab_bytes: SLAB_BYTES,
            durable: false,
            progress: None,
        }
    }

    /// The spacing along the axis: a step, or the coordinates of every sample (as
    /// [`Gradient::spacing`](crate::Gradient::spacing)).
    pub fn spacing(mut self, s: impl Into<Spacing>) -> Self {
        self.spacing = s.into();
        self
    }

    /// numpy's `edge_order`, 1 or 2; see [`Gradient::edge_order`](crate::Gradient::edge_order).
    pub fn edge_order(mut self, edge_order: usize) -> Self {
        self.edge_order = Some(edge_order);
        self
    }

    /// The order of accuracy, 2 (numpy's), 4 or 6; see
    /// [`Gradient::accuracy`](crate::Gradient::accuracy).
    pub fn accuracy(mut self, accuracy: usize) -> Self {
        self.accuracy = Some(accuracy);
        self
    }

    /// The size in bytes of the output of one slab (1 MiB by default); a slab holds at
    /// least one hyperplane across the slab axis. Smaller slabs use less memory, larger
    /// ones fewer calls; the result is the same.
    pub fn slab_bytes(mut self, bytes: usize) -> Self {
        self.slab_bytes = bytes;
        self
    }

    /// Whether to wait until the output is on the disk before returning (off by
    /// default, as for `cp` and `np.save`). The output is always written beside its
    /// name and renamed into place when complete, so a failed or killed run never
    /// leaves a partial file under it; with `durable(true)` that holds after a crash
    /// of the machine too ([`NpyWriter::finish_durable`]), at about twice the time.
    pub fn durable(mut self, durable: bool) -> Self {
        self.durable = durable;
        self
    }

    /// Calls `f(done, total)` after each slab is written, with the bytes of output data
    /// written so far and in all.
    pub fn progress(mut self, f: impl FnMut(u64, u64) + 'p) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// Computes and writes the gradient.
    pub fn run(mut self) -> Result<Written, NpyFileError> {
        let map = npy::map(&self.input).map_err(|source| NpyFileError::Read {
            path: self.input.clone(),
            source,
        })?;
        match map.header().dtype {
            DType::I8 => self.run_typed::<i8>(&map),
            DType::I16 => self.run_typed::<i16>(&map),
            DType::I32 => self.run_typed::<i32>(&map),
            DType::I64 => self.run_typed::<i64>(&map),
            DType::U8 => self.run_typed::<u8>(&map),
            DType::U16 => self.run_typed::<u16>(&map),
            DType::U32 => self.run_typed::<u32>(&map),
            DType::U64 => self.run_typed::<u64>(&map),
            DType::F32 => self.run_typed::<f32>(&map),
            DType::F64 => self.run_typed::<f64>(&map),
            DType::Complex64 => self.run_typed::<Complex<f32>>(&map),
            DType::Complex128 => self.run_typed::<Complex<f64>>(&map),
            dtype => Err(NpyFileError::NoGradient {
                path: self.input.clone(),
                dtype,
            }),
        }
    }

    fn run_typed<T>(&mut self, map: &NpyMap) -> Result<Written, NpyFileError>
    where
        T: Promote + Element,
        T::Output: Element,
    {
        let x = map.view::<T>().map_err(|source| NpyFileError::Read {
            path: self.input.clone(),
            source,
        })?;
        let calc_err = |source| NpyFileError::Calc {
            path: self.input.clone(),
            shape: x.shape().to_vec(),
            source: Box::new(source),
        };
        let plan = self.plan(&x).map_err(calc_err)?;
        let fortran = map.header().fortran_order;
        let output = self.output.clone();
        let write_err = |source| NpyFileError::Write {
            path: output.clone(),
            source,
        };
        let mut out =
            NpyWriter::<T::Output>::create(&self.output, x.shape(), fortran).map_err(write_err)?;
        let total = out.declared() * std::mem::size_of::<T::Output>() as u64;
        let slabs = plan.slabs();
        let row_bytes = plan.plane * std::mem::size_of::<T>();
        let mut released = 0;
        let per_batch = in_flight();
        let batches: Vec<&[Range<usize>]> = slabs.chunks(per_batch).collect();
        // Writes batch `b` from `bufs`, reports progress, and releases the input rows no
        // later window reads from the resident set (the page cache keeps them).
        let mut write_batch = |b: usize,
                               bufs: &[Vec<T::Output>],
                               results: Vec<crate::Result<Range<usize>>>|
         -> Result<(), NpyFileError> {
            for (result, buf) in results.into_iter().zip(bufs) {
                let kept = result.map_err(calc_err)?;
                out.write_slab(&buf[kept]).map_err(write_err)?;
                if let Some(f) = self.progress.as_mut() {
                    f(
                        out.written() * std::mem::size_of::<T::Output>() as u64,
                        total,
                    );
                }
            }
            let keep = batches
                .get(b + 1)
                .map_or(plan.len, |next| plan.window(&next[0]).start);
            if keep > released {
                map.release(released * row_bytes..keep * row_bytes);
                released = keep;
            }
            Ok(())
        };
        // Two sets of buffers: batch `b` is computed into one while batch `b - 1` is
        // written from the other (at once with `parallel`).
        let mut bufs: [Vec<Vec<T::Output>>; 2] = Default::default();
        let mut pending = None;
        for (b, batch) in batches.iter().enumerate() {
            let [even, odd] = &mut bufs;
            let (cur, prev) = if b % 2 == 0 { (even, odd) } else { (odd, even) };
            cur.resize_with(batch.len(), Vec::new);
            let mut results = Vec::new();
            let compute = || {
                results = for_each_slab(batch, cur, |slab, buf| plan.slab_gradient(&x, slab, buf))
            };
            overlap(compute, || match pending.take() {
                Some(res) => write_batch(b - 1, prev, res),
                None => Ok(()),
            })?;
            pending = Some(results);
        }
        if let Some(res) = pending {
            let last = batches.len() - 1;
            write_batch(last, &bufs[last % 2], res)?;
        }
        if self.durable {
            out.finish_durable()
        } else {
            out.finish()
        }
        .map_err(write_err)?;
        Ok(Written {
            dtype: <T::Output as Element>::DTYPE,
            shape: x.shape().to_vec(),
            fortran_order: fortran,
            slabs: slabs.len(),
        })
    }

    /// Checks the options against the input and cuts it into slabs.
    fn plan<T: Promote>(&self, x: &ArrayView<'_, T>) -> crate::Result<Plan> {
        let ndim = x.ndim();
        if ndim == 0 {
            return Err(CalcError::ZeroDimensional { op: "gradient" });
        }
        let axis = normalize_axis(self.axis, ndim)?;
        if let Some(edge_order) = self.edge_order.filter(|e| !(1..=2).contains(e)) {
            return Err(CalcError::EdgeOrder { edge_order });
        }
        if let Some(accuracy) = self.accuracy.filter(|a| !matches!(a, 2 | 4 | 6)) {
            return Err(CalcError::Accuracy { accuracy });
        }
        let n = x.shape()[axis];
        // numpy's uniform rule, decided once on the whole axis.
        let uneven = self.spacing.is_uneven(axis, n)?;
        // The axis slowest in memory (`npy::map` views have the file's strides).
        let slow = if ndim > 1 && x.strides()[0] < x.strides()[ndim - 1] {
            ndim - 1
        } else {
            0
        };
        let len = x.shape()[slow];
        let plane: usize = (0..ndim)
            .filter(|&k| k != slow)
            .map(|k| x.shape()[k])
            .product();
        let plane_bytes = plane.max(1) * std::mem::size_of::<T::Output>();
        let rows = (self.slab_bytes / plane_bytes).max(1);
        let mut plan = Plan {
            axis,
            slow,
            len,
            plane,
            rows,
            reach: None,
            spacing: self.spacing.clone(),
            uneven,
            edge_order: self.edge_order,
            accuracy: self.accuracy,
        };
        if axis == slow {
            plan.reach = Some(plan.builder(x, Spacing::step(1.0)).reach());
        }
        Ok(plan)
    }
}

/// How the array is cut and what each slab computes.
struct Plan {
    axis: usize,
    /// The slab axis.
    slow: usize,
    /// Its length.
    len: usize,
    /// Elements per index of the slab axis.
    plane: usize,
    /// Indices of the slab axis per slab.
    rows: usize,
    /// The halo a slab needs before and after it, when the gradient axis is the slab
    /// axis.
    reach: Option<(usize, usize)>,
    /// The spacing of the whole axis, and whether it takes numpy's uneven formulas.
    spacing: Spacing,
    uneven: bool,
    edge_order: Option<usize>,
    accuracy: Option<usize>,
}

impl Plan {
    /// The slabs, as ranges of the slab axis (one empty slab for an empty axis, so the
    /// options are still checked against the array).
    fn slabs(&self) -> Vec<Range<usize>> {
        if self.len == 0 {
            return std::iter::once(0..0).collect();
        }
        (0..self.len)
            .step_by(self.rows)
            .map(|s| s..(s + self.rows).min(self.len))
            .collect()
    }

    /// The window of the input a slab is computed on: the slab plus the reach each side,
    /// clipped at the ends.
    fn window(&self, slab: &Range<usize>) -> Range<usize> {
        match self.reach {
            Some((lo, hi)) => slab.start.saturating_sub(lo)..(slab.end + hi).min(self.len),
            None => slab.clone(),
        }
    }

    /// The gradient builder of the input `x` with the options and `spacing`. The one
    /// place the in-memory builder is made.
    fn builder<'x, T: Promote>(
        &self,
        x: &'x ArrayView<'_, T>,
        spacing: Spacing,
    ) -> GradientAxis<'x, T> {
        let g = x.gradient().spacing(spacing);
        let g = match self.edge_order {
            Some(edge_order) => g.edge_order(edge_order),
            None => g,
        };
        let g = match self.accuracy {
            Some(accuracy) => g.accuracy(accuracy),
            None => g,
        };
        g.axis(self.axis)
    }

    /// Computes the gradient of `slab` into `buf` (resized as needed); returns the range
    /// of `buf` that holds the slab's result, in the file's memory order.
    fn slab_gradient<T: Promote>(
        &self,
        x: &ArrayView<'_, T>,
        slab: &Range<usize>,
        buf: &mut Vec<T::Output>,
    ) -> crate::Result<Range<usize>> {
        let w = self.window(slab);
        let xw = x.slice_axis(self.slow, Slice::new(w.start as isize, w.end as isize, 1))?;
        let spacing = match self.reach {
            Some(_) => self.spacing.block(w.clone(), self.uneven),
            None => self.spacing.clone(),
        };
        // The slab's result, in the file's order (the strides of a run of whole
        // hyperplanes do not depend on its length).
        let mut shape = xw.shape().to_vec();
        shape[self.slow] = slab.len();
        let kept = 0..slab.len() * self.plane;
        buf.resize(kept.len(), <T::Output as num_traits::Zero>::zero());
        let mut out = ArrayViewMut::from_slice_with_strides(buf, &shape[..], xw.strides(), 0)?;
        let g = self.builder(&xw, spacing);
        let g = g.halo(slab.start - w.start, w.end - slab.end);
        g.compute_into(&mut out)?;
        Ok(kept)
    }
}

/// Runs `compute` and then `write`, or with `parallel` both at once: `write` on this
/// thread, `compute` on rayon's pool.
fn overlap<R>(compute: impl FnOnce() + Send, write: impl FnOnce() -> R) -> R {
    #[cfg(feature = "parallel")]
    return rayon::in_place_scope(|s| {
        s.spawn(move |_| compute());
        write()
    });
    #[cfg(not(feature = "parallel"))]
    {
        compute();
        write()
    }
}

/// The number of slabs computed at once: one, or one per thread with `parallel`.
fn in_flight() -> usize {
    #[cfg(feature = "parallel")]
    return rayon::current_num_threads().clamp(1, MAX_IN_FLIGHT);
    #[cfg(not(feature = "parallel"))]
    1
}

/// Runs `f` on each slab with its own buffer: in turn, or on rayon's threads with
/// `parallel`. The results come back in the slabs' order.
fn for_each_slab<U: Send, R: Send>(
    slabs: &[Range<usize>],
    bufs: &mut [Vec<U>],
    f: impl Fn(&Range<usize>, &mut Vec<U>) -> R + Sync,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        slabs
            .par_iter()
            .zip(bufs.par_iter_mut())
            .map(|(s, b)| f(s, b))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    slabs.iter().zip(bufs).map(|(s, b)| f(s, b)).collect()
}

/// Why [`NpyGradient::run`] failed; every message names the file and the numbers.
///
/// ```
/// use ndcalc::npy_file::{NpyFileError, NpyGradient};
/// use ndcalc::prelude::*;
/// # if cfg!(miri) { return Ok(()); } // no file system under Miri's isolation
/// let dir = std::env::temp_dir();
/// let input = dir.join(format!("ndcalc-doc-err-{}.npy", std::process::id()));
/// ndcalc::ndcore::npy::write(&input, &Array::<f64>::zeros([4, 5]))?;
/// let err = NpyGradient::new(&input, 2, dir.join("never.npy")).run().unwrap_err();
/// let NpyFileError::Calc { source, .. } = &err else { panic!("{err}") };
/// assert_eq!(**source, CalcError::Array(ndcalc::ndcore::Error::AxisOutOfRange { axis: 2, ndim: 2 }));
/// assert!(err.to_string().ends_with("(shape [4, 5]): axis 2 is out of bounds for array of dimension 2"));
/// # std::fs::remove_file(&input)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum NpyFileError {
    /// The input could not be opened, mapped or viewed (malformed, truncated, another
    /// byte order).
    Read {
        /// The input file.
        path: PathBuf,
        /// What went wrong.
        source: NpyError,
    },
    /// The output could not be created or written; no output file was left.
    Write {
        /// The output file.
        path: PathBuf,
        /// What went wrong.
        source: NpyError,
    },
    /// The options do not fit the input (axis, spacing, edge order, accuracy, length).
    Calc {
        /// The input file.
        path: PathBuf,
        /// Its shape.
        shape: Vec<usize>,
        /// What does not fit.
        source: Box<CalcError>,
    },
    /// A dtype with no gradient (`bool`; numpy refuses it too).
    NoGradient {
        /// The input file.
        path: PathBuf,
        /// Its dtype.
        dtype: DType,
    },
}

impl fmt::Display for NpyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NpyFileError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            NpyFileError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            NpyFileError::Calc {
                path,
                shape,
                source,
            } => write!(
                f,
                "cannot take the gradient of {} (shape {shape:?}): {source}",
                path.display()
            ),
            NpyFileError::NoGradient { path, dtype } => write!(
                f,
                "{} holds {dtype}, which has no gradient (numpy refuses it too)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for NpyFileError {
    /// The cause below the message: the operating system's error of a failed I/O.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NpyFileError::Read { source, .. } | NpyFileError::Write { source, .. } => {
                source.source()
            }
            _ => None,
        }
    }
}
