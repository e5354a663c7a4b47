//! Filters through relations (`any`, `none`, `all`, `is`): every answer is
//! checked against the same test made on the client over every row.
//! Generic over every backend: DynamoDB runs the indexed ones as they are
//! and the others `.scan()`ned.

use std::collections::BTreeSet;

use keyway::prelude::*;
use keyway::{Backend, Filter, Indexed, Joined, Scan, Supports};

use super::relations::seed;
use crate::model::{Tag, Todo, User};

/// The ids of the users a query returns.
async fn user_ids<B, A>(db: &Db<B>, q: keyway::Select<User, A>) -> BTreeSet<i64>
where
    B: Backend + Supports<A>,
    A: keyway::Access,
{
    let users = db.all(q).await.unwrap();
    users.iter().map(|u| u.id).collect()
}

/// The users and todos as stored, to check answers against.
struct World {
    users: Vec<User>,
    todos: Vec<Todo>,
    tags: Vec<Tag>,
}

impl World {
    async fn read<B: Backend>(db: &Db<B>) -> World {
        World {
            users: db.all(User::query().scan()).await.unwrap(),
            todos: db.all(Todo::query().scan()).await.unwrap(),
            tags: db.all(Tag::query().scan()).await.unwrap(),
        }
    }

    fn todos_of(&self, user: i64) -> impl Iterator<Item = &Todo> {
        self.todos.iter().filter(move |t| t.owner_id == user)
    }

    fn users(&self, keep: impl Fn(&User) -> bool) -> BTreeSet<i64> {
        self.users
            .iter()
            .filter(|u| keep(u))
            .map(|u| u.id)
            .collect()
    }
}

/// Four users: u0 has only done todos, u1 and u2 one open todo each (u2's
/// with a note), u3 none at all; every todo has a tag.
async fn varied<B: Backend>(db: &Db<B>) -> Vec<i64> {
    let ids = seed(db, 4).await;
    let u0_open = Todo::query()
        .filter(Todo::OWNER_ID.eq(ids[0]))
        .update()
        .set(Todo::DONE, true);
    db.update(u0_open).await.unwrap();
    let u2_note = Todo::query()
        .filter(Todo::OWNER_ID.eq(ids[2]))
        .filter(Todo::DONE.eq(false))
        .update()
        .set(Todo::NOTE, Some("call".to_string()));
    db.update(u2_note).await.unwrap();
    let u3 = db
        .all(Todo::query().filter(Todo::OWNER_ID.eq(ids[3])))
        .await
        .unwrap();
    for todo in u3 {
        let tags = Tag::query().filter(Tag::TODO_ID.eq(todo.id)).delete();
        db.delete(tags).await.unwrap();
        db.delete(Todo::delete(todo.id)).await.unwrap();
    }
    ids
}

pub async fn relation_filters_agree_with_the_rows<B: Backend>(db: &Db<B>) {
    let ids = varied(db).await;
    let w = World::read(db).await;
    let open = |t: &Todo| !t.done;

    // any / none / all, unindexed inside: `.scan()`ned.
    let any_open = User::TODOS.any(Todo::DONE.eq(false));
    let got = user_ids(db, User::query().filter(any_open.clone()).scan()).await;
    assert_eq!(got, w.users(|u| w.todos_of(u.id).any(open)));
    assert_eq!(got, BTreeSet::from([ids[1], ids[2]]));
    let none_open: Filter<User, Joined> = User::TODOS.none(Todo::DONE.eq(false));
    let got = user_ids(db, User::query().filter(none_open).scan()).await;
    assert_eq!(got, w.users(|u| !w.todos_of(u.id).any(open)));
    assert_eq!(
        got,
        BTreeSet::from([ids[0], ids[3]]),
        "u3 has no todo at all"
    );
    let all_done = User::TODOS.all(Todo::DONE.eq(true));
    let got = user_ids(db, User::query().filter(all_done).scan()).await;
    assert_eq!(got, w.users(|u| w.todos_of(u.id).all(|t| t.done)));
    // A NULL note is not "call": u0, u1 fail, u2 has its open todo's note
    // set but its done one's NULL, u3 passes with no todos.
    let all_noted = User::TODOS.all(Todo::NOTE.eq("call"));
    let got = user_ids(db, User::query().filter(all_noted).scan()).await;
    let noted = |t: &Todo| t.note.as_deref() == Some("call");
    assert_eq!(got, w.users(|u| w.todos_of(u.id).all(noted)));
    assert_eq!(got, BTreeSet::from([ids[3]]));

    // any with an indexed filter is indexed: no scan on any backend.
    let t = w.todos.iter().find(|t| t.owner_id == ids[2]).unwrap().id;
    let by_todo: Filter<User, Indexed> = User::TODOS.any(Todo::ID.eq(t));
    assert_eq!(
        user_ids(db, User::query().filter(by_todo)).await,
        BTreeSet::from([ids[2]])
    );
    // Nested: users with a todo tagged with that todo's tag.
    let label = w
        .tags
        .iter()
        .find(|g| g.todo_id == Some(t))
        .unwrap()
        .label
        .clone();
    let nested = User::TODOS.any(Todo::TAGS.any(Tag::LABEL.eq(label.as_str())));
    let got = user_ids(db, User::query().filter(nested).scan()).await;
    assert_eq!(got, BTreeSet::from([ids[2]]));

    // Combined with the row's own columns, with `or` and `not`.
    let busy_not_u1 = User::NAME
        .ne("u1")
        .and(User::TODOS.any(Todo::DONE.eq(false)));
    let got = user_ids(db, User::query().filter(busy_not_u1).scan()).await;
    assert_eq!(got, BTreeSet::from([ids[2]]));
    let u0_or_busy = User::NAME.eq("u0").or(any_open.clone());
    let got = user_ids(db, User::query().filter(u0_or_busy).scan()).await;
    assert_eq!(got, BTreeSet::from([ids[0], ids[1], ids[2]]));
    let idle = any_open.clone().not();
    let got = user_ids(db, User::query().filter(idle).scan()).await;
    assert_eq!(got, BTreeSet::from([ids[0], ids[3]]));
    let count = db
        .count(User::query().filter(any_open).scan())
        .await
        .unwrap();
    assert_eq!(count, 2);
}

