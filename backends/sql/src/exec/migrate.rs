//! Applying migration steps, and the lock that keeps two runs apart.

use futures::TryStreamExt;
use keyway::migrate::Change;
use keyway::{ColumnType, Error, Result, Value};

use super::Driver;
use super::run::ddl;
use crate::{Dialect, migration_table};

/// Runs the statements of `change`. Where each statement commits (MySQL)
/// and one fails after others ran, the step's undo runs, each of its
/// statements tried, so that the step is made whole or not at all.
pub(crate) async fn apply<D: Driver>(conn: &mut D::Conn, change: &Change<'_>) -> Result<()> {
    let table = migration_table(change.step.table());
    // A rename onto a table that exists fails before anything else runs
    // (on MySQL, its foreign keys would be dropped first).
    if let keyway::migrate::Step::RenameTable { to, .. } = change.step
        && <D::Dialect as Dialect>::CATALOG.is_some()
        && super::introspect::describe_table::<D>(conn, &migration_table(to))
            .await?
            .is_some()
    {
        return Err(Error::Invalid {
            what: "migration",
            detail: format!("table `{to}` exists already"),
        });
    }
    for (i, sql) in crate::render_change::<D::Dialect>(change)?
        .iter()
        .enumerate()
    {
        let Err(e) = ddl::<D>(conn, &table, sql).await else {
            continue;
        };
        if i > 0 && <D::Dialect as Dialect>::ALTER == crate::AlterSyntax::MySql {
            let inverse = change.step.inverse();
            let undo = Change {
                step: &inverse,
                before: change.after,
                after: change.before,
            };
            // What this step did not make fails to undo, and is let be.
            for sql in crate::render_change::<D::Dialect>(&undo).unwrap_or_default() {
                let _ = ddl::<D>(conn, &table, &sql).await;
            }
        }
        return Err(e);
    }
    Ok(())
}

/// Takes the dialect's migration lock, if it has one: a query whose one
/// row says `1` once the lock is held.
pub(crate) async fn lock<D: Driver>(conn: &mut D::Conn) -> Result<()> {
    let Some(sql) = <D::Dialect as Dialect>::MIGRATION_LOCK else {
        return Ok(());
    };
    let table = migration_table("keyway_migrations");
    tracing::debug!(db.statement = %sql);
    let mut rows = D::fetch(conn, sql, D::no_args());
    let row = rows.try_next().await.map_err(|e| D::map_error(e, &table))?;
    let held = row.map(|row| D::read_value(&row, 0, ColumnType::Text));
    match held {
        Some(Ok(Value::Text(t))) if t == "1" => Ok(()),
        Some(Ok(Value::Bytes(b))) if b == b"1" => Ok(()),
        other => Err(Error::Invalid {
            what: "migration",
            detail: format!(
                "the migration lock was not granted (the lock query answered {other:?}): \
                 another run may hold it still"
            ),
        }),
    }
}

/// Gives the lock back, where the transaction's end does not.
pub(crate) async fn unlock<D: Driver>(conn: &mut D::Conn) -> Result<()> {
    if let Some(sql) = <D::Dialect as Dialect>::MIGRATION_UNLOCK {
        ddl::<D>(conn, &migration_table("keyway_migrations"), sql).await?;
    }
    Ok(())
}
