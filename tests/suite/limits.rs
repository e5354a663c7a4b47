//! What a backend cannot store unchanged, passed in by its instantiation: the
//! round trips leave those values out (or expect them refused), and
//! `values::unstorable_values_are_refused` proves that each is refused with a
//! clear `Error::OutOfRange`.

/// The values a backend refuses.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Whether text may hold the NUL character (PostgreSQL's cannot).
    pub nul_in_text: bool,
    /// The longest text, in characters, that a key or indexed column holds
    /// (MySQL indexes `VARCHAR(255)`); `None` when unbounded.
    pub key_text_chars: Option<usize>,
    /// Whether floats may be infinite (MySQL's cannot).
    pub float_infinity: bool,
    /// Whether floats may be NaN (SQLite would store NULL, MySQL cannot).
    pub float_nan: bool,
    /// Whether -0.0 is stored with its sign (PostgreSQL); SQLite, MySQL /
    /// MariaDB and DynamoDB would read back 0.0, so they refuse it.
    pub negative_zero: bool,
    /// The smallest and largest magnitude of a non-zero finite float
    /// (DynamoDB numbers span 1e-130 to 1e126); `None` when any fits.
    pub float_magnitude: Option<(f64, f64)>,
}

impl Limits {
    /// A backend that stores every value.
    pub const NONE: Limits = Limits {
        nul_in_text: true,
        key_text_chars: None,
        float_infinity: true,
        float_nan: true,
        negative_zero: true,
        float_magnitude: None,
    };

    /// Whether `s` can be stored in a plain text column.
    pub fn text_fits(&self, s: &str) -> bool {
        self.nul_in_text || !s.contains('\0')
    }

    /// Whether `s` can be stored in a key or indexed text column.
    pub fn key_fits(&self, s: &str) -> bool {
        self.text_fits(s) && self.key_text_chars.is_none_or(|n| s.chars().count() <= n)
    }

    /// Whether `v` can be stored in a float column.
    pub fn float_fits(&self, v: f64) -> bool {
        let magnitude_fits = match self.float_magnitude {
            Some((min, max)) if v.is_finite() && v != 0.0 => (min..=max).contains(&v.abs()),
            _ => true,
        };
        (self.float_nan || !v.is_nan())
            && (self.float_infinity || !v.is_infinite())
            && (self.negative_zero || !is_negative_zero(v))
            && magnitude_fits
    }

    /// Whether every float of `row` fits: a row that does not is refused
    /// whole with `Error::OutOfRange`.
    pub fn kinds_fit(&self, row: &crate::model::Kinds) -> bool {
        self.float_fits(f64::from(row.single))
            && self.float_fits(row.double)
            && row.maybe_double.is_none_or(|v| self.float_fits(v))
    }
}

/// Whether `v` is -0.0 (which `==` does not tell from 0.0).
pub fn is_negative_zero(v: f64) -> bool {
    v == 0.0 && v.is_sign_negative()
}

/// Whether two floats are the same value bit for bit (any NaN equals any
/// NaN: the payload is not kept everywhere); -0.0 and 0.0 differ.
pub fn same_float(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Whether two rows of `Kinds` are equal with their floats compared by
/// [`same_float`], so that a sign lost on zero is a difference.
pub fn same_kinds(a: &crate::model::Kinds, b: &crate::model::Kinds) -> bool {
    use crate::model::Kinds;
    let opt = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => same_float(x, y),
        (x, y) => x.is_none() && y.is_none(),
    };
    let no_floats = |k: &Kinds| Kinds {
        single: 0.0,
        double: 0.0,
        maybe_double: None,
        ..k.clone()
    };
    same_float(f64::from(a.single), f64::from(b.single))
        && same_float(a.double, b.double)
        && opt(a.maybe_double, b.maybe_double)
        && no_floats(a) == no_floats(b)
}
