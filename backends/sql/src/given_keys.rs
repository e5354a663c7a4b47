//! Rows inserted with the keys they hold: the statement that moves an
//! `auto` key's sequence past them where the database does not by itself.

use keyway::{ColumnDef, TableDef};

use crate::Dialect;

/// The statement that moves the sequence of `table`'s `auto` column past
/// every key the table holds, never back: `None` where the dialect's
/// generator follows given keys by itself
/// ([`Dialect::AUTO_FOLLOWS_GIVEN_KEYS`]). On PostgreSQL it sets the identity
/// sequence to the larger of the column's largest value and the sequence's
/// next value (which it takes: a gap, as a rolled-back insert leaves).
///
/// ```
/// # use keyway::{Column, ColumnDef, PrimaryKey, TableDef};
/// # struct User;
/// # const ID: ColumnDef = Column::<User, i64, PrimaryKey>::new("id").auto().def();
/// # let table = TableDef { entity: "User", name: "users", columns: &[ID], indexes: &[], foreign_keys: &[], layout: None };
/// let sql = keyway_sql::advance_auto_key::<keyway_sql::Postgres>(&table, &ID).unwrap();
/// assert_eq!(
///     sql,
///     "SELECT setval(pg_get_serial_sequence('\"users\"', 'id'), \
///      GREATEST((SELECT MAX(\"id\") FROM \"users\"), nextval(pg_get_serial_sequence('\"users\"', 'id'))))"
/// );
/// assert!(keyway_sql::advance_auto_key::<keyway_sql::Sqlite>(&table, &ID).is_none());
/// ```
pub fn advance_auto_key<D: Dialect>(table: &TableDef, column: &ColumnDef) -> Option<String> {
    if D::AUTO_FOLLOWS_GIVEN_KEYS {
        return None;
    }
    // Names are checked identifiers (letters, digits, `_`): safe to quote
    // and to put in a string literal.
    let (t, c) = (table.name, column.name);
    let sequence = format!("pg_get_serial_sequence('\"{t}\"', '{c}')");
    Some(format!(
        "SELECT setval({sequence}, GREATEST((SELECT MAX(\"{c}\") FROM \"{t}\"), nextval({sequence})))"
    ))
}
