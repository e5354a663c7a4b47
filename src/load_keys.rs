//! Matching loaded rows to their parents: hashable key values, and reading
//! or writing a row while picking out one column's key.

use crate::{
    ColumnType, DecodeError, Decoder, Entity, EntityDecoder, Field, Key, Result, Value,
    ValueReader, ValueWriter,
};

/// A key value in a form that can be hashed (integers of any width, and
/// decimals of any scale, compare equal by value) and ordered: numbers by
/// value, text and bytes byte by byte (the same on every database, whatever
/// its collation). Instants, dates and times are their integers, UUIDs
/// their bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HashKey {
    Int(i128),
    /// A decimal with digits after the point: its floor, and the digits
    /// after the point as a fraction of 10^38.
    Frac(i128, u128),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

impl HashKey {
    /// The kind's rank, then a number's (floor, fraction) or the value.
    fn rank(&self) -> u8 {
        match self {
            HashKey::Int(_) | HashKey::Frac(..) => 0,
            HashKey::Bool(_) => 1,
            HashKey::Text(_) => 2,
            HashKey::Bytes(_) => 3,
        }
    }

    fn number(&self) -> Option<(i128, u128)> {
        match self {
            HashKey::Int(n) => Some((*n, 0)),
            HashKey::Frac(n, f) => Some((*n, *f)),
            _ => None,
        }
    }
}

impl PartialOrd for HashKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HashKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (HashKey::Bool(a), HashKey::Bool(b)) => a.cmp(b),
            (HashKey::Text(a), HashKey::Text(b)) => a.cmp(b),
            (HashKey::Bytes(a), HashKey::Bytes(b)) => a.cmp(b),
            _ => match (self.number(), other.number()) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => self.rank().cmp(&other.rank()),
            },
        }
    }
}

/// The hash key of a decimal: an integer when it is whole.
fn decimal_key(n: crate::Numeric) -> HashKey {
    let unit = 10i128.pow(u32::from(n.scale()));
    let (whole, rest) = (n.mantissa().div_euclid(unit), n.mantissa().rem_euclid(unit));
    if rest == 0 {
        return HashKey::Int(whole);
    }
    // `rest` < 10^scale, so `rest × 10^(38 − scale)` < 10^38.
    let fraction = rest.unsigned_abs() * 10u128.pow(38 - u32::from(n.scale()));
    HashKey::Frac(whole, fraction)
}

/// Hashes the value alone, in one write for an integer that fits 64 bits (a
/// derived hash would also write the variant and 128 bits): keys of two
/// kinds that hash alike are told apart by `Eq`.
impl std::hash::Hash for HashKey {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            HashKey::Int(n) => match i64::try_from(*n) {
                Ok(n) => state.write_i64(n),
                Err(_) => state.write_i128(*n),
            },
            HashKey::Frac(n, f) => {
                state.write_i128(*n);
                state.write_u128(*f);
            }
            HashKey::Bool(b) => state.write_u8(u8::from(*b)),
            HashKey::Text(s) => s.hash(state),
            HashKey::Bytes(b) => b.hash(state),
        }
    }
}

/// The hash key of a value; `None` for NULL or a kind that is never a key.
pub(crate) fn hash_key(v: &Value) -> Option<HashKey> {
    Some(match v {
        Value::I16(n) => HashKey::Int((*n).into()),
        Value::I32(n) => HashKey::Int((*n).into()),
        Value::I64(n) => HashKey::Int((*n).into()),
        Value::U32(n) => HashKey::Int((*n).into()),
        Value::U64(n) => HashKey::Int((*n).into()),
        Value::Bool(b) => HashKey::Bool(*b),
        Value::Text(s) => HashKey::Text(s.clone()),
        Value::Bytes(b) => HashKey::Bytes(b.clone()),
        Value::Timestamp(n) | Value::DateTime(n) | Value::Time(n) => HashKey::Int((*n).into()),
        Value::Date(n) => HashKey::Int((*n).into()),
        Value::Uuid(b) => HashKey::Bytes(b.to_vec()),
        Value::Decimal(n) => decimal_key(*n),
        _ => return None,
    })
}

/// An entity's key in a form that orders (a key spans one or two columns).
pub(crate) type OrderKey = (Option<HashKey>, Option<HashKey>);

/// The key of `entity`, to order by.
pub(crate) fn order_key<E: Entity>(entity: &E) -> OrderKey {
    let mut parts = (None, None);
    let mut first = true;
    entity.key().for_each_value(|v| {
        let h = hash_key(&v);
        if first {
            parts.0 = h;
            first = false;
        } else {
            parts.1 = h;
        }
    });
    parts
}

