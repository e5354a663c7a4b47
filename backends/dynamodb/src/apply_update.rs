//! An update applied to an item read whole: the values it writes and the
//! item as it leaves it, for a transaction's buffer and for `.returning()`.

use keyway::{Error, Result, TableDef, UpdateStmt, Value};

use crate::marshal::Item;

/// The values an update writes to one item: each column's new value.
pub(crate) type Sets = Vec<(&'static str, Value)>;

/// What `stmt` writes to `item`: each column's new value (a sum for an
/// increment, each document with its paths set, rewritten whole), and the
/// item as written. `None` when a path's parent is missing, so the write's
/// condition does not hold; [`Error::OutOfRange`] for a sum past its type.
pub(crate) fn apply_update(
    table: &TableDef,
    item: &Item,
    stmt: &UpdateStmt,
) -> Result<Option<(Sets, Item)>> {
    let mut set = stmt.set.clone();
    for (column, amount) in &stmt.add {
        let current = crate::tx_buffer::value_in(table, item, column);
        let sum = keyway::counter_sum(&current, amount).ok_or_else(|| Error::OutOfRange {
            entity: table.entity,
            column: (*column).to_owned(),
            detail: "the amount added takes it past the range of its type".into(),
        })?;
        set.push((column, sum));
    }
    if !stmt.paths.is_empty() {
        match crate::path_set::apply(table, item, &stmt.paths)? {
            Some(docs) => set.extend(docs),
            None => return Ok(None),
        }
    }
    crate::ttl::beside(table, &mut set);
    let old = |c: &str| Some(crate::tx_buffer::value_in(table, item, c));
    crate::layout::beside(table, &old, &mut set)?;
    let mut next = item.clone();
    crate::tx_buffer::apply(table, &mut next, &set)?;
    Ok(Some((set, next)))
}
