//! What only DynamoDB does: its refusals, its limits, its raw items.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{DecodeError, Error};

use super::*;
use crate::model::{Kinds, Message, Todo, User};

fn unsupported(err: &Error, needle: &str) -> bool {
    matches!(err, Error::Unsupported { backend: "dynamodb", detail } if detail.contains(needle))
}

#[tokio::test]
async fn ordering_only_on_keys() {
    let db = open().await;
    db.create_schema::<(User, Todo, Message)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let q = || Todo::query().filter(Todo::OWNER_ID.eq(ann));
    let err = db
        .all(q().order_by(Todo::PRIORITY.desc()))
        .await
        .unwrap_err();
    assert!(unsupported(&err, "by `priority`"), "{err:?}");
    let err = db
        .all(Todo::query().scan().order_by(Todo::ID.asc()))
        .await
        .unwrap_err();
    assert!(unsupported(&err, "by `id`"), "{err:?}");
    let err = db
        .all(
            Message::query()
                .filter(Message::CHANNEL.eq("c"))
                .order_by(Message::BODY.asc()),
        )
        .await
        .unwrap_err();
    assert!(unsupported(&err, "by `body`"), "{err:?}");
    // Key columns are fine: on the server for the sort key, in memory else.
    db.all(q().order_by(Todo::ID.desc())).await.unwrap();
    db.all(
        Message::query()
            .filter(Message::CHANNEL.eq("c"))
            .order_by(Message::SENT_AT.desc()),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn null_cannot_use_an_index() {
    let db = open().await;
    db.create_schema::<(User, crate::model::Tag)>()
        .await
        .unwrap();
    let q = crate::model::Tag::query().filter(crate::model::Tag::TODO_ID.eq(None::<i64>));
    let err = db.all(q).await.unwrap_err();
    assert!(unsupported(&err, "call `.scan()`"), "{err:?}");
}

#[tokio::test]
async fn floats_dynamodb_cannot_hold_are_refused() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    for (i, bad) in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, 1e-200]
        .into_iter()
        .enumerate()
    {
        let k = Kinds {
            double: bad,
            ..Kinds::sample(&format!("bad{i}"))
        };
        let err = db.insert(&k).await.unwrap_err();
        assert!(
            matches!(&err, Error::OutOfRange { entity: "Kinds", column, .. } if column == "double_"),
            "{err:?}"
        );
    }
    let k = Kinds {
        single: f32::NAN,
        ..Kinds::sample("nan32")
    };
    assert!(matches!(db.insert(&k).await, Err(Error::OutOfRange { .. })));
    assert_eq!(db.count(Kinds::query().scan()).await.unwrap(), 0);
    // What fits, fits exactly: the full u64 range and the f32/f64 extremes.
    let edge = Kinds {
        huge: u64::MAX,
        single: f32::MIN_POSITIVE / 8.0,
        double: 9.99e125,
        maybe_double: Some(1e-130),
        ..Kinds::sample("edge")
    };
    db.insert(&edge).await.unwrap();
    assert_eq!(db.get::<Kinds>("edge".to_string()).await.unwrap(), edge);
    let huge: Vec<String> = db
        .all(
            Kinds::query()
                .scan()
                .filter(Kinds::HUGE.eq(u64::MAX))
                .select(Kinds::KEY),
        )
        .await
        .unwrap();
    assert_eq!(huge, ["edge"]);
}

