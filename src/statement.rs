//! Backend-neutral statements: what the builders produce and the backends lower.

use crate::{Entity, Expr, Result, TableDef, Value};

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

/// What a `SELECT` returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// Every column of the entity, in `COLUMNS` order.
    Entity,
    /// These columns, in this order.
    Columns(Vec<&'static str>),
    /// The number of matching rows.
    Count,
    /// Aggregates, per group of rows or over all of them.
    Aggregate(Box<crate::Aggregation>),
}

impl Selection {
    /// The name of the `i`-th column selected from `table`, for error messages.
    pub fn column_name(&self, table: &TableDef, i: usize) -> &'static str {
        let name = match self {
            // A SQL row: embedded structs are a column per field.
            Selection::Entity => table.flat().columns.get(i).map(|c| c.name),
            Selection::Columns(cols) => cols.get(i).copied(),
            Selection::Count => Some("count"),
            Selection::Aggregate(a) => a.items.get(i).map(|item| match item {
                crate::SelectItem::Column(c) => *c,
                crate::SelectItem::Aggregate(a) => a.column.unwrap_or("count"),
            }),
        };
        name.unwrap_or("?")
    }
}

/// A read.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectStmt {
    /// The table read.
    pub table: TableDef,
    /// What is returned.
    pub selection: Selection,
    /// The condition, if any.
    pub filter: Option<Expr>,
    /// Sort keys, most significant first.
    pub order: Vec<(&'static str, Direction)>,
    /// At most this many rows.
    pub limit: Option<u64>,
    /// Skip this many rows first.
    pub offset: Option<u64>,
    /// Whether the caller opted into a full scan with `.scan()`.
    pub scan: bool,
    /// The lock taken on the rows read, until the transaction ends, where
    /// the database has row locks (PostgreSQL, MySQL); SQLite and Turso
    /// lock the whole database for a write transaction, DynamoDB guards
    /// what a transaction read until its commit, and both ignore it.
    pub lock: Option<RowLock>,
}

/// A lock on the rows a read returns (`FOR UPDATE`, `FOR SHARE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowLock {
    /// Exclusive or shared.
    pub mode: LockMode,
    /// What a row another transaction has locked does to the read.
    pub wait: LockWait,
}

impl RowLock {
    /// A lock of `mode` that waits for a row another transaction holds.
    pub const fn waiting(mode: LockMode) -> Self {
        RowLock {
            mode,
            wait: LockWait::Wait,
        }
    }
}

/// The strength of a [`RowLock`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockMode {
    /// `FOR UPDATE`: no other transaction locks or writes the rows.
    Update,
    /// `FOR SHARE`: others may read-lock the rows, none may write them.
    Share,
}

/// What a read does about rows locked by another transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockWait {
    /// Waits for them.
    Wait,
    /// Leaves them out (`SKIP LOCKED`).
    SkipLocked,
    /// Fails at once (`NOWAIT`).
    NoWait,
}

impl SelectStmt {
    /// A statement reading every row of `table`.
    pub fn new(table: TableDef) -> Self {
        SelectStmt {
            table,
            selection: Selection::Entity,
            filter: None,
            order: Vec::new(),
            limit: None,
            offset: None,
            scan: false,
            lock: None,
        }
    }

    /// The read of the row of `E` with `key` (at most one row).
    pub fn by_key<E: Entity>(key: &E::Key) -> Self {
        let mut stmt = SelectStmt::new(TableDef::of::<E>());
        stmt.filter = Some(crate::write::key_filter::<E>(key));
        stmt
    }

    /// The name of the `i`-th selected column, for error messages.
    pub fn column_name(&self, i: usize) -> &'static str {
        self.selection.column_name(&self.table, i)
    }

    /// [`Error::Invalid`](crate::Error::Invalid) for an aggregating read
    /// that selects a column it neither groups nor aggregates.
    pub fn check(&self) -> Result<()> {
        match &self.selection {
            Selection::Aggregate(a) => a.check(self.table.entity),
            _ => Ok(()),
        }
    }
}

/// An insert of one or more whole rows.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertStmt {
    /// The table written.
    pub table: TableDef,
    /// Each row's values in `COLUMNS` order. The value of an `auto` column is
    /// ignored: the database generates it.
    pub rows: Vec<Vec<Value>>,
}

impl InsertStmt {
    /// An insert of `entities`, each row as its `write` encodes it;
    /// [`Error::Invalid`](crate::Error::Invalid) for a `write` out of
    /// `COLUMNS` order or of the wrong length.
    pub fn of<E: Entity>(entities: &[E]) -> Result<InsertStmt> {
        let table = TableDef::of::<E>();
        let rows = entities
            .iter()
            .map(crate::row::values_of)
            .collect::<Result<_>>()?;
        Ok(InsertStmt { table, rows })
    }
}

