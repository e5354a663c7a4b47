//! The drift check: what `create_schema` made is what the impls declare,
//! on every backend and for every value type; a missing table, and changes
//! made behind keyway's back, are listed.

use keyway::prelude::*;
use keyway::{Backend, Drift, Error};

use crate::model::{
    Author, Comment, Customer, Device, Draft, Enrollment, Group, Kinds, Membership, Message, Post,
    Reading, Tag, Todo, User,
};

/// Every model the suite has, created and then checked: each type's
/// declared spelling meets the catalog's.
pub async fn created_schema_has_no_drift<B: Backend>(db: &Db<B>) {
    type All = (User, Todo, Tag, Kinds, Reading, Customer, Device);
    db.create_schema::<All>().await.unwrap();
    let drift = db.schema_drift::<All>().await.unwrap();
    assert!(drift.is_empty(), "{drift:#?}");
    db.verify_schema::<All>().await.unwrap();
    // Foreign keys of every kind: composite keys, cascades, SET NULL.
    type Linked = (
        User,
        Group,
        Enrollment,
        Membership,
        Author,
        Post,
        Comment,
        Draft,
        Message,
    );
    db.create_schema::<Linked>().await.unwrap();
    let drift = db.schema_drift::<Linked>().await.unwrap();
    assert!(drift.is_empty(), "{drift:#?}");
}

pub async fn a_missing_table_is_drift<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let err = db.verify_schema::<(User, Message)>().await.unwrap_err();
    let Error::SchemaDrift { differences } = &err else {
        panic!("not a drift: {err}")
    };
    assert_eq!(
        differences,
        &[Drift::MissingTable {
            table: "messages".into()
        }]
    );
    assert!(
        err.to_string().contains("table `messages` does not exist"),
        "{err}"
    );
}

/// Runs `alter` (statements in the backend's SQL), then lists the drift of
/// `User` and `Todo`: each of `expected` once, in order.
pub async fn changes_behind_keywords_back_are_listed<B: Backend>(
    db: &Db<B>,
    alter: impl AsyncFn(&str),
    statements: &[&str],
    expected: &[&str],
) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    for sql in statements {
        alter(sql).await;
    }
    let drift = db.schema_drift::<(User, Todo)>().await.unwrap();
    let listed: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert_eq!(listed, expected);
}
