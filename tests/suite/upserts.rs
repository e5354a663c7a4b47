//! Upserts: by primary key, by a unique index, writing every column, some
//! or none; keys in order; concurrent upserts of the same keys. Every
//! backend, DynamoDB included.

use std::sync::Arc;

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Message, Sku, User};

fn invalid<T: std::fmt::Debug>(result: keyway::Result<T>) {
    let err = result.unwrap_err();
    assert!(
        matches!(err, Error::Invalid { what: "upsert", .. }),
        "{err:?}"
    );
}

pub async fn upsert_by_key_and_by_index<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Sku, Message)>().await.unwrap();

    // By primary key: inserted, then written over; the version starts at 1
    // and goes up with each update.
    let rows = [Sku::new("a-1", "Apple", 5), Sku::new("b-2", "Banana", 7)];
    let keys = db.upsert(Sku::upsert(&rows)).await.unwrap();
    assert_eq!(keys, ["a-1", "b-2"]);
    assert_eq!(db.get::<Sku>("a-1".to_string()).await.unwrap().version, 1);
    let again = [
        Sku {
            note: Some("fresh".into()),
            ..Sku::new("a-1", "Apple", 9)
        },
        Sku::new("c-3", "Cherry", 1),
    ];
    let keys = db.upsert(Sku::upsert(&again)).await.unwrap();
    assert_eq!(keys, ["a-1", "c-3"]);
    let apple = db.get::<Sku>("a-1".to_string()).await.unwrap();
    assert_eq!(
        (apple.stock, apple.note.as_deref(), apple.version),
        (9, Some("fresh"), 2)
    );
    assert_eq!(db.get::<Sku>("b-2".to_string()).await.unwrap().stock, 7);
    assert_eq!(db.get::<Sku>("c-3".to_string()).await.unwrap().version, 1);

    // Only the named columns are written to a row that exists.
    let partial = [Sku {
        note: None,
        ..Sku::new("a-1", "Apple", 100)
    }];
    db.upsert(Sku::upsert(&partial).update(Sku::STOCK))
        .await
        .unwrap();
    let apple = db.get::<Sku>("a-1".to_string()).await.unwrap();
    assert_eq!(
        (apple.stock, apple.note.as_deref(), apple.version),
        (100, Some("fresh"), 3)
    );
    // Insert or ignore: a row that exists is left as it is, a new one is inserted.
    let ignored = [Sku::new("a-1", "Apple", 0), Sku::new("d-4", "Date", 4)];
    let keys = db.upsert(Sku::upsert(&ignored).ignore()).await.unwrap();
    assert_eq!(keys, ["a-1", "d-4"]);
    let apple = db.get::<Sku>("a-1".to_string()).await.unwrap();
    assert_eq!((apple.stock, apple.version), (100, 3));
    assert_eq!(db.get::<Sku>("d-4".to_string()).await.unwrap().stock, 4);

    // By a unique index: the row with that name keeps its key.
    let renamed = [Sku::new("z-9", "Banana", 70)];
    let keys = db
        .upsert(Sku::upsert(&renamed).on_conflict(Sku::NAME))
        .await
        .unwrap();
    assert_eq!(keys, ["b-2"], "the stored row's key");
    assert!(db.find::<Sku>("z-9".to_string()).await.unwrap().is_none());
    assert_eq!(db.get::<Sku>("b-2".to_string()).await.unwrap().stock, 70);

    // A row that matches another unique index than the target is refused
    // and writes nothing.
    let clash = [Sku::new("e-5", "Apple", 1)];
    let err = db.upsert(Sku::upsert(&clash)).await.unwrap_err();
    assert!(
        matches!(&err, Error::UniqueViolation { entity: "Sku", index } if index == "skus_name_key"),
        "{err:?}"
    );
    assert!(db.find::<Sku>("e-5".to_string()).await.unwrap().is_none());
    let apple = db.get::<Sku>("a-1".to_string()).await.unwrap();
    assert_eq!((apple.name.as_str(), apple.stock), ("Apple", 100));

    // A key the database generates: by a unique index, keys read back.
    let ann = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let users = [
        User::new("Bob", "bob@example.com"),
        User::new("Ann Smith", "ann@example.com"),
    ];
    let keys = db
        .upsert(User::upsert(&users).on_conflict(User::EMAIL))
        .await
        .unwrap();
    assert_eq!(keys[1], ann);
    assert_eq!(db.get::<User>(ann).await.unwrap().name, "Ann Smith");
    assert_eq!(db.get::<User>(keys[0]).await.unwrap().name, "Bob");
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 2);

    // A composite key.
    let posts = [Message {
        channel: "general".into(),
        sent_at: 1,
        body: "hi".into(),
    }];
    db.upsert(Message::upsert(&posts)).await.unwrap();
    let edited = [Message {
        body: "hello".into(),
        ..posts[0].clone()
    }];
    let keys = db.upsert(Message::upsert(&edited)).await.unwrap();
    assert_eq!(keys, [("general".to_string(), 1)]);
    let read = db.get::<Message>(("general".to_string(), 1)).await.unwrap();
    assert_eq!(read.body, "hello");

    // No rows: nothing sent.
    assert!(db.upsert(Sku::upsert(&[])).await.unwrap().is_empty());

    // Refused before anything is sent.
    invalid(db.upsert(User::upsert(&users)).await); // its key is generated
    invalid(
        db.upsert(Sku::upsert(&[Sku::new("x", "X", 1), Sku::new("x", "Y", 2)]))
            .await,
    );
    invalid(
        db.upsert(Sku::upsert(&[Sku::new("x", "X", 1)]).update(Sku::VERSION))
            .await,
    );
    invalid(
        db.upsert(Sku::upsert(&[Sku::new("x", "X", 1)]).update(Sku::CODE))
            .await,
    );
    const NOT_UNIQUE: IndexDef = IndexDef::non_unique("skus_stock", &["stock"]);
    invalid(
        db.upsert(Sku::upsert(&[Sku::new("x", "X", 1)]).on_conflict(NOT_UNIQUE))
            .await,
    );
    assert!(db.find::<Sku>("x".to_string()).await.unwrap().is_none());
}

