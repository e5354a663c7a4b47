//! Update and delete builders: by key, or by filter.

use crate::Marker;
use std::marker::PhantomData;

use crate::refusal::{Refusal, Why};
use crate::{
    Access, CmpOp, Column, ColumnType, Counter, DeleteStmt, Embed, EmbeddedValue, Entity, Error,
    Expr, Field, Filter, IndexKind, Indexed, Key, PathSet, Result, Select, TableDef, UpdateStmt,
    Value, ValueFor,
};

/// The condition matching exactly the row with `key`.
/// The filter matching the row with `key`: each key column (partition, then
/// sort) equal to the key's value for it.
pub(crate) fn key_filter<E: Entity>(key: &E::Key) -> Expr {
    let mut columns = TableDef::of::<E>().key_columns();
    let mut filter = None::<Expr>;
    key.for_each_value(|value| {
        if let Some(c) = columns.next() {
            let part = Expr::Cmp {
                column: c.name,
                op: CmpOp::Eq,
                value,
            };
            filter = Some(match filter.take() {
                None => part,
                Some(before) => before.and(part),
            });
        }
    });
    filter.unwrap_or(Expr::And(Vec::new()))
}

/// An update accepted by [`Db::update`](crate::Db::update).
pub trait UpdateWrite {
    /// The access path, checked against the backend.
    type Access: Access;
    /// The entity written.
    type Entity: Entity;
    /// What the update returns: `()` by key, the matched count by filter;
    /// with [`.returning()`](UpdateKey::returning), the rows written.
    type Output;
    /// Whether the rows written come back (`.returning()`).
    #[doc(hidden)]
    const RETURNING: bool = false;
    /// The statement, checked (at least one column set, no key column set).
    fn into_stmt(self) -> Result<UpdateStmt>;
    /// The result, from the number of rows matched and, for a write with
    /// [`RETURNING`](Self::RETURNING), the rows as written.
    fn finish(matched: u64, rows: Vec<Self::Entity>) -> Result<Self::Output>;
    /// For an update by key whose condition can fail on an existing row
    /// (`.only_if`, a version, a path inside a document whose parent is
    /// missing): what tells the errors apart when it matches nothing.
    #[doc(hidden)]
    fn refusal(&self) -> Option<Refusal> {
        None
    }
}

/// A delete accepted by [`Db::delete`](crate::Db::delete).
pub trait DeleteWrite {
    /// The access path, checked against the backend.
    type Access: Access;
    /// The entity deleted.
    type Entity: Entity;
    /// What the delete returns: `()` by key, the deleted count by filter;
    /// with [`.returning()`](DeleteKey::returning), the rows deleted.
    type Output;
    /// Whether the rows deleted come back (`.returning()`).
    #[doc(hidden)]
    const RETURNING: bool = false;
    /// The statement, checked.
    fn into_stmt(self) -> Result<DeleteStmt>;
    /// The result, from the number of rows deleted and, for a delete with
    /// [`RETURNING`](Self::RETURNING), the rows as they were (as stamped,
    /// for a soft delete).
    fn finish(matched: u64, rows: Vec<Self::Entity>) -> Result<Self::Output>;
    /// For a delete by key with a condition: what tells the errors apart
    /// when it deletes nothing.
    #[doc(hidden)]
    fn refusal(&self) -> Option<Refusal> {
        None
    }
    /// Whether the rows are removed even from an entity with a deleted-at
    /// column (`.hard()`), rather than stamped.
    #[doc(hidden)]
    fn is_hard(&self) -> bool {
        false
    }
}

pub(crate) fn one_row<E: Entity>(matched: u64) -> Result<()> {
    if matched == 0 {
        Err(Error::NotFound {
            entity: TableDef::of::<E>().entity,
        })
    } else {
        Ok(())
    }
}

/// Sets only the given columns of one row, found by key. Built with
/// `E::update(key)`; `Db::update` fails with [`Error::NotFound`] when no row has the key.
#[derive(Debug)]
#[must_use = "an update does nothing until passed to `Db::update`"]
pub struct UpdateKey<E> {
    pub(crate) stmt: UpdateStmt,
    checks: Checks,
    _marker: Marker<E>,
}

/// Sets the given columns of every row matching a filter. Built with
/// `query.update()`; `Db::update` returns the number of rows matched.
#[derive(Debug)]
#[must_use = "an update does nothing until passed to `Db::update`"]
pub struct UpdateWhere<E, A> {
    pub(crate) stmt: UpdateStmt,
    _marker: Marker<(E, A)>,
}

