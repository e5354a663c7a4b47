//! The behaviour suite and Turso-specific cases on in-memory and file
//! Turso databases.

mod model;
mod suite;

use std::time::Duration;

use keyway::Error;
use keyway::prelude::*;
use keyway_turso::{Turso, TursoOptions, TursoSettings};
use model::{Kinds, User};
use suite::uniform_errors::{self, is_connection_error, raw_sql};
use suite::{Limits, sqlite_engines};

/// Turso, as SQLite, would store NaN as NULL, and read -0.0 back as 0.0.
const LIMITS: Limits = Limits {
    float_nan: false,
    negative_zero: false,
    ..Limits::NONE
};

async fn open() -> Db<Turso> {
    Turso::connect("turso::memory:")
        .await
        .expect("in-memory Turso opens")
}

/// A file database of its own, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "keyway-turso-{name}-{}-{}.db",
            std::process::id(),
            suite::scratch::unique_name()
        ));
        TempFile(path)
    }

    fn url(&self, query: &str) -> String {
        format!("turso://{}{query}", self.0.display())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-log"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

keyway_sql_suite!(open(), LIMITS);
keyway_indexed_suite!(open());

#[tokio::test]
async fn not_null_violation() {
    let db = open().await;
    uniform_errors::not_null_violation(
        &db,
        sqlite_engines::TODOS_NOTE_NOT_NULL,
        raw_sql(db.executor()),
    )
    .await;
}

#[tokio::test]
async fn decode_mismatch() {
    let db = open().await;
    uniform_errors::decode_mismatch(
        &db,
        sqlite_engines::TODOS_DONE_AS_TEXT,
        raw_sql(db.executor()),
    )
    .await;
}

/// An embedded engine has no server to lose: a closed pool is its lost
/// connection.
#[tokio::test]
async fn closed_pool_is_a_connection_error() {
    let db = open().await;
    db.create_schema::<User>().await.unwrap();
    db.executor().close().await;
    is_connection_error(db.count(User::query()).await);
    is_connection_error(db.insert(&User::new("Ann", "ann@example.com")).await);
}

#[tokio::test]
async fn unstorable_numbers_are_refused_not_changed() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    for (column, k) in [
        (
            "huge",
            Kinds {
                huge: u64::MAX,
                ..Kinds::sample("big")
            },
        ),
        (
            "double_",
            Kinds {
                double: f64::NAN,
                ..Kinds::sample("nan")
            },
        ),
        (
            "single",
            Kinds {
                single: -0.0,
                ..Kinds::sample("negative zero")
            },
        ),
    ] {
        let err = db.insert(&k).await.unwrap_err();
        assert!(
            matches!(&err, Error::OutOfRange { entity: "Kinds", column: c, .. } if c == column),
            "{err:?}"
        );
    }
    assert_eq!(db.count(Kinds::query()).await.unwrap(), 0);
}

#[tokio::test]
async fn rows_written_by_another_program_fail_to_decode_clearly() {
    let db = open().await;
    sqlite_engines::rows_written_by_another_program_fail_to_decode_clearly(
        &db,
        raw_sql(db.executor()),
    )
    .await;
}

/// A column the table lacks is an error (names are backticked).
#[tokio::test]
async fn a_column_the_table_lacks_is_an_error_not_its_name() {
    let db = open().await;
    sqlite_engines::a_column_the_table_lacks_is_an_error_not_its_name(&db, raw_sql(db.executor()))
        .await;
}

#[tokio::test]
async fn file_database_persists_across_pools() {
    let file = TempFile::new("persist");
    {
        let db = Turso::connect(&file.url("")).await.unwrap();
        db.create_schema::<User>().await.unwrap();
        db.insert(&User::new("Ann", "ann@example.com"))
            .await
            .unwrap();
        db.executor().close().await;
    }
    let db = Turso::connect(&file.url("?mode=ro")).await.unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
    let err = db
        .insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap_err();
    assert!(!matches!(err, Error::UniqueViolation { .. }), "{err:?}");
}

#[tokio::test]
async fn bad_urls_are_invalid() {
    for url in ["sqlite::memory:", "turso://", "turso::memory:?colour=blue"] {
        let err = Turso::connect(url).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Invalid {
                    what: "Turso URL",
                    ..
                }
            ),
            "{url}: {err:?}"
        );
    }
}

/// The pool's connections share one in-memory database, and a transaction
/// holds its connection: what it wrote is seen by others once committed.
#[tokio::test]
async fn in_memory_database_is_shared_by_the_pool() {
    let db = TursoOptions::new("turso::memory:")
        .max_connections(3)
        .connect()
        .await
        .unwrap();
    db.create_schema::<User>().await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
}

