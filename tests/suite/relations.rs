//! Relations: eager includes (any order, nested, filtered), statement counts,
//! lazy loads, scoped queries, many-to-many, foreign-key constraints.

use keyway::prelude::*;
use keyway::{Backend, Error, Supports, Unindexed};

use super::counter::StatementCounter;
use crate::model::{Group, Membership, Profile, Tag, Todo, User};

pub type Schema = (User, Todo, Tag, Profile, Group, Membership);

/// `n` users; user i has todos "u{i}-a" (priority 1, done) and "u{i}-b"
/// (priority 2), each with one tag; even users have a profile.
pub async fn seed<B: Backend>(db: &Db<B>, n: usize) -> Vec<i64> {
    db.create_schema::<Schema>().await.unwrap();
    let users: Vec<User> = (0..n)
        .map(|i| User::new(&format!("u{i}"), &format!("u{i}@x.test")))
        .collect();
    let ids = db.insert_many(&users).await.unwrap();
    let todos: Vec<Todo> = ids
        .iter()
        .enumerate()
        .flat_map(|(i, &id)| {
            [
                Todo {
                    done: true,
                    ..Todo::new(id, &format!("u{i}-a"), 1)
                },
                Todo::new(id, &format!("u{i}-b"), 2),
            ]
        })
        .collect();
    let todo_ids = db.insert_many(&todos).await.unwrap();
    let tags: Vec<Tag> = todo_ids
        .iter()
        .map(|&t| Tag::new(t, &format!("tag{t}")))
        .collect();
    db.insert_many(&tags).await.unwrap();
    let profiles: Vec<Profile> = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, &user_id)| Profile {
            user_id,
            bio: format!("bio {i}"),
        })
        .collect();
    db.insert_many(&profiles).await.unwrap();
    ids
}

pub async fn include_has_many_belongs_to_has_one<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let ids = seed(db, 3).await;
    let users = db
        .all(
            User::query()
                .include(User::TODOS)
                .include(User::PROFILE)
                .order_by(User::ID.asc()),
        )
        .await
        .unwrap();
    assert_eq!(users.len(), 3);
    for (i, user) in users.iter().enumerate() {
        assert_eq!(user.id, ids[i]);
        let titles: Vec<&str> = user
            .get(User::TODOS)
            .iter()
            .map(|t| t.title.as_str())
            .collect();
        assert_eq!(titles, [format!("u{i}-a"), format!("u{i}-b")]);
        assert_eq!(
            user.get(User::PROFILE).map(|p| p.bio.clone()),
            (i % 2 == 0).then(|| format!("bio {i}"))
        );
    }
    let todos = db
        .all(Todo::query().include(Todo::OWNER).order_by(Todo::ID.asc()))
        .await
        .unwrap();
    assert_eq!(todos.len(), 6);
    for todo in &todos {
        let owner: &User = todo.get(Todo::OWNER);
        assert_eq!(owner.id, todo.owner_id);
        assert!(todo.title.starts_with(&owner.name));
    }
}

/// Each parent's children come in key order, whatever order the database
/// keeps its rows in: here the first todo is moved to another user and back
/// (PostgreSQL then stores and indexes it after the others), and the parents
/// are asked for newest first.
pub async fn included_children_come_in_key_order<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let ids = seed(db, 2).await;
    let more: Vec<Todo> = (0..5)
        .map(|i| Todo::new(ids[0], &format!("more {i}"), 3))
        .collect();
    db.insert_many(&more).await.unwrap();
    let first = db
        .first(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ids[0]))
                .order_by(Todo::ID.asc()),
        )
        .await
        .unwrap()
        .expect("a todo");
    // Moved away and back: each move writes a new row version and index
    // entry (an indexed column changed), found after the others.
    for owner in [ids[1], ids[0]] {
        db.update(
            Todo::update(first.id)
                .set(Todo::OWNER_ID, owner)
                .set(Todo::TITLE, "rewritten"),
        )
        .await
        .unwrap();
    }
    let users = db
        .all(
            User::query()
                .filter(User::ID.in_list(ids.iter().rev().copied()))
                .include(User::TODOS)
                .order_by(User::ID.asc()),
        )
        .await
        .unwrap();
    let todos = users[0].get(User::TODOS);
    assert_eq!(todos.len(), 7);
    assert_eq!(todos[0].title, "rewritten");
    assert!(todos.windows(2).all(|w| w[0].id < w[1].id), "{todos:?}");
}

