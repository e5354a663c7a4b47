//! Reads through indexes: GSI lookups, in-lists, OR branches, projections,
//! counts, streams, and explicit scans.

use futures::TryStreamExt;
use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Kinds, Todo, User};

/// Ann and Bob; Ann has todos a0..a4 (priority = index, odd ones done), Bob b0, b1.
async fn seed<B: Backend>(db: &Db<B>) -> (i64, i64, Vec<i64>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let bob = db.insert(&User::new("Bob", "bob@x.test")).await.unwrap();
    let mut todos: Vec<Todo> = (0..5)
        .map(|i| Todo {
            done: i % 2 == 1,
            note: (i == 3).then(|| "note".to_string()),
            ..Todo::new(ann, &format!("a{i}"), i)
        })
        .collect();
    todos.extend((0..2).map(|i| Todo::new(bob, &format!("b{i}"), i)));
    let ids = db.insert_many(&todos).await.unwrap();
    (ann, bob, ids)
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

pub async fn index_lookups<B: Backend>(db: &Db<B>) {
    let (ann, bob, ids) = seed(db).await;
    let titles = |todos: Vec<Todo>| sorted(todos.into_iter().map(|t| t.title).collect::<Vec<_>>());
    let anns = db
        .all(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
        .await
        .unwrap();
    assert_eq!(titles(anns), ["a0", "a1", "a2", "a3", "a4"]);
    // The rest of the filter narrows the index lookup.
    let done = db
        .all(Todo::query().filter(Todo::OWNER_ID.eq(ann).and(Todo::DONE.eq(true))))
        .await
        .unwrap();
    assert_eq!(titles(done), ["a1", "a3"]);
    let noted = db
        .all(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ann))
                .filter(Todo::NOTE.is_not_null()),
        )
        .await
        .unwrap();
    assert_eq!(titles(noted), ["a3"]);
    // Unique index.
    let bob_row = db
        .first(User::query().filter(User::EMAIL.eq("bob@x.test")))
        .await
        .unwrap();
    assert_eq!(bob_row.map(|u| u.id), Some(bob));
    assert!(
        db.first(User::query().filter(User::EMAIL.eq("nobody@x.test")))
            .await
            .unwrap()
            .is_none()
    );
    // In-lists: on an index, on the key, empty, with duplicates and misses.
    let both = db
        .all(Todo::query().filter(Todo::OWNER_ID.in_list([ann, bob, ann])))
        .await
        .unwrap();
    assert_eq!(both.len(), 7);
    let by_key = db
        .all(Todo::query().filter(Todo::ID.in_list([ids[0], ids[6], ids[0], -5])))
        .await
        .unwrap();
    assert_eq!(titles(by_key), ["a0", "b1"]);
    let by_key_done = db
        .all(Todo::query().filter(Todo::ID.in_list(ids.clone()).and(Todo::DONE.eq(true))))
        .await
        .unwrap();
    assert_eq!(titles(by_key_done), ["a1", "a3"]);
    let none = db
        .all(Todo::query().filter(Todo::ID.in_list(Vec::<i64>::new())))
        .await
        .unwrap();
    assert!(none.is_empty());
    // OR of indexed branches: one request per branch, each row once.
    let either = db
        .all(Todo::query().filter(Todo::ID.eq(ids[0]).or(Todo::OWNER_ID.eq(bob))))
        .await
        .unwrap();
    assert_eq!(titles(either), ["a0", "b0", "b1"]);
    let overlap = db
        .all(User::query().filter(User::ID.eq(ann).or(User::EMAIL.eq("ann@x.test"))))
        .await
        .unwrap();
    assert_eq!(overlap.len(), 1);
    let or_and = Todo::OWNER_ID
        .eq(bob)
        .or(Todo::ID.eq(ids[1]))
        .and(Todo::PRIORITY.eq(1));
    let picked = db.all(Todo::query().filter(or_and)).await.unwrap();
    assert_eq!(titles(picked), ["a1", "b1"]);
}

