//! A small tool: the gradient of a `.npy` array along one axis, written as `.npy`, for
//! files of any size.
//!
//! ```text
//! cargo run --release --example npy_gradient -- IN.npy AXIS OUT.npy [SPACING]
//! ```
//!
//! `AXIS` may be negative (counting from the end). `SPACING` is a number (default 1) or
//! a `.npy` file of coordinates, one per sample along the axis. float32, float64 and
//! complex data keep their dtype; integer data gives float64, as numpy's `np.gradient`
//! does. The file is processed slab by slab through a memory map
//! ([`ndcalc::npy_file::NpyGradient`]), so its size is not limited by memory, and the
//! output appears only once complete. A progress bar is drawn on stderr when it is a
//! terminal. Bad arguments get a message that says what is wrong.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use ndcalc::ndcore::npy::{self, AnyArray};
use ndcalc::npy_file::NpyGradient;
use ndcalc::prelude::*;

const USAGE: &str =
    "usage: npy_gradient IN.npy AXIS OUT.npy [SPACING (a number or a .npy of coordinates)]";

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
    let spacing = match rest.first() {
        None => Spacing::step(1.0),
        Some(s) => spacing(s)?,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let style = ProgressStyle::with_template(
            "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .expect("the template is valid");
        ProgressBar::new(0).with_style(style)
    });
    let mut driver = NpyGradient::new(input, axis, output).spacing(spacing);
    if let Some(bar) = &bar {
        driver = driver.progress(|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        });
    }
    let written = driver.run().map_err(|e| chain(&e))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    Ok(format!(
        "wrote the gradient along axis {axis} of {input} ({} {:?}, {} slabs) to {output}",
        written.dtype, written.shape, written.slabs
    ))
}

/// A step given as a number, or coordinates read from a `.npy` file.
fn spacing(arg: &str) -> Result<Spacing, String> {
    if let Ok(h) = arg.parse::<f64>() {
        return if h.is_finite() && h != 0.0 {
            Ok(Spacing::step(h))
        } else {
            Err(format!(
                "SPACING must be a finite non-zero number, got {arg:?}"
            ))
        };
    }
    let x = npy::read_any(arg).map_err(|e| {
        format!(
            "SPACING {arg:?} is neither a number nor a readable .npy file: {}",
            chain(&e)
        )
    })?;
    Ok(match x {
        AnyArray::F64(x) => Spacing::coords(&x),
        AnyArray::F32(x) => Spacing::coords(&x),
        AnyArray::I8(x) => Spacing::coords(&x),
        AnyArray::I16(x) => Spacing::coords(&x),
        AnyArray::I32(x) => Spacing::coords(&x),
        AnyArray::I64(x) => Spacing::coords(&x),
        AnyArray::U8(x) => Spacing::coords(&x),
        AnyArray::U16(x) => Spacing::coords(&x),
        AnyArray::U32(x) => Spacing::coords(&x),
        AnyArray::U64(x) => Spacing::coords(&x),
        other => {
            return Err(format!(
                "coordinates in {arg} are {}; they must be real numbers",
                other.dtype()
            ))
        }
    })
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
