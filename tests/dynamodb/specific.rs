//! What only DynamoDB does: its refusals, its limits, its raw items.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{DecodeError, Error};

use super::*;
use crate::model::{Author, Comment, Draft, Kinds, Message, Post, Todo, User};

fn unsupported(err: &Error, needle: &str) -> bool {
    matches!(err, Error::Unsupported { backend: "dynamodb", detail } if detail.contains(needle))
}

/// Ordering by a column outside the key does not compile against DynamoDB
/// (tests/ui/fail/dynamodb_order_by_plain_column.rs); every key order runs:
/// on the server for the Query's sort key, in memory otherwise, an explicit
/// Scan included.
#[tokio::test]
async fn ordering_on_keys() {
    let db = open().await;
    db.create_schema::<(User, Todo, Message)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todos: Vec<Todo> = (0..5)
        .map(|i| Todo::new(ann, &format!("t{i}"), i))
        .collect();
    let ids = db.insert_many(&todos).await.unwrap();
    let q = || Todo::query().filter(Todo::OWNER_ID.eq(ann));
    let desc: Vec<i64> = db
        .all(q().order_by(Todo::ID.desc()))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    let mut want = ids.clone();
    want.reverse();
    assert_eq!(desc, want);
    let scanned: Vec<i64> = db
        .all(Todo::query().scan().order_by(Todo::ID.asc()))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(scanned, ids);
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
    // Todo lives in the shared table `app`: items with its key and type.
    let table = db.executor().table_name("app");
    let n = |v: &str| AttributeValue::N(v.into());
    let base = HashMap::from([
        ("SK".to_string(), AttributeValue::S("TODO".into())),
        ("_et".to_string(), AttributeValue::S("Todo".into())),
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
        item.insert("PK".into(), AttributeValue::S(format!("TODO#{id:0>20}")));
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
    missing.insert("PK".into(), AttributeValue::S(format!("TODO#{:0>20}", 5)));
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
    // Drafts have an auto key, no unique column and (here) no parent to
    // check: single PutItems and BatchWriteItems racing on one counter. (Racing TransactWriteItems on
    // one table trip a thread-safety bug in moto, not in DynamoDB.)
    let db = open().await;
    db.create_schema::<Draft>().await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..10 {
                    ids.push(
                        db.insert(&Draft::new(None, &format!("{t}-{i}")))
                            .await
                            .unwrap(),
                    );
                }
                let many: Vec<Draft> = (0..15)
                    .map(|i| Draft::new(None, &format!("{t}-m{i}")))
                    .collect();
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
    assert_eq!(db.count(Draft::query().scan()).await.unwrap(), 200);
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
    // A second write of one item composes with the first (one UpdateItem).
    tx.update(User::update(id).set(User::NAME, "b"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(db.get::<User>(id).await.unwrap().name, "b");
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
        .table_name(db.executor().table_name("app"))
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
    // The shared table: Todo's owner index is the layout's GSI1.
    assert_eq!(gsis, ["GSI1", "users_email_key"]);
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

/// An item over DynamoDB's 400 KB (409,600 bytes, names included) is refused
/// before it is sent with `OutOfRange` naming the entity and the largest
/// column, on insert and on update; one under the limit round-trips. (The
/// one under stays below moto's own limit, 405,000 bytes, too.)
#[tokio::test]
async fn items_over_400_kb_are_refused_before_sending() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    #[track_caller]
    fn too_large<T: std::fmt::Debug>(result: keyway::Result<T>) {
        match result {
            Err(Error::OutOfRange {
                entity: "Kinds",
                column,
                detail,
            }) if column == "text_" && detail.contains("409600") => {}
            other => panic!("expected OutOfRange on Kinds.text_, got {other:?}"),
        }
    }
    let big = Kinds {
        text: "x".repeat(401 * 1024),
        ..Kinds::sample("big")
    };
    too_large(db.insert(&big).await);
    too_large(db.insert_many(std::slice::from_ref(&big)).await);
    assert!(db.find::<Kinds>("big".to_string()).await.unwrap().is_none());
    let under = Kinds {
        text: "é".repeat(399_000 / 2),
        ..Kinds::sample("under")
    };
    db.insert(&under).await.unwrap();
    assert_eq!(db.get::<Kinds>("under".to_string()).await.unwrap(), under);
    let huge_text = "y".repeat(401 * 1024);
    too_large(
        db.update(Kinds::update("under".to_string()).set(Kinds::TEXT, huge_text.as_str()))
            .await,
    );
    assert_eq!(db.get::<Kinds>("under".to_string()).await.unwrap(), under);
}

/// -0.0 is refused: a DynamoDB number is a decimal, with no negative zero.
#[tokio::test]
async fn negative_zero_is_refused() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    let k = Kinds {
        maybe_double: Some(-0.0),
        ..Kinds::sample("z")
    };
    let err = db.insert(&k).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { entity: "Kinds", column, .. } if column == "maybe_double"),
        "{err:?}"
    );
}

/// The references a child table records reach a connection that never
/// created (or declared) the child: a fresh connection to the same tables
/// cascades; dropping the child forgets its records.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_keys_reach_other_connections() {
    let p = prefix();
    let connect = || {
        DynamoDbOptions::new(url())
            .table_prefix(p.clone())
            .connect()
    };
    let creator = connect().await.unwrap();
    creator
        .create_schema::<(Author, Post, Comment, Draft)>()
        .await
        .unwrap();
    let ann = creator.insert(&Author::new("Ann")).await.unwrap();
    let post = creator.insert(&Post::new(ann, "p")).await.unwrap();
    creator.insert(&Comment::new(post, "c")).await.unwrap();
    let other = connect().await.unwrap();
    other.delete(Author::delete(ann)).await.unwrap();
    assert!(creator.find::<Post>(post).await.unwrap().is_none());
    let comments = Comment::query().filter(Comment::POST_ID.eq(post));
    assert_eq!(creator.count(comments).await.unwrap(), 0);
    // Dropping the child deletes its record from the parent's partition.
    let record = || async {
        let key = HashMap::from([
            ("t".to_owned(), AttributeValue::S("fk_authors".into())),
            (
                "k".to_owned(),
                AttributeValue::S("ref#fk_posts#author_id".into()),
            ),
        ]);
        let got = creator
            .executor()
            .client()
            .get_item()
            .table_name(creator.executor().table_name("keyway_meta"))
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .unwrap();
        got.item.is_some()
    };
    assert!(record().await);
    creator.drop_schema::<(Post, Comment)>().await.unwrap();
    assert!(!record().await);
    let bob = other.insert(&Author::new("Bob")).await.unwrap();
    other.delete(Author::delete(bob)).await.unwrap();
}

