//! Enums stored as text or as integers, through a trait implemented by hand.

use crate::{ColumnType, DecodeError, Field, NotNull, Value};

/// An enum stored in one column, as text or as an integer: list each
/// variant with the value that stores it, and the enum is a [`Field`].
///
/// A stored value that no variant has is [`Error::Decode`](crate::Error::Decode)
/// naming the entity and column (another program wrote it, or a variant was
/// removed): never a default.
///
/// ```
/// use keyway::{Enum, Field, Value};
///
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// pub enum Status { Open, Done }
///
/// impl Enum for Status {
///     type Repr = &'static str; // stored as text; `i32` / `i64` store integers
///     const VARIANTS: &'static [(Self, &'static str)] = &[(Status::Open, "open"), (Status::Done, "done")];
/// }
///
/// assert_eq!(Status::Done.to_value(), Value::Text("done".into()));
/// assert_eq!(Status::from_value(Value::Text("open".into())).unwrap(), Status::Open);
/// let unknown = Status::from_value(Value::Text("archived".into())).unwrap_err();
/// assert_eq!(unknown.to_string(), "\"archived\" is not a stored value of `Status` (open, done)");
/// ```
pub trait Enum: Copy + PartialEq + Send + Sync + 'static {
    /// How a variant is stored: `&'static str` (a text column), `i32` or
    /// `i64` (an integer column).
    type Repr: EnumRepr;
    /// Each variant and the value that stores it: every variant once, every
    /// value once.
    const VARIANTS: &'static [(Self, Self::Repr)];
}

/// What an [`Enum`] variant is stored as: `&'static str`, `i32` or `i64`.
pub trait EnumRepr: Copy + PartialEq + std::fmt::Debug + Send + Sync + 'static {
    /// The column type.
    #[doc(hidden)]
    const TYPE: ColumnType;
    /// The stored value.
    #[doc(hidden)]
    fn to_value(self) -> Value;
    /// Whether `value` is this one.
    #[doc(hidden)]
    fn is(self, value: &Value) -> bool;
    /// The variant's value for the error naming the stored ones.
    #[doc(hidden)]
    fn show(self) -> String;
}

impl EnumRepr for &'static str {
    const TYPE: ColumnType = ColumnType::Text;
    fn to_value(self) -> Value {
        Value::Text(self.to_owned())
    }
    fn is(self, value: &Value) -> bool {
        matches!(value, Value::Text(t) if t == self)
    }
    fn show(self) -> String {
        self.to_owned()
    }
}

macro_rules! int_repr {
    ($($t:ident => $ct:ident),*) => {$(
        impl EnumRepr for $t {
            const TYPE: ColumnType = ColumnType::$ct;
            fn to_value(self) -> Value {
                Value::$ct(self)
            }
            fn is(self, value: &Value) -> bool {
                value.as_i64() == Some(i64::from(self))
            }
            fn show(self) -> String {
                self.to_string()
            }
        }
    )*};
}
int_repr!(i32 => I32, i64 => I64);

impl<T: Enum> Field for T {
    const TYPE: ColumnType = T::Repr::TYPE;
    fn to_value(&self) -> Value {
        match T::VARIANTS.iter().find(|(v, _)| v == self) {
            Some((_, repr)) => repr.to_value(),
            None => Value::Unencodable(format!(
                "a `{}` variant that `VARIANTS` does not list",
                crate::schema::short_type_name::<T>()
            )),
        }
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        if let Some((variant, _)) = T::VARIANTS.iter().find(|(_, repr)| repr.is(&value)) {
            return Ok(*variant);
        }
        if value.is_null() {
            return Err(DecodeError::UnexpectedNull);
        }
        let stored: Vec<String> = T::VARIANTS.iter().map(|(_, r)| r.show()).collect();
        let shown = match &value {
            Value::Text(t) => format!("{t:?}"),
            other => other
                .as_i64()
                .map_or_else(|| other.kind().to_owned(), |n| n.to_string()),
        };
        Err(DecodeError::Invalid(format!(
            "{shown} is not a stored value of `{}` ({})",
            crate::schema::short_type_name::<T>(),
            stored.join(", ")
        )))
    }
}
impl<T: Enum> NotNull for T {}
