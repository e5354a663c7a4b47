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
