//! Unique constraints on non-key columns, enforced with sentinel items.
//!
//! DynamoDB has no unique index, so every unique index value is claimed by a
//! sentinel item in the managed `keyway_meta` table (partition: the table's
//! name, sort: `unique#{index}#{values}`), written in the same
//! TransactWriteItems as the row with `attribute_not_exists`: a taken value
//! cancels the whole transaction. Updates of a unique column move the
//! sentinel, deletes release it. As in SQL, a value with a NULL part claims
//! nothing. Values are kept whole in the sentinel's sort key, which DynamoDB
//! caps at 1,024 bytes: longer unique values are refused by DynamoDB.

use std::fmt::Write as _;

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{IndexSpec, TableDef, Value};

use crate::action::{Action, Op, Role};
use crate::connect::Inner;
use crate::marshal::Item;
use crate::names::Names;
use crate::schema::{META_PK, META_SK, META_TABLE};

/// An unambiguous text form of a value (integers of any width alike).
fn encode(v: &Value, out: &mut String) -> bool {
    let _ = match v {
        Value::Null => return false,
        Value::Bool(b) => write!(out, "b{}", u8::from(*b)),
        Value::I16(n) => write!(out, "i{n}"),
        Value::I32(n) => write!(out, "i{n}"),
        Value::I64(n) => write!(out, "i{n}"),
        Value::U32(n) => write!(out, "i{n}"),
        Value::U64(n) => write!(out, "i{n}"),
        Value::F32(n) => write!(out, "f{n:e}"),
        Value::F64(n) => write!(out, "f{n:e}"),
        Value::Text(s) => write!(out, "s{}:{s}", s.len()),
        Value::Bytes(b) => {
            let _ = write!(out, "x{}:", b.len());
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
            Ok(())
        }
        _ => return false,
    };
    true
}

/// The sentinel sort key of `index` for the values `value_of` gives, or
/// `None` when a value is NULL.
pub(crate) fn sentinel(index: &IndexSpec, value_of: impl Fn(&str) -> Value) -> Option<String> {
    let mut k = format!("unique#{}", index.name);
    for c in &index.columns {
        k.push('#');
        if !encode(&value_of(c), &mut k) {
            return None;
        }
    }
    Some(k)
}

fn key(table: &TableDef, k: String) -> Item {
    Item::from([
        (META_PK.to_owned(), AttributeValue::S(table.name.to_owned())),
        (META_SK.to_owned(), AttributeValue::S(k)),
    ])
}

/// Claims sentinel `k` of `index`: fails if another row holds the value.
pub(crate) fn claim(inner: &Inner, table: &TableDef, index: &IndexSpec, k: String) -> Action {
    let mut names = Names::of(table);
    let cond = format!("attribute_not_exists({})", names.name(META_SK));
    Action::new(
        inner.table_name(META_TABLE),
        table.entity,
        Op::Put(key(table, k)),
        Some(cond),
        names,
        Role::Sentinel(index.name.clone()),
    )
}

/// Releases sentinel `k`.
pub(crate) fn release(inner: &Inner, table: &TableDef, k: String) -> Action {
    Action::new(
        inner.table_name(META_TABLE),
        table.entity,
        Op::Delete(key(table, k)),
        None,
        Names::of(table),
        Role::Release,
    )
}
