//! A live table as a spec, so that the impls can be planned against the
//! database itself rather than against the migration files.
//!
//! The database's description ([`TableSchema`]) spells types as its catalog
//! does. Each part is read back through what the impls declare: a column,
//! index or foreign key the backend describes exactly as it would create
//! the declared one is the declared one (so `bigint` is `i64` or `u32` as
//! the impl says); one it describes otherwise is read from the catalog's
//! type ([`Executor::portable_type`](crate::Executor::portable_type)); and a
//! part the backend does not describe at all (DynamoDB's attributes that no
//! key is keyed on, its foreign keys) is taken as declared.

use crate::{Error, Result, TableSchema};

use super::{ColumnSpec, TableSpec, TypeSpec};

/// `live` (described by the backend) as a spec, read through `declared`
/// (the impls' spec of the table) and `as_declared` (the backend's
/// description of what it would create for it); `portable` reads a catalog
/// type the impls do not explain.
pub fn live_table(
    declared: &TableSpec,
    as_declared: &TableSchema,
    live: &TableSchema,
    portable: impl Fn(&str) -> Option<TypeSpec>,
) -> Result<TableSpec> {
    let mut columns = Vec::new();
    for c in &declared.columns {
        let described = as_declared.column(&c.name);
        match (described, live.column(&c.name)) {
            // The backend does not describe it: taken as declared.
            (None, _) => columns.push(c.clone()),
            (Some(_), None) => {}
            (Some(d), Some(l)) => {
                let ty = if d.ty == l.ty {
                    c.ty
                } else {
                    read_type(&live.name, l, &portable)?
                };
                // What the backend describes as it would the declared
                // column is the declared one (DynamoDB calls every key
                // attribute NOT NULL); the catalog decides otherwise. A
                // generated key stays so: no catalog here says otherwise.
                let nullable = if d.nullable == l.nullable {
                    c.nullable
                } else {
                    l.nullable
                };
                columns.push(ColumnSpec {
                    name: c.name.clone(),
                    ty,
                    nullable,
                    auto: c.auto,
                    embedded_in: c.embedded_in.clone(),
                });
            }
        }
    }
    for l in &live.columns {
        // An attribute the backend derives for the table (the keys of a
        // shared DynamoDB table) is no column of it.
        if declared.column(&l.name).is_none() && as_declared.column(&l.name).is_none() {
            columns.push(ColumnSpec {
                name: l.name.clone(),
                ty: read_type(&live.name, l, &portable)?,
                nullable: l.nullable,
                auto: false,
                embedded_in: None,
            });
        }
    }
    let mut indexes = Vec::new();
    for ix in &declared.indexes {
        match (as_declared.index(&ix.name), live.index(&ix.name)) {
            (None, _) => indexes.push(ix.clone()),
            (Some(d), Some(l)) if d == l => indexes.push(ix.clone()),
            (Some(_), Some(l)) => indexes.push(l.clone()),
            (Some(_), None) => {}
        }
    }
    for l in &live.indexes {
        let derived = as_declared.index(&l.name).is_some();
        if declared.index(&l.name).is_none() && !derived {
            indexes.push(l.clone());
        }
    }
    let mut foreign_keys = Vec::new();
    for fk in &declared.foreign_keys {
        let described = as_declared
            .foreign_keys
            .iter()
            .any(|d| d.column == fk.column);
        let found = live.foreign_keys.iter().find(|l| l.column == fk.column);
        match (described, found) {
            (false, _) => foreign_keys.push(fk.clone()),
            (true, Some(l)) => foreign_keys.push(l.clone()),
            (true, None) => {}
        }
    }
    for l in &live.foreign_keys {
        if declared.foreign_key(&l.column).is_none() {
            foreign_keys.push(l.clone());
        }
    }
    // The expiry as declared while the database expires rows as it would
    // for it (always, where it does not expire rows itself); otherwise by
    // the attribute it does expire them by, if any.
    let expires_at = match as_declared.time_to_live == live.time_to_live {
        true => declared.expires_at.clone(),
        false => live.time_to_live.clone(),
    };
    Ok(TableSpec {
        name: declared.name.clone(),
        columns,
        // Keyed as the backend would key the declared table: the declared key.
        primary_key: match as_declared.primary_key == live.primary_key {
            true => declared.primary_key.clone(),
            false => live.primary_key.clone(),
        },
        indexes,
        foreign_keys,
        expires_at,
        layout: declared.layout.clone(),
    })
}

fn read_type(
    table: &str,
    column: &crate::ColumnSchema,
    portable: &impl Fn(&str) -> Option<TypeSpec>,
) -> Result<TypeSpec> {
    portable(&column.ty).ok_or_else(|| Error::Unsupported {
        backend: "keyway",
        detail: format!(
            "reading `{table}.{}`, of type `{}`, which no keyway type is stored as",
            column.name, column.ty
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ColumnSchema;

    /// A backend that calls every key attribute NOT NULL (DynamoDB) reads
    /// an optional indexed column as declared, and describes no other
    /// column: a table that matches the code plans nothing.
    #[test]
    fn a_matching_table_reads_as_declared() {
        let declared = TableSpec {
            name: "t".into(),
            columns: vec![
                ColumnSpec {
                    name: "id".into(),
                    ty: "i64".parse().unwrap(),
                    nullable: false,
                    auto: true,
                    embedded_in: None,
                },
                ColumnSpec {
                    name: "parent_id".into(),
                    ty: "i64".parse().unwrap(),
                    nullable: true,
                    auto: false,
                    embedded_in: None,
                },
                ColumnSpec {
                    name: "note".into(),
                    ty: "text".parse().unwrap(),
                    nullable: true,
                    auto: false,
                    embedded_in: None,
                },
            ],
            primary_key: vec!["id".into()],
            indexes: vec![crate::IndexSchema {
                name: "t_parent_id_idx".into(),
                columns: vec!["parent_id".into()],
                unique: false,
            }],
            foreign_keys: Vec::new(),
            expires_at: None,
            layout: None,
        };
        let key = |name: &str| ColumnSchema {
            name: name.into(),
            ty: "N".into(),
            nullable: false,
            default: None,
        };
        let described = TableSchema {
            name: "t".into(),
            columns: vec![key("id"), key("parent_id")],
            primary_key: vec!["id".into()],
            indexes: declared.indexes.clone(),
            foreign_keys: Vec::new(),
            time_to_live: None,
        };
        let portable = |t: &str| (t == "N").then(|| "i64".parse().unwrap());
        let read = live_table(&declared, &described, &described, portable).unwrap();
        let (from, to) = (
            crate::migrate::SchemaSpec { tables: vec![read] },
            crate::migrate::SchemaSpec {
                tables: vec![declared],
            },
        );
        let steps = crate::migrate::plan(&from, &to, &crate::migrate::Renames::new()).unwrap();
        assert!(steps.is_empty(), "{steps:?}");
    }
}