#[tokio::test]
async fn foreign_items_fail_to_decode_clearly() {
    let db = open().await;
    db.create_schema::<Todo>().await.unwrap();
    let client = db.executor().client().clone();
    let table = db.executor().table_name("todos");
    let n = |v: &str| AttributeValue::N(v.into());
    let base = HashMap::from([
        ("owner_id".to_string(), n("1")),
        ("title".to_string(), AttributeValue::S("t".into())),
        ("done".to_string(), AttributeValue::Bool(false)),
        ("priority".to_string(), n("1")),
    ]);
    let rows: [(&str, Option<(&str, AttributeValue)>); 4] = [
        ("1", None),
        ("2", Some(("title", AttributeValue::Null(true)))),
        ("3", Some(("done", AttributeValue::S("yes".into())))),
        ("4", Some(("priority", n("70000")))),
    ];
    for (id, change) in &rows {
        let mut item = base.clone();
        item.insert("id".into(), n(id));
        if let Some((k, v)) = change {
            item.insert((*k).into(), v.clone());
        }
        client
            .put_item()
            .table_name(&table)
            .set_item(Some(item))
            .send()
            .await
            .unwrap();
    }
    let mut missing = base.clone();
    missing.insert("id".into(), n("5"));
    missing.remove("title");
    client
        .put_item()
        .table_name(&table)
        .set_item(Some(missing))
        .send()
        .await
        .unwrap();
    assert_eq!(db.get::<Todo>(1).await.unwrap().title, "t");
    let cases = [
        (2, "title", DecodeError::UnexpectedNull),
        (
            3,
            "done",
            DecodeError::WrongType {
                expected: keyway::ColumnType::Bool,
                found: "a string (S)",
            },
        ),
        (
            4,
            "priority",
            DecodeError::OutOfRange {
                expected: keyway::ColumnType::I16,
                value: "70000".into(),
            },
        ),
        (5, "title", DecodeError::UnexpectedNull),
    ];
    for (id, col, want) in cases {
        match db.get::<Todo>(id).await.unwrap_err() {
            Error::Decode {
                entity,
                column,
                source,
            } => assert_eq!((entity, column.as_str(), source), ("Todo", col, want)),
            other => panic!("item {id}: expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn unreachable_endpoint_is_a_connection_error() {
    let err = DynamoDbOptions::new("dynamodb://127.0.0.1:9?region=us-east-1")
        .max_attempts(1)
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    let bad = DynamoDb::connect("postgres://localhost").await.unwrap_err();
    assert!(
        matches!(
            bad,
            Error::Invalid {
                what: "DynamoDB URL",
                ..
            }
        ),
        "{bad:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_inserts_never_share_a_key() {
    // Todos have an auto key and no unique column: single PutItems and
    // BatchWriteItems racing on one counter. (Racing TransactWriteItems on
    // one table trip a thread-safety bug in moto, not in DynamoDB.)
    let db = open().await;
    db.create_schema::<Todo>().await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..10 {
                    ids.push(db.insert(&Todo::new(t, &format!("{i}"), 1)).await.unwrap());
                }
                let many: Vec<Todo> = (0..15).map(|i| Todo::new(t, &format!("m{i}"), 2)).collect();
                ids.extend(db.insert_many(&many).await.unwrap());
                ids
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 8 * 25);
    assert_eq!(db.count(Todo::query().scan()).await.unwrap(), 200);
}

#[tokio::test]
async fn large_in_lists_batch_and_fan_out() {
    let db = open().await;
    db.create_schema::<(User, Todo)>().await.unwrap();
    let users: Vec<User> = (0..30)
        .map(|i| User::new("u", &format!("{i}@x.test")))
        .collect();
    let owners = db.insert_many(&users).await.unwrap();
    let todos: Vec<Todo> = (0..250)
        .map(|i| Todo::new(owners[i % 30], "t", 1))
        .collect();
    let ids = db.insert_many(&todos).await.unwrap();
    let got = db
        .all(Todo::query().filter(Todo::ID.in_list(ids.clone())))
        .await
        .unwrap();
    assert_eq!(got.len(), 250, "BatchGetItem, 100 keys per call");
    let by_owner = db
        .count(Todo::query().filter(Todo::OWNER_ID.in_list(owners.clone())))
        .await
        .unwrap();
    assert_eq!(by_owner, 250, "one Query per owner");
    let users = db
        .all(
            User::query()
                .filter(User::ID.in_list(owners))
                .include(User::TODOS),
        )
        .await
        .unwrap();
    assert_eq!(
        users
            .iter()
            .map(|u| u.get(User::TODOS).len())
            .sum::<usize>(),
        250
    );
}

#[tokio::test]
async fn transaction_limits_are_clear() {
    let db = open().await;
    db.create_schema::<(User, Kinds)>().await.unwrap();
    let id = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.update(User::update(id).set(User::NAME, "a"))
        .await
        .unwrap();
    let err = tx
        .update(User::update(id).set(User::NAME, "b"))
        .await
        .unwrap_err();
    assert!(unsupported(&err, "at most once"), "{err:?}");
    drop(tx);
    // Two claims of one unique value in one transaction: a duplicate.
    let tx = db.begin().await.unwrap();
    tx.insert(&User::new("Bob", "bob@x.test")).await.unwrap();
    let err = tx
        .insert(&User::new("Bob 2", "bob@x.test"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UniqueViolation { index, .. } if index == "users_email_key"),
        "{err:?}"
    );
    drop(tx);
    let tx = db.begin().await.unwrap();
    let rows: Vec<Kinds> = (0..101).map(|i| Kinds::sample(&format!("k{i}"))).collect();
    let err = tx.insert_many(&rows).await.unwrap_err();
    assert!(unsupported(&err, "at most 100"), "{err:?}");
    tx.insert_many(&rows[..100]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(db.count(Kinds::query().scan()).await.unwrap(), 100);
}

#[tokio::test]
async fn schema_is_idempotent_and_drop_frees_unique_values() {
    let db = open().await;
    db.create_schema::<(User, Todo)>().await.unwrap();
    db.create_schema::<(User, Todo)>().await.unwrap();
    let client = db.executor().client();
    let desc = client
        .describe_table()
        .table_name(db.executor().table_name("todos"))
        .send()
        .await
        .unwrap();
    let mut gsis: Vec<String> = desc
        .table
        .and_then(|t| t.global_secondary_indexes)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|g| g.index_name)
        .collect();
    gsis.sort();
    assert_eq!(gsis, ["todos_owner_id_idx"]);
    db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    db.drop_schema::<(User, Todo)>().await.unwrap();
    db.drop_schema::<(User, Todo)>().await.unwrap();
    db.create_schema::<User>().await.unwrap();
    let id = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    assert_eq!(
        id, 1,
        "a dropped table starts afresh: counter and sentinels go with it"
    );
}

#[tokio::test]
async fn prefixes_keep_tables_apart() {
    let (a, b) = (open().await, open().await);
    a.create_schema::<User>().await.unwrap();
    b.create_schema::<User>().await.unwrap();
    a.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    b.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    assert_eq!(a.count(User::query().scan()).await.unwrap(), 1);
    assert_eq!(b.count(User::query().scan()).await.unwrap(), 1);
}
