//! Buffered writes that compose: one entry per item written, holding what
//! the table held when the item was first touched (`base`) and what it
//! holds after the buffer's writes (`current`). The writes sent at commit
//! are derived from the two, so any sequence of writes of one item becomes
//! at most one write:
//!
//! | base | current | sent |
//! | --- | --- | --- |
//! | absent (inserted) | absent (then deleted) | nothing |
//! | absent | present | Put, `attribute_not_exists` on the key |
//! | present (read) | absent | Delete, conditioned on the item as read |
//! | present | present | UpdateItem of the columns set (a Put after delete + insert), conditioned |
//!
//! Unique-value sentinels are derived the same way, from the unique values
//! of `base` and `current` across every entry: a value released by one
//! entry and claimed by another is left in place, a value claimed twice is
//! a duplicate. Foreign keys of `current` that were written add a
//! ConditionCheck on the parent, unless the buffer writes that parent too.
//! (The writes are derived in `tx_commit`.)

use std::collections::HashMap;

use keyway::{ColumnType, Error, Result, TableDef, Value};

use crate::action::target_of;
use crate::marshal::{Item, from_attr};

/// One item written by the buffer.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) table: TableDef,
    /// The key attributes.
    pub(crate) key: Item,
    /// The item as read from the table; `None` for an insert, which must be new.
    pub(crate) base: Option<Item>,
    /// The item after the buffer's writes; `None` once deleted.
    pub(crate) current: Option<Item>,
    /// The columns updates set (sent as an UpdateItem of only those).
    pub(crate) set: Vec<&'static str>,
    /// Whether the item was deleted, then inserted again (sent as a Put).
    pub(crate) replaced: bool,
    /// Columns that must still hold their `base` value at commit.
    pub(crate) guards: Vec<&'static str>,
    /// 0 for a statement's own rows, 1 for their children, and so on.
    pub(crate) depth: usize,
}

/// The buffered writes, in the order their items were first touched.
#[derive(Debug, Clone, Default)]
pub(crate) struct Buffer {
    entries: Vec<Entry>,
    at: HashMap<String, usize>,
}

/// The key attributes of `item`, a row of `table`.
pub(crate) fn key_of(table: &TableDef, item: &Item) -> Item {
    crate::layout::key_attributes(table)
        .into_iter()
        .filter_map(|k| item.get(k).map(|v| (k.to_owned(), v.clone())))
        .collect()
}

fn column_type(table: &TableDef, column: &str) -> ColumnType {
    table.sql_column(column).map_or(ColumnType::Text, |c| c.ty)
}

/// The value of `column` in `item` (NULL when absent or unreadable).
pub(crate) fn value_in(table: &TableDef, item: &Item, column: &str) -> Value {
    from_attr(
        crate::embedded::attr(table, item, column).cloned(),
        column_type(table, column),
    )
    .unwrap_or(Value::Null)
}

