//! Aggregates and group by, on the SQL backends: every answer checked
//! against the same computation over the rows read back.

use std::collections::BTreeMap;

use keyway::prelude::*;
use keyway::{
    Backend, Error, Grouped, Supports, Unindexed, avg, count, count_distinct, max, min, sum,
};

use crate::model::{Job, Memo, Todo, User};

type Row = (
    i64,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<i16>,
    Option<f64>,
);

pub async fn aggregates_agree_with_the_rows<B>(db: &Db<B>)
where
    B: Backend + Supports<Grouped<Unindexed>> + Supports<Unindexed>,
{
    db.create_schema::<(User, Todo, Job, Memo)>().await.unwrap();
    let mut owners = Vec::new();
    for i in 0..4 {
        let id = db
            .insert(&User::new(&format!("u{i}"), &format!("u{i}@x.test")))
            .await
            .unwrap();
        owners.push(id);
    }
    let mut todos = Vec::new();
    for (i, &owner) in owners.iter().enumerate().take(3) {
        for j in 0..(i + 2) {
            let mut t = Todo::new(owner, &format!("t{i}-{j}"), (j % 3) as i16 + 1);
            t.done = j % 2 == 0;
            todos.push(t);
        }
    }
    db.insert_many(&todos).await.unwrap();
    let todos = db.all(Todo::query()).await.unwrap();

    // Per owner, every aggregate, ordered by the grouped column.
    let got: Vec<Row> = db
        .all(
            Todo::query()
                .group_by(Todo::OWNER_ID)
                .select((
                    Todo::OWNER_ID,
                    count(),
                    count_distinct(Todo::PRIORITY),
                    sum(Todo::PRIORITY),
                    min(Todo::TITLE),
                    max(Todo::PRIORITY),
                    avg(Todo::PRIORITY),
                ))
                .order_by(Todo::OWNER_ID.asc()),
        )
        .await
        .unwrap();
    let mut groups: BTreeMap<i64, Vec<&Todo>> = BTreeMap::new();
    for t in &todos {
        groups.entry(t.owner_id).or_default().push(t);
    }
    let want: Vec<Row> = groups
        .iter()
        .map(|(owner, ts)| {
            let ps: Vec<i64> = ts.iter().map(|t| i64::from(t.priority)).collect();
            let mut distinct = ps.clone();
            distinct.sort();
            distinct.dedup();
            let total: i64 = ps.iter().sum();
            (
                *owner,
                ts.len() as i64,
                distinct.len() as i64,
                Some(total),
                ts.iter().map(|t| t.title.clone()).min(),
                ts.iter().map(|t| t.priority).max(),
                Some(total as f64 / ps.len() as f64),
            )
        })
        .collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(
            g.0..=g.5.map_or(0, i64::from),
            w.0..=w.5.map_or(0, i64::from)
        );
        assert_eq!((g.1, g.2, g.3, &g.4, g.5), (w.1, w.2, w.3, &w.4, w.5));
        let (a, b) = (g.6.unwrap(), w.6.unwrap());
        assert!((a - b).abs() < 1e-9, "avg {a} vs {b}");
    }

    // Two grouping columns, a filter, having, limit.
    let q = Todo::query()
        .filter(Todo::PRIORITY.ge(1))
        .group_by((Todo::OWNER_ID, Todo::DONE))
        .having(count().ge(2))
        .select((Todo::OWNER_ID, Todo::DONE, count()))
        .order_by(Todo::OWNER_ID.asc())
        .order_by(Todo::DONE.asc());
    let got: Vec<(i64, bool, i64)> = db.all(q).await.unwrap();
    let mut pairs: BTreeMap<(i64, bool), i64> = BTreeMap::new();
    for t in &todos {
        *pairs.entry((t.owner_id, t.done)).or_default() += 1;
    }
    let want: Vec<(i64, bool, i64)> = pairs
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|((o, d), n)| (o, d, n))
        .collect();
    assert_eq!(got, want);
    let big = Todo::query()
        .group_by(Todo::OWNER_ID)
        .having(sum(Todo::PRIORITY).gt(4).and(count().lt(5)))
        .select(Todo::OWNER_ID)
        .order_by(Todo::OWNER_ID.asc())
        .limit(1);
    let got = db.all(big).await.unwrap();
    let want: Vec<i64> = groups
        .iter()
        .filter(|(_, ts)| {
            let s: i64 = ts.iter().map(|t| i64::from(t.priority)).sum();
            s > 4 && ts.len() < 5
        })
        .map(|(o, _)| *o)
        .take(1)
        .collect();
    assert_eq!(got, want);

    // Over every row, and over none: a count of 0 and no sum.
    let all = db
        .first(Todo::query().aggregate((count(), sum(Todo::PRIORITY))))
        .await
        .unwrap();
    let total: i64 = todos.iter().map(|t| i64::from(t.priority)).sum();
    assert_eq!(all, Some((todos.len() as i64, Some(total))));
    let none = db
        .all(Todo::query().filter(Todo::TITLE.eq("nothing")).aggregate((
            count(),
            sum(Todo::PRIORITY),
            avg(Todo::PRIORITY),
            max(Todo::NOTE),
        )))
        .await
        .unwrap();
    assert_eq!(none, [(0, None, None, None)]);

    // Distinct rows of a projection, ordered.
    let q = Todo::query()
        .select((Todo::OWNER_ID, Todo::DONE))
        .distinct()
        .order_by(Todo::OWNER_ID.asc())
        .order_by(Todo::DONE.asc());
    let got: Vec<(i64, bool)> = db.all(q).await.unwrap();
    let mut want: Vec<(i64, bool)> = todos.iter().map(|t| (t.owner_id, t.done)).collect();
    want.sort();
    want.dedup();
    assert_eq!(got, want);

    // Soft-deleted rows are not counted.
    let memos = db
        .insert_many(&[Memo::new(owners[0], "a"), Memo::new(owners[0], "b")])
        .await
        .unwrap();
    db.delete(Memo::delete(memos[0])).await.unwrap();
    let n = db.first(Memo::query().aggregate(count())).await.unwrap();
    assert_eq!(n, Some(1));
}

pub async fn aggregate_errors_are_clear<B>(db: &Db<B>)
where
    B: Backend + Supports<Grouped<Unindexed>> + Supports<Unindexed>,
{
    db.create_schema::<(User, Todo, Job)>().await.unwrap();
    // A sum past i64 is an error, never a wrapped number.
    let mut a = Job::new("a");
    a.taken_by = Some(i64::MAX);
    let mut b = Job::new("b");
    b.taken_by = Some(1);
    db.insert_many(&[a, b]).await.unwrap();
    let overflow = db.all(Job::query().aggregate(sum(Job::TAKEN_BY))).await;
    assert!(overflow.is_err(), "{overflow:?}");
    let fits = db
        .all(
            Job::query()
                .filter(Job::TASK.eq("a"))
                .aggregate(sum(Job::TAKEN_BY)),
        )
        .await
        .unwrap();
    assert_eq!(fits, [Some(i64::MAX)]);
    // A selected column that is not grouped.
    let q = Todo::query()
        .group_by(Todo::OWNER_ID)
        .select((Todo::TITLE, count()));
    let err = db.all(q).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                what: "aggregate",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("`Todo.title`"), "{err}");
    // `count` of a grouped query would count rows, not groups.
    let q = Todo::query()
        .group_by(Todo::OWNER_ID)
        .select(Todo::OWNER_ID);
    let err = db.count(q).await.unwrap_err();
    assert!(matches!(err, Error::Invalid { what: "count", .. }), "{err}");
}
