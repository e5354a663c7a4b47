//! Primary keys: a scalar, or a (partition, sort) pair.

use crate::{DecodeError, NotNull, Value};

/// The type of an entity's primary key.
///
/// Implemented for the non-null scalar [`Field`](crate::Field)s (a single-column key): the
/// integers but `i8`, `u8` and `u16`, `bool`, `String`, `Vec<u8>`,
/// [`Numeric`](crate::Numeric), and with their features `uuid::Uuid`,
/// `rust_decimal::Decimal`, jiff's `Timestamp`, `civil::Date` and
/// `civil::DateTime`, and chrono's `DateTime<Utc>`, `NaiveDate` and
/// `NaiveDateTime`; and for `(P, S)` pairs (a composite partition + sort key, in that order).
pub trait Key: Clone + Send + Sync + 'static {
    /// How many columns the key spans (1 or 2).
    const ARITY: usize;
    /// Hands each of the key's values to `f`, in key-column order.
    fn for_each_value(&self, f: impl FnMut(Value));
    /// Rebuilds a key from its values, in key-column order.
    fn from_values(values: impl IntoIterator<Item = Value>) -> Result<Self, DecodeError>;
}

/// A scalar usable as a key or key part.
pub trait KeyPart: NotNull + Clone {}

macro_rules! key_part {
    ($($t:ty),*) => {$(
        impl $crate::KeyPart for $t {}
        impl $crate::Key for $t {
            const ARITY: usize = 1;
            fn for_each_value(&self, mut f: impl FnMut($crate::Value)) {
                f($crate::Field::to_value(self));
            }
            fn from_values(
                values: impl IntoIterator<Item = $crate::Value>,
            ) -> Result<Self, $crate::DecodeError> {
                let v = values.into_iter().next().ok_or($crate::DecodeError::MissingColumn(0))?;
                <$t as $crate::Field>::from_value(v)
            }
        }
    )*};
}

// For the feature-gated value types' keys.
#[cfg(any(
    feature = "jiff",
    feature = "chrono",
    feature = "uuid",
    feature = "decimal"
))]
pub(crate) use key_part;

key_part!(
    bool,
    i16,
    i32,
    i64,
    u32,
    u64,
    String,
    Vec<u8>,
    crate::Numeric
);

impl<P: KeyPart, S: KeyPart> Key for (P, S) {
    const ARITY: usize = 2;
    fn for_each_value(&self, mut f: impl FnMut(Value)) {
        f(self.0.to_value());
        f(self.1.to_value());
    }
    fn from_values(values: impl IntoIterator<Item = Value>) -> Result<Self, DecodeError> {
        let mut it = values.into_iter();
        let p = it.next().ok_or(DecodeError::MissingColumn(0))?;
        let s = it.next().ok_or(DecodeError::MissingColumn(1))?;
        Ok((P::from_value(p)?, S::from_value(s)?))
    }
}
