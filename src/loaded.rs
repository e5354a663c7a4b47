//! `Loaded<E, L>`: a row with the relations its query included.

use std::fmt;
use std::ops::Deref;

use typenum::{B0, B1, Eq, IsEqual};

use crate::load::{Slots, Store};
use crate::{Entity, Include, Includes, Link, Loads, Relation};

/// A row of `E` with the relations of include list `L` loaded. Derefs to `E`;
/// [`get`](Loaded::get) compiles only for relations the query included.
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
/// # use model::{Todo, User};
/// use keyway::prelude::*;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// let db = keyway_sqlite::Sqlite::memory().await?;
/// db.create_schema::<(User, Todo)>().await?;
/// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
/// db.insert_many(&[Todo::new(ann, "a", 1), Todo::new(ann, "b", 2)]).await?;
/// let users = db.all(User::query().include(User::TODOS)).await?;
/// let todos: &[Todo] = users[0].get(User::TODOS);
/// assert_eq!((users[0].name.as_str(), todos.len()), ("Ann", 2));
/// # Ok(()) }
/// ```
pub struct Loaded<E: Entity, L: Slots<E>> {
    entity: E,
    slots: L::Storage,
}

impl<E: Entity, L: Slots<E>> Loaded<E, L> {
    pub(crate) fn new(entity: E, slots: L::Storage) -> Self {
        Loaded { entity, slots }
    }

    /// The loaded relation `R`: `&[To]` for has-many, `Option<&To>` for has-one
    /// and optional belongs-to, `&To` for belongs-to. Rows of nested includes are
    /// themselves `Loaded`.
    pub fn get<R>(&self, rel: R) -> <R::Link as Link<R::From, R::To>>::Ref<'_, R::Output>
    where
        R: Relation<From = E> + LoadedIn<L>,
    {
        let _ = rel;
        <R::Link as Link<R::From, R::To>>::get(R::store(&self.slots))
    }

    /// The entity, without its relations.
    pub fn into_inner(self) -> E {
        self.entity
    }

    /// The entity.
    pub fn entity(&self) -> &E {
        &self.entity
    }
}

impl<E: Entity, L: Slots<E>> Deref for Loaded<E, L> {
    type Target = E;
    fn deref(&self) -> &E {
        &self.entity
    }
}

impl<E: Entity + fmt::Debug, L: Slots<E>> fmt::Debug for Loaded<E, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Loaded")
            .field(&self.entity)
            .finish_non_exhaustive()
    }
}

/// Relation `Self` was loaded into rows whose include list is `L`: the bound
/// that makes [`Loaded::get`] compile.
#[diagnostic::on_unimplemented(
    message = "relation `{Self}` is not loaded",
    label = "`{Self}` was not included by the query that produced this row",
    note = "add `.include(..)` for it to the query, or load it with `.load(&row, &db).await`"
)]
pub trait LoadedIn<L>: Relation
where
    L: Slots<Self::From>,
{
    /// What each related row is (the entity, or a `Loaded` one when nested).
    type Output: Send + Sync;
    /// Finds the relation's store in a row's storage.
    fn store(
        storage: &L::Storage,
    ) -> &<Self::Link as Link<Self::From, Self::To>>::Store<Self::Output>;
}

#[diagnostic::do_not_recommend]
impl<R: Relation, L: Has<R>> LoadedIn<L> for R {
    type Output = <L::Nested as Loads<R::To>>::Output;
    fn store(storage: &L::Storage) -> &Store<R, L::Nested> {
        L::find(storage)
    }
}

/// An include list holding relation `R`; also usable as a bound to write
/// functions over loaded rows in any include order:
/// `fn show<L: Has<UserTodos>>(user: &Loaded<User, L>)`. Use it to write functions over loaded rows in any
/// include order: `fn show<L: Has<UserTodos>>(user: &Loaded<User, L>)`.
#[diagnostic::on_unimplemented(
    message = "relation `{R}` is not loaded",
    label = "`{R}` was not included by the query that produced this row",
    note = "add `.include(..)` for it to the query, or load it with `.load(&row, &db).await`"
)]
pub trait Has<R: Relation>: Slots<R::From> {
    /// What was included below `R`.
    type Nested: Loads<R::To>;
    /// Finds `R`'s store in a row's storage.
    fn find(storage: &Self::Storage) -> &Store<R, Self::Nested>;
}

/// [`Has`], once the head's slot has been compared with `R`'s (`B1`: it is `R`).
#[diagnostic::on_unimplemented(
    message = "relation `{R}` is not loaded",
    label = "`{R}` was not included by the query that produced this row",
    note = "add `.include(..)` for it to the query, or load it with `.load(&row, &db).await`"
)]
pub trait HasAt<R: Relation, Found>: Slots<R::From> {
    /// What was included below `R`.
    type Nested: Loads<R::To>;
    /// Finds `R`'s store.
    fn find(storage: &Self::Storage) -> &Store<R, Self::Nested>;
}

#[diagnostic::do_not_recommend]
impl<R, R2, N2, O2, T> Has<R> for Includes<Include<R2, N2, O2>, T>
where
    R: Relation,
    R2: Relation<From = R::From>,
    R2::Slot: IsEqual<R::Slot>,
    Self: HasAt<R, Eq<R2::Slot, R::Slot>>,
{
    type Nested = <Self as HasAt<R, Eq<R2::Slot, R::Slot>>>::Nested;
    fn find(storage: &Self::Storage) -> &Store<R, Self::Nested> {
        <Self as HasAt<R, Eq<R2::Slot, R::Slot>>>::find(storage)
    }
}

#[diagnostic::do_not_recommend]
impl<R, N, O, T> HasAt<R, B1> for Includes<Include<R, N, O>, T>
where
    R: Relation,
    N: Loads<R::To>,
    Self: Slots<R::From, Storage = (Store<R, N>, T::Storage)>,
    T: Slots<R::From>,
{
    type Nested = N;
    fn find(storage: &Self::Storage) -> &Store<R, N> {
        &storage.0
    }
}

#[diagnostic::do_not_recommend]
impl<R, H, T> HasAt<R, B0> for Includes<H, T>
where
    R: Relation,
    T: Has<R>,
    Self: Slots<R::From, Storage = (H::Store, T::Storage)>,
    H: HeadStore,
{
    type Nested = T::Nested;
    fn find(storage: &Self::Storage) -> &Store<R, T::Nested> {
        T::find(&storage.1)
    }
}

/// The store type of an include-list head, whatever relation it is.
pub trait HeadStore {
    /// The head's per-row store.
    type Store;
}

impl<R: Relation, N: Loads<R::To>, O> HeadStore for Include<R, N, O> {
    type Store = Store<R, N>;
}