/// An embedded struct's value for an update; a struct whose `write` is
/// wrong is refused by every backend as out of range.
fn embedded_value<V: EmbeddedValue>(value: V) -> Value {
    value.encode().unwrap_or_else(Value::Unencodable)
}

fn push_set(stmt: &mut UpdateStmt, column: &'static str, value: Value) {
    match stmt.set.iter_mut().find(|(c, _)| *c == column) {
        Some(slot) => slot.1 = value,
        None => stmt.set.push((column, value)),
    }
}

fn push_add(stmt: &mut UpdateStmt, column: &'static str, amount: Value) {
    match stmt.add.iter_mut().find(|(c, _)| *c == column) {
        // Two increments of one column: their sum (an overflow of the sum
        // is refused as the column's would be).
        Some(slot) => slot.1 = crate::counter::sum(&slot.1, &amount),
        None => stmt.add.push((column, amount)),
    }
}

/// Every write of a versioned entity adds 1 to its version.
pub(crate) fn bump_version(stmt: &mut UpdateStmt) {
    if let Some((_, c)) = stmt.table.version_column() {
        stmt.add.push((c.name, Value::I64(1)));
    }
}

/// Whether one path is a prefix of the other (DynamoDB refuses both in one
/// update; SQL would apply them in turn).
fn overlap(a: &PathSet, b: &PathSet) -> bool {
    // A path that cannot be addressed has no keys: refused on its own.
    let addressed = |p: &PathSet| matches!(p.path, Value::List(_));
    addressed(a) && addressed(b) && a.keys().zip(b.keys()).all(|(x, y)| x == y)
}

fn check_settable(stmt: &UpdateStmt) -> Result<()> {
    for (i, p) in stmt.paths.iter().enumerate() {
        // The document, or the embedded struct whose field it is.
        let whole = stmt.table.embedded_field(p.column).map(|(w, _)| w.name);
        let detail = if stmt
            .set
            .iter()
            .any(|(c, _)| *c == p.column || Some(*c) == whole)
        {
            format!(
                "the update sets `{}` of `{}` whole and a path inside it: set one or the other",
                p.column, stmt.table.entity
            )
        } else if let Some(q) = stmt.paths[..i]
            .iter()
            .find(|q| q.column == p.column && overlap(p, q))
        {
            format!(
                "the update sets paths {:?} and {:?} of `{}`, one inside the other: set the outer one only",
                q.keys().collect::<Vec<_>>(),
                p.keys().collect::<Vec<_>>(),
                p.column
            )
        } else {
            continue;
        };
        return Err(Error::Invalid {
            what: "update",
            detail,
        });
    }
    if stmt.set.is_empty() && stmt.paths.is_empty() && stmt.add.is_empty() {
        return Err(Error::Invalid {
            what: "update",
            detail: "no column is set".into(),
        });
    }
    for (name, amount) in &stmt.add {
        let detail = if stmt.set.iter().any(|(c, _)| c == name) {
            format!(
                "the update sets `{name}` of `{}` and adds to it: do one or the other",
                stmt.table.entity
            )
        } else if let Value::Unencodable(why) = amount {
            format!("adding to `{name}` of `{}`: {why}", stmt.table.entity)
        } else if stmt.table.embedded_field(name).is_some() {
            format!(
                "`{name}` is a field of an embedded struct of `{}`: set it with `.set(..)`",
                stmt.table.entity
            )
        } else {
            continue;
        };
        return Err(Error::Invalid {
            what: "update",
            detail,
        });
    }
    for name in stmt
        .set
        .iter()
        .map(|(c, _)| c)
        .chain(stmt.add.iter().map(|(c, _)| c))
    {
        if stmt.table.column(name).is_some_and(|c| c.version) {
            return Err(Error::Invalid {
                what: "update",
                detail: format!(
                    "`{name}` is the version of `{}`: every write adds 1 to it, and `if_version` checks it",
                    stmt.table.entity
                ),
            });
        }
    }
    let added = stmt.add.iter().map(|(c, _)| (c, &Value::Null));
    for (name, value) in stmt.set.iter().map(|(c, v)| (c, v)).chain(added) {
        if let Some((whole, field)) = stmt.table.embedded_field(name) {
            let detail = if whole.nullable {
                format!(
                    "`{name}` is a field of the optional embedded struct `{}` of `{}`: set the struct whole with `set_embedded` (a row without one would be left half-filled)",
                    whole.name, stmt.table.entity
                )
            } else if stmt.set.iter().any(|(c, _)| *c == whole.name) {
                format!(
                    "the update sets `{}` of `{}` whole and its field `{}`: set one or the other",
                    whole.name, stmt.table.entity, field.name
                )
            } else {
                continue;
            };
            return Err(Error::Invalid {
                what: "update",
                detail,
            });
        }
        if let Some(c) = stmt.table.column(name)
            && let ColumnType::Struct(fields) = c.ty
        {
            let fits = match value {
                Value::Struct(values) => values.len() == fields.len(),
                Value::Null => c.nullable,
                other => matches!(other, Value::Unencodable(_)),
            };
            if !fits {
                return Err(Error::Invalid {
                    what: "update",
                    detail: format!(
                        "`{name}` of `{}` holds an embedded struct of {} fields: set it with `set_embedded`",
                        stmt.table.entity,
                        fields.len()
                    ),
                });
            }
        }
        if stmt.table.sql_column(name).is_none() {
            return Err(Error::Invalid {
                what: "update",
                detail: format!(
                    "`{name}` is not a column of `{}`: list its handle's `.def()` in `COLUMNS` (a field, in its struct's `FIELDS`)",
                    stmt.table.entity
                ),
            });
        }
        if stmt.table.column(name).is_some_and(|c| c.is_key()) {
            return Err(Error::Invalid {
                what: "update",
                detail: format!(
                    "key column `{name}` of `{}` cannot be updated",
                    stmt.table.entity
                ),
            });
        }
    }
    Ok(())
}

