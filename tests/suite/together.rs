//! Rows read together as of one moment (`find_together`): of one entity
//! or several, composite keys, missing, soft-deleted and expired rows
//! `None`; and never half of a transfer that another transaction is
//! making.

use jiff::{SignedDuration, Timestamp};
use keyway::prelude::*;
use keyway::{Backend, Error, MAX_TOGETHER};

use crate::model::{Account, FileEntry, Memo, Session, Todo, User};

pub async fn rows_read_together<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo, Memo, Session, FileEntry)>()
        .await
        .unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todo = db.insert(&Todo::new(ann, "write", 2)).await.unwrap();
    let file = FileEntry {
        bucket: "b".into(),
        path: "a/b.txt".into(),
        size: 9,
    };
    db.insert(&file).await.unwrap();
    let (user, t, missing, f) = db
        .find_together((
            User::at(ann),
            Todo::at(todo),
            Todo::at(todo + 1_000),
            FileEntry::at(("b".to_owned(), "a/b.txt".to_owned())),
        ))
        .await
        .unwrap();
    assert_eq!(user.unwrap().email, "ann@x.test");
    assert_eq!(t.unwrap().title, "write");
    assert!(missing.is_none());
    assert_eq!(f.unwrap(), file);

    // A list, the same key twice among them.
    let listed = db
        .find_together(vec![Todo::at(todo), Todo::at(todo + 1_000), Todo::at(todo)])
        .await
        .unwrap();
    let titles: Vec<Option<String>> = listed.into_iter().map(|t| t.map(|t| t.title)).collect();
    assert_eq!(titles, [Some("write".into()), None, Some("write".into())]);
    assert!(
        db.find_together(Vec::<keyway::At<Todo>>::new())
            .await
            .unwrap()
            .is_empty()
    );

    // Left out as `find` leaves them out.
    let memo = db.insert(&Memo::new(ann, "m")).await.unwrap();
    db.delete(Memo::delete(memo)).await.unwrap();
    let past = Timestamp::now() - SignedDuration::from_hours(1);
    db.insert(&Session::new("s", ann, Some(past)))
        .await
        .unwrap();
    let (m, s) = db
        .find_together((Memo::at(memo), Session::at("s")))
        .await
        .unwrap();
    assert!(m.is_none() && s.is_none());

    let too_many: Vec<keyway::At<Todo>> = (0..=MAX_TOGETHER as i64).map(Todo::at).collect();
    let refused = db.find_together(too_many).await.unwrap_err();
    assert!(matches!(refused, Error::Invalid { .. }), "{refused:?}");
}

/// Transfers between two accounts run while reads of both go on: every
/// read sees the two balances of one moment, whose sum never changes.
pub async fn reads_together_never_see_half_a_transfer<B: Backend>(db: &Db<B>) {
    db.create_schema::<Account>().await.unwrap();
    let a = db.create(Account::new("a", 100)).await.unwrap().id;
    let b = db.create(Account::new("b", 100)).await.unwrap().id;
    let transfers = async {
        for _ in 0..25 {
            db.transaction(async |tx| {
                tx.update(Account::update(a).increment(Account::BALANCE, -1))
                    .await?;
                tx.update(Account::update(b).increment(Account::BALANCE, 1))
                    .await
            })
            .await
            .unwrap();
        }
    };
    let reads = async {
        let mut seen = Vec::new();
        for _ in 0..25 {
            let (x, y) = db
                .find_together((Account::at(a), Account::at(b)))
                .await
                .unwrap();
            let (x, y) = (x.unwrap(), y.unwrap());
            seen.push(x.balance);
            assert_eq!(x.balance + y.balance, 200, "one moment: {x:?} {y:?}");
            tokio::task::yield_now().await;
        }
        seen
    };
    let ((), seen) = tokio::join!(transfers, reads);
    assert_eq!(seen.len(), 25);
    let (x, y) = db
        .find_together((Account::at(a), Account::at(b)))
        .await
        .unwrap();
    assert_eq!((x.unwrap().balance, y.unwrap().balance), (75, 125));
}
