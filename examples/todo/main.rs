//! The todo model on any backend: schema from the trait impls, inserts,
//! filtered queries, a projection, a stream, updates, deletes, a transaction
//! relations and foreign keys. The same code runs on every backend, through
//! the portable handle `keyway_any::connect` picks from the URL's scheme. It reaches rows through keys and indexes,
//! and reads whole tables with an explicit `.scan()`, so it compiles against
//! DynamoDB too; orders on plain columns are applied in Rust.
//!
//! The model is in `model/` beside this file: `User`, `Todo`, `Tag`,
//! `Profile` and `Account`, each a plain struct with its column handles and its `Entity`
//! impl, written by hand with no macro, and the relations between them.
//!
//! Run: `cargo run --example todo` (embedded `sqlite::memory:`), or pass a URL:
//! `sqlite://todo.db`, `turso::memory:`, `postgres://postgres@127.0.0.1:5432/test`,
//! `mysql://root@127.0.0.1:3306/test`, `dynamodb://127.0.0.1:8000?region=us-east-1`
//! (or set `KEYWAY_DATABASE_URL`). On a
//! server the example first drops the tables it makes, so it can run again.

mod model;
mod statements;

use futures::TryStreamExt;
use keyway::Backend;
use keyway::prelude::*;
use model::{Account, Plan, Profile, Tag, Todo, User};

#[tokio::main]
async fn main() -> keyway::Result<()> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("KEYWAY_DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite::memory:".into());
    println!("database: {url}");
    statements::count();
    // The portable handle: the backend is chosen by the URL's scheme, and
    // only what every backend runs compiles against it.
    run(keyway_any::connect(&url).await?).await
}

/// The whole tour, on any backend: `B: Backend` alone, so every query goes
/// through a key or an index, or is an explicit `.scan()`.
async fn run<B: Backend>(db: Db<B>) -> keyway::Result<()> {
    db.drop_schema::<(User, Todo, Tag, Profile, Account)>()
        .await?;
    db.create_schema::<(User, Todo, Tag, Profile, Account)>()
        .await?;
    println!("created tables users, todos, tags, profiles and accounts from the Entity impls");

    let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    let bob = db.insert(&User::new("Bob", "bob@example.com")).await?;
    println!("inserted users Ann (id {ann}) and Bob (id {bob})");

    let todos = [
        Todo::new(ann, "write the schema", 3),
        Todo::new(ann, "implement Entity by hand", 2),
        Todo {
            note: Some("no macros".into()),
            ..Todo::new(ann, "run it on every backend", 1)
        },
        Todo::new(bob, "review", 2),
    ];
    let ids = db.insert_many(&todos).await?;
    println!("inserted {} todos in one statement: ids {ids:?}", ids.len());

    let mut anns: Vec<Todo> = db.all(Todo::query().filter(Todo::OWNER_ID.eq(ann))).await?;
    anns.sort_by_key(|t| std::cmp::Reverse(t.priority));
    println!("Ann's todos, most important first:");
    for t in &anns {
        println!(
            "  [{}] {} (priority {})",
            if t.done { "x" } else { " " },
            t.title,
            t.priority
        );
    }

    let mut urgent: Vec<(String, i16)> = db
        .all(
            Todo::query()
                .scan()
                .filter(Todo::PRIORITY.ge(2))
                .select((Todo::TITLE, Todo::PRIORITY)),
        )
        .await?;
    urgent.sort();
    println!("projection (title, priority) where priority >= 2: {urgent:?}");

    let with_notes: Vec<String> = db
        .stream(Todo::query().scan().filter(Todo::NOTE.is_not_null()))
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

    relations(&db, ann).await?;

    let removed = db
        .delete(Todo::query().scan().filter(Todo::DONE.eq(true)).delete())
        .await?;
    println!("deleted {removed} done todo(s)");

    println!(
        "now: {} user(s), {} todo(s) left, {} open for Ann",
        db.count(User::query().scan()).await?,
        db.count(Todo::query().scan()).await?,
        db.count(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ann))
                .filter(Todo::DONE.eq(false))
        )
        .await?
    );
    foreign_keys(&db, ann).await?;
    accounts(&db).await
}

/// Values beyond the scalars, alike on every backend: a UUID key keyway
/// generates, an instant, an enum, an exact decimal and a JSON document
/// filtered by a path inside it.
async fn accounts<B: Backend>(db: &Db<B>) -> keyway::Result<()> {
    // 2026-01-01T00:00:00Z, and an hour later each.
    let at =
        |hour: i64| jiff::Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_hours(490_896 + hour);
    let created = db
        .create_many(vec![
            Account::new("ann@example.com", at(0), "dark"),
            Account::new("bob@example.com", at(1), "light"),
            Account::new("cy@example.com", at(2), "dark"),
        ])
        .await?;
    let ordered = created.windows(2).all(|w| w[0].id < w[1].id);
    println!(
        "created {} accounts; their generated UUID keys (v7) sort as they were made: {ordered}",
        created.len()
    );
    let cy: Account = db
        .first(Account::query().filter(Account::EMAIL.eq("cy@example.com")))
        .await?
        .expect("cy's account");
    println!(
        "cy's account: created {}, plan {:?}, balance {}, theme {:?}",
        cy.created_at, cy.plan, cy.balance, cy.settings.0.theme
    );
    let mut dark: Vec<String> = db
        .all(
            Account::query()
                .scan()
                .filter(Account::SETTINGS.path(["theme"]).eq("dark"))
                .select(Account::EMAIL),
        )
        .await?;
    dark.sort();
    println!("accounts whose settings say theme = \"dark\": {dark:?}");
    db.update(
        Account::update(cy.id)
            .set(Account::PLAN, Plan::Pro)
            .set(Account::BALANCE, rust_decimal::Decimal::new(1999, 2)),
    )
    .await?;
    let cy: Account = db.get(cy.id).await?;
    println!("cy upgraded: plan {:?}, balance {}", cy.plan, cy.balance);
    let refused = db
        .update(Account::update(cy.id).set(Account::BALANCE, rust_decimal::Decimal::new(1234, 3)))
        .await;
    if let Err(e) = refused {
        println!("refused, never rounded: {e}");
    }
    let recent = db
        .count(
            Account::query()
                .scan()
                .filter(Account::CREATED_AT.ge(at(1))),
        )
        .await?;
    println!("{recent} account(s) created from {} on", at(1));
    Ok(())
}

