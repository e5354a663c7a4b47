//! A table spec as the [`TableDef`] the backends create tables from, so
//! that a migration's new table is made by the same code as
//! `create_schema`'s. A `TableDef` holds `'static` names: each distinct
//! spec is made into one once and kept for the program's life (a migration
//! tool sees as many as its history holds).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::{ColumnRole, ForeignKeyDef, IndexDef, Layout, LayoutIndex, Result, TableDef};

use super::spec::on_delete_of;
use super::{LayoutSpec, TableSpec};

/// Every string and spec made `'static`, by content.
#[derive(Default)]
struct Kept {
    names: HashMap<String, &'static str>,
    tables: HashMap<TableSpec, TableDef>,
    /// The layout of each table seen (as a parent's, too), by name: a
    /// foreign key made from a spec finds its parent's item by it.
    layouts: HashMap<String, Layout>,
}

/// Notes the layouts of `table` and of the parents its foreign keys name.
pub(crate) fn note_layouts(table: &TableDef) {
    let mut kept = kept();
    if let Some(l) = table.layout {
        kept.layouts.insert(table.name.to_owned(), l);
    }
    for fk in table.foreign_keys {
        if let Some(l) = fk.parent_layout {
            kept.layouts.insert(fk.parent_table.to_owned(), l);
        }
    }
}

fn layout_of(kept: &mut Kept, spec: &LayoutSpec) -> Layout {
    let indexes: Vec<LayoutIndex> = spec
        .indexes
        .iter()
        .map(|(n, p, s)| LayoutIndex::new(keep(kept, n), keep(kept, p), keep(kept, s)))
        .collect();
    let indexes: &'static [LayoutIndex] = Box::leak(indexes.into_boxed_slice());
    Layout::new(keep(kept, &spec.table), keep(kept, &spec.entity_type))
        .key(keep(kept, &spec.partition), keep(kept, &spec.sort))
        .indexes(indexes)
}

fn kept() -> std::sync::MutexGuard<'static, Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// `name`, kept for the program's life (once per distinct name).
pub fn static_name(name: &str) -> &'static str {
    let mut kept = kept();
    keep(&mut kept, name)
}

fn keep(kept: &mut Kept, name: &str) -> &'static str {
    if let Some(&s) = kept.names.get(name) {
        return s;
    }
    let s: &'static str = Box::leak(name.to_owned().into_boxed_str());
    kept.names.insert(name.to_owned(), s);
    s
}

impl TableSpec {
    /// The table as a [`TableDef`]: its key columns carry the key roles,
    /// and every index (single-column ones too) is an [`IndexDef`] of its
    /// own name.
    pub fn to_def(&self) -> Result<TableDef> {
        let mut kept = kept();
        if let Some(def) = kept.tables.get(self) {
            return Ok(*def);
        }
        let name = keep(&mut kept, &self.name);
        let mut columns = Vec::with_capacity(self.columns.len());
        for c in &self.columns {
            let role = match self.primary_key.iter().position(|k| *k == c.name) {
                Some(0) => ColumnRole::PrimaryKey,
                Some(_) => ColumnRole::SortKey,
                None => ColumnRole::Plain,
            };
            let name = keep(&mut kept, &c.name);
            let mut def = c.ty.column_def(name, c.nullable, role, c.auto);
            def.expires_at = self.expires_at.as_deref() == Some(c.name.as_str());
            columns.push(def);
        }
        let mut indexes = Vec::with_capacity(self.indexes.len());
        for ix in &self.indexes {
            let cols: Vec<&'static str> = ix.columns.iter().map(|c| keep(&mut kept, c)).collect();
            let cols: &'static [&'static str] = Box::leak(cols.into_boxed_slice());
            let ix_name = keep(&mut kept, &ix.name);
            indexes.push(if ix.unique {
                IndexDef::unique(ix_name, cols)
            } else {
                IndexDef::non_unique(ix_name, cols)
            });
        }
        let mut foreign_keys = Vec::with_capacity(self.foreign_keys.len());
        for fk in &self.foreign_keys {
            foreign_keys.push(ForeignKeyDef {
                column: keep(&mut kept, &fk.column),
                nullable: self.column(&fk.column).is_some_and(|c| c.nullable),
                parent_table: keep(&mut kept, &fk.parent_table),
                parent_column: keep(&mut kept, &fk.parent_column),
                parent_layout: kept.layouts.get(&fk.parent_table).copied(),
                on_delete: on_delete_of(&fk.on_delete)?,
            });
        }
        let def = TableDef {
            entity: name,
            name,
            columns: Box::leak(columns.into_boxed_slice()),
            indexes: Box::leak(indexes.into_boxed_slice()),
            foreign_keys: Box::leak(foreign_keys.into_boxed_slice()),
            layout: None,
        };
        let layout = self.layout.as_ref().map(|l| layout_of(&mut kept, l));
        if let Some(l) = layout {
            kept.layouts.insert(self.name.clone(), l);
        }
        let def = TableDef { layout, ..def };
        kept.tables.insert(self.clone(), def);
        Ok(def)
    }
}
