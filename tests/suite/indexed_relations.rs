//! Relations through indexed foreign keys: eager includes (one statement per
//! relation and level), lazy loads, scoped queries, many-to-many.

use futures::TryStreamExt;
use keyway::Backend;
use keyway::prelude::*;

use super::counter::StatementCounter;
use super::relations::seed;
use crate::model::{Group, Membership, Profile, Tag, Todo, User};

pub async fn includes_through_indexes<B: Backend>(db: &Db<B>) {
    let ids = seed(db, 3).await;
    let mut users = db
        .all(
            User::query()
                .filter(User::ID.in_list(ids.clone()))
                .include(User::TODOS)
                .include(User::PROFILE),
        )
        .await
        .unwrap();
    users.sort_by_key(|u| u.id);
    assert_eq!(users.len(), 3);
    for (i, user) in users.iter().enumerate() {
        assert_eq!(user.id, ids[i]);
        let titles: Vec<&str> = user
            .get(User::TODOS)
            .iter()
            .map(|t| t.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [format!("u{i}-a"), format!("u{i}-b")],
            "children in key order"
        );
        let bio = user.get(User::PROFILE).map(|p| p.bio.clone());
        assert_eq!(bio, (i % 2 == 0).then(|| format!("bio {i}")));
    }
    let todos = db
        .all(Todo::query().scan().include(Todo::OWNER))
        .await
        .unwrap();
    assert_eq!(todos.len(), 6);
    for todo in &todos {
        assert_eq!(todo.get(Todo::OWNER).id, todo.owner_id);
    }
    // Nested and filtered, from one key.
    let one = db
        .first(
            User::query().filter(User::ID.eq(ids[1])).include(
                User::TODOS
                    .include(Todo::TAGS)
                    .include(Todo::OWNER)
                    .filter(Todo::DONE.eq(false)),
            ),
        )
        .await
        .unwrap()
        .unwrap();
    let open = one.get(User::TODOS);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].title, "u1-b");
    assert_eq!(
        open[0].get(Todo::TAGS)[0].label,
        format!("tag{}", open[0].id)
    );
    assert_eq!(open[0].get(Todo::OWNER).id, ids[1]);
    // An optional parent that is absent, and a parent with no children.
    db.insert(&Tag {
        id: 0,
        todo_id: None,
        label: "loose".into(),
    })
    .await
    .unwrap();
    let tags = db
        .all(Tag::query().scan().include(Tag::TODO))
        .await
        .unwrap();
    assert_eq!(
        tags.iter().filter(|t| t.get(Tag::TODO).is_none()).count(),
        1
    );
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
        .await
        .unwrap()
        .unwrap();
    assert!(found.get(User::TODOS).is_empty() && found.get(User::PROFILE).is_none());
    let none = db
        .all(
            User::query()
                .filter(User::EMAIL.eq("nobody@x.test"))
                .include(User::TODOS),
        )
        .await
        .unwrap();
    assert!(none.is_empty());
}

pub async fn one_statement_per_relation<B: Backend>(db: &Db<B>) {
    let ids = seed(db, 60).await;
    let counter = StatementCounter::start();
    let q = || {
        User::query()
            .filter(User::ID.in_list(ids.clone()))
            .include(User::TODOS.include(Todo::TAGS))
            .include(User::PROFILE)
    };
    counter.take();
    let users = db.all(q()).await.unwrap();
    assert_eq!(users.len(), 60);
    // On DynamoDB a profile shares its user's partition (the layout's
    // `USER#{user_id}`): one Query per user reads both.
    if db.executor().system() == "dynamodb" {
        assert_eq!(counter.take(), 3, "users with profiles, todos, tags");
    } else {
        assert_eq!(counter.take(), 4, "users, todos, tags, profiles");
    }
    let tags: usize = users
        .iter()
        .flat_map(|u| u.get(User::TODOS))
        .map(|t| t.get(Todo::TAGS).len())
        .sum();
    assert_eq!(tags, 120);
    counter.take();
    let streamed: Vec<_> = db
        .stream(User::query().scan().include(User::TODOS))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 60);
    assert_eq!(counter.take(), 2);
    assert_eq!(
        streamed
            .iter()
            .map(|u| u.get(User::TODOS).len())
            .sum::<usize>(),
        120
    );
}

pub async fn lazy_and_scoped<B: Backend>(db: &Db<B>) {
    let ids = seed(db, 2).await;
    let ann = db.get::<User>(ids[0]).await.unwrap();
    let todos: Vec<Todo> = User::TODOS.load(&ann, db).await.unwrap();
    assert_eq!(
        todos.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
        ["u0-a", "u0-b"]
    );
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

    let open: Vec<Todo> = db
        .all(User::TODOS.of(&ann).unwrap().filter(Todo::DONE.eq(false)))
        .await
        .unwrap();
    assert_eq!(
        open.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
        ["u0-b"]
    );
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
    let deleted = db
        .delete(User::TODOS.of(&ann).unwrap().delete())
        .await
        .unwrap();
    assert_eq!(deleted, 3);
    assert_eq!(
        db.count(Todo::query().scan()).await.unwrap(),
        2,
        "the other user's todos stay"
    );
}

pub async fn many_to_many<B: Backend>(db: &Db<B>) {
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
    let mut users = db
        .all(
            User::query()
                .filter(User::ID.in_list(ids.clone()))
                .include(User::MEMBERSHIPS.include(Membership::GROUP)),
        )
        .await
        .unwrap();
    users.sort_by_key(|u| u.id);
    let names: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            let mut n: Vec<String> = u
                .get(User::MEMBERSHIPS)
                .iter()
                .map(|m| m.get(Membership::GROUP).name.clone())
                .collect();
            n.sort();
            n
        })
        .collect();
    assert_eq!(names, [vec!["a"], vec!["a", "b"], vec!["b"]]);
    let group = db
        .first(
            Group::query()
                .filter(Group::NAME.eq("b"))
                .include(Group::MEMBERSHIPS.include(Membership::USER)),
        )
        .await
        .unwrap()
        .unwrap();
    let members: Vec<&str> = group
        .get(Group::MEMBERSHIPS)
        .iter()
        .map(|m| m.get(Membership::USER).name.as_str())
        .collect();
    assert_eq!(members, ["u1", "u2"]);
}
