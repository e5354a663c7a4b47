//! Time, UUID, decimal, enum and JSON values on every backend, through keys
//! and indexes only: exact round trips, time-ordered sort keys, and values
//! refused before anything is stored.

use keyway::prelude::*;
use keyway::{Backend, Error, Filter, Indexed, Numeric, Select, Unindexed};
use proptest::prelude::{Just, Strategy, any};
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::model::{Device, Level, RawTicket, Reading, Source, State, Ticket, Tier};

fn sensor(n: u128) -> Uuid {
    Uuid::from_u128(0xfeed_0000_0000_0000_0000_0000_0000_0000 | n)
}

fn is_out_of_range(err: &Error, column: &str) -> bool {
    matches!(err, Error::OutOfRange { entity: "Reading", column: c, .. } if c == column)
}

pub async fn typed_values_round_trip<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(1);
    let first = Reading::sample(s, 0);
    let mut second = Reading::sample(s, 1);
    second.checked_at = Some(jiff::Timestamp::from_second(-86_400 * 365).unwrap());
    second.batch = None;
    second.level = Level::Alarm;
    second.source = Source::Manual;
    second.price = Decimal::new(5, 0);
    second.exact = Numeric::parse("-0.000001").unwrap();
    second.day = jiff::civil::date(1000, 1, 1);
    second.local = jiff::civil::date(9999, 12, 31).at(23, 59, 59, 999_999_000);
    second.time = jiff::civil::Time::midnight();
    second.meta = serde_json::json!([1, "two", {"three": [3.5]}, false, null]);
    second.calibration.0.by = Some("Zoë \u{1F600} \"quoted\"".into());
    db.insert_many(&[first.clone(), second.clone()])
        .await
        .unwrap();
    assert_eq!(db.get::<Reading>(first.key()).await.unwrap(), first);
    let back = db.get::<Reading>(second.key()).await.unwrap();
    assert_eq!(back, second);
    // A decimal comes back at its column's scale: 5 was stored as 5.00.
    assert_eq!(back.price.to_string(), "5.00");
    assert_eq!(back.exact.to_string(), "-0.000001");
    // Finer than a microsecond is dropped toward the past.
    let mut fine = Reading::sample(s, 2);
    fine.at = jiff::Timestamp::new(1_800_000_000, 123_456_789).unwrap();
    db.insert(&fine).await.unwrap();
    let stored = jiff::Timestamp::new(1_800_000_000, 123_456_000).unwrap();
    let back = db.get::<Reading>((s, stored)).await.unwrap();
    assert_eq!(back.at, stored);
    // Updates by key write each type.
    db.update(
        Reading::update(first.key())
            .set(Reading::LEVEL, Level::Info)
            .set(Reading::PRICE, Decimal::new(12345, 1))
            .set(Reading::CHECKED_AT, Some(stored))
            .set(Reading::META, serde_json::json!({"after": true}))
            .set(Reading::BATCH, None::<Uuid>),
    )
    .await
    .unwrap();
    let updated = db.get::<Reading>(first.key()).await.unwrap();
    assert_eq!(updated.level, Level::Info);
    assert_eq!(updated.price.to_string(), "1234.50");
    assert_eq!(updated.checked_at, Some(stored));
    assert_eq!(updated.meta, serde_json::json!({"after": true}));
    assert_eq!(updated.batch, None);
}

/// Instants order as time on every backend: range conditions and order on
/// the sort key, before and after 1970.
pub async fn instants_order_as_time<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(2);
    let offsets = [-1_767_225_600_000_001, -1, 0, 1, 86_400_000_000];
    let rows: Vec<_> = offsets.iter().map(|&us| Reading::sample(s, us)).collect();
    db.insert_many(&rows).await.unwrap();
    db.insert(&Reading::sample(sensor(3), 0)).await.unwrap();
    let at = |i: usize| rows[i].at;
    let times = async |query: Select<Reading, Indexed>| -> Vec<jiff::Timestamp> {
        db.all(query)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.at)
            .collect()
    };
    let of = |f| {
        Reading::query()
            .filter(Reading::SENSOR.eq(s).and(f))
            .order_by(Reading::AT.asc())
    };
    assert_eq!(times(of(Reading::AT.lt(at(2)))).await, [at(0), at(1)]);
    assert_eq!(
        times(of(Reading::AT.ge(at(2)))).await,
        [at(2), at(3), at(4)]
    );
    assert_eq!(times(of(Reading::AT.eq(at(3)))).await, [at(3)]);
    let newest = Reading::query()
        .filter(Reading::SENSOR.eq(s))
        .order_by(Reading::AT.desc())
        .limit(2);
    assert_eq!(times(newest).await, [at(4), at(3)]);
}

