//! The statement a dropped future or stream left behind may have ended on
//! the server already, and the cancel keyway sends for it may be slow to
//! get there (it travels on a connection of its own): it must not land on
//! the next statement of the connection, which never timed out.

use std::time::Duration;

use futures::StreamExt;
use keyway::prelude::*;

use crate::blackhole::Blackhole;
use crate::common::{Fixture, bounded, main_url, with_option};
use crate::model::User;
use crate::scratch::{authority, via};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_cancel_does_not_hit_the_next_statement() {
    let url = main_url();
    let proxy = Blackhole::start(authority(&url)).await;
    let proxied = with_option(&via(&url, &proxy.addr()), "sslmode=disable");
    let fx = Fixture::open_via(&url, &proxied, |o| {
        o.max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    // More than `Db::stream` reads ahead (256 rows, then a channel of 32),
    // few enough that the server has sent them all at once.
    let users: Vec<User> = (0..1_000)
        .map(|i| User::new(&format!("u{i}"), &format!("u{i}@example.com")))
        .collect();
    fx.insert_many(&users).await.unwrap();
    // The pool's connection is open: only a cancel opens a new one now.
    proxy.delay_new(Duration::from_millis(300));
    for round in 0..3 {
        // One row is read, the rest is left unread: a cancel is sent.
        let mut rows = fx.stream(User::query());
        rows.next().await.unwrap().unwrap();
        drop(rows);
        let mut conn = fx.executor().acquire().await.unwrap();
        let slept = bounded("pg_sleep(1)", conn.query("SELECT pg_sleep(1)", &[])).await;
        assert!(slept.is_ok(), "round {round}: {slept:?}");
        conn.release();
    }
}
