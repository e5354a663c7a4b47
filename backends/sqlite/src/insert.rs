//! Inserts: as few statements as SQLite's parameter limit allows, all applied
//! or none, each statement's text kept per table and number of rows. Values
//! are bound straight from the rows of an `InsertStmt`, or from the entities
//! themselves, whose text and bytes are lent to SQLite without a copy.

use keyway::{Entity, InsertStmt, Result, TableDef, UpsertStmt, Value};
use keyway_sql::{InsertPlan, ParamSink, Sqlite as Dialect, write_params};
use rusqlite::{CachedStatement, Connection};

use crate::conn::Conn;
use crate::errors;
use crate::exec::{bind_param, prepare};

/// Inserts the rows of `stmt`; returns the generated keys in row order.
pub(crate) fn rows(conn: &mut Conn, stmt: &InsertStmt) -> Result<Vec<Value>> {
    // Embedded structs are a column per field.
    let flat;
    let stmt = match stmt.table.has_embedded() {
        true => {
            flat = keyway_sql::flat_insert(stmt.clone());
            &flat
        }
        false => stmt,
    };
    let table = stmt.table;
    let auto = table.auto_column().map(|(i, _)| i);
    chunked(conn, &table, &stmt.rows, |statement, rows| {
        let params = rows.iter().flat_map(|row| {
            let values = row.iter().enumerate();
            values.filter(move |(i, _)| Some(*i) != auto)
        });
        for (n, (i, value)) in params.enumerate() {
            bind_param(statement, &table, n + 1, table.columns[i].name, value)?;
        }
        Ok(())
    })
}

/// Inserts `entities`, each written straight into the statement's
/// parameters; returns the generated keys in row order.
pub(crate) fn entities<E: Entity>(conn: &mut Conn, entities: &[E]) -> Result<Vec<Value>> {
    let table = TableDef::of::<E>();
    chunked(conn, &table, entities, |statement, chunk| {
        let mut binder = Binder {
            statement,
            table: &table,
            bound: 0,
        };
        write_params(&table, chunk, &mut binder)
    })
}

