//! Entry points on every entity type: `User::query()`, `User::update(key)`, ...

use crate::{DeleteKey, Entity, Select, Unindexed, UpdateKey};

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

    /// A delete of the row with `key`, for `Db::delete`.
    fn delete(key: impl Into<Self::Key>) -> DeleteKey<Self> {
        DeleteKey::new(&key.into())
    }
}

impl<E: Entity> EntityExt for E {}
