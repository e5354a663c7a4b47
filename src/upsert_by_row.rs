//! An upsert written one row at a time, for a backend without a statement
//! that does it (DynamoDB): find the row by its target columns, then update
//! it on the condition that it still matches, or insert it; if another
//! writer got in between (the row appeared or went), try that row again.

use crate::check::Nothing;
use crate::upsert::{row_filter, unique_index_on};
use crate::{
    Error, Executor, InsertStmt, LockMode, Result, RowLock, SelectStmt, Selection, UpdateStmt,
    UpsertStmt,
};

/// How many times one row is tried while other writers keep changing it.
const TRIES: usize = 16;

/// Upserts the rows of `stmt` one by one: for each, a locking read of the
/// row matching its target, then an insert (a duplicate target means another
/// writer inserted it first: counted again) or an update of the matching
/// row (none matched means it went in between: counted again). The
/// default [`Executor::upsert`]; returns whether each row was inserted, in
/// row order. Not atomic across rows: run it in a transaction for that.
pub async fn upsert_by_row<X: Executor + ?Sized>(exec: &X, stmt: UpsertStmt) -> Result<Vec<bool>> {
    let table = stmt.table;
    // The name a duplicate of the target is reported under.
    let target_index = unique_index_on(&table, &stmt.target).unwrap_or_default();
    let mut inserted = Vec::with_capacity(stmt.rows.len());
    let targets = stmt.targets();
    for (row, values) in stmt.rows.into_iter().zip(targets) {
        let matching = row_filter(&stmt.target, &values);
        let mut done = None;
        for _ in 0..TRIES {
            // A locking read where the database has row locks: it sees the
            // latest committed row, and keeps it (or, under MySQL's
            // REPEATABLE READ, its absence) until the transaction ends.
            let mut probe = SelectStmt::new(table);
            probe.selection = Selection::Columns(stmt.target.clone());
            probe.filter = Some(matching.clone());
            probe.limit = Some(1);
            probe.lock = Some(RowLock::waiting(LockMode::Update));
            let new = exec.fetch_all(probe, Nothing).await?.is_empty();
            if new {
                let insert = InsertStmt {
                    table,
                    rows: vec![row.clone()],
                };
                match exec.insert(insert).await {
                    Ok(_) => {}
                    Err(Error::UniqueViolation { index, .. }) if index == target_index => continue,
                    Err(e) => return Err(e),
                }
            } else if !stmt.update.is_empty() {
                let mut update = UpdateStmt::new(table, Some(matching.clone()));
                update.set = stmt
                    .update
                    .iter()
                    .filter_map(|c| {
                        let i = table.columns.iter().position(|d| d.name == *c)?;
                        Some((*c, row[i].clone()))
                    })
                    .collect();
                crate::write::bump_version(&mut update);
                if exec.update(update).await? == 0 {
                    continue;
                }
            }
            done = Some(new);
            break;
        }
        let Some(new) = done else {
            return Err(Error::TransactionConflict {
                detail: format!(
                    "an upsert of `{}` found the row changing under it {TRIES} times in a row",
                    table.entity
                ),
            });
        };
        inserted.push(new);
    }
    Ok(inserted)
}
