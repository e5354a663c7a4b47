//! Relations: zero-sized marker types the user implements `Relation` on.

use std::sync::Arc;

use crate::{
    Access, Column, Entity, Error, Field, IndexKind, Indexed, KeyPart, References, Result,
};

/// A relation from `From` to `To`, implemented by hand on a zero-sized marker.
///
/// The entity structs keep no relation fields: a query that `.include`s the
/// relation returns [`Loaded`](crate::Loaded) rows whose
/// [`get`](crate::Loaded::get) compiles only for included relations.
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); }
/// # use model::{Todo, User};
/// use keyway::{Column, HasMany, Relation, Secondary};
///
/// /// A user's todos.
/// #[derive(Debug, Clone, Copy)]
/// pub struct UserTodos;
///
/// impl Relation for UserTodos {
///     type From = User;
///     type To = Todo;
///     type Slot = keyway::typenum::U0; // unique among `User`'s relations
///     type Link = HasMany<Column<Todo, i64, Secondary>>;
///     const LINK: Self::Link = HasMany(Todo::OWNER_ID);
/// }
///
/// impl User {
///     /// The relation handle: `User::query().include(User::TODOS)`.
///     pub const TODOS: UserTodos = UserTodos;
/// }
/// # fn main() {}
/// ```
pub trait Relation: Copy + Send + Sync + 'static {
    /// The entity the relation starts at.
    type From: Entity;
    /// The entity it reaches.
    type To: Entity;
    /// A number unique among the relations of `From` (`typenum::U0`, `U1`, ...),
    /// which identifies the relation inside a loaded row's type.
    type Slot: typenum::Unsigned + typenum::IsEqual<Self::Slot>;
    /// The kind of link and its foreign-key column: [`HasMany`], [`HasOne`] or [`BelongsTo`].
    type Link: Link<Self::From, Self::To>;
    /// The link value, e.g. `HasMany(Todo::OWNER_ID)`.
    const LINK: Self::Link;
}

/// `From` has many `To`, whose foreign-key column (on `To`) holds `From`'s key.
#[derive(Debug, Clone, Copy)]
pub struct HasMany<C>(pub C);

/// `From` has at most one `To`, whose foreign-key column (on `To`) holds `From`'s key.
#[derive(Debug, Clone, Copy)]
pub struct HasOne<C>(pub C);

/// `From` belongs to one `To`: `From`'s foreign-key column holds `To`'s key
/// (an `Option` column for an optional parent).
#[derive(Debug, Clone, Copy)]
pub struct BelongsTo<C>(pub C);

/// Where the foreign key of a link lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSide {
    /// On the target (`HasMany`, `HasOne`): this column of `To` holds `From`'s key.
    Target(&'static str),
    /// On the source (`BelongsTo`): this column of `From` holds `To`'s key.
    Source(&'static str),
}

/// The behaviour of a link kind. Implemented for [`HasMany`], [`HasOne`] and
/// [`BelongsTo`] over a foreign-key column of the right entity and type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a valid link from `{From}` to `{To}`",
    label = "check the foreign-key column's entity and type",
    note = "`HasMany` / `HasOne` take a column of the target entity holding the source's key; `BelongsTo` takes a column of the source entity holding the target's key"
)]
pub trait Link<From: Entity, To: Entity>: Copy + Send + Sync + 'static {
    /// The access path of the query that loads the relation.
    type Access: Access;
    /// What one parent holds once loaded.
    type Store<X: Send + Sync>: Send + Sync;
    /// What `Loaded::get` returns.
    type Ref<'a, X: Send + Sync + 'static>;
    /// What a lazy `load` returns.
    type Owned<X: Send + Sync>;
    /// Where the foreign key lives.
    fn side(&self) -> LinkSide;
    /// Builds one row's store from what matched it.
    fn store<X: Send + Sync>(matched: Matched<X>, to: &'static str) -> Result<Self::Store<X>>;
    /// Borrows a store.
    fn get<X: Send + Sync>(store: &Self::Store<X>) -> Self::Ref<'_, X>;
    /// Takes a store apart for a lazy load.
    fn owned<X: Send + Sync>(store: Self::Store<X>) -> Result<Self::Owned<X>>;
}

/// The rows that matched one row of the source entity.
#[derive(Debug)]
pub enum Matched<X> {
    /// Its children, in order (`HasMany`, `HasOne`).
    Children(Vec<X>),
    /// Its parent, if found (`BelongsTo`); shared by every child of that parent.
    Parent(Option<Arc<X>>),
}

fn unwrap_arc<X>(x: Arc<X>) -> Result<X> {
    Arc::into_inner(x).ok_or(Error::Invalid {
        what: "relation",
        detail: "a loaded row is still shared".into(),
    })
}

fn wrong_side() -> Error {
    Error::Invalid {
        what: "relation",
        detail: "rows matched on the wrong side of the link".into(),
    }
}

fn children<X>(matched: Matched<X>) -> Result<Vec<X>> {
    match matched {
        Matched::Children(rows) => Ok(rows),
        Matched::Parent(_) => Err(wrong_side()),
    }
}