/// Connections opened by a function of the application's (as for a
/// database synced with Turso Cloud): the pool uses them, with foreign keys
/// on, and reaches the database the function opens.
#[tokio::test]
async fn connections_opened_by_the_application() {
    let file = TempFile::new("open-with");
    let database = keyway_turso::turso::Builder::new_local(&file.0.display().to_string())
        .build()
        .await
        .unwrap();
    let opened = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let settings = TursoSettings::default().open_with({
        let (database, opened) = (database.clone(), opened.clone());
        move || {
            opened.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let database = database.clone();
            Box::pin(async move { database.connect() })
        }
    });
    let db = TursoOptions::new("turso::memory:")
        .settings(settings)
        .connect()
        .await
        .unwrap();
    db.create_schema::<(User, model::Todo)>().await.unwrap();
    let err = db
        .insert(&model::Todo::new(404, "orphan", 1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
    db.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    assert!(opened.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    // The rows are in the application's database, not in a memory one.
    let conn = database.connect().unwrap();
    let mut rows = conn.query("SELECT count(*) FROM users", ()).await.unwrap();
    let count = rows.next().await.unwrap().unwrap().get_value(0).unwrap();
    assert_eq!(count, keyway_turso::turso::Value::Integer(1));
}

/// Plain transactions take turns on the write lock: a writer that finds it
/// held past the busy timeout gets `Error::Timeout`, and nothing of it is
/// written.
#[tokio::test]
async fn a_held_write_lock_times_out() {
    let file = TempFile::new("busy");
    let db = TursoOptions::new(file.url(""))
        .max_connections(2)
        .settings(TursoSettings::default().busy_timeout(Duration::from_millis(200)))
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
    let names: Vec<String> = db.all(User::query().select(User::NAME)).await.unwrap();
    assert_eq!(names, ["Ann"]);
}

/// With concurrent writers (MVCC), two transactions write at once; one
/// that writes a row the other wrote first is a retryable
/// `TransactionConflict`, and nothing of it is kept.
#[tokio::test]
async fn concurrent_writers_conflict_as_retryable() {
    let file = TempFile::new("mvcc");
    let db = TursoOptions::new(file.url("?concurrent_writers=true"))
        .max_connections(2)
        .connect()
        .await
        .unwrap();
    db.create_schema::<User>().await.unwrap();
    let ann = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let bob = db
        .insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap();
    let (a, b) = (db.begin().await.unwrap(), db.begin().await.unwrap());
    // Different rows: both commit.
    a.update(User::update(ann).set(User::NAME, "Ann A"))
        .await
        .unwrap();
    b.update(User::update(bob).set(User::NAME, "Bob B"))
        .await
        .unwrap();
    // The same row: the second writer conflicts.
    let err = b
        .update(User::update(ann).set(User::NAME, "Ann B"))
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    let err = b.commit().await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    a.commit().await.unwrap();
    let mut names: Vec<String> = db.all(User::query().select(User::NAME)).await.unwrap();
    names.sort();
    assert_eq!(names, ["Ann A", "Bob"]);
}

/// 4 tasks x 25 read-modify-write increments of one row, each retried on
/// conflict: every increment lands once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_increments_retry_to_the_exact_total() {
    let file = TempFile::new("increments");
    let db = TursoOptions::new(file.url(""))
        .max_connections(4)
        .settings(TursoSettings::default().concurrent_writers(true))
        .connect()
        .await
        .unwrap();
    db.create_schema::<Kinds>().await.unwrap();
    db.insert(&Kinds::sample("counter")).await.unwrap();
    let start = db.get::<Kinds>("counter".to_string()).await.unwrap().large;
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut retries = 0;
            for _ in 0..25 {
                loop {
                    let tx = db.begin().await.unwrap();
                    let attempt = async {
                        let k = tx.get::<Kinds>("counter".to_string()).await?;
                        tx.update(Kinds::update(k.key.clone()).set(Kinds::LARGE, k.large + 1))
                            .await?;
                        Ok::<_, Error>(())
                    }
                    .await;
                    let done = match attempt {
                        Ok(()) => tx.commit().await,
                        Err(e) => Err(e),
                    };
                    match done {
                        Ok(()) => break,
                        Err(e) if e.is_retryable() && retries < 10_000 => retries += 1,
                        Err(e) => panic!("increment failed: {e:?}"),
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let end = db.get::<Kinds>("counter".to_string()).await.unwrap().large;
    assert_eq!(end - start, 100);
}

/// Changes made behind keyway's back are listed by the drift check.
#[tokio::test]
async fn drift_behind_keywords_back() {
    let db = open().await;
    sqlite_engines::drift_behind_keywords_back(&db, raw_sql(db.executor()), "lower (title)").await;
}
