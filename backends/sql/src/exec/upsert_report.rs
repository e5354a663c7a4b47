//! Which rows an upsert inserted, told by its own `RETURNING` (PostgreSQL:
//! each row's target and `xmax = 0`).

use std::collections::HashMap;

use keyway::{ColumnType, Error, Result, TableDef, UpsertStmt, Value};

use super::Driver;

/// The target of each row of an upsert, in row order, to match the rows
/// its `RETURNING` reports.
pub(crate) struct Targets {
    columns: Vec<(&'static str, ColumnType)>,
    rows: Vec<String>,
}

/// One row's target values as text: the same for a value bound and the
/// same value read back (both of the column's type).
fn text(values: &[Value]) -> String {
    format!("{values:?}")
}

/// The targets of `stmt`'s rows.
pub(crate) fn targets(stmt: &UpsertStmt) -> Targets {
    let columns = stmt.target.iter().filter_map(|t| stmt.table.column(t));
    Targets {
        columns: columns.map(|c| (c.name, c.ty)).collect(),
        rows: stmt.targets().iter().map(|values| text(values)).collect(),
    }
}

/// One row the upsert returned: its target, and whether it was inserted.
pub(crate) fn read<D: Driver>(
    table: &TableDef,
    targets: &Targets,
    row: &D::Row,
) -> Result<(String, bool)> {
    let decode = |column: &str, source| Error::Decode {
        entity: table.entity,
        column: column.to_owned(),
        source,
    };
    let mut values = Vec::with_capacity(targets.columns.len());
    for (i, (name, ty)) in targets.columns.iter().enumerate() {
        values.push(D::read_value(row, i, *ty).map_err(|e| decode(name, e))?);
    }
    let n = targets.columns.len();
    let inserted = match D::read_value(row, n, ColumnType::Bool) {
        Ok(Value::Bool(b)) => b,
        Ok(other) => {
            let e = keyway::DecodeError::mismatch(ColumnType::Bool, &other);
            return Err(decode("inserted", e));
        }
        Err(e) => return Err(decode("inserted", e)),
    };
    Ok((text(&values), inserted))
}

impl Targets {
    /// Whether each row was inserted, in row order, from what the upsert
    /// returned: a row it did not return (one it left as it was) was not.
    pub(crate) fn inserted(&self, returned: Vec<(String, bool)>) -> Vec<bool> {
        let by_target: HashMap<String, bool> = returned.into_iter().collect();
        let each = self.rows.iter().map(|t| by_target.get(t).copied());
        each.map(|inserted| inserted.unwrap_or(false)).collect()
    }
}
