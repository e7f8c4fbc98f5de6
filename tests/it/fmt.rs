//! numpy parity of ndcore's `Display` (numpy's `str(a)`) and `Debug` (`repr(a)`).
//!
//! Every case of `tests/fixtures/fmt/cases.txt` (numpy's own output, written by
//! `tests/fixtures/gen_fmt.py`; the format is described there) is built as an ndcore
//! array in several layouts, and each layout must print numpy's text byte for byte:
//!
//! * the C-order owned array, and its `view_mut()`;
//! * a `.t()` view of an array that holds the transposed data;
//! * a view with every axis reversed (negative strides) over reversed data;
//! * a view taking every other element of the last axis of a twice-as-wide array.
//!
//! Cases with numpy's default options go through `{}` / `{:?}` and also through
//! `display_with(PrintOptions::default())`; the others through `display_with(opts)`
//! (`{}` and `{:?}`) and `debug_with(opts)` (`{}`).

use ndcalc::ndcore::ndfmt::Element;
use ndcalc::ndcore::{FloatMode, PrintOptions, Sign, SliceArg};
use ndcalc::prelude::*;
use num_complex::Complex;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fmt");

struct Case<'a> {
    name: &'a str,
    dtype: &'a str,
    shape: Vec<usize>,
    opts: PrintOptions,
    data: Vec<&'a str>,
    str_: String,
    repr: String,
}

fn parse_opts(line: &str) -> PrintOptions {
    let f: Vec<&str> = line.split(' ').collect();
    assert_eq!(f.len(), 7, "bad opts line {line:?}");
    let num = |s: &str| s.parse::<usize>().expect("number in opts");
    PrintOptions {
        precision: num(f[0]),
        threshold: num(f[1]),
        edgeitems: num(f[2]),
        linewidth: num(f[3]),
        suppress: f[4] == "1",
        sign: match f[5] {
            "+" => Sign::Plus,
            "_" => Sign::Space,
            _ => Sign::Minus,
        },
        floatmode: match f[6] {
            "fixed" => FloatMode::Fixed,
            "unique" => FloatMode::Unique,
            "maxprec" => FloatMode::MaxPrec,
            "maxprec_equal" => FloatMode::MaxPrecEqual,
            other => panic!("unknown floatmode {other}"),
        },
    }
}

/// Line reader that checks each line's leading tag.
struct Lines<'a>(std::iter::Peekable<std::str::Lines<'a>>);

impl<'a> Lines<'a> {
    /// The rest of the next line, which must start with `tag`.
    fn tagged(&mut self, tag: &str) -> &'a str {
        let l = self.raw();
        match l.strip_prefix(tag) {
            Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
            None => panic!("expected {tag:?}, got {l:?}"),
        }
    }

    /// The next line, verbatim (expected output keeps its spaces).
    fn raw(&mut self) -> &'a str {
        self.0.next().expect("fixture file ends inside a case")
    }

    /// `n` lines of expected output, joined back with newlines.
    fn block(&mut self, tag: &str) -> String {
        let n: usize = self.tagged(tag).parse().expect("line count");
        (0..n).map(|_| self.raw()).collect::<Vec<_>>().join("\n")
    }
}

fn parse_cases(text: &str) -> Vec<Case<'_>> {
    let mut lines = Lines(text.lines().peekable());
    let mut cases = Vec::new();
    while let Some(l) = lines.0.peek() {
        if l.starts_with('#') || l.is_empty() {
            lines.raw();
            continue;
        }
        let name = lines.tagged("case");
        let dtype = lines.tagged("dtype");
        let shape = lines
            .tagged("shape")
            .split_whitespace()
            .map(|s| s.parse().expect("shape"))
            .collect();
        let opts = parse_opts(lines.tagged("opts"));
        let mut data = Vec::new();
        for tok in lines.tagged("data").split_whitespace() {
            match tok.split_once('*') {
                Some((v, n)) => data.extend(std::iter::repeat_n(v, n.parse().expect("run length"))),
                None => data.push(tok),
            }
        }
        let str_ = lines.block("str");
        let repr = lines.block("repr");
        lines.tagged("end");
        cases.push(Case {
            name,
            dtype,
            shape,
            opts,
            data,
            str_,
            repr,
        });
    }
    cases
}

