//! The `.npy` header: the fixed prelude, a tiny parser for the Python literal subset numpy
//! writes, and the writer that reproduces numpy's bytes.

use std::io::Read;
use std::ops::Range;

use super::dtype::{read_full, DescrError};
use super::{ByteOrder, DType, NpyError, MAX_HEADER_LEN};

/// The six bytes every `.npy` file starts with.
pub(crate) const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// numpy aligns the start of the data to this many bytes.
const ARRAY_ALIGN: usize = 64;

/// numpy leaves room for this many digits in the growth axis, so a header can be
/// rewritten in place when an array grows.
const GROWTH_AXIS_MAX_DIGITS: usize = 21;

/// Literals nested deeper than this are refused (a stack-depth guard for hostile input).
const MAX_DEPTH: usize = 32;

/// What a `.npy` header says about the array that follows it.
///
/// ```
/// use ndcore::npy::{self, ByteOrder, DType};
/// use ndcore::prelude::*;
/// let mut buf = Vec::new();
/// npy::write_to(&mut buf, &Array::<i32>::zeros([2, 5]).t()).unwrap();
/// let h = npy::read_header(&mut &buf[..]).unwrap();
/// assert_eq!((h.dtype, h.shape.as_slice(), h.fortran_order), (DType::I32, &[5, 2][..], true));
/// assert_eq!((h.version, h.data_offset), ((1, 0), 128));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The format version `(major, minor)`: `(1, 0)`, `(2, 0)` or `(3, 0)`.
    pub version: (u8, u8),
    /// The element type.
    pub dtype: DType,
    /// The byte order of the elements in the file (the machine's for one-byte types).
    pub byte_order: ByteOrder,
    /// Whether the data is stored column-major (first index fastest).
    pub fortran_order: bool,
    /// The shape of the array.
    pub shape: Vec<usize>,
    /// The number of bytes before the data: prelude plus header dictionary.
    pub data_offset: u64,
}