pub async fn include_order_does_not_matter<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db, 2).await;
    let a = db
        .all(User::query().include(User::TODOS).include(User::PROFILE))
        .await
        .unwrap();
    let b = db
        .all(User::query().include(User::PROFILE).include(User::TODOS))
        .await
        .unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.get(User::TODOS), y.get(User::TODOS));
        assert_eq!(x.get(User::PROFILE), y.get(User::PROFILE));
    }
}

pub async fn optional_belongs_to<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db, 1).await;
    db.insert(&Tag {
        id: 0,
        todo_id: None,
        label: "loose".into(),
    })
    .await
    .unwrap();
    let tags = db
        .all(Tag::query().include(Tag::TODO).order_by(Tag::ID.asc()))
        .await
        .unwrap();
    assert_eq!(tags.len(), 3);
    assert_eq!(
        tags[0].get(Tag::TODO).map(|t| t.title.as_str()),
        Some("u0-a")
    );
    assert!(tags[2].get(Tag::TODO).is_none());
}

pub async fn nested_includes<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let ids = seed(db, 2).await;
    // Two levels: users -> todos -> tags (and the todo's owner again).
    let users = db
        .all(
            User::query()
                .include(User::TODOS.include(Todo::TAGS).include(Todo::OWNER))
                .order_by(User::ID.asc()),
        )
        .await
        .unwrap();
    for (i, user) in users.iter().enumerate() {
        for todo in user.get(User::TODOS) {
            let tags: &[Tag] = todo.get(Todo::TAGS);
            assert_eq!(tags.len(), 1);
            assert_eq!(tags[0].label, format!("tag{}", todo.id));
            assert_eq!(todo.get(Todo::OWNER).id, ids[i]);
        }
    }
    // Three levels: group -> memberships -> user -> todos.
    let group = db
        .insert(&Group {
            id: 0,
            name: "staff".into(),
        })
        .await
        .unwrap();
    db.insert_many(
        &ids.iter()
            .map(|&u| Membership::new(u, group))
            .collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    let groups = db
        .all(
            Group::query()
                .include(Group::MEMBERSHIPS.include(Membership::USER.include(User::TODOS))),
        )
        .await
        .unwrap();
    let members = groups[0].get(Group::MEMBERSHIPS);
    assert_eq!(members.len(), 2);
    let todo_count: usize = members
        .iter()
        .map(|m| m.get(Membership::USER).get(User::TODOS).len())
        .sum();
    assert_eq!(todo_count, 4);
}

pub async fn filtered_and_ordered_include<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db, 2).await;
    let users = db
        .all(
            User::query().include(
                User::TODOS
                    .filter(Todo::DONE.eq(false))
                    .order_by(Todo::PRIORITY.desc()),
            ),
        )
        .await
        .unwrap();
    for user in &users {
        let todos = user.get(User::TODOS);
        assert_eq!(todos.len(), 1);
        assert!(!todos[0].done);
    }
    let newest_first = db
        .all(User::query().include(User::TODOS.order_by(Todo::ID.desc())))
        .await
        .unwrap();
    let ids: Vec<i64> = newest_first[0]
        .get(User::TODOS)
        .iter()
        .map(|t| t.id)
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
}

pub async fn include_on_empty_result<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db, 2).await;
    let none = db
        .all(
            User::query()
                .filter(User::NAME.eq("nobody"))
                .include(User::TODOS),
        )
        .await
        .unwrap();
    assert!(none.is_empty());
    let lonely = db
        .insert(&User::new("lonely", "lonely@x.test"))
        .await
        .unwrap();
    let found = db
        .first(
            User::query()
                .filter(User::ID.eq(lonely))
                .include(User::TODOS)
                .include(User::PROFILE),
        )
        .await;
    let found = found.unwrap().unwrap();
    assert!(found.get(User::TODOS).is_empty());
    assert!(found.get(User::PROFILE).is_none());
}

