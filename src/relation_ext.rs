//! Methods on every relation: include builders, scoped queries, lazy loads.

use std::future::Future;

use futures::FutureExt;

use crate::load::load_one;
use crate::{
    CmpOp, Db, Entity, Error, Executor, Expr, FilterFor, Include, Includes, InsertStmt,
    IntoInclude, JoinOrder, Key, KeyOrder, Link, LinkSide, NoIncludes, OrderBy, OrderKind,
    Relation, Result, Select, Supports, TableDef, Value,
};

/// The access path of relation `R`'s lookup.
pub type LinkAccess<R> =
    <<R as Relation>::Link as Link<<R as Relation>::From, <R as Relation>::To>>::Access;

/// What a lazy [`RelationExt::load`] of `R` returns.
pub type Related<R> =
    <<R as Relation>::Link as Link<<R as Relation>::From, <R as Relation>::To>>::Owned<
        <R as Relation>::To,
    >;

fn key_value<K: Key>(key: &K, entity: &'static str) -> Result<Value> {
    match crate::load::scalar_key(key) {
        Some(value) => Ok(value),
        None => Err(Error::Invalid {
            what: "relation",
            detail: format!("`{entity}` has a composite key; relations need a scalar key"),
        }),
    }
}

fn column_value<E: Entity>(entity: &E, column: &str) -> Result<Value> {
    let mut values = crate::row::values_at(entity, [column], "relation")?;
    Ok(values.pop().unwrap_or(Value::Null))
}

/// Builders and loaders on every [`Relation`]; in the prelude.
pub trait RelationExt: Relation {
    /// Includes this relation with `nested` loaded below it, e.g.
    /// `User::TODOS.include(Todo::TAGS)`.
    fn include<I: IntoInclude<Self::To>>(
        self,
        nested: I,
    ) -> Include<Self, Includes<I::Entry, NoIncludes>> {
        Include::new(self).include(nested)
    }

    /// Includes only the related rows matching `filter`.
    fn filter<F: FilterFor<Self::To>>(self, filter: F) -> Include<Self, NoIncludes> {
        Include::new(self).filter(filter)
    }

    /// Includes the related rows in this order.
    fn order_by<O: OrderKind>(
        self,
        order: OrderBy<Self::To, O>,
    ) -> Include<Self, NoIncludes, <KeyOrder as JoinOrder<O>>::Output>
    where
        KeyOrder: JoinOrder<O>,
    {
        Include::new(self).order_by(order)
    }

    /// A query over the rows related to `parent` (add filters, order, limits;
    /// turn it into `.update()` or `.delete()`). Its access path is the link's.
    fn of(self, parent: &Self::From) -> Result<Select<Self::To, LinkAccess<Self>>> {
        let to = TableDef::of::<Self::To>();
        let filter = match Self::LINK.side() {
            LinkSide::Target(fk) => {
                let value = key_value(&parent.key(), TableDef::of::<Self::From>().entity)?;
                Expr::Cmp {
                    column: fk,
                    op: CmpOp::Eq,
                    value,
                }
            }
            LinkSide::Source(fk) => {
                let key = to.key_columns().next().map_or("?", |c| c.name);
                match column_value(parent, fk)? {
                    Value::Null => Expr::InList {
                        column: key,
                        values: Vec::new(),
                    },
                    value => Expr::Cmp {
                        column: key,
                        op: CmpOp::Eq,
                        value,
                    },
                }
            }
        };
        Ok(Select::with_filter(filter))
    }

    /// Loads the related rows of one `parent` now: `Vec<To>` for has-many,
    /// `Option<To>` for has-one and optional belongs-to, `To` for belongs-to.
    fn load<'a, X>(
        self,
        parent: &'a Self::From,
        db: &'a Db<X>,
    ) -> impl Future<Output = Result<Related<Self>>> + Send + 'a
    where
        X: Executor + Supports<LinkAccess<Self>>,
    {
        load_one::<Self, X>(db.executor(), parent)
            .map(|store| store.and_then(<Self::Link as Link<Self::From, Self::To>>::owned))
    }

    /// Inserts `child` as related to `parent`, with its foreign key set to the
    /// parent's key whatever `child` holds; returns the child's key.
    fn create<X: Executor>(
        self,
        parent: &Self::From,
        child: &Self::To,
        db: &Db<X>,
    ) -> impl Future<Output = Result<<Self::To as Entity>::Key>> + Send {
        async move {
            let fk = match Self::LINK.side() {
                LinkSide::Target(fk) => fk,
                LinkSide::Source(_) => {
                    return Err(Error::Invalid {
                        what: "relation",
                        detail: "`create` works on has-many and has-one relations; insert the parent of a belongs-to directly".into(),
                    });
                }
            };
            let table = TableDef::of::<Self::To>();
            let at = table
                .columns
                .iter()
                .position(|c| c.name == fk)
                .ok_or_else(|| Error::Invalid {
                    what: "relation",
                    detail: format!("`{}` has no column `{fk}`", table.entity),
                })?;
            let mut row = crate::row::values_of(child)?;
            if let Some(slot) = row.get_mut(at) {
                *slot = key_value(&parent.key(), TableDef::of::<Self::From>().entity)?;
            }
            // A key keyway generates is made here; the key returned is the
            // row's (its foreign key may be part of it).
            crate::generated::fill(&table, &mut row)?;
            let key = key_of_row::<Self::To>(&table, &row)?;
            let mut keys = db
                .insert_values::<Self::To>(
                    InsertStmt {
                        table,
                        rows: vec![row],
                    },
                    || vec![key],
                )
                .await?;
            keys.pop().ok_or(Error::NotFound {
                entity: table.entity,
            })
        }
    }
}

impl<R: Relation> RelationExt for R {}

/// The key of an entity's row (values in `COLUMNS` order), partition
/// first.
fn key_of_row<E: Entity>(table: &TableDef, row: &[crate::Value]) -> Result<E::Key> {
    let values = table.key_columns().filter_map(|key| {
        let at = table.columns.iter().position(|c| c.name == key.name)?;
        row.get(at).cloned()
    });
    <E::Key as crate::Key>::from_values(values).map_err(|source| Error::Decode {
        entity: table.entity,
        column: "key".into(),
        source,
    })
}