/// Runs one statement per chunk of `rows` (atomically when there are
/// several), `bind` binding each chunk's parameters.
fn chunked<T>(
    conn: &mut Conn,
    table: &TableDef,
    rows: &[T],
    bind: impl Fn(&mut CachedStatement<'_>, &[T]) -> Result<()>,
) -> Result<Vec<Value>> {
    let plan = InsertPlan::of::<Dialect>();
    let per_stmt = keyway_sql::rows_per_insert::<Dialect>(table, plan);
    let Conn { db, shapes, .. } = conn;
    let mut keys = Vec::with_capacity(rows.len());
    let mut run = |chunk: &[T]| {
        let sql = shapes.insert(table, chunk.len(), plan);
        let mut statement = prepare(db, table, sql)?;
        bind(&mut statement, chunk)?;
        run_batch(statement, table, chunk.len(), &mut keys)
    };
    let mut chunks = rows.chunks(per_stmt);
    if rows.len() <= per_stmt {
        chunks.try_for_each(&mut run)?;
    } else {
        // Several statements: all or nothing (a savepoint when already in a transaction).
        atomically(db, table, || chunks.try_for_each(&mut run))?;
    }
    Ok(keys)
}

/// Runs one bound insert statement of `rows` rows; appends the generated
/// keys (if any) to `keys` in row order.
fn run_batch(
    mut statement: CachedStatement<'_>,
    table: &TableDef,
    rows: usize,
    keys: &mut Vec<Value>,
) -> Result<()> {
    let map = |e| errors::map(e, table);
    if table.auto_column().is_none() {
        statement.raw_execute().map_err(map)?;
        return Ok(());
    }
    let mut generated = Vec::with_capacity(rows);
    let mut returned = statement.raw_query();
    while let Some(row) = returned.next().map_err(map)? {
        generated.push(row.get::<_, i64>(0).map_err(map)?);
    }
    // Keys are assigned in row order, so ascending order is row order whatever
    // order RETURNING reports them in.
    generated.sort_unstable();
    keys.extend(generated.into_iter().map(Value::I64));
    Ok(())
}

/// Upserts the rows of `stmt`: one `INSERT .. ON CONFLICT` per batch, all
/// applied or none.
pub(crate) fn upsert(conn: &Connection, stmt: UpsertStmt) -> Result<()> {
    // Embedded structs are a column per field.
    let table = stmt.table.flat();
    let statements = keyway_sql::upsert::<Dialect>(stmt);
    let run = |lowered: &keyway_sql::Lowered| -> Result<()> {
        let mut statement = prepare(conn, &table, &lowered.sql)?;
        for (n, p) in lowered.params.iter().enumerate() {
            let keyway_sql::Bound::One(value) = &p.value else {
                continue;
            };
            bind_param(&mut statement, &table, n + 1, p.column, value)?;
        }
        statement
            .raw_execute()
            .map_err(|e| errors::map(e, &table))?;
        Ok(())
    };
    if let [one] = statements.as_slice() {
        return run(one);
    }
    atomically(conn, &table, || statements.iter().try_for_each(run))
}

/// Runs `work` in a transaction of its own, or in a savepoint inside the
/// connection's open transaction; rolls it back if `work` fails.
fn atomically(
    conn: &Connection,
    table: &TableDef,
    work: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let (begin, commit, rollback) = if conn.is_autocommit() {
        ("BEGIN", "COMMIT", "ROLLBACK")
    } else {
        (
            "SAVEPOINT keyway_insert",
            "RELEASE keyway_insert",
            "ROLLBACK TO keyway_insert; RELEASE keyway_insert",
        )
    };
    conn.execute_batch(begin)
        .map_err(|e| errors::map(e, table))?;
    let done = work().and_then(|()| {
        conn.execute_batch(commit)
            .map_err(|e| errors::map(e, table))
    });
    if done.is_err() {
        let _ = conn.execute_batch(rollback);
    }
    done
}

/// Binds each parameter to the statement, in order.
pub(crate) struct Binder<'s, 'c> {
    statement: &'s mut CachedStatement<'c>,
    table: &'s TableDef,
    /// Parameters bound so far.
    bound: usize,
}

impl<'s, 'c> Binder<'s, 'c> {
    /// A binder of `statement`'s parameters from the first, values of `table`'s columns.
    pub(crate) fn new(statement: &'s mut CachedStatement<'c>, table: &'s TableDef) -> Self {
        Binder {
            statement,
            table,
            bound: 0,
        }
    }
}

impl Binder<'_, '_> {
    /// The next parameter's number (from 1).
    fn next(&mut self) -> usize {
        self.bound += 1;
        self.bound
    }
}

impl ParamSink for Binder<'_, '_> {
    fn value(&mut self, column: &'static str, value: Value) -> Result<()> {
        let n = self.next();
        bind_param(self.statement, self.table, n, column, &value)
    }

    fn text(&mut self, _: &'static str, text: &str) -> Result<()> {
        let n = self.next();
        let bound = self.statement.raw_bind_parameter(n, text);
        bound.map_err(|e| errors::map(e, self.table))
    }

    fn bytes(&mut self, _: &'static str, bytes: &[u8]) -> Result<()> {
        let n = self.next();
        let bound = self.statement.raw_bind_parameter(n, bytes);
        bound.map_err(|e| errors::map(e, self.table))
    }
}

/// `stmt` written with the keys its rows hold: its table without an `auto`
/// column (SQLite's `AUTOINCREMENT` then moves past the largest by itself).
pub(crate) fn with_given_keys(stmt: InsertStmt) -> InsertStmt {
    InsertStmt {
        table: stmt.table.with_given_keys(),
        rows: stmt.rows,
    }
}
