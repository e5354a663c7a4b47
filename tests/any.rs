//! The backend chosen at run time: the indexed suite on `Db<AnyBackend>`, and
//! the same code on every database by changing only the URL.

mod model;
mod suite;

use keyway::prelude::*;
use keyway_any::AnyBackend;
use model::{Group, Membership, Profile, Tag, Todo, User};

async fn open() -> Db<AnyBackend> {
    keyway_any::connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite opens")
}

keyway_indexed_suite!(open());

fn url(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

/// The URLs of every backend; the servers must be running (the README's test
/// command starts them): an unreachable one fails this test.
fn urls() -> Vec<String> {
    vec![
        "sqlite::memory:".to_owned(),
        "turso::memory:".to_owned(),
        url(
            "KEYWAY_POSTGRES_URL",
            "postgres://postgres@127.0.0.1:5432/test",
        ),
        url("KEYWAY_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
        url(
            "KEYWAY_DYNAMODB_URL",
            "dynamodb://127.0.0.1:8000?region=us-east-1",
        ),
    ]
}

/// Code written once against `Db<AnyBackend>`: it can only use keys, indexes
/// and explicit scans, so it runs on every backend.
async fn same_code(db: &Db<AnyBackend>) -> keyway::Result<Vec<String>> {
    // Tables other runs may have left behind, children of users and todos included.
    db.drop_schema::<(User, Todo, Tag, Profile, Group, Membership)>()
        .await?;
    db.create_schema::<(User, Todo)>().await?;
    let ann = db.insert(&User::new("Ann", "ann.any@example.com")).await?;
    let bob = db.insert(&User::new("Bob", "bob.any@example.com")).await?;
    db.insert_many(&[
        Todo::new(ann, "a", 1),
        Todo::new(ann, "b", 2),
        Todo::new(bob, "c", 3),
    ])
    .await?;
    let mut out = Vec::new();
    let by_email = db
        .first(User::query().filter(User::EMAIL.eq("bob.any@example.com")))
        .await?;
    out.push(format!("by email: {:?}", by_email.map(|u| u.name)));
    let mut users = db.all(User::query().scan().include(User::TODOS)).await?;
    users.sort_by_key(|u| u.id);
    for u in &users {
        let mut titles: Vec<&str> = u
            .get(User::TODOS)
            .iter()
            .map(|t| t.title.as_str())
            .collect();
        titles.sort();
        out.push(format!("{}: {titles:?}", u.name));
    }
    db.update(User::update(ann).set(User::NAME, "Anna")).await?;
    out.push(format!("renamed: {}", db.get::<User>(ann).await?.name));
    let tx_result = db
        .transaction(async |tx| {
            tx.delete(Todo::query().filter(Todo::OWNER_ID.eq(bob)).delete())
                .await?;
            tx.delete(User::delete(bob)).await
        })
        .await;
    out.push(format!("transaction: {}", tx_result.is_ok()));
    out.push(format!(
        "users left: {}",
        db.count(User::query().scan()).await?
    ));
    db.drop_schema::<(User, Todo)>().await?;
    Ok(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_code_gives_the_same_output_on_every_url() {
    let mut outputs = Vec::new();
    for url in urls() {
        let db = keyway_any::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        let out = same_code(&db)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        outputs.push((url, out));
    }
    let (first_url, first) = &outputs[0];
    for (url, out) in &outputs[1..] {
        assert_eq!(out, first, "{url} differs from {first_url}");
    }
    assert_eq!(first[0], "by email: Some(\"Bob\")");
}

#[tokio::test]
async fn unknown_schemes_are_refused() {
    let err = keyway_any::connect("oracle://x").await.unwrap_err();
    assert!(
        matches!(
            err,
            keyway::Error::Invalid {
                what: "database URL",
                ..
            }
        ),
        "{err:?}"
    );
}
