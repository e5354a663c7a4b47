//! Expiry on DynamoDB: the table's Time to Live turned on at schema
//! creation, on keyway's TTL attribute, which every write keeps equal to
//! the expiry in whole Unix seconds (rounded up), and which a NULL expiry
//! removes.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, TimeToLiveStatus};
use jiff::{SignedDuration, Timestamp};
use keyway::{ColumnDef, TTL_ATTRIBUTE};

use super::*;
use crate::model::{Session, User};

/// A lease whose expiry is Unix seconds, which a renewal moves forward.
struct Lease {
    name: String,
    until: i64,
}

impl Lease {
    const NAME: Column<Lease, String, PrimaryKey> = Column::new("name");
    const UNTIL: Column<Lease, i64> = Column::new("until").expires_at();
}

impl Entity for Lease {
    type Key = String;
    const TABLE: &'static str = "leases";
    const COLUMNS: &'static [ColumnDef] = &[Lease::NAME.def(), Lease::UNTIL.def()];
    fn key(&self) -> String {
        self.name.clone()
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Lease::NAME, &self.name);
        row.put(Lease::UNTIL, &self.until);
    }
    fn read(row: &mut impl RowReader<Self>) -> keyway::Result<Self> {
        Ok(Lease {
            name: row.get(Lease::NAME)?,
            until: row.get(Lease::UNTIL)?,
        })
    }
}