/// A decimal beyond its column's scale or precision, in a write, an update
/// or a filter, is refused on every backend, never rounded; nothing is
/// stored.
pub async fn decimals_are_never_rounded<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(4);
    let stored = Reading::sample(s, 0);
    db.insert(&stored).await.unwrap();
    let mut finer = Reading::sample(s, 1);
    finer.price = Decimal::new(1234, 3);
    let err = db.insert(&finer).await.unwrap_err();
    assert!(is_out_of_range(&err, "price"), "{err:?}");
    let mut wider = Reading::sample(s, 1);
    wider.price = Decimal::new(100_000_000_000, 0);
    let err = db.insert(&wider).await.unwrap_err();
    assert!(is_out_of_range(&err, "price"), "{err:?}");
    let mut exact = Reading::sample(s, 1);
    exact.exact = Numeric::parse("1234567890123.0000001").unwrap();
    let err = db.insert(&exact).await.unwrap_err();
    assert!(is_out_of_range(&err, "exact"), "{err:?}");
    assert!(db.find::<Reading>((s, finer.at)).await.unwrap().is_none());
    let err = db
        .update(Reading::update(stored.key()).set(Reading::PRICE, Decimal::new(1, 3)))
        .await
        .unwrap_err();
    assert!(is_out_of_range(&err, "price"), "{err:?}");
    assert_eq!(db.get::<Reading>(stored.key()).await.unwrap(), stored);
    // Trailing zeros beyond the scale are not digits: 1.500 is 1.50.
    db.update(Reading::update(stored.key()).set(Reading::PRICE, Decimal::new(1500, 3)))
        .await
        .unwrap();
    assert_eq!(
        db.get::<Reading>(stored.key()).await.unwrap().price,
        Decimal::new(150, 2)
    );
}

/// An enum variant that `VARIANTS` does not list is refused when written;
/// a stored value that no variant has is a decode error naming the column.
pub async fn enums_refuse_unknown_values<B: Backend>(db: &Db<B>) {
    db.create_schema::<Ticket>().await.unwrap();
    let open = Ticket {
        id: 1,
        state: State::Open,
        tier: Tier::Paid,
    };
    db.insert(&open).await.unwrap();
    assert_eq!(db.get::<Ticket>(1).await.unwrap(), open);
    let lost = Ticket {
        id: 2,
        state: State::Lost,
        tier: Tier::Free,
    };
    let err = db.insert(&lost).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { entity: "Ticket", column, .. } if column == "state"),
        "{err:?}"
    );
    assert!(db.find::<Ticket>(2).await.unwrap().is_none());
    for (id, state, tier, column) in [(3, "archived", 0, "state"), (4, "open", 5, "tier")] {
        let raw = RawTicket {
            id,
            state: state.into(),
            tier,
        };
        db.insert(&raw).await.unwrap();
        let err = db.get::<Ticket>(id).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { entity: "Ticket", column: c, .. } if c == column),
            "{err:?}"
        );
    }
}