/// A cascade past 100 writes: TransactWriteItems of 100, the children
/// first; one Query per child table reached and per cascaded row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cascade_request_counts() {
    let url = url();
    let proxy = crate::fault_proxy::FaultProxy::start(suite::scratch::authority(&url)).await;
    let db = DynamoDbOptions::new(suite::scratch::via(&url, &proxy.addr()))
        .table_prefix(prefix())
        .connect()
        .await
        .unwrap();
    db.create_schema::<(Author, Post, Comment, Draft)>()
        .await
        .unwrap();
    let ann = db.insert(&Author::new("Ann")).await.unwrap();
    let posts: Vec<Post> = (0..130).map(|i| Post::new(ann, &format!("s{i}"))).collect();
    db.insert_many(&posts).await.unwrap();
    let (tx0, q0) = (proxy.seen("TransactWriteItems"), proxy.seen("Query"));
    db.delete(Author::delete(ann)).await.unwrap();
    // 130 posts and their 130 slugs, then the author: 261 writes.
    assert_eq!(proxy.seen("TransactWriteItems") - tx0, 3);
    // The posts and the drafts of the author, the comments of each post,
    // and at most one reference list per table the cascade reaches
    // (authors, posts, drafts, comments), read again only when the
    // process's cached copy is older than its refresh period.
    let queries = proxy.seen("Query") - q0;
    assert!(
        (2 + 130..=2 + 130 + 4).contains(&queries),
        "{queries} Queries"
    );
    // In a transaction, the same cascade is refused, and leaves it as it was.
    let bob = db.insert(&Author::new("Bob")).await.unwrap();
    let posts: Vec<Post> = (0..60).map(|i| Post::new(bob, &format!("b{i}"))).collect();
    db.insert_many(&posts).await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.update(Author::update(bob).set(Author::NAME, "Robert"))
        .await
        .unwrap();
    let err = tx.delete(Author::delete(bob)).await.unwrap_err();
    assert!(unsupported(&err, "at most 100"), "{err:?}");
    tx.commit().await.unwrap();
    assert_eq!(db.get::<Author>(bob).await.unwrap().name, "Robert");
    let left = db.count(Post::query().filter(Post::AUTHOR_ID.eq(bob)));
    assert_eq!(left.await.unwrap(), 60);
}

