//! One path inside a JSON document set without rewriting the rest, on every
//! backend: the same rows changed, the same refusals, in and out of
//! transactions.

use keyway::prelude::*;
use keyway::{Backend, Error};
use serde_json::json;
use uuid::Uuid;

use crate::model::{Card, Prefs, Reading};

fn sensor(n: u128) -> Uuid {
    Uuid::from_u128(0xd0c0_0000_0000_0000_0000_0000_0000_0000 | n)
}

pub async fn document_paths_update_in_place<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(1);
    let first = Reading::sample(s, 1);
    db.insert(&first).await.unwrap();
    db.update(
        Reading::update(first.key())
            .set_path(Reading::META.path(["labels", "color"]), "blue")
            .set_path(
                Reading::META.path(["labels", "shape"]),
                json!({"sides": [3, 4]}),
            )
            .set_path(Reading::META.path(["ratio"]), 0.5)
            .set_path(Reading::META.path(["added"]), json!(null))
            .set(Reading::BATCH, None::<Uuid>),
    )
    .await
    .unwrap();
    let mut want = first.meta.clone();
    want["labels"]["color"] = json!("blue");
    want["labels"]["shape"] = json!({"sides": [3, 4]});
    want["ratio"] = json!(0.5);
    want["added"] = json!(null);
    let back = db.get::<Reading>(first.key()).await.unwrap();
    assert_eq!(back.meta, want);
    assert_eq!(back.batch, None);
    assert_eq!(back.price, first.price);
    // The same path set twice: the later value.
    db.update(
        Reading::update(first.key())
            .set_path(Reading::META.path(["tags"]), json!(["x"]))
            .set_path(Reading::META.path(["tags"]), json!(["y"])),
    )
    .await
    .unwrap();
    let back = db.get::<Reading>(first.key()).await.unwrap();
    assert_eq!(back.meta["tags"], json!(["y"]));
}

pub async fn document_paths_need_their_parent<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(2);
    let docs = [
        json!({"labels": {"color": "red"}}),
        json!({"labels": "flat"}),
        json!({"other": 1}),
        json!([1, 2]),
        json!({"labels": {}}),
    ];
    let rows: Vec<Reading> = docs
        .iter()
        .enumerate()
        .map(|(i, meta)| Reading {
            meta: meta.clone(),
            ..Reading::sample(s, i as i64)
        })
        .collect();
    db.insert_many(&rows).await.unwrap();
    // By key, a document without the parent: nothing written, and told
    // apart from a missing row.
    let lacking =
        Reading::update(rows[2].key()).set_path(Reading::META.path(["labels", "color"]), "x");
    assert!(matches!(
        db.update(lacking).await,
        Err(Error::ConditionFailed)
    ));
    let flat =
        Reading::update(rows[1].key()).set_path(Reading::META.path(["labels", "color"]), "x");
    assert!(matches!(db.update(flat).await, Err(Error::ConditionFailed)));
    let array = Reading::update(rows[3].key()).set_path(Reading::META.path(["labels"]), "x");
    assert!(matches!(
        db.update(array).await,
        Err(Error::ConditionFailed)
    ));
    let missing = Reading::update((s, Reading::sample(s, 99).at))
        .set_path(Reading::META.path(["labels", "color"]), "x");
    assert!(matches!(
        db.update(missing).await,
        Err(Error::NotFound { .. })
    ));
    // By filter: the rows whose document has the parent, and only them.
    let matched = db
        .update(
            Reading::query()
                .filter(Reading::SENSOR.eq(s))
                .update()
                .set_path(Reading::META.path(["labels", "color"]), "green"),
        )
        .await
        .unwrap();
    assert_eq!(matched, 2);
    let mut after: Vec<Reading> = db
        .all(Reading::query().filter(Reading::SENSOR.eq(s)))
        .await
        .unwrap();
    after.sort_by_key(|r| r.at);
    let metas: Vec<_> = after.into_iter().map(|r| r.meta).collect();
    assert_eq!(
        metas,
        [
            json!({"labels": {"color": "green"}}),
            docs[1].clone(),
            docs[2].clone(),
            docs[3].clone(),
            json!({"labels": {"color": "green"}}),
        ]
    );
}

