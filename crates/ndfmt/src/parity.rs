//! numpy parity of the digits: every line of `tests/fixtures/fmt/digits.txt`
//! (numpy's `format_float_positional`/`_scientific` and scalar `str`, written by
//! `tests/fixtures/gen_fmt.py`) must come out byte for byte. Whole arrays, every case
//! of `cases.txt`, are checked through ndcore's `Display`/`Debug` in `tests/it/fmt.rs`.

const FIXTURES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/fmt");

/// A fixture file: the committed one, or one in `$NDFMT_FIXTURES` (a
/// directory written by `gen_fmt.py` with `NDFMT_OUT`, for stress runs).
fn read_fixture(name: &str) -> String {
    let dir = std::env::var("NDFMT_FIXTURES").unwrap_or_else(|_| FIXTURES_DIR.to_string());
    let path = format!("{dir}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn f64_of(tok: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(tok, 16).expect("f64 hex"))
}

fn f32_of(tok: &str) -> f32 {
    f32::from_bits(u32::from_str_radix(tok, 16).expect("f32 hex"))
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
