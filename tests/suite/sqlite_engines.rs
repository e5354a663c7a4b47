//! Cases both SQLite-compatible engines share (SQLite and Turso): rows
//! another program wrote, a column the table lacks, the `STRICT` tables of
//! the uniform error cases, and changes made behind keyway's back.

use keyway::prelude::*;
use keyway::{Backend, ColumnType, DecodeError, Error, Supports, Unindexed};

use crate::model::{Todo, User};

/// `todos` whose `note` is NOT NULL (the entity's is optional).
pub const TODOS_NOTE_NOT_NULL: &str = "CREATE TABLE todos (id INTEGER PRIMARY KEY AUTOINCREMENT, \
    owner_id INTEGER NOT NULL, title TEXT NOT NULL, done INTEGER NOT NULL, \
    priority INTEGER NOT NULL, note TEXT NOT NULL) STRICT";

/// `todos` whose `done` is text.
pub const TODOS_DONE_AS_TEXT: &str = "CREATE TABLE todos (id INTEGER PRIMARY KEY AUTOINCREMENT, \
    owner_id INTEGER NOT NULL, title TEXT NOT NULL, done TEXT NOT NULL, \
    priority INTEGER NOT NULL, note TEXT) STRICT";

/// A loose (non-STRICT) table, as another program might have made it:
/// each row that does not fit is a decode error naming its column.
pub async fn rows_written_by_another_program_fail_to_decode_clearly<
    B: Backend + Supports<Unindexed>,
>(
    db: &Db<B>,
    raw: impl AsyncFn(&str),
) {
    raw("CREATE TABLE todos (id INTEGER PRIMARY KEY, owner_id INTEGER, title TEXT, done INTEGER, priority INTEGER, note TEXT)").await;
    raw("INSERT INTO todos VALUES (1, 1, 'ok', 0, 1, NULL), (2, 1, NULL, 0, 1, NULL), (3, 1, 't', 'yes', 1, NULL), (4, 1, 't', 0, 70000, NULL), (5, 1, 't', 7, 1, NULL), (6, 1, 't', 0, 'high', NULL), (8, 1.5, 't', 0, 1, NULL), (9, 1, 't', 0, 1, x'00')").await;
    assert_eq!(db.get::<Todo>(1).await.unwrap().title, "ok");
    let wrong = |expected, found| DecodeError::WrongType { expected, found };
    let out_of_range = |expected, value: &str| DecodeError::OutOfRange {
        expected,
        value: value.into(),
    };
    let cases = [
        (2, "title", DecodeError::UnexpectedNull),
        (3, "done", wrong(ColumnType::Bool, "text")),
        (4, "priority", out_of_range(ColumnType::I16, "70000")),
        (5, "done", out_of_range(ColumnType::Bool, "I64(7)")),
        // Integer and text fields read the storage class directly; any
        // other class is the same error as through `Value`.
        (6, "priority", wrong(ColumnType::I16, "text")),
        (8, "owner_id", wrong(ColumnType::I64, "real")),
        (9, "note", wrong(ColumnType::Text, "bytes")),
    ];
    for (id, col, want) in cases {
        match db.get::<Todo>(id).await.unwrap_err() {
            Error::Decode {
                entity,
                column,
                source,
            } => assert_eq!((entity, column.as_str(), source), ("Todo", col, want)),
            other => panic!("row {id}: expected a decode error, got {other:?}"),
        }
    }
}

/// A `String` column the entity has and an older table lacks is an error,
/// never the column's own name read as its value.
pub async fn a_column_the_table_lacks_is_an_error_not_its_name<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
    raw: impl AsyncFn(&str),
) {
    // `users` as an older version of the model made it: no `email`.
    raw("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL) STRICT")
        .await;
    raw("INSERT INTO users (name) VALUES ('Ann')").await;
    let err = db.get::<User>(1).await.unwrap_err();
    assert!(err.to_string().contains("no such column"), "{err:?}");
    let err = db.all(User::query()).await.unwrap_err();
    assert!(err.to_string().contains("no such column"), "{err:?}");
    let names: Vec<String> = db.all(User::query().select(User::NAME)).await.unwrap();
    assert_eq!(names, ["Ann"]);
}

/// Changes made behind keyway's back are listed by the drift check;
/// `expression` is how the engine names an index's expression column.
pub async fn drift_behind_keywords_back<B: Backend>(
    db: &Db<B>,
    raw: impl AsyncFn(&str),
    expression: &str,
) {
    let lower =
        format!("`todos` has index `todos_lower_idx` ({expression}), which is not declared");
    super::schema_drift::changes_behind_keywords_back_are_listed(
        db,
        raw,
        &[
            "ALTER TABLE users ADD COLUMN nick TEXT",
            "DROP INDEX users_email_key",
            "CREATE INDEX todos_title_idx ON todos (title)",
            "CREATE INDEX todos_lower_idx ON todos (lower(title))",
        ],
        &[
            "`users` has column `nick`, which is not declared",
            "`users` has no unique index `users_email_key` (email)",
            &lower,
            "`todos` has index `todos_title_idx` (title), which is not declared",
        ],
    )
    .await;
}
