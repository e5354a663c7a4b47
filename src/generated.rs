//! Keys keyway generates itself, before the row is sent: UUIDs, random (v4)
//! or time-ordered (v7). The alternative to a database's `auto` integer on
//! every backend, DynamoDB included.

use crate::row::values_of;
use crate::{Entity, Result, TableDef, Value, ValuesReader, read_row};

/// How keyway generates a column's value on insert
/// (`Column::uuid_v4`, `Column::uuid_v7`, with the `uuid` feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Generated {
    /// A random UUID (version 4).
    UuidV4,
    /// A UUID that starts with the time of its making (version 7): keys
    /// made later sort later, which keeps B-tree indexes compact.
    UuidV7,
}

impl Generated {
    /// A fresh value.
    fn value(self) -> Result<Value> {
        #[cfg(feature = "uuid")]
        {
            let id = match self {
                Generated::UuidV4 => uuid::Uuid::new_v4(),
                Generated::UuidV7 => uuid::Uuid::now_v7(),
            };
            Ok(Value::Uuid(id.into_bytes()))
        }
        #[cfg(not(feature = "uuid"))]
        Err(crate::Error::Unsupported {
            backend: "keyway",
            detail: format!("generating a {self:?} key without keyway's `uuid` feature"),
        })
    }
}

/// The generated column of `table`, if any: its position and how.
fn generated_column(table: &TableDef) -> Option<(usize, Generated)> {
    table
        .columns
        .iter()
        .enumerate()
        .find_map(|(i, c)| c.generated.map(|g| (i, g)))
}

/// Puts a fresh value in `row`'s generated column, and 1 in its version
/// column; whether it has either.
pub(crate) fn fill(table: &TableDef, row: &mut [Value]) -> Result<bool> {
    let version = table.version_column().map(|(at, _)| at);
    if let Some(slot) = version.and_then(|at| row.get_mut(at)) {
        *slot = Value::I64(1);
    }
    let generated = match generated_column(table) {
        Some((at, how)) => {
            if let Some(slot) = row.get_mut(at) {
                *slot = how.value()?;
            }
            true
        }
        None => false,
    };
    Ok(generated || version.is_some())
}

/// `entities` with a fresh value in their generated column and version 1,
/// set through their own `write` and `read` (so no setter is needed), and
/// their decimals at their columns' scale; `None` when the table has
/// neither a generated nor a version column.
pub(crate) fn with_generated<E: Entity>(entities: &[E]) -> Result<Option<Vec<E>>> {
    let table = TableDef::of::<E>();
    if generated_column(&table).is_none() && table.version_column().is_none() {
        return Ok(None);
    }
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    entities
        .iter()
        .map(|entity| {
            let mut values = values_of(entity)?;
            table.fit_row(&mut values)?;
            fill(&table, &mut values)?;
            read_row(&mut ValuesReader::new(table.entity, &names, values))
        })
        .collect::<Result<Vec<E>>>()
        .map(Some)
}