fn f64_of(tok: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(tok, 16).expect("f64 hex"))
}

fn f32_of(tok: &str) -> f32 {
    f32::from_bits(u32::from_str_radix(tok, 16).expect("f32 hex"))
}

fn c128_of(tok: &str) -> Complex<f64> {
    let (re, im) = tok.split_once(',').expect("complex re,im");
    Complex::new(f64_of(re), f64_of(im))
}

fn c64_of(tok: &str) -> Complex<f32> {
    let (re, im) = tok.split_once(',').expect("complex re,im");
    Complex::new(f32_of(re), f32_of(im))
}

/// The C-order position of `index` in `shape`.
fn ravel(shape: &[usize], index: &[usize]) -> usize {
    index.iter().zip(shape).fold(0, |acc, (&i, &n)| acc * n + i)
}

/// The multi-index of C-order position `flat` in `shape`.
fn unravel(shape: &[usize], mut flat: usize) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (k, &n) in shape.iter().enumerate().rev() {
        index[k] = flat % n;
        flat /= n;
    }
    index
}

/// What one layout printed, and how it was made.
struct Output {
    how: &'static str,
    fmt: &'static str,
    expected_repr: bool,
    text: String,
}

/// Every output of one array: `{}` and `{:?}` with the case's options.
fn outputs_of<T: Element>(
    a: &impl AsView<T>,
    how: &'static str,
    opts: &PrintOptions,
    out: &mut Vec<Output>,
) {
    let v = a.view();
    let mut push = |fmt, expected_repr, text| {
        out.push(Output {
            how,
            fmt,
            expected_repr,
            text,
        })
    };
    if *opts == PrintOptions::default() {
        push("{}", false, format!("{v}"));
        push("{:?}", true, format!("{v:?}"));
    }
    push(
        "display_with {}",
        false,
        format!("{}", a.display_with(*opts)),
    );
    push(
        "display_with {:?}",
        true,
        format!("{:?}", a.display_with(*opts)),
    );
    push("debug_with {}", true, a.debug_with(*opts).to_string());
}

/// Builds the case's array with element type `T` in every layout and prints each.
fn render<T: Element>(case: &Case, parse: fn(&str) -> T) -> Vec<Output> {
    let data: Vec<T> = case.data.iter().map(|t| parse(t)).collect();
    let shape = &case.shape;
    let ndim = shape.len();
    let opts = &case.opts;
    let mut out = Vec::new();

    // C order, as an owned array, a view and a mutable view.
    let mut a = Array::from_shape_vec(shape.clone(), data.clone()).expect("C-order array");
    if *opts == PrintOptions::default() {
        let (s, r) = (format!("{a}"), format!("{a:?}"));
        out.push(Output {
            how: "Array",
            fmt: "{}",
            expected_repr: false,
            text: s,
        });
        out.push(Output {
            how: "Array",
            fmt: "{:?}",
            expected_repr: true,
            text: r,
        });
    }
    outputs_of(&a, "Array", opts, &mut out);
    outputs_of(&a.view_mut(), "ArrayViewMut", opts, &mut out);

    // `.t()` of the transposed data: element [i, j, ..] of the view is data[[.., j, i]].
    let rev_shape: Vec<usize> = shape.iter().rev().copied().collect();
    let transposed: Vec<T> = (0..data.len())
        .map(|flat| {
            let mut ix = unravel(&rev_shape, flat);
            ix.reverse();
            data[ravel(shape, &ix)]
        })
        .collect();
    let t = Array::from_shape_vec(rev_shape, transposed).expect("transposed array");
    let tv = t.t();
    assert_eq!(tv.shape(), &shape[..]);
    outputs_of(&tv, ".t() view", opts, &mut out);

    // Every axis reversed: reversing all axes of C-order data reverses the flat order.
    let reversed: Vec<T> = data.iter().rev().copied().collect();
    let r = Array::from_shape_vec(shape.clone(), reversed).expect("reversed array");
    let all_reversed = vec![SliceArg::from(..).step_by(-1); ndim];
    let rv = r.slice(&all_reversed[..]).expect("reversing slice");
    outputs_of(&rv, "negative-stride view", opts, &mut out);

    // Every other element of a twice-as-wide last axis (the gaps hold other values).
    if let Some(&last) = shape.last() {
        let mut wide_shape = shape.clone();
        wide_shape[ndim - 1] = 2 * last;
        let n = data.len();
        let wide: Vec<T> = (0..2 * n)
            .map(|flat| match flat % 2 {
                0 => data[flat / 2],
                _ => data[n - 1 - flat / 2],
            })
            .collect();
        let w = Array::from_shape_vec(wide_shape, wide).expect("wide array");
        let mut args = vec![SliceArg::from(..); ndim - 1];
        args.push(SliceArg::from(..).step_by(2));
        let sv = w.slice(&args[..]).expect("step-2 slice");
        assert_eq!(sv.shape(), &shape[..]);
        outputs_of(&sv, "step-2 view", opts, &mut out);
    }
    out
}

