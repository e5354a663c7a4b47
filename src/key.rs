//! Primary keys: a scalar, or a (partition, sort) pair.

use crate::{DecodeError, Field, NotNull, Value};

/// The type of an entity's primary key.
///
/// Implemented for every non-null scalar [`Field`] (a single-column key) and for
/// `(P, S)` pairs (a composite partition + sort key, in that order).
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
        impl KeyPart for $t {}
        impl Key for $t {
            const ARITY: usize = 1;
            fn for_each_value(&self, mut f: impl FnMut(Value)) {
                f(self.to_value());
            }
            fn from_values(values: impl IntoIterator<Item = Value>) -> Result<Self, DecodeError> {
                let v = values.into_iter().next().ok_or(DecodeError::MissingColumn(0))?;
                <$t>::from_value(v)
            }
        }
    )*};
}

key_part!(bool, i16, i32, i64, u32, u64, String, Vec<u8>);

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
