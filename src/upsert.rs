//! Upsert: insert rows, or update the stored row each one matches on its
//! primary key or on a unique index.

use tracing::Instrument;

use crate::row::values_of;
use crate::{
    Column, ColumnType, Db, Entity, Error, Executor, Expr, Field, IndexDef, Key, Projection,
    Result, SelectStmt, Selection, TableDef, Unique, UpsertStmt, Value, ValueReader,
    statement_span,
};

/// An upsert of some rows of `E`, for [`Db::upsert`]: built with
/// `E::upsert(&rows)` (from [`EntityExt`](crate::EntityExt)).
///
/// A row "exists" when a stored row has the same primary key, or the same
/// values in the unique index named with [`on_conflict`](Self::on_conflict).
/// A new row is inserted; an existing one gets the new row's values in every
/// column but its key, or only in the columns named with
/// [`update`](Self::update), or none with [`ignore`](Self::ignore) (insert or
/// ignore). A version column is set to 1 on insert and goes up by 1 on
/// update.
#[derive(Debug)]
#[must_use = "an upsert does nothing until passed to `Db::upsert`"]
pub struct Upsert<'r, E> {
    rows: &'r [E],
    target: Option<Vec<&'static str>>,
    update: Option<Vec<&'static str>>,
}

/// What [`Db::upsert_outcomes`] did with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted<K> {
    /// The row's key (a row that existed keeps its own).
    pub key: K,
    /// Whether the row was inserted; `false` when a stored row matched it
    /// (and was updated, or left as it was).
    pub inserted: bool,
}

/// The unique index an upsert matches rows on: a column handle of kind
/// [`Unique`], or an [`IndexDef`] of the entity's `INDEXES` declared
/// `IndexDef::unique`.
#[diagnostic::on_unimplemented(
    message = "an upsert matches rows on a unique index, and `{Self}` is not one",
    label = "not a `Unique` column handle or a unique `IndexDef`",
    note = "pass a column handle of kind `Unique` (`Column<E, T, Unique>`), or a unique `IndexDef` of the entity's `INDEXES`"
)]
pub trait ConflictTarget<E> {
    /// The index's columns.
    fn columns(&self) -> Vec<&'static str>;
}

impl<E: Entity, T: Field> ConflictTarget<E> for Column<E, T, Unique> {
    fn columns(&self) -> Vec<&'static str> {
        vec![self.name()]
    }
}

impl<E: Entity> ConflictTarget<E> for IndexDef {
    fn columns(&self) -> Vec<&'static str> {
        self.columns.to_vec()
    }
}

impl<'r, E: Entity> Upsert<'r, E> {
    pub(crate) fn new(rows: &'r [E]) -> Self {
        Upsert {
            rows,
            target: None,
            update: None,
        }
    }

    /// Matches rows on this unique index instead of the primary key (the
    /// way to upsert into a table whose key the database generates).
    pub fn on_conflict(mut self, index: impl ConflictTarget<E>) -> Self {
        self.target = Some(index.columns());
        self
    }

    /// Writes only these columns (a handle or a tuple of handles) to a row
    /// that exists; the others keep their stored values.
    pub fn update<P: Projection<E>>(mut self, columns: P) -> Self {
        self.update = Some(columns.columns());
        self
    }

    /// Leaves a row that exists as it is: insert or ignore.
    pub fn ignore(mut self) -> Self {
        self.update = Some(Vec::new());
        self
    }

