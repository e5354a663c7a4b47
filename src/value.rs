//! The backend-neutral value model: what a column holds and what a statement binds.

use std::fmt;

use crate::{DecodeError, Numeric};

/// The storage type of a column, as declared in [`ColumnDef`](crate::ColumnDef).
///
/// Each backend maps these to its own types (see the backend crates' docs for the
/// table). Unsigned types are stored in the next signed type a backend has; a value
/// that does not fit is rejected with [`Error::OutOfRange`](crate::Error::OutOfRange),
/// never wrapped. A value read back that does not fit the field (a `u8` column
/// another program set to 300) is [`Error::Decode`](crate::Error::Decode).
///
/// `I8`, `U8` and `U16` have no [`Value`] variant of their own: their fields
/// bind a [`Value::I16`] (`i8`, `u8`) or a [`Value::I32`] (`u16`), which hold
/// every value exactly; the column type decides how the column is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnType {
    /// `bool`.
    Bool,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// UTF-8 text (`String`).
    Text,
    /// Raw bytes (`Vec<u8>`).
    Bytes,
    /// An instant, stored to the microsecond: `jiff::Timestamp`,
    /// `chrono::DateTime<Utc>`.
    Timestamp,
    /// A date and time of day without a time zone, to the microsecond:
    /// `jiff::civil::DateTime`, `chrono::NaiveDateTime`.
    DateTime,
    /// A calendar date: `jiff::civil::Date`, `chrono::NaiveDate`.
    Date,
    /// A time of day, to the microsecond: `jiff::civil::Time`,
    /// `chrono::NaiveTime`.
    Time,
    /// A UUID: `uuid::Uuid`.
    Uuid,
    /// An exact decimal of the precision and scale the column declares
    /// ([`Column::decimal`](crate::Column::decimal)): [`Numeric`],
    /// `rust_decimal::Decimal`.
    Decimal,
    /// A JSON document: `serde_json::Value`, `keyway::Json<T>` (the `json`
    /// feature).
    Json,
    /// A list of scalars of the element type (`Vec<T>`, see
    /// [`ListElement`](crate::ListElement)): a PostgreSQL array, a JSON
    /// array on SQLite and MySQL, a DynamoDB list (`L`).
    List(&'static ColumnType),
    /// An embedded struct of the given fields ([`Embedded`](crate::Embedded)):
    /// one column per field on SQL, named `{column}_{field}`, and one map
    /// (`M`) on DynamoDB.
    Struct(&'static [crate::ColumnDef]),
}

impl ColumnType {
    /// Every type that is not a list or a struct, each once.
    pub const SCALARS: &'static [ColumnType] = &[
        ColumnType::Bool,
        ColumnType::I8,
        ColumnType::I16,
        ColumnType::I32,
        ColumnType::I64,
        ColumnType::U8,
        ColumnType::U16,
        ColumnType::U32,
        ColumnType::U64,
        ColumnType::F32,
        ColumnType::F64,
        ColumnType::Text,
        ColumnType::Bytes,
        ColumnType::Timestamp,
        ColumnType::DateTime,
        ColumnType::Date,
        ColumnType::Time,
        ColumnType::Uuid,
        ColumnType::Decimal,
        ColumnType::Json,
    ];

    /// A number per type, for [`ColumnDef`](crate::ColumnDef)'s packed key
    /// (7 bits: every tag stays below 128).
    pub(crate) const fn tag(self) -> u8 {
        match self {
            ColumnType::Bool => 1,
            ColumnType::I8 => 2,
            ColumnType::I16 => 3,
            ColumnType::I32 => 4,
            ColumnType::I64 => 5,
            ColumnType::U8 => 6,
            ColumnType::U16 => 7,
            ColumnType::U32 => 8,
            ColumnType::U64 => 9,
            ColumnType::F32 => 10,
            ColumnType::F64 => 11,
            ColumnType::Text => 12,
            ColumnType::Bytes => 13,
            ColumnType::Timestamp => 14,
            ColumnType::DateTime => 15,
            ColumnType::Date => 16,
            ColumnType::Time => 17,
            ColumnType::Uuid => 18,
            ColumnType::Decimal => 19,
            ColumnType::Json => 20,
            ColumnType::List(_) => 21,
            ColumnType::Struct(_) => 22,
        }
    }

    /// A short lower-case name, used in error messages.
    pub const fn name(self) -> &'static str {
        match self {
            ColumnType::Bool => "bool",
            ColumnType::I8 => "i8",
            ColumnType::I16 => "i16",
            ColumnType::I32 => "i32",
            ColumnType::I64 => "i64",
            ColumnType::U8 => "u8",
            ColumnType::U16 => "u16",
            ColumnType::U32 => "u32",
            ColumnType::U64 => "u64",
            ColumnType::F32 => "f32",
            ColumnType::F64 => "f64",
            ColumnType::Text => "text",
            ColumnType::Bytes => "bytes",
            ColumnType::Timestamp => "timestamp",
            ColumnType::DateTime => "datetime",
            ColumnType::Date => "date",
            ColumnType::Time => "time",
            ColumnType::Uuid => "uuid",
            ColumnType::Decimal => "decimal",
            ColumnType::Json => "json",
            ColumnType::List(_) => "list",
            ColumnType::Struct(_) => "struct",
        }
    }

    /// Whether this is one of the integer types.
    pub const fn is_integer(self) -> bool {
        matches!(
            self,
            ColumnType::I8
                | ColumnType::I16
                | ColumnType::I32
                | ColumnType::I64
                | ColumnType::U8
                | ColumnType::U16
                | ColumnType::U32
                | ColumnType::U64
        )
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The microseconds in a day: a [`Value::Time`] is below it.
pub const MICROS_PER_DAY: i64 = 86_400_000_000;

/// One value bound to a statement or read from a row.
///
/// Values are always sent to the database as bound parameters; no SQL text is ever
/// built from a `Value`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// SQL `NULL` / an absent attribute.
    Null,
    /// A boolean.
    Bool(bool),
    /// A 16-bit signed integer.
    I16(i16),
    /// A 32-bit signed integer.
    I32(i32),
    /// A 64-bit signed integer.
    I64(i64),
    /// A 32-bit unsigned integer.
    U32(u32),
    /// A 64-bit unsigned integer.
    U64(u64),
    /// A 32-bit float.
    F32(f32),
    /// A 64-bit float.
    F64(f64),
    /// UTF-8 text.
    Text(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// An instant: microseconds since 1970-01-01T00:00:00Z.
    Timestamp(i64),
    /// A date and time of day without a zone: microseconds since
    /// 1970-01-01T00:00:00 on the same (zone-less) clock.
    DateTime(i64),
    /// A calendar date: days since 1970-01-01.
    Date(i32),
    /// A time of day: microseconds since midnight, below 86 400 000 000.
    Time(i64),
    /// A UUID's 16 bytes.
    Uuid([u8; 16]),
    /// An exact decimal.
    Decimal(Numeric),
    /// A JSON document, as its text.
    Json(String),
    /// A list of scalars, each a value of the list's element type.
    List(Vec<Value>),
    /// An embedded struct: one value per field, in the order of its
    /// [`Embedded::FIELDS`](crate::Embedded::FIELDS).
    Struct(Vec<Value>),
    /// A value that cannot be stored as it is, and why: a `Json<T>` whose
    /// `Serialize` failed, an [`Enum`](crate::Enum) variant missing from its
    /// `VARIANTS`, a decimal filter value beyond its column's scale. Every
    /// backend refuses it with [`Error::OutOfRange`](crate::Error::OutOfRange)
    /// naming the column, and stores nothing.
    Unencodable(String),
}

impl Value {
    /// Whether this value is [`Value::Null`] (an [`Value::Unencodable`]
    /// is not).
    pub const fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The column type this value naturally belongs to, or `None` for `Null`.
    pub const fn column_type(&self) -> Option<ColumnType> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(_) => ColumnType::Bool,
            Value::I16(_) => ColumnType::I16,
            Value::I32(_) => ColumnType::I32,
            Value::I64(_) => ColumnType::I64,
            Value::U32(_) => ColumnType::U32,
            Value::U64(_) => ColumnType::U64,
            Value::F32(_) => ColumnType::F32,
            Value::F64(_) => ColumnType::F64,
            Value::Text(_) => ColumnType::Text,
            Value::Bytes(_) => ColumnType::Bytes,
            Value::Timestamp(_) => ColumnType::Timestamp,
            Value::DateTime(_) => ColumnType::DateTime,
            Value::Date(_) => ColumnType::Date,
            Value::Time(_) => ColumnType::Time,
            Value::Uuid(_) => ColumnType::Uuid,
            Value::Decimal(_) => ColumnType::Decimal,
            Value::Json(_) => ColumnType::Json,
            // The element type is the column's.
            Value::List(_) => ColumnType::List(&ColumnType::Text),
            // The fields are the column's.
            Value::Struct(_) => ColumnType::Struct(&[]),
            Value::Unencodable(_) => return None,
        })
    }

    /// The value as an `i64` when it is an integer that fits, for backends whose
    /// integers are 64-bit signed.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::I16(v) => Some(v.into()),
            Value::I32(v) => Some(v.into()),
            Value::I64(v) => Some(v),
            Value::U32(v) => Some(v.into()),
            Value::U64(v) => i64::try_from(v).ok(),
            _ => None,
        }
    }

    /// The value read by an integer field of column type `ty` no wider than
    /// 64 signed bits: `None` for `Null`; a `u64` beyond `i64::MAX` is out of
    /// range, any other kind a mismatch. The default of
    /// [`ValueReader::next_int`](crate::ValueReader::next_int).
    pub fn into_int(self, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        if let Some(n) = self.as_i64() {
            return Ok(Some(n));
        }
        match self {
            Value::Null => Ok(None),
            Value::U64(v) => Err(DecodeError::OutOfRange {
                expected: ty,
                value: v.to_string(),
            }),
            // A whole NUMERIC (PostgreSQL's, read by raw SQL).
            Value::Decimal(n) => {
                let whole = n.rescale(0).ok_or_else(|| DecodeError::OutOfRange {
                    expected: ty,
                    value: n.to_string(),
                })?;
                i64::try_from(whole.mantissa())
                    .map(Some)
                    .map_err(|_| DecodeError::OutOfRange {
                        expected: ty,
                        value: whole.mantissa().to_string(),
                    })
            }
            other => Err(DecodeError::mismatch(ty, &other)),
        }
    }

    /// The value read by a text field: `None` for `Null`, any other kind a
    /// mismatch. The default of [`ValueReader::next_text`](crate::ValueReader::next_text).
    pub fn into_text(self) -> Result<Option<String>, DecodeError> {
        match self {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s)),
            other => Err(DecodeError::mismatch(ColumnType::Text, &other)),
        }
    }

    /// A short description of the value's kind, used in error messages.
    pub const fn kind(&self) -> &'static str {
        match self.column_type() {
            Some(t) => t.name(),
            None if matches!(self, Value::Unencodable(_)) => "unencodable",
            None => "null",
        }
    }

    /// A time of day of `column` of `entity`, in microseconds since
    /// midnight: refused with [`Error::OutOfRange`](crate::Error::OutOfRange)
    /// unless it is within the day (a time that no backend stores).
    pub fn check_time(entity: &'static str, column: &str, micros: i64) -> crate::Result<i64> {
        if (0..MICROS_PER_DAY).contains(&micros) {
            return Ok(micros);
        }
        Err(crate::Error::OutOfRange {
            entity,
            column: column.to_owned(),
            detail: format!("a time of day of {micros} microseconds is not within a day"),
        })
    }

    /// The error a backend gives for an [`Value::Unencodable`] value of
    /// `column`.
    #[cold]
    pub fn unencodable(entity: &'static str, column: &str, why: &str) -> crate::Error {
        crate::Error::OutOfRange {
            entity,
            column: column.to_owned(),
            detail: why.to_owned(),
        }
    }
}
