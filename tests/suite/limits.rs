//! What a backend cannot store unchanged, passed in by its instantiation: the
//! round trips leave those values out, and `values::unstorable_values_are_refused`
//! proves that each is refused with a clear `Error::OutOfRange`.

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
            && magnitude_fits
    }
}
