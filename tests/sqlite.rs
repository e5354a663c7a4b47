//! The behaviour suite and SQLite-specific cases on in-memory SQLite.

mod model;
mod suite;

use keyway::prelude::*;
use keyway::{DecodeError, Error};
use keyway_sqlite::Sqlite;
use model::{Kinds, User};
use suite::uniform_errors::{self, is_connection_error};
use suite::{Limits, sqlite_engines};

/// SQLite would store NaN as NULL, and read -0.0 back as 0.0.
const LIMITS: Limits = Limits {
    float_nan: false,
    negative_zero: false,
    ..Limits::NONE
};

async fn open() -> Db<Sqlite> {
    Sqlite::memory().await.expect("in-memory SQLite opens")
}

/// Runs raw SQL beside keyway, on the pool's connection.
fn raw_sql(db: &Db<Sqlite>) -> impl AsyncFn(&str) {
    let db = db.clone();
    async move |sql: &str| {
        db.executor()
            .with_connection(|conn| conn.execute_batch(sql))
            .await
            .expect("a pooled connection")
            .expect("raw SQL");
    }
}

keyway_sql_suite!(open(), LIMITS);
keyway_indexed_suite!(open());

#[tokio::test]
async fn not_null_violation() {
    let db = open().await;
    uniform_errors::not_null_violation(&db, sqlite_engines::TODOS_NOTE_NOT_NULL, raw_sql(&db))
        .await;
}

#[tokio::test]
async fn decode_mismatch() {
    let db = open().await;
    uniform_errors::decode_mismatch(&db, sqlite_engines::TODOS_DONE_AS_TEXT, raw_sql(&db)).await;
}

/// SQLite has no server to lose: a closed pool is its lost connection.
#[tokio::test]
async fn lost_connection_is_a_connection_error() {
    let db = open().await;
    db.create_schema::<User>().await.unwrap();
    db.executor().close();
    is_connection_error(db.count(User::query()).await);
    is_connection_error(db.insert(&User::new("Ann", "ann@example.com")).await);
}

#[tokio::test]
async fn u64_above_i64_max_is_refused_not_wrapped() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    let k = Kinds {
        huge: u64::MAX,
        ..Kinds::sample("big")
    };
    let err = db.insert(&k).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { entity: "Kinds", column, .. } if column == "huge"),
        "{err:?}"
    );
    assert_eq!(db.count(Kinds::query()).await.unwrap(), 0);
}

#[tokio::test]
async fn nan_is_refused_not_stored_as_null() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    let k = Kinds {
        double: f64::NAN,
        ..Kinds::sample("nan")
    };
    let err = db.insert(&k).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { column, .. } if column == "double_"),
        "{err:?}"
    );
}

#[tokio::test]
async fn rows_written_by_another_program_fail_to_decode_clearly() {
    let db = open().await;
    sqlite_engines::rows_written_by_another_program_fail_to_decode_clearly(&db, raw_sql(&db)).await;
}

#[tokio::test]
async fn file_database_persists_across_connections() {
    let dir = std::env::temp_dir().join(format!("keyway-test-{}.db", std::process::id()));
    let url = format!("sqlite://{}", dir.display());
    {
        let db = Sqlite::connect(&url).await.unwrap();
        db.create_schema::<User>().await.unwrap();
        db.insert(&User::new("Ann", "ann@example.com"))
            .await
            .unwrap();
    }
    let db = Sqlite::connect(&url).await.unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
    db.drop_schema::<User>().await.unwrap();
    drop(db);
    let _ = std::fs::remove_file(&dir);
}

#[tokio::test]
async fn invalid_declarations_are_refused_at_schema_time() {
    use keyway::{Column, ColumnDef, Entity, PrimaryKey, Result, RowReader, RowWriter};
    struct Bad;
    impl Bad {
        const ID: Column<Bad, i64, PrimaryKey> = Column::new("id");
        const NAME: Column<Bad, String> = Column::new("name\"; DROP TABLE x; --");
    }
    impl Entity for Bad {
        type Key = i64;
        const TABLE: &'static str = "bad";
        const COLUMNS: &'static [ColumnDef] = &[Bad::ID.def(), Bad::NAME.def()];
        fn key(&self) -> i64 {
            0
        }
        fn write(&self, _: &mut impl RowWriter<Self>) {}
        fn read(_: &mut impl RowReader<Self>) -> Result<Self> {
            Ok(Bad)
        }
    }
    let db = open().await;
    let err = db.create_schema::<Bad>().await.unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { what: "schema", detail } if detail.contains("column name")),
        "{err:?}"
    );
}

/// A `String` column the entity has and an older table lacks is an error,
/// never the column's own name read as its value: SQLite's double-quoted
/// string literals are off on every connection keyway opens, its
/// `with_connection` ones included.
#[tokio::test]
async fn a_column_the_table_lacks_is_an_error_not_its_name() {
    let db = open().await;
    sqlite_engines::a_column_the_table_lacks_is_an_error_not_its_name(&db, raw_sql(&db)).await;
    let raw_read = db
        .executor()
        .with_connection(|conn| {
            conn.query_row(r#"SELECT "email" FROM users"#, [], |row| {
                row.get::<_, String>(0)
            })
        })
        .await
        .unwrap();
    assert!(raw_read.is_err(), "read {raw_read:?}");
}

/// -0.0 is refused, not stored as 0.0 (f32 and f64, nullable or not).
#[tokio::test]
async fn negative_zero_is_refused_not_stored_as_zero() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    for (column, k) in [
        (
            "single",
            Kinds {
                single: -0.0,
                ..Kinds::sample("a")
            },
        ),
        (
            "double_",
            Kinds {
                double: -0.0,
                ..Kinds::sample("b")
            },
        ),
        (
            "maybe_double",
            Kinds {
                maybe_double: Some(-0.0),
                ..Kinds::sample("c")
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
    // Plain zero is stored.
    let zero = Kinds {
        double: 0.0,
        ..Kinds::sample("zero")
    };
    db.insert(&zero).await.unwrap();
    let back = db.get::<Kinds>("zero".to_string()).await.unwrap();
    assert_eq!(back.double.to_bits(), 0.0f64.to_bits());
}

/// A small integer column another program filled beyond the field's range
/// fails to decode, naming the column, never wrapping.
#[tokio::test]
async fn small_integers_out_of_range_fail_to_decode() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    db.insert(&Kinds::sample("k")).await.unwrap();
    for (column, value) in [("tiny", "-129"), ("octet", "256"), ("word", "65536")] {
        raw_sql(&db)(&format!("UPDATE kinds SET {column} = {value}")).await;
        let err = db.get::<Kinds>("k".to_string()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { entity: "Kinds", column: c, source: DecodeError::OutOfRange { .. } } if c == column),
            "{column}: {err:?}"
        );
        raw_sql(&db)("UPDATE kinds SET tiny = 0, octet = 0, word = 0").await;
    }
}

/// Changes made behind keyway's back are listed by the drift check.
#[tokio::test]
async fn drift_behind_keywords_back() {
    let db = open().await;
    sqlite_engines::drift_behind_keywords_back(&db, raw_sql(&db), "(expression)").await;
}
