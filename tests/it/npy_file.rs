//! The out-of-core gradient (`ndcalc::npy_file`), the memory-mapped reader and the
//! streaming writer: driver output against numpy's files (tests/fixtures/npy_file,
//! written by tests/fixtures/gen_npy_file.py) and against the in-memory gradient, bit
//! for bit, for every axis, order, slab size and option; bad input; and a run killed
//! midway, which must leave no partial file under the output's name.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ndcalc::npy_file::{NpyFileError, NpyGradient};
use ndcalc::prelude::*;
use ndcore::npy::{self, DType, NpyError, NpyWriter};
use num_complex::Complex;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/npy_file");

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ndkit-it-npy-file-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// The bytes `npy::write` gives for `a` (the in-memory result, as a file).
fn npy_bytes<T: ndcore::npy::Element>(a: &Array<T>) -> Vec<u8> {
    let mut buf = Vec::new();
    npy::write_to(&mut buf, a).unwrap();
    buf
}

/// The coordinates in a fixture file.
fn coords(name: &str) -> Array<f64> {
    npy::read::<f64>(fixture(name)).unwrap()
}

#[test]
fn driver_output_is_numpys_file_byte_for_byte() {
    let dir = scratch("numpy");
    let out = dir.join("out.npy");
    let mut checked = 0;
    for slab_bytes in [1, 100, 1 << 20] {
        for edge in [1, 2] {
            for (name, ndim) in [("c", 3), ("f", 3), ("i", 2)] {
                for axis in 0..ndim {
                    NpyGradient::new(fixture(&format!("in_{name}.npy")), axis, &out)
                        .edge_order(edge)
                        .slab_bytes(slab_bytes)
                        .durable(slab_bytes == 100)
                        .run()
                        .unwrap();
                    let want = std::fs::read(fixture(&format!("grad_{name}_a{axis}_e{edge}.npy")));
                    assert!(
                        std::fs::read(&out).unwrap() == want.unwrap(),
                        "{name} axis {axis} edge_order {edge} slab_bytes {slab_bytes}"
                    );
                    checked += 1;
                }
            }
            for axis in 0..3 {
                NpyGradient::new(fixture("in_f.npy"), axis, &out)
                    .spacing(0.25)
                    .edge_order(edge)
                    .slab_bytes(slab_bytes)
                    .run()
                    .unwrap();
                let want = fixture(&format!("grad_f_a{axis}_h_e{edge}.npy"));
                assert!(std::fs::read(&out).unwrap() == std::fs::read(want).unwrap());
            }
            for (x, tag) in [("x_c0.npy", "x"), ("x_c0_even.npy", "xeven")] {
                NpyGradient::new(fixture("in_c.npy"), 0, &out)
                    .spacing(&coords(x))
                    .edge_order(edge)
                    .slab_bytes(slab_bytes)
                    .run()
                    .unwrap();
                let want = fixture(&format!("grad_c_a0_{tag}_e{edge}.npy"));
                assert!(
                    std::fs::read(&out).unwrap() == std::fs::read(want).unwrap(),
                    "{tag} edge_order {edge} slab_bytes {slab_bytes}"
                );
            }
        }
    }
    assert_eq!(checked, 3 * 2 * 8);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Runs the driver with tiny slabs and compares with the in-memory gradient's file.
fn check_against_memory<T>(a: &Array<T>, dir: &Path, label: &str)
where
    T: ndcalc::Promote + ndcore::npy::Element,
    T::Output: ndcore::npy::Element,
{
    let (input, out) = (dir.join("in.npy"), dir.join("out.npy"));
    npy::write(&input, a).unwrap();
    let n = a.ndim();
    // Uneven coordinates, and coordinates even but for the last step (windows of even
    // steps must keep numpy's uneven formulas).
    let uneven =
        |len: usize| Array::from_shape_fn([len], |i| (i[0] * i[0]) as f64 * 0.5 + i[0] as f64);
    let even_but_last = |len: usize| {
        Array::from_shape_fn([len], |i| {
            if i[0] + 1 == len {
                i[0] as f64 + 0.5
            } else {
                i[0] as f64
            }
        })
    };
    for axis in 0..n {
        let len = a.shape()[axis];
        // f32 coordinates: numpy computes their weights in f32, so every slab's must be
        // f32 too.
        let uneven_f32 = uneven(len).map(|&v| v as f32 * 0.3);
        let spacings: [Spacing; 5] = [
            Spacing::step(1.0),
            Spacing::step(0.3),
            Spacing::from(&uneven(len)),
            Spacing::from(&even_but_last(len)),
            Spacing::from(&uneven_f32),
        ];
        for (accuracy, edge) in [(2, 1), (2, 2), (4, 1), (6, 1)] {
            for s in &spacings {
                let whole = a
                    .gradient()
                    .spacing(s.clone())
                    .edge_order(edge)
                    .accuracy(accuracy)
                    .axis(axis as isize)
                    .compute();
                for rows in [1, 2, 3, 7] {
                    let plane = a.len()
                        / a.shape()[if a.strides()[0] == 1 && n > 1 {
                            n - 1
                        } else {
                            0
                        }]
                        .max(1);
                    let r = NpyGradient::new(&input, axis as isize - n as isize, &out)
                        .spacing(s.clone())
                        .edge_order(edge)
                        .accuracy(accuracy)
                        .slab_bytes(rows * plane * std::mem::size_of::<T::Output>())
                        .run();
                    let what = format!(
                        "{label} axis {axis} accuracy {accuracy} edge {edge} {s:?} rows {rows}"
                    );
                    match (&whole, r) {
                        (Ok(g), Ok(w)) => {
                            assert_eq!(w.shape, a.shape());
                            assert!(std::fs::read(&out).unwrap() == npy_bytes(g), "{what}");
                        }
                        (Err(e), Err(NpyFileError::Calc { source, .. })) => {
                            assert_eq!(e, &*source, "{what}")
                        }
                        (whole, r) => panic!(
                            "{what}: in memory {:?}, driver {:?}",
                            whole.as_ref().map(|_| ()),
                            r.map(|w| w.shape)
                        ),
                    }
                }
            }
        }
    }
}

/// Values whose every formula gives distinct bits, with a NaN and an infinity.
fn wavy(shape: &[usize]) -> Array<f64> {
    let mut k = 0.0;
    let mut a = Array::from_shape_fn(shape, |_| {
        k += 1.0;
        (0.7f64 * k).sin() * 10.0 + 0.013 * k * k
    });
    if a.len() > 7 {
        a.as_slice_mut().unwrap()[5] = f64::NAN;
        let n = a.len();
        a.as_slice_mut().unwrap()[n - 3] = f64::INFINITY;
    }
    a
}

#[test]
fn driver_equals_the_in_memory_gradient_for_every_axis_order_slab_and_option() {
    let dir = scratch("memory");
    for shape in [&[11][..], &[9, 4][..], &[8, 3, 2][..]] {
        let a = wavy(shape);
        check_against_memory(&a, &dir, "C f64");
        let f = a.t().to_owned();
        let shape = a.shape().to_vec();
        let f =
            Array::from_shape_vec_strides(shape.as_slice(), &fortran_strides(&shape), f.into_vec())
                .unwrap();
        assert!(f
            .iter()
            .zip(a.iter())
            .all(|(x, y)| x.to_bits() == y.to_bits()));
        assert_eq!(f.strides()[0], 1);
        check_against_memory(&f, &dir, "F f64");
    }
    for empty in [[0, 3], [3, 0]] {
        check_against_memory(&Array::<f64>::zeros(empty), &dir, "empty");
    }
    let ints = Array::from_shape_fn([7, 5], |ix| (ix[0] * ix[0] * 3) as i32 - ix[1] as i32 * 7);
    check_against_memory(&ints, &dir, "C i32");
    let c = Array::from_shape_fn([6, 4], |ix| {
        Complex::new(ix[0] as f32 * 1.5, (ix[1] * ix[0]) as f32)
    });
    check_against_memory(&c, &dir, "C c64");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Column-major strides of `shape`.
fn fortran_strides(shape: &[usize]) -> Vec<isize> {
    let mut step = 1isize;
    shape
        .iter()
        .map(|&n| {
            let s = step;
            step *= n.max(1) as isize;
            s
        })
        .collect()
}

#[test]
fn driver_reports_progress_up_to_the_whole_output() {
    let dir = scratch("progress");
    let (input, out) = (dir.join("in.npy"), dir.join("out.npy"));
    npy::write(&input, &wavy(&[10, 6])).unwrap();
    let mut calls = Vec::new();
    let w = NpyGradient::new(&input, 1, &out)
        .slab_bytes(3 * 6 * 8)
        .progress(|done, total| calls.push((done, total)))
        .run()
        .unwrap();
    assert_eq!(w.slabs, 4);
    assert_eq!((w.dtype, w.fortran_order), (DType::F64, false));
    assert_eq!(calls, vec![(144, 480), (288, 480), (432, 480), (480, 480)]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn driver_errors_name_the_numbers_and_leave_no_output() {
    let dir = scratch("errors");
    let (input, out) = (dir.join("in.npy"), dir.join("out.npy"));
    npy::write(&input, &wavy(&[6, 4])).unwrap();
    let calc = |r: Result<_, NpyFileError>| match r {
        Err(NpyFileError::Calc { source, .. }) => *source,
        other => panic!("{other:?}"),
    };

    let err = NpyGradient::new(&input, -3, &out).run().unwrap_err();
    assert!(
        err.to_string()
            .ends_with("(shape [6, 4]): axis -3 is out of bounds for array of dimension 2"),
        "{err}"
    );
    assert_eq!(
        calc(Err(err)),
        CalcError::Array(ndcalc::ndcore::Error::AxisOutOfRange { axis: -3, ndim: 2 })
    );

    let x = Array::linspace(0.0, 1.0, 5);
    let err = calc(NpyGradient::new(&input, 0, &out).spacing(&x).run());
    assert_eq!(
        err,
        CalcError::CoordinatesLength {
            axis: 0,
            expected: 6,
            found: 5
        }
    );

    let err = calc(NpyGradient::new(&input, 1, &out).accuracy(6).run());
    assert!(
        matches!(
            err,
            CalcError::TooFewPoints {
                axis: 1,
                len: 4,
                needed: 8,
                ..
            }
        ),
        "{err}"
    );
    let err = calc(NpyGradient::new(&input, 0, &out).edge_order(3).run());
    assert_eq!(err, CalcError::EdgeOrder { edge_order: 3 });

    // A truncated file: the header promises 192 bytes of data.
    let bytes = std::fs::read(&input).unwrap();
    let cut = dir.join("cut.npy");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    let err = NpyGradient::new(&cut, 0, &out).run().unwrap_err();
    assert!(
        matches!(
            &err,
            NpyFileError::Read {
                source: NpyError::MissingData {
                    expected: 192,
                    found: 182,
                    ..
                },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("needs 192 bytes of data, the file holds 182"),
        "{err}"
    );

    let bools = dir.join("bool.npy");
    npy::write(&bools, &array![true, false]).unwrap();
    let err = NpyGradient::new(&bools, 0, &out).run().unwrap_err();
    assert!(matches!(
        err,
        NpyFileError::NoGradient {
            dtype: DType::Bool,
            ..
        }
    ));
    assert!(err
        .to_string()
        .ends_with("bool.npy holds bool, which has no gradient (numpy refuses it too)"));

    // float16, a numpy dtype ndcore does not read.
    let half = dir.join("half.npy");
    let mut h = bytes.clone();
    let at = h.windows(3).position(|w| w == b"<f8").unwrap();
    h[at..at + 3].copy_from_slice(b"<f2");
    h.truncate(h.len() - 6 * 4 * 6);
    std::fs::write(&half, &h).unwrap();
    let err = NpyGradient::new(&half, 0, &out).run().unwrap_err();
    assert!(
        matches!(
            &err,
            NpyFileError::Read {
                source: NpyError::UnsupportedDtype { .. },
                ..
            }
        ),
        "{err:?}"
    );

    // A big-endian file cannot be mapped as native data.
    let err = NpyGradient::new(Path::new(FIXTURES).join("../npy/f8_be.npy"), 0, &out)
        .run()
        .unwrap_err();
    assert!(
        matches!(
            &err,
            NpyFileError::Read {
                source: NpyError::NotViewable { .. },
                ..
            }
        ),
        "{err:?}"
    );

    let missing = NpyGradient::new(dir.join("absent.npy"), 0, &out)
        .run()
        .unwrap_err();
    assert!(
        std::error::Error::source(&missing).is_some(),
        "the OS error is kept"
    );

    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        4,
        "no temporary file is left"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn map_views_c_and_fortran_files_without_copying() {
    let map = npy::map(fixture("in_f.npy")).unwrap();
    let h = map.header();
    assert_eq!(
        (h.dtype, h.shape.as_slice(), h.fortran_order),
        (DType::F32, &[6, 5, 3][..], true)
    );
    let v = map.view::<f32>().unwrap();
    assert_eq!(v.strides(), &[1, 6, 30]);
    assert_eq!(v, npy::read::<f32>(fixture("in_f.npy")).unwrap());
    let data = &map.as_bytes()[h.data_offset as usize..];
    assert_eq!(
        v.t().as_bytes().unwrap().as_ptr(),
        data.as_ptr(),
        "a view of the map itself"
    );
    let err = map.view::<f64>().unwrap_err();
    assert!(matches!(
        err,
        NpyError::DtypeMismatch {
            expected: DType::F64,
            found: DType::F32
        }
    ));

    let be = npy::map(Path::new(FIXTURES).join("../npy/f8_be.npy")).unwrap();
    let err = be.view::<f64>().unwrap_err();
    assert!(err.to_string().contains("Big-endian"), "{err}");
}

#[test]
fn writer_checks_the_element_count_and_replaces_only_when_complete() {
    let dir = scratch("writer");
    let path = dir.join("a.npy");
    let mut w = NpyWriter::<i32>::create(&path, &[2, 3], true).unwrap();
    w.write_slab(&[1, 2, 3]).unwrap();
    let err = w.write_slab(&[4, 5, 6, 7]).unwrap_err();
    assert!(matches!(
        err,
        NpyError::TooManyElements {
            declared: 6,
            written: 3,
            slab: 4
        }
    ));
    assert_eq!(
        err.to_string(),
        "a slab of 4 elements after 3 would pass the 6 elements the .npy header declares"
    );
    assert!(!path.exists(), "nothing under the name before finish");
    w.write_slab(&[4, 5, 6]).unwrap();
    w.finish().unwrap();
    // Fortran order: the elements are the memory of the transposed layout.
    assert_eq!(
        npy::read::<i32>(&path).unwrap(),
        array![[1, 3, 5], [2, 4, 6]]
    );

    let mut short = NpyWriter::<i32>::create(&path, &[2, 3], false).unwrap();
    short.write_slab(&[0; 5]).unwrap();
    assert!(matches!(
        short.finish(),
        Err(NpyError::TooFewElements {
            declared: 6,
            written: 5
        })
    ));
    drop(NpyWriter::<f64>::create(&path, &[4], false).unwrap());
    assert_eq!(
        npy::read::<i32>(&path).unwrap(),
        array![[1, 3, 5], [2, 4, 6]],
        "old file intact"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "temporary files are removed"
    );

    let err = NpyWriter::<u8>::create(dir.join("no/such/dir.npy"), &[1], false).unwrap_err();
    assert!(matches!(err, NpyError::Open { .. }), "{err:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The environment variable that makes [`child_process_for_the_kill_test`] run.
const CHILD: &str = "NDKIT_NPY_FILE_KILL_CHILD";

/// Not a test of its own: the child process of
/// [`a_killed_run_leaves_no_partial_output`], started from this test binary with
/// `CHILD` set to `INPUT|OUTPUT`. It runs the driver and, once the first slab is
/// written, says "midway" and waits to be killed.
#[test]
fn child_process_for_the_kill_test() {
    let Ok(paths) = std::env::var(CHILD) else {
        return;
    };
    let (input, output) = paths.split_once('|').unwrap();
    NpyGradient::new(input, 0, output)
        .slab_bytes(1)
        .progress(|_, _| {
            println!("midway");
            std::io::stdout().flush().unwrap();
            std::thread::sleep(std::time::Duration::from_secs(600));
        })
        .run()
        .unwrap();
}

/// Kills a driver run midway (SIGKILL on Unix: no destructor runs) and checks that the
/// output name is absent, or holds the previous file untouched.
#[test]
fn a_killed_run_leaves_no_partial_output() {
    let dir = scratch("kill");
    let input = dir.join("in.npy");
    npy::write(&input, &wavy(&[64, 32])).unwrap();
    let old = dir.join("old.npy");
    let previous = npy_bytes(&array![1.0, 2.0]);
    std::fs::write(&old, &previous).unwrap();
    for output in [dir.join("new.npy"), old.clone()] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "npy_file::child_process_for_the_kill_test",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, format!("{}|{}", input.display(), output.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let said = stdout
            .lines()
            .map(|l| l.unwrap())
            .any(|l| l.ends_with("midway"));
        assert!(said, "the child stopped before writing a slab");
        let staged: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert_eq!(
            staged.len(),
            1,
            "the run is writing beside the output: {staged:?}"
        );
        child.kill().unwrap();
        assert!(!child.wait().unwrap().success());
        if output == old {
            assert_eq!(
                std::fs::read(&output).unwrap(),
                previous,
                "the old file is intact"
            );
        } else {
            assert!(!output.exists(), "no partial file under the output name");
        }
        std::fs::remove_file(dir.join(&staged[0])).unwrap();
    }
    std::fs::remove_dir_all(dir).unwrap();
}
