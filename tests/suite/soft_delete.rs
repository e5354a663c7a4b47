//! Soft delete: a delete stamps the deleted-at column; queries, counts,
//! includes, lazy loads and lookups by key leave stamped rows out unless
//! asked; restore and hard delete. Every backend, DynamoDB included.

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Memo, User};

pub async fn soft_deleted_rows_are_left_out<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Memo)>().await.unwrap();
    let ann = db
        .create(User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let ids = db
        .insert_many(&[
            Memo::new(ann.id, "milk"),
            Memo::new(ann.id, "tax"),
            Memo::new(ann.id, "call"),
        ])
        .await
        .unwrap();
    let mine = || Memo::query().filter(Memo::USER_ID.eq(ann.id));

    // Deleting stamps the row.
    db.delete(Memo::delete(ids[1])).await.unwrap();
    assert_eq!(db.count(mine()).await.unwrap(), 2);
    assert_eq!(db.count(mine().with_deleted()).await.unwrap(), 3);
    let gone = db.all(mine().only_deleted()).await.unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].text, "tax");
    assert!(
        gone[0].deleted_at.is_some_and(|t| t > 1_700_000_000),
        "stamped now"
    );
    assert!(db.find::<Memo>(ids[1]).await.unwrap().is_none());
    let missing = db.get::<Memo>(ids[1]).await.unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "Memo" }),
        "{missing:?}"
    );
    // Deleting it again: it is not there.
    let again = db.delete(Memo::delete(ids[1])).await.unwrap_err();
    assert!(
        matches!(again, Error::NotFound { entity: "Memo" }),
        "{again:?}"
    );
    // Projections and first see the live rows only.
    let texts: Vec<String> = db.all(mine().select(Memo::TEXT)).await.unwrap();
    assert!(!texts.contains(&"tax".to_string()), "{texts:?}");

    // Includes and lazy loads leave it out.
    let users = db
        .all(
            User::query()
                .filter(User::ID.eq(ann.id))
                .include(User::MEMOS),
        )
        .await
        .unwrap();
    assert_eq!(users[0].get(User::MEMOS).len(), 2);
    let loaded = User::MEMOS.load(&ann, db).await.unwrap();
    assert_eq!(loaded.len(), 2);
    assert_eq!(db.count(User::MEMOS.of(&ann).unwrap()).await.unwrap(), 2);

    // A stamped row keeps its unique values: another row cannot take them,
    // so restoring it never collides.
    let taken = db.insert(&Memo::new(ann.id, "tax")).await.unwrap_err();
    assert!(
        matches!(&taken, Error::UniqueViolation { entity: "Memo", index } if index == "memos_text_key"),
        "{taken:?}"
    );

    // Restored: seen again.
    db.restore::<Memo>(ids[1]).await.unwrap();
    assert_eq!(db.count(mine()).await.unwrap(), 3);
    assert_eq!(db.get::<Memo>(ids[1]).await.unwrap().deleted_at, None);

    // By filter: the matching live rows stamped, the count of them returned.
    let n = db
        .delete(mine().filter(Memo::ID.in_list([ids[0], ids[2]])).delete())
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(db.count(mine()).await.unwrap(), 1);
    assert_eq!(db.count(mine().only_deleted()).await.unwrap(), 2);

    // A hard delete removes the row, soft-deleted or not.
    db.delete(Memo::delete(ids[0]).hard()).await.unwrap();
    assert_eq!(db.count(mine().with_deleted()).await.unwrap(), 2);
    let n = db
        .delete(mine().with_deleted().delete().hard())
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(db.count(mine().with_deleted()).await.unwrap(), 0);
    let err = db.restore::<Memo>(ids[0]).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { entity: "Memo" }), "{err:?}");
    // An entity without the column cannot be restored.
    let err = db.restore::<User>(ann.id).await.unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
}
