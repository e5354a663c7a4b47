//! Decoding DynamoDB items never panics: arbitrary attribute maps (missing,
//! extra and wrongly-typed attributes, malformed numbers) give the entity or
//! `Error::Decode` naming the entity and one of its columns; items keyway
//! writes decode back to the same entity.

mod model;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{Entity, Error, TableDef};
use keyway_dynamodb::{Item, from_item, to_item};
use model::{Kinds, Message, Todo, User};
use proptest::prelude::*;

fn any_attr() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null(true)),
        any::<i64>().prop_map(|n| AttributeValue::N(n.to_string())),
        any::<f64>().prop_map(|n| AttributeValue::N(n.to_string())),
        "[-+0-9eE.a-z]{0,12}".prop_map(AttributeValue::N),
        ".{0,12}".prop_map(AttributeValue::S),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(|b| AttributeValue::B(Blob::new(b))),
        proptest::collection::vec(".{0,4}", 0..3).prop_map(AttributeValue::Ss),
    ]
}

fn any_item<E: Entity>() -> impl Strategy<Value = Item> {
    let names: Vec<String> = E::COLUMNS
        .iter()
        .map(|c| c.name.to_owned())
        .chain(["extra".to_owned()])
        .collect();
    proptest::collection::vec((proptest::sample::select(names), any_attr()), 0..20)
        .prop_map(|pairs| pairs.into_iter().collect())
}

fn check<E: Entity>(item: Item) -> Result<(), TestCaseError> {
    let table = TableDef::of::<E>();
    match from_item::<E>(item) {
        Ok(_) => Ok(()),
        Err(Error::Decode { entity, column, .. }) => {
            prop_assert_eq!(entity, table.entity);
            prop_assert!(table.column(&column).is_some(), "unknown column {}", column);
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "not a decode error: {other:?}"
        ))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn user_items(item in any_item::<User>()) { check::<User>(item)?; }

    #[test]
    fn todo_items(item in any_item::<Todo>()) { check::<Todo>(item)?; }

    #[test]
    fn kinds_items(item in any_item::<Kinds>()) { check::<Kinds>(item)?; }

    #[test]
    fn message_items(item in any_item::<Message>()) { check::<Message>(item)?; }

    #[test]
    fn written_items_read_back(id in any::<i64>(), name in ".{0,30}", email in ".{0,30}") {
        let user = User { id, name, email };
        let back: User = from_item(to_item(&user).unwrap()).unwrap();
        prop_assert_eq!(back, user);
    }
}
