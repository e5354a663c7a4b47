//! An upsert written one row at a time, for a backend without a statement
//! that does it (DynamoDB): find the row by its target columns, then update
//! it on the condition that it still matches, or insert it; if another
//! writer got in between (the row appeared or went), try that row again.

use crate::upsert::{row_filter, unique_index_on};
use crate::{
    Error, Executor, InsertStmt, Result, SelectStmt, Selection, UpdateStmt, UpsertStmt, Value,
};

/// How many times one row is tried while other writers keep changing it.
const TRIES: usize = 16;

/// Upserts the rows of `stmt` one by one: for each, a count of the rows
/// matching its target, then an insert (a duplicate target means another
/// writer inserted it first: counted again) or an update of the matching
/// row (none matched means it went in between: counted again). The
/// default [`Executor::upsert`]. Not atomic across rows: run it in a
/// transaction for that.
pub async fn upsert_by_row<X: Executor + ?Sized>(exec: &X, stmt: UpsertStmt) -> Result<()> {
    let table = stmt.table;
    let at: Vec<usize> = stmt
        .target
        .iter()
        .filter_map(|t| table.columns.iter().position(|c| c.name == *t))
        .collect();
    // The name a duplicate of the target is reported under.
    let target_index = unique_index_on(&table, &stmt.target).unwrap_or_default();
    for row in stmt.rows {
        let values: Vec<Value> = at.iter().map(|i| row[*i].clone()).collect();
        let matching = row_filter(&stmt.target, &values);
        let mut done = false;
        for _ in 0..TRIES {
            let mut probe = SelectStmt::new(table);
            probe.selection = Selection::Count;
            probe.filter = Some(matching.clone());
            if exec.count(probe).await? == 0 {
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
            done = true;
            break;
        }
        if !done {
            return Err(Error::TransactionConflict {
                detail: format!(
                    "an upsert of `{}` found the row changing under it {TRIES} times in a row",
                    table.entity
                ),
            });
        }
    }
    Ok(())
}
