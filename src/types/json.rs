//! JSON documents: `serde_json::Value`, and `Json<T>` for any
//! `T: Serialize + DeserializeOwned`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{ColumnType, DecodeError, Field, NotNull, Value, ValueReader};

/// A JSON document of type `T`, stored in a JSON column (PostgreSQL
/// `jsonb`, MySQL `JSON`, SQLite JSON text, a DynamoDB map).
///
/// ```
/// use keyway::{Field, Json, Value};
/// #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Settings { theme: String, digest: bool }
///
/// let settings = Json(Settings { theme: "dark".into(), digest: true });
/// assert_eq!(settings.to_value(), Value::Json(r#"{"theme":"dark","digest":true}"#.into()));
/// let back = Json::<Settings>::from_value(settings.to_value()).unwrap();
/// assert_eq!(back.0.theme, "dark");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Json<T>(pub T);

fn json_text(value: &impl Serialize) -> Value {
    match serde_json::to_string(value) {
        Ok(text) => Value::Json(text),
        Err(e) => Value::Unencodable(format!("its `Serialize` failed: {e}")),
    }
}

fn parse_text<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    serde_json::from_str(text).map_err(|e| DecodeError::Invalid(e.to_string()))
}

/// Reads a document straight from the reader's text, without a copy.
#[inline]
fn read_json<T: DeserializeOwned>(
    row: &mut (impl ValueReader + ?Sized),
) -> Result<Option<T>, DecodeError> {
    row.next_json(&mut parse_text::<T>)
}

fn parse<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    match value {
        Value::Json(text) => {
            serde_json::from_str(&text).map_err(|e| DecodeError::Invalid(e.to_string()))
        }
        other => Err(DecodeError::mismatch(ColumnType::Json, &other)),
    }
}

impl<T: Serialize + DeserializeOwned + Send + Sync + 'static> Field for Json<T> {
    const TYPE: ColumnType = ColumnType::Json;
    fn to_value(&self) -> Value {
        json_text(&self.0)
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        parse(value).map(Json)
    }
    #[inline]
    fn read(row: &mut (impl ValueReader + ?Sized)) -> Result<Self, DecodeError> {
        read_json(row)?.map(Json).ok_or(DecodeError::UnexpectedNull)
    }
    #[inline]
    fn read_nullable(row: &mut (impl ValueReader + ?Sized)) -> Result<Option<Self>, DecodeError> {
        Ok(read_json(row)?.map(Json))
    }
}
impl<T: Serialize + DeserializeOwned + Send + Sync + 'static> NotNull for Json<T> {}

impl Field for serde_json::Value {
    const TYPE: ColumnType = ColumnType::Json;
    fn to_value(&self) -> Value {
        json_text(self)
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        parse(value)
    }
    #[inline]
    fn read(row: &mut (impl ValueReader + ?Sized)) -> Result<Self, DecodeError> {
        read_json(row)?.ok_or(DecodeError::UnexpectedNull)
    }
    #[inline]
    fn read_nullable(row: &mut (impl ValueReader + ?Sized)) -> Result<Option<Self>, DecodeError> {
        read_json(row)
    }
}
impl NotNull for serde_json::Value {}