pub async fn one_query_per_relation_and_level<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db, 500).await;
    let counter = StatementCounter::start();
    let q = || {
        User::query()
            .include(User::TODOS.include(Todo::TAGS))
            .include(User::PROFILE)
    };
    for (limit, expected_statements) in [(0, 1), (1, 4), (500, 4)] {
        counter.take();
        let users = db
            .all(q().order_by(User::ID.asc()).limit(limit))
            .await
            .unwrap();
        assert_eq!(users.len() as u64, limit);
        assert_eq!(counter.take(), expected_statements, "{limit} parents");
        let tags: usize = users
            .iter()
            .flat_map(|u| u.get(User::TODOS))
            .map(|t| t.get(Todo::TAGS).len())
            .sum();
        assert_eq!(tags as u64, limit * 2);
    }
    // Streaming loads relations per batch of rows, never per row.
    use futures::TryStreamExt;
    counter.take();
    let streamed: Vec<_> = db.stream(q()).try_collect().await.unwrap();
    assert_eq!(streamed.len(), 500);
    assert!(
        counter.take() <= 1 + 3 * 2,
        "streaming 500 rows loads relations per 256-row batch"
    );
}

pub async fn lazy_loads<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let ids = seed(db, 2).await;
    let ann = db.get::<User>(ids[0]).await.unwrap();
    let todos: Vec<Todo> = User::TODOS.load(&ann, db).await.unwrap();
    assert_eq!(todos.len(), 2);
    let owner: User = Todo::OWNER.load(&todos[0], db).await.unwrap();
    assert_eq!(owner, ann);
    let profile: Option<Profile> = User::PROFILE.load(&ann, db).await.unwrap();
    assert_eq!(profile.map(|p| p.bio), Some("bio 0".into()));
    let bob = db.get::<User>(ids[1]).await.unwrap();
    assert!(User::PROFILE.load(&bob, db).await.unwrap().is_none());
    let loose = Tag {
        id: 0,
        todo_id: None,
        label: "x".into(),
    };
    assert!(Tag::TODO.load(&loose, db).await.unwrap().is_none());
}

pub async fn scoped_queries_create_and_delete<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let ids = seed(db, 2).await;
    let ann = db.get::<User>(ids[0]).await.unwrap();
    let open: Vec<Todo> = db
        .all(User::TODOS.of(&ann).unwrap().filter(Todo::DONE.eq(false)))
        .await
        .unwrap();
    assert_eq!(
        open.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
        ["u0-b"]
    );
    // The child's foreign key is set from the parent, whatever it held.
    let id = User::TODOS
        .create(&ann, &Todo::new(-1, "through the relation", 3), db)
        .await
        .unwrap();
    assert_eq!(db.get::<Todo>(id).await.unwrap().owner_id, ann.id);
    assert_eq!(db.count(User::TODOS.of(&ann).unwrap()).await.unwrap(), 3);
    let owner = db
        .all(Todo::OWNER.of(&db.get::<Todo>(id).await.unwrap()).unwrap())
        .await
        .unwrap();
    assert_eq!(owner, std::slice::from_ref(&ann));
    db.delete(Tag::query().delete()).await.unwrap();
    let deleted = db
        .delete(User::TODOS.of(&ann).unwrap().delete())
        .await
        .unwrap();
    assert_eq!(deleted, 3);
    assert_eq!(
        db.count(Todo::query()).await.unwrap(),
        2,
        "the other user's todos stay"
    );
}

