//! `.npy` interop: numpy-written fixtures read back to the manifest's exact values, the
//! writer reproduces numpy's bytes, round trips through every layout, one test per error
//! variant, and quickcheck properties that hostile bytes never panic the reader.
//!
//! Fixtures: tests/fixtures/gen_npy.py (numpy) writes tests/fixtures/npy/*.npy and
//! manifest.txt; `NDKIT_WRITE_NPY_FIXTURES=1 cargo test --test it npy` rewrites the
//! Rust-written files in tests/fixtures/npy/rust/, which the script checks with numpy.

use std::error::Error as _;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ndcalc::ndcore::npy::{self, AnyArray, ByteOrder, DType, NpyError};
use ndcalc::ndcore::prelude::*;
use num_complex::Complex;
use quickcheck::{quickcheck, TestResult};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/npy");

fn fixture(name: &str) -> PathBuf {
    Path::new(DIR).join(name)
}

/// One manifest line: FILE DTYPE ORDER SHAPE VALUE...
struct Entry {
    file: String,
    dtype: String,
    fortran: bool,
    shape: Vec<usize>,
    values: Vec<String>,
}

fn manifest() -> Vec<Entry> {
    let text = std::fs::read_to_string(fixture("manifest.txt")).expect("manifest.txt");
    let entries: Vec<Entry> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut t = l.split_whitespace();
            let file = t.next().unwrap().to_string();
            let dtype = t.next().unwrap().to_string();
            let fortran = t.next().unwrap() == "F";
            let shape = match t.next().unwrap() {
                "()" => vec![],
                s => s.split(',').map(|n| n.parse().unwrap()).collect(),
            };
            Entry {
                file,
                dtype,
                fortran,
                shape,
                values: t.map(str::to_string).collect(),
            }
        })
        .collect();
    assert!(
        entries.len() >= 40,
        "manifest has {} entries",
        entries.len()
    );
    entries
}

/// The manifest tokens of an array's elements in logical order (see gen_npy.py).
fn tokens(a: &AnyArray) -> Vec<String> {
    fn ints<T: ToString>(a: &Array<T>) -> Vec<String> {
        a.iter().map(T::to_string).collect()
    }
    match a {
        AnyArray::Bool(a) => a.iter().map(|&b| u8::from(b).to_string()).collect(),
        AnyArray::I8(a) => ints(a),
        AnyArray::I16(a) => ints(a),
        AnyArray::I32(a) => ints(a),
        AnyArray::I64(a) => ints(a),
        AnyArray::U8(a) => ints(a),
        AnyArray::U16(a) => ints(a),
        AnyArray::U32(a) => ints(a),
        AnyArray::U64(a) => ints(a),
        AnyArray::F32(a) => a.iter().map(|x| format!("{:08x}", x.to_bits())).collect(),
        AnyArray::F64(a) => a.iter().map(|x| format!("{:016x}", x.to_bits())).collect(),
        AnyArray::Complex64(a) => a
            .iter()
            .map(|z| format!("{:08x}:{:08x}", z.re.to_bits(), z.im.to_bits()))
            .collect(),
        AnyArray::Complex128(a) => a
            .iter()
            .map(|z| format!("{:016x}:{:016x}", z.re.to_bits(), z.im.to_bits()))
            .collect(),
        _ => unreachable!("a dtype this test does not know"),
    }
}

fn strides_of(a: &AnyArray) -> Vec<isize> {
    fn s<T>(a: &Array<T>) -> Vec<isize> {
        a.strides().to_vec()
    }
    match a {
        AnyArray::Bool(a) => s(a),
        AnyArray::I8(a) => s(a),
        AnyArray::I16(a) => s(a),
        AnyArray::I32(a) => s(a),
        AnyArray::I64(a) => s(a),
        AnyArray::U8(a) => s(a),
        AnyArray::U16(a) => s(a),
        AnyArray::U32(a) => s(a),
        AnyArray::U64(a) => s(a),
        AnyArray::F32(a) => s(a),
        AnyArray::F64(a) => s(a),
        AnyArray::Complex64(a) => s(a),
        AnyArray::Complex128(a) => s(a),
        _ => unreachable!(),
    }
}

