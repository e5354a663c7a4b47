//! A step applied to a schema spec: what the schema is after it. A
//! migration history folded from the empty schema gives the schema each
//! migration leaves, which is what the next one starts from.

use crate::Result;

use super::spec::invalid;
use super::{SchemaSpec, Step, TableSpec};

/// Refuses a name no backend can quote safely, in whatever the step names.
fn names(step: &Step) -> crate::Result<()> {
    use crate::check_identifier as check;
    match step {
        Step::RenameTable { from, to } => check(from, "table").and(check(to, "table")),
        Step::AddColumn { table, column } | Step::DropColumn { table, column } => {
            check(table, "table").and(check(&column.name, "column"))
        }
        Step::RenameColumn { table, from, to } => check(table, "table")
            .and(check(from, "column"))
            .and(check(to, "column")),
        Step::AlterColumn { table, from, to } => check(table, "table")
            .and(check(&from.name, "column"))
            .and(check(&to.name, "column")),
        Step::AddIndex { table, index } | Step::DropIndex { table, index } => {
            check(table, "table")?;
            check(&index.name, "index")?;
            index.columns.iter().try_for_each(|c| check(c, "column"))
        }
        Step::AddForeignKey { table, foreign_key }
        | Step::DropForeignKey { table, foreign_key } => check(table, "table")
            .and(check(&foreign_key.column, "column"))
            .and(check(&foreign_key.parent_table, "table"))
            .and(check(&foreign_key.parent_column, "column")),
        Step::SetExpiry { table, from, to } => {
            check(table, "table")?;
            [from, to]
                .into_iter()
                .flatten()
                .try_for_each(|c| check(c, "column"))
        }
        // A created table is validated whole; a dropped one was created.
        Step::CreateTable { .. } | Step::DropTable { .. } | Step::Rust { .. } => Ok(()),
    }
}

/// A step whose record of what it changes (which undoing it restores)
/// differs from what the steps before it leave.
fn not_as_it_was(what: &str) -> crate::Error {
    invalid(format!(
        "the step records {what} otherwise than the steps before it leave it (was a migration \
         file edited?); undoing it would not restore it"
    ))
}

