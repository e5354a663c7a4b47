//! A catalog's type read back as keyway's: the portable type whose column,
//! created by this dialect, the catalog spells so.

use keyway::migrate::TypeSpec;
use keyway::{ColumnRole, ColumnType};

use crate::{Dialect, canonical_type};

/// The types tried, most likely first where two share a spelling
/// (SQLite's `INTEGER` is an `i64` before it is a `bool`, PostgreSQL's
/// `smallint` an `i16` before an `i8`).
const TRIED: &[ColumnType] = &[
    ColumnType::I64,
    ColumnType::I32,
    ColumnType::I16,
    ColumnType::F64,
    ColumnType::F32,
    ColumnType::Bool,
    ColumnType::Text,
    ColumnType::Bytes,
    ColumnType::Timestamp,
    ColumnType::DateTime,
    ColumnType::Date,
    ColumnType::Time,
    ColumnType::Uuid,
    ColumnType::Json,
    ColumnType::I8,
    ColumnType::U8,
    ColumnType::U16,
    ColumnType::U32,
    ColumnType::U64,
];

/// The keyway type of a column `D`'s catalog spells `catalog` (already
/// canonical, as [`describe_table`](keyway::Executor::describe_table)
/// reports it), if one is stored so.
pub fn portable_type<D: Dialect>(catalog: &str) -> Option<TypeSpec> {
    let spelled = |ty: ColumnType, decimal: Option<(u8, u8)>| {
        let def = TypeSpec { ty, decimal }.column_def("column", false, ColumnRole::Plain, false);
        [false, true]
            .into_iter()
            .any(|indexed| canonical_type::<D>(&D::column_type(&def, indexed).ty) == catalog)
    };
    let found = |ty: ColumnType, decimal| spelled(ty, decimal).then_some(TypeSpec { ty, decimal });
    if let Some(ty) = TRIED.iter().find_map(|&ty| found(ty, None)) {
        return Some(ty);
    }
    if let Some(ty) = TRIED
        .iter()
        .map(ColumnType::List)
        .find_map(|ty| found(ty, None))
    {
        return Some(ty);
    }
    // `numeric(12,2)`, `decimal(12,2)`: the digits are the catalog's.
    let (precision, scale) = catalog
        .split_once('(')?
        .1
        .strip_suffix(')')?
        .split_once(',')?;
    let decimal = (precision.trim().parse().ok()?, scale.trim().parse().ok()?);
    found(ColumnType::Decimal, Some(decimal))
}
