//! The check before timing, shared by the SQLite and PostgreSQL runs: every
//! library reads the same users, and its eager load the same user → todos
//! tree, as keyway does.

use keyway::prelude::*;
use keyway::{Backend, Supports, Unindexed};

use crate::data::{OWNERS, TODOS_PER_OWNER, USERS};
use crate::model::{Todo, User};
use crate::{dsl, sea, toasty_orm};

/// A user as plain values.
pub type PlainUser = (i64, String, String);
/// A todo as plain values.
pub type PlainTodo = (i64, String, bool, i16, Option<String>);
/// Each user's id with its todos, both sorted.
pub type Tree = Vec<(i64, Vec<PlainTodo>)>;

/// A library's user row, as plain values.
pub trait AsUser {
    fn plain(&self) -> PlainUser;
}

/// A library's todo row, as plain values.
pub trait AsTodo {
    fn plain(&self) -> PlainTodo;
}

macro_rules! plain_rows {
    ($($user:ty, $todo:ty);* $(;)?) => {$(
        impl AsUser for $user {
            fn plain(&self) -> PlainUser {
                (self.id, self.name.clone(), self.email.clone())
            }
        }
        impl AsTodo for $todo {
            fn plain(&self) -> PlainTodo {
                (self.id, self.title.clone(), self.done, self.priority, self.note.clone())
            }
        }
    )*};
}

plain_rows! {
    User, Todo;
    dsl::User, dsl::Todo;
    sea::user::Model, sea::todo::Model;
    toasty_orm::User, toasty_orm::Todo;
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// The users, sorted.
pub fn users<U: AsUser>(rows: &[U]) -> Vec<PlainUser> {
    sorted(rows.iter().map(AsUser::plain).collect())
}

/// The tree of `(user, todos)` pairs.
pub fn tree<'a, U, T>(pairs: impl IntoIterator<Item = (&'a U, &'a [T])>) -> Tree
where
    U: AsUser + 'a,
    T: AsTodo + 'a,
{
    let tree = pairs
        .into_iter()
        .map(|(u, ts)| (u.plain().0, sorted(ts.iter().map(AsTodo::plain).collect())));
    sorted(tree.collect())
}

/// The tree of an eager load returned as `(user, todos)` pairs.
pub fn tree_of<U: AsUser, T: AsTodo>(pairs: &[(U, Vec<T>)]) -> Tree {
    tree(pairs.iter().map(|(u, ts)| (u, ts.as_slice())))
}

/// What keyway reads, which every other library must read too.
pub struct Expected {
    users: Vec<PlainUser>,
    tree: Tree,
}

impl Expected {
    /// keyway's users and eager tree, checked against the seed's shape.
    pub async fn read<B: Backend + Supports<Unindexed>>(db: &Db<B>) -> Expected {
        let users = users(&db.all(User::query()).await.expect("keyway all"));
        assert_eq!(users.len(), USERS);
        assert_eq!((users[0].0, users[USERS - 1].0), (1, USERS as i64));
        let query = User::query()
            .filter(User::ID.le(OWNERS))
            .include(User::TODOS);
        let loaded = db.all(query).await.expect("keyway eager");
        let tree = tree(loaded.iter().map(|u| (&**u, u.get(User::TODOS))));
        assert_eq!(tree.len(), OWNERS as usize);
        assert!(tree.iter().all(|(_, todos)| todos.len() == TODOS_PER_OWNER));
        Expected { users, tree }
    }

    /// Asserts that `library` read keyway's users and eager tree.
    pub fn check(&self, library: &str, users: Vec<PlainUser>, tree: Tree) {
        assert_eq!(users, self.users, "{library}: users");
        assert_eq!(tree, self.tree, "{library}: eager load");
    }
}