    /// The statement, checked.
    fn into_stmt(self) -> Result<UpsertStmt> {
        let table = TableDef::of::<E>();
        let invalid = |detail: String| Error::Invalid {
            what: "upsert",
            detail,
        };
        let keyed = self.target.is_none();
        let target: Vec<&'static str> = match self.target {
            Some(t) => t,
            None => table.key_columns().map(|c| c.name).collect(),
        };
        if keyed
            && (table.auto_column().is_some()
                || table.columns.iter().any(|c| c.generated.is_some()))
        {
            return Err(invalid(format!(
                "the key of `{}` is generated on insert, so a new row has none to match: upsert `on_conflict` a unique index",
                table.entity
            )));
        }
        if !keyed && unique_index_on(&table, &target).is_none() {
            return Err(invalid(format!(
                "{target:?} is not a unique index of `{}`: an upsert matches rows on the key or a unique index",
                table.entity
            )));
        }
        for name in &target {
            if table.column(name).is_some_and(|c| c.nullable) {
                return Err(invalid(format!(
                    "`{name}` of `{}` may be NULL, and NULL matches no row: upsert on a unique index of NOT NULL columns",
                    table.entity
                )));
            }
        }
        let update = match self.update {
            Some(columns) => columns,
            None => table
                .columns
                .iter()
                .filter(|c| !c.is_key() && !c.version && !target.contains(&c.name))
                .map(|c| c.name)
                .collect(),
        };
        for name in &update {
            let detail = match table.column(name) {
                Some(c) if c.is_key() => "is a key column, which an upsert does not change",
                Some(c) if c.version => "is the version, which an upsert adds 1 to itself",
                Some(_) => continue,
                None => {
                    "is not a column of the entity (a field of an embedded struct is written with its struct)"
                }
            };
            return Err(invalid(format!("`{name}` of `{}` {detail}", table.entity)));
        }
        let mut values: Vec<Vec<Value>> = Vec::with_capacity(self.rows.len());
        let at: Vec<usize> = target
            .iter()
            .filter_map(|t| table.columns.iter().position(|c| c.name == *t))
            .collect();
        let mut seen = std::collections::HashMap::with_capacity(self.rows.len());
        for row in self.rows {
            let mut v = values_of(row)?;
            table.fit_row(&mut v)?;
            // A generated key and version 1, as an insert has them.
            crate::generated::fill(&table, &mut v)?;
            let same = |other: &[Value]| at.iter().all(|i| v[*i] == other[*i]);
            let hash = target_hash(&at, &v);
            let twice = match seen.insert(hash, values.len()) {
                None => false,
                Some(first) => same(&values[first]) || values.iter().any(|o| same(o)),
            };
            if twice {
                let key: Vec<&Value> = at.iter().map(|i| &v[*i]).collect();
                return Err(invalid(format!(
                    "two rows of `{}` have the same {target:?} ({key:?}): an upsert writes each row once",
                    table.entity
                )));
            }
            values.push(v);
        }
        Ok(UpsertStmt {
            table,
            rows: values,
            target,
            update,
            report: false,
        })
    }
}

/// A hash of a row's values at `at`: rows with the same values have the
/// same hash (the values are compared when two hashes meet).
fn target_hash(at: &[usize], row: &[Value]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for value in at.iter().map(|i| &row[*i]) {
        match value {
            Value::Text(s) | Value::Json(s) => s.hash(&mut h),
            Value::Bytes(b) => b.hash(&mut h),
            Value::Uuid(u) => u.hash(&mut h),
            Value::Bool(b) => b.hash(&mut h),
            Value::F32(f) => f.to_bits().hash(&mut h),
            Value::F64(f) => f.to_bits().hash(&mut h),
            other => match other.as_i64() {
                Some(n) => n.hash(&mut h),
                None => format!("{other:?}").hash(&mut h),
            },
        }
    }
    h.finish()
}

/// Whether `a` and `b` name the same columns, in any order.
fn same_columns(a: &[&'static str], b: &[&'static str]) -> bool {
    a.len() == b.len() && a.iter().all(|c| b.contains(c))
}

