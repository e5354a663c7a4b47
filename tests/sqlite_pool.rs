//! The SQLite backend's URLs, pool and locking: an in-memory database is one
//! connection, a file database several, and statements run on the calling task.

mod model;

use std::path::PathBuf;
use std::time::Duration;

use futures::StreamExt;
use keyway::Error;
use keyway::prelude::*;
use keyway_sqlite::{Sqlite, SqliteOptions};
use model::{Todo, User};

/// A database file no other test uses, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("keyway-{name}-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        TempFile(path)
    }

    fn url(&self, query: &str) -> String {
        format!("sqlite://{}{query}", self.0.display())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test]
async fn urls_that_name_no_sqlite_database_are_invalid() {
    for url in [
        "postgres://localhost/x",
        "app.db",
        "sqlite://",
        "sqlite://app.db?mode=fast",
    ] {
        match Sqlite::connect(url).await {
            Err(Error::Invalid {
                what: "SQLite URL", ..
            }) => {}
            other => panic!(
                "{url}: expected an invalid URL, got {:?}",
                other.map(|_| ())
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_memory_database_is_one_connection_shared_by_every_task() {
    let db = SqliteOptions::new("sqlite::memory:")
        .max_connections(4)
        .connect()
        .await
        .unwrap();
    db.create_schema::<User>().await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                db.insert(&User::new("u", &format!("u{i}@example.com")))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(db.count(User::query()).await.unwrap(), 8);
}

async fn users(db: &Db<Sqlite>, n: usize) {
    let users: Vec<User> = (0..n)
        .map(|i| User::new("u", &format!("u{i}@example.com")))
        .collect();
    db.insert_many(&users).await.unwrap();
}

/// The in-memory database's one connection is free while a stream yields:
/// the stream's own include queries (one per 256 parents) and the
/// consumer's statements run between its rows.
#[tokio::test]
async fn an_in_memory_stream_frees_the_one_connection() {
    let db = SqliteOptions::new("sqlite::memory:")
        .acquire_timeout(Duration::from_secs(2))
        .connect()
        .await
        .unwrap();
    db.create_schema::<(User, Todo)>().await.unwrap();
    users(&db, 600).await;
    let todos: Vec<Todo> = (1..=600).map(|owner| Todo::new(owner, "t", 1)).collect();
    db.insert_many(&todos).await.unwrap();
    let mut rows = db.stream(User::query().include(User::TODOS));
    let mut n = 0;
    while let Some(user) = rows.next().await {
        assert_eq!(user.unwrap().get(User::TODOS).len(), 1);
        n += 1;
        if n == 1 {
            assert_eq!(db.count(User::query()).await.unwrap(), 600);
        }
    }
    assert_eq!(n, 600);
}

#[tokio::test]
async fn a_stream_yields_every_row_in_order() {
    let db = Sqlite::memory().await.unwrap();
    db.create_schema::<User>().await.unwrap();
    users(&db, 1_000).await;
    let rows: Vec<User> = db
        .stream(User::query().order_by(User::ID.asc()))
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(rows.len(), 1_000);
    assert!(rows.windows(2).all(|w| w[0].id < w[1].id));
}

/// On a file database, a stream reads a bounded number of rows ahead on a
/// thread that holds a pooled connection: while more rows remain, a pool of
/// one is busy (a clear timeout, not a hang); dropping the stream stops the
/// read and frees it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_stream_holds_its_connection_until_read_or_dropped() {
    let file = TempFile::new("stream");
    let db = SqliteOptions::new(file.url(""))
        .max_connections(1)
        .acquire_timeout(Duration::from_millis(300))
        .connect()
        .await
        .unwrap();
    db.create_schema::<User>().await.unwrap();
    users(&db, 2_000).await;
    let mut rows = db.stream(User::query());
    assert!(rows.next().await.unwrap().is_ok());
    let err = db.count(User::query()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    drop(rows);
    assert_eq!(db.count(User::query()).await.unwrap(), 2_000);
    // Read to the end, the stream frees the connection by itself.
    let mut rows = db.stream(User::query());
    let mut n = 0;
    while let Some(row) = rows.next().await {
        row.unwrap();
        n += 1;
    }
    assert_eq!(n, 2_000);
    assert_eq!(db.count(User::query()).await.unwrap(), 2_000);
}

#[tokio::test]
async fn a_named_in_memory_database_is_shared_by_name() {
    let url = format!(
        "sqlite:file:keyway-shared-{}?mode=memory",
        std::process::id()
    );
    let first = Sqlite::connect(&url).await.unwrap();
    let second = Sqlite::connect(&url).await.unwrap();
    first.create_schema::<User>().await.unwrap();
    first
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    assert_eq!(second.count(User::query()).await.unwrap(), 1);
    let private = Sqlite::memory().await.unwrap();
    private.create_schema::<User>().await.unwrap();
    assert_eq!(private.count(User::query()).await.unwrap(), 0);
}

#[tokio::test]
async fn file_readers_do_not_see_or_wait_for_an_open_transaction() {
    let file = TempFile::new("readers");
    let db = Sqlite::connect(&file.url("")).await.unwrap();
    db.create_schema::<User>().await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
}

#[tokio::test]
async fn a_write_locked_out_past_the_busy_timeout_is_a_timeout() {
    let file = TempFile::new("busy");
    let db = SqliteOptions::new(file.url(""))
        .busy_timeout(Duration::from_millis(50))
        .connect()
        .await
        .unwrap();
    db.create_schema::<User>().await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let err = db
        .insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    tx.commit().await.unwrap();
    db.insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 2);
}

#[tokio::test]
async fn read_only_urls_read_and_refuse_writes() {
    let file = TempFile::new("read-only");
    let missing = Sqlite::connect(&file.url("?mode=ro")).await;
    assert!(
        matches!(missing, Err(Error::Connection(_))),
        "a read-only URL does not create the file"
    );
    let db = Sqlite::connect(&file.url("")).await.unwrap();
    db.create_schema::<User>().await.unwrap();
    db.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let ro = Sqlite::connect(&file.url("?mode=ro")).await.unwrap();
    assert_eq!(ro.count(User::query()).await.unwrap(), 1);
    let err = ro
        .insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Backend(_)), "{err:?}");
}

#[tokio::test]
async fn raw_sql_left_in_a_transaction_is_rolled_back() {
    let db = Sqlite::memory().await.unwrap();
    db.create_schema::<User>().await.unwrap();
    db.executor()
        .with_connection(|conn| {
            conn.execute_batch(
                "BEGIN; INSERT INTO users (name, email) VALUES ('Ann', 'ann@example.com')",
            )
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
    db.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
}
