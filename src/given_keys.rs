//! Inserting rows with the keys they hold, `auto` key columns included
//! (imports, fixtures, copies between databases).

use std::sync::{Mutex, PoisonError};

use tracing::Instrument;

use crate::span::statement_span;
use crate::{ColumnDef, Db, Entity, Error, Executor, InsertStmt, Result, TableDef, Value};

/// The columns of each table with their `auto` flag cleared, made once per
/// table (a few hundred bytes per entity type, kept for the process).
static GIVEN_KEY_COLUMNS: Mutex<Vec<(usize, &'static [ColumnDef])>> = Mutex::new(Vec::new());

impl TableDef {
    /// This table as it is written when rows bring their own keys: the same
    /// columns, none of them `auto`, so the backend stores every value the
    /// entity wrote. Backends use it in
    /// [`Executor::insert_with_keys`].
    pub fn with_given_keys(&self) -> TableDef {
        if self.auto_column().is_none() {
            return *self;
        }
        let id = self.columns.as_ptr() as usize;
        let mut known = GIVEN_KEY_COLUMNS
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let columns = match known.iter().find(|(k, _)| *k == id) {
            Some((_, columns)) => *columns,
            None => {
                let cleared: Vec<ColumnDef> = self
                    .columns
                    .iter()
                    .map(|c| ColumnDef { auto: false, ..*c })
                    .collect();
                let columns: &'static [ColumnDef] = Box::leak(cleared.into_boxed_slice());
                known.push((id, columns));
                columns
            }
        };
        TableDef { columns, ..*self }
    }
}

/// The largest value of the `auto` column among `stmt`'s rows, if the table
/// has one: what the key generator must move past after the insert.
pub fn largest_given_key(stmt: &InsertStmt) -> Result<Option<(&'static ColumnDef, Value)>> {
    let Some((at, column)) = stmt.table.auto_column() else {
        return Ok(None);
    };
    let mut largest: Option<i128> = None;
    for row in &stmt.rows {
        let value = row.get(at);
        let key = match value {
            Some(Value::U64(v)) => Some(i128::from(*v)),
            Some(v) => v.as_i64().map(i128::from),
            None => None,
        };
        let Some(key) = key else {
            return Err(Error::Invalid {
                what: "key",
                detail: format!(
                    "`{}.{}` holds {value:?}; a given key must be an integer",
                    stmt.table.entity, column.name
                ),
            });
        };
        largest = Some(largest.map_or(key, |l| l.max(key)));
    }
    let value = match largest {
        None => return Ok(None),
        Some(v) => match i64::try_from(v) {
            Ok(v) => Value::I64(v),
            Err(_) => Value::U64(v as u64),
        },
    };
    Ok(Some((column, value)))
}

impl<X: Executor> Db<X> {
    /// Inserts rows with the keys they hold, even where the key column is
    /// `auto` (which [`insert_many`](Db::insert_many) generates, ignoring
    /// the value the row holds); returns those keys. The key generator then
    /// moves past the largest key given, so later generated keys never
    /// collide with them. A key already taken is
    /// [`Error::UniqueViolation`].
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// let db = keyway_sqlite::Sqlite::memory().await?;
    /// db.create_schema::<User>().await?;
    /// let imported = User { id: 41, ..User::new("Ann", "ann@example.com") };
    /// assert_eq!(db.insert_with_keys(&[imported]).await?, [41]);
    /// assert_eq!(db.insert(&User::new("Bob", "bob@example.com")).await?, 42);
    /// # Ok(()) }
    /// ```
    pub async fn insert_with_keys<E: Entity>(&self, entities: &[E]) -> Result<Vec<E::Key>> {
        if entities.is_empty() {
            return Ok(Vec::new());
        }
        let stmt = InsertStmt::of(entities)?;
        let span = statement_span(self.exec.system(), "INSERT", stmt.table.name);
        self.exec.insert_with_keys(stmt).instrument(span).await?;
        Ok(entities.iter().map(Entity::key).collect())
    }
}
