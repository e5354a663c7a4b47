//! keyway-postgres' own connection handling on tokio-postgres: prepared
//! statements are kept per connection up to a limit, a statement cancelled
//! midway leaves a working connection, raw SQL and its refusals.

use std::time::Duration;

use keyway::prelude::*;
use keyway::{Error, Value};
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
    db.insert_many(&users(150)).await.unwrap();
    // Each limit is written into the text: a statement of its own.
    for n in (1..=150).chain(1..=20) {
        let some = db
            .all(User::query().order_by(User::ID.asc()).limit(n))
            .await
            .unwrap();
        assert_eq!(some.len(), n as usize);
    }
    let mut conn = db.executor().acquire().await.unwrap();
    // Raw SQL runs as the unnamed statement: not itself kept.
    let rows = conn
        .query("SELECT count(*) FROM pg_prepared_statements", &[])
        .await
        .unwrap();
    conn.release();
    let prepared: i64 = rows[0].get(0).unwrap();
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
    let slow = conn.query("SELECT pg_sleep(0.3)::text, 'slow'", &[]);
    let cancelled = tokio::time::timeout(Duration::from_millis(50), slow).await;
    assert!(cancelled.is_err(), "the sleep outlasts the timeout");
    drop(conn);
    assert_eq!(db.count(User::query()).await.unwrap(), 3);
    let first = db.first(User::query().order_by(User::ID.asc())).await;
    assert_eq!(first.unwrap().map(|u| u.name), Some("p0".to_owned()));
}

/// What the server refuses at connection time reads as the server said it,
/// and an option keyway does not implement is refused, naming it.
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
    for (option, named) in [
        ("gssencmode=disable", "gssencmode"),
        ("sslmode=verify-everything", "sslmode"),
        ("target_session_attrs=writable", "target_session_attrs"),
        ("statement_timeout=soon", "statement_timeout"),
        ("pooler=always", "pooler"),
        ("require_auth=kerberos", "require_auth"),
        ("sslcert=/nonexistent.pem", "sslkey"),
        (
            "sslmode=verify-full&sslrootcert=/nonexistent.pem",
            "sslrootcert",
        ),
    ] {
        let err = PostgresOptions::new(format!("{url}{sep}{option}"))
            .connect()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{option}: {err:?}");
        assert!(err.to_string().contains(named), "{option}: {err}");
    }
}

/// An `IN` filter is one array parameter: every length of list is the same
/// statement, NULLs and all, on each type keyway binds.
#[tokio::test]
async fn in_lists_of_any_length_share_one_statement() {
    let db = open_with(1).await;
    db.create_schema::<User>().await.unwrap();
    let ids = db.insert_many(&users(30)).await.unwrap();
    for n in [1, 2, 7, 30] {
        let some = db
            .all(User::query().filter(User::ID.in_list(ids[..n].to_vec())))
            .await
            .unwrap();
        assert_eq!(some.len(), n);
    }
    let names = db
        .all(User::query().filter(User::NAME.in_list(["p3", "p5", "nobody"])))
        .await
        .unwrap();
    assert_eq!(names.len(), 2);
    let mut conn = db.executor().acquire().await.unwrap();
    let rows = conn
        .query(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%= ANY($1)%'",
            &[],
        )
        .await
        .unwrap();
    conn.release();
    assert_eq!(rows[0].get::<i64>(0).unwrap(), 2, "one per filtered column");
}