/// A JSON document of a few levels: strings, integers, fractional floats
/// (DynamoDB keeps a number's value, so `5.0` would read back as `5`), booleans,
/// nulls, arrays and objects.
fn document() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = proptest::prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        (1i64..1_000_000_000, 1u32..12).prop_map(|(n, e)| {
            let f = n as f64 / 10f64.powi(e as i32);
            if f.fract() == 0.0 {
                J::from(n)
            } else {
                J::from(f)
            }
        }),
        "[^\\x00]{0,8}".prop_map(J::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        proptest::prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

fn reading() -> impl Strategy<Value = Reading> {
    use keyway::{Field, Value};
    // Within every backend's range (MySQL's is 1000-01-01 to 9999-12-31).
    let instant = -30_610_224_000_000_000i64..253_402_214_400_000_000;
    let times = (
        any::<u128>(),
        instant.clone(),
        -354_285i32..2_932_896,
        instant.clone(),
        0..keyway::MICROS_PER_DAY,
        instant,
        proptest::option::of(0i64..4_000_000_000_000_000),
    );
    let lists = (
        proptest::collection::vec("[^\\x00]{0,6}", 0..4),
        proptest::collection::vec(any::<i32>(), 0..4),
        proptest::collection::vec(0i64..4_000_000_000_000_000, 0..3),
        proptest::collection::vec(any::<u128>(), 0..3),
        proptest::collection::vec(any::<bool>(), 0..3),
        proptest::collection::vec((-1_000_000i64..1_000_000, 1u32..9), 0..3),
    );
    let rest = (
        -999_999_999_999i64..1_000_000_000_000,
        -999_999_999_999_999_999i64..1_000_000_000_000_000_000,
        0usize..3,
        any::<bool>(),
        document(),
        (
            -1e9f64..1e9,
            proptest::collection::vec("[^\\x00]{0,6}", 0..3),
        ),
        proptest::option::of(any::<u128>()),
    );
    (times, rest, lists).prop_map(|(t, r, l)| {
        let (sensor, at, day, local, time, logged, checked) = t;
        let (tags, counts, seen, refs, flags, ratios) = l;
        let (price, exact, level, source, meta, (offset, labels), batch) = r;
        Reading {
            sensor: Uuid::from_u128(sensor),
            at: Field::from_value(Value::Timestamp(at)).unwrap(),
            day: Field::from_value(Value::Date(day)).unwrap(),
            local: Field::from_value(Value::DateTime(local)).unwrap(),
            time: Field::from_value(Value::Time(time)).unwrap(),
            logged: Field::from_value(Value::Timestamp(logged)).unwrap(),
            logged_day: Field::from_value(Value::Date(day)).unwrap(),
            logged_local: Field::from_value(Value::DateTime(local)).unwrap(),
            logged_time: Field::from_value(Value::Time(time)).unwrap(),
            price: Decimal::new(price, 2),
            exact: Numeric::new(exact.into(), 6).unwrap(),
            level: [Level::Info, Level::Warning, Level::Alarm][level],
            source: if source {
                Source::Probe
            } else {
                Source::Manual
            },
            meta,
            calibration: keyway::Json(crate::model::Calibration {
                offset: (offset * 100.0).round() / 100.0 + 0.25,
                labels,
                by: None,
            }),
            checked_at: checked.map(|us| Field::from_value(Value::Timestamp(us)).unwrap()),
            batch: batch.map(Uuid::from_u128),
            tags,
            counts,
            seen: seen
                .into_iter()
                .map(|us| Field::from_value(Value::Timestamp(us)).unwrap())
                .collect(),
            refs: refs.into_iter().map(Uuid::from_u128).collect(),
            flags,
            // Neither -0.0 (DynamoDB has none) nor NaN.
            ratios: ratios
                .into_iter()
                .map(|(n, e)| n as f64 / 10f64.powi(e as i32) + 0.5)
                .collect(),
        }
    })
}

/// Random values of every type round-trip exactly, written one by one and
/// in batches, and found again through their sort key.
pub async fn random_typed_round_trips<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let strategy = proptest::collection::vec(reading(), 1..5);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(Config::default().rng_algorithm),
    );
    for case in 0..24 {
        let mut rows = strategy.new_tree(&mut runner).expect("generate").current();
        rows.sort_by_key(|r| r.key());
        rows.dedup_by_key(|r| r.key());
        db.insert_many(&rows)
            .await
            .unwrap_or_else(|e| panic!("case {case}: insert {rows:?}: {e}"));
        for row in &rows {
            let got = db.get::<Reading>(row.key()).await.unwrap();
            assert_eq!(&got, row, "case {case}");
            let at: Vec<Reading> = db
                .all(
                    Reading::query()
                        .filter(Reading::SENSOR.eq(row.sensor).and(Reading::AT.eq(row.at))),
                )
                .await
                .unwrap();
            assert_eq!(at, std::slice::from_ref(row), "case {case}: by sort key");
            db.delete(Reading::delete(row.key())).await.unwrap();
        }
    }
}

/// Keys keyway generates: a fresh time-ordered UUID for every row, whatever
/// the entity held, returned by `insert` / `insert_many` and set by `create`.
pub async fn generated_uuid_keys<B: Backend>(db: &Db<B>) {
    db.create_schema::<Device>().await.unwrap();
    let one = db.insert(&Device::new("one")).await.unwrap();
    assert_eq!(one.get_version_num(), 7);
    assert_eq!(db.get::<Device>(one).await.unwrap().name, "one");
    let many = db
        .insert_many(&[Device::new("a"), Device::new("b"), Device::new("c")])
        .await
        .unwrap();
    assert!(
        many.windows(2).all(|w| w[0] < w[1]),
        "time-ordered: {many:?}"
    );
    assert!(one < many[0]);
    for (key, name) in many.iter().zip(["a", "b", "c"]) {
        assert_eq!(db.get::<Device>(*key).await.unwrap().name, name);
    }
    let made = db
        .create_many(vec![Device::new("x"), Device::new("y")])
        .await
        .unwrap();
    assert_ne!(made[0].id, made[1].id);
    assert_eq!(db.get::<Device>(made[1].id).await.unwrap(), made[1]);
    // The nil placeholder was never stored.
    assert!(db.find::<Device>(Uuid::nil()).await.unwrap().is_none());
    assert!(
        db.create_many(Vec::<Device>::new())
            .await
            .unwrap()
            .is_empty()
    );
}

