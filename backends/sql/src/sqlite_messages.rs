//! Reading SQLite's error messages (which Turso words the same): the table
//! found missing, the index a unique violation names.

use keyway::TableDef;

/// The table SQLite found missing, from its message (`no such table:
/// main.users`, after any prefix such as Turso's `Parse error: `), without
/// the schema; `None` for any other error.
pub fn missing_table(message: &str) -> Option<&str> {
    const MARKER: &str = "no such table: ";
    let name = message[message.find(MARKER)? + MARKER.len()..].trim();
    let name = name.strip_prefix("main.").unwrap_or(name);
    (!name.is_empty()).then_some(name)
}

/// SQLite names the columns (`UNIQUE constraint failed: users.a, users.b`;
/// Turso `users.(a, b)` for a key of several); the index is the declared
/// one over exactly those columns, `PRIMARY` for the key.
pub fn violated_index(message: &str, table: &TableDef) -> String {
    let columns: Vec<&str> = message
        .rsplit(": ")
        .next()
        .unwrap_or("")
        .split(", ")
        .map(|c| c.rsplit('.').next().unwrap_or(c).trim_matches(['(', ')']))
        .collect();
    let key: Vec<&str> = table.key_columns().map(|c| c.name).collect();
    if key == columns {
        return "PRIMARY".into();
    }
    table
        .all_indexes()
        .into_iter()
        .find(|ix| ix.unique && ix.columns == columns)
        .map_or_else(|| columns.join(","), |ix| ix.name)
}

#[cfg(test)]
mod tests {
    use super::{missing_table, violated_index};
    use keyway::{ColumnDef, ColumnRole, ColumnType, TableDef};

    #[test]
    fn a_key_of_several_columns_is_the_primary_key() {
        const COLUMNS: &[ColumnDef] = &[
            ColumnDef::new("a", ColumnType::I64, false, ColumnRole::PrimaryKey, false),
            ColumnDef::new("b", ColumnType::I64, false, ColumnRole::SortKey, false),
        ];
        let table = TableDef {
            entity: "Pair",
            name: "pairs",
            columns: COLUMNS,
            indexes: &[],
            foreign_keys: &[],
            layout: None,
        };
        for message in [
            "UNIQUE constraint failed: pairs.a, pairs.b",
            "UNIQUE constraint failed: pairs.(a, b)",
        ] {
            assert_eq!(violated_index(message, &table), "PRIMARY", "{message}");
        }
    }

    #[test]
    fn missing_tables_are_named_without_their_schema() {
        assert_eq!(missing_table("no such table: users"), Some("users"));
        assert_eq!(missing_table("no such table: main.users"), Some("users"));
        assert_eq!(
            missing_table("Parse error: no such table: users"),
            Some("users")
        );
        assert_eq!(missing_table("no such column: nick"), None);
        assert_eq!(missing_table("no such table: "), None);
    }
}
