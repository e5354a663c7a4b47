//! Rust types that a column can hold, and their conversion to and from [`Value`].

use crate::{ColumnType, DecodeError, Value, ValueReader, ValueWriter};

/// A Rust type that a column can hold.
///
/// Implemented for `bool`, `i8`, `i16`, `i32`, `i64`, `u8`, `u16`, `u32`,
/// `u64`, `f32`, `f64`, `String`, `Vec<u8>` and `Option` of each. `i8` and
/// `u8` are encoded as [`Value::I16`], `u16` as [`Value::I32`] (see
/// [`ColumnType`]); a value read back that does not fit the field is a
/// [`DecodeError::OutOfRange`], never wrapped. Implement it (and [`NotNull`]) for
/// your own newtypes or enums to store them in one of the [`ColumnType`]s.
///
/// ```
/// use keyway::{ColumnType, DecodeError, Field, NotNull, Value};
///
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Priority { Low, High }
///
/// impl Field for Priority {
///     const TYPE: ColumnType = ColumnType::Text;
///     fn to_value(&self) -> Value {
///         Value::Text(match self { Priority::Low => "low", Priority::High => "high" }.into())
///     }
///     fn from_value(value: Value) -> Result<Self, DecodeError> {
///         match String::from_value(value)?.as_str() {
///             "low" => Ok(Priority::Low),
///             "high" => Ok(Priority::High),
///             other => Err(DecodeError::Invalid(format!("unknown priority {other:?}"))),
///         }
///     }
/// }
/// impl NotNull for Priority {}
///
/// assert_eq!(Priority::from_value(Value::Text("high".into())).unwrap(), Priority::High);
/// assert!(Priority::from_value(Value::Text("urgent".into())).is_err());
/// ```
pub trait Field: Sized + Send + Sync + 'static {
    /// The storage type of the column.
    const TYPE: ColumnType;
    /// Whether the column admits `NULL` (true only for `Option<T>`).
    const NULLABLE: bool = false;

    /// Encodes a borrowed value.
    fn to_value(&self) -> Value;

    /// Encodes an owned value (no copy for strings and bytes).
    #[inline]
    fn into_value(self) -> Value {
        self.to_value()
    }

    /// Decodes a value read from the database.
    fn from_value(value: Value) -> Result<Self, DecodeError>;

    /// Writes the field as the next column of `row`. The default hands
    /// [`to_value`](Self::to_value) to [`ValueWriter::put_value`]; text and
    /// bytes fields lend their contents to [`ValueWriter::put_text`] and
    /// [`ValueWriter::put_bytes`] instead, which a backend may encode without
    /// a copy. It must write what `to_value` encodes.
    #[inline]
    fn write(&self, row: &mut (impl ValueWriter + ?Sized)) {
        row.put_value(self.to_value());
    }

    /// Reads the field from the next column of `row`. The default decodes
    /// [`ValueReader::next_value`] with [`from_value`](Self::from_value); the
    /// integer and text fields read through the reader's typed methods
    /// instead, which a backend may serve without building a [`Value`].
    #[inline]
    fn read(row: &mut (impl ValueReader + ?Sized)) -> Result<Self, DecodeError> {
        row.next_value(Self::TYPE).and_then(Self::from_value)
    }

    /// Reads the field from the next column of `row`, `None` for NULL: how
    /// `Option<Self>` reads.
    #[inline]
    fn read_nullable(row: &mut (impl ValueReader + ?Sized)) -> Result<Option<Self>, DecodeError> {
        match row.next_value(Self::TYPE)? {
            Value::Null => Ok(None),
            v => Self::from_value(v).map(Some),
        }
    }
}

/// Marks a [`Field`] that is never `NULL`: every field type except `Option<T>`.
///
/// `Option<T>` is a field for every `T: NotNull`, so `Option<Option<T>>` is not.
pub trait NotNull: Field {}

/// Marks a nullable column type, the only kind `is_null` / `is_not_null` accept.
#[diagnostic::on_unimplemented(
    message = "`is_null` / `is_not_null` need a nullable column, but this column holds `{Self}`",
    label = "a `{Self}` column is never NULL",
    note = "declare the field and its column handle as `Option<{Self}>` if it may be absent"
)]
pub trait Nullable: Field {}

