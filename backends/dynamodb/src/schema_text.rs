//! A child table's schema as text, so that a process that never saw the
//! child's `Entity` impl can still cascade into it (see `references`).
//!
//! One line per part, fields separated by tabs (no identifier keyway accepts
//! holds a tab or a newline):
//!
//! ```text
//! t  <entity> <table>
//! c  <name> <type> <nullable 0|1> <role> <auto 0|1>
//! i  <name> <unique 0|1> <column,column,...>
//! f  <column> <nullable 0|1> <parent table> <parent column> <restrict|cascade|set_null>
//! e  <expiry column>
//! l  <shared table> <entity type> <partition template> <sort template>
//! g  <index> <partition template> <sort template>
//! ```
//!
//! (`l` and `g` for a child kept in a shared table; a decoded foreign key
//! carries no parent layout, which a cascade does not need.)
//!
//! A decoded schema is a `TableDef`, whose parts are `&'static`: each
//! distinct text is decoded once per process and kept (interned), so memory
//! grows with the number of distinct child schemas, never per delete.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use keyway::{
    ColumnDef, ColumnRole, ColumnType, Error, ForeignKeyDef, IndexDef, Layout, LayoutIndex,
    OnDelete, Result, TableDef,
};

const ROLES: &[(ColumnRole, &str)] = &[
    (ColumnRole::Plain, "plain"),
    (ColumnRole::PrimaryKey, "pk"),
    (ColumnRole::SortKey, "sk"),
    (ColumnRole::Unique, "unique"),
    (ColumnRole::Indexed, "indexed"),
    (ColumnRole::IndexedSortKey, "indexed_sk"),
];

const ACTIONS: &[(OnDelete, &str)] = &[
    (OnDelete::Restrict, "restrict"),
    (OnDelete::Cascade, "cascade"),
    (OnDelete::SetNull, "set_null"),
];

fn unsupported(table: &TableDef, what: String) -> Error {
    Error::Unsupported {
        backend: "dynamodb",
        detail: format!(
            "`{}` references a parent table, and keyway cannot record its {what} on DynamoDB",
            table.entity
        ),
    }
}

fn flag(b: bool) -> &'static str {
    if b { "1" } else { "0" }
}

/// The text of `table`'s schema.
pub(crate) fn encode(table: &TableDef) -> Result<String> {
    let mut out = format!("t\t{}\t{}\n", table.entity, table.name);
    for c in table.columns {
        // An embedded struct or a list is never a key, a unique or a
        // foreign key column: a cascade only carries it along, as an
        // opaque document.
        let c = &match c.ty {
            ColumnType::Struct(_) | ColumnType::List(_) => {
                ColumnDef::new(c.name, ColumnType::Json, c.nullable, c.role, c.auto)
            }
            _ => *c,
        };
        if !ColumnType::SCALARS.contains(&c.ty) {
            return Err(unsupported(table, format!("column type {}", c.ty.name())));
        }
        let role = ROLES.iter().find(|(r, _)| *r == c.role);
        let Some((_, role)) = role else {
            return Err(unsupported(table, format!("role of column `{}`", c.name)));
        };
        out.push_str(&format!(
            "c\t{}\t{}\t{}\t{role}\t{}\n",
            c.name,
            c.ty.name(),
            flag(c.nullable),
            flag(c.auto)
        ));
    }
    for i in table.indexes {
        let columns = i.columns.join(",");
        out.push_str(&format!("i\t{}\t{}\t{columns}\n", i.name, flag(i.unique)));
    }
    for f in table.foreign_keys {
        let action = ACTIONS.iter().find(|(a, _)| *a == f.on_delete);
        let action = action.map_or("restrict", |(_, a)| *a);
        out.push_str(&format!(
            "f\t{}\t{}\t{}\t{}\t{action}\n",
            f.column,
            flag(f.nullable),
            f.parent_table,
            f.parent_column
        ));
    }
    if let Some((_, c)) = table.expires_at_column() {
        out.push_str(&format!("e\t{}\n", c.name));
    }
    if let Some(l) = &table.layout {
        let texts = [l.table, l.entity_type, l.partition, l.sort];
        let indexes = l.indexes.iter().flat_map(|i| [i.name, i.partition, i.sort]);
        if texts
            .into_iter()
            .chain(indexes)
            .any(|t| t.contains(['\t', '\n']))
        {
            return Err(unsupported(
                table,
                "layout, whose text holds a tab or a newline".into(),
            ));
        }
        out.push_str(&format!(
            "l\t{}\t{}\t{}\t{}\n",
            l.table, l.entity_type, l.partition, l.sort
        ));
        for i in l.indexes {
            out.push_str(&format!("g\t{}\t{}\t{}\n", i.name, i.partition, i.sort));
        }
    }
    Ok(out)
}