pub async fn projection_count_first<B: Backend>(db: &Db<B>) {
    let (ann, bob, ids) = seed(db).await;
    let rows: Vec<(String, bool, Option<String>)> = db
        .all(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ann))
                .order_by(Todo::ID.asc())
                .select((Todo::TITLE, Todo::DONE, Todo::NOTE)),
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[3], ("a3".to_string(), true, Some("note".to_string())));
    assert_eq!(rows[0], ("a0".to_string(), false, None));
    let newest: Vec<i64> = db
        .all(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ann))
                .order_by(Todo::ID.desc())
                .limit(2)
                .select(Todo::ID),
        )
        .await
        .unwrap();
    assert_eq!(newest, [ids[4], ids[3]]);
    let email: Vec<String> = db
        .all(User::query().filter(User::ID.eq(bob)).select(User::EMAIL))
        .await
        .unwrap();
    assert_eq!(email, ["bob@x.test"]);
    let count = |q| db.count(q);
    assert_eq!(
        count(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
            .await
            .unwrap(),
        5
    );
    assert_eq!(
        count(Todo::query().filter(Todo::OWNER_ID.eq(ann).and(Todo::DONE.eq(false))))
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        count(Todo::query().filter(Todo::OWNER_ID.in_list([ann, bob])))
            .await
            .unwrap(),
        7
    );
    assert_eq!(
        count(Todo::query().filter(Todo::ID.eq(ids[0])))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        count(Todo::query().filter(Todo::ID.eq(-1))).await.unwrap(),
        0
    );
    assert_eq!(
        count(Todo::query().filter(Todo::ID.in_list(ids.clone())))
            .await
            .unwrap(),
        7
    );
    let or = Todo::OWNER_ID
        .eq(bob)
        .or(Todo::ID.in_list([ids[0], ids[5]]));
    assert_eq!(count(Todo::query().filter(or)).await.unwrap(), 3);
    assert_eq!(
        count(Todo::query().filter(Todo::OWNER_ID.eq(ann)).limit(1))
            .await
            .unwrap(),
        5
    );
    let first = db
        .first(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(bob))
                .order_by(Todo::ID.asc()),
        )
        .await
        .unwrap();
    assert_eq!(first.map(|t| t.title), Some("b0".to_string()));
}

pub async fn streams_and_scans<B: Backend>(db: &Db<B>) {
    let (ann, _, _) = seed(db).await;
    let mut streamed: Vec<String> = db
        .stream(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
        .map_ok(|t| t.title)
        .try_collect()
        .await
        .unwrap();
    streamed.sort();
    assert_eq!(streamed, ["a0", "a1", "a2", "a3", "a4"]);
    // `.scan()` is the explicit opt-in to read every row.
    let all = db.all(Todo::query().scan()).await.unwrap();
    assert_eq!(all.len(), 7);
    let high: Vec<i16> = db
        .all(
            Todo::query()
                .scan()
                .filter(Todo::PRIORITY.ge(3))
                .select(Todo::PRIORITY),
        )
        .await
        .unwrap();
    assert_eq!(sorted(high), [3, 4]);
    assert_eq!(
        db.count(Todo::query().scan().filter(Todo::DONE.eq(false)))
            .await
            .unwrap(),
        5
    );
    assert_eq!(
        db.count(Todo::query().scan().filter(Todo::NOTE.is_null()))
            .await
            .unwrap(),
        6
    );
    let some = db.all(Todo::query().scan().limit(3)).await.unwrap();
    assert_eq!(some.len(), 3);
    let pairs: Vec<(String, i16)> = db
        .stream(
            Todo::query()
                .scan()
                .filter(Todo::TITLE.eq("b1"))
                .select((Todo::TITLE, Todo::PRIORITY)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pairs, [("b1".to_string(), 1)]);
}

/// More data than one page of a Query or Scan (DynamoDB pages at 1 MB): every
/// row comes back, whatever the page sizes.
pub async fn reads_follow_every_page<B: Backend>(db: &Db<B>) {
    db.create_schema::<Kinds>().await.unwrap();
    let big = "x".repeat(100_000);
    let rows: Vec<Kinds> = (0..30)
        .map(|i| Kinds {
            text: big.clone(),
            ..Kinds::sample(&format!("row{i:02}"))
        })
        .collect();
    for chunk in rows.chunks(5) {
        db.insert_many(chunk).await.unwrap();
    }
    let keys: Vec<String> = db
        .all(Kinds::query().scan().select(Kinds::KEY))
        .await
        .unwrap();
    assert_eq!(keys.len(), 30);
    let all: Vec<Kinds> = db
        .stream(Kinds::query().scan())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 30);
    assert!(all.iter().all(|k| k.text.len() == 100_000));
    assert_eq!(db.count(Kinds::query().scan()).await.unwrap(), 30);
    let wanted: Vec<String> = (0..30).map(|i| format!("row{i:02}")).collect();
    let got = db
        .all(Kinds::query().filter(Kinds::KEY.in_list(wanted)))
        .await
        .unwrap();
    assert_eq!(got.len(), 30);
    let filtered = db
        .all(
            Kinds::query()
                .scan()
                .filter(Kinds::KEY.ge("row25".to_string())),
        )
        .await;
    assert_eq!(
        filtered.map(|v| v.len()).map_err(|e: Error| e.to_string()),
        Ok(5)
    );
}
