//! The size of an item as DynamoDB counts it, so that an item over its
//! 400 KB limit is refused with [`Error::OutOfRange`] before it is sent,
//! like every other value DynamoDB cannot hold.
//!
//! DynamoDB counts an item as the sum of its attribute names' UTF-8 lengths
//! and its values' sizes: a string its UTF-8 bytes, binary its bytes, a
//! number one byte per two significant digits plus one, a boolean or NULL
//! one byte, a list or map 3 bytes plus one per element plus the elements
//! (and a map's keys), a set its elements. Strings, binary and the scalars
//! are counted exactly; a number's size is the least DynamoDB can count for
//! it, so that keyway never refuses an item DynamoDB would store. (An item
//! within a few bytes per number of the limit is then DynamoDB's to refuse,
//! which it does with a `ValidationException`.)

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{Error, Result, TableDef, Value};

use crate::marshal::Item;

/// DynamoDB's largest item: 400 KB, counted in KiB (409,600 bytes), names
/// and values together.
pub(crate) const MAX_ITEM_BYTES: usize = 400 * 1024;

/// The size of a number given as DynamoDB's decimal text: one byte per two
/// significant digits (leading and trailing zeros are not stored), plus one.
fn number_size(text: &str) -> usize {
    let mantissa = text
        .split(['e', 'E'])
        .next()
        .unwrap_or("")
        .trim_start_matches(['-', '+']);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    significant.max(1).div_ceil(2) + 1
}

/// The size of one attribute value.
pub(crate) fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(v) => v.iter().map(String::len).sum(),
        AttributeValue::Ns(v) => v.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(v) => v.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::L(v) => 3 + v.len() + v.iter().map(value_size).sum::<usize>(),
        AttributeValue::M(m) => {
            3 + m.len()
                + m.iter()
                    .map(|(k, v)| k.len() + value_size(v))
                    .sum::<usize>()
        }
        // A kind this SDK version does not know: counted as nothing, so that
        // it is never the reason for a refusal.
        _ => 0,
    }
}

/// The size of an item: its attribute names and values.
pub(crate) fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

/// The refusal of an item of `entity` of `size` bytes, naming its largest
/// attribute (`largest`, of `largest_size` bytes).
fn too_large(entity: &'static str, largest: &str, largest_size: usize, size: usize) -> Error {
    Error::OutOfRange {
        entity,
        column: largest.to_owned(),
        detail: format!(
            "the item would be {size} bytes, over DynamoDB's limit of {MAX_ITEM_BYTES} bytes \
             (400 KB, attribute names included); `{largest}` is the largest attribute, \
             {largest_size} bytes"
        ),
    }
}

/// Refuses an item of `entity` that DynamoDB could not store:
/// [`Error::OutOfRange`] naming its largest attribute.
pub(crate) fn check_item(entity: &'static str, item: &Item) -> Result<()> {
    let size = item_size(item);
    if size <= MAX_ITEM_BYTES {
        return Ok(());
    }
    let (largest, largest_size) = item
        .iter()
        .map(|(k, v)| (k.as_str(), k.len() + value_size(v)))
        .max_by_key(|&(_, n)| n)
        .unwrap_or(("?", 0));
    Err(too_large(entity, largest, largest_size, size))
}

/// Refuses an update of `table` whose set columns alone (names and values;
/// a `NULL` removes its attribute) exceed DynamoDB's limit: the updated item
/// holds at least them, so DynamoDB would refuse it. The rest of the item is
/// DynamoDB's to count.
pub(crate) fn check_set(table: &TableDef, set: &[(&'static str, Value)]) -> Result<()> {
    let mut size = 0;
    let mut largest = ("?", 0);
    for (column, value) in set {
        let Some(attr) = crate::embedded::encode(table, column, value.clone())? else {
            continue;
        };
        let n = column.len() + value_size(&attr);
        size += n;
        if n > largest.1 {
            largest = (column, n);
        }
    }
    if size <= MAX_ITEM_BYTES {
        Ok(())
    } else {
        Err(too_large(table.entity, largest.0, largest.1, size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::primitives::Blob;

    #[test]
    fn numbers_count_their_significant_digits() {
        assert_eq!(number_size("0"), 2);
        assert_eq!(number_size("7"), 2);
        assert_eq!(number_size("-12"), 2);
        assert_eq!(number_size("123"), 3);
        assert_eq!(number_size("1000000"), 2);
        assert_eq!(number_size("0.000125"), 3);
        assert_eq!(number_size("1.5e3"), 2);
        assert_eq!(number_size("18446744073709551615"), 11);
    }

    #[test]
    fn items_count_names_and_values() {
        let item: Item = [
            ("s".to_owned(), AttributeValue::S("héllo".into())),
            ("bin".to_owned(), AttributeValue::B(Blob::new(vec![0; 10]))),
            ("n".to_owned(), AttributeValue::N("42".into())),
            ("flag".to_owned(), AttributeValue::Bool(true)),
            (
                "l".to_owned(),
                AttributeValue::L(vec![AttributeValue::S("ab".into())]),
            ),
        ]
        .into_iter()
        .collect();
        // 1+6, 3+10, 1+2, 4+1, 1+(3+1+2)
        assert_eq!(item_size(&item), 7 + 13 + 3 + 5 + 7);
        assert!(check_item("T", &item).is_ok());
    }

    #[test]
    fn an_item_over_the_limit_names_its_largest_attribute() {
        let mut item: Item = [("k".to_owned(), AttributeValue::S("a".into()))]
            .into_iter()
            .collect();
        // Exactly at the limit: stored.
        item.insert(
            "body".to_owned(),
            AttributeValue::S("x".repeat(MAX_ITEM_BYTES - 2 - 4)),
        );
        assert_eq!(item_size(&item), MAX_ITEM_BYTES);
        assert!(check_item("T", &item).is_ok());
        item.insert("k".to_owned(), AttributeValue::S("ab".into()));
        match check_item("T", &item) {
            Err(Error::OutOfRange { entity, column, .. }) => {
                assert_eq!((entity, column.as_str()), ("T", "body"));
            }
            other => panic!("expected OutOfRange, got {other:?}"),
        }
    }
}