fn bad(detail: String) -> Error {
    Error::Invalid {
        what: "schema",
        detail: format!("keyway_meta holds a malformed child-table schema: {detail}"),
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn bit(s: &str) -> Result<bool> {
    match s {
        "1" => Ok(true),
        "0" => Ok(false),
        other => Err(bad(format!("`{other}` is not 0 or 1"))),
    }
}

fn decode_now(text: &str) -> Result<TableDef> {
    let (mut head, mut columns, mut indexes, mut fks) = (None, Vec::new(), Vec::new(), Vec::new());
    let (mut layout, mut layout_indexes, mut expiry) = (None, Vec::new(), None);
    for line in text.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["t", entity, name] => head = Some((leak(entity), leak(name))),
            ["c", name, ty, nullable, role, auto] => columns.push(ColumnDef::new(
                leak(name),
                *ColumnType::SCALARS
                    .iter()
                    .find(|t| t.name() == *ty)
                    .ok_or_else(|| bad(format!("unknown column type `{ty}`")))?,
                bit(nullable)?,
                ROLES
                    .iter()
                    .find(|(_, n)| n == role)
                    .map(|(r, _)| *r)
                    .ok_or_else(|| bad(format!("unknown column role `{role}`")))?,
                bit(auto)?,
            )),
            ["i", name, unique, cols] => {
                let cols: Vec<&'static str> = cols.split(',').map(leak).collect();
                indexes.push(IndexDef {
                    name: leak(name),
                    columns: Vec::leak(cols),
                    unique: bit(unique)?,
                });
            }
            ["f", column, nullable, parent_table, parent_column, action] => {
                fks.push(ForeignKeyDef {
                    column: leak(column),
                    nullable: bit(nullable)?,
                    parent_table: leak(parent_table),
                    parent_column: leak(parent_column),
                    parent_layout: None,
                    on_delete: ACTIONS
                        .iter()
                        .find(|(_, n)| n == action)
                        .map(|(a, _)| *a)
                        .ok_or_else(|| bad(format!("unknown ON DELETE action `{action}`")))?,
                });
            }
            ["e", column] => expiry = Some(column.to_string()),
            ["l", table, entity_type, partition, sort] => {
                layout = Some(
                    Layout::new(leak(table), leak(entity_type)).key(leak(partition), leak(sort)),
                );
            }
            ["g", name, partition, sort] => {
                layout_indexes.push(LayoutIndex::new(leak(name), leak(partition), leak(sort)));
            }
            _ => return Err(bad(format!("unexpected line {line:?}"))),
        }
    }
    let (entity, name) = head.ok_or_else(|| bad("no table line".into()))?;
    if let Some(expiry) = expiry {
        let column = columns
            .iter_mut()
            .find(|c: &&mut ColumnDef| c.name == expiry);
        let column = column.ok_or_else(|| bad(format!("no expiry column `{expiry}`")))?;
        column.expires_at = true;
    }
    Ok(TableDef {
        entity,
        name,
        columns: Vec::leak(columns),
        indexes: Vec::leak(indexes),
        foreign_keys: Vec::leak(fks),
        layout: layout.map(|l| l.indexes(Vec::leak(layout_indexes))),
    })
}

/// The schema of `text`, decoded once per process per distinct text.
pub(crate) fn decode(text: &str) -> Result<TableDef> {
    static KNOWN: OnceLock<Mutex<HashMap<String, TableDef>>> = OnceLock::new();
    let known = KNOWN.get_or_init(Mutex::default);
    if let Some(t) = known
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(text)
    {
        return Ok(*t);
    }
    let table = decode_now(text)?;
    let mut known = known.lock().unwrap_or_else(PoisonError::into_inner);
    Ok(*known.entry(text.to_owned()).or_insert(table))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[ColumnDef] = &[
        ColumnDef::new("id", ColumnType::I64, false, ColumnRole::PrimaryKey, true),
        ColumnDef::new(
            "owner_id",
            ColumnType::I64,
            true,
            ColumnRole::Indexed,
            false,
        ),
        ColumnDef::new("title", ColumnType::Text, false, ColumnRole::Plain, false),
    ];
    const FKS: &[ForeignKeyDef] = &[ForeignKeyDef {
        column: "owner_id",
        nullable: true,
        parent_table: "users",
        parent_column: "id",
        parent_layout: None,
        on_delete: OnDelete::SetNull,
    }];
    const IDX: &[IndexDef] = &[IndexDef::unique("by_owner_title", &["owner_id", "title"])];

    #[test]
    fn round_trips_and_refuses_garbage() {
        let t = TableDef {
            entity: "Todo",
            name: "todos",
            columns: COLS,
            indexes: IDX,
            foreign_keys: FKS,
            layout: None,
        };
        let text = encode(&t).unwrap();
        let back = decode(&text).unwrap();
        assert_eq!(back, t);
        const GSI: &[LayoutIndex] = &[LayoutIndex::new("GSI1", "USER#{owner_id}", "TODO#{id}")];
        let shared = TableDef {
            layout: Some(
                Layout::new("app", "Todo")
                    .key("TODO#{id}", "TODO")
                    .indexes(GSI),
            ),
            ..t
        };
        assert_eq!(decode(&encode(&shared).unwrap()).unwrap(), shared);
        assert_eq!(
            decode(&text).unwrap().columns.as_ptr(),
            back.columns.as_ptr()
        );
        assert!(decode("c\tid\ti64\t0\tpk\t0\n").is_err(), "no table line");
        assert!(decode("t\tT\tt\nc\tid\tdatum\t0\tpk\t0\n").is_err());
        assert!(decode("t\tT\tt\nf\tx\t2\tp\tid\tcascade\n").is_err());
        assert!(decode("t\tT\tt\nz\n").is_err());
    }
}