impl<F, T, V, K> Link<F, T> for HasMany<Column<T, V, K>>
where
    F: Entity<Key: KeyPart>,
    T: Entity,
    V: References<F::Key>,
    K: IndexKind,
{
    type Access = K::Lookup;
    type Store<X: Send + Sync> = Vec<X>;
    type Ref<'a, X: Send + Sync + 'static> = &'a [X];
    type Owned<X: Send + Sync> = Vec<X>;
    fn side(&self) -> LinkSide {
        LinkSide::Target(self.0.name())
    }
    fn store<X: Send + Sync>(matched: Matched<X>, _: &'static str) -> Result<Vec<X>> {
        children(matched)
    }
    fn get<X: Send + Sync>(store: &Vec<X>) -> &[X] {
        store
    }
    fn owned<X: Send + Sync>(store: Vec<X>) -> Result<Vec<X>> {
        Ok(store)
    }
}

impl<F, T, V, K> Link<F, T> for HasOne<Column<T, V, K>>
where
    F: Entity<Key: KeyPart>,
    T: Entity,
    V: References<F::Key>,
    K: IndexKind,
{
    type Access = K::Lookup;
    type Store<X: Send + Sync> = Option<X>;
    type Ref<'a, X: Send + Sync + 'static> = Option<&'a X>;
    type Owned<X: Send + Sync> = Option<X>;
    fn side(&self) -> LinkSide {
        LinkSide::Target(self.0.name())
    }
    fn store<X: Send + Sync>(matched: Matched<X>, to: &'static str) -> Result<Option<X>> {
        let rows = children(matched)?;
        if rows.len() > 1 {
            return Err(Error::Invalid {
                what: "relation",
                detail: format!(
                    "a has-one relation found {} `{to}` rows for one parent",
                    rows.len()
                ),
            });
        }
        Ok(rows.into_iter().next())
    }
    fn get<X: Send + Sync>(store: &Option<X>) -> Option<&X> {
        store.as_ref()
    }
    fn owned<X: Send + Sync>(store: Option<X>) -> Result<Option<X>> {
        Ok(store)
    }
}

/// The foreign-key value type of a [`BelongsTo`]: the parent's key (the parent
/// must exist) or `Option` of it (the parent may be absent).
pub trait ParentRef<K>: References<K> {
    /// What one child holds once loaded.
    type Store<X: Send + Sync>: Send + Sync;
    /// What `get` returns.
    type Ref<'a, X: Send + Sync + 'static>;
    /// What a lazy load returns.
    type Owned<X: Send + Sync>;
    /// Builds the store from the 0 or 1 matching parent.
    fn store<X: Send + Sync>(found: Option<Arc<X>>, to: &'static str) -> Result<Self::Store<X>>;
    /// Borrows it.
    fn get<X: Send + Sync>(store: &Self::Store<X>) -> Self::Ref<'_, X>;
    /// Takes it apart.
    fn owned<X: Send + Sync>(store: Self::Store<X>) -> Result<Self::Owned<X>>;
}

impl<K: KeyPart> ParentRef<K> for K {
    type Store<X: Send + Sync> = Arc<X>;
    type Ref<'a, X: Send + Sync + 'static> = &'a X;
    type Owned<X: Send + Sync> = X;
    fn store<X: Send + Sync>(found: Option<Arc<X>>, to: &'static str) -> Result<Arc<X>> {
        found.ok_or(Error::NotFound { entity: to })
    }
    fn get<X: Send + Sync>(store: &Arc<X>) -> &X {
        store
    }
    fn owned<X: Send + Sync>(store: Arc<X>) -> Result<X> {
        unwrap_arc(store)
    }
}

impl<K: KeyPart> ParentRef<K> for Option<K> {
    type Store<X: Send + Sync> = Option<Arc<X>>;
    type Ref<'a, X: Send + Sync + 'static> = Option<&'a X>;
    type Owned<X: Send + Sync> = Option<X>;
    fn store<X: Send + Sync>(found: Option<Arc<X>>, _: &'static str) -> Result<Option<Arc<X>>> {
        Ok(found)
    }
    fn get<X: Send + Sync>(store: &Option<Arc<X>>) -> Option<&X> {
        store.as_deref()
    }
    fn owned<X: Send + Sync>(store: Option<Arc<X>>) -> Result<Option<X>> {
        store.map(unwrap_arc).transpose()
    }
}

impl<F, T, V, K> Link<F, T> for BelongsTo<Column<F, V, K>>
where
    F: Entity,
    T: Entity<Key: KeyPart>,
    V: ParentRef<T::Key> + Field,
    K: IndexKind,
{
    type Access = Indexed;
    type Store<X: Send + Sync> = V::Store<X>;
    type Ref<'a, X: Send + Sync + 'static> = V::Ref<'a, X>;
    type Owned<X: Send + Sync> = V::Owned<X>;
    fn side(&self) -> LinkSide {
        LinkSide::Source(self.0.name())
    }
    fn store<X: Send + Sync>(matched: Matched<X>, to: &'static str) -> Result<V::Store<X>> {
        match matched {
            Matched::Parent(found) => V::store(found, to),
            Matched::Children(_) => Err(wrong_side()),
        }
    }
    fn get<X: Send + Sync>(store: &V::Store<X>) -> V::Ref<'_, X> {
        V::get(store)
    }
    fn owned<X: Send + Sync>(store: V::Store<X>) -> Result<V::Owned<X>> {
        V::owned(store)
    }
}