fn f_strides(shape: &[usize]) -> Vec<isize> {
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

fn c_strides(shape: &[usize]) -> Vec<isize> {
    let mut s = f_strides(&shape.iter().rev().copied().collect::<Vec<_>>());
    s.reverse();
    s
}

/// Equal, or both NaN (somewhere).
#[allow(clippy::eq_op)] // `x != x` is the NaN test for any PartialEq element
fn same<T: PartialEq>(a: &T, b: &T) -> bool {
    a == b || (a != a && b != b)
}

/// The typed reader agrees with the untyped one for `T`.
fn typed_matches<T: npy::Element + PartialEq + std::fmt::Debug>(path: &Path, any: &AnyArray) {
    let typed = npy::read::<T>(path).unwrap();
    let from_any = any.clone().into_array::<T>().unwrap();
    assert_eq!(typed.strides(), from_any.strides());
    assert!(typed.iter().zip(from_any.iter()).all(|(a, b)| same(a, b)));
    assert_eq!(Array::<T>::read_npy(path).unwrap().shape(), typed.shape());
}

#[test]
fn numpy_fixtures_read_back_to_the_manifest_values() {
    for e in manifest() {
        let path = fixture(&e.file);
        let any = npy::read_any(&path).unwrap_or_else(|err| panic!("{}: {err}", e.file));
        assert_eq!(any.dtype().name(), e.dtype, "{}", e.file);
        assert_eq!(any.shape(), e.shape.as_slice(), "{}", e.file);
        assert_eq!(tokens(&any), e.values, "{}: values", e.file);
        // A Fortran-order file keeps its column-major memory: no transpose copy.
        let want = if e.fortran {
            f_strides(&e.shape)
        } else {
            c_strides(&e.shape)
        };
        assert_eq!(strides_of(&any), want, "{}: strides", e.file);
        let h = npy::read_header(&mut std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(h.fortran_order, e.fortran, "{}", e.file);
        match any.dtype() {
            DType::Bool => typed_matches::<bool>(&path, &any),
            DType::I8 => typed_matches::<i8>(&path, &any),
            DType::I16 => typed_matches::<i16>(&path, &any),
            DType::I32 => typed_matches::<i32>(&path, &any),
            DType::I64 => typed_matches::<i64>(&path, &any),
            DType::U8 => typed_matches::<u8>(&path, &any),
            DType::U16 => typed_matches::<u16>(&path, &any),
            DType::U32 => typed_matches::<u32>(&path, &any),
            DType::U64 => typed_matches::<u64>(&path, &any),
            DType::F32 => typed_matches::<f32>(&path, &any),
            DType::F64 => typed_matches::<f64>(&path, &any),
            DType::Complex64 => typed_matches::<Complex<f32>>(&path, &any),
            DType::Complex128 => typed_matches::<Complex<f64>>(&path, &any),
            _ => unreachable!(),
        }
    }
}

#[test]
fn fixtures_cover_versions_orders_and_dtypes() {
    let mut versions = std::collections::BTreeSet::new();
    let mut dtypes = std::collections::BTreeSet::new();
    let (mut big, mut fortran) = (0, 0);
    for e in manifest() {
        let h = npy::read_header(&mut std::fs::File::open(fixture(&e.file)).unwrap()).unwrap();
        versions.insert(h.version);
        dtypes.insert(h.dtype.name());
        big += usize::from(h.byte_order == ByteOrder::Big && h.dtype.itemsize() > 1);
        fortran += usize::from(h.fortran_order);
    }
    assert_eq!(
        versions.into_iter().collect::<Vec<_>>(),
        [(1, 0), (2, 0), (3, 0)]
    );
    assert_eq!(dtypes.len(), DType::ALL.len());
    assert!(
        big >= 10 && fortran >= 14,
        "{big} big-endian, {fortran} Fortran files"
    );
}

/// A byte buffer aligned to 8 bytes, made with ndcore's own byte views.
fn aligned_copy(bytes: &[u8]) -> Array<u64> {
    let mut buf = Array::<u64>::zeros([bytes.len().div_ceil(8)]);
    buf.as_bytes_mut().unwrap()[..bytes.len()].copy_from_slice(bytes);
    buf
}

#[test]
fn zero_copy_views_of_numpy_files() {
    let mut viewed = 0;
    for e in manifest() {
        let bytes = std::fs::read(fixture(&e.file)).unwrap();
        let buf = aligned_copy(&bytes);
        let file = &buf.as_bytes().unwrap()[..bytes.len()];
        let any = npy::read_any_from(file).unwrap();
        let h = npy::read_header(&mut &file[..]).unwrap();
        let native = h.byte_order == ByteOrder::native() || h.dtype.itemsize() == 1;
        macro_rules! check {
            ($t:ty) => {{
                let r = npy::view::<$t>(file);
                if native {
                    let v = r.unwrap_or_else(|err| panic!("{}: {err}", e.file));
                    let a = any.clone().into_array::<$t>().unwrap();
                    assert_eq!(v.strides(), a.strides(), "{}", e.file);
                    assert!(v.iter().zip(a.iter()).all(|(x, y)| same(x, y)));
                    viewed += 1;
                } else {
                    assert!(matches!(r, Err(NpyError::NotViewable { .. })), "{}", e.file);
                }
            }};
        }
        match h.dtype {
            DType::Bool => check!(bool),
            DType::I8 => check!(i8),
            DType::I16 => check!(i16),
            DType::I32 => check!(i32),
            DType::I64 => check!(i64),
            DType::U8 => check!(u8),
            DType::U16 => check!(u16),
            DType::U32 => check!(u32),
            DType::U64 => check!(u64),
            DType::F32 => check!(f32),
            DType::F64 => check!(f64),
            DType::Complex64 => check!(Complex<f32>),
            DType::Complex128 => check!(Complex<f64>),
            _ => unreachable!(),
        }
    }
    assert!(viewed >= 30);
}

#[test]
fn writer_reproduces_numpy_bytes() {
    let mut same = 0;
    for e in manifest() {
        let bytes = std::fs::read(fixture(&e.file)).unwrap();
        let h = npy::read_header(&mut &bytes[..]).unwrap();
        if h.version != (1, 0) || (h.byte_order != ByteOrder::native() && h.dtype.itemsize() > 1) {
            continue;
        }
        let mut out = Vec::new();
        npy::read_any(fixture(&e.file))
            .unwrap()
            .write_to(&mut out)
            .unwrap();
        assert!(
            out == bytes,
            "{}: written bytes differ from numpy's",
            e.file
        );
        same += 1;
    }
    assert!(same >= 30, "{same}");
}

/// The arrays whose .npy files are committed in tests/fixtures/npy/rust/ and checked with
/// numpy by gen_npy.py (`rust_expected` there uses the same formulas).
fn rust_written() -> Vec<(&'static str, Vec<u8>)> {
    let mut files = Vec::new();
    let mut put = |name, f: &dyn Fn(&mut Vec<u8>) -> Result<(), NpyError>| {
        let mut buf = Vec::new();
        f(&mut buf).unwrap();
        files.push((name, buf));
    };
    let g = Array::from_shape_fn([3, 4], |ix| (ix[0] * 4 + ix[1]) as f64 * 0.5 - 1.0);
    put("f64_strided.npy", &|w| {
        npy::write_to(w, &g.slice(s![..;-1, 1..;2]).unwrap())
    });
    let c = Array::from_shape_fn([3, 2], |ix| {
        let k = (ix[0] * 2 + ix[1]) as f32;
        Complex::new(k, k - 2.5)
    });
    put("c64_fortran.npy", &|w| npy::write_to(w, &c.t()));
    put("bool_0d.npy", &|w| npy::write_to(w, &Array::scalar(true)));
    let i = Array::from_shape_fn([2, 3, 4], |ix| {
        5 - 3 * (ix[0] * 12 + ix[1] * 4 + ix[2]) as i16
    });
    put("i16_3d.npy", &|w| i.write_npy_to(w));
    put("u64_empty.npy", &|w| {
        npy::write_to(w, &Array::<u64>::zeros([0, 2]))
    });
    files
}

#[test]
fn rust_written_files_match_the_committed_ones() {
    let dir = fixture("rust");
    let regen = std::env::var_os("NDKIT_WRITE_NPY_FIXTURES").is_some();
    for (name, bytes) in rust_written() {
        let path = dir.join(name);
        if regen {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(committed == bytes, "{name}: writer output changed");
        // and it reads back to the same array
        let back = npy::read_any(&path).unwrap();
        assert_eq!(
            tokens(&back),
            tokens(&npy::read_any_from(&bytes[..]).unwrap())
        );
    }
    let c = npy::read::<Complex<f32>>(dir.join("c64_fortran.npy")).unwrap();
    assert_eq!(c.strides(), &[1, 2]);
    assert_eq!(c[[1, 2]], Complex::new(5.0, 2.5));
}

fn round_trip<T>(a: &impl AsView<T>)
where
    T: npy::Element + PartialEq + std::fmt::Debug,
{
    let mut buf = Vec::new();
    npy::write_to(&mut buf, a).unwrap();
    assert_eq!(buf.len() % 64, a.len() * T::DTYPE.itemsize() % 64);
    let b = npy::read_from::<T, _>(&buf[..]).unwrap();
    assert_eq!(b.shape(), a.shape());
    assert!(b.iter().eq(a.iter()), "{:?}", T::DTYPE);
    let any = npy::read_any_from(&buf[..]).unwrap();
    assert_eq!(any.dtype(), T::DTYPE);
}

#[test]
fn round_trips_every_dtype_and_layout() {
    let base = Array::from_shape_fn([3, 4, 5], |ix| (ix[0] * 20 + ix[1] * 5 + ix[2]) as i64 - 30);
    macro_rules! each {
        ($($t:ty => $f:expr),*) => {$(
            let m = base.map(|&x| -> $t { $f(x) });
            round_trip(&m);
            round_trip(&m.t());
            round_trip(&m.slice(s![..;-1, 1.., ..;2]).unwrap());
            round_trip(&m.index_axis(1, 2).unwrap());
            round_trip(&m.permuted_axes(&[1, 0, 2]).unwrap());
            round_trip(&Array::<$t>::from_elem([], $f(7)));
            round_trip(&Array::<$t>::from_elem([2, 0, 3], $f(7)));
            round_trip(&m.slice(s![0, 0, ..]).unwrap().broadcast([2, 5]).unwrap());
        )*};
    }
    each!(
        bool => |x: i64| x % 3 == 0,
        i8 => |x: i64| x as i8, i16 => |x: i64| x as i16 * 1000,
        i32 => |x: i64| x as i32 * 70000, i64 => |x: i64| x << 40,
        u8 => |x: i64| x as u8, u16 => |x: i64| x as u16,
        u32 => |x: i64| x as u32, u64 => |x: i64| x as u64,
        f32 => |x: i64| x as f32 / 3.0, f64 => |x: i64| x as f64 / 7.0,
        Complex<f32> => |x: i64| Complex::new(x as f32, -x as f32 / 2.0),
        Complex<f64> => |x: i64| Complex::new(x as f64 * 1e300, 1.0 / x as f64)
    );
}

#[test]
fn fortran_arrays_round_trip_without_reordering() {
    let a = Array::from_shape_fn([4, 3], |ix| (ix[0] * 3 + ix[1]) as f64);
    let mut buf = Vec::new();
    npy::write_to(&mut buf, &a.t()).unwrap();
    let h = npy::read_header(&mut &buf[..]).unwrap();
    assert!(h.fortran_order);
    // The data is the transpose's memory, which is a's memory.
    assert_eq!(&buf[h.data_offset as usize..], a.as_bytes().unwrap());
    let b = npy::read_from::<f64, _>(&buf[..]).unwrap();
    assert_eq!(b, a.t());
    assert_eq!(b.strides(), &[1, 3]);
    assert_eq!(b.into_raw_vec(), a.into_raw_vec());
}

#[test]
fn files_and_streams() {
    let dir = std::env::temp_dir().join(format!("ndkit-npy-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("a.npy");
    let a = Array::from_shape_fn([5, 7], |ix| Complex::new(ix[0] as f64, ix[1] as f64));
    npy::write(&path, &a).unwrap();
    assert_eq!(npy::read::<Complex<f64>>(&path).unwrap(), a);
    a.view().write_npy(&path).unwrap();
    assert_eq!(Array::<Complex<f64>>::read_npy(&path).unwrap(), a);
    // Several arrays in one stream, as repeated np.save(f, ..) writes them.
    let mut stream = Vec::new();
    npy::write_to(&mut stream, &a).unwrap();
    npy::write_to(&mut stream, &Array::scalar(3u32)).unwrap();
    let mut r = &stream[..];
    let h = npy::read_header(&mut r).unwrap();
    assert_eq!(npy::read_body::<Complex<f64>>(&h, &mut r).unwrap(), a);
    let h = npy::read_header(&mut r).unwrap();
    assert_eq!(
        npy::read_body_any(&h, &mut r).unwrap(),
        AnyArray::U32(Array::scalar(3))
    );
    assert!(r.is_empty());
    // ... which read_from refuses as one array with trailing bytes.
    let err = npy::read_any_from(&stream[..]).unwrap_err();
    assert!(
        matches!(
            err,
            NpyError::TrailingBytes {
                expected: 560,
                extra: 132
            }
        ),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn byte_views_are_zero_copy() {
    let a = Array::from_shape_fn([4, 6], |ix| (ix[0] * 6 + ix[1]) as f64);
    let bytes = a.as_bytes().unwrap();
    assert_eq!(bytes.len(), 24 * 8);
    let v = ArrayView::<f64>::from_bytes([6, 4], bytes).unwrap();
    assert_eq!(
        v.as_slice().unwrap().as_ptr(),
        a.as_slice().unwrap().as_ptr()
    );
    assert_eq!(v[[5, 3]], 23.0);
    assert!(ArrayView::<f64>::from_bytes([6, 4], &bytes[8..]).is_err());
    assert!(ArrayView::<f64>::from_bytes([6, 3], &bytes[1..145]).is_err());
    assert!(matches!(
        a.t().as_bytes(),
        Err(ndcalc::ndcore::Error::NotContiguous { .. })
    ));
    let mut m = a.clone();
    let mut mv = m.view_mut();
    mv.as_bytes_mut().unwrap()[..8].copy_from_slice(&1.5f64.to_ne_bytes());
    assert_eq!(mv.as_bytes().unwrap().len(), 192);
    assert_eq!(m[[0, 0]], 1.5);
    let mut raw = [0u8; 16];
    let start = raw.as_ptr().align_offset(4);
    if start + 8 <= raw.len() {
        let mut v = ArrayViewMut::<u32>::from_bytes_mut([2], &mut raw[start..start + 8]).unwrap();
        v[[1]] = u32::from_ne_bytes([1, 2, 3, 4]);
        assert_eq!(&raw[start + 4..start + 8], &[1, 2, 3, 4]);
    }
}

// ---------------------------------------------------------------------------------------
// Malformed input: one test per error variant.

/// A `.npy` file with the given version, header text (padded as numpy does) and data.
fn raw(version: (u8, u8), dict: &str, data: &[u8]) -> Vec<u8> {
    let len_bytes = if version.0 == 1 { 2 } else { 4 };
    let mut text = dict.as_bytes().to_vec();
    while !(8 + len_bytes + text.len() + 1).is_multiple_of(64) {
        text.push(b' ');
    }
    text.push(b'\n');
    let mut out = b"\x93NUMPY".to_vec();
    out.extend([version.0, version.1]);
    if len_bytes == 2 {
        out.extend((text.len() as u16).to_le_bytes());
    } else {
        out.extend((text.len() as u32).to_le_bytes());
    }
    out.extend(text);
    out.extend(data);
    out
}

fn dict(descr: &str, fortran: &str, shape: &str) -> String {
    format!("{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}")
}

fn err_of(bytes: &[u8]) -> NpyError {
    npy::read_any_from(bytes).expect_err("malformed input must be an error")
}

#[test]
fn valid_raw_file_reads() {
    let f = raw((1, 0), &dict("'<i2'", "False", "(2,)"), &[1, 0, 0xff, 0xff]);
    assert_eq!(
        npy::read_from::<i16, _>(&f[..]).unwrap().to_vec(),
        vec![1, -1]
    );
    let f = raw((2, 0), &dict("'>i2'", "False", "(2,)"), &[0, 1, 0xff, 0xfe]);
    assert_eq!(
        npy::read_from::<i16, _>(&f[..]).unwrap().to_vec(),
        vec![1, -2]
    );
    let f = raw((3, 0), &dict("'|u1'", "True", "(1, 2)"), &[9, 8]);
    assert_eq!(
        npy::read_from::<u8, _>(&f[..]).unwrap().to_vec(),
        vec![9, 8]
    );
}

#[test]
fn error_truncated_header() {
    let full = raw((1, 0), &dict("'<f8'", "False", "(1,)"), &[0; 8]);
    assert_eq!(full.len(), 128 + 8);
    for cut in [0, 3, 7, 9, 10, 40, 127] {
        match err_of(&full[..cut]) {
            NpyError::TruncatedHeader { expected, found } => {
                assert_eq!(found, cut as u64);
                assert!(expected > found && expected <= 128, "{expected}");
            }
            e => panic!("cut at {cut}: {e}"),
        }
    }
    assert_eq!(
        err_of(&full[..40]).to_string(),
        "truncated .npy header: the file ends after 40 bytes, the header needs 128"
    );
}

#[test]
fn error_bad_magic() {
    let mut f = raw((1, 0), &dict("'<f8'", "False", "(1,)"), &[0; 8]);
    f[1] = b'M';
    let e = err_of(&f);
    assert!(matches!(e, NpyError::BadMagic { found } if &found == b"\x93MUMPY"));
    assert_eq!(
        e.to_string(),
        "not a .npy file: it starts with b\"\\x93MUMPY\", not the magic string \"\\x93NUMPY\""
    );
    assert!(matches!(
        err_of(b"PK\x03\x04 zip file"),
        NpyError::BadMagic { .. }
    ));
}

#[test]
fn error_unsupported_version() {
    for v in [(0, 0), (1, 1), (4, 0), (255, 255)] {
        let f = raw((2, 0), &dict("'<f8'", "False", "(1,)"), &[0; 8]);
        let mut f = f;
        f[6] = v.0;
        f[7] = v.1;
        match err_of(&f) {
            NpyError::UnsupportedVersion { major, minor } => assert_eq!((major, minor), v),
            e => panic!("{e}"),
        }
    }
    let mut f = raw((1, 0), &dict("'<f8'", "False", "(1,)"), &[0; 8]);
    f[6] = 4;
    assert_eq!(
        err_of(&f).to_string(),
        "unsupported .npy format version 4.0 (1.0, 2.0 and 3.0 are supported)"
    );
}

#[test]
fn error_header_too_long_without_allocating_it() {
    let mut f = b"\x93NUMPY\x02\x00".to_vec();
    f.extend(u32::MAX.to_le_bytes());
    match err_of(&f) {
        NpyError::HeaderTooLong { len, max } => {
            assert_eq!((len, max), (u64::from(u32::MAX), npy::MAX_HEADER_LEN))
        }
        e => panic!("{e}"),
    }
    // Under the limit but longer than the input: truncated, not allocated.
    let mut f = b"\x93NUMPY\x02\x00".to_vec();
    f.extend(((1u32 << 20) - 1).to_le_bytes());
    f.extend(b"{'descr'");
    assert!(matches!(
        err_of(&f),
        NpyError::TruncatedHeader {
            expected: 1048587,
            found: 20
        }
    ));
}

#[test]
fn error_invalid_header() {
    for text in [
        "",
        "not a dict",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)",
        "{'descr': '<f8' 'fortran_order': False}",
        "{'descr': '<f8, 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f8', 'fortran_order': false, 'shape': (1,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1.0,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} trailing",
        "{'descr': '<f8', 'fortran_order': False, 'shape': ((((((((((((((((((((((((((((((((((((1,)))))))))))))))))))))))))))))))))))}",
    ] {
        match err_of(&raw((1, 0), text, &[0; 8])) {
            NpyError::InvalidHeader { reason, offset } => {
                assert!(!reason.is_empty() && offset <= text.len() + 64, "{text}")
            }
            e => panic!("{text:?}: {e}"),
        }
    }
    let e = err_of(&raw((1, 0), "{'descr': '<f8' 'fortran_order': False}", &[]));
    assert_eq!(
        e.to_string(),
        ".npy header is not a valid Python dict literal: expected ',' or '}' in a dictionary, found '\\'' at byte 16 of the header"
    );
    // Format 3.0 headers must be UTF-8 (1.0 and 2.0 are Latin-1, where any byte goes).
    let mut f = raw((3, 0), &dict("'<f8'", "False", "()"), &[0; 8]);
    f[13] = 0xff;
    assert!(matches!(
        err_of(&f),
        NpyError::InvalidHeader { offset: 1, .. }
    ));
    f[7] = 0;
    f[6] = 2;
    assert!(matches!(
        err_of(&f),
        NpyError::InvalidHeader { offset: 1, .. }
    ));
}

#[test]
fn error_missing_and_unexpected_keys() {
    let cases = [
        ("{'fortran_order': False, 'shape': (1,)}", "descr"),
        ("{'descr': '<f8', 'shape': (1,)}", "fortran_order"),
        ("{'descr': '<f8', 'fortran_order': False}", "shape"),
    ];
    for (text, key) in cases {
        match err_of(&raw((1, 0), text, &[0; 8])) {
            NpyError::MissingKey { key: k } => assert_eq!(k, key),
            e => panic!("{e}"),
        }
    }
    assert_eq!(
        err_of(&raw((1, 0), cases[2].0, &[])).to_string(),
        ".npy header has no 'shape' key"
    );
    let text = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}";
    let e = err_of(&raw((1, 0), text, &[0; 8]));
    assert!(matches!(&e, NpyError::UnexpectedKey { key } if key == "'extra'"));
    assert_eq!(
        e.to_string(),
        ".npy header has the key \"'extra'\"; only 'descr', 'fortran_order' and 'shape' are allowed"
    );
    let e = err_of(&raw((1, 0), "{1: 2}", &[]));
    assert!(matches!(&e, NpyError::UnexpectedKey { key } if key == "1"));
}

#[test]
fn error_bad_descr_and_unsupported_dtypes() {
    for descr in ["1", "True", "'<'", "''", "'<x8'", "'f 8'", "(1, 2)"] {
        let e = err_of(&raw((1, 0), &dict(descr, "False", "(1,)"), &[0; 8]));
        match (&e, descr) {
            (NpyError::UnsupportedDtype { .. }, "(1, 2)") => {}
            (NpyError::BadDescr { found }, _) => assert_eq!(found, descr),
            _ => panic!("{descr}: {e}"),
        }
    }
    assert_eq!(
        err_of(&raw((1, 0), &dict("'<x8'", "False", "(1,)"), &[])).to_string(),
        ".npy header 'descr' must be a dtype string such as '<f8', found '<x8'"
    );
    for descr in [
        "'<f2'",
        "'<f16'",
        "'<c32'",
        "'<U5'",
        "'|S3'",
        "'<M8[ns]'",
        "'|V8'",
        "'<i16'",
        "[('a', '<f8'), ('b', '<i4')]",
    ] {
        match err_of(&raw((1, 0), &dict(descr, "False", "(1,)"), &[0; 32])) {
            NpyError::UnsupportedDtype { descr: d } => assert_eq!(d, descr),
            e => panic!("{descr}: {e}"),
        }
    }
    assert_eq!(
        err_of(&raw((1, 0), &dict("'<f2'", "False", "(1,)"), &[0; 2])).to_string(),
        "unsupported dtype '<f2' (supported: bool, int8..int64, uint8..uint64, float32, float64, complex64, complex128)"
    );
}

#[test]
fn error_object_dtype_refused() {
    for descr in ["'|O'", "'O'", "'<O8'", "[('a', '<f8'), ('b', '|O')]"] {
        // Pickle-looking data after the header: never looked at.
        let e = err_of(&raw(
            (1, 0),
            &dict(descr, "False", "(1,)"),
            b"\x80\x04\x95cos\nsystem\n",
        ));
        assert!(
            matches!(&e, NpyError::ObjectDtype { descr: d } if d == descr),
            "{descr}: {e}"
        );
    }
    assert_eq!(
        err_of(&raw((1, 0), &dict("'|O'", "False", "(1,)"), &[])).to_string(),
        "refusing object dtype '|O': its data is a Python pickle, which is never loaded"
    );
}

#[test]
fn error_bad_fortran_order() {
    for v in ["0", "'False'", "None", "(True,)"] {
        match err_of(&raw((1, 0), &dict("'<f8'", v, "(1,)"), &[0; 8])) {
            NpyError::BadFortranOrder { found } => assert_eq!(found, v),
            e => panic!("{v}: {e}"),
        }
    }
    assert_eq!(
        err_of(&raw((1, 0), &dict("'<f8'", "1", "(1,)"), &[])).to_string(),
        ".npy header 'fortran_order' must be True or False, found 1"
    );
}

#[test]
fn error_bad_shape() {
    for v in [
        "(-1,)",
        "[2, 3]",
        "3",
        "(3)",
        "('3',)",
        "(True,)",
        "None",
        "(99999999999999999999999,)",
        "(99999999999999999999999999999999999999999999,)",
    ] {
        match err_of(&raw((1, 0), &dict("'<f8'", "False", v), &[0; 8])) {
            NpyError::BadShape { found } => assert_eq!(found, v),
            e => panic!("{v}: {e}"),
        }
    }
    assert_eq!(
        err_of(&raw((1, 0), &dict("'<f8'", "False", "(2, -3)"), &[])).to_string(),
        ".npy header 'shape' must be a tuple of non-negative integers fitting in usize, found (2, -3)"
    );
}

#[test]
fn error_shape_overflow() {
    let big = usize::MAX / 2 + 1;
    let e = err_of(&raw(
        (1, 0),
        &dict("'<f8'", "False", &format!("({big}, 3)")),
        &[],
    ));
    assert!(matches!(&e, NpyError::ShapeOverflow { shape, itemsize: 8 } if shape == &[big, 3]));
    // Elements fit usize but bytes do not.
    let n = usize::MAX / 8;
    let e = err_of(&raw(
        (1, 0),
        &dict("'<f8'", "False", &format!("({n},)")),
        &[],
    ));
    assert!(matches!(e, NpyError::ShapeOverflow { .. }));
    assert_eq!(
        e.to_string(),
        format!(
            "shape [{n}] of 8-byte elements is too big: the item size times the nonzero lengths exceeds isize::MAX"
        )
    );
    // A zero-length axis empties the array but does not excuse the other axes: numpy
    // refuses these ("array is too big").
    for (descr, shape, itemsize) in [
        ("'<f8'", "(0, 1099511627776, 1099511627776)", 8),
        ("'<f8'", "(4611686018427387904, 0)", 8),
        ("'|u1'", "(9223372036854775808, 0)", 1),
        ("'<u2'", "(0, 2305843009213693952, 2)", 2),
    ] {
        let e = err_of(&raw((1, 0), &dict(descr, "False", shape), &[]));
        assert!(
            matches!(&e, NpyError::ShapeOverflow { itemsize: i, .. } if *i == itemsize),
            "{shape}: {e}"
        );
    }
    assert_eq!(
        err_of(&raw((1, 0), &dict("'<f8'", "False", "(0, 1099511627776, 1099511627776)"), &[]))
            .to_string(),
        "shape [0, 1099511627776, 1099511627776] of 8-byte elements is too big: the item size times the nonzero lengths exceeds isize::MAX"
    );
    // ... while numpy reads these as empty arrays.
    for (descr, shape, dims) in [
        ("'|u1'", "(4611686018427387904, 0)", [1 << 62, 0]),
        (
            "'|u1'",
            "(9223372036854775807, 0)",
            [isize::MAX as usize, 0],
        ),
        (
            "'<f8'",
            "(0, 1152921504606846975)",
            [0, (isize::MAX as usize) / 8],
        ),
    ] {
        let f = raw((1, 0), &dict(descr, "False", shape), &[]);
        assert_eq!(
            npy::read_header(&mut &f[..]).unwrap().shape,
            dims,
            "{shape}"
        );
    }
    let f = raw(
        (1, 0),
        &dict("'|u1'", "False", "(4611686018427387904, 0)"),
        &[],
    );
    assert_eq!(
        npy::read_from::<u8, _>(&f[..]).unwrap().shape(),
        &[1 << 62, 0]
    );
}

#[test]
fn error_missing_data_without_allocating_the_claim() {
    let f = raw((1, 0), &dict("'<f8'", "False", "(2, 3)"), &[0; 40]);
    let e = err_of(&f);
    assert!(
        matches!(&e, NpyError::MissingData { shape, expected: 48, found: 40 } if shape == &[2, 3])
    );
    assert_eq!(
        e.to_string(),
        "missing data: shape [2, 3] needs 48 bytes of data, the file holds 40"
    );
    // A header that claims 2^60 bytes of data, followed by 3 bytes: an error, promptly.
    let f = raw(
        (1, 0),
        &dict("'<c16'", "True", "(1024, 1024, 1024, 65536)"),
        &[1, 2, 3],
    );
    let e = err_of(&f);
    assert!(
        matches!(e, NpyError::MissingData { expected, found: 3, .. } if expected == 1 << 50),
        "{e}"
    );
    // From a file too, where the length is known.
    let path = std::env::temp_dir().join(format!("ndkit-npy-short-{}.npy", std::process::id()));
    std::fs::write(&path, &f).unwrap();
    assert!(matches!(
        npy::read_any(&path),
        Err(NpyError::MissingData { found: 3, .. })
    ));
    std::fs::remove_file(&path).unwrap();
    // Zero-copy views check too.
    let buf = aligned_copy(&raw((1, 0), &dict("'<f8'", "False", "(2,)"), &[0; 9]));
    let bytes = &buf.as_bytes().unwrap()[..128 + 9];
    assert!(matches!(
        npy::view::<f64>(&bytes[..128 + 8]),
        Err(NpyError::MissingData { found: 8, .. })
    ));
    assert!(matches!(
        npy::view::<f64>(bytes),
        Err(NpyError::MissingData { found: 9, .. })
    ));
}

#[test]
fn error_trailing_bytes() {
    let f = raw((1, 0), &dict("'<u2'", "False", "(2,)"), &[0; 7]);
    let e = err_of(&f);
    assert!(matches!(
        e,
        NpyError::TrailingBytes {
            expected: 4,
            extra: 3
        }
    ));
    assert_eq!(
        e.to_string(),
        "3 trailing bytes after the 4 bytes of array data"
    );
    let path = std::env::temp_dir().join(format!("ndkit-npy-trail-{}.npy", std::process::id()));
    std::fs::write(&path, &f).unwrap();
    assert!(matches!(
        npy::read::<u16>(&path),
        Err(NpyError::TrailingBytes { extra: 3, .. })
    ));
    std::fs::remove_file(&path).unwrap();
    let buf = aligned_copy(&f);
    let bytes = &buf.as_bytes().unwrap()[..f.len()];
    assert!(matches!(
        npy::view::<u16>(bytes),
        Err(NpyError::TrailingBytes {
            expected: 4,
            extra: 3
        })
    ));
}

#[test]
fn error_dtype_mismatch_names_both() {
    let f = raw((1, 0), &dict("'>i4'", "False", "()"), &[0; 4]);
    let e = npy::read_from::<f32, _>(&f[..]).unwrap_err();
    assert!(matches!(
        e,
        NpyError::DtypeMismatch {
            expected: DType::F32,
            found: DType::I32
        }
    ));
    assert_eq!(
        e.to_string(),
        "dtype mismatch: the file holds int32 ('<i4'), but float32 ('<f4') was requested"
    );
    assert!(matches!(
        npy::view::<u32>(&f),
        Err(NpyError::DtypeMismatch { .. })
    ));
    let path = fixture("c8_c.npy");
    let e = Array::<Complex<f64>>::read_npy(&path).unwrap_err();
    assert!(e.to_string().contains("holds complex64"), "{e}");
}

#[test]
fn error_not_viewable() {
    // Byte order.
    let other = if ByteOrder::native() == ByteOrder::Little {
        "'>f8'"
    } else {
        "'<f8'"
    };
    let buf = aligned_copy(&raw((1, 0), &dict(other, "False", "(1,)"), &[0; 8]));
    let e = npy::view::<f64>(&buf.as_bytes().unwrap()[..128 + 8]).unwrap_err();
    assert!(matches!(e, NpyError::NotViewable { .. }));
    assert!(
        e.to_string()
            .ends_with("-endian and this machine is Little-endian")
            || cfg!(target_endian = "big"),
        "{e}"
    );
    // Alignment: the same file one byte further into a buffer.
    let f = raw((1, 0), &dict("'<f8'", "False", "(1,)"), &[0; 8]);
    let mut shifted = vec![0u8];
    shifted.extend(&f);
    let buf = aligned_copy(&shifted);
    let e = npy::view::<f64>(&buf.as_bytes().unwrap()[1..1 + 128 + 8]).unwrap_err();
    assert!(
        e.to_string()
            .contains("1 bytes past a multiple of 8, the alignment of float64"),
        "{e}"
    );
    // A bool byte that is neither 0 nor 1 (read_from maps it to true, as numpy does).
    let f = raw((1, 0), &dict("'|b1'", "False", "(3,)"), &[0, 1, 2]);
    let e = npy::view::<bool>(&f).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot view the .npy data without copying: bool element 2 is the byte 2, and a Rust bool must be 0 or 1"
    );
    assert_eq!(
        npy::read_from::<bool, _>(&f[..]).unwrap().to_vec(),
        vec![false, true, true]
    );
}

/// A reader that fails after `ok` bytes.
struct Failing {
    data: Vec<u8>,
    ok: usize,
}

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ok == 0 {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "network went away",
            ));
        }
        let n = buf.len().min(self.ok).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data.drain(..n);
        self.ok -= n;
        Ok(n)
    }
}

