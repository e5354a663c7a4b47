//! keyway-postgres' own connection handling: the protocol runs on the task
//! that awaits a statement, prepared statements are kept per connection up
//! to a limit, and a statement cancelled midway leaves a working connection.

use std::time::Duration;

use keyway::Error;
use keyway::prelude::*;
use keyway_postgres::tokio_postgres::SimpleQueryMessage;
use keyway_postgres::{Postgres, PostgresOptions};

use super::{open_with, open_with_options, url};
use crate::model::User;

fn users(n: usize) -> Vec<User> {
    (0..n)
        .map(|i| User::new(&format!("p{i}"), &format!("p{i}@protocol.test")))
        .collect()
}

/// More distinct statements than a connection keeps: each still runs, and
/// the server never holds more than the limit prepared on the connection.
#[tokio::test]
async fn prepared_statements_beyond_the_limit_are_closed() {
    let db = open_with(1).await;
    db.create_schema::<User>().await.unwrap();
    let ids = db.insert_many(&users(150)).await.unwrap();
    // Each list length is a statement text of its own.
    for n in (1..=150).chain(1..=20) {
        let some = db
            .all(User::query().filter(User::ID.in_list(ids[..n].to_vec())))
            .await
            .unwrap();
        assert_eq!(some.len(), n);
    }
    let mut conn = db.executor().acquire().await.unwrap();
    // A simple query: not itself a prepared statement.
    let messages = conn
        .with_client(async |client| {
            client
                .simple_query("SELECT count(*) FROM pg_prepared_statements")
                .await
        })
        .await
        .unwrap();
    conn.release();
    let prepared: i64 = messages
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(row) => row.get(0),
            _ => None,
        })
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!((1..=100).contains(&prepared), "{prepared} prepared");
}

/// Many tasks of a multi-threaded runtime share a small pool: each
/// statement's protocol runs on whichever thread awaits it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_on_several_threads_share_the_pool() {
    let db = open_with(2).await;
    db.create_schema::<User>().await.unwrap();
    let ids = db.insert_many(&users(40)).await.unwrap();
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| {
            let db = db.clone();
            tokio::spawn(async move { db.get::<User>(id).await.map(|u| u.email) })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        assert_eq!(task.await.unwrap().unwrap(), format!("p{i}@protocol.test"));
    }
}

/// Raw SQL cancelled while the server still works on it: the connection
/// goes back through the ping, which reads what was left, and the next
/// statement on the pool's one connection gets its own answer.
#[tokio::test]
async fn a_statement_cancelled_midway_leaves_a_working_connection() {
    let db = open_with_options(|o| o.max_connections(1)).await;
    db.create_schema::<User>().await.unwrap();
    db.insert_many(&users(3)).await.unwrap();
    let mut conn = db.executor().acquire().await.unwrap();
    let slow = conn.with_client(async |client| {
        client
            .query_one("SELECT pg_sleep(0.3)::text, 'slow'", &[])
            .await
    });
    let cancelled = tokio::time::timeout(Duration::from_millis(50), slow).await;
    assert!(cancelled.is_err(), "the sleep outlasts the timeout");
    drop(conn);
    assert_eq!(db.count(User::query()).await.unwrap(), 3);
    let first = db.first(User::query().order_by(User::ID.asc())).await;
    assert_eq!(first.unwrap().map(|u| u.name), Some("p0".to_owned()));
}

/// What the server refuses at connection time reads as the server said it,
/// and a TLS requirement keyway cannot meet is refused before connecting.
#[tokio::test]
async fn connection_errors_read_as_the_server_says() {
    let url = url();
    let sep = if url.contains('?') { '&' } else { '?' };
    // A `user` parameter overrides the URL's user.
    let stranger = format!("{url}{sep}user=keyway_no_such_role");
    let err = Postgres::connect(&stranger).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains(r#"role "keyway_no_such_role" does not exist"#),
        "{err}"
    );
    let tls = PostgresOptions::new(format!("{url}{sep}sslmode=require"))
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(tls, Error::Unsupported { .. }), "{tls:?}");
}