/// Filters on paths inside JSON documents return the same rows on every
/// backend: each comparison only where the value there is of the scalar's
/// kind, `exists` / `has_key`, and `contains` on arrays only.
/// The readings of sensor `s` that `f` matches, in time order, each as its
/// microseconds after `first` plus one (`first` itself is 1).
async fn positions<B: Backend>(
    db: &Db<B>,
    s: Uuid,
    first: jiff::Timestamp,
    f: Filter<Reading, Unindexed>,
) -> Vec<i64> {
    let query = Reading::query()
        .filter(Reading::SENSOR.eq(s).and(f))
        .order_by(Reading::AT.asc());
    let found = db.all(query).await.unwrap_or_else(|e| panic!("{e}"));
    found
        .iter()
        .map(|r| r.at.as_microsecond() - first.as_microsecond() + 1)
        .collect()
}

pub async fn document_path_filters_agree<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(9);
    let docs = [
        serde_json::json!({"labels": {"color": "red", "size": 3}, "tags": ["a", "b"], "flag": true}),
        serde_json::json!({"labels": {"color": "blue", "size": 10}, "tags": ["b"], "flag": false}),
        serde_json::json!({"labels": {"color": "3", "size": "3"}, "tags": "a b"}),
        serde_json::json!({"labels": null, "other": 1}),
        serde_json::json!({}),
        serde_json::json!({"labels": {"size": 2.5}}),
    ];
    let rows: Vec<Reading> = docs
        .iter()
        .enumerate()
        .map(|(i, meta)| Reading {
            meta: meta.clone(),
            ..Reading::sample(s, i as i64 + 1)
        })
        .collect();
    db.insert_many(&rows).await.unwrap();
    // Another sensor's reading that every filter below would match.
    db.insert(&Reading {
        meta: docs[0].clone(),
        ..Reading::sample(sensor(10), 1)
    })
    .await
    .unwrap();
    let which = async |f| positions(db, s, rows[0].at, f).await;
    let color = || Reading::META.path(["labels", "color"]);
    let size = || Reading::META.path(["labels", "size"]);
    assert_eq!(which(color().eq("red")).await, [1]);
    assert_eq!(which(color().ne("red")).await, [2, 3]);
    assert_eq!(which(color().lt("c")).await, [2, 3]);
    assert_eq!(which(size().eq(3)).await, [1]);
    assert_eq!(which(size().eq("3")).await, [3]);
    assert_eq!(which(size().gt(2)).await, [1, 2, 6]);
    assert_eq!(which(size().lt(3.0)).await, [6]);
    assert_eq!(which(size().ge(2.5)).await, [1, 2, 6]);
    assert_eq!(which(Reading::META.path(["flag"]).eq(true)).await, [1]);
    assert_eq!(which(Reading::META.path(["flag"]).lt(true)).await, [2]);
    assert_eq!(which(Reading::META.path(["flag"]).ge(false)).await, [1, 2]);
    assert_eq!(
        which(Reading::META.has_key("labels")).await,
        [1, 2, 3, 4, 6]
    );
    assert_eq!(which(color().exists()).await, [1, 2, 3]);
    assert_eq!(which(Reading::META.path(["tags"]).contains("a")).await, [1]);
    assert_eq!(
        which(Reading::META.path(["tags"]).contains("b")).await,
        [1, 2]
    );
    assert_eq!(
        which(Reading::META.path(["nowhere", "deep"]).eq(1)).await,
        Vec::<i64>::new()
    );
    let both = color().eq("red").or(color().eq("blue"));
    assert_eq!(which(both).await, [1, 2]);
    // Exact everywhere: nested arrays are not elements, a trailing space is
    // a byte, and integers beyond 2^53 are not doubles.
    let edge = Reading {
        meta: serde_json::json!({"nested": [[1, 2]], "name": "a ", "big": 9007199254740993u64}),
        ..Reading::sample(s, 7)
    };
    db.insert(&edge).await.unwrap();
    assert_eq!(
        which(Reading::META.path(["nested"]).contains(1)).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        which(Reading::META.path(["name"]).eq("a")).await,
        Vec::<i64>::new()
    );
    assert_eq!(which(Reading::META.path(["name"]).eq("a ")).await, [7]);
    let big = || Reading::META.path(["big"]);
    assert_eq!(
        which(big().eq(9007199254740992i64)).await,
        Vec::<i64>::new()
    );
    assert_eq!(which(big().eq(9007199254740993i64)).await, [7]);
    assert_eq!(which(big().gt(9007199254740992i64)).await, [7]);
    // A key no backend can address is refused, never spliced.
    let err = db
        .all(
            Reading::query().filter(
                Reading::SENSOR
                    .eq(s)
                    .and(Reading::META.path(["a\"b"]).eq(1)),
            ),
        )
        .await
        .unwrap_err();
    assert!(is_out_of_range(&err, "meta"), "{err:?}");
}

