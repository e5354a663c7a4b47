//! `CREATE TABLE`, `CREATE INDEX`, `DROP TABLE`.

use keyway::{OnDelete, TableDef};

use crate::Dialect;
use crate::out::Out;
use crate::writer::SqlWriter;

/// The statements creating `table` (if absent): the table with its primary key
/// and NOT NULL constraints, then one `CREATE [UNIQUE] INDEX` per index. Where
/// the dialect [inlines indexes](Dialect::INLINE_INDEXES) (MySQL, which has no
/// `CREATE INDEX IF NOT EXISTS`) they are `[UNIQUE] KEY` clauses of the one
/// `CREATE TABLE IF NOT EXISTS`, so that running the statements again is a no-op.
pub fn create_table<D: Dialect>(table: &TableDef) -> Vec<String> {
    // Embedded structs are a column per field.
    let table = &table.flat();
    let indexes = table.all_indexes();
    let mut w = SqlWriter::<D>::new();
    w.push("CREATE TABLE IF NOT EXISTS ")
        .ident(table.name)
        .push(" (");
    let mut inline_key = false;
    for (i, c) in table.columns.iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        let indexed = c.is_key()
            || indexes.iter().any(|ix| ix.columns.contains(&c.name))
            || table.foreign_keys.iter().any(|fk| fk.column == c.name);
        let ty = D::column_type(c, indexed);
        inline_key |= ty.inline_primary_key;
        w.ident(c.name).push(" ").push(&ty.ty);
        if !c.nullable && !ty.inline_primary_key {
            w.push(" NOT NULL");
        }
    }
    if !inline_key {
        w.push(", PRIMARY KEY (")
            .idents(table.key_columns().map(|c| c.name))
            .push(")");
    }
    for fk in table.foreign_keys {
        w.push(", FOREIGN KEY (")
            .ident(fk.column)
            .push(") REFERENCES ")
            .ident(fk.parent_table)
            .push(" (")
            .ident(fk.parent_column)
            .push(match fk.on_delete {
                OnDelete::Cascade => ") ON DELETE CASCADE",
                OnDelete::SetNull => ") ON DELETE SET NULL",
                OnDelete::Restrict => ") ON DELETE RESTRICT",
            });
    }
    if D::INLINE_INDEXES {
        for ix in &indexes {
            w.push(if ix.unique { ", UNIQUE KEY " } else { ", KEY " })
                .ident(&ix.name)
                .push(" (")
                .idents(ix.columns.iter().copied())
                .push(")");
        }
    }
    w.push(")").push(D::TABLE_SUFFIX);
    let mut out = vec![w.finish().sql];
    if D::INLINE_INDEXES {
        return out;
    }
    for ix in indexes {
        let mut w = SqlWriter::<D>::new();
        w.push(if ix.unique {
            "CREATE UNIQUE INDEX IF NOT EXISTS "
        } else {
            "CREATE INDEX IF NOT EXISTS "
        });
        w.ident(&ix.name)
            .push(" ON ")
            .ident(table.name)
            .push(" (")
            .idents(ix.columns.iter().copied())
            .push(")");
        out.push(w.finish().sql);
    }
    out
}

/// The statement dropping `table` if it exists.
pub fn drop_table<D: Dialect>(table: &TableDef) -> String {
    let mut w = SqlWriter::<D>::new();
    w.push("DROP TABLE IF EXISTS ").ident(table.name);
    w.finish().sql
}
