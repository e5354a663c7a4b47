//! JSON documents as native DynamoDB attributes: an object is a map (`M`),
//! an array a list (`L`), a number `N` (exactly its JSON digits), a string
//! `S`, `true`/`false` `BOOL`, `null` `NULL`. So a document's fields can be
//! read, filtered and updated by path on DynamoDB itself.

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Map, Number, Value as Json};

/// The attribute of a JSON document's text, or why it cannot be one.
pub(crate) fn to_attr(text: &str) -> Result<AttributeValue, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("not a JSON document: {e}"))?;
    attr_of(json)
}

/// The attribute of one JSON value.
pub(crate) fn attr_of(json: Json) -> Result<AttributeValue, String> {
    Ok(match json {
        Json::Null => AttributeValue::Null(true),
        Json::Bool(b) => AttributeValue::Bool(b),
        Json::Number(n) => AttributeValue::N(number_text(&n)?),
        Json::String(s) => AttributeValue::S(s),
        Json::Array(items) => {
            AttributeValue::L(items.into_iter().map(attr_of).collect::<Result<_, _>>()?)
        }
        Json::Object(fields) => AttributeValue::M(
            fields
                .into_iter()
                .map(|(k, v)| Ok((k, attr_of(v)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// A JSON number as DynamoDB's `N`, which holds magnitudes from 1e-130 to
/// below 1e126 only.
fn number_text(n: &Number) -> Result<String, String> {
    if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
        let magnitude = f.abs();
        if magnitude != 0.0 && !(1e-130..1e126).contains(&magnitude) {
            return Err(format!(
                "the number {n} is outside DynamoDB's number range (1e-130 to 1e126)"
            ));
        }
        // `-0.0` reads back as 0: a decimal has no negative zero.
        if f == 0.0 {
            return Ok("0".into());
        }
    }
    Ok(n.to_string())
}

/// The JSON text of a document attribute.
pub(crate) fn from_attr(attr: AttributeValue) -> Result<String, String> {
    Ok(json_of(attr)?.to_string())
}

/// The JSON value of one attribute; sets become arrays.
fn json_of(attr: AttributeValue) -> Result<Json, String> {
    Ok(match attr {
        AttributeValue::Null(_) => Json::Null,
        AttributeValue::Bool(b) => Json::Bool(b),
        AttributeValue::N(n) => Json::Number(number(&n)?),
        AttributeValue::S(s) => Json::String(s),
        AttributeValue::L(items) => {
            Json::Array(items.into_iter().map(json_of).collect::<Result<_, _>>()?)
        }
        AttributeValue::M(fields) => {
            let mut map = Map::with_capacity(fields.len());
            // A map's order is not kept by DynamoDB: sorted, for one text.
            let mut fields: Vec<_> = fields.into_iter().collect();
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in fields {
                map.insert(k, json_of(v)?);
            }
            Json::Object(map)
        }
        AttributeValue::Ss(items) => Json::Array(items.into_iter().map(Json::String).collect()),
        AttributeValue::Ns(items) => Json::Array(
            items
                .iter()
                .map(|n| number(n).map(Json::Number))
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err("binary attributes have no JSON form".into()),
    })
}

fn number(text: &str) -> Result<Number, String> {
    serde_json::from_str(text).map_err(|_| format!("the number {text} has no JSON form"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_become_native_attributes_and_back() {
        let text = r#"{"a":[1,2.5,"x",null,true],"b":{"c":-3}}"#;
        let attr = to_attr(text).unwrap();
        let AttributeValue::M(fields) = &attr else {
            panic!("a map: {attr:?}")
        };
        assert_eq!(
            fields["b"],
            AttributeValue::M([("c".to_owned(), AttributeValue::N("-3".into()))].into())
        );
        assert_eq!(from_attr(attr).unwrap(), text);
        assert!(to_attr("{").is_err());
        assert!(to_attr("1e200").is_err());
    }
}