pub(crate) fn apply(
    table: &TableDef,
    item: &mut Item,
    set: &[(&'static str, Value)],
) -> Result<()> {
    for (column, v) in set {
        let attr = crate::embedded::encode(table, column, v.clone())?;
        crate::embedded::put(table, item, column, attr);
    }
    Ok(())
}

pub(crate) fn add_all(to: &mut Vec<&'static str>, more: &[&'static str]) {
    for c in more {
        if !to.contains(c) {
            to.push(c);
        }
    }
}

impl Buffer {
    fn id(table: &TableDef, key: &Item) -> String {
        target_of(table.name, key, None)
    }

    /// Whether the buffer writes nothing of table `name`.
    pub(crate) fn untouched(&self, name: &str) -> bool {
        !self.entries.iter().any(|e| e.table.name == name)
    }

    /// The item of `table` with `key` as the buffer sees it: `None` when
    /// the buffer does not write it, `Some(None)` when it deleted it.
    pub(crate) fn view(&self, table: &TableDef, key: &Item) -> Option<Option<&Item>> {
        self.view_named(table.name, key)
    }

    /// [`view`](Self::view) of the table called `name`.
    pub(crate) fn view_named(&self, name: &str, key: &Item) -> Option<Option<&Item>> {
        let i = *self.at.get(&target_of(name, key, None))?;
        self.entries.get(i).map(|e| e.current.as_ref())
    }

    /// The items of `table` the buffer holds (not the deleted ones).
    pub(crate) fn items_of<'a>(&'a self, table: &'a TableDef) -> impl Iterator<Item = &'a Item> {
        self.entries
            .iter()
            .filter(move |e| e.table.name == table.name)
            .filter_map(|e| e.current.as_ref())
    }

    fn entry(&mut self, table: &TableDef, key: &Item) -> Option<&mut Entry> {
        let i = *self.at.get(&Self::id(table, key))?;
        self.entries.get_mut(i)
    }

    /// Every entry, in the order its item was first touched.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry of the item whose identity is `id` (`target_of`).
    pub(crate) fn tracked(&self, id: &str) -> Option<&Entry> {
        self.at.get(id).and_then(|i| self.entries.get(*i))
    }

    fn push(&mut self, entry: Entry) {
        self.at
            .insert(Self::id(&entry.table, &entry.key), self.entries.len());
        self.entries.push(entry);
    }

    /// Inserts `item`: a duplicate of an item the buffer holds is
    /// `UniqueViolation { index: "PRIMARY" }`.
    pub(crate) fn insert(&mut self, table: &TableDef, item: Item) -> Result<()> {
        let key = key_of(table, &item);
        match self.entry(table, &key) {
            Some(e) if e.current.is_some() => Err(Error::UniqueViolation {
                entity: table.entity,
                index: "PRIMARY".into(),
            }),
            Some(e) => {
                e.replaced = e.base.is_some();
                e.current = Some(item);
                Ok(())
            }
            None => {
                self.push(Entry {
                    table: *table,
                    key,
                    base: None,
                    current: Some(item),
                    set: Vec::new(),
                    replaced: false,
                    guards: Vec::new(),
                    depth: 0,
                });
                Ok(())
            }
        }
    }

    /// Sets columns of `found`, an item as [`view`](Self::view) or the
    /// table shows it (not a deleted one).
    pub(crate) fn update(
        &mut self,
        table: &TableDef,
        found: Item,
        set: &[(&'static str, Value)],
        guards: &[&'static str],
        depth: usize,
    ) -> Result<()> {
        let key = key_of(table, &found);
        let columns: Vec<&'static str> = set.iter().map(|(c, _)| *c).collect();
        if let Some(e) = self.entry(table, &key) {
            let Some(current) = e.current.as_mut() else {
                return Err(Error::NotFound {
                    entity: table.entity,
                });
            };
            apply(table, current, set)?;
            crate::item_size::check_item(table.entity, current)?;
            add_all(&mut e.set, &columns);
            add_all(&mut e.guards, guards);
            e.depth = e.depth.max(depth);
            return Ok(());
        }
        let mut current = found.clone();
        apply(table, &mut current, set)?;
        crate::item_size::check_item(table.entity, &current)?;
        self.push(Entry {
            table: *table,
            key,
            base: Some(found),
            current: Some(current),
            set: columns,
            replaced: false,
            guards: guards.to_vec(),
            depth,
        });
        Ok(())
    }

    /// Deletes `found` (as [`update`](Self::update) takes it).
    pub(crate) fn delete(
        &mut self,
        table: &TableDef,
        found: Item,
        guards: &[&'static str],
        depth: usize,
    ) {
        let key = key_of(table, &found);
        if let Some(e) = self.entry(table, &key) {
            e.current = None;
            add_all(&mut e.guards, guards);
            e.depth = e.depth.max(depth);
            return;
        }
        self.push(Entry {
            table: *table,
            key,
            base: Some(found),
            current: None,
            set: Vec::new(),
            replaced: false,
            guards: guards.to_vec(),
            depth,
        });
    }
}
