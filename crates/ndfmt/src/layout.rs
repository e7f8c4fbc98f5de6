//! Bracket nesting, line wrapping and `...` summarization (numpy's
//! `_formatArray` and `_leading_trailing`), streamed to a `fmt::Write`.

use crate::element::{Element, Scalar};
use crate::formatter::Formatter;
use crate::options::PrintOptions;
use std::fmt;
use std::ops::Range;

/// A `fmt::Write` adapter that remembers the length of the current line,
/// which `repr` needs to place its `dtype=` suffix.
pub(crate) struct Column<'w, W: fmt::Write> {
    inner: &'w mut W,
    pub(crate) col: usize,
}

impl<'w, W: fmt::Write> Column<'w, W> {
    pub(crate) fn new(inner: &'w mut W) -> Self {
        Column { inner, col: 0 }
    }
}

impl<W: fmt::Write> fmt::Write for Column<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match s.rfind('\n') {
            Some(i) => self.col = s.len() - i - 1,
            None => self.col += s.len(),
        }
        self.inner.write_str(s)
    }
}

/// Number of elements, saturating: a shape whose product overflows is
/// certainly above any threshold.
pub(crate) fn size(shape: &[usize]) -> usize {
    if shape.contains(&0) {
        return 0;
    }
    shape
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .unwrap_or(usize::MAX)
}

/// The indices of one axis that the formatter must see. numpy builds its
/// formatter from `concatenate(a[:e], a[-e:])` along each long axis; with
/// `e == 0`, `a[-0:]` is the whole axis.
fn shown(n: usize, edge: usize, summarize: bool) -> [Range<usize>; 2] {
    if summarize && n > edge.saturating_mul(2) && edge > 0 {
        [0..edge, n - edge..n]
    } else {
        [0..n, 0..0]
    }
}

/// The array being printed: shape, element accessor and print settings.
pub(crate) struct Grid<'a, G> {
    pub(crate) shape: &'a [usize],
    pub(crate) get: G,
    pub(crate) opts: &'a PrintOptions,
}

impl<G> Grid<'_, G> {
    fn summarize(&self) -> bool {
        size(self.shape) > self.opts.threshold
    }

    /// Calls `f` on every element the formatter must see (the corners of a
    /// summarized array, everything otherwise), in C order.
    fn visit_shown<T: Element>(&self, f: &mut dyn FnMut(Scalar))
    where
        G: Fn(&[usize]) -> T,
    {
        let summ = self.summarize();
        let ranges: Vec<[Range<usize>; 2]> = self
            .shape
            .iter()
            .map(|&n| shown(n, self.opts.edgeitems, summ))
            .collect();
        let mut index = vec![0; self.shape.len()];
        self.visit_axis(&ranges, 0, &mut index, f);
    }

    fn visit_axis<T: Element>(
        &self,
        ranges: &[[Range<usize>; 2]],
        axis: usize,
        index: &mut Vec<usize>,
        f: &mut dyn FnMut(Scalar),
    ) where
        G: Fn(&[usize]) -> T,
    {
        let Some(axis_ranges) = ranges.get(axis) else {
            f((self.get)(index).to_scalar());
            return;
        };
        for r in axis_ranges.iter().cloned() {
            for i in r {
                index[axis] = i;
                self.visit_axis(ranges, axis + 1, index, f);
            }
        }
    }

    /// numpy's `_array2string`: the bracketed body (no `array(` prefix).
    /// `prefix_len` and `suffix_len` are those of `array(` / `)` in repr.
    pub(crate) fn write_body<T: Element, W: fmt::Write>(
        &self,
        w: &mut W,
        sep: &str,
        prefix_len: usize,
        suffix_len: usize,
    ) -> fmt::Result
    where
        G: Fn(&[usize]) -> T,
    {
        if size(self.shape) == 0 {
            return w.write_str("[]");
        }
        let zero_d = self.shape.is_empty();
        // Non-empty, so the origin exists; it tells the element kind.
        let origin = vec![0; self.shape.len()];
        let first = (self.get)(&origin).to_scalar();
        let formatter =
            Formatter::build(first, self.opts, zero_d, &mut |f| self.visit_shown::<T>(f));
        let mut rows = Rows {
            grid: self,
            formatter: &formatter,
            sep,
            edge: self.opts.edgeitems,
            summarize: self.summarize(),
            index: vec![0; self.shape.len()],
            word: String::new(),
        };
        let width = self.opts.linewidth.saturating_sub(suffix_len);
        rows.rec(w, 0, 1 + prefix_len, width)
    }
}