impl Header {
    /// The number of elements (saturating at `usize::MAX` for a shape edited after
    /// reading; [`read_body`](super::read_body) checks it again).
    pub fn len(&self) -> usize {
        self.shape.iter().fold(1usize, |a, &n| a.saturating_mul(n))
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of data bytes (checked against overflow when the header was read).
    pub fn data_len(&self) -> u64 {
        (self.len() as u64).saturating_mul(self.dtype.itemsize() as u64)
    }

    /// The number of elements, or [`NpyError::ShapeOverflow`] when the data would not
    /// fit in memory.
    pub(crate) fn checked_len(&self) -> Result<usize, NpyError> {
        let itemsize = self.dtype.itemsize();
        match shape_bytes(&self.shape, itemsize) {
            Some(_) => Ok(self.len()),
            None => Err(NpyError::ShapeOverflow {
                shape: self.shape.clone(),
                itemsize,
            }),
        }
    }

    /// Checks that `have` bytes of data follow the header: exactly
    /// [`data_len`](Header::data_len), after [`checked_len`](Header::checked_len)'s
    /// check of the shape. An in-memory file or a mapped one is refused here when truncated
    /// ([`NpyError::MissingData`]) or followed by stray bytes
    /// ([`NpyError::TrailingBytes`]).
    pub(crate) fn check_data_len(&self, have: u64) -> Result<(), NpyError> {
        self.checked_len()?;
        let need = self.data_len();
        if have < need {
            return Err(NpyError::MissingData {
                shape: self.shape.clone(),
                expected: need,
                found: have,
            });
        }
        if have > need {
            return Err(NpyError::TrailingBytes {
                expected: need,
                extra: have - need,
            });
        }
        Ok(())
    }

    /// The strides, in elements, of the data in memory order: row-major, or column-major
    /// for a Fortran-order file.
    ///
    /// ```
    /// use ndcore::npy;
    /// use ndcore::prelude::*;
    /// let mut buf = Vec::new();
    /// npy::write_to(&mut buf, &Array::<u8>::zeros([2, 3, 4]).t()).unwrap();
    /// let h = npy::read_header(&mut &buf[..]).unwrap();
    /// assert_eq!((h.len(), h.data_len(), h.is_empty()), (24, 24, false));
    /// assert_eq!(h.strides(), vec![1, 4, 12]);
    /// ```
    pub fn strides(&self) -> Vec<isize> {
        let mut strides = vec![0isize; self.shape.len()];
        let mut step = 1isize;
        let mut set = |k: usize| {
            strides[k] = step;
            step = step.wrapping_mul(self.shape[k].max(1) as isize);
        };
        if self.fortran_order {
            (0..self.shape.len()).for_each(&mut set);
        } else {
            (0..self.shape.len()).rev().for_each(&mut set);
        }
        strides
    }
}

/// Reads and checks the prelude and the header dictionary, leaving `r` at the data.
pub(crate) fn read_header(r: &mut impl Read) -> Result<Header, NpyError> {
    let mut pre = [0u8; 12];
    let got = read_full(r, &mut pre[..8])?;
    if got < 8 {
        if got >= 6 && &pre[..6] != MAGIC {
            return Err(bad_magic(&pre));
        }
        return Err(NpyError::TruncatedHeader {
            expected: 10,
            found: got as u64,
        });
    }
    if &pre[..6] != MAGIC {
        return Err(bad_magic(&pre));
    }
    let (major, minor) = (pre[6], pre[7]);
    let len_bytes = match (major, minor) {
        (1, 0) => 2,
        (2, 0) | (3, 0) => 4,
        _ => return Err(NpyError::UnsupportedVersion { major, minor }),
    };
    let prelude = 8 + len_bytes;
    let got = read_full(r, &mut pre[8..prelude])?;
    if got < len_bytes {
        return Err(NpyError::TruncatedHeader {
            expected: prelude as u64,
            found: (8 + got) as u64,
        });
    }
    let header_len = if len_bytes == 2 {
        u64::from(u16::from_le_bytes([pre[8], pre[9]]))
    } else {
        u64::from(u32::from_le_bytes([pre[8], pre[9], pre[10], pre[11]]))
    };
    if header_len > MAX_HEADER_LEN {
        return Err(NpyError::HeaderTooLong {
            len: header_len,
            max: MAX_HEADER_LEN,
        });
    }
    // `take` + `read_to_end` grows the buffer with the bytes that actually arrive.
    let mut text = Vec::new();
    r.take(header_len).read_to_end(&mut text)?;
    let data_offset = prelude as u64 + header_len;
    if (text.len() as u64) < header_len {
        return Err(NpyError::TruncatedHeader {
            expected: data_offset,
            found: prelude as u64 + text.len() as u64,
        });
    }
    let utf8 = major == 3;
    if utf8 {
        if let Err(e) = std::str::from_utf8(&text) {
            return Err(NpyError::InvalidHeader {
                reason: "a format 3.0 header must be UTF-8".into(),
                offset: e.valid_up_to(),
            });
        }
    }
    let fields = parse_dict(&text, utf8)?;
    Ok(Header {
        version: (major, minor),
        dtype: fields.dtype,
        byte_order: fields.order,
        fortran_order: fields.fortran_order,
        shape: fields.shape,
        data_offset,
    })
}

fn bad_magic(pre: &[u8]) -> NpyError {
    let mut found = [0u8; 6];
    found.copy_from_slice(&pre[..6]);
    NpyError::BadMagic { found }
}

/// The three fields of a header dictionary, checked.
#[derive(Debug)]
struct Fields {
    dtype: DType,
    order: ByteOrder,
    fortran_order: bool,
    shape: Vec<usize>,
}

/// A parsed Python literal and where its source text lies.
#[derive(Debug)]
struct Node {
    value: Value,
    span: Range<usize>,
}

#[derive(Debug)]
enum Value {
    Str(String),
    /// An integer, `None` when it does not fit an `i128`.
    Int(Option<i128>),
    Bool(bool),
    NoneLit,
    Tuple(Vec<Node>),
    List(Vec<Node>),
    Dict(Vec<(Node, Node)>),
}

/// Parses the header text as a dict literal and checks its keys and values.
fn parse_dict(text: &[u8], utf8: bool) -> Result<Fields, NpyError> {
    let mut p = Parser {
        s: text,
        pos: 0,
        utf8,
    };
    p.skip_ws();
    if p.peek() != Some(b'{') {
        return Err(p.err("expected '{' opening the header dictionary"));
    }
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos != text.len() {
        return Err(p.err("unexpected text after the dictionary"));
    }
    let Value::Dict(items) = node.value else {
        return Err(p.err("expected a dictionary"));
    };
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    for (k, v) in items {
        match &k.value {
            Value::Str(s) if s == "descr" => descr = Some(v),
            Value::Str(s) if s == "fortran_order" => fortran = Some(v),
            Value::Str(s) if s == "shape" => shape = Some(v),
            _ => {
                return Err(NpyError::UnexpectedKey {
                    key: p.source(&k.span),
                })
            }
        }
    }
    let descr = descr.ok_or(NpyError::MissingKey { key: "descr" })?;
    let fortran = fortran.ok_or(NpyError::MissingKey {
        key: "fortran_order",
    })?;
    let shape = shape.ok_or(NpyError::MissingKey { key: "shape" })?;

    let (dtype, order) = match &descr.value {
        Value::Str(s) => DType::parse(s).map_err(|e| {
            let descr = p.source(&descr.span);
            match e {
                DescrError::Bad => NpyError::BadDescr { found: descr },
                DescrError::Unsupported => NpyError::UnsupportedDtype { descr },
                DescrError::Object => NpyError::ObjectDtype { descr },
            }
        })?,
        Value::List(_) | Value::Tuple(_) | Value::Dict(_) => {
            let src = p.source(&descr.span);
            return Err(if has_object(&descr) {
                NpyError::ObjectDtype { descr: src }
            } else {
                NpyError::UnsupportedDtype { descr: src }
            });
        }
        _ => {
            return Err(NpyError::BadDescr {
                found: p.source(&descr.span),
            })
        }
    };
    let fortran_order = match fortran.value {
        Value::Bool(b) => b,
        _ => {
            return Err(NpyError::BadFortranOrder {
                found: p.source(&fortran.span),
            })
        }
    };
    let bad_shape = || NpyError::BadShape {
        found: p.source(&shape.span),
    };
    let dims = match &shape.value {
        Value::Tuple(items) => items
            .iter()
            .map(|n| match n.value {
                Value::Int(Some(d)) => usize::try_from(d).ok(),
                _ => None,
            })
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(bad_shape)?,
        _ => return Err(bad_shape()),
    };
    // The data length must be representable (and allocatable) before anything uses it.
    let itemsize = dtype.itemsize();
    if shape_bytes(&dims, itemsize).is_none() {
        return Err(NpyError::ShapeOverflow {
            shape: dims,
            itemsize,
        });
    }
    Ok(Fields {
        dtype,
        order,
        fortran_order,
        shape: dims,
    })
}

/// The item size times every nonzero length of `shape`, or `None` past `isize::MAX`.
///
/// numpy's rule (`array is too big`): a zero-length axis makes the array empty but does
/// not excuse the other axes, so `(0, 2**40, 2**40)` of `f8` is refused like
/// `(2**40, 2**40)`, while `(2**62, 0)` of one-byte elements is a valid empty array.
fn shape_bytes(shape: &[usize], itemsize: usize) -> Option<usize> {
    shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(itemsize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)
}

/// Whether a structured dtype description mentions an object field anywhere.
fn has_object(node: &Node) -> bool {
    match &node.value {
        Value::Str(s) => DType::parse(s) == Err(DescrError::Object),
        Value::List(v) | Value::Tuple(v) => v.iter().any(has_object),
        Value::Dict(v) => v.iter().any(|(k, v)| has_object(k) || has_object(v)),
        _ => false,
    }
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    utf8: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn err(&self, reason: &str) -> NpyError {
        let shown = match self.peek() {
            None => "the end of the header".to_string(),
            Some(b) => format!("{:?}", char::from(b)),
        };
        NpyError::InvalidHeader {
            reason: format!("{reason}, found {shown}"),
            offset: self.pos,
        }
    }

    /// The source text of a span, shortened for an error message.
    fn source(&self, span: &Range<usize>) -> String {
        const MAX: usize = 80;
        let bytes = &self.s[span.clone()];
        let text = self.decode(&bytes[..bytes.len().min(MAX)]);
        if bytes.len() > MAX {
            format!("{text}...")
        } else {
            text
        }
    }

    /// Header bytes as text: UTF-8 (format 3.0) or Latin-1 (1.0 and 2.0).
    fn decode(&self, bytes: &[u8]) -> String {
        if self.utf8 {
            String::from_utf8_lossy(bytes).into_owned()
        } else {
            bytes.iter().map(|&b| char::from(b)).collect()
        }
    }

    fn skip_ws(&mut self) {
        while matches!(
            self.peek(),
            Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
        ) {
            self.pos += 1;
        }
    }

    /// Consumes `c` (after whitespace) if it is next.
    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, NpyError> {
        if depth > MAX_DEPTH {
            return Err(self.err(&format!("literal nested deeper than {MAX_DEPTH} levels")));
        }
        self.skip_ws();
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                let mut items = Vec::new();
                while !self.eat(b'}') {
                    let k = self.value(depth + 1)?;
                    if !self.eat(b':') {
                        return Err(self.err("expected ':' after a dictionary key"));
                    }
                    let v = self.value(depth + 1)?;
                    items.push((k, v));
                    if !self.eat(b',') {
                        if self.eat(b'}') {
                            break;
                        }
                        return Err(self.err("expected ',' or '}' in a dictionary"));
                    }
                }
                Value::Dict(items)
            }
            Some(b'[') => {
                self.pos += 1;
                Value::List(self.sequence(b']', depth)?.0)
            }
            Some(b'(') => {
                self.pos += 1;
                let (mut items, comma) = self.sequence(b')', depth)?;
                if items.len() == 1 && !comma {
                    // `(x)` is x in parentheses, not a tuple.
                    let mut inner = items.pop().expect("one item");
                    inner.span = start..self.pos;
                    return Ok(inner);
                }
                Value::Tuple(items)
            }
            Some(q @ (b'\'' | b'"')) => {
                self.pos += 1;
                Value::Str(self.string(q)?)
            }
            Some(b'0'..=b'9' | b'-' | b'+') => Value::Int(self.int()?),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'_') => {
                let end = self.s[self.pos..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                    .map_or(self.s.len(), |k| self.pos + k);
                let v = match &self.s[self.pos..end] {
                    b"True" => Value::Bool(true),
                    b"False" => Value::Bool(false),
                    b"None" => Value::NoneLit,
                    _ => return Err(self.err("expected a Python literal")),
                };
                self.pos = end;
                v
            }
            _ => return Err(self.err("expected a Python literal")),
        };
        Ok(Node {
            value,
            span: start..self.pos,
        })
    }

    /// The items of a list or tuple up to `close`, and whether a comma followed the last.
    fn sequence(&mut self, close: u8, depth: usize) -> Result<(Vec<Node>, bool), NpyError> {
        let mut items = Vec::new();
        let mut comma = false;
        while !self.eat(close) {
            items.push(self.value(depth + 1)?);
            comma = self.eat(b',');
            if !comma {
                if self.eat(close) {
                    break;
                }
                return Err(self.err(&format!(
                    "expected ',' or '{}' in a sequence",
                    char::from(close)
                )));
            }
        }
        Ok((items, comma))
    }

    /// A decimal integer (Python 2's `L` suffix allowed, as old numpy headers have it).
    fn int(&mut self) -> Result<Option<i128>, NpyError> {
        let neg = match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                true
            }
            Some(b'+') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        self.skip_ws();
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.err("expected digits"));
        }
        let mut value: Option<i128> = Some(0);
        for &d in &self.s[start..self.pos] {
            value = value
                .and_then(|v| v.checked_mul(10))
                .and_then(|v| v.checked_add(i128::from(d - b'0')));
        }
        if self.peek() == Some(b'L') {
            self.pos += 1;
        }
        if matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'.' || b == b'_') {
            return Err(self.err("expected an integer"));
        }
        Ok(value.map(|v| if neg { -v } else { v }))
    }

    /// A string literal's contents after the opening quote `q`, escapes decoded.
    fn string(&mut self, q: u8) -> Result<String, NpyError> {
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.err("unterminated string literal")),
                Some(b) if b == q => {
                    out.push_str(&self.decode(&self.s[run..self.pos]));
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.decode(&self.s[run..self.pos]));
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'\\') => '\\',
                        Some(b'\'') => '\'',
                        Some(b'"') => '"',
                        Some(b'n') => '\n',
                        Some(b't') => '\t',
                        Some(b'r') => '\r',
                        Some(b'0') => '\0',
                        Some(b'x') => {
                            let hex = self.s.get(self.pos + 1..self.pos + 3);
                            let v = hex
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u8::from_str_radix(h, 16).ok())
                                .ok_or_else(|| self.err("bad \\x escape"))?;
                            self.pos += 2;
                            char::from(v)
                        }
                        _ => return Err(self.err("unsupported escape in a string literal")),
                    };
                    out.push(c);
                    self.pos += 1;
                    run = self.pos;
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