/// Upserts in a transaction commit or roll back with it.
pub async fn upserts_in_transactions<B: Backend>(db: &Db<B>) {
    db.create_schema::<Sku>().await.unwrap();
    db.upsert(Sku::upsert(&[Sku::new("a", "A", 1)]))
        .await
        .unwrap();
    let err = db
        .transaction(async |tx| {
            tx.upsert(Sku::upsert(&[Sku::new("a", "A", 2), Sku::new("b", "B", 2)]))
                .await?;
            assert_eq!(tx.get::<Sku>("a".to_string()).await?.stock, 2);
            Err::<(), _>(Error::ConditionFailed)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed));
    assert_eq!(db.get::<Sku>("a".to_string()).await.unwrap().stock, 1);
    assert!(db.find::<Sku>("b".to_string()).await.unwrap().is_none());
    db.transaction(async |tx| {
        tx.upsert(Sku::upsert(&[Sku::new("a", "A", 3), Sku::new("b", "B", 3)]))
            .await
    })
    .await
    .unwrap();
    assert_eq!(db.get::<Sku>("a".to_string()).await.unwrap().stock, 3);
    assert_eq!(db.get::<Sku>("b".to_string()).await.unwrap().stock, 3);
}

/// Eight tasks upsert the same twenty keys at once, each with its own
/// stock: every key ends up stored once, holding one writer's values
/// whole (the last write wins), none fails.
pub async fn concurrent_upserts_store_each_key_once<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Sku)>().await.unwrap();
    let db = Arc::new(db.clone());
    let tasks = (1..=8i64).map(|writer| {
        let db = db.clone();
        tokio::spawn(async move {
            let skus: Vec<Sku> = (0..20)
                .map(|i| Sku {
                    note: Some(format!("writer {writer}")),
                    ..Sku::new(&format!("k{i}"), &format!("item {i}"), writer)
                })
                .collect();
            db.upsert(Sku::upsert(&skus)).await.unwrap();
            let users: Vec<User> = (0..20)
                .map(|i| User::new(&format!("writer {writer}"), &format!("u{i}@example.com")))
                .collect();
            db.upsert(User::upsert(&users).on_conflict(User::EMAIL))
                .await
                .unwrap()
        })
    });
    let mut keys = Vec::new();
    for task in tasks {
        keys.push(task.await.unwrap());
    }
    assert!(
        keys.iter().all(|k| *k == keys[0]),
        "every writer got the same keys"
    );
    let skus = db.all(Sku::query().scan()).await.unwrap();
    assert_eq!(skus.len(), 20, "each key once");
    for sku in &skus {
        assert_eq!(
            sku.note.as_deref(),
            Some(format!("writer {}", sku.stock).as_str()),
            "one writer's row, whole"
        );
        assert!((1..=8).contains(&sku.version), "{}", sku.version);
    }
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 20);
}

