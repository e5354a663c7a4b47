//! Transactions with writes by key and index: commit on Ok, nothing on Err,
//! drop or a failed condition.

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Message, Todo, User};

pub async fn tx_commits_and_rolls_back<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todos: Vec<Todo> = (0..3)
        .map(|i| Todo::new(ann, &format!("t{i}"), i))
        .collect();
    let todo_ids = db.insert_many(&todos).await.unwrap();
    let (bob, moved) = db
        .transaction(async |tx| {
            let bob = tx.insert(&User::new("Bob", "bob@x.test")).await?;
            tx.update(User::update(ann).set(User::NAME, "Anna")).await?;
            let moved = tx
                .update(
                    Todo::query()
                        .filter(Todo::OWNER_ID.eq(ann))
                        .update()
                        .set(Todo::DONE, true),
                )
                .await?;
            Ok((bob, moved))
        })
        .await
        .unwrap();
    assert_eq!(moved, 3);
    assert_eq!(db.get::<User>(ann).await.unwrap().name, "Anna");
    assert_eq!(db.get::<User>(bob).await.unwrap().email, "bob@x.test");
    assert_eq!(
        db.count(Todo::query().filter(Todo::OWNER_ID.eq(ann).and(Todo::DONE.eq(true))))
            .await
            .unwrap(),
        3
    );

    let err = db
        .transaction(async |tx| {
            tx.insert(&User::new("Carol", "carol@x.test")).await?;
            tx.delete(Todo::delete(todo_ids[0])).await?;
            Err::<(), _>(Error::ConditionFailed)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed));
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("carol@x.test")))
            .await
            .unwrap(),
        0
    );
    assert!(db.find::<Todo>(todo_ids[0]).await.unwrap().is_some());

    {
        let tx = db.begin().await.unwrap();
        tx.insert(&User::new("Dan", "dan@x.test")).await.unwrap();
    }
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("dan@x.test")))
            .await
            .unwrap(),
        0
    );

    let tx = db.begin().await.unwrap();
    tx.delete(Todo::delete(todo_ids[1])).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(db.find::<Todo>(todo_ids[1]).await.unwrap().is_some());
    let tx = db.begin().await.unwrap();
    let n = tx
        .delete(Todo::query().filter(Todo::OWNER_ID.eq(ann)).delete())
        .await
        .unwrap();
    assert_eq!(n, 3);
    tx.commit().await.unwrap();
    assert_eq!(
        db.count(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
            .await
            .unwrap(),
        0
    );
}

pub async fn tx_unique_violation_writes_nothing<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let err = db
        .transaction(async |tx| {
            tx.insert(&User::new("Bob", "bob@x.test")).await?;
            tx.update(User::update(ann).set(User::NAME, "Anna")).await?;
            tx.insert(&User::new("Other Ann", "ann@x.test")).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UniqueViolation { entity: "User", index } if index == "users_email_key"),
        "{err:?}"
    );
    assert_eq!(db.get::<User>(ann).await.unwrap().name, "Ann");
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("bob@x.test")))
            .await
            .unwrap(),
        0
    );
    let missing = db
        .transaction(async |tx| {
            tx.update(User::update(ann + 100).set(User::NAME, "x"))
                .await
        })
        .await
        .unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "User" }),
        "{missing:?}"
    );
    let db2 = db.clone();
    let task = tokio::spawn(async move {
        let tx = db2.begin().await?;
        tx.insert(&User::new("Eve", "eve@x.test")).await?;
        tx.commit().await
    });
    task.await.unwrap().unwrap();
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("eve@x.test")))
            .await
            .unwrap(),
        1
    );
}

pub async fn tx_insert_then_update_is_one_write<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let ann = db
        .transaction(async |tx| {
            let ann = tx.insert(&User::new("Ann", "ann@x.test")).await?;
            assert_eq!(tx.get::<User>(ann).await?.name, "Ann", "reads its insert");
            tx.update(User::update(ann).set(User::NAME, "Anna")).await?;
            tx.update(User::update(ann).set(User::NAME, "Anne")).await?;
            assert_eq!(tx.get::<User>(ann).await?.name, "Anne");
            let by_email = tx
                .first(User::query().filter(User::EMAIL.eq("ann@x.test")))
                .await?;
            assert_eq!(by_email.map(|u| u.name), Some("Anne".to_owned()));
            Ok(ann)
        })
        .await
        .unwrap();
    assert_eq!(db.get::<User>(ann).await.unwrap().name, "Anne");
    // Updates of a stored row merge, then a delete wins.
    let bob = db.insert(&User::new("Bob", "bob@x.test")).await.unwrap();
    db.transaction(async |tx| {
        tx.update(User::update(ann).set(User::NAME, "A")).await?;
        tx.update(User::update(ann).set(User::EMAIL, "a@x.test"))
            .await?;
        tx.update(User::update(bob).set(User::NAME, "B")).await?;
        tx.delete(User::delete(bob)).await?;
        assert!(tx.find::<User>(bob).await?.is_none(), "reads its delete");
        Ok(())
    })
    .await
    .unwrap();
    let a = db.get::<User>(ann).await.unwrap();
    assert_eq!((a.name.as_str(), a.email.as_str()), ("A", "a@x.test"));
    assert!(db.find::<User>(bob).await.unwrap().is_none());
    // Both old emails are free.
    db.insert(&User::new("x", "ann@x.test")).await.unwrap();
    db.insert(&User::new("y", "bob@x.test")).await.unwrap();
}

