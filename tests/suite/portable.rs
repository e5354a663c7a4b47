//! What compiles on the portable handle runs the same on every backend:
//! orders by key columns (of queries and of includes), a many-to-many
//! included from the sort-key side of a composite key, rows inserted with
//! their own keys, and transactions returning the application's own error.

use keyway::prelude::*;
use keyway::{Backend, Error};

use super::relations::seed;
use crate::model::{Enrollment, Group, Message, Todo, User};

pub async fn ordered_by_key_columns<B: Backend>(db: &Db<B>) {
    let ids = seed(db, 2).await;
    let todos = db
        .all(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(ids[0]))
                .order_by(Todo::ID.desc()),
        )
        .await
        .unwrap();
    let titles: Vec<&str> = todos.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["u0-b", "u0-a"]);
    let users = db
        .all(
            User::query()
                .filter(User::ID.in_list(ids.clone()))
                .order_by(User::ID.desc())
                .include(User::TODOS.order_by(Todo::ID.desc())),
        )
        .await
        .unwrap();
    let got: Vec<(i64, Vec<&str>)> = users
        .iter()
        .map(|u| {
            let titles = u.get(User::TODOS).iter().map(|t| t.title.as_str());
            (u.id, titles.collect())
        })
        .collect();
    assert_eq!(
        got,
        [
            (ids[1], vec!["u1-b", "u1-a"]),
            (ids[0], vec!["u0-b", "u0-a"])
        ]
    );
    let scanned: Vec<i64> = db
        .all(Todo::query().scan().order_by(Todo::ID.asc()))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert!(scanned.is_sorted() && scanned.len() == 4, "{scanned:?}");

    db.create_schema::<Message>().await.unwrap();
    let messages: Vec<Message> = [3, 1, 2]
        .map(|at| Message {
            channel: "c".into(),
            sent_at: at,
            body: format!("m{at}"),
        })
        .into();
    db.insert_many(&messages).await.unwrap();
    let newest_first: Vec<i64> = db
        .all(
            Message::query()
                .filter(Message::CHANNEL.eq("c"))
                .order_by(Message::SENT_AT.desc()),
        )
        .await
        .unwrap()
        .iter()
        .map(|m| m.sent_at)
        .collect();
    assert_eq!(newest_first, [3, 2, 1]);
}

pub async fn many_to_many_from_the_sort_key_side<B: Backend>(db: &Db<B>) {
    let users = seed(db, 3).await;
    db.create_schema::<(Group, Enrollment)>().await.unwrap();
    let groups = db
        .insert_many(&["a", "b"].map(|name| Group {
            id: 0,
            name: name.into(),
        }))
        .await
        .unwrap();
    let pairs = [(0, 0), (1, 0), (1, 1), (2, 1)];
    let enrollments = pairs.map(|(u, g)| Enrollment {
        user_id: users[u],
        group_id: groups[g],
        role: format!("r{u}{g}"),
    });
    db.insert_many(&enrollments).await.unwrap();
    // From the second key column's side, through its own index.
    let found = db
        .all(
            Group::query()
                .filter(Group::ID.in_list(groups.clone()))
                .order_by(Group::ID.asc())
                .include(Group::ENROLLMENTS.include(Enrollment::USER)),
        )
        .await
        .unwrap();
    let members: Vec<Vec<String>> = found
        .iter()
        .map(|g| {
            let mut names: Vec<String> = g
                .get(Group::ENROLLMENTS)
                .iter()
                .map(|e| e.get(Enrollment::USER).name.clone())
                .collect();
            names.sort();
            names
        })
        .collect();
    assert_eq!(members, [vec!["u0", "u1"], vec!["u1", "u2"]]);
    // From the partition key's side.
    let user = db
        .first(
            User::query()
                .filter(User::ID.eq(users[1]))
                .include(User::ENROLLMENTS.include(Enrollment::GROUP)),
        )
        .await
        .unwrap()
        .unwrap();
    let mut names: Vec<&str> = user
        .get(User::ENROLLMENTS)
        .iter()
        .map(|e| e.get(Enrollment::GROUP).name.as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["a", "b"]);
    // The indexed sort-key column alone is an indexed lookup.
    let in_b = db
        .count(Enrollment::query().filter(Enrollment::GROUP_ID.eq(groups[1])))
        .await
        .unwrap();
    assert_eq!(in_b, 2);
}

pub async fn insert_with_given_keys<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Message)>().await.unwrap();
    let imported = [(41, "Ann"), (7, "Bob")].map(|(id, name)| User {
        id,
        ..User::new(name, &format!("{name}@x.test"))
    });
    assert_eq!(db.insert_with_keys(&imported).await.unwrap(), [41, 7]);
    assert_eq!(db.get::<User>(41).await.unwrap().name, "Ann");
    assert_eq!(db.get::<User>(7).await.unwrap().name, "Bob");
    // Generated keys move past the given ones.
    let next = db.insert(&User::new("Cy", "cy@x.test")).await.unwrap();
    assert!(next > 41, "generated key {next} collides with given ones");
    // A given key already taken is a unique violation, and writes nothing.
    let taken = User {
        id: 7,
        ..User::new("Dee", "dee@x.test")
    };
    let err = db.insert_with_keys(&[taken]).await.unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    assert_eq!(db.get::<User>(7).await.unwrap().name, "Bob");
    // Inside a transaction too.
    let tx = db.begin().await.unwrap();
    let row = User {
        id: 100,
        ..User::new("Eve", "eve@x.test")
    };
    tx.insert_with_keys(&[row]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(db.get::<User>(100).await.unwrap().name, "Eve");
    let after = db.insert(&User::new("Fay", "fay@x.test")).await.unwrap();
    assert!(after > 100, "generated key {after} after given key 100");
    // A table without an `auto` column: an ordinary insert.
    let m = Message {
        channel: "c".into(),
        sent_at: 1,
        body: "hi".into(),
    };
    let keys = db.insert_with_keys(std::slice::from_ref(&m)).await.unwrap();
    assert_eq!(keys, [("c".to_string(), 1)]);
    assert!(db.insert_with_keys::<User>(&[]).await.unwrap().is_empty());
}

/// An application's own error, which a keyway error converts into.
#[derive(Debug)]
enum AppError {
    Refused(&'static str),
    Db(Error),
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Db(e)
    }
}

pub async fn transaction_returns_the_applications_error<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let refused = db
        .transaction_with_error(async |tx| {
            tx.insert(&User::new("Ann", "ann@x.test")).await?;
            Err::<(), _>(AppError::Refused("no more users today"))
        })
        .await;
    assert!(matches!(refused, Err(AppError::Refused(_))), "{refused:?}");
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 0);
    let duplicate = db
        .transaction_with_error(async |tx| -> Result<(), AppError> {
            tx.insert(&User::new("Ann", "ann@x.test")).await?;
            tx.insert(&User::new("Bob", "ann@x.test")).await?;
            Ok(())
        })
        .await;
    assert!(
        matches!(duplicate, Err(AppError::Db(Error::UniqueViolation { .. }))),
        "{duplicate:?}"
    );
    let id = db
        .transaction_with_error(async |tx| {
            tx.insert(&User::new("Cy", "cy@x.test"))
                .await
                .map_err(AppError::from)
        })
        .await
        .unwrap();
    assert_eq!(db.get::<User>(id).await.unwrap().name, "Cy");
}
