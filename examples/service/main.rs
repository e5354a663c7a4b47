//! A service-shaped program on the same model code for every database: users
//! sign up, join groups and keep tagged todos; a dashboard loads a user with
//! everything around them in one query per relation; group activity is read
//! in cursor-paginated pages; multi-row changes run in transactions.
//!
//! Run: `cargo run --example service [URL]` (or `KEYWAY_DATABASE_URL`),
//! `sqlite::memory:` by default. It is written against `Db<AnyBackend>`, so
//! it compiles only with keyed / indexed access and explicit scans, and prints
//! the same on SQLite, PostgreSQL, MySQL and DynamoDB. The model, written by
//! hand, is in `model.rs` and `model/` beside this file.

mod model;

use keyway::prelude::*;
use keyway::{Error, Result};
use keyway_any::AnyBackend;
use model::{Group, Membership, Message, Profile, Tag, Todo, User};

type Schema = (User, Todo, Tag, Profile, Group, Membership, Message);

/// Signs a user up; a taken email is reported, not fatal.
async fn sign_up(db: &Db<AnyBackend>, name: &str, email: &str) -> Result<Option<i64>> {
    match db.insert(&User::new(name, email)).await {
        Ok(id) => Ok(Some(id)),
        Err(Error::UniqueViolation { index, .. }) => {
            println!("  {email} is taken (unique index {index})");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Adds a todo and its tags atomically.
async fn add_todo(db: &Db<AnyBackend>, owner: i64, title: &str, tags: &[&str]) -> Result<i64> {
    db.transaction(async |tx| {
        let todo = tx
            .insert(&Todo::new(owner, title, tags.len() as i16))
            .await?;
        tx.insert_many(&tags.iter().map(|t| Tag::new(todo, t)).collect::<Vec<_>>())
            .await?;
        Ok(todo)
    })
    .await
}

/// Joins a group and posts to its activity feed, atomically.
async fn join(db: &Db<AnyBackend>, user: &User, group: &Group, at: i64) -> Result<()> {
    db.transaction(async |tx| {
        tx.insert(&Membership::new(user.id, group.id)).await?;
        let body = format!("{} joined", user.name);
        tx.insert(&Message {
            channel: group.name.clone(),
            sent_at: at,
            body,
        })
        .await?;
        Ok(())
    })
    .await
}

/// Everything about one user, in one statement per relation.
async fn dashboard(db: &Db<AnyBackend>, id: i64) -> Result<()> {
    let query = User::query()
        .filter(User::ID.eq(id))
        .include(User::TODOS.include(Todo::TAGS))
        .include(User::MEMBERSHIPS.include(Membership::GROUP))
        .include(User::PROFILE);
    let Some(user) = db.first(query).await? else {
        println!("no user {id}");
        return Ok(());
    };
    let bio = user.get(User::PROFILE).map_or("-", |p| p.bio.as_str());
    let mut groups: Vec<&str> = user
        .get(User::MEMBERSHIPS)
        .iter()
        .map(|m| m.get(Membership::GROUP).name.as_str())
        .collect();
    groups.sort();
    println!(
        "{} <{}> bio: {bio}; groups: {groups:?}",
        user.name, user.email
    );
    let mut todos: Vec<_> = user.get(User::TODOS).iter().collect();
    todos.sort_by_key(|t| t.title.clone());
    for todo in todos {
        let mut tags: Vec<&str> = todo
            .get(Todo::TAGS)
            .iter()
            .map(|t| t.label.as_str())
            .collect();
        tags.sort();
        println!(
            "  [{}] {} {tags:?}",
            if todo.done { "x" } else { " " },
            todo.title
        );
    }
    Ok(())
}

/// A group's members, from the other side of the many-to-many.
async fn roster(db: &Db<AnyBackend>, group: &Group) -> Result<Vec<String>> {
    let groups = db
        .all(
            Group::query()
                .filter(Group::ID.eq(group.id))
                .include(Group::MEMBERSHIPS.include(Membership::USER)),
        )
        .await?;
    let mut names: Vec<String> = groups
        .iter()
        .flat_map(|g| {
            g.get(Group::MEMBERSHIPS)
                .iter()
                .map(|m| m.get(Membership::USER).name.clone())
        })
        .collect();
    names.sort();
    Ok(names)
}

/// A group's activity, `size` messages per page, following a cursor.
async fn activity(db: &Db<AnyBackend>, group: &str, size: u64) -> Result<Vec<Vec<String>>> {
    let mut pages = Vec::new();
    let mut cursor = i64::MIN;
    loop {
        let page = db
            .all(
                Message::query()
                    .filter(Message::CHANNEL.eq(group).and(Message::SENT_AT.gt(cursor)))
                    .order_by(Message::SENT_AT.asc())
                    .limit(size),
            )
            .await?;
        let Some(last) = page.last() else { break };
        cursor = last.sent_at;
        pages.push(page.into_iter().map(|m| m.body).collect());
    }
    Ok(pages)
}

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("KEYWAY_DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite::memory:".into());
    let db = keyway_any::connect(&url).await?;
    db.drop_schema::<Schema>().await?;
    db.create_schema::<Schema>().await?;
    // The database holds what the code declares, or the service stops here
    // with every difference listed.
    db.verify_schema::<Schema>().await?;

    println!("sign-ups:");
    let ann = sign_up(&db, "Ann", "ann@team.test")
        .await?
        .unwrap_or_default();
    let bob = sign_up(&db, "Bob", "bob@team.test")
        .await?
        .unwrap_or_default();
    let cy = sign_up(&db, "Cy", "cy@team.test")
        .await?
        .unwrap_or_default();
    sign_up(&db, "Ann again", "ann@team.test").await?;
    db.insert(&Profile {
        user_id: ann,
        bio: "on call this week".into(),
    })
    .await?;

    let groups = [
        Group {
            id: 0,
            name: "backend".into(),
        },
        Group {
            id: 0,
            name: "design".into(),
        },
    ];
    let ids = db.insert_many(&groups).await?;
    let groups: Vec<Group> = ids
        .iter()
        .zip(groups)
        .map(|(&id, g)| Group { id, ..g })
        .collect();
    let users: Vec<User> = [ann, bob, cy]
        .into_iter()
        .map(|id| User {
            id,
            name: String::new(),
            email: String::new(),
        })
        .collect();
    let mut at = 0;
    for (u, g) in [(0, 0), (1, 0), (1, 1), (2, 1), (0, 1)] {
        let user = db.get::<User>(users[u].id).await?;
        at += 1;
        join(&db, &user, &groups[g], at).await?;
    }

    let release = add_todo(&db, ann, "ship the release", &["urgent", "backend"]).await?;
    add_todo(&db, ann, "write the changelog", &["docs"]).await?;
    add_todo(&db, bob, "review the schema", &["backend", "review"]).await?;
    db.update(Todo::update(release).set(Todo::DONE, true))
        .await?;

    println!("dashboards:");
    for id in [ann, bob, cy] {
        dashboard(&db, id).await?;
    }
    for g in &groups {
        println!("roster of {}: {:?}", g.name, roster(&db, g).await?);
    }
    for (i, page) in activity(&db, "design", 2).await?.iter().enumerate() {
        println!("design activity page {}: {page:?}", i + 1);
    }

    // Clearing Ann's done todos: the tags go first (their foreign key would
    // otherwise be set to NULL), in one transaction.
    let ann_user = db.get::<User>(ann).await?;
    let done: Vec<Todo> = db
        .all(User::TODOS.of(&ann_user)?.filter(Todo::DONE.eq(true)))
        .await?;
    let cleared = db
        .transaction(async |tx| {
            for todo in &done {
                tx.delete(Todo::TAGS.of(todo)?.delete()).await?;
                tx.delete(Todo::delete(todo.id)).await?;
            }
            Ok(done.len())
        })
        .await?;
    println!("cleared {cleared} done todo(s) of Ann");
    dashboard(&db, ann).await?;

    db.drop_schema::<Schema>().await?;
    Ok(())
}
