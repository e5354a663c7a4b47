//! Every value type round-trips exactly; hostile strings are inert; what a
//! backend cannot store is refused clearly.

use keyway::prelude::*;
use keyway::{Backend, Error, Supports, Unindexed};

use super::Limits;
use super::limits::{is_negative_zero, same_kinds};
use crate::model::{Kinds, User};

pub async fn every_type_round_trips<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<Kinds>().await.unwrap();
    let k = Kinds::sample("a");
    db.insert(&k).await.unwrap();
    assert_eq!(db.get::<Kinds>("a".to_string()).await.unwrap(), k);
    let nulls = Kinds {
        maybe_int: None,
        maybe_text: None,
        maybe_bytes: None,
        maybe_double: None,
        ..Kinds::sample("b")
    };
    db.insert(&nulls).await.unwrap();
    assert_eq!(db.get::<Kinds>("b".to_string()).await.unwrap(), nulls);
    let found: Vec<Kinds> = db
        .all(Kinds::query().filter(Kinds::MAYBE_INT.eq(7)))
        .await
        .unwrap();
    assert_eq!(found, [k]);
}

/// `v`, or `instead` where the backend cannot store `v`.
fn float_or(limits: &Limits, v: f64, instead: f64) -> f64 {
    if limits.float_fits(v) { v } else { instead }
}

pub async fn extreme_values_round_trip<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
    limits: &Limits,
) {
    db.create_schema::<Kinds>().await.unwrap();
    let rows = [
        Kinds {
            flag: false,
            small: i16::MIN,
            medium: i32::MIN,
            large: i64::MIN,
            unsigned: 0,
            huge: 0,
            single: f32::MIN_POSITIVE,
            double: float_or(limits, f64::NEG_INFINITY, f64::MIN),
            text: String::new(),
            bytes: Vec::new(),
            maybe_int: Some(i64::MAX),
            maybe_text: Some(String::new()),
            maybe_bytes: Some(vec![0; 70_000]),
            maybe_double: Some(float_or(limits, -0.0, 0.0)),
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
            double: float_or(limits, f64::INFINITY, f64::MAX),
            maybe_double: Some(f64::MAX),
            tiny: i8::MAX,
            octet: u8::MAX,
            word: u16::MAX,
            ..Kinds::sample("max")
        },
    ];
    db.insert_many(&rows).await.unwrap();
    for row in &rows {
        let back = db.get::<Kinds>(row.key.clone()).await.unwrap();
        // Floats bit for bit: -0.0 keeps its sign where it is stored.
        assert!(same_kinds(&back, row), "wrote {row:?}, read {back:?}");
    }
    for (column, found) in [
        ("tiny", Kinds::query().filter(Kinds::TINY.eq(i8::MIN))),
        ("octet", Kinds::query().filter(Kinds::OCTET.eq(u8::MAX))),
        ("word", Kinds::query().filter(Kinds::WORD.eq(u16::MAX))),
    ] {
        let keys: Vec<String> = db.all(found.select(Kinds::KEY)).await.unwrap();
        let want = if column == "tiny" { "min" } else { "max" };
        assert_eq!(keys, [want], "a filter on {column}");
    }
    let by_large: Vec<String> = db
        .all(
            Kinds::query()
                .filter(Kinds::LARGE.eq(i64::MIN))
                .select(Kinds::KEY),
        )
        .await
        .unwrap();
    assert_eq!(by_large, ["min"]);
}

/// Strings an attacker might send, and strings that break naive quoting.
pub fn hostile_strings() -> Vec<String> {
    vec![
        "O'Brien".into(),
        "\"quoted\" `ticks`".into(),
        "'; DROP TABLE users; --".into(),
        "1 OR 1=1".into(),
        "back\\slash \\' \\\"".into(),
        "nul\0inside".into(),
        "emoji 🦀🔑 and ünïcödé, 中文".into(),
        "$1 ? :name @p1 %s".into(),
        "x".repeat(1 << 20),
    ]
}