/// The name of `table`'s unique constraint on exactly `columns`, in any
/// order: `PRIMARY` for the key, else the unique index's; `None` when
/// there is none.
pub(crate) fn unique_index_on(table: &TableDef, columns: &[&'static str]) -> Option<String> {
    let keys: Vec<&'static str> = table.key_columns().map(|c| c.name).collect();
    if same_columns(&keys, columns) {
        return Some("PRIMARY".to_owned());
    }
    table
        .all_indexes()
        .into_iter()
        .find(|i| i.unique && same_columns(&i.columns, columns))
        .map(|i| i.name)
}

/// The unique constraints of `table` a row could collide on besides
/// `target`, by name (`PRIMARY` for a key the rows give).
fn other_unique(table: &TableDef, target: &[&'static str]) -> Vec<String> {
    let mut out = Vec::new();
    let keys: Vec<&'static str> = table.key_columns().map(|c| c.name).collect();
    if table.auto_column().is_none() && !same_columns(&keys, target) {
        out.push("PRIMARY".to_owned());
    }
    for index in table.all_indexes() {
        if index.unique && !same_columns(&index.columns, target) {
            out.push(index.name);
        }
    }
    out
}

impl<X: Executor> Db<X> {
    /// Inserts the rows of `upsert`, updating instead each one that
    /// exists (by primary key, or by the unique index of
    /// [`on_conflict`](Upsert::on_conflict)); returns every row's key, in
    /// order (a row that existed keeps its own).
    ///
    /// One statement per batch on SQL (`INSERT .. ON CONFLICT` on SQLite,
    /// Turso and PostgreSQL, `ON DUPLICATE KEY UPDATE` on MySQL), so
    /// concurrent upserts of one key each insert it or update it, never
    /// fail; on DynamoDB each row is one conditional write (retried if
    /// another writer gets in between). A row that would duplicate another
    /// unique index than the target is [`Error::UniqueViolation`].
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<User>().await?;
    /// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// let rows = [User::new("Ann Smith", "ann@example.com"), User::new("Bob", "bob@example.com")];
    /// let keys = db.upsert(User::upsert(&rows).on_conflict(User::EMAIL)).await?;
    /// assert_eq!(keys[0], ann); // updated in place
    /// assert_eq!(db.get::<User>(ann).await?.name, "Ann Smith");
    /// assert_eq!(db.get::<User>(keys[1]).await?.name, "Bob"); // inserted
    /// # Ok(()) }
    /// ```
    pub async fn upsert<E: Entity>(&self, upsert: Upsert<'_, E>) -> Result<Vec<E::Key>> {
        Ok(self.upsert_rows(upsert, false).await?.0)
    }

    /// Upserts as [`upsert`](Self::upsert) does, and tells for each row,
    /// in order, whether it was inserted or found (then updated, or left
    /// as it was by [`ignore`](Upsert::ignore)).
    ///
    /// Exact on every backend, at a cost where the database does not say
    /// it with the write: PostgreSQL returns it from the upsert itself
    /// (`RETURNING (xmax = 0)`); DynamoDB knows it from its write per row;
    /// SQLite, Turso and MySQL upsert row by row (a locking read of the
    /// row with the target, then the insert or the update) in one
    /// transaction: their own, holding SQLite's write lock, or the one the
    /// call runs in. On MySQL two such upserts of the same new keys can
    /// deadlock; one of them is then [`Error::TransactionConflict`],
    /// rolled back whole: run it again.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<User>().await?;
    /// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// let rows = [User::new("Ann Smith", "ann@example.com"), User::new("Bob", "bob@example.com")];
    /// let done = db.upsert_outcomes(User::upsert(&rows).on_conflict(User::EMAIL)).await?;
    /// assert_eq!((done[0].key, done[0].inserted), (ann, false));
    /// assert!(done[1].inserted);
    /// # Ok(()) }
    /// ```
    pub async fn upsert_outcomes<E: Entity>(
        &self,
        upsert: Upsert<'_, E>,
    ) -> Result<Vec<Upserted<E::Key>>> {
        let (keys, inserted) = self.upsert_rows(upsert, true).await?;
        if inserted.len() != keys.len() {
            return Err(Error::Invalid {
                what: "upsert",
                detail: format!(
                    "the backend reported {} of {} rows",
                    inserted.len(),
                    keys.len()
                ),
            });
        }
        let each = keys.into_iter().zip(inserted);
        Ok(each
            .map(|(key, inserted)| Upserted { key, inserted })
            .collect())
    }

    /// Runs an upsert: the keys, and whether each row was inserted when
    /// `report` (otherwise, what the backend said, maybe nothing).
    async fn upsert_rows<E: Entity>(
        &self,
        upsert: Upsert<'_, E>,
        report: bool,
    ) -> Result<(Vec<E::Key>, Vec<bool>)> {
        let rows = upsert.rows;
        let keyed = upsert.target.is_none();
        let mut stmt = upsert.into_stmt()?;
        stmt.report = report;
        if stmt.rows.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let table = stmt.table;
        let target = stmt.target.clone();
        // On a unique index, a row that existed keeps its key: the keys
        // are read back by the target's values.
        let matches = match keyed {
            true => Vec::new(),
            false => stmt.targets(),
        };
        let span = statement_span(self.exec.system(), "INSERT", table.name);
        let inserted = match self.exec.upsert(stmt).instrument(span).await {
            Ok(inserted) => inserted,
            // MySQL's guard of a row that matched another unique index
            // writes NULL into its target, which NOT NULL refuses.
            Err(Error::NotNullViolation { entity, column })
                if target.iter().any(|t| *t == column) =>
            {
                return Err(Error::UniqueViolation {
                    entity,
                    index: other_unique(&table, &target).join(" or "),
                });
            }
            Err(e) => return Err(e),
        };
        if keyed {
            // Matched on the key, which no row generates: the rows' own.
            return Ok((rows.iter().map(Entity::key).collect(), inserted));
        }
        Ok((self.keys_by(&table, &target, matches).await?, inserted))
    }

    /// The keys of the rows whose `target` columns hold each of `matches`, in order.
    async fn keys_by<K: Key>(
        &self,
        table: &TableDef,
        target: &[&'static str],
        matches: Vec<Vec<Value>>,
    ) -> Result<Vec<K>> {
        let keys: Vec<&'static str> = table.key_columns().map(|c| c.name).collect();
        let mut columns = keys.clone();
        columns.extend(target.iter().copied());
        let types: Vec<ColumnType> = columns
            .iter()
            .map(|c| table.column(c).map_or(ColumnType::Text, |d| d.ty))
            .collect();
        let mut found = std::collections::HashMap::new();
        for chunk in matches.chunks(500) {
            let filter = match target {
                [one] => Expr::InList {
                    column: one,
                    values: chunk.iter().map(|m| m[0].clone()).collect(),
                },
                _ => Expr::Or(chunk.iter().map(|m| row_filter(target, m)).collect()),
            };
            let mut stmt = SelectStmt::new(*table);
            stmt.selection = Selection::Columns(columns.clone());
            stmt.filter = Some(filter);
            let span = statement_span(self.exec.system(), "SELECT", table.name);
            let rows = self
                .exec
                .fetch_all(stmt, ValuesDecoder(types.clone()))
                .instrument(span)
                .await?;
            for mut row in rows {
                let matched = row.split_off(keys.len());
                found.insert(format!("{matched:?}"), row);
            }
        }
        matches
            .iter()
            .map(|m| {
                let key = found.remove(&format!("{m:?}")).ok_or(Error::NotFound {
                    entity: table.entity,
                })?;
                key_of(table, key)
            })
            .collect()
    }
}

fn key_of<K: Key>(table: &TableDef, values: Vec<Value>) -> Result<K> {
    K::from_values(values).map_err(|source| Error::Decode {
        entity: table.entity,
        column: table
            .key_columns()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", "),
        source,
    })
}

/// Every `target` column equal to its value in `values`.
pub(crate) fn row_filter(target: &[&'static str], values: &[Value]) -> Expr {
    eq_all(target.iter().copied().zip(values.iter().cloned()))
}

/// Every column equal to its value.
pub(crate) fn eq_all(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Expr {
    Expr::And(
        pairs
            .into_iter()
            .map(|(column, value)| Expr::Cmp {
                column,
                op: crate::CmpOp::Eq,
                value,
            })
            .collect(),
    )
}

/// Reads a row's selected values, each as its column's type.
pub(crate) struct ValuesDecoder(pub(crate) Vec<ColumnType>);

impl crate::Decoder for ValuesDecoder {
    type Output = Vec<Value>;
    fn decode(&self, row: &mut impl ValueReader) -> Result<Vec<Value>> {
        crate::value_io::read_typed(row, self.0.iter().copied())
    }
}