/// The TTL attribute of the item with `key` in `table`, as DynamoDB holds it.
async fn ttl_of(db: &Db<DynamoDb>, table: &str, key: (&str, &str)) -> Option<String> {
    let item: HashMap<String, AttributeValue> = db
        .executor()
        .client()
        .get_item()
        .table_name(db.executor().table_name(table))
        .key(key.0, AttributeValue::S(key.1.into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    item.get(TTL_ATTRIBUTE).map(|a| a.as_n().unwrap().clone())
}

#[tokio::test]
async fn time_to_live_follows_the_expiry_column() {
    let db = open().await;
    db.create_schema::<(User, Session, Lease)>().await.unwrap();
    for table in ["sessions", "leases"] {
        let ttl = db
            .executor()
            .client()
            .describe_time_to_live()
            .table_name(db.executor().table_name(table))
            .send()
            .await
            .unwrap()
            .time_to_live_description
            .unwrap();
        assert_eq!(ttl.time_to_live_status, Some(TimeToLiveStatus::Enabled));
        assert_eq!(ttl.attribute_name.as_deref(), Some(TTL_ATTRIBUTE));
    }
    // Created again: nothing to change, no error.
    db.create_schema::<(User, Session, Lease)>().await.unwrap();

    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    // 1.25 s into a second: DynamoDB may delete it from the next second on.
    let at = Timestamp::from_microsecond(1_900_000_001_250_000).unwrap();
    db.insert(&Session::new("s", ann, Some(at))).await.unwrap();
    assert_eq!(
        ttl_of(&db, "sessions", ("token", "s")).await.as_deref(),
        Some("1900000002")
    );
    // The column keeps its microseconds.
    assert_eq!(db.get::<Session>("s").await.unwrap().expires, Some(at));

    let later = at + SignedDuration::from_secs(10);
    db.update(Session::update("s").set(Session::EXPIRES, Some(later)))
        .await
        .unwrap();
    assert_eq!(
        ttl_of(&db, "sessions", ("token", "s")).await.as_deref(),
        Some("1900000012")
    );
    db.update(Session::update("s").set(Session::EXPIRES, None))
        .await
        .unwrap();
    assert_eq!(ttl_of(&db, "sessions", ("token", "s")).await, None);

    // In a transaction, and with `.returning()`.
    let tx = db.begin().await.unwrap();
    tx.update(Session::update("s").set(Session::EXPIRES, Some(at)))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        ttl_of(&db, "sessions", ("token", "s")).await.as_deref(),
        Some("1900000002")
    );
    let back = db
        .update(
            Session::update("s")
                .set(Session::EXPIRES, Some(later))
                .returning(),
        )
        .await
        .unwrap();
    assert_eq!(back.expires, Some(later));
    assert_eq!(
        ttl_of(&db, "sessions", ("token", "s")).await.as_deref(),
        Some("1900000012")
    );

    // Seconds are their own TTL; a renewal moves both.
    db.insert(&Lease {
        name: "l".into(),
        until: 1_900_000_000,
    })
    .await
    .unwrap();
    db.update(Lease::update("l").increment(Lease::UNTIL, 60))
        .await
        .unwrap();
    assert_eq!(db.get::<Lease>("l").await.unwrap().until, 1_900_000_060);
    assert_eq!(
        ttl_of(&db, "leases", ("name", "l")).await.as_deref(),
        Some("1900000060")
    );
}

/// A migration making `until` the expiry of a table that has items: the
/// TTL attribute filled from it on each, Time to Live on; undone, off.
#[tokio::test]
async fn a_migration_fills_the_ttl_attribute() {
    use keyway::Executor;
    use keyway::migrate::{Change, SchemaSpec, Step, TableSpec};
    let db = open().await;
    let after = TableSpec::of(&keyway::TableDef::of::<Lease>());
    let before = TableSpec {
        expires_at: None,
        ..after.clone()
    };
    let x = db.executor();
    x.create_table(before.to_def().unwrap()).await.unwrap();
    let table = x.table_name("leases");
    for (name, until) in [("a", Some("1900000000")), ("b", None)] {
        let mut put = x
            .client()
            .put_item()
            .table_name(&table)
            .item("name", AttributeValue::S(name.into()));
        if let Some(u) = until {
            put = put.item("until", AttributeValue::N(u.into()));
        }
        put.send().await.unwrap();
    }
    let ttl_status = || async {
        x.client()
            .describe_time_to_live()
            .table_name(&table)
            .send()
            .await
            .unwrap()
            .time_to_live_description
            .and_then(|d| d.time_to_live_status)
    };
    assert_ne!(ttl_status().await, Some(TimeToLiveStatus::Enabled));
    let step = Step::SetExpiry {
        table: "leases".into(),
        from: None,
        to: Some("until".into()),
    };
    let (v1, v2) = (
        SchemaSpec {
            tables: vec![before],
        },
        SchemaSpec {
            tables: vec![after],
        },
    );
    x.lock_migrations().await.unwrap();
    let up = Change {
        step: &step,
        before: &v1,
        after: &v2,
    };
    x.apply_change(&up).await.unwrap();
    assert_eq!(ttl_status().await, Some(TimeToLiveStatus::Enabled));
    assert_eq!(
        ttl_of(&db, "leases", ("name", "a")).await.as_deref(),
        Some("1900000000")
    );
    assert_eq!(ttl_of(&db, "leases", ("name", "b")).await, None);
    let inverse = step.inverse();
    let down = Change {
        step: &inverse,
        before: &v2,
        after: &v1,
    };
    x.apply_change(&down).await.unwrap();
    assert_ne!(ttl_status().await, Some(TimeToLiveStatus::Enabled));
    x.unlock_migrations().await.unwrap();
}

/// Where DynamoDB's own deletions would skip keyway's delete logic, Time
/// to Live stays off (a unique index: `purge_expired` deletes those rows)
/// or the reference is refused (a foreign key onto expiring items).
#[tokio::test]
async fn time_to_live_stays_off_where_it_would_break_rules() {
    use keyway::Executor;
    use keyway::migrate::{ColumnSpec, TableSpec};
    let db = open().await;
    let x = db.executor();
    let sessions = TableSpec::of(&keyway::TableDef::of::<Session>());
    let unique = TableSpec {
        name: "unique_sessions".into(),
        indexes: vec![keyway::IndexSchema {
            name: "unique_sessions_user_id_key".into(),
            columns: vec!["user_id".into()],
            unique: true,
        }],
        ..sessions.clone()
    };
    x.create_table(unique.to_def().unwrap()).await.unwrap();
    let status = x
        .client()
        .describe_time_to_live()
        .table_name(x.table_name("unique_sessions"))
        .send()
        .await
        .unwrap()
        .time_to_live_description
        .and_then(|d| d.time_to_live_status);
    assert_ne!(status, Some(TimeToLiveStatus::Enabled));
    x.create_table(sessions.to_def().unwrap()).await.unwrap();
    let column = |name: &str, ty: &str| ColumnSpec {
        name: name.into(),
        ty: ty.parse().unwrap(),
        nullable: false,
        auto: false,
        embedded_in: None,
    };
    let child = TableSpec {
        name: "session_events".into(),
        columns: vec![column("id", "i64"), column("token", "text")],
        primary_key: vec!["id".into()],
        indexes: Vec::new(),
        foreign_keys: vec![keyway::ForeignKeySchema {
            column: "token".into(),
            parent_table: "sessions".into(),
            parent_column: "token".into(),
            on_delete: "cascade".into(),
        }],
        expires_at: None,
        layout: None,
    };
    let refused = x.create_table(child.to_def().unwrap()).await.unwrap_err();
    assert!(
        matches!(&refused, keyway::Error::Unsupported { detail, .. } if detail.contains("ON DELETE")),
        "{refused:?}"
    );
}
