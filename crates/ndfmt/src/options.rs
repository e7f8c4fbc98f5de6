//! Print options, mirroring `numpy.set_printoptions`.

/// How the sign of positive numbers is shown (numpy's `sign` print option).
///
/// It applies to floats, to the real part of complex numbers and to integers,
/// but not to booleans.
///
/// ```
/// use ndfmt::{write_str, PrintOptions, Sign};
/// let opts = PrintOptions { sign: Sign::Plus, ..PrintOptions::default() };
/// let data = [-2i64, 0, 3];
/// let mut s = String::new();
/// write_str(&mut s, &[3], |i| data[i[0]], &opts).unwrap();
/// assert_eq!(s, "[-2 +0 +3]");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sign {
    /// `'-'`: only negative numbers carry a sign (numpy's default).
    #[default]
    Minus,
    /// `'+'`: positive numbers are shown with a `+`.
    Plus,
    /// `' '`: a space is reserved for the sign when no shown value is negative.
    Space,
}

/// How many fraction digits floats get (numpy's `floatmode` print option).
///
/// ```
/// use ndfmt::{write_str, FloatMode, PrintOptions};
/// let data = [1.5f64, 0.25];
/// let show = |floatmode| {
///     let opts = PrintOptions { floatmode, ..PrintOptions::default() };
///     let mut s = String::new();
///     write_str(&mut s, &[2], |i| data[i[0]], &opts).unwrap();
///     s
/// };
/// assert_eq!(show(FloatMode::MaxPrec), "[1.5  0.25]");
/// assert_eq!(show(FloatMode::MaxPrecEqual), "[1.50 0.25]");
/// assert_eq!(show(FloatMode::Fixed), "[1.50000000 0.25000000]");
/// assert_eq!(show(FloatMode::Unique), "[1.5  0.25]");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FloatMode {
    /// Always exactly `precision` fraction digits.
    Fixed,
    /// The shortest digits that round-trip; `precision` is ignored.
    Unique,
    /// At most `precision` digits, fewer when the value needs fewer;
    /// shorter values are padded with spaces (numpy's default).
    #[default]
    MaxPrec,
    /// At most `precision` digits, and every element gets as many digits as
    /// the element that needs the most (padded with zeros).
    MaxPrecEqual,
}

/// numpy's print options (`numpy.get_printoptions()`), with the same defaults.
///
/// Options that numpy has but that this crate does not model (`nanstr`,
/// `infstr`, `formatter`, `legacy`) are fixed at numpy's defaults.
///
/// ```
/// use ndfmt::{FloatMode, PrintOptions, Sign};
/// let o = PrintOptions::default();
/// assert_eq!((o.precision, o.threshold, o.edgeitems, o.linewidth), (8, 1000, 3, 75));
/// assert!(!o.suppress);
/// assert_eq!(o.sign, Sign::Minus);
/// assert_eq!(o.floatmode, FloatMode::MaxPrec);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PrintOptions {
    /// Number of fraction digits of floats (significant digits after the
    /// first one in scientific notation); ignored by [`FloatMode::Unique`].
    /// Values above 16383 (the size of numpy's digit buffer, past which
    /// numpy truncates or raises) are treated as 16383.
    pub precision: usize,
    /// Arrays with more than this many elements are summarized with `...`.
    pub threshold: usize,
    /// Number of items shown at each end of a summarized axis.
    pub edgeitems: usize,
    /// Lines are wrapped so they do not exceed this many characters.
    pub linewidth: usize,
    /// When `true`, small values are never shown in scientific notation
    /// (they may round to `0.`).
    pub suppress: bool,
    /// Sign display of positive numbers.
    pub sign: Sign,
    /// Fraction-digit policy of floats.
    pub floatmode: FloatMode,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            precision: 8,
            threshold: 1000,
            edgeitems: 3,
            linewidth: 75,
            suppress: false,
            sign: Sign::Minus,
            floatmode: FloatMode::MaxPrec,
        }
    }
}