impl<T: NotNull> Nullable for Option<T> {}

/// A Rust value that can be compared with (or stored in) a column holding `T`.
///
/// `T` itself, `&str` for text columns, and `T` or `Option<T>` for nullable columns.
#[diagnostic::on_unimplemented(
    message = "cannot use a value of type `{Self}` with a column of type `{T}`",
    label = "expected a `{T}` here",
    note = "a column is compared with, or set to, values of its own type only: convert the value first"
)]
pub trait ValueFor<T> {
    /// Converts the value for binding.
    fn into_value(self) -> Value;
}

impl<T: Field> ValueFor<T> for T {
    #[inline]
    fn into_value(self) -> Value {
        Field::into_value(self)
    }
}

impl<T: NotNull> ValueFor<Option<T>> for T {
    #[inline]
    fn into_value(self) -> Value {
        Field::into_value(self)
    }
}

impl ValueFor<String> for &str {
    #[inline]
    fn into_value(self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ValueFor<Option<String>> for &str {
    #[inline]
    fn into_value(self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ValueFor<Vec<u8>> for &[u8] {
    #[inline]
    fn into_value(self) -> Value {
        Value::Bytes(self.to_vec())
    }
}

#[inline]
fn int_from_value<T: TryFrom<i128>>(value: Value, ty: ColumnType) -> Result<T, DecodeError> {
    let wide: i128 = match value {
        Value::I16(v) => v.into(),
        Value::I32(v) => v.into(),
        Value::I64(v) => v.into(),
        Value::U32(v) => v.into(),
        Value::U64(v) => v.into(),
        // PostgreSQL's NUMERIC, read by raw SQL or for a `u64` column.
        Value::Decimal(n) => match n.rescale(0) {
            Some(whole) => whole.mantissa(),
            None => {
                return Err(DecodeError::OutOfRange {
                    expected: ty,
                    value: n.to_string(),
                });
            }
        },
        other => return Err(DecodeError::mismatch(ty, &other)),
    };
    T::try_from(wide).map_err(|_| DecodeError::OutOfRange {
        expected: ty,
        value: wide.to_string(),
    })
}

/// `Field` for an integer type `$t` of column type `$ct`, encoded as
/// `Value::$ct`, or as `Value::$variant` (a wider variant) when given.
macro_rules! int_field {
    ($($t:ident => $ct:ident $(as $variant:ident)?),* $(,)?) => {$(
        impl Field for $t {
            const TYPE: ColumnType = ColumnType::$ct;
            #[inline]
            fn to_value(&self) -> Value {
                int_field!(@encode *self, $ct $(, $variant)?)
            }
            #[inline]
            fn from_value(value: Value) -> Result<Self, DecodeError> {
                int_from_value(value, ColumnType::$ct)
            }
            int_field!(@read $t, $ct);
        }
        impl NotNull for $t {}
    )*};
    (@encode $v:expr, $ct:ident) => { Value::$ct($v) };
    (@encode $v:expr, $ct:ident, $variant:ident) => { Value::$variant($v.into()) };
    // u64 reads through `Value`: `next_int` holds only 64 signed bits.
    (@read u64, $ct:ident) => {};
    (@read $t:ident, $ct:ident) => {
        #[inline]
        fn read(row: &mut (impl ValueReader + ?Sized)) -> Result<Self, DecodeError> {
            Self::read_nullable(row)?.ok_or(DecodeError::UnexpectedNull)
        }
        #[inline]
        fn read_nullable(row: &mut (impl ValueReader + ?Sized)) -> Result<Option<Self>, DecodeError> {
            row.next_int(ColumnType::$ct)?
                .map(|wide| {
                    <$t>::try_from(wide).map_err(|_| DecodeError::OutOfRange {
                        expected: ColumnType::$ct,
                        value: wide.to_string(),
                    })
                })
                .transpose()
        }
    };
}

int_field!(
    i8 => I8 as I16,
    i16 => I16,
    i32 => I32,
    i64 => I64,
    u8 => U8 as I16,
    u16 => U16 as I32,
    u32 => U32,
    u64 => U64,
);

impl Field for bool {
    const TYPE: ColumnType = ColumnType::Bool;
    #[inline]
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    #[inline]
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Bool(b) => Ok(b),
            // SQL backends without a boolean type store 0 / 1.
            ref v @ (Value::I16(_)
            | Value::I32(_)
            | Value::I64(_)
            | Value::U32(_)
            | Value::U64(_)) => match v.as_i64() {
                Some(0) => Ok(false),
                Some(1) => Ok(true),
                _ => Err(DecodeError::OutOfRange {
                    expected: ColumnType::Bool,
                    value: format!("{v:?}"),
                }),
            },
            other => Err(DecodeError::mismatch(ColumnType::Bool, &other)),
        }
    }
}
impl NotNull for bool {}

impl Field for f64 {
    const TYPE: ColumnType = ColumnType::F64;
    #[inline]
    fn to_value(&self) -> Value {
        Value::F64(*self)
    }
    #[inline]
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::F64(v) => Ok(v),
            Value::F32(v) => Ok(v.into()),
            other => Err(DecodeError::mismatch(ColumnType::F64, &other)),
        }
    }
}
impl NotNull for f64 {}

