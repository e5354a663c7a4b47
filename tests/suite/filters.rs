//! Filters, ordering, limits, projection, streaming.

use futures::TryStreamExt;
use keyway::prelude::*;
use keyway::{Backend, Supports, Unindexed};

use crate::model::{Todo, User};

/// Ann with todos p0..p9 (priority = index); odd ones done; p0 and p5 have notes.
async fn seed<B: Backend + Supports<Unindexed>>(db: &Db<B>) -> i64 {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let owner = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let todos: Vec<Todo> = (0..10)
        .map(|i| Todo {
            done: i % 2 == 1,
            note: (i % 5 == 0).then(|| format!("note {i}")),
            ..Todo::new(owner, &format!("p{i}"), i)
        })
        .collect();
    db.insert_many(&todos).await.unwrap();
    owner
}

async fn priorities<B, A>(db: &Db<B>, q: keyway::Select<Todo, A>) -> Vec<i16>
where
    B: Backend + Supports<A>,
    A: keyway::Access,
{
    let mut p: Vec<i16> = db.all(q.select(Todo::PRIORITY)).await.unwrap();
    p.sort_unstable();
    p
}

pub async fn comparisons<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db).await;
    let q = Todo::query;
    assert_eq!(priorities(db, q().filter(Todo::PRIORITY.eq(3))).await, [3]);
    assert_eq!(
        priorities(db, q().filter(Todo::PRIORITY.ne(3))).await,
        [0, 1, 2, 4, 5, 6, 7, 8, 9]
    );
    assert_eq!(
        priorities(db, q().filter(Todo::PRIORITY.lt(2))).await,
        [0, 1]
    );
    assert_eq!(
        priorities(db, q().filter(Todo::PRIORITY.le(2))).await,
        [0, 1, 2]
    );
    assert_eq!(
        priorities(db, q().filter(Todo::PRIORITY.gt(7))).await,
        [8, 9]
    );
    assert_eq!(
        priorities(db, q().filter(Todo::PRIORITY.ge(7))).await,
        [7, 8, 9]
    );
    assert_eq!(priorities(db, q().filter(Todo::TITLE.eq("p4"))).await, [4]);
    assert_eq!(
        priorities(
            db,
            q().filter(Todo::DONE.eq(true)).filter(Todo::PRIORITY.lt(6))
        )
        .await,
        [1, 3, 5]
    );
}

pub async fn in_list_and_null_checks<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let owner = seed(db).await;
    let q = Todo::query;
    assert_eq!(
        priorities(db, q().filter(Todo::PRIORITY.in_list([9, 2, 4]))).await,
        [2, 4, 9]
    );
    assert_eq!(
        priorities(db, q().filter(Todo::PRIORITY.in_list(Vec::<i16>::new()))).await,
        [0i16; 0]
    );
    assert_eq!(
        priorities(
            db,
            q().filter(Todo::PRIORITY.in_list(Vec::<i16>::new()).not())
        )
        .await
        .len(),
        10
    );
    assert_eq!(
        priorities(db, q().filter(Todo::OWNER_ID.in_list([owner])))
            .await
            .len(),
        10
    );
    assert_eq!(
        priorities(db, q().filter(Todo::NOTE.is_not_null())).await,
        [0, 5]
    );
    assert_eq!(
        priorities(db, q().filter(Todo::NOTE.is_null())).await.len(),
        8
    );
    assert_eq!(
        priorities(db, q().filter(Todo::NOTE.eq(None::<String>)))
            .await
            .len(),
        8
    );
    assert_eq!(
        priorities(db, q().filter(Todo::NOTE.eq("note 5"))).await,
        [5]
    );
}

pub async fn boolean_combinations<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db).await;
    let q = Todo::query;
    let low_or_high = Todo::PRIORITY.lt(2).or(Todo::PRIORITY.gt(7));
    assert_eq!(
        priorities(db, q().filter(low_or_high.clone())).await,
        [0, 1, 8, 9]
    );
    assert_eq!(
        priorities(db, q().filter(low_or_high.clone().and(Todo::DONE.eq(true)))).await,
        [1, 9]
    );
    assert_eq!(
        priorities(db, q().filter(low_or_high.not())).await,
        [2, 3, 4, 5, 6, 7]
    );
    let nested = Todo::DONE
        .eq(false)
        .and(Todo::PRIORITY.eq(4).or(Todo::NOTE.is_not_null()));
    assert_eq!(priorities(db, q().filter(nested)).await, [0, 4]);
}

pub async fn ordering_limit_offset<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db).await;
    let by_done_then_prio = Todo::query()
        .order_by(Todo::DONE.desc())
        .order_by(Todo::PRIORITY.asc());
    let all: Vec<i16> = db
        .all(by_done_then_prio.clone().select(Todo::PRIORITY))
        .await
        .unwrap();
    assert_eq!(all, [1, 3, 5, 7, 9, 0, 2, 4, 6, 8]);
    let page: Vec<i16> = db
        .all(
            by_done_then_prio
                .clone()
                .limit(3)
                .offset(4)
                .select(Todo::PRIORITY),
        )
        .await
        .unwrap();
    assert_eq!(page, [9, 0, 2]);
    let tail: Vec<i16> = db
        .all(by_done_then_prio.offset(8).select(Todo::PRIORITY))
        .await
        .unwrap();
    assert_eq!(tail, [6, 8]);
    let top: Vec<Todo> = db
        .all(Todo::query().order_by(Todo::PRIORITY.desc()).limit(2))
        .await
        .unwrap();
    assert_eq!(top.iter().map(|t| t.priority).collect::<Vec<_>>(), [9, 8]);
}

pub async fn first_and_count<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db).await;
    let first = db
        .first(Todo::query().order_by(Todo::PRIORITY.desc()))
        .await
        .unwrap();
    assert_eq!(first.map(|t| t.title), Some("p9".to_string()));
    assert!(
        db.first(Todo::query().filter(Todo::PRIORITY.gt(99)))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(db.count(Todo::query()).await.unwrap(), 10);
    assert_eq!(
        db.count(Todo::query().filter(Todo::DONE.eq(true)).limit(1))
            .await
            .unwrap(),
        5
    );
}

pub async fn projection<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db).await;
    let rows: Vec<(String, bool, Option<String>)> = db
        .all(
            Todo::query()
                .filter(Todo::PRIORITY.le(1))
                .order_by(Todo::PRIORITY.asc())
                .select((Todo::TITLE, Todo::DONE, Todo::NOTE)),
        )
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            ("p0".into(), false, Some("note 0".into())),
            ("p1".into(), true, None)
        ]
    );
    let emails: Vec<String> = db.all(User::query().select(User::EMAIL)).await.unwrap();
    assert_eq!(emails, ["ann@example.com"]);
}

pub async fn stream_yields_every_row<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    seed(db).await;
    let titles: Vec<String> = db
        .stream(Todo::query().order_by(Todo::PRIORITY.asc()))
        .map_ok(|t| t.title)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(titles, (0..10).map(|i| format!("p{i}")).collect::<Vec<_>>());
    let pairs: Vec<(i16, bool)> = db
        .stream(
            Todo::query()
                .filter(Todo::DONE.eq(true))
                .select((Todo::PRIORITY, Todo::DONE)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pairs.len(), 5);
}
