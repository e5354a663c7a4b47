//! Migration steps as DDL, per dialect.
//!
//! PostgreSQL and MySQL alter tables in place. SQLite alters little in
//! place (it adds, drops and renames columns and tables): a column's type
//! or nullability, a new NOT NULL column and a foreign key are made by
//! rebuilding the table, as SQLite's documentation describes: a new table
//! of the final shape, the rows copied, the old table dropped, the new one
//! renamed, its indexes created. The migration's transaction holds foreign
//! key enforcement until it commits (see the SQLite backend).

use keyway::migrate::{Change, ColumnSpec, Step, TableSpec};
use keyway::{ColumnDef, ColumnRole, ColumnType, ForeignKeySchema, Result};

use crate::Dialect;
use crate::ddl::{create_index, foreign_key_clause, foreign_key_name, table_statements};
use crate::writer::SqlWriter;

/// How a dialect alters a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlterSyntax {
    /// `ALTER COLUMN .. TYPE .. USING`, `SET / DROP NOT NULL`,
    /// `DROP CONSTRAINT`.
    Postgres,
    /// `MODIFY COLUMN`, `DROP FOREIGN KEY`, `DROP INDEX .. ON`.
    MySql,
    /// Rebuilds what it cannot alter.
    Sqlite,
}

/// The statements that make `change` on dialect `D`, in order.
pub fn render_change<D: Dialect>(change: &Change<'_>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    match change.step {
        Step::CreateTable { table } => {
            let def = table.to_def()?;
            out.extend(table_statements::<D>(&def, &table.name, false, true));
        }
        Step::DropTable { table } => out.push(sql::<D>(|w| {
            w.push("DROP TABLE ").ident(&table.name);
        })),
        Step::RenameTable { from, to } => {
            // Foreign key constraints are named after their table.
            let fks = &change.before_table()?.foreign_keys;
            if D::ALTER == AlterSyntax::MySql {
                for fk in fks {
                    out.extend(drop_foreign_key::<D>(from, fk, change.before_table()?));
                }
            }
            out.push(sql::<D>(|w| {
                w.push("ALTER TABLE ")
                    .ident(from)
                    .push(" RENAME TO ")
                    .ident(to);
            }));
            // As they are after the rename: one onto the table itself names
            // its new name.
            for fk in &change.after_table()?.foreign_keys {
                out.extend(renamed_foreign_key::<D>(to, fk, from, &fk.column));
            }
        }
        Step::AddColumn { table, column } => {
            if column.auto {
                return Err(refused(format!(
                    "adding `{table}.{}`, a key the database generates, to a table that exists",
                    column.name
                )));
            }
            if D::ALTER == AlterSyntax::Sqlite && !column.nullable {
                // SQLite adds a NOT NULL column only with a default.
                return rebuild::<D>(change);
            }
            let after = change.after_table()?;
            out.push(sql::<D>(|w| {
                w.push("ALTER TABLE ").ident(table).push(" ADD COLUMN ");
                column_clause(w, after, column);
            }));
        }
        Step::DropColumn { table, column } => out.push(sql::<D>(|w| {
            w.push("ALTER TABLE ")
                .ident(table)
                .push(" DROP COLUMN ")
                .ident(&column.name);
        })),
        Step::RenameColumn { table, from, to } => {
            // A foreign key constraint is named after its column.
            let fk = change.before_table()?.foreign_key(from);
            if let (AlterSyntax::MySql, Some(fk)) = (D::ALTER, fk) {
                out.extend(drop_foreign_key::<D>(table, fk, change.before_table()?));
            }
            out.push(sql::<D>(|w| {
                w.push("ALTER TABLE ")
                    .ident(table)
                    .push(" RENAME COLUMN ")
                    .ident(from)
                    .push(" TO ")
                    .ident(to);
            }));
            if let Some(fk) = change.after_table()?.foreign_key(to) {
                out.extend(renamed_foreign_key::<D>(table, fk, table, from));
            }
        }
        Step::AlterColumn { table, from, to } => match D::ALTER {
            AlterSyntax::Sqlite => return rebuild::<D>(change),
            AlterSyntax::MySql => out.push(modify::<D>(table, change.after_table()?, to)),
            AlterSyntax::Postgres => {
                let after = change.after_table()?;
                let mut parts = Vec::new();
                let (old, new) = (
                    bare_type::<D>(change.before_table()?, from),
                    bare_type::<D>(after, to),
                );
                if old != new {
                    parts.push(sql::<D>(|w| {
                        w.push("ALTER COLUMN ")
                            .ident(&to.name)
                            .push(" TYPE ")
                            .push(&new)
                            .push(" USING ")
                            .ident(&to.name)
                            .push("::")
                            .push(&new);
                    }));
                }
                if from.nullable != to.nullable {
                    parts.push(sql::<D>(|w| {
                        w.push("ALTER COLUMN ")
                            .ident(&to.name)
                            .push(if to.nullable {
                                " DROP NOT NULL"
                            } else {
                                " SET NOT NULL"
                            });
                    }));
                }
                if !parts.is_empty() {
                    out.push(sql::<D>(|w| {
                        w.push("ALTER TABLE ")
                            .ident(table)
                            .push(" ")
                            .push(&parts.join(", "));
                    }));
                }
            }
        },
        Step::AddIndex { table, index } => {
            retype::<D>(change, &mut out)?;
            out.push(create_index::<D>(
                table,
                &index.name,
                index.columns.iter().map(String::as_str),
                index.unique,
                false,
            ));
            // MySQL's index of a foreign key's name, kept while no other
            // index began with its column, is not needed any more.
            let lead = index
                .columns
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            if D::ALTER == AlterSyntax::MySql
                && change.after_table()?.foreign_key(lead).is_some()
                && !leads_an_index(change.before_table()?, lead)
            {
                out.push(sql::<D>(|w| {
                    w.push("DROP INDEX ")
                        .ident(&foreign_key_name(table, lead))
                        .push(" ON ")
                        .ident(table);
                }));
            }
        }
        Step::DropIndex { table, index } => {
            // MySQL keeps an index for every foreign key: one of the
            // constraint's name takes over from the index that goes.
            let lead = index
                .columns
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let after_table = change.after_table()?;
            if D::ALTER == AlterSyntax::MySql
                && after_table.foreign_key(lead).is_some()
                && !leads_an_index(after_table, lead)
            {
                out.push(create_index::<D>(
                    table,
                    &foreign_key_name(table, lead),
                    std::iter::once(lead),
                    false,
                    false,
                ));
            }
            out.push(sql::<D>(|w| {
                w.push("DROP INDEX ").ident(&index.name);
                if D::ALTER == AlterSyntax::MySql {
                    w.push(" ON ").ident(table);
                }
            }));
            retype::<D>(change, &mut out)?;
        }
        Step::AddForeignKey { table, foreign_key } => {
            if D::ALTER == AlterSyntax::Sqlite {
                return rebuild::<D>(change);
            }
            retype::<D>(change, &mut out)?;
            out.push(add_foreign_key::<D>(table, foreign_key));
        }
        Step::DropForeignKey { table, foreign_key } => {
            if D::ALTER == AlterSyntax::Sqlite {
                return rebuild::<D>(change);
            }
            out.extend(drop_foreign_key::<D>(
                table,
                foreign_key,
                change.before_table()?,
            ));
            retype::<D>(change, &mut out)?;
        }
        // The expiry column is an ordinary one on SQL: reads leave expired
        // rows out, `purge_expired` deletes them.
        Step::Rust { .. } | Step::SetExpiry { .. } => {}
        _ => return Err(refused(format!("the step \"{}\"", change.step))),
    }
    Ok(out)
}

