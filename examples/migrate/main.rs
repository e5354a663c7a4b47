//! A schema that changes: the app's model moves from version 1 to version 2
//! (a renamed column, a new column, a new index, a new entity) through
//! migration files generated from the impls, and back.
//!
//! Run: `cargo run --example migrate [URL]` (or `KEYWAY_DATABASE_URL`),
//! `sqlite::memory:` by default; it prints the same on SQLite, Turso, PostgreSQL,
//! MySQL and DynamoDB. A real app wires `keyway_migrate::cli::run` into a binary of
//! its own instead (`generate NAME`, `plan`, `up`, `down`, `status`,
//! `verify`); this example calls the same methods in turn. The model, written
//! by hand, is in `model/` beside this file.

mod model;

use keyway::Result;
use keyway::prelude::*;
use keyway_any::AnyBackend;
use keyway_migrate::{AppliedMigration, Migration, Migrator};
use model::{v1, v2};

/// The steps of a generated migration, one per line.
fn show(migration: &Option<Migration>) {
    let Some(m) = migration else {
        println!("no changes");
        return;
    };
    println!("generated {}_{}:", m.version, m.name);
    for step in &m.steps {
        println!("  {step}");
    }
}

async fn todos_v2(db: &Db<AnyBackend>) -> Result<()> {
    for t in db
        .all(v2::Todo::query().scan().order_by(v2::Todo::ID.asc()))
        .await?
    {
        println!("  {} completed={} due={:?}", t.title, t.completed, t.due);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("KEYWAY_DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite::memory:".into());
    println!("database: {url}");
    let db = keyway_any::connect(&url).await?;
    db.drop_schema::<(v2::User, v2::Todo, v2::Tag, AppliedMigration)>()
        .await?;
    // The app's `migrations/` folder; here a scratch one.
    let dir = std::env::temp_dir().join(format!("keyway-example-migrate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    // Version 1 ships: its first migration creates the tables.
    let migrator = Migrator::new(&dir);
    show(&migrator.generate::<v1::Schema>("create")?);
    println!("applied: {:?}", migrator.up(&db).await?);
    let ann = db
        .insert(&v1::User {
            id: 0,
            name: "Ann".into(),
        })
        .await?;
    for (title, done) in [("write docs", true), ("fix login", false)] {
        let todo = v1::Todo {
            id: 0,
            user_id: ann,
            title: title.into(),
            done,
        };
        db.insert(&todo).await?;
    }

    // Version 2: the rename is declared, or it would be a drop and an add.
    let migrator = Migrator::new(&dir).rename_column("app_todos", "done", "completed");
    show(&migrator.generate::<v2::Schema>("todo_tags_and_due_days")?);
    println!("pending: {}", migrator.plan(&db).await?.len());
    println!("applied: {:?}", migrator.up(&db).await?);
    migrator.verify::<v2::Schema>(&db).await?;
    println!("the database is at version 2:");
    todos_v2(&db).await?;
    let docs = db
        .first(v2::Todo::query().filter(v2::Todo::TITLE.eq("write docs")))
        .await?;
    let tag = v2::Tag {
        id: 0,
        todo_id: docs.map_or(0, |t| t.id),
        label: "writing".into(),
    };
    db.insert(&tag).await?;

    // Back to version 1: undoing drops the tags table and the due column,
    // which loses data, so it must be allowed.
    match migrator.down(&db, 1).await {
        Err(keyway::Error::Invalid { .. }) => println!("down refused: it drops data"),
        other => println!("down: {other:?}"),
    }
    let undo = Migrator::new(&dir)
        .rename_column("app_todos", "done", "completed")
        .allow_destructive(true);
    println!("undone: {:?}", undo.down(&db, 1).await?);
    db.verify_schema::<v1::Schema>().await?;
    println!("the database is at version 1:");
    for t in db
        .all(v1::Todo::query().scan().order_by(v1::Todo::ID.asc()))
        .await?
    {
        println!("  {} done={}", t.title, t.done);
    }

    db.drop_schema::<(v2::User, v2::Todo, v2::Tag, AppliedMigration)>()
        .await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
