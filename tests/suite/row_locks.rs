//! Row locks: `for_update` / `for_share`, with `skip_locked` and `nowait`,
//! inside transactions on PostgreSQL and MySQL (they do not compile
//! elsewhere: `tests/ui`). A job queue: workers taking the next free job
//! with `skip_locked` never take the same one.

use std::sync::Arc;
use std::time::Duration;

use keyway::prelude::*;
use keyway::{Backend, Error, RowLocks, Supports, Unindexed};

use crate::model::Job;

/// Takes the next free job for `worker` in one transaction: the first job
/// nobody has taken, locked, skipping those other workers hold.
async fn take<B: Backend + RowLocks + Supports<Unindexed>>(
    db: &Db<B>,
    worker: i64,
) -> keyway::Result<Option<i64>> {
    db.transaction(async |tx| {
        let next = tx
            .first(
                Job::query()
                    .filter(Job::TAKEN_BY.is_null())
                    .order_by(Job::ID.asc())
                    .for_update()
                    .skip_locked(),
            )
            .await?;
        let Some(job) = next else {
            return Ok(None);
        };
        // Never taken twice: the condition would fail for a second taker.
        tx.update(
            Job::update(job.id)
                .set(Job::TAKEN_BY, Some(worker))
                .only_if(Job::TAKEN_BY.is_null()),
        )
        .await?;
        Ok(Some(job.id))
    })
    .await
}

/// Four workers drain forty jobs: each job is taken once, by one worker.
pub async fn workers_never_take_the_same_job<B: Backend + RowLocks + Supports<Unindexed>>(
    db: &Db<B>,
) {
    db.create_schema::<Job>().await.unwrap();
    let jobs: Vec<Job> = (0..40).map(|i| Job::new(&format!("job {i}"))).collect();
    db.insert_many(&jobs).await.unwrap();
    let db = Arc::new(db.clone());
    let workers = (1..=4i64).map(|worker| {
        let db = db.clone();
        tokio::spawn(async move {
            let mut taken = Vec::new();
            // At most one job per round, and every round takes one while
            // any is free: bounded by the number of jobs.
            for _ in 0..=40 {
                match take(&db, worker).await {
                    Ok(Some(id)) => taken.push(id),
                    Ok(None) => break,
                    Err(e) => panic!("worker {worker}: {e:?}"),
                }
            }
            taken
        })
    });
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    all.sort_unstable();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a job was taken twice");
    assert_eq!(all.len(), 40, "every job taken");
    let stored = db.all(Job::query().order_by(Job::ID.asc())).await.unwrap();
    assert!(stored.iter().all(|j| j.taken_by.is_some()));
}

/// A row locked by one transaction: `nowait` fails at once with
/// `Error::Timeout` (a lock not had in time), `skip_locked` leaves it out, `for_share` readers share
/// it, and the lock goes with the transaction.
pub async fn locks_wait_skip_or_fail<B: Backend + RowLocks + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<Job>().await.unwrap();
    let ids = db
        .insert_many(&[Job::new("a"), Job::new("b")])
        .await
        .unwrap();
    let holder = db.begin().await.unwrap();
    let held = holder
        .all(Job::query().filter(Job::ID.eq(ids[0])).for_update())
        .await
        .unwrap();
    assert_eq!(held.len(), 1);

    let other = db.begin().await.unwrap();
    let refused = other
        .all(
            Job::query()
                .filter(Job::ID.eq(ids[0]))
                .for_update()
                .nowait(),
        )
        .await;
    let err = refused.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    drop(other);

    let other = db.begin().await.unwrap();
    let skipping = other.all(
        Job::query()
            .filter(Job::TAKEN_BY.is_null())
            .order_by(Job::ID.asc())
            .for_update()
            .skip_locked(),
    );
    let free = tokio::time::timeout(Duration::from_secs(10), skipping)
        .await
        .expect("skip_locked does not wait for the held row")
        .unwrap();
    assert_eq!(free.iter().map(|j| j.id).collect::<Vec<_>>(), [ids[1]]);
    other.rollback().await.unwrap();

    // Shared locks: two readers hold the same row.
    holder.rollback().await.unwrap();
    let first = db.begin().await.unwrap();
    let second = db.begin().await.unwrap();
    let a = first
        .all(Job::query().filter(Job::ID.eq(ids[0])).for_share())
        .await
        .unwrap();
    let b = tokio::time::timeout(
        Duration::from_secs(10),
        second.all(Job::query().filter(Job::ID.eq(ids[0])).for_share().nowait()),
    )
    .await
    .expect("a shared lock does not wait for another")
    .unwrap();
    assert_eq!(a, b);
    first.rollback().await.unwrap();
    second.rollback().await.unwrap();
}