/// The statements dropping foreign key `fk` of `table` (as `before`
/// holds it).
fn drop_foreign_key<D: Dialect>(
    table: &str,
    fk: &ForeignKeySchema,
    before: &TableSpec,
) -> Vec<String> {
    let name = foreign_key_name(table, &fk.column);
    let mut out = vec![sql::<D>(|w| {
        w.push("ALTER TABLE ").ident(table).push(match D::ALTER {
            AlterSyntax::MySql => " DROP FOREIGN KEY ",
            _ => " DROP CONSTRAINT ",
        });
        w.ident(&name);
    })];
    // MySQL made an index for the foreign key, of its name, where no index
    // began with the column; it stays behind.
    if D::ALTER == AlterSyntax::MySql && !leads_an_index(before, &fk.column) {
        out.push(sql::<D>(|w| {
            w.push("DROP INDEX ").ident(&name).push(" ON ").ident(table);
        }));
    }
    out
}

/// `ALTER TABLE table ADD CONSTRAINT .. FOREIGN KEY ..`.
fn add_foreign_key<D: Dialect>(table: &str, fk: &ForeignKeySchema) -> String {
    sql::<D>(|w| {
        w.push("ALTER TABLE ").ident(table).push(" ADD ");
        foreign_key_clause(
            w,
            table,
            &fk.column,
            &fk.parent_table,
            &fk.parent_column,
            &fk.on_delete,
        );
    })
}

