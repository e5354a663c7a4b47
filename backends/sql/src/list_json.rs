//! List columns as JSON arrays, for the dialects without arrays (SQLite,
//! MySQL): written through [`keyway::element_json`], read back through
//! serde_json by the list's element type.

use keyway::{ColumnType, DecodeError, Value};
use serde_json::Value as Json;

/// The JSON array text of a list's elements, or why one cannot be stored.
pub fn list_to_json(items: &[Value]) -> Result<String, String> {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&keyway::element_json(item)?);
    }
    out.push(']');
    Ok(out)
}

/// The list a JSON array text holds, each element read as `element`.
pub fn list_from_json(text: &str, element: ColumnType) -> Result<Value, DecodeError> {
    let invalid = |why: String| DecodeError::Invalid(why);
    let items: Vec<Json> =
        serde_json::from_str(text).map_err(|e| invalid(format!("not a JSON array: {e}")))?;
    items
        .into_iter()
        .map(|item| element_of(item, element))
        .collect::<Result<_, _>>()
        .map(Value::List)
}

fn element_of(item: Json, element: ColumnType) -> Result<Value, DecodeError> {
    let wrong = |item: &Json| {
        DecodeError::Invalid(format!("{item} is not a list element of type {element}"))
    };
    Ok(match (element, &item) {
        (ColumnType::Bool, Json::Bool(b)) => Value::Bool(*b),
        (ColumnType::F32 | ColumnType::F64, Json::Number(n)) => {
            Value::F64(n.as_f64().ok_or_else(|| wrong(&item))?)
        }
        (ColumnType::Text, Json::String(s)) => Value::Text(s.clone()),
        (ColumnType::Decimal, Json::String(s)) => {
            Value::Decimal(keyway::Numeric::parse(s).ok_or_else(|| wrong(&item))?)
        }
        (ColumnType::Uuid, Json::String(s)) => Value::Uuid(
            uuid::Uuid::try_parse(s)
                .map_err(|_| wrong(&item))?
                .into_bytes(),
        ),
        (ty, Json::Number(n)) => {
            let n = n.as_i64().ok_or_else(|| wrong(&item))?;
            match ty {
                ColumnType::Timestamp => Value::Timestamp(n),
                ColumnType::DateTime => Value::DateTime(n),
                ColumnType::Time => Value::Time(n),
                ColumnType::Date => Value::Date(i32::try_from(n).map_err(|_| wrong(&item))?),
                ty if ty.is_integer() => Value::I64(n),
                _ => return Err(wrong(&item)),
            }
        }
        _ => return Err(wrong(&item)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_through_json() {
        let items = vec![Value::Text("a\"b".into()), Value::Text(String::new())];
        let text = list_to_json(&items).unwrap();
        assert_eq!(text, r#"["a\"b",""]"#);
        assert_eq!(
            list_from_json(&text, ColumnType::Text).unwrap(),
            Value::List(items)
        );
        let stamps = list_from_json("[-1, 5]", ColumnType::Timestamp).unwrap();
        assert_eq!(
            stamps,
            Value::List(vec![Value::Timestamp(-1), Value::Timestamp(5)])
        );
        assert!(list_from_json("[\"x\"]", ColumnType::I64).is_err());
        assert!(list_from_json("{}", ColumnType::I64).is_err());
    }
}