pub async fn hostile_strings_are_inert<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
    limits: &Limits,
) {
    db.create_schema::<(User, Kinds)>().await.unwrap();
    // What the backend refuses is checked by `unstorable_values_are_refused`.
    let strings: Vec<String> = hostile_strings()
        .into_iter()
        .filter(|s| limits.text_fits(s))
        .collect();
    let mut keys = 0;
    for (i, s) in strings.iter().enumerate() {
        let id = db
            .insert(&User::new(s, &format!("{i}@x.test")))
            .await
            .unwrap();
        assert_eq!(&db.get::<User>(id).await.unwrap().name, s);
        let found: Vec<i64> = db
            .all(
                User::query()
                    .filter(User::NAME.eq(s.as_str()))
                    .select(User::ID),
            )
            .await
            .unwrap();
        assert_eq!(found, [id]);
        if !limits.key_fits(s) {
            continue;
        }
        // As a key too.
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
        keys += 1;
    }
    let names: Vec<String> = db
        .all(
            User::query()
                .filter(User::NAME.in_list(strings.clone()))
                .select(User::NAME),
        )
        .await
        .unwrap();
    assert_eq!(names.len(), strings.len());
    assert_eq!(db.count(User::query()).await.unwrap(), strings.len() as u64);
    assert_eq!(db.count(Kinds::query()).await.unwrap(), keys);
}

/// Every value the backend cannot store is refused before anything is
/// written, with `Error::OutOfRange` naming the entity and column; NaN
/// round-trips where the backend stores it.
pub async fn unstorable_values_are_refused<B: Backend + Supports<Unindexed>>(
    db: &Db<B>,
    limits: &Limits,
) {
    db.create_schema::<(User, Kinds)>().await.unwrap();
    #[track_caller]
    fn out_of_range(err: Error, entity: &str, col: &str) {
        assert!(
            matches!(&err, Error::OutOfRange { entity: e, column, .. } if *e == entity && column == col),
            "expected OutOfRange on {entity}.{col}, got {err:?}"
        );
    }
    for s in hostile_strings() {
        if !limits.text_fits(&s) {
            let err = db.insert(&User::new(&s, "x@x.test")).await.unwrap_err();
            out_of_range(err, "User", "name");
        } else if !limits.key_fits(&s) {
            let err = db.insert(&Kinds::sample(&s)).await.unwrap_err();
            out_of_range(err, "Kinds", "key");
        }
    }
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0] {
        if limits.float_fits(v) {
            continue;
        }
        let double = Kinds {
            double: v,
            ..Kinds::sample("double")
        };
        out_of_range(db.insert(&double).await.unwrap_err(), "Kinds", "double_");
        let single = Kinds {
            single: v as f32,
            ..Kinds::sample("single")
        };
        out_of_range(db.insert(&single).await.unwrap_err(), "Kinds", "single");
        let maybe = Kinds {
            maybe_double: Some(v),
            ..Kinds::sample("maybe")
        };
        out_of_range(
            db.insert(&maybe).await.unwrap_err(),
            "Kinds",
            "maybe_double",
        );
    }
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
    assert_eq!(db.count(Kinds::query()).await.unwrap(), 0);
    if limits.float_nan {
        let nan = Kinds {
            single: f32::NAN,
            double: f64::NAN,
            maybe_double: Some(f64::NAN),
            ..Kinds::sample("nan")
        };
        db.insert(&nan).await.unwrap();
        let back = db.get::<Kinds>("nan".to_string()).await.unwrap();
        assert!(back.single.is_nan() && back.double.is_nan());
        assert!(back.maybe_double.is_some_and(f64::is_nan));
    }
    if limits.negative_zero {
        let zero = Kinds {
            single: -0.0,
            double: -0.0,
            maybe_double: Some(-0.0),
            ..Kinds::sample("zero")
        };
        db.insert(&zero).await.unwrap();
        let back = db.get::<Kinds>("zero".to_string()).await.unwrap();
        assert!(
            is_negative_zero(f64::from(back.single))
                && is_negative_zero(back.double)
                && back.maybe_double.is_some_and(is_negative_zero),
            "-0.0 lost its sign: {back:?}"
        );
    }
}
