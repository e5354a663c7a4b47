//! List elements as JSON scalars: how SQLite and MySQL store a list column
//! (a JSON array), and how a `contains` filter looks for one there.

use crate::Value;

/// The JSON text of one list element: a number for integers, floats,
/// instants and times (microseconds) and dates (days); a string for text,
/// UUIDs (hyphenated, lower case) and decimals (exact); `true` / `false`.
///
/// ```
/// use keyway::{Value, element_json};
/// assert_eq!(element_json(&Value::Text("a \"b\"\n".into())).unwrap(), r#""a \"b\"\n""#);
/// assert_eq!(element_json(&Value::Timestamp(-5)).unwrap(), "-5");
/// assert!(element_json(&Value::F64(f64::NAN)).is_err());
/// ```
pub fn element_json(value: &Value) -> Result<String, String> {
    Ok(match element_scalar(value)? {
        Value::Text(s) => {
            let mut out = String::with_capacity(s.len() + 2);
            escape(&s, &mut out);
            out
        }
        Value::Bool(b) => b.to_string(),
        Value::I64(n) => n.to_string(),
        Value::F64(f) if f.is_finite() => format!("{f:?}"),
        Value::F64(f) => return Err(format!("{f} is not a JSON number")),
        other => return Err(format!("a {} cannot be a list element", other.kind())),
    })
}

/// The scalar a JSON array holds for list element `value`, as SQLite's
/// `json_each` gives it back: text, an integer, a float or a boolean.
pub(crate) fn element_scalar(value: &Value) -> Result<Value, String> {
    Ok(match value {
        Value::Text(s) => Value::Text(s.clone()),
        Value::Bool(b) => Value::Bool(*b),
        Value::F32(f) => Value::F64(f64::from(*f)),
        Value::F64(f) => Value::F64(*f),
        Value::Uuid(b) => Value::Text(uuid_text(b)),
        Value::Decimal(n) => Value::Text(n.to_string()),
        Value::Timestamp(n) | Value::DateTime(n) | Value::Time(n) => Value::I64(*n),
        Value::Date(n) => Value::I64(i64::from(*n)),
        Value::Unencodable(why) => return Err(why.clone()),
        other => match other.as_i64() {
            Some(n) => Value::I64(n),
            None => return Err(format!("a {} cannot be a list element", other.kind())),
        },
    })
}

/// A UUID's canonical text.
fn uuid_text(b: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    out
}

/// `s` as a JSON string.
fn escape(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_canonical_text() {
        let b = 0x0123_4567_89ab_cdef_0123_4567_89ab_cdefu128.to_be_bytes();
        assert_eq!(uuid_text(&b), "01234567-89ab-cdef-0123-456789abcdef");
        assert_eq!(
            element_json(&Value::Uuid(b)).unwrap(),
            "\"01234567-89ab-cdef-0123-456789abcdef\""
        );
        assert_eq!(
            element_json(&Value::Text("\u{1}".into())).unwrap(),
            "\"\\u0001\""
        );
        assert_eq!(element_json(&Value::F64(0.1)).unwrap(), "0.1");
        assert_eq!(element_json(&Value::F64(1e300)).unwrap(), "1e300");
    }
}