impl<E: Entity> UpdateKey<E> {
    pub(crate) fn new(key: &E::Key) -> Self {
        let checks = Checks::new::<E>(key);
        let stmt = UpdateStmt::new(TableDef::of::<E>(), Some(checks.key.clone()));
        UpdateKey {
            stmt,
            checks,
            _marker: PhantomData,
        }
    }

    /// Adds `amount` to `column` in the database (`column = column +
    /// amount`; a negative amount takes away): a counter changes without a
    /// read, and concurrent increments all count. Past the range of the
    /// column's type it is [`Error::OutOfRange`] and nothing is written.
    pub fn increment<T: Counter, K: IndexKind>(
        mut self,
        column: Column<E, T, K>,
        amount: T,
    ) -> Self {
        push_add(&mut self.stmt, column.name(), amount.to_value());
        self
    }

    /// Writes only if the row also matches `condition`, checked by the
    /// database with the write; otherwise [`Error::ConditionFailed`] (or
    /// [`Error::NotFound`] when no row has the key) and nothing is
    /// written. Any column may be tested, on every backend (a
    /// ConditionExpression on DynamoDB). Several `only_if` must all hold.
    pub fn only_if<A: Access>(mut self, condition: Filter<E, A>) -> Self {
        self.checks.only_if(condition.into_expr());
        self
    }

    /// Writes only if the row's version ([`Column::version`]) is still
    /// `version`, the one read; otherwise [`Error::Conflict`]. The update
    /// adds 1 to the version either way it is written.
    pub fn if_version(mut self, version: i64) -> Self {
        self.checks.version = Some(version);
        self
    }

    /// Sets `column` to `value` (a later `set` of the same column wins).
    pub fn set<T: Field, K: IndexKind>(
        mut self,
        column: Column<E, T, K>,
        value: impl ValueFor<T>,
    ) -> Self {
        push_set(&mut self.stmt, column.name(), column.bind(value));
        self
    }

    /// Sets the embedded struct in `column` to `value`, whole: every field
    /// on SQL, the one map on DynamoDB. (One field of a struct that is not
    /// optional is set with [`set`](Self::set) and
    /// [`Embed::field`](crate::Embed::field).)
    pub fn set_embedded<V: EmbeddedValue>(
        mut self,
        column: Embed<E, V>,
        value: impl Into<V>,
    ) -> Self {
        push_set(&mut self.stmt, column.name(), embedded_value(value.into()));
        self
    }
}

impl<E: Entity, A: Access> UpdateWhere<E, A> {
    pub(crate) fn new(query: Select<E, A>) -> Self {
        let stmt = UpdateStmt::new(TableDef::of::<E>(), query.filter_expr());
        UpdateWhere {
            stmt,
            _marker: PhantomData,
        }
    }

