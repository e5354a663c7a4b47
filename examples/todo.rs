//! The todo model on the embedded SQLite default: schema from the trait impls,
//! inserts, filtered queries, a projection, a stream, updates, deletes and a
//! transaction.
//!
//! The `User` and `Todo` impls, written by hand with no macro, are in
//! `tests/model/user.rs` and `tests/model/todo.rs` (shared with the tests).
//!
//! Run: `cargo run --example todo` (or pass a URL such as `sqlite://todo.db`).

#[path = "../tests/model/mod.rs"]
mod model;

use futures::TryStreamExt;
use keyway::prelude::*;
use model::{Todo, User};

#[tokio::main]
async fn main() -> keyway::Result<()> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("KEYWAY_DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite::memory:".into());
    println!("database: {url}");
    let db = keyway_sqlite::Sqlite::connect(&url).await?;

    db.create_schema::<(User, Todo)>().await?;
    println!("created tables `users` and `todos` from the Entity impls");

    let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    let bob = db.insert(&User::new("Bob", "bob@example.com")).await?;
    println!("inserted users Ann (id {ann}) and Bob (id {bob})");

    let todos = [
        Todo::new(ann, "write the schema", 3),
        Todo::new(ann, "implement Entity by hand", 2),
        Todo {
            note: Some("no macros".into()),
            ..Todo::new(ann, "run it on SQLite", 1)
        },
        Todo::new(bob, "review", 2),
    ];
    let ids = db.insert_many(&todos).await?;
    println!("inserted {} todos in one statement: ids {ids:?}", ids.len());

    let anns: Vec<Todo> = db
        .all(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ann))
                .order_by(Todo::PRIORITY.desc()),
        )
        .await?;
    println!("Ann's todos, most important first:");
    for t in &anns {
        println!(
            "  [{}] {} (priority {})",
            if t.done { "x" } else { " " },
            t.title,
            t.priority
        );
    }

    let urgent: Vec<(String, i16)> = db
        .all(
            Todo::query()
                .filter(Todo::PRIORITY.ge(2))
                .order_by(Todo::TITLE.asc())
                .select((Todo::TITLE, Todo::PRIORITY)),
        )
        .await?;
    println!("projection (title, priority) where priority >= 2: {urgent:?}");

    let with_notes: Vec<String> = db
        .stream(Todo::query().filter(Todo::NOTE.is_not_null()))
        .map_ok(|t| format!("{}: {}", t.title, t.note.unwrap_or_default()))
        .try_collect()
        .await?;
    println!("streamed todos with a note: {with_notes:?}");

    db.update(Todo::update(ids[0]).set(Todo::DONE, true))
        .await?;
    println!(
        "marked {:?} done (only the `done` column was written)",
        todos[0].title
    );

    let bumped = db
        .update(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(bob))
                .update()
                .set(Todo::PRIORITY, 5),
        )
        .await?;
    println!("raised the priority of {bumped} of Bob's todos");

    match db.insert(&User::new("Ann again", "ann@example.com")).await {
        Err(keyway::Error::UniqueViolation { entity, index }) => {
            println!("refused a second ann@example.com: unique index `{index}` of {entity}");
        }
        other => println!("unexpected: {other:?}"),
    }

    let moved = db
        .transaction(async |tx| {
            let n = tx
                .update(
                    Todo::query()
                        .filter(Todo::OWNER_ID.eq(bob))
                        .update()
                        .set(Todo::OWNER_ID, ann),
                )
                .await?;
            tx.delete(User::delete(bob)).await?;
            Ok(n)
        })
        .await?;
    println!("in one transaction: moved {moved} todo(s) from Bob to Ann and deleted Bob");

    let removed = db
        .delete(Todo::query().filter(Todo::DONE.eq(true)).delete())
        .await?;
    println!("deleted {removed} done todo(s)");

    println!(
        "now: {} user(s), {} todo(s) left, {} open for Ann",
        db.count(User::query()).await?,
        db.count(Todo::query()).await?,
        db.count(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ann))
                .filter(Todo::DONE.eq(false))
        )
        .await?
    );
    Ok(())
}