pub async fn belongs_to_filters_agree_with_the_rows<B: Backend>(db: &Db<B>) {
    let ids = varied(db).await;
    let w = World::read(db).await;
    let todo_ids = |owner: &dyn Fn(&User) -> bool| -> BTreeSet<i64> {
        let owners = w.users(owner);
        w.todos
            .iter()
            .filter(|t| owners.contains(&t.owner_id))
            .map(|t| t.id)
            .collect()
    };
    // Indexed through the parent's unique email and the indexed owner_id.
    let of_u1: Filter<Todo, Indexed> = Todo::OWNER.is(User::EMAIL.eq("u1@x.test"));
    let got: BTreeSet<i64> = db
        .all(Todo::query().filter(of_u1))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(got, todo_ids(&|u| u.email == "u1@x.test"));
    assert_eq!(got.len(), 2);
    // Unindexed parent filter, scanned; negated.
    let of_u2: Filter<Todo, Joined> = Todo::OWNER.is(User::NAME.eq("u2"));
    let got: BTreeSet<i64> = db
        .all(Todo::query().filter(of_u2.clone()).scan())
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(got, todo_ids(&|u| u.name == "u2"));
    let not_u2: BTreeSet<i64> = db
        .all(Todo::query().filter(of_u2.not()).scan())
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(not_u2, todo_ids(&|u| u.name != "u2"));
    // An optional parent: a tag without a todo matches no `is`, and
    // does match its negation.
    db.insert(&Tag {
        id: 0,
        todo_id: None,
        label: "loose".into(),
    })
    .await
    .unwrap();
    let on_done = Tag::TODO.is(Todo::DONE.eq(true));
    let tags = db
        .all(Tag::query().filter(on_done.clone()).scan())
        .await
        .unwrap();
    let done: BTreeSet<i64> = w.todos.iter().filter(|t| t.done).map(|t| t.id).collect();
    assert!(!tags.is_empty());
    assert!(
        tags.iter()
            .all(|g| g.todo_id.is_some_and(|t| done.contains(&t)))
    );
    let others = db
        .all(Tag::query().filter(on_done.not()).scan())
        .await
        .unwrap();
    assert!(others.iter().any(|g| g.label == "loose"));
    assert_eq!(tags.len() + others.len(), w.tags.len() + 1);
    // Two levels up: tags whose todo's owner is u1.
    let u1_tags = Tag::TODO.is(Todo::OWNER.is(User::EMAIL.eq("u1@x.test")));
    let got = db.all(Tag::query().filter(u1_tags).scan()).await.unwrap();
    let u1_todos = todo_ids(&|u| u.id == ids[1]);
    assert_eq!(got.len(), 2);
    assert!(
        got.iter()
            .all(|g| g.todo_id.is_some_and(|t| u1_todos.contains(&t)))
    );
}

pub async fn writes_through_relation_filters<B: Backend + Supports<Scan>>(db: &Db<B>) {
    let ids = varied(db).await;
    // Close the todos of users named u1, by a filter through the owner.
    let close = Todo::query()
        .filter(Todo::OWNER.is(User::NAME.eq("u1")))
        .scan()
        .update()
        .set(Todo::DONE, true);
    assert_eq!(db.update(close).await.unwrap(), 2);
    let open = db.count(Todo::query().filter(Todo::DONE.eq(false)).scan());
    assert_eq!(open.await.unwrap(), 1, "only u2's open todo is left");
    // Delete the users with no open todo and no todo at all: u3 only
    // (u0 and u1 still have todos, which their foreign keys protect).
    let idle = User::query()
        .filter(User::TODOS.all(Todo::DONE.eq(false)))
        .filter(User::TODOS.none(Todo::DONE.eq(true)))
        .scan()
        .delete();
    assert_eq!(db.delete(idle).await.unwrap(), 1);
    let gone = db.get::<User>(ids[3]).await;
    assert!(
        matches!(gone, Err(keyway::Error::NotFound { .. })),
        "{gone:?}"
    );
    // Inside a transaction, a relation filter sees the transaction's writes.
    let seen = db
        .transaction(async |tx| {
            tx.insert(&Todo::new(ids[0], "new", 3)).await?;
            let busy = User::query()
                .filter(User::TODOS.any(Todo::DONE.eq(false)))
                .scan();
            let users = tx.all(busy).await?;
            Ok::<_, keyway::Error>(users.iter().map(|u| u.id).collect::<BTreeSet<i64>>())
        })
        .await
        .unwrap();
    assert_eq!(seen, BTreeSet::from([ids[0], ids[2]]));
}