    /// Adds `amount` to `column` in every matching row, in the database
    /// (see [`UpdateKey::increment`]).
    pub fn increment<T: Counter, K: IndexKind>(
        mut self,
        column: Column<E, T, K>,
        amount: T,
    ) -> Self {
        push_add(&mut self.stmt, column.name(), amount.to_value());
        self
    }

    /// Sets `column` to `value` in every matching row.
    pub fn set<T: Field, K: IndexKind>(
        mut self,
        column: Column<E, T, K>,
        value: impl ValueFor<T>,
    ) -> Self {
        push_set(&mut self.stmt, column.name(), column.bind(value));
        self
    }

    /// Sets the embedded struct in `column` to `value`, whole, in every
    /// matching row.
    pub fn set_embedded<V: EmbeddedValue>(
        mut self,
        column: Embed<E, V>,
        value: impl Into<V>,
    ) -> Self {
        push_set(&mut self.stmt, column.name(), embedded_value(value.into()));
        self
    }
}

/// Deletes one row by key. Built with `E::delete(key)`; `Db::delete` fails with
/// [`Error::NotFound`] when no row has the key.
#[derive(Debug)]
#[must_use = "a delete does nothing until passed to `Db::delete`"]
pub struct DeleteKey<E> {
    pub(crate) stmt: DeleteStmt,
    checks: Checks,
    hard: bool,
    _marker: Marker<E>,
}

/// The conditions of a write by key: its key, the version it expects and
/// its `.only_if`.
#[derive(Debug, Clone)]
pub(crate) struct Checks {
    pub(crate) table: TableDef,
    pub(crate) key: Expr,
    pub(crate) version: Option<i64>,
    only_if: Option<Expr>,
}

impl Checks {
    pub(crate) fn new<E: Entity>(key: &E::Key) -> Self {
        Checks {
            table: TableDef::of::<E>(),
            key: key_filter::<E>(key),
            version: None,
            only_if: None,
        }
    }

    pub(crate) fn only_if(&mut self, condition: Expr) {
        self.only_if = Expr::both(self.only_if.take(), Some(condition));
    }

    /// The version check: the version column holding the version expected.
    fn version_check(&self) -> Option<Expr> {
        let (_, column) = self.table.version_column()?;
        Some(Expr::Cmp {
            column: column.name,
            op: CmpOp::Eq,
            value: Value::I64(self.version?),
        })
    }

    /// The statement's condition.
    pub(crate) fn condition(&self) -> Option<Expr> {
        Expr::both(self.version_check(), self.only_if.clone())
    }

    /// `Error::Invalid` for a version expected of an entity without a version column.
    pub(crate) fn invalid(&self) -> Option<Error> {
        (self.version.is_some() && self.table.version_column().is_none()).then(|| Error::Invalid {
            what: "version",
            detail: format!(
                "`{}` has no version column: declare one with `Column::version`",
                self.table.entity
            ),
        })
    }

    /// The checks in the order they are counted: the version, the
    /// condition, then `more` (the headroom of each increment).
    pub(crate) fn refusal(&self, more: Vec<(Expr, Why)>, needed: bool) -> Option<Refusal> {
        let version = self.version_check();
        if version.is_none() && self.only_if.is_none() && more.is_empty() && !needed {
            return None;
        }
        let mut r = Refusal::new(self.table, self.key.clone());
        r.checks.extend(version.map(|v| (v, Why::Conflict)));
        r.checks
            .extend(self.only_if.clone().map(|c| (c, Why::Condition)));
        r.checks.extend(more);
        Some(r)
    }
}

/// Deletes every row matching a filter. Built with `query.delete()`;
/// `Db::delete` returns the number of rows deleted.
#[derive(Debug)]
#[must_use = "a delete does nothing until passed to `Db::delete`"]
pub struct DeleteWhere<E, A> {
    pub(crate) stmt: DeleteStmt,
    hard: bool,
    _marker: Marker<(E, A)>,
}

impl<E: Entity> DeleteKey<E> {
    pub(crate) fn new(key: &E::Key) -> Self {
        let checks = Checks::new::<E>(key);
        let stmt = DeleteStmt::new(TableDef::of::<E>(), Some(checks.key.clone()));
        DeleteKey {
            stmt,
            checks,
            hard: false,
            _marker: PhantomData,
        }
    }

