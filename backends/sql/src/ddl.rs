//! `CREATE TABLE`, `CREATE INDEX`, `DROP TABLE`.

use keyway::TableDef;

use crate::Dialect;
use crate::out::Out;
use crate::writer::SqlWriter;

/// The statements creating `table` (if absent): the table with its primary key
/// and NOT NULL constraints, then one `CREATE [UNIQUE] INDEX` per index. Where
/// the dialect [inlines indexes](Dialect::INLINE_INDEXES) (MySQL, which has no
/// `CREATE INDEX IF NOT EXISTS`) they are `[UNIQUE] KEY` clauses of the one
/// `CREATE TABLE IF NOT EXISTS`, so that running the statements again is a no-op.
pub fn create_table<D: Dialect>(table: &TableDef) -> Vec<String> {
    table_statements::<D>(table, table.name, true, true)
}

/// The statements creating `table` under the name `name`, `IF NOT EXISTS`
/// or not, with its indexes or without them (a table SQLite rebuilds gets
/// them once it has its final name).
pub(crate) fn table_statements<D: Dialect>(
    table: &TableDef,
    name: &str,
    if_not_exists: bool,
    with_indexes: bool,
) -> Vec<String> {
    // Embedded structs are a column per field.
    let table = &table.flat();
    let indexes = if with_indexes {
        table.all_indexes()
    } else {
        Vec::new()
    };
    let mut w = SqlWriter::<D>::new();
    w.push(if if_not_exists {
        "CREATE TABLE IF NOT EXISTS "
    } else {
        "CREATE TABLE "
    })
    .ident(name)
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
        w.push(", ");
        foreign_key_clause(
            &mut w,
            table.name,
            fk.column,
            fk.parent_table,
            fk.parent_column,
            fk.on_delete.name(),
        );
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
        out.push(create_index::<D>(
            table.name,
            &ix.name,
            ix.columns.iter().copied(),
            ix.unique,
            if_not_exists,
        ));
    }
    out
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns)`.
pub(crate) fn create_index<'c, D: Dialect>(
    table: &str,
    name: &str,
    columns: impl Iterator<Item = &'c str>,
    unique: bool,
    if_not_exists: bool,
) -> String {
    let mut w = SqlWriter::<D>::new();
    w.push(if unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    });
    if if_not_exists {
        w.push("IF NOT EXISTS ");
    }
    w.ident(name)
        .push(" ON ")
        .ident(table)
        .push(" (")
        .ident_list(columns)
        .push(")");
    w.finish().sql
}

/// `CONSTRAINT {table}_{column}_fkey FOREIGN KEY (column) REFERENCES
/// parent (parent_column) ON DELETE action`, in `CREATE TABLE` and in a
/// migration's `ALTER TABLE .. ADD`.
pub(crate) fn foreign_key_clause<D: Dialect>(
    w: &mut SqlWriter<D>,
    table: &str,
    column: &str,
    parent_table: &str,
    parent_column: &str,
    on_delete: &str,
) {
    w.push("CONSTRAINT ")
        .ident(&foreign_key_name(table, column))
        .push(" FOREIGN KEY (")
        .ident(column)
        .push(") REFERENCES ")
        .ident(parent_table)
        .push(" (")
        .ident(parent_column)
        .push(") ON DELETE ")
        .push(&on_delete.to_uppercase());
}

/// What a migration's own statements are reported on: the table its step
/// changes.
pub fn migration_table(name: &str) -> TableDef {
    TableDef {
        entity: "migration",
        name: keyway::migrate::static_name(name),
        columns: &[],
        indexes: &[],
        foreign_keys: &[],
        layout: None,
    }
}

/// The name of the foreign key constraint of `table.column`:
/// `{table}_{column}_fkey`, as PostgreSQL names one itself, so that a
/// migration can drop it by name on every dialect.
pub fn foreign_key_name(table: &str, column: &str) -> String {
    let name = format!("{table}_{column}_fkey");
    if name.len() <= 63 {
        return name;
    }
    // Longer than an identifier may be: cut, and told apart by a hash of
    // the whole (FNV-1a).
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut cut = 41;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:016x}_fkey", &name[..cut], hash)
}

/// The statement dropping `table` if it exists.
pub fn drop_table<D: Dialect>(table: &TableDef) -> String {
    let mut w = SqlWriter::<D>::new();
    w.push("DROP TABLE IF EXISTS ").ident(table.name);
    w.finish().sql
}