#[test]
fn error_io_is_chained() {
    let f = raw((1, 0), &dict("'<f8'", "False", "(4,)"), &[0; 32]);
    for ok in [0, 5, 30, 70] {
        let e = npy::read_any_from(Failing {
            data: f.clone(),
            ok,
        })
        .unwrap_err();
        assert!(matches!(e, NpyError::Io(_)), "{ok}: {e}");
        assert_eq!(
            e.to_string(),
            "I/O error while reading or writing .npy data: network went away"
        );
        assert_eq!(e.source().unwrap().to_string(), "network went away");
    }
    let e = npy::read::<f64>("/nonexistent/dir/x.npy").unwrap_err();
    assert!(matches!(e, NpyError::Open { .. }));
    // The operating system's reason, whatever its wording on this platform.
    let reason = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
    let msg = e.to_string();
    assert!(
        msg.starts_with("cannot open /nonexistent/dir/x.npy: "),
        "{msg}"
    );
    assert!(
        msg.len() > "cannot open /nonexistent/dir/x.npy: ".len(),
        "{msg} {reason}"
    );
    assert!(e.source().is_some());
    let e = npy::write("/nonexistent/dir/x.npy", &array![1.0]).unwrap_err();
    assert!(matches!(e, NpyError::Open { .. }) && e.source().is_some());
    // A writer that fails.
    struct Full;
    impl io::Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let e = npy::write_to(Full, &array![1u8]).unwrap_err();
    assert_eq!(e.source().unwrap().to_string(), "disk full");
}

