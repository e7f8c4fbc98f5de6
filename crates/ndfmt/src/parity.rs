//! numpy parity: every case of `tests/fixtures/fmt/cases.txt` (written by
//! `tests/fixtures/gen_fmt.py` from numpy's own `str`/`repr`) must come out
//! byte for byte. The file format is described in the generator.

use crate::{write_repr, write_str, Element, FloatMode, PrintOptions, Sign};
use num_complex::Complex;

const FIXTURES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/fmt");

/// A fixture file: the committed one, or one in `$NDFMT_FIXTURES` (a
/// directory written by `gen_fmt.py` with `NDFMT_OUT`, for stress runs).
fn read_fixture(name: &str) -> String {
    let dir = std::env::var("NDFMT_FIXTURES").unwrap_or_else(|_| FIXTURES_DIR.to_string());
    let path = format!("{dir}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

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

fn pair(tok: &str) -> (&str, &str) {
    tok.split_once(',').expect("complex re,im")
}

/// The outputs for one case, with the element type `T`.
fn render<T: Element>(case: &Case, parse: fn(&str) -> T) -> (String, String) {
    let data: Vec<T> = case.data.iter().map(|t| parse(t)).collect();
    let shape = &case.shape;
    let get = |idx: &[usize]| {
        let flat = idx
            .iter()
            .zip(shape)
            .fold(0usize, |acc, (&i, &n)| acc * n + i);
        data[flat]
    };
    let (mut s, mut r) = (String::new(), String::new());
    write_str(&mut s, shape, get, &case.opts).expect("write_str");
    write_repr(&mut r, shape, get, &case.opts).expect("write_repr");
    (s, r)
}

fn run(case: &Case) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match case.dtype {
        "float64" => out.push(render(case, f64_of)),
        "float32" => out.push(render(case, f32_of)),
        "complex128" => out.push(render(case, |t| {
            let (re, im) = pair(t);
            Complex::new(f64_of(re), f64_of(im))
        })),
        "complex64" => out.push(render(case, |t| {
            let (re, im) = pair(t);
            Complex::new(f32_of(re), f32_of(im))
        })),
        "bool" => out.push(render(case, |t| t == "1")),
        "int8" => out.push(render(case, |t| t.parse::<i8>().expect("i8"))),
        "int16" => out.push(render(case, |t| t.parse::<i16>().expect("i16"))),
        "int32" => out.push(render(case, |t| t.parse::<i32>().expect("i32"))),
        "int64" => {
            out.push(render(case, |t| t.parse::<i64>().expect("i64")));
            out.push(render(case, |t| t.parse::<isize>().expect("isize")));
        }
        "uint8" => out.push(render(case, |t| t.parse::<u8>().expect("u8"))),
        "uint16" => out.push(render(case, |t| t.parse::<u16>().expect("u16"))),
        "uint32" => out.push(render(case, |t| t.parse::<u32>().expect("u32"))),
        "uint64" => {
            out.push(render(case, |t| t.parse::<u64>().expect("u64")));
            out.push(render(case, |t| t.parse::<usize>().expect("usize")));
        }
        other => panic!("unknown dtype {other}"),
    }
    out
}

/// First differing line, for a readable report.
fn first_diff(expected: &str, got: &str) -> String {
    for (i, (e, g)) in expected.lines().zip(got.lines()).enumerate() {
        if e != g {
            return format!("line {}:\n    numpy: {e:?}\n    ndfmt: {g:?}", i + 1);
        }
    }
    format!(
        "line counts differ: numpy {} vs ndfmt {}",
        expected.lines().count(),
        got.lines().count()
    )
}

#[test]
fn numpy_fixtures_match_byte_for_byte() {
    let text = read_fixture("cases.txt");
    let cases = parse_cases(&text);
    assert!(cases.len() > 1000, "only {} cases parsed", cases.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        for (s, r) in run(case) {
            for (what, expected, got) in [("str", &case.str_, s), ("repr", &case.repr, r)] {
                checked += 1;
                if *expected != got {
                    failures.push(format!(
                        "{} {what} [{} shape {:?} {:?}]\n  {}\n  numpy:\n{expected}\n  ndfmt:\n{got}",
                        case.name,
                        case.dtype,
                        case.shape,
                        case.opts,
                        first_diff(expected, &got)
                    ));
                }
            }
        }
    }
    for f in failures.iter().take(12) {
        eprintln!("MISMATCH {f}\n");
    }
    eprintln!(
        "numpy parity: {} of {checked} outputs match ({} cases)",
        checked - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{} mismatches", failures.len());
}

/// One line of `digits.txt` through the Dragon4 entry points; `None` when
/// the output matches.
fn check_digit_line(line: &str) -> Option<String> {
    use crate::dragon4::{positional, scientific, Decoded, Request, Trim};
    use crate::float::{scalar_str, Flt};

    let mut f = line.splitn(3, ' ');
    let (dtype, hex, rest) = (f.next()?, f.next()?, f.next()?);
    let value = match dtype {
        "float32" => Flt::S(f32_of(hex)),
        _ => Flt::D(f64_of(hex)),
    };
    let decoded = match value {
        Flt::S(x) => Decoded::from_f32(x),
        Flt::D(x) => Decoded::from_f64(x),
    };
    let mut got = String::new();
    let expected = if let Some(expected) = rest.strip_prefix("r ") {
        scalar_str(&mut got, value, false);
        expected
    } else {
        let g: Vec<&str> = rest.splitn(6, ' ').collect();
        assert_eq!(g.len(), 6, "bad digits line {line:?}");
        let num = |s: &str| s.parse::<i32>().expect("number");
        let req = Request {
            unique: g[1] == "1",
            precision: num(g[2]),
            min_digits: num(g[3]),
            trim: match g[4] {
                "k" => Trim::Keep,
                "." => Trim::Zeros,
                "0" => Trim::LeaveOneZero,
                _ => Trim::DptZeros,
            },
            ..Request::shortest(Trim::Keep)
        };
        if g[0] == "s" {
            scientific(&mut got, &decoded, &req);
        } else {
            positional(&mut got, &decoded, &req);
        }
        g[5]
    };
    (got != expected).then(|| format!("{line}\n    ndfmt: {got}"))
}

#[test]
fn numpy_dragon4_digits_match() {
    let text = read_fixture("digits.txt");
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(lines.len() > 10_000, "only {} digit lines", lines.len());
    let failures: Vec<String> = lines.iter().filter_map(|l| check_digit_line(l)).collect();
    for f in failures.iter().take(12) {
        eprintln!("MISMATCH {f}");
    }
    eprintln!(
        "numpy Dragon4 parity: {} of {} lines match",
        lines.len() - failures.len(),
        lines.len()
    );
    assert!(failures.is_empty(), "{} mismatches", failures.len());
}
