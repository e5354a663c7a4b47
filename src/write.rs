//! Update and delete builders: by key, or by filter.

use crate::Marker;
use std::marker::PhantomData;

use crate::{
    Access, CmpOp, Column, ColumnType, DeleteStmt, Embed, EmbeddedValue, Entity, Error, Expr,
    Field, IndexKind, Indexed, JsonTest, Key, PathSet, Result, Select, SelectStmt, TableDef,
    UpdateStmt, Value, ValueFor,
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
    /// What the update returns: `()` by key, the matched count by filter.
    type Output;
    /// The statement, checked (at least one column set, no key column set).
    fn into_stmt(self) -> Result<UpdateStmt>;
    /// The result, from the number of rows matched.
    fn finish(matched: u64, entity: &'static str) -> Result<Self::Output>;
    /// The count that tells a row that exists from one that does not, for
    /// an update by key whose condition can fail on an existing row (a path
    /// inside a document whose parent is missing).
    #[doc(hidden)]
    fn probe(&self) -> Option<SelectStmt> {
        None
    }
}

/// A delete accepted by [`Db::delete`](crate::Db::delete).
pub trait DeleteWrite {
    /// The access path, checked against the backend.
    type Access: Access;
    /// What the delete returns: `()` by key, the deleted count by filter.
    type Output;
    /// The statement.
    fn into_stmt(self) -> DeleteStmt;
    /// The result, from the number of rows deleted.
    fn finish(matched: u64, entity: &'static str) -> Result<Self::Output>;
}

fn one_row(matched: u64, entity: &'static str) -> Result<()> {
    if matched == 0 {
        Err(Error::NotFound { entity })
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
    if stmt.set.is_empty() && stmt.paths.is_empty() {
        return Err(Error::Invalid {
            what: "update",
            detail: "no column is set".into(),
        });
    }
    for (name, value) in &stmt.set {
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
        let stmt = UpdateStmt {
            table: TableDef::of::<E>(),
            set: Vec::new(),
            paths: Vec::new(),
            filter: Some(key_filter::<E>(key)),
        };
        UpdateKey {
            stmt,
            _marker: PhantomData,
        }
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
        let stmt = UpdateStmt {
            table: TableDef::of::<E>(),
            set: Vec::new(),
            paths: Vec::new(),
            filter: query.filter_expr(),
        };
        UpdateWhere {
            stmt,
            _marker: PhantomData,
        }
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
    _marker: Marker<E>,
}

/// Deletes every row matching a filter. Built with `query.delete()`;
/// `Db::delete` returns the number of rows deleted.
#[derive(Debug)]
#[must_use = "a delete does nothing until passed to `Db::delete`"]
pub struct DeleteWhere<E, A> {
    pub(crate) stmt: DeleteStmt,
    _marker: Marker<(E, A)>,
}

impl<E: Entity> DeleteKey<E> {
    pub(crate) fn new(key: &E::Key) -> Self {
        let stmt = DeleteStmt {
            table: TableDef::of::<E>(),
            filter: Some(key_filter::<E>(key)),
        };
        DeleteKey {
            stmt,
            _marker: PhantomData,
        }
    }
}

impl<E: Entity, A: Access> DeleteWhere<E, A> {
    pub(crate) fn new(query: Select<E, A>) -> Self {
        DeleteWhere {
            stmt: DeleteStmt {
                table: TableDef::of::<E>(),
                filter: query.filter_expr(),
            },
            _marker: PhantomData,
        }
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
    type Output = ();
    fn into_stmt(self) -> Result<UpdateStmt> {
        check_settable(&self.stmt)?;
        Ok(self.stmt)
    }
    fn finish(matched: u64, entity: &'static str) -> Result<()> {
        one_row(matched, entity)
    }
    fn probe(&self) -> Option<SelectStmt> {
        if self.stmt.paths.is_empty() {
            return None;
        }
        // The key's conditions, without the guards of the paths.
        let key = match self.stmt.filter.clone()? {
            Expr::And(parts) => Expr::And(
                parts
                    .into_iter()
                    .filter(|p| {
                        !matches!(
                            p,
                            Expr::Json {
                                test: JsonTest::Object,
                                ..
                            }
                        )
                    })
                    .collect(),
            ),
            other => other,
        };
        let mut probe = SelectStmt::new(self.stmt.table);
        probe.selection = crate::Selection::Count;
        probe.filter = Some(key);
        Some(probe)
    }
}

impl<E: Entity, A: Access> UpdateWrite for UpdateWhere<E, A> {
    type Access = A;
    type Output = u64;
    fn into_stmt(self) -> Result<UpdateStmt> {
        check_settable(&self.stmt)?;
        Ok(self.stmt)
    }
    fn finish(matched: u64, _: &'static str) -> Result<u64> {
        Ok(matched)
    }
}

impl<E: Entity> DeleteWrite for DeleteKey<E> {
    type Access = Indexed;
    type Output = ();
    fn into_stmt(self) -> DeleteStmt {
        self.stmt
    }
    fn finish(matched: u64, entity: &'static str) -> Result<()> {
        one_row(matched, entity)
    }
}

impl<E: Entity, A: Access> DeleteWrite for DeleteWhere<E, A> {
    type Access = A;
    type Output = u64;
    fn into_stmt(self) -> DeleteStmt {
        self.stmt
    }
    fn finish(matched: u64, _: &'static str) -> Result<u64> {
        Ok(matched)
    }
}