/// Reads a row while keeping the hash key of one column's value.
struct Capture<'r, R> {
    inner: &'r mut R,
    at: usize,
    want: usize,
    got: Option<HashKey>,
}

impl<R: ValueReader> Capture<'_, R> {
    /// Counts a column read; `key` gives the hash key of the wanted one.
    #[inline]
    fn step(&mut self, key: impl FnOnce() -> Option<HashKey>) {
        if self.at == self.want {
            self.got = key();
        }
        self.at += 1;
    }
}

// Each method is inlined into the field's read, so that the capture costs a
// comparison per column; the wanted column's key is built out of line.
impl<R: ValueReader> ValueReader for Capture<'_, R> {
    #[inline]
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        let v = self.inner.next_value(ty)?;
        self.step(|| hash_key(&v));
        Ok(v)
    }
    #[inline]
    fn next_int(&mut self, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        let v = self.inner.next_int(ty)?;
        self.step(|| v.map(|n| HashKey::Int(n.into())));
        Ok(v)
    }
    #[inline]
    fn next_text(&mut self) -> Result<Option<String>, DecodeError> {
        let v = self.inner.next_text()?;
        self.step(|| v.as_deref().map(text_key));
        Ok(v)
    }
    fn position(&self) -> (&'static str, &str) {
        self.inner.position()
    }
}

#[inline(never)]
fn text_key(s: &str) -> HashKey {
    HashKey::Text(s.to_owned())
}

/// Takes one column's value from an entity's `write`, encoding no other.
pub(crate) struct Pick {
    at: usize,
    want: usize,
    got: Value,
}

impl Pick {
    /// The value `entity` writes to its column `at` (`Null` past its last).
    pub(crate) fn column<E: Entity>(entity: &E, at: usize) -> Result<Value> {
        let mut pick = Pick {
            at: 0,
            want: at,
            got: Value::Null,
        };
        crate::write_row(entity, &mut pick)?;
        Ok(pick.got)
    }

    /// Counts a column written; `value` gives the wanted one's value.
    #[inline]
    fn step(&mut self, value: impl FnOnce() -> Value) {
        if self.at == self.want {
            self.got = value();
        }
        self.at += 1;
    }
}

impl ValueWriter for Pick {
    fn put_value(&mut self, value: Value) {
        self.step(|| value);
    }

    #[inline]
    fn put<T: Field>(&mut self, value: &T) {
        self.step(|| value.to_value());
    }
}

/// Decodes an entity together with the hash key of one of its columns
/// (`None` for NULL or a kind that cannot be a key).
pub(crate) struct KeyedDecoder<E> {
    column: usize,
    entity: EntityDecoder<E>,
}

impl<E: Entity> KeyedDecoder<E> {
    /// Decodes `E` and keeps the key of its column `column`.
    pub(crate) fn new(column: usize) -> Self {
        KeyedDecoder {
            column,
            entity: EntityDecoder::new(),
        }
    }
}

impl<E: Entity> Decoder for KeyedDecoder<E> {
    type Output = (E, Option<HashKey>);
    fn decode(&self, row: &mut impl ValueReader) -> Result<(E, Option<HashKey>)> {
        let mut capture = Capture {
            inner: row,
            at: 0,
            want: self.column,
            got: None,
        };
        let entity = self.entity.decode(&mut capture)?;
        Ok((entity, capture.got))
    }
}

impl<E: Entity> Clone for KeyedDecoder<E> {
    fn clone(&self) -> Self {
        KeyedDecoder::new(self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Numeric;

    #[test]
    fn decimals_key_by_value() {
        let key = |s: &str| hash_key(&Value::Decimal(Numeric::parse(s).unwrap())).unwrap();
        assert_eq!(key("1.50"), key("1.5"));
        assert_eq!(key("7.00"), hash_key(&Value::U64(7)).unwrap());
        let mut keys = [key("2"), key("-1.5"), key("1.25"), key("-2"), key("1.5")];
        keys.sort();
        assert_eq!(
            keys,
            [key("-2"), key("-1.5"), key("1.25"), key("1.5"), key("2")]
        );
    }

    #[test]
    fn uuids_and_instants_are_keys() {
        let id = [7u8; 16];
        assert_eq!(
            hash_key(&Value::Uuid(id)),
            Some(HashKey::Bytes(id.to_vec()))
        );
        assert_eq!(hash_key(&Value::Timestamp(-3)), Some(HashKey::Int(-3)));
        assert_eq!(hash_key(&Value::Date(4)), Some(HashKey::Int(4)));
        assert!(hash_key(&Value::Json("1".into())).is_none());
    }
}