    /// Removes the row even from an entity with a deleted-at column
    /// ([`Column::deleted_at`]), whose delete otherwise only stamps it; a
    /// soft-deleted row included.
    pub fn hard(mut self) -> Self {
        self.hard = true;
        self
    }

    /// Deletes only if the row also matches `condition` (see
    /// [`UpdateKey::only_if`]); otherwise [`Error::ConditionFailed`].
    pub fn only_if<A: Access>(mut self, condition: Filter<E, A>) -> Self {
        self.checks.only_if(condition.into_expr());
        self
    }

    /// Deletes only if the row's version is still `version`; otherwise
    /// [`Error::Conflict`].
    pub fn if_version(mut self, version: i64) -> Self {
        self.checks.version = Some(version);
        self
    }
}

impl<E: Entity, A: Access> DeleteWhere<E, A> {
    pub(crate) fn new(query: Select<E, A>) -> Self {
        DeleteWhere {
            stmt: DeleteStmt::new(TableDef::of::<E>(), query.filter_expr()),
            hard: false,
            _marker: PhantomData,
        }
    }

    /// Removes the rows even from an entity with a deleted-at column, whose
    /// delete otherwise only stamps them (see [`DeleteKey::hard`]).
    pub fn hard(mut self) -> Self {
        self.hard = true;
        self
    }
}

impl<E: Entity, A: Access> Select<E, A> {
    /// Turns the query into an update of every matching row.
    pub fn update(self) -> UpdateWhere<E, A> {
        UpdateWhere::new(self)
    }

    /// Turns the query into a delete of every matching row.
    pub fn delete(self) -> DeleteWhere<E, A> {
        DeleteWhere::new(self)
    }
}

impl<E: Entity> UpdateWrite for UpdateKey<E> {
    type Access = Indexed;
    type Entity = E;
    type Output = ();
    fn into_stmt(mut self) -> Result<UpdateStmt> {
        if let Some(e) = self.checks.invalid() {
            return Err(e);
        }
        check_settable(&self.stmt)?;
        bump_version(&mut self.stmt);
        self.stmt.condition = self.checks.condition();
        Ok(self.stmt)
    }
    fn finish(matched: u64, _: Vec<E>) -> Result<()> {
        one_row::<E>(matched)
    }
    fn refusal(&self) -> Option<Refusal> {
        // An increment out of range (DynamoDB checks each in the write's
        // condition; SQL databases refuse it themselves).
        let ranges = self
            .stmt
            .add
            .iter()
            .filter_map(|(column, amount)| {
                let (op, limit) = crate::counter_headroom(amount)?;
                let fits = Expr::Cmp {
                    column,
                    op,
                    value: limit,
                };
                Some((fits, Why::Range(column)))
            })
            .collect();
        // A document path's parent missing: what is left once the row is there.
        let paths = !self.stmt.paths.is_empty();
        self.checks.refusal(ranges, paths)
    }
}

impl<E: Entity, A: Access> UpdateWrite for UpdateWhere<E, A> {
    type Access = A;
    type Entity = E;
    type Output = u64;
    fn into_stmt(mut self) -> Result<UpdateStmt> {
        check_settable(&self.stmt)?;
        bump_version(&mut self.stmt);
        Ok(self.stmt)
    }
    fn finish(matched: u64, _: Vec<E>) -> Result<u64> {
        Ok(matched)
    }
}

impl<E: Entity> DeleteWrite for DeleteKey<E> {
    type Access = Indexed;
    type Entity = E;
    type Output = ();
    fn into_stmt(mut self) -> Result<DeleteStmt> {
        if let Some(e) = self.checks.invalid() {
            return Err(e);
        }
        self.stmt.condition = self.checks.condition();
        Ok(self.stmt)
    }
    fn finish(matched: u64, _: Vec<E>) -> Result<()> {
        one_row::<E>(matched)
    }
    fn refusal(&self) -> Option<Refusal> {
        self.checks.refusal(Vec::new(), false)
    }
    fn is_hard(&self) -> bool {
        self.hard
    }
}

impl<E: Entity, A: Access> DeleteWrite for DeleteWhere<E, A> {
    type Access = A;
    type Entity = E;
    type Output = u64;
    fn into_stmt(self) -> Result<DeleteStmt> {
        Ok(self.stmt)
    }
    fn finish(matched: u64, _: Vec<E>) -> Result<u64> {
        Ok(matched)
    }
    fn is_hard(&self) -> bool {
        self.hard
    }
}