// ---------------------------------------------------------------------------------------
// Fuzzing the header parser.

quickcheck! {
    /// Arbitrary bytes are an error or an array, never a panic.
    fn prop_random_bytes_never_panic(bytes: Vec<u8>) -> bool {
        let _ = npy::read_any_from(&bytes[..]);
        let _ = npy::view::<f64>(&bytes);
        true
    }

    /// The same after a valid prelude, so the dictionary parser sees the bytes.
    fn prop_random_header_never_panics(version: u8, text: Vec<u8>, data: Vec<u8>) -> bool {
        let major = 1 + version % 3;
        let mut f = b"\x93NUMPY".to_vec();
        f.extend([major, 0]);
        if major == 1 {
            f.extend((text.len() as u16).to_le_bytes());
        } else {
            f.extend((text.len() as u32).to_le_bytes());
        }
        f.extend(&text);
        f.extend(&data);
        let _ = npy::read_any_from(&f[..]);
        true
    }

    /// Headers assembled from the tokens a dict literal is made of, in random order:
    /// deep into the parser, including valid headers with hostile shapes.
    fn prop_token_soup_never_panics(picks: Vec<u8>, data: Vec<u8>) -> TestResult {
        const TOKENS: &[&str] = &[
            "{", "}", "(", ")", "[", "]", ",", ":", " ", "'descr'", "'shape'",
            "'fortran_order'", "'<f8'", "'>c16'", "'|b1'", "'|O'", "'<U3'", "True", "False",
            "None", "0", "1", "3", "-1", "18446744073709551616", "4294967296", "L", "'",
            "\"", "\\", "\\x4", "\n", "é", "\u{ff}",
        ];
        if picks.len() > 200 {
            return TestResult::discard();
        }
        let text: String = picks.iter().map(|&p| TOKENS[p as usize % TOKENS.len()]).collect();
        let f = raw((1, 0), &text, &data);
        let _ = npy::read_any_from(&f[..]);
        let f = raw((3, 0), &text, &data);
        let _ = npy::read_any_from(&f[..]);
        TestResult::passed()
    }

    /// Every prefix of a valid file is an error, never a panic; the whole file reads.
    fn prop_truncations_are_errors(values: Vec<i32>, cut: usize) -> bool {
        let mut f = Vec::new();
        npy::write_to(&mut f, &Array::from_vec(values.clone())).unwrap();
        let cut = cut % f.len();
        npy::read_any_from(&f[..cut]).is_err()
            && npy::read_from::<i32, _>(&f[..]).unwrap().to_vec() == values
    }

    /// Random shapes and axis orders of f64 data round-trip exactly.
    fn prop_round_trip_any_layout(dims: Vec<u8>, seed: u64, flip: bool) -> TestResult {
        let shape: Vec<usize> = dims.iter().take(4).map(|&d| (d % 4) as usize).collect();
        let a = Array::from_shape_fn(shape.as_slice(), |ix| {
            ix.iter().fold(seed as f64, |acc, &i| acc * 0.5 + i as f64)
        });
        let n = shape.len();
        let mut axes: Vec<usize> = (0..n).collect();
        axes.rotate_left(if n > 0 { (seed as usize) % n } else { 0 });
        let mut v = a.permuted_axes(&axes).unwrap();
        if flip && n > 0 {
            v = v.invert_axis(0).unwrap();
        }
        let mut buf = Vec::new();
        npy::write_to(&mut buf, &v).unwrap();
        let b = npy::read_from::<f64, _>(&buf[..]).unwrap();
        TestResult::from_bool(b.shape() == v.shape() && b.iter().eq(v.iter()))
    }
}