/// Foreign keys, enforced alike on every backend (DynamoDB included): a todo
/// of a missing user is refused, deleting a user whom todos still reference
/// is refused (`Restrict`), and deleting one deletes their profile
/// (`Cascade`) while their todos' tags stay, without a todo (`SetNull`).
async fn foreign_keys<B: Backend>(db: &Db<B>, ann: i64) -> keyway::Result<()> {
    match db.insert(&Todo::new(ann + 1_000, "orphan", 1)).await {
        Err(keyway::Error::ForeignKeyViolation { .. }) => {
            println!("refused a todo of a user who does not exist (foreign key)")
        }
        other => println!("unexpected: {other:?}"),
    }
    match db.delete(User::delete(ann)).await {
        Err(keyway::Error::ForeignKeyViolation { .. }) => {
            println!("refused deleting Ann while her todos reference her (restrict)")
        }
        other => println!("unexpected: {other:?}"),
    }
    let removed = db
        .delete(Todo::query().filter(Todo::OWNER_ID.eq(ann)).delete())
        .await?;
    db.delete(User::delete(ann)).await?;
    let untagged = db
        .count(Tag::query().scan().filter(Tag::TODO_ID.is_null()))
        .await?;
    println!(
        "deleted Ann's {removed} todo(s), then Ann: {} profile(s) left (cascade), {untagged} tag(s) kept without a todo (set null)",
        db.count(Profile::query().scan()).await?
    );
    Ok(())
}

/// Eager includes (nested and filtered), lazy loads and scoped queries, with
/// the number of statements each took.
async fn relations<B: Backend>(db: &Db<B>, ann: i64) -> keyway::Result<()> {
    let mut todos: Vec<i64> = db.all(Todo::query().scan().select(Todo::ID)).await?;
    todos.sort_unstable();
    db.insert_many(
        &todos
            .iter()
            .map(|&t| Tag::new(t, &format!("tag-{t}")))
            .collect::<Vec<_>>(),
    )
    .await?;
    db.insert(&Profile {
        user_id: ann,
        bio: "writes ORMs by hand".into(),
    })
    .await?;

    statements::take();
    let mut users = db
        .all(
            User::query()
                .scan()
                .include(User::TODOS.include(Todo::TAGS).filter(Todo::DONE.eq(false)))
                .include(User::PROFILE),
        )
        .await?;
    users.sort_by_key(|u| u.id);
    // One statement per level of includes and relation at most: 4 on SQL;
    // 2 on DynamoDB, whose shared table gives the users, their todos and
    // their profiles in one Scan (the tags are another level).
    let taken = statements::take();
    println!(
        "eager: {} user(s) with open todos, their tags and profiles in {}",
        users.len(),
        if taken <= 4 {
            "at most 4 statements, never one per row".to_owned()
        } else {
            format!("{taken} statements")
        }
    );
    for user in &users {
        let bio = user
            .get(User::PROFILE)
            .map_or("no profile", |p| p.bio.as_str());
        println!("  {} ({bio})", user.name);
        for todo in user.get(User::TODOS) {
            let tags: Vec<&str> = todo
                .get(Todo::TAGS)
                .iter()
                .map(|t| t.label.as_str())
                .collect();
            println!("    {} {tags:?}", todo.title);
        }
    }

    let mut owners = db.all(Todo::query().scan().include(Todo::OWNER)).await?;
    owners.sort_by_key(|t| t.id);
    let names: Vec<&str> = owners
        .iter()
        .map(|t| t.get(Todo::OWNER).name.as_str())
        .collect();
    println!(
        "each todo's owner (belongs-to) in {} statements: {names:?}",
        statements::take()
    );

    let user: User = db.get(ann).await?;
    statements::take();
    let lazy: Vec<Todo> = User::TODOS.load(&user, db).await?;
    println!(
        "lazy: {} todos of {} in {} statement",
        lazy.len(),
        user.name,
        statements::take()
    );
    let open = db
        .count(User::TODOS.of(&user)?.filter(Todo::DONE.eq(false)))
        .await?;
    println!(
        "scoped: {open} open todo(s) of {} in {} statement",
        user.name,
        statements::take()
    );
    Ok(())
}
