//! The server restarts (fast shutdown) while writers insert through a pool
//! of four: inserts may fail meanwhile, only as connection errors; every
//! insert that was acknowledged is in the table afterwards; and once the
//! server is back the pool serves every statement.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::future::join_all;
use keyway::Error;
use keyway::prelude::*;
use keyway_postgres::Postgres;

use crate::common::{Fixture, tls_url};
use crate::model::User;
use crate::pg_scratch;

const WRITERS: usize = 4;
/// Each writer's most inserts, whatever the time.
const MOST: usize = 20_000;
/// Acknowledged inserts per writer before the restart.
const WARM: usize = 20;
/// How long the writers go on once the server is back.
const AFTER: Duration = Duration::from_secs(3);
/// When the writers stop at the latest.
const LIMIT: Duration = Duration::from_secs(50);

#[derive(Default)]
struct Log {
    /// Acknowledged inserts: key and email.
    acked: std::sync::Mutex<Vec<(i64, String)>>,
    /// Of them, those acknowledged once the restart had finished.
    acked_after: AtomicUsize,
    failed: AtomicUsize,
    /// Errors of another kind than `Error::Connection`.
    unexpected: std::sync::Mutex<Vec<String>>,
    restarted: AtomicBool,
    stop: AtomicBool,
}

impl Log {
    fn acked(&self) -> usize {
        self.acked.lock().unwrap().len()
    }
}

async fn writer(db: Db<Postgres>, w: usize, log: Arc<Log>, deadline: Instant) {
    for n in 0..MOST {
        if log.stop.load(Ordering::SeqCst) || Instant::now() >= deadline {
            return;
        }
        let email = format!("w{w}-{n}@example.com");
        // Read before the insert: an insert acknowledged after this is
        // certainly after the restart.
        let restarted = log.restarted.load(Ordering::SeqCst);
        match db.insert(&User::new(&format!("w{w}"), &email)).await {
            Ok(id) => {
                log.acked.lock().unwrap().push((id, email));
                if restarted {
                    log.acked_after.fetch_add(1, Ordering::SeqCst);
                }
            }
            Err(Error::Connection(_)) => {
                log.failed.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(other) => {
                log.unexpected.lock().unwrap().push(format!("{other:?}"));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_under_load_loses_no_acknowledged_insert() {
    let start = Instant::now();
    let deadline = start + LIMIT;
    let fx = Fixture::open(&tls_url(), |o| {
        o.max_connections(WRITERS as u32)
            .acquire_timeout(Duration::from_secs(5))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    let log = Arc::new(Log::default());
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(writer((*fx.db).clone(), w, Arc::clone(&log), deadline)))
        .collect();

    let warm = crate::common::eventually(Duration::from_secs(15), || async {
        log.acked() >= WRITERS * WARM
    });
    assert!(
        warm.await,
        "the writers did not get going: {} acked",
        log.acked()
    );
    let before = log.acked();
    let restart = tokio::task::spawn_blocking(|| pg_scratch::restart("tls"));
    tokio::time::timeout(Duration::from_secs(30), restart)
        .await
        .expect("the restart took too long")
        .expect("the restart failed");
    log.restarted.store(true, Ordering::SeqCst);
    tokio::time::sleep(AFTER).await;
    log.stop.store(true, Ordering::SeqCst);
    let joined = tokio::time::timeout(Duration::from_secs(10), join_all(writers))
        .await
        .expect("a writer hung");
    joined
        .into_iter()
        .for_each(|w| w.expect("a writer panicked"));

    let unexpected = log.unexpected.lock().unwrap().clone();
    assert!(
        unexpected.is_empty(),
        "errors other than connection errors: {unexpected:?}"
    );
    let after = log.acked_after.load(Ordering::SeqCst);
    eprintln!(
        "acknowledged {before} before the restart, {} in all, {after} after it; {} connection errors",
        log.acked(),
        log.failed.load(Ordering::SeqCst)
    );
    assert!(
        after > 0,
        "no insert was acknowledged once the server was back"
    );

    // The pool serves every statement, one after another and at once.
    let stored: HashMap<i64, String> = fx
        .all(User::query())
        .await
        .expect("read the table after the restart")
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let acked = log.acked.lock().unwrap().clone();
    let lost: Vec<_> = acked
        .iter()
        .filter(|(id, email)| stored.get(id) != Some(email))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged inserts lost: {lost:?}",
        lost.len()
    );
    for _ in 0..2 * WRITERS {
        fx.count(User::query())
            .await
            .expect("a count after the restart");
    }
    let all = join_all((0..2 * WRITERS).map(|_| fx.count(User::query()))).await;
    for counted in all {
        assert_eq!(
            counted.expect("a count at once after the restart"),
            stored.len() as u64
        );
    }
}