/// The items of `table` as DynamoDB holds them.
async fn raw_items(db: &Db<DynamoDb>, table: &str) -> Vec<HashMap<String, AttributeValue>> {
    db.executor()
        .client()
        .scan()
        .table_name(db.executor().table_name(table))
        .send()
        .await
        .unwrap()
        .items
        .unwrap()
}

/// A JSON document is a native DynamoDB map (numbers `N`, lists `L`), a
/// UUID its canonical text, an instant its microseconds and a decimal its
/// exact digits: what another program reading the table sees.
#[tokio::test]
async fn documents_are_native_maps() {
    use crate::model::Reading;
    let db = open().await;
    db.create_schema::<Reading>().await.unwrap();
    let reading = Reading::sample(uuid::Uuid::from_u128(7), 5);
    db.insert(&reading).await.unwrap();
    let items = raw_items(&db, "readings").await;
    let item = &items[0];
    let AttributeValue::M(meta) = &item["meta"] else {
        panic!("meta is not a map: {:?}", item["meta"])
    };
    let AttributeValue::M(labels) = &meta["labels"] else {
        panic!("labels is not a map: {:?}", meta["labels"])
    };
    assert_eq!(labels["color"], AttributeValue::S("red".into()));
    assert_eq!(labels["size"], AttributeValue::N("3".into()));
    assert_eq!(meta["big"], AttributeValue::N("9007199254740993".into()));
    assert_eq!(
        meta["tags"],
        AttributeValue::L(vec![
            AttributeValue::S("a".into()),
            AttributeValue::S("b".into())
        ])
    );
    assert_eq!(meta["none"], AttributeValue::Null(true));
    assert_eq!(
        item["sensor"],
        AttributeValue::S("00000000-0000-0000-0000-000000000007".into())
    );
    assert_eq!(item["at"], AttributeValue::N("1767225600000005".into()));
    assert_eq!(item["price"], AttributeValue::N("-19.99".into()));
    assert!(!item.contains_key("checked_at"));
}

/// An embedded struct is one native map: a key per field that is not
/// `None`; an absent optional struct is no attribute. A field updated
/// alone changes that key of the map, and nothing else.
#[tokio::test]
async fn embedded_structs_are_native_maps() {
    use crate::model::{Address, Customer};
    let db = open().await;
    db.create_schema::<Customer>().await.unwrap();
    let mut ann = Customer::new(1, "red", "Ann", "Lyon");
    ann.home.floor = Some(4);
    db.insert(&ann).await.unwrap();
    db.update(
        Customer::update(1).set(Customer::HOME.field(Address::ZIP), Some("69001".to_owned())),
    )
    .await
    .unwrap();
    let items = raw_items(&db, "customers").await;
    let item = &items[0];
    let AttributeValue::M(home) = &item["home"] else {
        panic!("home is not a map: {:?}", item["home"])
    };
    let mut keys: Vec<_> = home.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["city", "floor", "street", "zip"]);
    assert_eq!(home["city"], AttributeValue::S("Lyon".into()));
    assert_eq!(home["floor"], AttributeValue::N("4".into()));
    assert_eq!(home["zip"], AttributeValue::S("69001".into()));
    assert!(!item.contains_key("office"));
    assert!(!item.contains_key("home_city"));
    let AttributeValue::M(balance) = &item["balance"] else {
        panic!("balance is not a map: {:?}", item["balance"])
    };
    assert!(
        matches!(&balance["amount"], AttributeValue::N(n) if n.parse::<f64>() == Ok(0.0)),
        "{:?}",
        balance["amount"]
    );
}