/// After a rename, foreign key `fk` of `table` under its new name: it was
/// named after `old_table` and `old_column`. PostgreSQL renames the
/// constraint; MySQL, which cannot, adds it again (the caller dropped it
/// before the rename); SQLite never names one in a statement.
fn renamed_foreign_key<D: Dialect>(
    table: &str,
    fk: &ForeignKeySchema,
    old_table: &str,
    old_column: &str,
) -> Vec<String> {
    let (old, new) = (
        foreign_key_name(old_table, old_column),
        foreign_key_name(table, &fk.column),
    );
    match D::ALTER {
        AlterSyntax::Postgres if old != new => vec![sql::<D>(|w| {
            w.push("ALTER TABLE ")
                .ident(table)
                .push(" RENAME CONSTRAINT ")
                .ident(&old)
                .push(" TO ")
                .ident(&new);
        })],
        AlterSyntax::MySql => vec![add_foreign_key::<D>(table, fk)],
        _ => Vec::new(),
    }
}

/// Whether `column` is the first column of the table's key or of one of
/// its indexes.
fn leads_an_index(table: &TableSpec, column: &str) -> bool {
    table.primary_key.first().is_some_and(|k| k == column)
        || table
            .indexes
            .iter()
            .any(|ix| ix.columns.first().is_some_and(|c| c == column))
}

/// MySQL's `MODIFY COLUMN` for each column whose type the step changes
/// (text becomes `VARCHAR(255)` when indexed, `LONGTEXT` when no longer).
fn retype<D: Dialect>(change: &Change<'_>, out: &mut Vec<String>) -> Result<()> {
    if D::ALTER != AlterSyntax::MySql {
        return Ok(());
    }
    let (before, after) = (change.before_table()?, change.after_table()?);
    for column in &after.columns {
        let Some(old) = before.column(&column.name) else {
            continue;
        };
        if bare_type::<D>(before, old) != bare_type::<D>(after, column) {
            out.push(modify::<D>(&after.name, after, column));
        }
    }
    Ok(())
}

/// `ALTER TABLE t MODIFY COLUMN c type [NOT NULL]`.
fn modify<D: Dialect>(table: &str, spec: &TableSpec, column: &ColumnSpec) -> String {
    sql::<D>(|w| {
        w.push("ALTER TABLE ").ident(table).push(" MODIFY COLUMN ");
        column_clause(w, spec, column);
    })
}

/// `name type [NOT NULL]` of a column of `table`.
fn column_clause<D: Dialect>(w: &mut SqlWriter<D>, table: &TableSpec, column: &ColumnSpec) {
    let ty = D::column_type(&def(column), table.is_indexed(&column.name));
    w.ident(&column.name).push(" ").push(&ty.ty);
    if !column.nullable && !ty.inline_primary_key {
        w.push(" NOT NULL");
    }
}