fn run(case: &Case) -> Vec<Output> {
    match case.dtype {
        "float64" => render(case, f64_of),
        "float32" => render(case, f32_of),
        "complex128" => render(case, c128_of),
        "complex64" => render(case, c64_of),
        "bool" => render(case, |t| t == "1"),
        "int8" => render(case, |t| t.parse::<i8>().expect("i8")),
        "int16" => render(case, |t| t.parse::<i16>().expect("i16")),
        "int32" => render(case, |t| t.parse::<i32>().expect("i32")),
        "int64" => {
            let mut out = render(case, |t| t.parse::<i64>().expect("i64"));
            out.extend(render(case, |t| t.parse::<isize>().expect("isize")));
            out
        }
        "uint8" => render(case, |t| t.parse::<u8>().expect("u8")),
        "uint16" => render(case, |t| t.parse::<u16>().expect("u16")),
        "uint32" => render(case, |t| t.parse::<u32>().expect("u32")),
        "uint64" => {
            let mut out = render(case, |t| t.parse::<u64>().expect("u64"));
            out.extend(render(case, |t| t.parse::<usize>().expect("usize")));
            out
        }
        other => panic!("unknown dtype {other}"),
    }
}

/// First differing line, for a readable report.
fn first_diff(expected: &str, got: &str) -> String {
    for (i, (e, g)) in expected.lines().zip(got.lines()).enumerate() {
        if e != g {
            return format!("line {}:\n    numpy:  {e:?}\n    ndcore: {g:?}", i + 1);
        }
    }
    format!(
        "line counts differ: numpy {} vs ndcore {}",
        expected.lines().count(),
        got.lines().count()
    )
}

#[test]
fn arrays_print_as_numpy_fixtures() {
    // `$NDFMT_FIXTURES` points at a larger set written by gen_fmt.py for stress runs.
    let dir = std::env::var("NDFMT_FIXTURES").unwrap_or_else(|_| FIXTURES.to_string());
    let path = format!("{dir}/cases.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases = parse_cases(&text);
    assert!(cases.len() > 1000, "only {} cases parsed", cases.len());
    let (mut checked, mut matched_cases) = (0usize, 0usize);
    let mut failures = Vec::new();
    for case in &cases {
        let before = failures.len();
        for o in run(case) {
            checked += 1;
            let expected = if o.expected_repr {
                &case.repr
            } else {
                &case.str_
            };
            if *expected != o.text {
                failures.push(format!(
                    "{} [{} shape {:?} {:?}] {} {}\n  {}",
                    case.name,
                    case.dtype,
                    case.shape,
                    case.opts,
                    o.how,
                    o.fmt,
                    first_diff(expected, &o.text)
                ));
            }
        }
        if failures.len() == before {
            matched_cases += 1;
        }
    }
    for f in failures.iter().take(12) {
        eprintln!("MISMATCH {f}\n");
    }
    eprintln!(
        "ndcore numpy parity: {matched_cases} of {} cases, {} of {checked} outputs match",
        cases.len(),
        checked - failures.len()
    );
    assert!(failures.is_empty(), "{} mismatches", failures.len());
}
