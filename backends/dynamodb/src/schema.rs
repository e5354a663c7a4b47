//! The physical layout derived from a `TableDef`: table names, key schema,
//! global secondary indexes and the keyway-managed metadata table.

use aws_sdk_dynamodb::types::ScalarAttributeType;
use keyway::{ColumnDef, ColumnType, Error, IndexSpec, Result, TableDef};

/// The keyway-managed table (after the connection's prefix) holding the
/// auto-key counters and the unique-value sentinels of every table.
pub(crate) const META_TABLE: &str = "keyway_meta";
/// Its partition key: the owning table's name.
pub(crate) const META_PK: &str = "t";
/// Its sort key: `counter`, or `unique#{index}#{values}` for a sentinel.
pub(crate) const META_SK: &str = "k";
/// The counter's attribute in the counter item.
pub(crate) const META_COUNTER: &str = "n";

/// A global secondary index: one per declared index and per unindexed
/// foreign-key column. Its partition key is the index's first column, its sort
/// key the second one, if any.
#[derive(Debug, Clone)]
pub(crate) struct Gsi {
    pub(crate) name: String,
    pub(crate) partition: &'static ColumnDef,
    pub(crate) sort: Option<&'static ColumnDef>,
}

/// The partition and sort key columns of the table itself.
pub(crate) fn primary_key(
    table: &TableDef,
) -> Result<(&'static ColumnDef, Option<&'static ColumnDef>)> {
    let mut keys = table.key_columns();
    let part = keys.next().ok_or_else(|| Error::Invalid {
        what: "schema",
        detail: format!("`{}` has no primary key column", table.entity),
    })?;
    Ok((part, keys.next()))
}

fn column(table: &TableDef, name: &str) -> Result<&'static ColumnDef> {
    table.column(name).ok_or_else(|| Error::Invalid {
        what: "schema",
        detail: format!("`{}` has no column `{name}`", table.entity),
    })
}

/// Every GSI of the table, in declaration order: indexes first, then foreign
/// keys that no index starts with.
pub(crate) fn gsis(table: &TableDef) -> Result<Vec<Gsi>> {
    let (part, _) = primary_key(table)?;
    let mut out: Vec<Gsi> = Vec::new();
    for IndexSpec { name, columns, .. } in table.all_indexes() {
        let Some(first) = columns.first() else {
            continue;
        };
        out.push(Gsi {
            name,
            partition: column(table, first)?,
            sort: columns.get(1).map(|c| column(table, c)).transpose()?,
        });
    }
    // In a shared table, a layout index whose partition is one column
    // answers lookups by that column in place of an index of its own.
    if let Some(layout) = table.layout {
        out.retain(|g| crate::layout::serving(table, &layout, g.partition.name).is_none());
    }
    for fk in table.foreign_keys {
        let served = table
            .layout
            .is_some_and(|l| crate::layout::serving(table, &l, fk.column).is_some());
        let covered =
            fk.column == part.name || served || out.iter().any(|g| g.partition.name == fk.column);
        if !covered {
            out.push(Gsi {
                name: format!("{}_{}_fk", table.name, fk.column),
                partition: column(table, fk.column)?,
                sort: None,
            });
        }
    }
    Ok(out)
}

/// The unique indexes enforced with sentinels (the primary key needs none).
pub(crate) fn unique_indexes(table: &TableDef) -> Vec<IndexSpec> {
    table
        .all_indexes()
        .into_iter()
        .filter(|i| i.unique)
        .collect()
}

/// The DynamoDB type of a key attribute: only strings, numbers and binary can be keys.
pub(crate) fn key_type(table: &TableDef, col: &ColumnDef) -> Result<ScalarAttributeType> {
    Ok(match col.ty {
        ColumnType::Text => ScalarAttributeType::S,
        ColumnType::Bytes => ScalarAttributeType::B,
        t if t.is_integer() => ScalarAttributeType::N,
        ColumnType::F32
        | ColumnType::F64
        | ColumnType::Timestamp
        | ColumnType::DateTime
        | ColumnType::Date
        | ColumnType::Time
        | ColumnType::Decimal => ScalarAttributeType::N,
        ColumnType::Uuid => ScalarAttributeType::S,
        other => {
            return Err(Error::Unsupported {
                backend: "dynamodb",
                detail: format!(
                    "`{}.{}` is a {other} column: DynamoDB keys and index keys are strings, numbers or bytes",
                    table.entity, col.name
                ),
            });
        }
    })
}