/// The column's type without a generation clause.
fn bare_type<D: Dialect>(table: &TableSpec, column: &ColumnSpec) -> String {
    let plain = ColumnSpec {
        auto: false,
        ..column.clone()
    };
    D::column_type(&def(&plain), table.is_indexed(&column.name))
        .ty
        .into_owned()
}

/// A column definition of the spec (its name only borrowed for the type).
fn def(column: &ColumnSpec) -> ColumnDef {
    column
        .ty
        .column_def("column", column.nullable, ColumnRole::Plain, column.auto)
}

/// SQLite's rebuild of the changed table into its shape after the step.
fn rebuild<D: Dialect>(change: &Change<'_>) -> Result<Vec<String>> {
    let (before, after) = (change.before_table()?, change.after_table()?);
    let temp = format!("{}__keyway_new", after.name);
    let bare = TableSpec {
        indexes: Vec::new(),
        ..after.clone()
    };
    let mut out = table_statements::<D>(&bare.to_def()?, &temp, false, false);
    let mut common: Vec<&str> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    for c in &after.columns {
        if let Some(old) = before.column(&c.name) {
            common.push(&c.name);
            values.push(copied::<D>(&after.name, old, c)?);
        }
    }
    if !common.is_empty() {
        out.push(sql::<D>(|w| {
            w.push("INSERT INTO ")
                .ident(&temp)
                .push(" (")
                .ident_list(common.iter().copied())
                .push(") SELECT ")
                .push(&values.join(", "));
            w.push(" FROM ").ident(&after.name);
        }));
    }
    out.push(sql::<D>(|w| {
        w.push("DROP TABLE ").ident(&after.name);
    }));
    out.push(sql::<D>(|w| {
        w.push("ALTER TABLE ")
            .ident(&temp)
            .push(" RENAME TO ")
            .ident(&after.name);
    }));
    for ix in &after.indexes {
        out.push(create_index::<D>(
            &after.name,
            &ix.name,
            ix.columns.iter().map(String::as_str),
            ix.unique,
            false,
        ));
    }
    Ok(out)
}

/// The value a rebuilt SQLite table takes for column `to` from the old
/// table's `from`: the same value where SQLite stores both types alike
/// (integers, floats), a decimal's digits moved to a larger scale (an
/// integer is a decimal of scale 0); any other change is refused.
fn copied<D: Dialect>(table: &str, from: &ColumnSpec, to: &ColumnSpec) -> Result<String> {
    let name = sql::<D>(|w| {
        w.ident(&from.name);
    });
    let (a, b) = (from.ty.ty, to.ty.ty);
    let float = |t: ColumnType| matches!(t, ColumnType::F32 | ColumnType::F64);
    let scale = |t: &ColumnSpec| match t.ty.ty {
        ColumnType::Decimal => Some(t.ty.decimal.unwrap_or((38, 0)).1),
        t if t.is_integer() => Some(0),
        _ => None,
    };
    if from.ty == to.ty || (a.is_integer() && b.is_integer()) || (float(a) && float(b)) {
        return Ok(name);
    }
    if b == ColumnType::Decimal
        && let (Some(s1), Some(s2)) = (scale(from), scale(to))
        && s2 >= s1
    {
        return Ok(match s2 - s1 {
            0 => name,
            up => format!("{name} * {}", 10u128.pow(u32::from(up.min(38)))),
        });
    }
    Err(keyway::Error::Unsupported {
        backend: "sqlite",
        detail: format!(
            "changing `{table}.{}` from {} to {}: SQLite stores the two differently, and a \
             rebuild converts only integers, floats and decimals to a larger scale; add a new \
             column and copy it in a Rust step",
            to.name, from.ty, to.ty
        ),
    })
}

fn sql<D: Dialect>(build: impl FnOnce(&mut SqlWriter<D>)) -> String {
    let mut w = SqlWriter::<D>::new();
    build(&mut w);
    w.finish().sql
}

fn refused(what: String) -> keyway::Error {
    keyway::Error::Invalid {
        what: "migration",
        detail: format!("{what} is not a change keyway makes"),
    }
}
