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
use keyway::{ColumnDef, ColumnRole, ForeignKeySchema, Result};

use crate::Dialect;
use crate::ddl::{create_index, foreign_key_name, table_statements};
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
        Step::RenameTable { from, to } => out.push(sql::<D>(|w| {
            w.push("ALTER TABLE ")
                .ident(from)
                .push(" RENAME TO ")
                .ident(to);
        })),
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
            let after = after(change)?;
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
        Step::RenameColumn { table, from, to } => out.push(sql::<D>(|w| {
            w.push("ALTER TABLE ")
                .ident(table)
                .push(" RENAME COLUMN ")
                .ident(from)
                .push(" TO ")
                .ident(to);
        })),
        Step::AlterColumn { table, from, to } => match D::ALTER {
            AlterSyntax::Sqlite => return rebuild::<D>(change),
            AlterSyntax::MySql => out.push(modify::<D>(table, after(change)?, to)),
            AlterSyntax::Postgres => {
                let after = after(change)?;
                let mut parts = Vec::new();
                let (old, new) = (
                    bare_type::<D>(before(change)?, from),
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
        }
        Step::DropIndex { table, index } => {
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
            out.push(sql::<D>(|w| {
                w.push("ALTER TABLE ").ident(table).push(" ADD ");
                foreign_key_clause(w, table, foreign_key);
            }));
        }
        Step::DropForeignKey { table, foreign_key } => {
            let name = foreign_key_name(table, &foreign_key.column);
            match D::ALTER {
                AlterSyntax::Sqlite => return rebuild::<D>(change),
                AlterSyntax::Postgres => out.push(sql::<D>(|w| {
                    w.push("ALTER TABLE ")
                        .ident(table)
                        .push(" DROP CONSTRAINT ")
                        .ident(&name);
                })),
                AlterSyntax::MySql => {
                    out.push(sql::<D>(|w| {
                        w.push("ALTER TABLE ")
                            .ident(table)
                            .push(" DROP FOREIGN KEY ")
                            .ident(&name);
                    }));
                    // MySQL made an index for the foreign key, of its name,
                    // where no index began with the column; it stays behind.
                    if !leads_an_index(before(change)?, &foreign_key.column) {
                        out.push(sql::<D>(|w| {
                            w.push("DROP INDEX ").ident(&name).push(" ON ").ident(table);
                        }));
                    }
                }
            }
            retype::<D>(change, &mut out)?;
        }
        Step::Rust { .. } => {}
        _ => return Err(refused(format!("the step \"{}\"", change.step))),
    }
    Ok(out)
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
    let (before, after) = (before(change)?, after(change)?);
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
    let mut def = ColumnDef::new(
        "column",
        column.ty.ty,
        column.nullable,
        ColumnRole::Plain,
        column.auto,
    );
    if let Some((p, s)) = column.ty.decimal {
        def = def.with_decimal(p, s);
    }
    def
}

fn foreign_key_clause<D: Dialect>(w: &mut SqlWriter<D>, table: &str, fk: &ForeignKeySchema) {
    w.push("CONSTRAINT ")
        .ident(&foreign_key_name(table, &fk.column))
        .push(" FOREIGN KEY (")
        .ident(&fk.column)
        .push(") REFERENCES ")
        .ident(&fk.parent_table)
        .push(" (")
        .ident(&fk.parent_column)
        .push(") ON DELETE ")
        .push(&fk.on_delete.to_uppercase());
}

/// SQLite's rebuild of the changed table into its shape after the step.
fn rebuild<D: Dialect>(change: &Change<'_>) -> Result<Vec<String>> {
    let (before, after) = (before(change)?, after(change)?);
    let temp = format!("{}__keyway_new", after.name);
    let bare = TableSpec {
        indexes: Vec::new(),
        ..after.clone()
    };
    let mut out = table_statements::<D>(&bare.to_def()?, &temp, false, false);
    let common: Vec<&str> = after
        .columns
        .iter()
        .filter(|c| before.column(&c.name).is_some())
        .map(|c| c.name.as_str())
        .collect();
    if !common.is_empty() {
        out.push(sql::<D>(|w| {
            w.push("INSERT INTO ").ident(&temp).push(" (");
            idents(w, &common);
            w.push(") SELECT ");
            idents(w, &common);
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

fn idents<D: Dialect>(w: &mut SqlWriter<D>, names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        w.ident(name);
    }
}

fn sql<D: Dialect>(build: impl FnOnce(&mut SqlWriter<D>)) -> String {
    let mut w = SqlWriter::<D>::new();
    build(&mut w);
    w.finish().sql
}

fn before<'a>(change: &'a Change<'_>) -> Result<&'a TableSpec> {
    change
        .table_before()
        .ok_or_else(|| missing(change, "before"))
}

fn after<'a>(change: &'a Change<'_>) -> Result<&'a TableSpec> {
    change.table_after().ok_or_else(|| missing(change, "after"))
}

fn missing(change: &Change<'_>, when: &str) -> keyway::Error {
    keyway::Error::Invalid {
        what: "migration",
        detail: format!(
            "the step \"{}\" names table `{}`, which the schema {when} it does not have",
            change.step,
            change.step.table()
        ),
    }
}

fn refused(what: String) -> keyway::Error {
    keyway::Error::Invalid {
        what: "migration",
        detail: format!("{what} is not a change keyway makes"),
    }
}
