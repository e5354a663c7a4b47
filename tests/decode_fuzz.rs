//! Decoding never panics: arbitrary values (any type, NULLs, missing columns)
//! fed to every model's `Entity::read` give the entity or `Error::Decode`
//! naming the entity and one of its columns.

mod model;

use keyway::{Entity, Error, Field, Json, Numeric, TableDef, Value, ValueReader, ValuesReader};
use model::{
    Customer, Group, Kinds, Membership, Message, Profile, Reading, Tag, Ticket, Todo, User,
};
use proptest::prelude::*;

fn any_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i16>().prop_map(Value::I16),
        any::<i32>().prop_map(Value::I32),
        any::<i64>().prop_map(Value::I64),
        any::<u32>().prop_map(Value::U32),
        any::<u64>().prop_map(Value::U64),
        any::<f32>().prop_map(Value::F32),
        any::<f64>().prop_map(Value::F64),
        ".{0,12}".prop_map(Value::Text),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(Value::Bytes),
        any::<i64>().prop_map(Value::Timestamp),
        any::<i64>().prop_map(Value::DateTime),
        any::<i32>().prop_map(Value::Date),
        any::<i64>().prop_map(Value::Time),
        any::<[u8; 16]>().prop_map(Value::Uuid),
        (any::<i128>(), 0u8..45)
            .prop_filter_map("beyond 38 digits", |(m, s)| Numeric::new(
                m % 10i128.pow(30),
                s
            ))
            .prop_map(Value::Decimal),
        prop_oneof![
            ".{0,12}",
            Just("{\"a\":[1,null]}".to_owned()),
            Just("[".to_owned())
        ]
        .prop_map(Value::Json),
    ]
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => any_scalar(),
        1 => proptest::collection::vec(any_scalar(), 0..4).prop_map(Value::List),
        1 => proptest::collection::vec(any_scalar(), 0..6).prop_map(Value::Struct),
    ]
}

fn check<E: Entity>(values: Vec<Value>) -> Result<(), TestCaseError> {
    let table = TableDef::of::<E>();
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let mut row = ValuesReader::new(table.entity, &names, values);
    match keyway::read_row::<E, _>(&mut row) {
        Ok(_) => Ok(()),
        Err(Error::Decode { entity, column, .. }) => {
            prop_assert_eq!(entity, table.entity);
            // A field of an embedded struct is named `column.field`.
            let named = column.split('.').next().unwrap_or_default();
            prop_assert!(names.contains(&named), "unknown column {}", column);
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "not a decode error: {other:?}"
        ))),
    }
}

/// `ValueReader::get::<T>` (integer and text fields through the reader's typed
/// reads) decodes a value exactly as `T::from_value` does, errors included.
fn reads_as_from_value<T: Field + PartialEq + std::fmt::Debug>(
    value: Value,
) -> Result<(), TestCaseError> {
    let names = ["c"];
    let read = ValuesReader::new("E", &names, vec![value.clone()]).get::<T>();
    match (read, T::from_value(value.clone())) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
        (Err(Error::Decode { source, .. }), Err(b)) => prop_assert_eq!(source, b),
        (a, b) => prop_assert!(false, "{value:?}: read {a:?}, from_value {b:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn any_row_decodes_or_names_the_column(values in proptest::collection::vec(any_value(), 0..21)) {
        check::<User>(values.clone())?;
        check::<Todo>(values.clone())?;
        check::<Kinds>(values.clone())?;
        check::<Message>(values.clone())?;
        check::<Tag>(values.clone())?;
        check::<Profile>(values.clone())?;
        check::<Group>(values.clone())?;
        check::<Reading>(values.clone())?;
        check::<Ticket>(values.clone())?;
        check::<Customer>(values.clone())?;
        check::<Membership>(values)?;
    }

    #[test]
    fn typed_reads_decode_as_from_value(value in any_value()) {
        reads_as_from_value::<i8>(value.clone())?;
        reads_as_from_value::<u8>(value.clone())?;
        reads_as_from_value::<u16>(value.clone())?;
        reads_as_from_value::<i16>(value.clone())?;
        reads_as_from_value::<i32>(value.clone())?;
        reads_as_from_value::<i64>(value.clone())?;
        reads_as_from_value::<u32>(value.clone())?;
        reads_as_from_value::<u64>(value.clone())?;
        reads_as_from_value::<bool>(value.clone())?;
        reads_as_from_value::<String>(value.clone())?;
        reads_as_from_value::<Vec<u8>>(value.clone())?;
        reads_as_from_value::<Option<i8>>(value.clone())?;
        reads_as_from_value::<Option<u8>>(value.clone())?;
        reads_as_from_value::<Option<u16>>(value.clone())?;
        reads_as_from_value::<Option<i16>>(value.clone())?;
        reads_as_from_value::<Option<u32>>(value.clone())?;
        reads_as_from_value::<Option<u64>>(value.clone())?;
        reads_as_from_value::<Option<String>>(value.clone())?;
        reads_as_from_value::<jiff::Timestamp>(value.clone())?;
        reads_as_from_value::<jiff::civil::Date>(value.clone())?;
        reads_as_from_value::<jiff::civil::DateTime>(value.clone())?;
        reads_as_from_value::<jiff::civil::Time>(value.clone())?;
        reads_as_from_value::<chrono::DateTime<chrono::Utc>>(value.clone())?;
        reads_as_from_value::<chrono::NaiveDate>(value.clone())?;
        reads_as_from_value::<chrono::NaiveDateTime>(value.clone())?;
        reads_as_from_value::<chrono::NaiveTime>(value.clone())?;
        reads_as_from_value::<uuid::Uuid>(value.clone())?;
        reads_as_from_value::<rust_decimal::Decimal>(value.clone())?;
        reads_as_from_value::<Numeric>(value.clone())?;
        reads_as_from_value::<serde_json::Value>(value.clone())?;
        reads_as_from_value::<Json<Vec<i64>>>(value.clone())?;
        reads_as_from_value::<Vec<String>>(value.clone())?;
        reads_as_from_value::<Vec<i32>>(value.clone())?;
        reads_as_from_value::<Vec<uuid::Uuid>>(value.clone())?;
        reads_as_from_value::<Vec<jiff::Timestamp>>(value)?;
    }

    #[test]
    fn well_typed_rows_round_trip(k in (any::<i64>(), ".{0,40}", ".{0,40}")) {
        let user = User { id: k.0, name: k.1, email: k.2 };
        let mut values = Vec::new();
        keyway::write_row(&user, &mut values).unwrap();
        let names = ["id", "name", "email"];
        let back: User = keyway::read_row(&mut ValuesReader::new("User", &names, values)).unwrap();
        prop_assert_eq!(back, user);
    }
}
