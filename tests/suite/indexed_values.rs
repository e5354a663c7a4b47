//! Unique constraints, value round trips and hostile strings, through keys
//! and indexes only.

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Group, Kinds, Membership, User};

fn is_unique(err: &Error, entity: &str, index: &str) -> bool {
    matches!(err, Error::UniqueViolation { entity: e, index: i } if *e == entity && i == index)
}

pub async fn unique_constraints<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Kinds, Group, Membership)>()
        .await
        .unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let err = db
        .insert(&User::new("Other Ann", "ann@x.test"))
        .await
        .unwrap_err();
    assert!(is_unique(&err, "User", "users_email_key"), "{err:?}");
    db.insert(&Kinds::sample("k")).await.unwrap();
    let err = db.insert(&Kinds::sample("k")).await.unwrap_err();
    assert!(is_unique(&err, "Kinds", "PRIMARY"), "{err:?}");
    // A failed batch inserts nothing, whether it collides with a stored row
    // or within itself.
    let clash = [User::new("B", "b@x.test"), User::new("C", "ann@x.test")];
    let err = db.insert_many(&clash).await.unwrap_err();
    assert!(is_unique(&err, "User", "users_email_key"), "{err:?}");
    let twice = [User::new("D", "d@x.test"), User::new("E", "d@x.test")];
    assert!(matches!(
        db.insert_many(&twice).await,
        Err(Error::UniqueViolation { .. })
    ));
    let same_key = [Kinds::sample("x"), Kinds::sample("x")];
    let err = db.insert_many(&same_key).await.unwrap_err();
    assert!(is_unique(&err, "Kinds", "PRIMARY"), "{err:?}");
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 1);
    assert_eq!(db.count(Kinds::query().scan()).await.unwrap(), 1);
    for email in ["b@x.test", "d@x.test"] {
        assert_eq!(
            db.count(User::query().filter(User::EMAIL.eq(email)))
                .await
                .unwrap(),
            0
        );
    }
    // Updates: a taken value is refused and nothing changes; a freed value
    // can be taken again.
    let bob = db.insert(&User::new("Bob", "bob@x.test")).await.unwrap();
    let err = db
        .update(User::update(bob).set(User::EMAIL, "ann@x.test"))
        .await
        .unwrap_err();
    assert!(is_unique(&err, "User", "users_email_key"), "{err:?}");
    assert_eq!(db.get::<User>(bob).await.unwrap().email, "bob@x.test");
    db.update(
        User::update(bob)
            .set(User::EMAIL, "robert@x.test")
            .set(User::NAME, "Robert"),
    )
    .await
    .unwrap();
    let carol = db.insert(&User::new("Carol", "bob@x.test")).await.unwrap();
    db.update(User::update(carol).set(User::NAME, "Carol B"))
        .await
        .unwrap();
    db.update(User::update(carol).set(User::EMAIL, "bob@x.test"))
        .await
        .unwrap();
    let mut saved = db.get::<User>(carol).await.unwrap();
    saved.email = "robert@x.test".into();
    assert!(matches!(
        db.save(&saved).await,
        Err(Error::UniqueViolation { .. })
    ));
    // Deleting frees the value, by key and by filter.
    db.delete(User::delete(ann)).await.unwrap();
    let ann2 = db
        .insert(&User::new("Ann again", "ann@x.test"))
        .await
        .unwrap();
    db.delete(User::query().filter(User::EMAIL.eq("ann@x.test")).delete())
        .await
        .unwrap();
    assert!(db.find::<User>(ann2).await.unwrap().is_none());
    db.insert(&User::new("Ann third", "ann@x.test"))
        .await
        .unwrap();
    // A unique index over two columns.
    let g = db
        .insert(&Group {
            id: 0,
            name: "g".into(),
        })
        .await
        .unwrap();
    let err = db
        .insert(&Group {
            id: 0,
            name: "g".into(),
        })
        .await
        .unwrap_err();
    assert!(is_unique(&err, "Group", "groups__name_key"), "{err:?}");
    db.insert(&Membership::new(bob, g)).await.unwrap();
    db.insert(&Membership::new(carol, g)).await.unwrap();
    let err = db.insert(&Membership::new(bob, g)).await.unwrap_err();
    assert!(is_unique(&err, "Membership", "memberships_pair"), "{err:?}");
}