pub async fn many_to_many_from_both_sides<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let ids = seed(db, 3).await;
    let groups = db
        .insert_many(&[
            Group {
                id: 0,
                name: "a".into(),
            },
            Group {
                id: 0,
                name: "b".into(),
            },
        ])
        .await
        .unwrap();
    let pairs = [(0, 0), (1, 0), (1, 1), (2, 1)];
    db.insert_many(&pairs.map(|(u, g)| Membership::new(ids[u], groups[g])))
        .await
        .unwrap();
    let users = db
        .all(
            User::query()
                .include(User::MEMBERSHIPS.include(Membership::GROUP))
                .order_by(User::ID.asc()),
        )
        .await
        .unwrap();
    let names = |u: usize| -> Vec<String> {
        let mut n: Vec<String> = users[u]
            .get(User::MEMBERSHIPS)
            .iter()
            .map(|m| m.get(Membership::GROUP).name.clone())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        (names(0), names(1), names(2)),
        (
            vec!["a".into()],
            vec!["a".into(), "b".into()],
            vec!["b".into()]
        )
    );
    let by_group = db
        .all(
            Group::query()
                .include(Group::MEMBERSHIPS.include(Membership::USER))
                .order_by(Group::ID.asc()),
        )
        .await
        .unwrap();
    let members: Vec<Vec<&str>> = by_group
        .iter()
        .map(|g| {
            g.get(Group::MEMBERSHIPS)
                .iter()
                .map(|m| m.get(Membership::USER).name.as_str())
                .collect()
        })
        .collect();
    assert_eq!(members, [vec!["u0", "u1"], vec!["u1", "u2"]]);
}

pub async fn foreign_keys_are_enforced<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let ids = seed(db, 2).await;
    // Restrict: a user with todos cannot be deleted.
    let err = db.delete(User::delete(ids[0])).await.unwrap_err();
    assert!(
        matches!(err, Error::ForeignKeyViolation { entity: "User", .. }),
        "{err:?}"
    );
    assert!(db.find::<User>(ids[0]).await.unwrap().is_some());
    // A missing parent is refused.
    let err = db
        .insert(&Todo::new(ids[1] + 1000, "orphan", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ForeignKeyViolation { entity: "Todo", .. }),
        "{err:?}"
    );
    // Set null: deleting todos keeps their tags, detached.
    let todo = db
        .first(Todo::query().filter(Todo::OWNER_ID.eq(ids[0])))
        .await
        .unwrap()
        .unwrap();
    let tag = db
        .first(Todo::TAGS.of(&todo).unwrap())
        .await
        .unwrap()
        .unwrap();
    db.delete(
        User::TODOS
            .of(&db.get::<User>(ids[0]).await.unwrap())
            .unwrap()
            .delete(),
    )
    .await
    .unwrap();
    assert_eq!(db.get::<Tag>(tag.id).await.unwrap().todo_id, None);
    // Cascade: the user's profile and memberships go with the user.
    let group = db
        .insert(&Group {
            id: 0,
            name: "g".into(),
        })
        .await
        .unwrap();
    db.insert(&Membership::new(ids[0], group)).await.unwrap();
    db.delete(User::delete(ids[0])).await.unwrap();
    assert!(db.find::<Profile>(ids[0]).await.unwrap().is_none());
    assert_eq!(db.count(Membership::query()).await.unwrap(), 0);
}

pub async fn include_chunks_long_key_lists<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<Schema>().await.unwrap();
    // More parents than one `IN (...)` list holds (5,000 keys).
    let n = 6_001;
    let users: Vec<User> = (0..n)
        .map(|i| User::new(&format!("c{i}"), &format!("c{i}@x.test")))
        .collect();
    let ids = db.insert_many(&users).await.unwrap();
    let todos: Vec<Todo> = ids
        .iter()
        .map(|&id| Todo::new(id, &format!("t{id}"), 1))
        .collect();
    db.insert_many(&todos).await.unwrap();
    let counter = StatementCounter::start();
    let loaded = db.all(User::query().include(User::TODOS)).await.unwrap();
    assert_eq!(
        counter.take(),
        1 + 2,
        "the parents, then two chunks of todos"
    );
    assert_eq!(loaded.len(), n);
    for user in &loaded {
        let todos = user.get(User::TODOS);
        assert_eq!(todos.len(), 1);
        assert_eq!(todos[0].title, format!("t{}", user.id));
    }
}