/// Raw SQL on a lent connection: parameters of every type keyway binds go
/// in and come back as they were; counts and several statements at once.
#[tokio::test]
async fn raw_sql_sends_and_reads_every_bound_type() {
    let db = open_with(1).await;
    let mut conn = db.executor().acquire().await.unwrap();
    conn.batch_execute(
        "CREATE TABLE raw_kinds (id BIGINT PRIMARY KEY, flag BOOLEAN, small SMALLINT, \
         word TEXT, blob BYTEA, ratio DOUBLE PRECISION, big NUMERIC(20)); \
         INSERT INTO raw_kinds (id) VALUES (100)",
    )
    .await
    .unwrap();
    let inserted = conn
        .execute(
            "INSERT INTO raw_kinds VALUES ($1, $2, $3, $4, $5, $6, $7), ($8, NULL, NULL, $9, NULL, NULL, NULL)",
            &[
                Value::I64(1),
                Value::Bool(true),
                Value::I16(-7),
                Value::Text("héllo".into()),
                Value::Bytes(vec![0, 255, 1]),
                Value::F64(0.25),
                Value::U64(u64::MAX),
                Value::I64(2),
                Value::Null,
            ],
        )
        .await
        .unwrap();
    assert_eq!(inserted, 2);
    let rows = conn
        .query(
            "SELECT id, flag, small, word, blob, ratio, big FROM raw_kinds WHERE id <= $1 ORDER BY id",
            &[Value::I64(2)],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(first.len(), 7);
    assert_eq!(first.get::<i64>(0).unwrap(), 1);
    assert!(first.get::<bool>(1).unwrap());
    assert_eq!(first.get::<i16>(2).unwrap(), -7);
    assert_eq!(first.get::<String>(3).unwrap(), "héllo");
    assert_eq!(first.get::<Vec<u8>>(4).unwrap(), vec![0, 255, 1]);
    assert_eq!(first.get::<f64>(5).unwrap(), 0.25);
    assert_eq!(first.get::<u64>(6).unwrap(), u64::MAX);
    // Read out of order: the row walks back to the column asked for.
    assert_eq!(first.get::<i64>(0).unwrap(), 1);
    let second = &rows[1];
    assert_eq!(second.get::<Option<bool>>(1).unwrap(), None);
    assert_eq!(second.get::<Option<String>>(3).unwrap(), None);
    assert!(second.get::<bool>(1).is_err(), "NULL into a non-Option");
    assert!(matches!(
        second.get::<i64>(7),
        Err(keyway::DecodeError::MissingColumn(7))
    ));
    let updated = conn
        .execute("UPDATE raw_kinds SET small = 1", &[])
        .await
        .unwrap();
    assert_eq!(updated, 3);
    // COPY FROM STDIN would wait for data these calls never send: refused
    // before anything is sent, and the connection stays in step.
    for copy in [
        conn.batch_execute("COPY raw_kinds (id) FROM STDIN").await,
        conn.execute("SELECT 1; copy raw_kinds (id) FROM STDIN", &[])
            .await
            .map(drop),
        conn.query("  COPY raw_kinds TO STDOUT", &[])
            .await
            .map(drop),
    ] {
        let copy = copy.unwrap_err();
        assert!(copy.to_string().contains("copy_in"), "{copy}");
    }
    let rows = conn
        .query("SELECT count(*) FROM raw_kinds", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<i64>(0).unwrap(), 3);
    conn.release();
}

/// A statement that fails after sending some of its rows ends its stream
/// with the server's error, and the connection answers the next one.
#[tokio::test]
async fn an_error_midway_through_the_rows_leaves_a_working_connection() {
    let db = open_with(1).await;
    let mut conn = db.executor().acquire().await.unwrap();
    let err = conn
        .query("SELECT 10 / (500 - g) FROM generate_series(1, 1000) g", &[])
        .await
        .unwrap_err();
    assert_eq!(err.db().map(|db| db.code().code()), Some("22012"), "{err}");
    assert!(err.to_string().contains("division by zero"), "{err}");
    let rows = conn.query("SELECT 41 + 1", &[]).await.unwrap();
    assert_eq!(rows[0].get::<i32>(0).unwrap(), 42);
    conn.release();
}

/// A statement the server refused (its table did not exist yet) is not
/// kept as prepared: once the table exists, the same statement runs.
#[tokio::test]
async fn a_statement_the_server_refused_is_prepared_again() {
    let db = open_with(1).await;
    let before = db.all(User::query()).await.unwrap_err();
    assert!(before.to_string().contains("does not exist"), "{before}");
    db.create_schema::<User>().await.unwrap();
    db.insert_many(&users(2)).await.unwrap();
    assert_eq!(db.all(User::query()).await.unwrap().len(), 2);
}

/// More parameters than one statement can carry: refused before anything
/// is sent, and the connection is still in step.
#[tokio::test]
async fn a_request_that_cannot_be_written_sends_nothing() {
    let db = open_with(1).await;
    let mut conn = db.executor().acquire().await.unwrap();
    let params = vec![Value::I64(1); 70_000];
    let err = conn.query("SELECT $1", &params).await.unwrap_err();
    assert!(err.to_string().contains("at most 65,535"), "{err}");
    assert!(!err.is_closed());
    let rows = conn
        .query("SELECT $1::int", &[Value::I32(5)])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<i32>(0).unwrap(), 5);
    conn.release();
}

/// The server's Unix-domain socket, named as libpq names it: a host that is
/// a directory (`KEYWAY_POSTGRES_SOCKET_DIR`, default
/// `/var/run/postgresql`, Debian's).
#[tokio::test]
async fn connects_over_a_unix_socket() {
    let dir = std::env::var("KEYWAY_POSTGRES_SOCKET_DIR")
        .unwrap_or_else(|_| "/var/run/postgresql".to_owned());
    let url = format!("postgresql://postgres@{}/test", dir.replace('/', "%2F"));
    let db = Postgres::connect(&url).await.unwrap_or_else(|e| {
        panic!("no server at the socket in {dir} ({e}): set KEYWAY_POSTGRES_SOCKET_DIR")
    });
    let mut conn = db.executor().acquire().await.unwrap();
    let rows = conn.query("SELECT 'over the socket'", &[]).await.unwrap();
    assert_eq!(rows[0].get::<String>(0).unwrap(), "over the socket");
    conn.release();
}