/// A GSI deleted behind keyway's back is listed by the drift check.
#[tokio::test]
async fn drift_behind_keywords_back() {
    use aws_sdk_dynamodb::types::{DeleteGlobalSecondaryIndexAction, GlobalSecondaryIndexUpdate};
    let db = open().await;
    db.create_schema::<(User, Todo)>().await.unwrap();
    db.verify_schema::<(User, Todo)>().await.unwrap();
    let declared =
        keyway::Executor::declared_table(db.executor(), &keyway::TableDef::of::<Todo>()).unwrap();
    let index = declared.indexes[0].clone();
    let delete = DeleteGlobalSecondaryIndexAction::builder()
        .index_name(&index.name)
        .build()
        .unwrap();
    db.executor()
        .client()
        .update_table()
        .table_name(db.executor().table_name("app"))
        .global_secondary_index_updates(
            GlobalSecondaryIndexUpdate::builder().delete(delete).build(),
        )
        .send()
        .await
        .unwrap();
    // The index (Todo's layout index GSI1, in the shared table) goes, and
    // with it the definitions of the attributes it was keyed on (which
    // DynamoDB keeps only for keys).
    let drift = db.schema_drift::<(User, Todo)>().await.unwrap();
    assert_eq!(
        drift,
        [
            keyway::Drift::MissingColumn {
                table: "todos".into(),
                column: "GSI1PK".into()
            },
            keyway::Drift::MissingColumn {
                table: "todos".into(),
                column: "GSI1SK".into()
            },
            keyway::Drift::MissingIndex {
                table: "todos".into(),
                index
            }
        ]
    );
}

/// A transaction sets a path by rewriting the document at commit, on the
/// condition that the document is still the one it read: a change made
/// meanwhile by another writer fails the transaction and survives it.
#[tokio::test]
async fn a_path_set_in_a_transaction_never_overwrites_a_concurrent_change() {
    use crate::model::Reading;
    use serde_json::json;
    let db = open().await;
    db.create_schema::<Reading>().await.unwrap();
    let r = Reading::sample(uuid::Uuid::from_u128(11), 0);
    db.insert(&r).await.unwrap();
    let outcome = db
        .transaction(async |tx| {
            let color = Reading::META.path(["labels", "color"]);
            tx.update(Reading::update(r.key()).set_path(color, "tx"))
                .await?;
            // Another writer, before the commit.
            db.update(Reading::update(r.key()).set_path(Reading::META.path(["ratio"]), 0.75))
                .await?;
            Ok(())
        })
        .await;
    assert!(outcome.is_err(), "{outcome:?}");
    let got = db.get::<Reading>(r.key()).await.unwrap();
    assert_eq!(got.meta["ratio"], json!(0.75));
    assert_eq!(got.meta["labels"]["color"], json!("red"));
}

/// A relation filter over a scan whose related keys outnumber one `IN`
/// (100 values): the list is checked on the items read, not written into
/// a filter expression that would pass DynamoDB's 4 KB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relation_filters_over_many_related_keys() {
    let db = open().await;
    db.create_schema::<(User, Todo)>().await.unwrap();
    let users: Vec<User> = (0..250)
        .map(|i| User::new(&format!("u{i}"), &format!("u{i}@x.test")))
        .collect();
    let ids = db.insert_many(&users).await.unwrap();
    let todos: Vec<Todo> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| Todo {
            done: i % 2 == 1,
            ..Todo::new(id, "t", 1)
        })
        .collect();
    db.insert_many(&todos).await.unwrap();
    let open_todos = || Todo::DONE.eq(false);
    let busy = db
        .count(User::query().filter(User::TODOS.any(open_todos())).scan())
        .await
        .unwrap();
    let idle = db
        .all(User::query().filter(User::TODOS.none(open_todos())).scan())
        .await
        .unwrap();
    assert_eq!(busy, 125);
    assert_eq!(idle.len(), 125);
    let odd: std::collections::HashSet<i64> = ids.iter().skip(1).step_by(2).copied().collect();
    assert!(idle.iter().all(|u| odd.contains(&u.id)));
}