/// `upsert_outcomes` tells each row's insert from a stored row it found:
/// by key and by a unique index, updating, ignoring, in a transaction.
pub async fn upsert_outcomes_tell_inserts<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Sku)>().await.unwrap();
    db.insert(&Sku::new("a-1", "Apple", 5)).await.unwrap();
    let rows = [Sku::new("a-1", "Apple", 9), Sku::new("b-2", "Banana", 7)];
    let done = db.upsert_outcomes(Sku::upsert(&rows)).await.unwrap();
    let seen: Vec<(&str, bool)> = done.iter().map(|u| (u.key.as_str(), u.inserted)).collect();
    assert_eq!(seen, [("a-1", false), ("b-2", true)]);
    assert_eq!(db.get::<Sku>("a-1".to_owned()).await.unwrap().stock, 9);
    // Left as it was: found, not inserted, and not changed.
    let again = [Sku::new("b-2", "Banana", 0), Sku::new("c-3", "Cherry", 3)];
    let done = db
        .upsert_outcomes(Sku::upsert(&again).ignore())
        .await
        .unwrap();
    let inserted: Vec<bool> = done.iter().map(|u| u.inserted).collect();
    assert_eq!(inserted, [false, true]);
    assert_eq!(db.get::<Sku>("b-2".to_owned()).await.unwrap().stock, 7);
    // On a unique index, with generated keys.
    let ann = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let users = [
        User::new("Ann Smith", "ann@example.com"),
        User::new("Bob", "bob@example.com"),
    ];
    let done = db
        .upsert_outcomes(User::upsert(&users).on_conflict(User::EMAIL))
        .await
        .unwrap();
    assert_eq!((done[0].key, done[0].inserted), (ann, false));
    assert!(done[1].inserted);
    assert_eq!(db.get::<User>(done[1].key).await.unwrap().name, "Bob");
    // In a transaction: what it did, undone by the rollback.
    let rolled = db
        .transaction(async |tx| {
            let rows = [Sku::new("d-4", "Date", 1), Sku::new("a-1", "Apple", 1)];
            let done = tx.upsert_outcomes(Sku::upsert(&rows)).await?;
            assert_eq!(
                done.iter().map(|u| u.inserted).collect::<Vec<_>>(),
                [true, false]
            );
            Err::<(), _>(Error::ConditionFailed)
        })
        .await;
    assert!(matches!(rolled, Err(Error::ConditionFailed)), "{rolled:?}");
    assert!(db.find::<Sku>("d-4".to_owned()).await.unwrap().is_none());
    assert_eq!(db.get::<Sku>("a-1".to_owned()).await.unwrap().stock, 9);
    assert!(
        db.upsert_outcomes(Sku::upsert(&[]))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Four tasks upsert the same keys at once and ask which rows they
/// inserted: each key is reported inserted exactly once across them.
pub async fn concurrent_upsert_outcomes_report_each_insert_once<B: Backend>(db: &Db<B>) {
    db.create_schema::<Sku>().await.unwrap();
    let db = Arc::new(db.clone());
    let tasks = (1..=4i64).map(|writer| {
        let db = db.clone();
        tokio::spawn(async move {
            let skus: Vec<Sku> = (0..10)
                .map(|i| Sku::new(&format!("k{i}"), &format!("item {i}"), writer))
                .collect();
            // A conflict between the writers' locks is retryable: the
            // whole upsert was rolled back, so run it again (bounded).
            for _ in 0..20 {
                match db.upsert_outcomes(Sku::upsert(&skus)).await {
                    Ok(done) => return done,
                    Err(e) if e.is_retryable() => continue,
                    Err(e) => panic!("{e:?}"),
                }
            }
            panic!("writer {writer} kept conflicting");
        })
    });
    let mut inserts = std::collections::HashMap::new();
    for task in tasks {
        for u in task.await.unwrap() {
            *inserts.entry(u.key).or_insert(0) += usize::from(u.inserted);
        }
    }
    assert_eq!(inserts.len(), 10);
    assert!(inserts.values().all(|n| *n == 1), "{inserts:?}");
    assert_eq!(db.count(Sku::query().scan()).await.unwrap(), 10);
}