/// The `repr` of a shape tuple: `()`, `(3,)`, `(2, 3)`.
fn shape_repr(shape: &[usize]) -> String {
    match shape {
        [] => "()".into(),
        [n] => format!("({n},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(|n| n.to_string()).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// The prelude and header dictionary numpy writes for this array, byte for byte:
/// format 1.0 unless the header needs more than 65535 bytes, padded with spaces (plus
/// numpy's spare room for the growth axis) so the data starts at a multiple of 64.
pub(crate) fn header_bytes(dtype: DType, fortran_order: bool, shape: &[usize]) -> Vec<u8> {
    let mut dict = format!(
        "{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}",
        dtype.descr(),
        if fortran_order { "True" } else { "False" },
        shape_repr(shape)
    );
    let growth = if fortran_order {
        shape.last()
    } else {
        shape.first()
    };
    if let Some(n) = growth {
        let digits = n.to_string().len();
        dict.extend(std::iter::repeat_n(
            ' ',
            GROWTH_AXIS_MAX_DIGITS.saturating_sub(digits),
        ));
    }
    let wrap = |len_bytes: usize| {
        let hlen = dict.len() + 1;
        let pad = ARRAY_ALIGN - (MAGIC.len() + 2 + len_bytes + hlen) % ARRAY_ALIGN;
        (hlen + pad, pad)
    };
    let (total, pad, major) = match wrap(2) {
        (total, pad) if total <= usize::from(u16::MAX) => (total, pad, 1u8),
        _ => {
            let (total, pad) = wrap(4);
            (total, pad, 2)
        }
    };
    let mut out = Vec::with_capacity(12 + total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[major, 0]);
    if major == 1 {
        out.extend_from_slice(&(total as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(total as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.extend(std::iter::repeat_n(b' ', pad));
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Fields, NpyError> {
        parse_dict(s.as_bytes(), false)
    }

    #[test]
    fn numpy_headers_parse() {
        let f = parse("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }    \n").unwrap();
        assert_eq!(
            (f.dtype, f.order, f.fortran_order),
            (DType::F64, ByteOrder::Little, false)
        );
        assert_eq!(f.shape, vec![3, 4]);
        let f = parse("{\"shape\": (), \"descr\": \">c16\", \"fortran_order\": True}").unwrap();
        assert_eq!(
            (f.dtype, f.order, f.fortran_order),
            (DType::Complex128, ByteOrder::Big, true)
        );
        assert!(f.shape.is_empty());
        let f = parse("{'descr':'|b1','fortran_order':False,'shape':(7L,)}").unwrap();
        assert_eq!(f.shape, vec![7]);
    }

    #[test]
    fn malformed_literals_are_errors() {
        for bad in [
            "",
            "{",
            "{'descr' '<f8'}",
            "{'descr': '<f8",
            "{'a': (1,,)}",
            "{'a': 1.5}",
            "{'a': x}",
            "{'a': '\\q'}",
            "{} extra",
            "[1, 2]",
        ] {
            assert!(
                matches!(parse(bad), Err(NpyError::InvalidHeader { .. })),
                "{bad:?} gave {:?}",
                parse(bad).err()
            );
        }
        let deep = format!("{{'a': {}1{}}}", "(".repeat(100), ")".repeat(100));
        assert!(matches!(parse(&deep), Err(NpyError::InvalidHeader { .. })));
    }

    #[test]
    fn parenthesised_int_is_not_a_tuple() {
        let err = parse("{'descr': '<f8', 'fortran_order': False, 'shape': (3)}").unwrap_err();
        assert_eq!(
            err.to_string(),
            ".npy header 'shape' must be a tuple of non-negative integers fitting in usize, found (3)"
        );
    }

    #[test]
    fn header_matches_numpy_layout() {
        let h = header_bytes(DType::F64, false, &[3, 4]);
        assert_eq!(h.len() % 64, 0);
        assert_eq!(&h[..8], b"\x93NUMPY\x01\x00");
        let text = std::str::from_utf8(&h[10..]).unwrap();
        assert!(text.starts_with("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"));
        assert!(text.ends_with(" \n"));
        if cfg!(miri) {
            return; // 30000 dimensions take minutes under Miri
        }
        let big = header_bytes(DType::U8, false, &vec![1; 30000]);
        assert_eq!(&big[6..8], &[2, 0]);
        assert_eq!(big.len() % 64, 0);
    }
}