/// An insert of whole rows that, for a row whose `target` columns match a
/// row already stored, updates that row instead ([`Db::upsert`](crate::Db::upsert)).
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertStmt {
    /// The table written.
    pub table: TableDef,
    /// Each row's values in `COLUMNS` order, as [`InsertStmt::rows`]
    /// (version 1 in a version column; an `auto` column's value ignored).
    pub rows: Vec<Vec<Value>>,
    /// The columns whose values decide that a row exists: the primary key's,
    /// or a unique index's. No two rows share them.
    pub target: Vec<&'static str>,
    /// The columns written to a row that exists, from the new row; none to
    /// leave it as it is (insert or ignore). A version column is not among
    /// them: a backend adds 1 to it whenever `update` is not empty.
    pub update: Vec<&'static str>,
    /// Whether the backend reports which rows it inserted
    /// ([`Db::upsert_outcomes`](crate::Db::upsert_outcomes)).
    pub report: bool,
}

impl UpsertStmt {
    /// Each row's values in the [`target`](Self::target) columns, in row
    /// order: what decides that the row exists.
    pub fn targets(&self) -> Vec<Vec<Value>> {
        let columns = &self.table.columns;
        let at: Vec<usize> = self
            .target
            .iter()
            .filter_map(|t| columns.iter().position(|c| c.name == *t))
            .collect();
        let target = |row: &Vec<Value>| at.iter().map(|i| row[*i].clone()).collect();
        self.rows.iter().map(target).collect()
    }
}

/// An update of the rows matching a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateStmt {
    /// The table written.
    pub table: TableDef,
    /// The columns set and their new values.
    pub set: Vec<(&'static str, Value)>,
    /// Values set at paths inside JSON document columns. The filter holds,
    /// for each, the condition that the path's parent is an object (a row
    /// without it is not matched).
    pub paths: Vec<PathSet>,
    /// Which rows (all when `None`).
    pub filter: Option<Expr>,
    /// Columns changed by an amount, not set: `column = column + amount`,
    /// with the amount's [`Value`] of the column's type (negative to take
    /// away). Applied by the database, so no read is needed and no
    /// concurrent change is lost.
    pub add: Vec<(&'static str, Value)>,
    /// What a row the filter matched must also hold to be written
    /// (`.only_if`, a version check): lowered into the `WHERE` clause on
    /// SQL, into the ConditionExpression on DynamoDB.
    pub condition: Option<Expr>,
}

impl UpdateStmt {
    /// An update of the rows of `table` matching `filter` that sets nothing yet.
    pub fn new(table: TableDef, filter: Option<Expr>) -> Self {
        UpdateStmt {
            table,
            set: Vec::new(),
            paths: Vec::new(),
            filter,
            add: Vec::new(),
            condition: None,
        }
    }

    /// The filter and the condition, as one condition (the rows written).
    pub fn rows_written(&self) -> Option<Expr> {
        Expr::both(self.filter.clone(), self.condition.clone())
    }

    /// The update `Db::save` makes of `entity`: every column but the key
    /// set from the entity, on the row with its key; for a versioned
    /// entity, on the condition that the row holds the struct's version,
    /// which goes up by 1.
    pub fn save<E: Entity>(entity: &E) -> Result<UpdateStmt> {
        let table = TableDef::of::<E>();
        let mut values = crate::row::values_of(entity)?;
        table.fit_row(&mut values)?;
        let mut stmt = UpdateStmt::new(table, Some(crate::write::key_filter::<E>(&entity.key())));
        for (c, v) in table.columns.iter().zip(values) {
            if c.version {
                stmt.condition = Some(Expr::Cmp {
                    column: c.name,
                    op: crate::CmpOp::Eq,
                    value: v,
                });
            } else if !c.is_key() {
                stmt.set.push((c.name, v));
            }
        }
        crate::write::bump_version(&mut stmt);
        Ok(stmt)
    }
}

/// A value set at a path inside a JSON document column, the rest of the
/// document kept: `jsonb_set`, `JSON_SET`, `json_set`, `SET #doc.#a.#b`.
#[derive(Debug, Clone, PartialEq)]
pub struct PathSet {
    /// The document column.
    pub column: &'static str,
    /// The path's keys, each a [`Value::Text`] (a [`Value::List`] of them),
    /// or [`Value::Unencodable`] when a key cannot be addressed.
    pub path: Value,
    /// The path as SQLite and MySQL write it (`$."a"."b"`), or
    /// [`Value::Unencodable`].
    pub path_text: Value,
    /// The value set there: [`Value::Json`] text.
    pub value: Value,
}

impl PathSet {
    /// The path's keys (none when it cannot be addressed).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let keys = match &self.path {
            Value::List(keys) => keys.as_slice(),
            _ => &[],
        };
        keys.iter().filter_map(|k| match k {
            Value::Text(k) => Some(k.as_str()),
            _ => None,
        })
    }
}

/// A delete of the rows matching a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteStmt {
    /// The table written.
    pub table: TableDef,
    /// Which rows (all when `None`).
    pub filter: Option<Expr>,
    /// What a row the filter matched must also hold to be deleted
    /// (`.only_if`, a version check), as [`UpdateStmt::condition`].
    pub condition: Option<Expr>,
}

impl DeleteStmt {
    /// A delete of the rows of `table` matching `filter`.
    pub fn new(table: TableDef, filter: Option<Expr>) -> Self {
        DeleteStmt {
            table,
            filter,
            condition: None,
        }
    }

    /// The filter and the condition, as one condition (the rows deleted).
    pub fn rows_written(&self) -> Option<Expr> {
        Expr::both(self.filter.clone(), self.condition.clone())
    }
}