pub async fn values_round_trip<B: Backend>(db: &Db<B>) {
    db.create_schema::<Kinds>().await.unwrap();
    let rows = [
        Kinds::sample("plain"),
        Kinds {
            maybe_int: None,
            maybe_text: None,
            maybe_bytes: None,
            maybe_double: None,
            ..Kinds::sample("nulls")
        },
        Kinds {
            flag: false,
            small: i16::MIN,
            medium: i32::MIN,
            large: i64::MIN,
            unsigned: 0,
            huge: 0,
            single: f32::MIN_POSITIVE,
            double: -1e-100,
            text: String::new(),
            bytes: Vec::new(),
            maybe_int: Some(i64::MAX),
            maybe_text: Some(String::new()),
            maybe_bytes: Some(vec![0; 1000]),
            maybe_double: Some(0.1 + 0.2),
            tiny: i8::MIN,
            octet: 0,
            word: 0,
            ..Kinds::sample("min")
        },
        Kinds {
            small: i16::MAX,
            medium: i32::MAX,
            large: i64::MAX,
            unsigned: u32::MAX,
            huge: i64::MAX as u64,
            single: f32::MAX,
            double: 1.797_693_134_862_315e100,
            maybe_double: Some(f64::EPSILON),
            tiny: i8::MAX,
            octet: u8::MAX,
            word: u16::MAX,
            ..Kinds::sample("max")
        },
    ];
    db.insert_many(&rows).await.unwrap();
    for row in &rows {
        assert_eq!(&db.get::<Kinds>(row.key.clone()).await.unwrap(), row);
    }
    let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    let mut back = db
        .all(Kinds::query().filter(Kinds::KEY.in_list(keys)))
        .await
        .unwrap();
    back.sort_by(|a, b| a.key.cmp(&b.key));
    let mut want = rows.to_vec();
    want.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(back, want);
    let projected: Vec<(f32, f64, Vec<u8>, Option<f64>)> = db
        .all(Kinds::query().filter(Kinds::KEY.eq("min")).select((
            Kinds::SINGLE,
            Kinds::DOUBLE,
            Kinds::BYTES,
            Kinds::MAYBE_DOUBLE,
        )))
        .await
        .unwrap();
    assert_eq!(
        projected,
        [(f32::MIN_POSITIVE, -1e-100, vec![], Some(0.1 + 0.2))]
    );
    let by_scan: Vec<String> = db
        .all(
            Kinds::query()
                .scan()
                .filter(Kinds::LARGE.eq(i64::MIN))
                .select(Kinds::KEY),
        )
        .await
        .unwrap();
    assert_eq!(by_scan, ["min"]);
}

/// Strings an attacker might send, and strings that break naive quoting.
pub fn hostile_strings() -> Vec<String> {
    vec![
        "O'Brien".into(),
        "\"quoted\" `ticks`".into(),
        "'; DROP TABLE users; --".into(),
        "1 OR 1=1".into(),
        "back\\slash \\' \\\"".into(),
        "emoji 🦀🔑 and ünïcödé, 中文".into(),
        "$1 ? :name @p1 %s #n0 :v0 ${x}".into(),
        ") OR attribute_exists(id) OR (".into(),
    ]
}

pub async fn hostile_strings_are_inert<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Kinds)>().await.unwrap();
    let strings = hostile_strings();
    let mut ids = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        // As a plain value, a unique indexed value and a key.
        let id = db.insert(&User::new(s, &format!("{s}{i}"))).await.unwrap();
        ids.push(id);
        assert_eq!(&db.get::<User>(id).await.unwrap().name, s);
        let found: Vec<i64> = db
            .all(
                User::query()
                    .filter(User::EMAIL.eq(format!("{s}{i}")))
                    .select(User::ID),
            )
            .await
            .unwrap();
        assert_eq!(found, [id]);
        let k = Kinds {
            text: s.clone(),
            maybe_text: Some(s.clone()),
            ..Kinds::sample(s)
        };
        db.insert(&k).await.unwrap();
        assert_eq!(db.get::<Kinds>(s.clone()).await.unwrap(), k);
        db.update(Kinds::update(s.clone()).set(Kinds::MAYBE_TEXT, s.as_str()))
            .await
            .unwrap();
        let by_name: Vec<i64> = db
            .all(
                User::query()
                    .scan()
                    .filter(User::NAME.eq(s.as_str()))
                    .select(User::ID),
            )
            .await
            .unwrap();
        assert_eq!(by_name, [id]);
    }
    let long = "y".repeat(200_000);
    let id = db.insert(&User::new(&long, "long@x.test")).await.unwrap();
    assert_eq!(db.get::<User>(id).await.unwrap().name, long);
    let named = db
        .count(
            User::query()
                .scan()
                .filter(User::NAME.in_list(strings.clone())),
        )
        .await
        .unwrap();
    assert_eq!(named, strings.len() as u64);
    assert_eq!(
        db.count(Kinds::query().filter(Kinds::KEY.in_list(strings.clone())))
            .await
            .unwrap(),
        strings.len() as u64
    );
    assert_eq!(
        db.count(User::query().filter(User::ID.in_list(ids)))
            .await
            .unwrap(),
        strings.len() as u64
    );
}
