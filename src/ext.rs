//! Entry points on every entity type: `User::query()`, `User::update(key)`, ...

use crate::loaded::LoadedIn;

use crate::{DeleteKey, Entity, Link, NoIncludes, Relation, Select, Unindexed, UpdateKey, Upsert};

/// Builders reachable from the entity type, implemented for every [`Entity`].
/// Bring it into scope with `use keyway::prelude::*`.
pub trait EntityExt: Entity {
    /// A query over every row (add `.filter(..)` to narrow it).
    fn query() -> Select<Self, Unindexed> {
        Select::new()
    }

    /// An update of the row with `key`; add `.set(column, value)` for each
    /// changed column and pass it to `Db::update`.
    fn update(key: impl Into<Self::Key>) -> UpdateKey<Self> {
        UpdateKey::new(&key.into())
    }

    /// The row with `key`, for `Db::find_together`, which reads several
    /// rows (of one entity or several) as of one moment.
    fn at(key: impl Into<Self::Key>) -> crate::At<Self> {
        crate::At::new(key.into())
    }

    /// A check of the row with `key`, for `Db::check`: add `.only_if(..)`
    /// for what it must hold.
    fn check(key: impl Into<Self::Key>) -> crate::CheckKey<Self> {
        crate::CheckKey::new(&key.into())
    }

    /// A delete of the row with `key`, for `Db::delete`.
    fn delete(key: impl Into<Self::Key>) -> DeleteKey<Self> {
        DeleteKey::new(&key.into())
    }

    /// An upsert of `rows`, for `Db::upsert`: each inserted, or written over
    /// the stored row with its key (add `.on_conflict(..)` to match on a
    /// unique index, `.update(..)` or `.ignore()` to write less).
    fn upsert(rows: &[Self]) -> Upsert<'_, Self> {
        Upsert::new(rows)
    }

    /// A relation of a plain row: never compiles, since a row from a query
    /// without `.include(..)` has no relation loaded. It is here so that
    /// `user.get(User::TODOS)` reads "relation `UserTodos` is not loaded" and
    /// names the fix: include it in the query (rows then come back as
    /// [`Loaded`](crate::Loaded), whose `get` compiles), or load it lazily
    /// with `User::TODOS.load(&user, &db)`.
    fn get<R>(
        &self,
        relation: R,
    ) -> <R::Link as Link<Self, R::To>>::Ref<'_, <R as LoadedIn<NoIncludes>>::Output>
    where
        R: Relation<From = Self> + LoadedIn<NoIncludes>,
    {
        let _ = relation;
        <R::Link as Link<Self, R::To>>::get(R::store(&()))
    }
}

impl<E: Entity> EntityExt for E {}
