//! Toasty 0.8: models derived with `#[derive(toasty::Model)]`, queries
//! through the methods the derive generates. Nothing here names a driver:
//! the database is chosen by the URL given to [`open`], so the same module
//! serves any backend Toasty is built with.
//!
//! The models map the tables keyway creates (`users`, `todos`): Toasty's
//! default table names (the plural, snake-case struct names) and column
//! names (the field names) are already keyway's.

use std::time::{Duration, Instant};

use crate::batch_rows;
use crate::data::{BATCH, OWNERS};

/// A row of `users`.
#[derive(Debug, toasty::Model)]
pub struct User {
    #[key]
    #[auto]
    pub id: i64,

    pub name: String,

    #[unique]
    pub email: String,

    #[has_many(pair = owner)]
    pub todos: toasty::Deferred<Vec<Todo>>,
}

/// A row of `todos`.
#[derive(Debug, toasty::Model)]
pub struct Todo {
    #[key]
    #[auto]
    pub id: i64,

    #[index]
    pub owner_id: i64,

    #[belongs_to(key = owner_id, references = id)]
    pub owner: toasty::Deferred<User>,

    pub title: String,

    pub done: bool,

    pub priority: i16,

    pub note: Option<String>,
}

/// Opens `url` with Toasty's default pool (at most twice the CPU count of
/// connections, no ping before use). The tables must exist: Toasty's
/// `push_schema` is not called, the tables are keyway's.
pub async fn open(url: &str) -> toasty::Db {
    toasty::Db::builder()
        .models(toasty::models!(User, Todo))
        .connect(url)
        .await
        .unwrap_or_else(|e| panic!("open Toasty database {url}: {e}"))
}

/// Runs `script` (statements separated by `;` and a line break) through
/// Toasty's raw-statement API, one statement at a time.
pub async fn script(db: &mut toasty::Db, script: &str) {
    for statement in script.split(";\n").filter(|s| !s.trim().is_empty()) {
        toasty::sql::statement(statement.to_owned())
            .exec(db)
            .await
            .unwrap_or_else(|e| panic!("Toasty script: {e}"));
    }
}

/// `User::get_by_id`, the lookup the derive generates for the key.
pub async fn get(db: &mut toasty::Db, id: i64) -> User {
    User::get_by_id(db, id).await.expect("get")
}

pub async fn all(db: &mut toasty::Db) -> Vec<User> {
    User::all().exec(db).await.expect("all")
}

/// The batch as Toasty takes it: one create builder per row, the key left
/// to the database.
pub fn batch(users: &[(String, String)]) -> toasty::stmt::CreateMany<User> {
    users
        .iter()
        .fold(User::create_many(), |many, (name, email)| {
            many.item(User::create().name(name.clone()).email(email.clone()))
        })
}

/// `create_many`: one multi-row `INSERT ... RETURNING`. Toasty returns the
/// created models, not only their keys; the keys are taken from them and
/// sorted into row order, as the other libraries' are.
pub async fn insert_many(db: &mut toasty::Db, batch: toasty::stmt::CreateMany<User>) -> Vec<i64> {
    let created = batch.exec(db).await.expect("insert batch");
    let mut ids: Vec<i64> = created.iter().map(|u| u.id).collect();
    ids.sort_unstable();
    ids
}

/// The users with `id <= OWNERS` with their todos, through `.include(...)`.
pub async fn eager(db: &mut toasty::Db) -> Vec<User> {
    User::filter(User::fields().id().le(OWNERS))
        .include(User::fields().todos())
        .exec(db)
        .await
        .expect("eager")
}

/// A loaded user's todos (after [`eager`]).
pub fn todos(user: &User) -> &[Todo] {
    user.todos.get()
}

/// Empties `users` (untimed, between insert batches).
pub async fn clear(db: &mut toasty::Db) {
    User::all().delete().exec(db).await.expect("empty users");
}

/// Times `iters` inserts of one batch each, as `time_batches` does for the
/// other libraries: each batch is built before the clock starts, its ids are
/// counted and the table emptied after it stops. (Toasty's queries take the
/// handle by `&mut`, which `time_batches`' closures cannot lend.)
pub async fn time_inserts(db: &toasty::Db, iters: u64) -> Duration {
    let mut db = db.clone();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let batch = batch(&batch_rows());
        let start = Instant::now();
        let ids = insert_many(&mut db, batch).await;
        total += start.elapsed();
        assert_eq!(ids.len(), BATCH);
        clear(&mut db).await;
    }
    total
}
