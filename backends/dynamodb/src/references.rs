//! Which child tables reference a parent table, so that deleting a parent
//! can restrict, cascade or set NULL as SQL does.
//!
//! A foreign key is declared on the child (`Entity::FOREIGN_KEYS`), but the
//! delete runs on the parent, perhaps in a process that never created (or
//! even compiled) the child. So when `create_table` creates a child table,
//! it first records each of its foreign keys as an item of the managed
//! `keyway_meta` table: partition the parent's table name, sort key
//! `ref#{child table}#{column}`, and the child's whole schema as text
//! (`schema_text`), enough to find, delete and release the unique values of
//! its rows and to follow its own children. It is recorded before the child
//! table exists, so a crash in between leaves a reference to a missing
//! table (read as "no children"), never a child table nobody knows of.
//! `drop_table` of the child deletes its records; dropping the parent keeps
//! them (the child still declares its references).
//!
//! A process reads a parent's records with one strongly consistent Query at
//! its first delete from the parent and keeps them for [`REFRESH`]; its own
//! `create_table` and `drop_table` update what it keeps at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use futures::TryStreamExt;
use keyway::{Error, ForeignKeyDef, Result, TableDef};

use crate::connect::Inner;
use crate::errors::is_missing_table;
use crate::marshal::Item;
use crate::page;
use crate::schema::{META_PK, META_SK, META_TABLE};
use crate::schema_text;

/// How long a process trusts the references it read: a child table that
/// another process creates is seen by this one's deletes after at most this.
pub(crate) const REFRESH: Duration = Duration::from_secs(10);

/// The sort-key prefix of reference records in `keyway_meta`.
pub(crate) const REF_PREFIX: &str = "ref#";

/// The attribute holding the child's schema text.
const SCHEMA: &str = "schema";

/// One foreign key of a child table onto the parent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildRef {
    /// The child table (decoded from `keyway_meta` when not created here).
    pub(crate) child: TableDef,
    /// Its foreign key onto the parent.
    pub(crate) fk: ForeignKeyDef,
}

/// The references of one parent table, and when they were read.
type Known = (Instant, Arc<[ChildRef]>);

/// The references a process knows, per parent table.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    known: Mutex<HashMap<String, Known>>,
}

impl Registry {
    fn update(&self, parent: &str, change: impl FnOnce(&mut Vec<ChildRef>)) {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, refs)) = known.get_mut(parent) {
            let mut list = refs.to_vec();
            change(&mut list);
            *refs = list.into();
        }
    }
}

fn ref_key(child: &str, column: &str) -> String {
    format!("{REF_PREFIX}{child}#{column}")
}

/// Records `child`'s foreign keys (before its table is created).
pub(crate) async fn register(inner: &Inner, child: &TableDef) -> Result<()> {
    if child.foreign_keys.is_empty() {
        return Ok(());
    }
    let text = schema_text::encode(child)?;
    for fk in child.foreign_keys {
        let mut item = crate::meta::key(fk.parent_table, ref_key(child.name, fk.column));
        item.insert(SCHEMA.to_owned(), AttributeValue::S(text.clone()));
        crate::meta::put(inner, item, fk.column).await?;
        let new = ChildRef {
            child: *child,
            fk: *fk,
        };
        inner.references.update(fk.parent_table, |list| {
            list.retain(|r| !(r.child.name == child.name && r.fk.column == fk.column));
            list.push(new);
        });
    }
    Ok(())
}

/// Forgets `child`'s foreign keys (when its table is dropped).
pub(crate) async fn unregister(inner: &Inner, child: &TableDef) -> Result<()> {
    for fk in child.foreign_keys {
        let key = crate::meta::key(fk.parent_table, ref_key(child.name, fk.column));
        crate::meta::delete(inner, key, fk.column).await?;
        inner.references.update(fk.parent_table, |list| {
            list.retain(|r| r.child.name != child.name);
        });
    }
    Ok(())
}

fn malformed(detail: String) -> Error {
    Error::Invalid {
        what: "schema",
        detail: format!("keyway_meta holds a malformed foreign-key record: {detail}"),
    }
}

/// The reference recorded in `item`, a record of parent table `parent`.
fn parse(parent: &str, item: &Item) -> Result<ChildRef> {
    let sort = match item.get(META_SK) {
        Some(AttributeValue::S(s)) => s.as_str(),
        _ => return Err(malformed("no sort key".into())),
    };
    let column = sort.rsplit('#').next().unwrap_or_default();
    let Some(AttributeValue::S(text)) = item.get(SCHEMA) else {
        return Err(malformed(format!("`{sort}` holds no schema")));
    };
    let child = schema_text::decode(text)?;
    let fk = child
        .foreign_keys
        .iter()
        .find(|f| f.column == column && f.parent_table == parent)
        .ok_or_else(|| malformed(format!("`{sort}` names no foreign key onto `{parent}`")))?;
    Ok(ChildRef { child, fk: *fk })
}

async fn load(inner: &Inner, parent: &str) -> Result<Vec<ChildRef>> {
    let meta = inner.table_name(META_TABLE);
    tracing::debug!(
        db.statement = "Query",
        table = meta.as_str(),
        references = parent
    );
    let request = inner
        .client
        .query()
        .table_name(&meta)
        .key_condition_expression("#p = :p AND begins_with(#k, :r)")
        .expression_attribute_names("#p", META_PK)
        .expression_attribute_names("#k", META_SK)
        .expression_attribute_values(":p", AttributeValue::S(parent.to_owned()))
        .expression_attribute_values(":r", AttributeValue::S(REF_PREFIX.to_owned()))
        .consistent_read(true);
    let pages: Vec<page::Page> = match page::pages(request).try_collect().await {
        Ok(p) => p,
        Err(e) if is_missing_table(&e) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    pages
        .iter()
        .flat_map(|p| &p.items)
        .map(|item| parse(parent, item))
        .collect()
}

/// Every foreign key onto `parent` (a table's name without the prefix).
pub(crate) async fn children(inner: &Inner, parent: &str) -> Result<Arc<[ChildRef]>> {
    {
        let known = inner
            .references
            .known
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((at, refs)) = known.get(parent)
            && at.elapsed() < REFRESH
        {
            return Ok(refs.clone());
        }
    }
    let refs: Arc<[ChildRef]> = load(inner, parent).await?.into();
    let mut known = inner
        .references
        .known
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    known.insert(parent.to_owned(), (Instant::now(), refs.clone()));
    Ok(refs)
}
