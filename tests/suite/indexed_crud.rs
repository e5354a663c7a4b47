//! Writes and key lookups through keys and indexes only: the part of the
//! suite every backend runs, DynamoDB included (`B: Backend`, no
//! `Supports<Unindexed>`).

use futures::TryStreamExt;
use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Kinds, Message, Todo, User};

pub async fn crud_by_key<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let id = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let ann = db.get::<User>(id).await.unwrap();
    assert_eq!(
        (ann.id, ann.name.as_str(), ann.email.as_str()),
        (id, "Ann", "ann@example.com")
    );
    assert!(db.find::<User>(id + 1000).await.unwrap().is_none());
    let missing = db.get::<User>(id + 1000).await.unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "User" }),
        "{missing:?}"
    );

    db.update(User::update(id).set(User::NAME, "Anna"))
        .await
        .unwrap();
    let anna = db.get::<User>(id).await.unwrap();
    assert_eq!(
        (anna.name.as_str(), anna.email.as_str()),
        ("Anna", "ann@example.com")
    );
    let err = db
        .update(User::update(id + 1000).set(User::NAME, "x"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { entity: "User" }), "{err:?}");
    assert!(
        db.find::<User>(id + 1000).await.unwrap().is_none(),
        "a missing item is not created"
    );

    let todo_id = db.insert(&Todo::new(id, "write tests", 2)).await.unwrap();
    let mut todo = db.get::<Todo>(todo_id).await.unwrap();
    todo.done = true;
    todo.note = Some("all green".into());
    db.save(&todo).await.unwrap();
    assert_eq!(db.get::<Todo>(todo_id).await.unwrap(), todo);
    todo.note = None;
    db.save(&todo).await.unwrap();
    assert_eq!(db.get::<Todo>(todo_id).await.unwrap().note, None);
    todo.id += 1000;
    assert!(matches!(
        db.save(&todo).await.unwrap_err(),
        Error::NotFound { entity: "Todo" }
    ));

    db.delete(Todo::delete(todo_id)).await.unwrap();
    assert!(db.find::<Todo>(todo_id).await.unwrap().is_none());
    let again = db.delete(Todo::delete(todo_id)).await.unwrap_err();
    assert!(
        matches!(again, Error::NotFound { entity: "Todo" }),
        "{again:?}"
    );
}

pub async fn insert_many_keys<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo, Kinds, Message)>()
        .await
        .unwrap();
    assert!(db.insert_many::<User>(&[]).await.unwrap().is_empty());
    // Users (auto key, unique email): more rows than one transaction holds.
    let users: Vec<User> = (0..120)
        .map(|i| User::new(&format!("u{i}"), &format!("u{i}@x.test")))
        .collect();
    let ids = db.insert_many(&users).await.unwrap();
    assert_eq!(ids.len(), 120);
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 120, "keys are distinct");
    for i in [0, 57, 119] {
        assert_eq!(
            db.get::<User>(ids[i]).await.unwrap().email,
            format!("u{i}@x.test")
        );
    }
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 120);
    // Todos (auto key, no unique column): written without conditions.
    let todos: Vec<Todo> = (0..60)
        .map(|i| Todo::new(ids[0], &format!("t{i}"), i))
        .collect();
    let todo_ids = db.insert_many(&todos).await.unwrap();
    for (id, todo) in todo_ids.iter().zip(&todos) {
        assert_eq!(db.get::<Todo>(*id).await.unwrap().title, todo.title);
    }
    // Caller-chosen keys are returned as given.
    let kinds: Vec<Kinds> = (0..30)
        .map(|i| Kinds::sample(&format!("k{i:02}")))
        .collect();
    let keys = db.insert_many(&kinds).await.unwrap();
    assert_eq!(keys[7], "k07");
    let messages = [("a", 1), ("a", 2), ("b", 1)].map(|(c, t)| Message {
        channel: c.into(),
        sent_at: t,
        body: format!("{c}{t}"),
    });
    let keys = db.insert_many(&messages).await.unwrap();
    assert_eq!(
        keys,
        [
            ("a".to_string(), 1),
            ("a".to_string(), 2),
            ("b".to_string(), 1)
        ]
    );
}