impl SchemaSpec {
    /// Applies `step` to the spec, or says why it does not fit (a table
    /// that is not there, a column added twice, ...).
    pub fn apply(&mut self, step: &Step) -> Result<()> {
        names(step)?;
        match step {
            Step::CreateTable { table } => {
                if self.table(&table.name).is_some() {
                    return Err(invalid(format!("table `{}` exists already", table.name)));
                }
                table.to_def()?.validate(table.primary_key.len())?;
                self.tables.push(table.clone());
            }
            Step::DropTable { table } => {
                let now = self.table_mut(&table.name)?;
                let one = |t: &TableSpec| {
                    SchemaSpec {
                        tables: vec![t.clone()],
                    }
                    .normalized()
                };
                if one(now) != one(table) {
                    return Err(not_as_it_was(&format!("table `{}`", table.name)));
                }
                self.tables.retain(|t| t.name != table.name);
            }
            Step::RenameTable { from, to } => {
                if self.table(to).is_some() {
                    return Err(invalid(format!("table `{to}` exists already")));
                }
                self.table_mut(from)?.name = to.clone();
                for t in &mut self.tables {
                    for fk in &mut t.foreign_keys {
                        if fk.parent_table == *from {
                            fk.parent_table = to.clone();
                        }
                    }
                }
            }
            Step::AddColumn { table, column } => {
                let t = self.table_mut(table)?;
                if t.column(&column.name).is_some() {
                    return Err(invalid(format!("`{table}.{}` exists already", column.name)));
                }
                t.columns.push(column.clone());
            }
            Step::DropColumn { table, column } => {
                let t = self.table_mut(table)?;
                if t.column(&column.name).is_none() {
                    return Err(invalid(format!(
                        "there is no column `{table}.{}`",
                        column.name
                    )));
                }
                if t.column(&column.name) != Some(column) {
                    return Err(not_as_it_was(&format!("column `{table}.{}`", column.name)));
                }
                if t.is_indexed(&column.name) {
                    return Err(invalid(format!(
                        "`{table}.{}` is in the key, an index or a foreign key: drop that first",
                        column.name
                    )));
                }
                if t.expires_at.as_deref() == Some(column.name.as_str()) {
                    return Err(invalid(format!(
                        "rows of `{table}` expire by `{}`: stop that first",
                        column.name
                    )));
                }
                t.columns.retain(|c| c.name != column.name);
            }
            Step::RenameColumn { table, from, to } => {
                let t = self.table_mut(table)?;
                if t.column(to).is_some() {
                    return Err(invalid(format!("`{table}.{to}` exists already")));
                }
                let rename = |name: &mut String| {
                    if name == from {
                        *name = to.clone();
                    }
                };
                t.columns
                    .iter_mut()
                    .find(|c| c.name == *from)
                    .map(|c| c.name = to.clone())
                    .ok_or_else(|| invalid(format!("there is no column `{table}.{from}`")))?;
                t.primary_key.iter_mut().for_each(rename);
                t.expires_at.iter_mut().for_each(rename);
                t.indexes
                    .iter_mut()
                    .for_each(|ix| ix.columns.iter_mut().for_each(rename));
                t.foreign_keys
                    .iter_mut()
                    .for_each(|fk| rename(&mut fk.column));
                for other in &mut self.tables {
                    for fk in &mut other.foreign_keys {
                        if fk.parent_table == *table && fk.parent_column == *from {
                            fk.parent_column = to.clone();
                        }
                    }
                }
            }
            Step::AlterColumn { table, from, to } => {
                if from.name != to.name {
                    return Err(invalid(format!(
                        "altering `{table}.{}` cannot rename it to `{}`: rename it in a step of its own",
                        from.name, to.name
                    )));
                }
                let t = self.table_mut(table)?;
                let c = t
                    .columns
                    .iter_mut()
                    .find(|c| c.name == from.name)
                    .ok_or_else(|| {
                        invalid(format!("there is no column `{table}.{}`", from.name))
                    })?;
                if c != from {
                    return Err(not_as_it_was(&format!("column `{table}.{}`", from.name)));
                }
                *c = to.clone();
            }
            Step::AddIndex { table, index } => {
                let t = self.table_mut(table)?;
                if t.index(&index.name).is_some() {
                    return Err(invalid(format!("index `{}` exists already", index.name)));
                }
                if let Some(c) = index.columns.iter().find(|c| t.column(c).is_none()) {
                    return Err(invalid(format!(
                        "index `{}` names no column `{table}.{c}`",
                        index.name
                    )));
                }
                t.indexes.push(index.clone());
            }
            Step::DropIndex { table, index } => {
                let t = self.table_mut(table)?;
                if t.index(&index.name).is_none() {
                    return Err(invalid(format!(
                        "there is no index `{}` on `{table}`",
                        index.name
                    )));
                }
                if t.index(&index.name) != Some(index) {
                    return Err(not_as_it_was(&format!("index `{}`", index.name)));
                }
                t.indexes.retain(|ix| ix.name != index.name);
            }
            Step::AddForeignKey { table, foreign_key } => {
                super::spec::on_delete_of(&foreign_key.on_delete)?;
                let t = self.table_mut(table)?;
                if t.column(&foreign_key.column).is_none() {
                    return Err(invalid(format!(
                        "there is no column `{table}.{}`",
                        foreign_key.column
                    )));
                }
                if t.foreign_key(&foreign_key.column).is_some() {
                    return Err(invalid(format!(
                        "`{table}.{}` has a foreign key already",
                        foreign_key.column
                    )));
                }
                t.foreign_keys.push(foreign_key.clone());
            }
            Step::DropForeignKey { table, foreign_key } => {
                let t = self.table_mut(table)?;
                if t.foreign_key(&foreign_key.column).is_none() {
                    return Err(invalid(format!(
                        "`{table}.{}` has no foreign key",
                        foreign_key.column
                    )));
                }
                if t.foreign_key(&foreign_key.column) != Some(foreign_key) {
                    return Err(not_as_it_was(&format!(
                        "the foreign key of `{table}.{}`",
                        foreign_key.column
                    )));
                }
                t.foreign_keys.retain(|fk| fk.column != foreign_key.column);
            }
            Step::SetExpiry { table, from, to } => {
                let t = self.table_mut(table)?;
                if t.expires_at != *from {
                    return Err(not_as_it_was(&format!("the expiry column of `{table}`")));
                }
                if let Some(c) = to
                    && t.column(c).is_none()
                {
                    return Err(invalid(format!(
                        "there is no column `{table}.{c}` for rows to expire by"
                    )));
                }
                t.expires_at = to.clone();
            }
            Step::Rust { .. } => {}
        }
        Ok(())
    }

    /// The same schema in a fixed order (tables, columns, indexes and
    /// foreign keys by name), for comparing two specs whatever order their
    /// steps added things in.
    pub fn normalized(&self) -> SchemaSpec {
        let mut spec = self.clone();
        spec.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for t in &mut spec.tables {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            t.foreign_keys.sort_by(|a, b| a.column.cmp(&b.column));
        }
        spec
    }
}
