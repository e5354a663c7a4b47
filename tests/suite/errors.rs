//! Portable error kinds.

use keyway::prelude::*;
use keyway::{Backend, Error, Supports, Unindexed};

use crate::model::{Kinds, User};

pub async fn unique_violation_names_entity_and_index<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<(User, Kinds)>().await.unwrap();
    db.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let dup = db
        .insert(&User::new("Other Ann", "ann@example.com"))
        .await
        .unwrap_err();
    match dup {
        Error::UniqueViolation { entity, index } => {
            assert_eq!((entity, index.as_str()), ("User", "users_email_key"));
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
    db.insert(&Kinds::sample("k")).await.unwrap();
    let dup_key = db.insert(&Kinds::sample("k")).await.unwrap_err();
    assert!(
        matches!(&dup_key, Error::UniqueViolation { entity: "Kinds", index } if index == "PRIMARY"),
        "{dup_key:?}"
    );
    // A failed batch inserts nothing.
    let batch = [
        User::new("B", "b@example.com"),
        User::new("C", "ann@example.com"),
    ];
    assert!(matches!(
        db.insert_many(&batch).await,
        Err(Error::UniqueViolation { .. })
    ));
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
}

pub async fn unique_violation_on_update<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    db.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let bob = db
        .insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap();
    let err = db
        .update(User::update(bob).set(User::EMAIL, "ann@example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UniqueViolation { entity: "User", .. }),
        "{err:?}"
    );
    assert_eq!(db.get::<User>(bob).await.unwrap().email, "bob@example.com");
}

pub async fn invalid_updates_are_refused<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let id = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let nothing = db.update(User::update(id)).await.unwrap_err();
    assert!(
        matches!(nothing, Error::Invalid { what: "update", .. }),
        "{nothing:?}"
    );
    let key = db
        .update(User::update(id).set(User::ID, 99))
        .await
        .unwrap_err();
    assert!(
        matches!(key, Error::Invalid { what: "update", .. }),
        "{key:?}"
    );
    assert_eq!(db.get::<User>(id).await.unwrap().id, id);
}