pub async fn tx_insert_then_delete_leaves_nothing<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    db.transaction(async |tx| {
        let ann = tx.insert(&User::new("Ann", "ann@x.test")).await?;
        tx.update(User::update(ann).set(User::NAME, "Anna")).await?;
        tx.delete(User::delete(ann)).await?;
        assert!(tx.find::<User>(ann).await?.is_none());
        let n = tx
            .count(User::query().filter(User::EMAIL.eq("ann@x.test")))
            .await?;
        assert_eq!(n, 0);
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 0);
    // Its email was never taken.
    db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 1);
}

pub async fn tx_insert_then_update_of_a_unique_column<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let ann = db
        .transaction(async |tx| {
            let ann = tx.insert(&User::new("Ann", "old@x.test")).await?;
            tx.update(User::update(ann).set(User::EMAIL, "new@x.test"))
                .await?;
            Ok(ann)
        })
        .await
        .unwrap();
    assert_eq!(db.get::<User>(ann).await.unwrap().email, "new@x.test");
    db.insert(&User::new("Free", "old@x.test")).await.unwrap();
    let taken = db.insert(&User::new("Taken", "new@x.test")).await;
    assert!(
        matches!(&taken, Err(Error::UniqueViolation { index, .. }) if index == "users_email_key"),
        "{taken:?}"
    );
    // A value claimed twice in one transaction is a duplicate at once.
    let err = db
        .transaction(async |tx| {
            let a = tx.insert(&User::new("A", "a@x.test")).await?;
            let b = tx.insert(&User::new("B", "b@x.test")).await?;
            tx.update(User::update(a).set(User::EMAIL, "c@x.test"))
                .await?;
            tx.update(User::update(b).set(User::EMAIL, "c@x.test"))
                .await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    // A value one row gives up, another takes, in one transaction.
    let free = db
        .first(User::query().filter(User::EMAIL.eq("old@x.test")))
        .await
        .unwrap()
        .unwrap();
    db.transaction(async |tx| {
        tx.update(User::update(free.id).set(User::EMAIL, "moved@x.test"))
            .await?;
        tx.insert(&User::new("Heir", "old@x.test")).await?;
        Ok(())
    })
    .await
    .unwrap();
    let heir = db
        .first(User::query().filter(User::EMAIL.eq("old@x.test")))
        .await
        .unwrap();
    assert_eq!(heir.map(|u| u.name), Some("Heir".to_owned()));
}

pub async fn tx_delete_then_insert_replaces<B: Backend>(db: &Db<B>) {
    db.create_schema::<Message>().await.unwrap();
    let first = Message {
        channel: "c".into(),
        sent_at: 1,
        body: "old".into(),
    };
    db.insert(&first).await.unwrap();
    db.transaction(async |tx| {
        tx.delete(Message::delete(("c".to_owned(), 1))).await?;
        tx.insert(&Message {
            body: "new".into(),
            ..first.clone()
        })
        .await?;
        Ok(())
    })
    .await
    .unwrap();
    let got = db.get::<Message>(("c".to_owned(), 1)).await.unwrap();
    assert_eq!(got.body, "new");
}

pub async fn tx_rollback_of_composed_writes<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let tx = db.begin().await.unwrap();
    let bob = tx.insert(&User::new("Bob", "bob@x.test")).await.unwrap();
    tx.update(User::update(bob).set(User::EMAIL, "bob2@x.test"))
        .await
        .unwrap();
    let carol = tx
        .insert(&User::new("Carol", "carol@x.test"))
        .await
        .unwrap();
    tx.delete(User::delete(carol)).await.unwrap();
    tx.update(User::update(ann).set(User::EMAIL, "ann2@x.test"))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 1);
    assert_eq!(db.get::<User>(ann).await.unwrap().email, "ann@x.test");
    for email in ["bob@x.test", "bob2@x.test", "carol@x.test", "ann2@x.test"] {
        db.insert(&User::new("free", email)).await.unwrap();
    }
    let dup = db.insert(&User::new("dup", "ann@x.test")).await;
    assert!(matches!(dup, Err(Error::UniqueViolation { .. })), "{dup:?}");
}
