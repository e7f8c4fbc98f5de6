//! A small tool: the gradient of a `.npy` array along one axis, written as `.npy`.
//!
//! ```text
//! cargo run --release --example npy_gradient -- in.npy AXIS out.npy [SPACING]
//! ```
//!
//! `AXIS` may be negative (counting from the end), `SPACING` is a number (default 1).
//! float32, float64 and complex data keep their dtype; integer data gives float64, as
//! numpy's `np.gradient` does. Bad arguments get a message that says what is wrong.

use std::process::ExitCode;

use ndcalc::ndcore::npy::{self, AnyArray};
use ndcalc::prelude::*;
use ndcalc::Promote;

const USAGE: &str = "usage: npy_gradient IN.npy AXIS OUT.npy [SPACING]";

fn run(args: &[String]) -> Result<String, String> {
    let [input, axis, output, rest @ ..] = args else {
        return Err(format!(
            "expected 3 or 4 arguments, got {}\n{USAGE}",
            args.len()
        ));
    };
    if rest.len() > 1 {
        return Err(format!(
            "expected 3 or 4 arguments, got {}\n{USAGE}",
            args.len()
        ));
    }
    let axis: isize = axis
        .parse()
        .map_err(|_| format!("AXIS must be an integer such as 0 or -1, got {axis:?}"))?;
    let h: f64 = match rest.first() {
        None => 1.0,
        Some(s) => s
            .parse()
            .ok()
            .filter(|h: &f64| h.is_finite() && *h != 0.0)
            .ok_or_else(|| format!("SPACING must be a finite non-zero number, got {s:?}"))?,
    };
    let data = npy::read_any(input).map_err(|e| format!("cannot read {input}: {}", chain(&e)))?;
    let shape = data.shape().to_vec();
    let fail = |e: CalcError| format!("cannot take the gradient of {input} (shape {shape:?}): {e}");
    let result: AnyArray = match data {
        AnyArray::F64(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::F32(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::Complex128(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::Complex64(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::I8(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::I16(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::I32(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::I64(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::U8(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::U16(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::U32(a) => gradient(&a, h, axis).map_err(fail)?,
        AnyArray::U64(a) => gradient(&a, h, axis).map_err(fail)?,
        other => {
            return Err(format!(
                "{input} holds {}, which has no gradient (numpy refuses it too)",
                other.dtype().name()
            ))
        }
    };
    let mut file =
        std::fs::File::create(output).map_err(|e| format!("cannot create {output}: {e}"))?;
    result
        .write_to(&mut file)
        .map_err(|e| format!("cannot write {output}: {}", chain(&e)))?;
    Ok(format!(
        "wrote the gradient along axis {axis} of {input} ({} {shape:?}) to {output}",
        result.dtype().name()
    ))
}

/// The gradient of one typed array, back as an untyped one.
fn gradient<T: Promote>(a: &Array<T>, h: f64, axis: isize) -> Result<AnyArray, CalcError>
where
    Array<T::Output>: Into<AnyArray>,
{
    Ok(a.gradient().spacing(h).axis(axis).compute()?.into())
}

/// An error and its sources, "outer: inner: ...".
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s = format!("{s}: {inner}");
        cur = inner.source();
    }
    s
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(msg) => {
            println!("{msg}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("npy_gradient: {msg}");
            ExitCode::FAILURE
        }
    }
}
