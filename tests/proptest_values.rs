//! Random values of every type round-trip exactly through SQLite (bit for
//! bit; a row holding -0.0, which SQLite would read back as 0.0, is refused
//! with `Error::OutOfRange`), and through the value model on its own.

mod model;

use keyway::prelude::*;
use keyway::{Error, Field, Value};
use model::Kinds;
use proptest::prelude::*;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x7f]{0,64}",
        Just(String::new()),
        Just("x".repeat(100_000))
    ]
}

fn any_double() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("NaN is refused by SQLite", |v| !v.is_nan()),
        Just(f64::INFINITY),
        Just(-0.0)
    ]
}

fn any_single() -> impl Strategy<Value = f32> {
    prop_oneof![
        any::<f32>().prop_filter("NaN", |v| !v.is_nan()),
        Just(-0.0f32)
    ]
}

fn negative_zero(v: f64) -> bool {
    v == 0.0 && v.is_sign_negative()
}

/// Whether SQLite stores every float of `row` unchanged: it has no -0.0.
fn storable(row: &Kinds) -> bool {
    !negative_zero(f64::from(row.single))
        && !negative_zero(row.double)
        && !row.maybe_double.is_some_and(negative_zero)
}

/// Equal, with floats compared bit for bit (no NaN is generated).
fn same(a: &Kinds, b: &Kinds) -> bool {
    let bits = |k: &Kinds| {
        (
            k.single.to_bits(),
            k.double.to_bits(),
            k.maybe_double.map(f64::to_bits),
        )
    };
    a == b && bits(a) == bits(b)
}

prop_compose! {
    fn any_kinds()(
        key in "[a-zA-Z0-9 '\";%_-]{1,40}",
        flag in any::<bool>(),
        small in any::<i16>(),
        medium in any::<i32>(),
        large in any::<i64>(),
        unsigned in any::<u32>(),
        huge in 0..=i64::MAX as u64,
        single in any_single(),
        double in any_double(),
        text in any_text(),
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
        maybe_int in proptest::option::of(any::<i64>()),
        maybe_text in proptest::option::of(any_text()),
        maybe_bytes in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)),
        maybe_double in proptest::option::of(any_double()),
        tiny in any::<i8>(),
        octet in any::<u8>(),
        word in any::<u16>(),
    ) -> Kinds {
        Kinds { key, flag, small, medium, large, unsigned, huge, single, double, text, bytes, maybe_int, maybe_text, maybe_bytes, maybe_double, tiny, octet, word }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn kinds_round_trip_through_sqlite(rows in proptest::collection::vec(any_kinds(), 1..8)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let db = keyway_sqlite::Sqlite::memory().await.unwrap();
            db.create_schema::<Kinds>().await.unwrap();
            let mut rows = rows;
            rows.sort_by(|a, b| a.key.cmp(&b.key));
            rows.dedup_by(|a, b| a.key == b.key);
            let (rows, refused): (Vec<Kinds>, Vec<Kinds>) = rows.into_iter().partition(storable);
            for row in &refused {
                let err = db.insert(row).await.unwrap_err();
                prop_assert!(
                    matches!(&err, Error::OutOfRange { entity: "Kinds", .. }),
                    "{:?} should be refused, got {:?}", row, err
                );
                prop_assert!(db.find::<Kinds>(row.key.clone()).await.unwrap().is_none());
            }
            db.insert_many(&rows).await.unwrap();
            for row in &rows {
                let got = db.get::<Kinds>(row.key.clone()).await.unwrap();
                prop_assert!(same(&got, row), "wrote {:?}, read {:?}", row, got);
                let by_text: Vec<String> = db
                    .all(Kinds::query().filter(Kinds::TEXT.eq(row.text.as_str())).filter(Kinds::LARGE.eq(row.large)).select(Kinds::KEY))
                    .await
                    .unwrap();
                prop_assert!(by_text.contains(&row.key));
                let changed = Kinds { text: format!("{}!", row.text), maybe_int: None, ..row.clone() };
                db.save(&changed).await.unwrap();
                let saved = db.get::<Kinds>(row.key.clone()).await.unwrap();
                prop_assert!(same(&saved, &changed), "saved {:?}, read {:?}", changed, saved);
            }
            Ok(())
        })?;
    }

    #[test]
    fn integers_narrow_only_when_they_fit(v in any::<i64>()) {
        let as_i16 = i16::from_value(Value::I64(v));
        prop_assert_eq!(as_i16.is_ok(), i16::try_from(v).is_ok());
        let as_u32 = u32::from_value(Value::I64(v));
        prop_assert_eq!(as_u32.is_ok(), u32::try_from(v).is_ok());
        prop_assert_eq!(i8::from_value(Value::I64(v)).is_ok(), i8::try_from(v).is_ok());
        prop_assert_eq!(u8::from_value(Value::I64(v)).is_ok(), u8::try_from(v).is_ok());
        prop_assert_eq!(u16::from_value(Value::I64(v)).is_ok(), u16::try_from(v).is_ok());
        if let Ok(n) = u16::try_from(v) { prop_assert_eq!(u16::from_value(n.to_value()).unwrap(), n); }
        if let Ok(n) = i8::try_from(v) { prop_assert_eq!(i8::from_value(n.to_value()).unwrap(), n); }
        if let Ok(n) = as_u32 { prop_assert_eq!(i64::from(n), v); }
        prop_assert_eq!(i64::from_value(v.to_value()).unwrap(), v);
    }

    #[test]
    fn f32_from_double_is_exact_or_refused(v in any::<f64>()) {
        match f32::from_value(Value::F64(v)) {
            Ok(n) => prop_assert!(f64::from(n) == v || v.is_nan()),
            Err(_) => prop_assert!(f64::from(v as f32) != v),
        }
    }
}
