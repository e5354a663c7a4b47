//! `Numeric`: an exact decimal number, as keyway hands it to backends.

use std::fmt;

/// The most digits a [`Numeric`] holds (the digits of `i128::MAX`, less one
/// so that every 38-digit mantissa fits).
pub const MAX_DIGITS: u8 = 38;

/// An exact decimal: `mantissa × 10^-scale`, as a decimal field hands it to a
/// backend and a backend hands it back. It holds up to 38 significant digits.
///
/// ```
/// use keyway::Numeric;
/// let price = Numeric::parse("-12.50").unwrap();
/// assert_eq!((price.mantissa(), price.scale()), (-1250, 2));
/// assert_eq!(price.to_string(), "-12.50");
/// assert_eq!(price.rescale(4).unwrap().to_string(), "-12.5000");
/// // Dropping a digit that is not zero would round: refused.
/// assert!(Numeric::parse("1.25").unwrap().rescale(1).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Numeric {
    mantissa: i128,
    scale: u8,
}

impl Numeric {
    /// `mantissa × 10^-scale`; `None` beyond 38 digits or a scale above 38.
    pub const fn new(mantissa: i128, scale: u8) -> Option<Self> {
        if scale > MAX_DIGITS || mantissa.unsigned_abs() >= 10u128.pow(MAX_DIGITS as u32) {
            return None;
        }
        Some(Numeric { mantissa, scale })
    }

    /// The digits, as an integer.
    pub const fn mantissa(self) -> i128 {
        self.mantissa
    }

    /// How many of the digits are after the decimal point.
    pub const fn scale(self) -> u8 {
        self.scale
    }

    /// How many digits the mantissa has (0 has one).
    pub const fn digits(self) -> u8 {
        let mut n = self.mantissa.unsigned_abs();
        let mut digits = 1;
        while n >= 10 {
            n /= 10;
            digits += 1;
        }
        digits
    }

    /// The same number with `scale` digits after the point: `None` if that
    /// would drop a digit that is not zero (a rounding) or exceed 38 digits.
    pub fn rescale(self, scale: u8) -> Option<Self> {
        if scale >= self.scale {
            let factor = 10i128.checked_pow(u32::from(scale - self.scale))?;
            Numeric::new(self.mantissa.checked_mul(factor)?, scale)
        } else {
            let factor = 10i128.pow(u32::from(self.scale - scale));
            (self.mantissa % factor == 0).then_some(Numeric {
                mantissa: self.mantissa / factor,
                scale,
            })
        }
    }

    /// The number at the `scale` of a `DECIMAL(precision, scale)` column, or
    /// why it does not fit there unchanged: more digits after the point than
    /// `scale` (it would be rounded), or more than `precision` in all.
    pub fn fit(self, precision: u8, scale: u8) -> Result<Self, String> {
        let Some(fitted) = self.rescale(scale) else {
            return Err(format!(
                "{self} has more than {scale} digits after the decimal point (DECIMAL({precision}, {scale})); round it first"
            ));
        };
        if fitted.mantissa != 0 && fitted.digits() > precision {
            return Err(format!(
                "{self} has more than {precision} digits in all (DECIMAL({precision}, {scale}))"
            ));
        }
        Ok(fitted)
    }

    /// Compares by value (`1.5` and `1.50` are equal); `None` when one
    /// cannot be brought to the other's scale within 38 digits.
    ///
    /// ```
    /// use keyway::Numeric;
    /// use std::cmp::Ordering;
    /// let n = |s| Numeric::parse(s).unwrap();
    /// assert_eq!(n("1.5").cmp_value(n("1.50")), Some(Ordering::Equal));
    /// assert_eq!(n("-2").cmp_value(n("1.25")), Some(Ordering::Less));
    /// ```
    pub fn cmp_value(self, other: Self) -> Option<std::cmp::Ordering> {
        let scale = self.scale.max(other.scale);
        Some(
            self.rescale(scale)?
                .mantissa
                .cmp(&other.rescale(scale)?.mantissa),
        )
    }

    /// The number without trailing zeros after the point (`1.50` → `1.5`).
    pub fn normalize(self) -> Self {
        let mut n = self;
        while n.scale > 0 && n.mantissa % 10 == 0 {
            n.mantissa /= 10;
            n.scale -= 1;
        }
        n
    }

    /// Reads a decimal number: an optional sign, digits with at most one
    /// point, and an optional exponent (`1.5E+3`), as databases print them.
    /// `None` for anything else or beyond 38 digits.
    pub fn parse(text: &str) -> Option<Self> {
        let (number, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, digits) = match number.as_bytes().first()? {
            b'-' => (true, &number[1..]),
            b'+' => (false, &number[1..]),
            _ => (false, number),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(b - b'0'))?;
        }
        if negative {
            mantissa = -mantissa;
        }
        let scale = i32::try_from(fraction.len()).ok()?.checked_sub(exponent)?;
        if scale < 0 {
            let factor = 10i128.checked_pow(u32::try_from(scale.checked_neg()?).ok()?)?;
            return Numeric::new(mantissa.checked_mul(factor)?, 0);
        }
        let scale = u8::try_from(scale).ok()?;
        match Numeric::new(mantissa, scale) {
            Some(n) => Some(n),
            // Trailing zeros beyond 38 places (`0.000…0`) carry no digit.
            None => Numeric { mantissa, scale }.normalize_within_limits(),
        }
    }

    fn normalize_within_limits(self) -> Option<Self> {
        let mut n = self;
        while n.scale > MAX_DIGITS && n.mantissa % 10 == 0 {
            n.mantissa /= 10;
            n.scale -= 1;
        }
        Numeric::new(n.mantissa, n.scale)
    }
}

impl fmt::Display for Numeric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::from(self.scale);
        if self.mantissa < 0 {
            f.write_str("-")?;
        }
        if scale == 0 {
            return f.write_str(&digits);
        }
        if digits.len() > scale {
            let (whole, fraction) = digits.split_at(digits.len() - scale);
            write!(f, "{whole}.{fraction}")
        } else {
            write!(f, "0.{}{digits}", "0".repeat(scale - digits.len()))
        }
    }
}