/// Messages in channels `general` and `random` at 0, 10, .. 40.
async fn seed_messages<B: Backend>(db: &Db<B>) {
    db.create_schema::<Message>().await.unwrap();
    let msgs: Vec<Message> = (0..5)
        .flat_map(|t| {
            ["general", "random"].map(|c| Message {
                channel: c.into(),
                sent_at: t * 10,
                body: format!("{c} {t}"),
            })
        })
        .collect();
    db.insert_many(&msgs).await.unwrap();
}

async fn times<B, A>(db: &Db<B>, q: keyway::Select<Message, A>) -> Vec<i64>
where
    B: Backend + keyway::Supports<A>,
    A: keyway::Access,
{
    db.all(q.select(Message::SENT_AT)).await.unwrap()
}

pub async fn partition_and_sort_key<B: Backend>(db: &Db<B>) {
    seed_messages(db).await;
    let one = db.get::<Message>(("random".to_string(), 20)).await.unwrap();
    assert_eq!(one.body, "random 2");
    let general = || Message::query().filter(Message::CHANNEL.eq("general"));
    assert_eq!(
        times(db, general().order_by(Message::SENT_AT.asc())).await,
        [0, 10, 20, 30, 40]
    );
    assert_eq!(
        times(db, general().order_by(Message::SENT_AT.desc())).await,
        [40, 30, 20, 10, 0]
    );
    let range = |f| {
        Message::query()
            .filter(Message::CHANNEL.eq("general").and(f))
            .order_by(Message::SENT_AT.asc())
    };
    assert_eq!(
        times(db, range(Message::SENT_AT.ge(20))).await,
        [20, 30, 40]
    );
    assert_eq!(times(db, range(Message::SENT_AT.gt(20))).await, [30, 40]);
    assert_eq!(times(db, range(Message::SENT_AT.lt(20))).await, [0, 10]);
    assert_eq!(times(db, range(Message::SENT_AT.le(20))).await, [0, 10, 20]);
    assert_eq!(times(db, range(Message::SENT_AT.eq(30))).await, [30]);
    // Two conditions on the sort key, and one on another column.
    let between = range(Message::SENT_AT.ge(10)).filter(Message::SENT_AT.lt(40));
    assert_eq!(times(db, between).await, [10, 20, 30]);
    let body = range(Message::BODY.eq("general 3"));
    assert_eq!(times(db, body).await, [30]);
    // Limits and offsets after the order.
    let newest = general().order_by(Message::SENT_AT.desc()).limit(2);
    assert_eq!(times(db, newest).await, [40, 30]);
    let page = general()
        .order_by(Message::SENT_AT.asc())
        .offset(1)
        .limit(3);
    assert_eq!(times(db, page).await, [10, 20, 30]);
    let first = db
        .first(general().order_by(Message::SENT_AT.desc()))
        .await
        .unwrap();
    assert_eq!(first.map(|m| m.sent_at), Some(40));
    let streamed: Vec<i64> = db
        .stream(
            general()
                .filter(Message::SENT_AT.ge(30))
                .order_by(Message::SENT_AT.desc()),
        )
        .map_ok(|m| m.sent_at)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, [40, 30]);
    // Writes by full key.
    let key = ("general".to_string(), 0);
    db.update(Message::update(key.clone()).set(Message::BODY, "edited"))
        .await
        .unwrap();
    assert_eq!(db.get::<Message>(key.clone()).await.unwrap().body, "edited");
    assert_eq!(
        db.get::<Message>(("random".to_string(), 0))
            .await
            .unwrap()
            .body,
        "random 0"
    );
    db.delete(Message::delete(key.clone())).await.unwrap();
    assert!(db.find::<Message>(key).await.unwrap().is_none());
    assert_eq!(db.count(general()).await.unwrap(), 4);
    let gone = db
        .delete(
            Message::query()
                .filter(Message::CHANNEL.eq("random"))
                .delete(),
        )
        .await
        .unwrap();
    assert_eq!(gone, 5);
    assert_eq!(db.count(Message::query().scan()).await.unwrap(), 4);
}

