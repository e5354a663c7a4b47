//! Inserts, reads, updates and deletes by key and by filter.

use futures::TryStreamExt;
use keyway::prelude::*;
use keyway::{Backend, Error, Supports, Unindexed};

use crate::model::{Message, Todo, User};

pub async fn insert_and_get<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let id = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let ann = db.get::<User>(id).await.unwrap();
    assert_eq!(
        ann,
        User {
            id,
            name: "Ann".into(),
            email: "ann@example.com".into()
        }
    );
    assert!(db.find::<User>(id + 1000).await.unwrap().is_none());
    let missing = db.get::<User>(id + 1000).await.unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "User" }),
        "{missing:?}"
    );
}

pub async fn insert_many_returns_keys_in_order<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let users: Vec<User> = (0..5)
        .map(|i| User::new(&format!("u{i}"), &format!("u{i}@x.test")))
        .collect();
    let keys = db.insert_many(&users).await.unwrap();
    assert_eq!(keys.len(), 5);
    for (key, user) in keys.iter().zip(&users) {
        assert_eq!(db.get::<User>(*key).await.unwrap().name, user.name);
    }
    let mut sorted = keys.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 5, "keys are distinct");
}

pub async fn insert_many_empty_is_noop<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    assert!(db.insert_many::<User>(&[]).await.unwrap().is_empty());
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
}

pub async fn insert_many_large_batch<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    // More rows than one statement can bind on any SQL backend (2 params each).
    let n = 40_000;
    let users: Vec<User> = (0..n)
        .map(|i| User::new(&format!("n{i}"), &format!("{i}@batch.test")))
        .collect();
    let keys = db.insert_many(&users).await.unwrap();
    assert_eq!(keys.len(), n);
    assert_eq!(db.count(User::query()).await.unwrap(), n as u64);
    for i in [0, n / 2, n - 1] {
        assert_eq!(
            db.get::<User>(keys[i]).await.unwrap().email,
            format!("{i}@batch.test")
        );
    }
}

/// An insert too large for one statement is several, all applied or none:
/// on its own, and inside a transaction, where the failed insert leaves the
/// transaction's earlier writes in place.
pub async fn insert_many_across_statements_is_all_or_nothing<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
) {
    db.create_schema::<User>().await.unwrap();
    // More rows than one statement binds on any SQL backend; the last row's
    // email is the first's, so the last statement fails.
    let n = 40_000;
    let mut users: Vec<User> = (0..n)
        .map(|i| User::new(&format!("n{i}"), &format!("{i}@all.test")))
        .collect();
    users[n - 1].email = "0@all.test".into();
    let err = db.insert_many(&users).await.unwrap_err();
    assert!(
        matches!(err, Error::UniqueViolation { entity: "User", .. }),
        "{err:?}"
    );
    assert_eq!(db.count(User::query()).await.unwrap(), 0);

    let kept = db
        .transaction(async |tx| {
            let kept = tx.insert(&User::new("kept", "kept@all.test")).await?;
            let err = tx.insert_many(&users).await.unwrap_err();
            assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
            assert_eq!(tx.count(User::query()).await?, 1);
            Ok(kept)
        })
        .await
        .unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
    assert_eq!(db.get::<User>(kept).await.unwrap().name, "kept");
    // The connections are fine afterwards.
    users[n - 1].email = format!("{}@all.test", n - 1);
    assert_eq!(db.insert_many(&users).await.unwrap().len(), n);
}

pub async fn save_writes_every_column<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let owner = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let id = db
        .insert(&Todo::new(owner, "write tests", 2))
        .await
        .unwrap();
    let mut todo = db.get::<Todo>(id).await.unwrap();
    todo.done = true;
    todo.note = Some("all green".into());
    todo.priority = -1;
    db.save(&todo).await.unwrap();
    assert_eq!(db.get::<Todo>(id).await.unwrap(), todo);
    todo.id = id + 1000;
    assert!(matches!(
        db.save(&todo).await.unwrap_err(),
        Error::NotFound { entity: "Todo" }
    ));
}

pub async fn update_by_key_sets_only_given_columns<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let id = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    db.update(User::update(id).set(User::NAME, "Anna"))
        .await
        .unwrap();
    let ann = db.get::<User>(id).await.unwrap();
    assert_eq!(
        (ann.name.as_str(), ann.email.as_str()),
        ("Anna", "ann@example.com")
    );
    let missing = db
        .update(User::update(id + 1000).set(User::NAME, "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "User" }),
        "{missing:?}"
    );
}

pub async fn update_where_counts_matches<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let owner = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let todos: Vec<Todo> = (0..6)
        .map(|i| Todo::new(owner, &format!("t{i}"), i))
        .collect();
    db.insert_many(&todos).await.unwrap();
    let n = db
        .update(
            Todo::query()
                .filter(Todo::PRIORITY.ge(3))
                .update()
                .set(Todo::DONE, true),
        )
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        db.count(Todo::query().filter(Todo::DONE.eq(true)))
            .await
            .unwrap(),
        3
    );
    let none = db
        .update(
            Todo::query()
                .filter(Todo::PRIORITY.gt(100))
                .update()
                .set(Todo::DONE, true),
        )
        .await
        .unwrap();
    assert_eq!(none, 0);
}

pub async fn delete_by_key_and_where<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let owner = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let ids = db
        .insert_many(&(0..4).map(|i| Todo::new(owner, "t", i)).collect::<Vec<_>>())
        .await
        .unwrap();
    db.delete(Todo::delete(ids[0])).await.unwrap();
    assert!(db.find::<Todo>(ids[0]).await.unwrap().is_none());
    assert!(matches!(
        db.delete(Todo::delete(ids[0])).await.unwrap_err(),
        Error::NotFound { .. }
    ));
    assert_eq!(
        db.delete(Todo::query().filter(Todo::PRIORITY.lt(3)).delete())
            .await
            .unwrap(),
        2
    );
    let left: Vec<Todo> = db.all(Todo::query()).await.unwrap();
    assert_eq!(left.iter().map(|t| t.id).collect::<Vec<_>>(), [ids[3]]);
}

pub async fn composite_key<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
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
    let keys = db.insert_many(&msgs).await.unwrap();
    assert_eq!(keys[0], ("general".to_string(), 0));
    let one = db.get::<Message>(("random".to_string(), 20)).await.unwrap();
    assert_eq!(one.body, "random 2");
    let q = Message::query()
        .filter(Message::CHANNEL.eq("general").and(Message::SENT_AT.ge(20)))
        .order_by(Message::SENT_AT.desc());
    let got: Vec<i64> = db
        .stream(q)
        .map_ok(|m| m.sent_at)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, [40, 30, 20]);
    db.update(Message::update(("general".to_string(), 0)).set(Message::BODY, "edited"))
        .await
        .unwrap();
    assert_eq!(
        db.get::<Message>(("general".to_string(), 0))
            .await
            .unwrap()
            .body,
        "edited"
    );
    assert_eq!(
        db.get::<Message>(("random".to_string(), 0))
            .await
            .unwrap()
            .body,
        "random 0"
    );
}