/// A list column holding an element, on every backend: native arrays on
/// PostgreSQL, JSON arrays on SQLite and MySQL, lists on DynamoDB.
pub async fn lists_filter_by_element<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(11);
    let rows = [
        Reading {
            tags: vec!["red".into(), "blue".into()],
            counts: vec![1, 2],
            refs: vec![sensor(1)],
            ..Reading::sample(s, 1)
        },
        Reading {
            tags: vec!["blue".into()],
            counts: vec![3],
            refs: vec![],
            ..Reading::sample(s, 2)
        },
        Reading {
            tags: vec![],
            counts: vec![],
            refs: vec![sensor(1), sensor(2)],
            ..Reading::sample(s, 3)
        },
    ];
    db.insert_many(&rows).await.unwrap();
    let which = async |f| positions(db, s, rows[0].at, f).await;
    assert_eq!(which(Reading::TAGS.contains("blue")).await, [1, 2]);
    assert_eq!(which(Reading::TAGS.contains("red")).await, [1]);
    assert_eq!(which(Reading::TAGS.contains("re")).await, Vec::<i64>::new());
    assert_eq!(which(Reading::COUNTS.contains(3)).await, [2]);
    assert_eq!(which(Reading::REFS.contains(sensor(1))).await, [1, 3]);
    assert_eq!(which(Reading::REFS.contains(sensor(2))).await, [3]);
    assert_eq!(db.get::<Reading>(rows[2].key()).await.unwrap(), rows[2]);
    // A list is written whole by an update.
    db.update(Reading::update(rows[1].key()).set(Reading::TAGS, vec!["green".to_owned()]))
        .await
        .unwrap();
    assert_eq!(which(Reading::TAGS.contains("green")).await, [2]);
}

/// Hostile document keys and values are data, never SQL or expression
/// text: keys with quotes, dots, brackets, SQL and other scripts find what
/// they name on every backend, and nothing else.
pub async fn hostile_documents_are_inert<B: Backend>(db: &Db<B>) {
    db.create_schema::<Reading>().await.unwrap();
    let s = sensor(12);
    let keys = [
        "x'); DROP TABLE readings; --",
        "a.b",
        "$",
        "[0]",
        "*",
        "it's",
        "ключ",
        "#n0",
        ":v0",
    ];
    let mut doc = serde_json::Map::new();
    for (i, k) in keys.iter().enumerate() {
        doc.insert((*k).to_owned(), serde_json::json!(format!("{i}'; --")));
    }
    let hostile = Reading {
        meta: serde_json::Value::Object(doc),
        tags: vec!["'); DROP TABLE readings; --".into(), "%".into(), "_".into()],
        ..Reading::sample(s, 1)
    };
    db.insert(&hostile).await.unwrap();
    db.insert(&Reading::sample(s, 2)).await.unwrap();
    let count = async |f: Filter<Reading, Unindexed>| {
        db.count(Reading::query().filter(Reading::SENSOR.eq(s).and(f)))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    for (i, k) in keys.iter().enumerate() {
        let path = || Reading::META.path([*k]);
        assert_eq!(count(path().eq(format!("{i}'; --"))).await, 1, "{k}");
        assert_eq!(count(path().eq("other")).await, 0, "{k}");
        assert_eq!(count(path().exists()).await, 1, "{k}");
    }
    assert_eq!(count(Reading::META.path(["a", "b"]).exists()).await, 0);
    assert_eq!(count(Reading::TAGS.contains("%")).await, 1);
    assert_eq!(
        count(Reading::TAGS.contains("'); DROP TABLE readings; --")).await,
        1
    );
    assert_eq!(count(Reading::TAGS.contains("'")).await, 0);
    assert_eq!(db.get::<Reading>(hostile.key()).await.unwrap(), hostile);
}