impl Field for f32 {
    const TYPE: ColumnType = ColumnType::F32;
    #[inline]
    fn to_value(&self) -> Value {
        Value::F32(*self)
    }
    #[inline]
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::F32(v) => Ok(v),
            Value::F64(v) => {
                // Backends that only have doubles hand back the widened f32: narrowing
                // it is exact. Any other double would change, so it is refused.
                let narrow = v as f32;
                if f64::from(narrow) == v || v.is_nan() {
                    Ok(narrow)
                } else {
                    Err(DecodeError::OutOfRange {
                        expected: ColumnType::F32,
                        value: v.to_string(),
                    })
                }
            }
            other => Err(DecodeError::mismatch(ColumnType::F32, &other)),
        }
    }
}
impl NotNull for f32 {}

impl Field for String {
    const TYPE: ColumnType = ColumnType::Text;
    #[inline]
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
    #[inline]
    fn into_value(self) -> Value {
        Value::Text(self)
    }
    #[inline]
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Text(s) => Ok(s),
            other => Err(DecodeError::mismatch(ColumnType::Text, &other)),
        }
    }
    #[inline]
    fn write(&self, row: &mut (impl ValueWriter + ?Sized)) {
        row.put_text(self);
    }
    #[inline]
    fn read(row: &mut (impl ValueReader + ?Sized)) -> Result<Self, DecodeError> {
        row.next_text()?.ok_or(DecodeError::UnexpectedNull)
    }
    #[inline]
    fn read_nullable(row: &mut (impl ValueReader + ?Sized)) -> Result<Option<Self>, DecodeError> {
        row.next_text()
    }
}
impl NotNull for String {}

impl Field for Vec<u8> {
    const TYPE: ColumnType = ColumnType::Bytes;
    #[inline]
    fn to_value(&self) -> Value {
        Value::Bytes(self.clone())
    }
    #[inline]
    fn into_value(self) -> Value {
        Value::Bytes(self)
    }
    #[inline]
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Bytes(b) => Ok(b),
            other => Err(DecodeError::mismatch(ColumnType::Bytes, &other)),
        }
    }
    #[inline]
    fn write(&self, row: &mut (impl ValueWriter + ?Sized)) {
        row.put_bytes(self);
    }
}
impl NotNull for Vec<u8> {}

impl<T: NotNull> Field for Option<T> {
    const TYPE: ColumnType = T::TYPE;
    const NULLABLE: bool = true;
    #[inline]
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
    #[inline]
    fn into_value(self) -> Value {
        self.map_or(Value::Null, T::into_value)
    }
    #[inline]
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
    #[inline]
    fn write(&self, row: &mut (impl ValueWriter + ?Sized)) {
        match self {
            Some(value) => value.write(row),
            None => row.put_value(Value::Null),
        }
    }
    #[inline]
    fn read(row: &mut (impl ValueReader + ?Sized)) -> Result<Self, DecodeError> {
        T::read_nullable(row)
    }
    #[inline]
    fn read_nullable(row: &mut (impl ValueReader + ?Sized)) -> Result<Option<Self>, DecodeError> {
        T::read_nullable(row).map(Some)
    }
}