pub async fn document_path_refusals<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let row = Reading::sample(sensor(3), 0);
    db.insert(&row).await.unwrap();
    let both = Reading::update(row.key())
        .set(Reading::META, json!({}))
        .set_path(Reading::META.path(["a"]), 1);
    assert!(matches!(
        db.update(both).await,
        Err(Error::Invalid { what: "update", .. })
    ));
    let nested = Reading::update(row.key())
        .set_path(Reading::META.path(["labels"]), json!({}))
        .set_path(Reading::META.path(["labels", "color"]), "x");
    assert!(matches!(
        db.update(nested).await,
        Err(Error::Invalid { what: "update", .. })
    ));
    let hostile = Reading::update(row.key()).set_path(Reading::META.path(["labels", "a\"b"]), 1);
    let err = db.update(hostile).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { column, .. } if column == "meta"),
        "{err}"
    );
    let empty = Reading::update(row.key()).set_path(Reading::META.path(Vec::<String>::new()), 1);
    assert!(matches!(
        db.update(empty).await,
        Err(Error::OutOfRange { .. })
    ));
    assert_eq!(db.get::<Reading>(row.key()).await.unwrap(), row);
}

pub async fn document_paths_in_transactions<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(4);
    let (a, b) = (Reading::sample(s, 0), Reading::sample(s, 1));
    db.insert_many(&[a.clone(), b.clone()]).await.unwrap();
    db.transaction(async |tx| {
        tx.update(Reading::update(a.key()).set_path(Reading::META.path(["labels", "size"]), 7))
            .await?;
        tx.update(Reading::update(a.key()).set_path(Reading::META.path(["labels", "color"]), "tx"))
            .await?;
        Ok(())
    })
    .await
    .unwrap();
    let got = db.get::<Reading>(a.key()).await.unwrap();
    assert_eq!(got.meta["labels"], json!({"color": "tx", "size": 7}));
    assert_eq!(got.meta["tags"], a.meta["tags"]);
    // A failed path update inside a transaction: the transaction's error,
    // and nothing of it written.
    let failed = db
        .transaction(async |tx| {
            tx.update(Reading::update(b.key()).set_path(Reading::META.path(["ratio"]), 1))
                .await?;
            tx.update(Reading::update(b.key()).set_path(Reading::META.path(["nope", "x"]), 1))
                .await?;
            Ok(())
        })
        .await;
    assert!(matches!(failed, Err(Error::ConditionFailed)), "{failed:?}");
    assert_eq!(db.get::<Reading>(b.key()).await.unwrap(), b);
}

/// A document that is a field of an embedded struct: its paths set in and
/// out of transactions; the struct set whole with a path inside it refused.
pub async fn document_paths_inside_embedded_structs<B: Backend>(db: &Db<B>) {
    db.create_schema::<Card>().await.unwrap();
    db.insert(&Card::new(1, json!({"a": {"b": 1}, "keep": true})))
        .await
        .unwrap();
    let extra = || Card::PREFS.field(Prefs::EXTRA);
    db.update(Card::update(1).set_path(extra().path(["a", "b"]), 2))
        .await
        .unwrap();
    db.transaction(async |tx| {
        tx.update(Card::update(1).set_path(extra().path(["a", "c"]), "tx"))
            .await?;
        Ok(())
    })
    .await
    .unwrap();
    let card = db.get::<Card>(1).await.unwrap();
    assert_eq!(
        card.prefs.extra,
        json!({"a": {"b": 2, "c": "tx"}, "keep": true})
    );
    assert_eq!(card.prefs.theme, "dark");
    let missing = Card::update(1).set_path(extra().path(["nope", "x"]), 1);
    assert!(matches!(
        db.update(missing).await,
        Err(Error::ConditionFailed)
    ));
    let both = Card::update(1)
        .set_embedded(
            Card::PREFS,
            Prefs {
                theme: "light".into(),
                extra: json!({}),
            },
        )
        .set_path(extra().path(["a"]), 1);
    assert!(matches!(
        db.update(both).await,
        Err(Error::Invalid { what: "update", .. })
    ));
    assert_eq!(db.get::<Card>(1).await.unwrap(), card);
}
