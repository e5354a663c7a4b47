//! Expiry: rows past their expiry column are left out of queries, counts,
//! lookups by key, includes and relation filters unless asked for; writes
//! still reach them; `purge_expired` deletes them. Every backend, DynamoDB
//! included.

use jiff::{SignedDuration, Timestamp};
use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Session, User};

fn hours(n: i64) -> Timestamp {
    Timestamp::now() + SignedDuration::from_hours(n)
}

fn tokens(rows: &[Session]) -> Vec<String> {
    let mut t: Vec<String> = rows.iter().map(|s| s.token.clone()).collect();
    t.sort();
    t
}

pub async fn expired_rows_are_left_out<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Session)>().await.unwrap();
    let ann = db.create(User::new("Ann", "ann@x.test")).await.unwrap();
    let bob = db.create(User::new("Bob", "bob@x.test")).await.unwrap();
    db.insert_many(&[
        Session::new("a-old", ann.id, Some(hours(-1))),
        Session::new("a-new", ann.id, Some(hours(1))),
        Session::new("a-ever", ann.id, None),
        Session::new("b-old", bob.id, Some(hours(-2))),
    ])
    .await
    .unwrap();
    let of = |id| Session::query().filter(Session::USER_ID.eq(id));

    // Queries, counts and lookups by key see the live rows only.
    let live = db.all(of(ann.id)).await.unwrap();
    assert_eq!(tokens(&live), ["a-ever", "a-new"]);
    assert_eq!(db.count(of(ann.id)).await.unwrap(), 2);
    assert_eq!(db.count(of(bob.id)).await.unwrap(), 0);
    assert!(db.find::<Session>("a-old").await.unwrap().is_none());
    assert!(matches!(
        db.get::<Session>("a-old").await,
        Err(Error::NotFound { entity: "Session" })
    ));
    assert!(db.find::<Session>("a-new").await.unwrap().is_some());
    // ... unless asked for.
    let all = db.all(of(ann.id).with_expired()).await.unwrap();
    assert_eq!(tokens(&all), ["a-ever", "a-new", "a-old"]);
    assert_eq!(db.count(of(bob.id).with_expired()).await.unwrap(), 1);

    // Includes of children and relation filters.
    let users = db
        .all(
            User::query()
                .filter(User::ID.eq(ann.id))
                .include(User::SESSIONS),
        )
        .await
        .unwrap();
    assert_eq!(tokens(users[0].get(User::SESSIONS)), ["a-ever", "a-new"]);
    let with_old = User::query()
        .filter(User::ID.in_list([ann.id, bob.id]))
        .filter(User::SESSIONS.any(Session::TOKEN.in_list(["a-old", "b-old"])));
    assert_eq!(db.count(with_old).await.unwrap(), 0);
    let with_new = User::query()
        .filter(User::ID.in_list([ann.id, bob.id]))
        .filter(User::SESSIONS.any(Session::TOKEN.eq("a-new")));
    assert_eq!(db.all(with_new).await.unwrap()[0].id, ann.id);

    // Writes reach an expired row: extended, it is back; cut short, gone.
    db.update(Session::update("a-old").set(Session::EXPIRES, Some(hours(3))))
        .await
        .unwrap();
    assert!(db.find::<Session>("a-old").await.unwrap().is_some());
    db.update(Session::update("a-new").set(Session::EXPIRES, Some(hours(-3))))
        .await
        .unwrap();
    assert!(db.find::<Session>("a-new").await.unwrap().is_none());
    // A NULL expiry never expires.
    db.update(Session::update("a-new").set(Session::EXPIRES, None))
        .await
        .unwrap();
    assert!(db.find::<Session>("a-new").await.unwrap().is_some());

    // Purged: the expired rows deleted, the others kept.
    db.update(Session::update("a-ever").set(Session::EXPIRES, Some(hours(-1))))
        .await
        .unwrap();
    assert_eq!(db.purge_expired::<Session>().await.unwrap(), 2);
    let kept = db.all(of(ann.id).with_expired()).await.unwrap();
    assert_eq!(tokens(&kept), ["a-new", "a-old"]);
    assert_eq!(db.count(of(bob.id).with_expired()).await.unwrap(), 0);
    assert_eq!(db.purge_expired::<Session>().await.unwrap(), 0);
    let no_expiry = db.purge_expired::<User>().await.unwrap_err();
    assert!(matches!(no_expiry, Error::Invalid { .. }), "{no_expiry}");
}

pub async fn expiry_in_transactions<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Session)>().await.unwrap();
    let ann = db.create(User::new("Ann", "ann@x.test")).await.unwrap();
    db.insert(&Session::new("t-old", ann.id, Some(hours(-1))))
        .await
        .unwrap();
    let of = || Session::query().filter(Session::USER_ID.eq(ann.id));
    let tx = db.begin().await.unwrap();
    assert_eq!(tx.count(of()).await.unwrap(), 0);
    tx.insert(&Session::new("t-new", ann.id, Some(hours(1))))
        .await
        .unwrap();
    tx.insert(&Session::new("t-gone", ann.id, Some(hours(-1))))
        .await
        .unwrap();
    // The transaction sees its own writes as reads outside it will.
    assert_eq!(tokens(&tx.all(of()).await.unwrap()), ["t-new"]);
    tx.update(Session::update("t-old").set(Session::EXPIRES, Some(hours(2))))
        .await
        .unwrap();
    assert_eq!(tokens(&tx.all(of()).await.unwrap()), ["t-new", "t-old"]);
    assert_eq!(tx.count(of().with_expired()).await.unwrap(), 3);
    tx.commit().await.unwrap();
    assert_eq!(tokens(&db.all(of()).await.unwrap()), ["t-new", "t-old"]);
    assert!(db.find::<Session>("t-gone").await.unwrap().is_none());
}
