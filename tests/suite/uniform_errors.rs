//! The same error kinds on every SQL backend for tables another program made:
//! each backend's test file passes the `CREATE TABLE` in its own dialect and a
//! way to run raw SQL beside keyway.

use keyway::prelude::*;
use keyway::{Backend, ColumnType, DecodeError, Error, Supports, Unindexed};
use keyway_sql::{Driver, SqlBackend};

use crate::model::{Todo, User};

#[track_caller]
fn not_null(err: Error) {
    assert!(
        matches!(&err, Error::NotNullViolation { entity: "Todo", column } if column == "note"),
        "expected a NOT NULL violation on Todo.note, got {err:?}"
    );
}

/// `create_todos` makes `todos` with every column NOT NULL, `note` included,
/// though the entity declares it optional.
pub async fn not_null_violation<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
    create_todos: &str,
    raw: impl AsyncFn(&str),
) {
    raw(create_todos).await;
    not_null(db.insert(&Todo::new(1, "no note", 1)).await.unwrap_err());
    let batch = [
        Todo {
            note: Some("a note".into()),
            ..Todo::new(1, "noted", 1)
        },
        Todo::new(1, "no note", 1),
    ];
    not_null(db.insert_many(&batch).await.unwrap_err());
    assert_eq!(db.count(Todo::query()).await.unwrap(), 0);
    let id = db.insert(&batch[0]).await.unwrap();
    not_null(
        db.update(Todo::update(id).set(Todo::NOTE, None::<String>))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        db.get::<Todo>(id).await.unwrap(),
        Todo {
            id,
            ..batch[0].clone()
        }
    );
}

/// `create_todos` makes `todos` with `done` as text; a row holding `'yes'`
/// there fails to decode, naming the entity and column.
pub async fn decode_mismatch<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
    create_todos: &str,
    raw: impl AsyncFn(&str),
) {
    raw(create_todos).await;
    raw("INSERT INTO todos (owner_id, title, done, priority, note) VALUES (1, 'ok', 'yes', 1, NULL)")
        .await;
    let err = db.all(Todo::query()).await.unwrap_err();
    let wrong = DecodeError::WrongType {
        expected: ColumnType::Bool,
        found: "text",
    };
    assert!(
        matches!(&err, Error::Decode { entity: "Todo", column, source } if column == "done" && *source == wrong),
        "expected a decode error on Todo.done, got {err:?}"
    );
    // The projection of the other columns still reads.
    let titles: Vec<String> = db.all(Todo::query().select(Todo::TITLE)).await.unwrap();
    assert_eq!(titles, ["ok"]);
}

/// Runs raw SQL beside keyway on a connection of `backend`'s pool (the
/// test's own schema or database).
pub fn raw_sql<D: Driver>(backend: &SqlBackend<D>) -> impl AsyncFn(&str) + '_ {
    async move |sql: &str| {
        let mut conn = backend.acquire().await.expect("a pooled connection");
        D::execute(&mut conn, sql, D::no_args(), false)
            .await
            .expect("raw SQL");
        conn.release();
    }
}

/// The server drops the connection of an open transaction: the next
/// statement in it is `Error::Connection`, and the pool (of one connection)
/// replaces the dead connection for the next one. `session` names the pool's
/// connection (run before the transaction takes it); `kill` ends it from
/// another connection.
pub async fn lost_connection<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
    session: impl AsyncFn() -> u64,
    kill: impl AsyncFn(u64),
) {
    db.create_schema::<User>().await.unwrap();
    let id = session().await;
    let tx = db.begin().await.unwrap();
    kill(id).await;
    is_connection_error(tx.insert(&User::new("Ann", "ann@example.com")).await);
    drop(tx);
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
}

/// A statement on a connection the server dropped is `Error::Connection`.
#[track_caller]
pub fn is_connection_error<T: std::fmt::Debug>(result: keyway::Result<T>) {
    match result {
        Err(Error::Connection(_)) => {}
        other => panic!("expected Error::Connection, got {other:?}"),
    }
}

/// Every statement on an entity whose table does not exist (created, then
/// dropped) is `Error::MissingTable` naming the entity and the table (with
/// its prefix on DynamoDB): a read by key, a count, an insert, an update and
/// a delete alike, never the driver's text as `Error::Backend`.
pub async fn missing_table_is_reported<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    db.drop_schema::<User>().await.unwrap();
    #[track_caller]
    fn missing<T: std::fmt::Debug>(what: &str, result: keyway::Result<T>) {
        match result {
            // On DynamoDB the missing table is the layout's shared one.
            Err(Error::MissingTable {
                entity: "User",
                table,
            }) if table.ends_with(User::TABLE)
                || User::LAYOUT.is_some_and(|l| table.ends_with(l.table)) => {}
            other => panic!("{what}: expected MissingTable for `users`, got {other:?}"),
        }
    }
    missing("get", db.get::<User>(1).await);
    missing("find", db.find::<User>(1).await);
    missing("count", db.count(User::query().scan()).await);
    missing("insert", db.insert(&User::new("Ann", "ann@x.test")).await);
    missing(
        "update",
        db.update(User::update(1).set(User::NAME, "Bo")).await,
    );
    missing("delete", db.delete(User::delete(1)).await);
    missing(
        "insert_with_keys",
        db.insert_with_keys(&[User::new("Ann", "ann@x.test")]).await,
    );
    // Inside a transaction too.
    let tx = db.begin().await.unwrap();
    missing(
        "count in a transaction",
        tx.count(User::query().scan()).await,
    );
    drop(tx);
    let tx = db.begin().await.unwrap();
    missing(
        "update in a transaction",
        tx.update(User::query().scan().update().set(User::NAME, "Bo"))
            .await,
    );
    drop(tx);
    let err = db.get::<User>(1).await.unwrap_err().to_string();
    assert!(
        err.contains("does not exist") && err.contains("create_schema"),
        "{err}"
    );
}