/// State of one `_formatArray` walk.
struct Rows<'g, 'a, G> {
    grid: &'g Grid<'a, G>,
    formatter: &'g Formatter,
    sep: &'g str,
    edge: usize,
    summarize: bool,
    index: Vec<usize>,
    word: String,
}

fn spaces<W: fmt::Write>(w: &mut W, n: usize) -> fmt::Result {
    for _ in 0..n {
        w.write_char(' ')?;
    }
    Ok(())
}

/// One output row of a 1-D slice, wrapped as numpy's `_extendLine` does.
struct Line {
    text: String,
    hang: usize,
    /// The first line of a block loses its hanging indent (the `[` of the
    /// enclosing level stands there).
    first: bool,
}

impl Line {
    fn emit<W: fmt::Write>(&self, w: &mut W, text: &str) -> fmt::Result {
        if self.first {
            w.write_str(text.get(self.hang..).unwrap_or(""))
        } else {
            w.write_str(text)
        }
    }

    fn extend<W: fmt::Write>(&mut self, w: &mut W, word: &str, width: usize) -> fmt::Result {
        // Never wrap a line that holds only the indent: it would not help.
        if self.text.len() + word.len() > width && self.text.len() > self.hang {
            let kept = self.text.trim_end().len();
            self.emit(w, &self.text[..kept])?;
            w.write_char('\n')?;
            self.first = false;
            self.text.clear();
            self.text.extend(std::iter::repeat_n(' ', self.hang));
        }
        self.text.push_str(word);
        Ok(())
    }
}

impl<G, T: Element> Rows<'_, '_, G>
where
    G: Fn(&[usize]) -> T,
{
    fn format_at(&mut self) {
        self.word.clear();
        let x = (self.grid.get)(&self.index).to_scalar();
        self.formatter.write(&mut self.word, x);
    }

    /// `recurser(index, hanging_indent, curr_width)`; `depth` is
    /// `len(index)`, the hanging indent is `hang` spaces.
    fn rec<W: fmt::Write>(
        &mut self,
        w: &mut W,
        depth: usize,
        hang: usize,
        width: usize,
    ) -> fmt::Result {
        let ndim = self.grid.shape.len();
        let Some(&n) = self.grid.shape.get(depth) else {
            self.format_at();
            return w.write_str(&self.word);
        };
        let show = self.summarize && n > self.edge.saturating_mul(2);
        let (lead, trail) = if show { (self.edge, self.edge) } else { (0, n) };
        // Indices in numpy's order: the leading items, then `-trail..-2`,
        // then always `-1` (even when `trail` is 0, i.e. `edgeitems=0`).
        let order = (0..lead)
            .chain((2..=trail).rev().map(|i| n - i))
            .chain(std::iter::once(n - 1));
        w.write_char('[')?;
        if depth + 1 == ndim {
            let sep_width = self.sep.trim_end().len().max(1);
            let elem_width = width.saturating_sub(sep_width);
            let mut line = Line {
                text: " ".repeat(hang),
                hang,
                first: true,
            };
            for (k, i) in order.enumerate() {
                if k > 0 {
                    line.text.push_str(self.sep);
                }
                if show && k == lead {
                    line.extend(w, "...", elem_width)?;
                    line.text.push_str(self.sep);
                }
                self.index[depth] = i;
                self.format_at();
                let word = std::mem::take(&mut self.word);
                line.extend(w, &word, elem_width)?;
                self.word = word;
            }
            line.emit(w, &line.text)?;
        } else {
            let blank = ndim - depth - 1;
            let mut first = true;
            for (k, i) in order.enumerate() {
                if k > 0 {
                    self.line_sep(w, blank)?;
                }
                if show && k == lead {
                    if !first {
                        spaces(w, hang)?;
                    }
                    w.write_str("...")?;
                    self.line_sep(w, blank)?;
                    first = false;
                }
                if !first {
                    spaces(w, hang)?;
                }
                first = false;
                self.index[depth] = i;
                self.rec(w, depth + 1, hang + 1, width.saturating_sub(1))?;
            }
        }
        w.write_char(']')
    }

    /// `separator.rstrip() + '\n' * (axes_left - 1)`.
    fn line_sep<W: fmt::Write>(&self, w: &mut W, newlines: usize) -> fmt::Result {
        w.write_str(self.sep.trim_end())?;
        for _ in 0..newlines {
            w.write_char('\n')?;
        }
        Ok(())
    }
}