pub async fn update_and_delete_by_index<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let bob = db.insert(&User::new("Bob", "bob@x.test")).await.unwrap();
    let todos: Vec<Todo> = (0..6)
        .flat_map(|i| {
            [
                Todo::new(ann, &format!("a{i}"), i),
                Todo::new(bob, &format!("b{i}"), i),
            ]
        })
        .collect();
    db.insert_many(&todos).await.unwrap();
    let anns = || Todo::query().filter(Todo::OWNER_ID.eq(ann));
    let n = db
        .update(
            anns()
                .filter(Todo::PRIORITY.ge(3))
                .update()
                .set(Todo::DONE, true),
        )
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        db.count(anns().filter(Todo::DONE.eq(true))).await.unwrap(),
        3
    );
    let none = db
        .update(
            anns()
                .filter(Todo::PRIORITY.gt(100))
                .update()
                .set(Todo::DONE, true),
        )
        .await
        .unwrap();
    assert_eq!(none, 0);
    let n = db
        .update(anns().update().set(Todo::NOTE, Some("mine".to_string())))
        .await
        .unwrap();
    assert_eq!(n, 6);
    // Moving rows between index partitions.
    let moved = db
        .update(
            anns()
                .filter(Todo::PRIORITY.lt(2))
                .update()
                .set(Todo::OWNER_ID, bob),
        )
        .await
        .unwrap();
    assert_eq!(moved, 2);
    assert_eq!(
        db.count(Todo::query().filter(Todo::OWNER_ID.eq(bob)))
            .await
            .unwrap(),
        8
    );
    let deleted = db
        .delete(anns().filter(Todo::DONE.eq(true)).delete())
        .await
        .unwrap();
    assert_eq!(deleted, 3);
    assert_eq!(db.count(anns()).await.unwrap(), 1);
    // By scan, on purpose.
    let n = db
        .update(
            Todo::query()
                .scan()
                .filter(Todo::PRIORITY.eq(5))
                .update()
                .set(Todo::PRIORITY, 50),
        )
        .await
        .unwrap();
    assert_eq!(n, 1);
    let n = db
        .delete(Todo::query().scan().filter(Todo::PRIORITY.lt(3)).delete())
        .await
        .unwrap();
    assert_eq!(n, 6);
    let left = db.delete(Todo::query().scan().delete()).await.unwrap();
    assert_eq!(left, 3);
    assert_eq!(db.count(Todo::query().scan()).await.unwrap(), 0);
}

/// `create` and `create_many` hand back what they stored, generated keys
/// filled in; a table without an `auto` key gets its entities back as
/// given; a refused insert creates nothing.
pub async fn create_returns_stored_entities<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo, Message)>().await.unwrap();
    let ann = db
        .create(User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    assert_ne!(ann.id, 0);
    assert_eq!(db.get::<User>(ann.id).await.unwrap(), ann);

    let todos = db
        .create_many(vec![
            Todo::new(ann.id, "first", 1),
            Todo {
                note: Some("kept".into()),
                ..Todo::new(ann.id, "second", 2)
            },
        ])
        .await
        .unwrap();
    assert_eq!(todos.len(), 2);
    assert_ne!(todos[0].id, todos[1].id);
    for todo in &todos {
        assert_eq!(&db.get::<Todo>(todo.id).await.unwrap(), todo);
    }
    assert_eq!(todos[1].note.as_deref(), Some("kept"));

    let message = Message {
        channel: "general".into(),
        sent_at: 7,
        body: "hello".into(),
    };
    assert_eq!(db.create(message.clone()).await.unwrap(), message);

    let err = db
        .create(User::new("Ann again", "ann@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    assert!(db.create_many(Vec::<User>::new()).await.unwrap().is_empty());
}
