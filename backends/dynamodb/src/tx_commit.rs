//! The writes a buffer (`tx_buffer`) sends at commit, and how they are sent:
//! one TransactWriteItems, or chunks of 100 with the deepest rows first.

use keyway::{Error, Result, TableDef};

use crate::action::{Action, Op, Role, target_of};
use crate::connect::Inner;
use crate::foreign_keys::{missing_parent, parent_key};
use crate::marshal::Item;
use crate::names::Names;
use crate::schema::{primary_key, unique_indexes};
use crate::transact_write_items::{MAX_ACTIONS, transact};
use crate::tx_buffer::{Buffer, Entry, add_all, value_in};
use crate::unique::{claim, release, sentinel};
use crate::update_item::set_remove;

/// A claim or release of one sentinel, and the entry it belongs to.
struct SentinelOps {
    claims: Vec<(usize, Action)>,
    releases: Vec<(usize, Action)>,
}

/// The condition that the item exists and `columns` still hold `base`'s values.
fn guard(
    names: &mut Names,
    table: &TableDef,
    base: &Item,
    columns: &[&'static str],
) -> Result<String> {
    let (pk, _) = primary_key(table)?;
    let mut cond = format!("attribute_exists({})", names.name(pk.name));
    for c in columns {
        let n = names.name(c);
        match crate::embedded::attr(table, base, c) {
            Some(v) => {
                let v = names.attr(v.clone());
                cond.push_str(&format!(" AND {n} = {v}"));
            }
            None => cond.push_str(&format!(" AND attribute_not_exists({n})")),
        }
    }
    Ok(cond)
}

/// The write of one entry (none for an insert deleted again).
fn write_of(inner: &Inner, e: &Entry, guarded: &[&'static str]) -> Result<Option<Action>> {
    let table = &e.table;
    let name = inner.table_of(table);
    let (pk, _) = primary_key(table)?;
    let mut names = Names::of(table);
    let (op, cond, role) = match (&e.base, &e.current) {
        (None, None) => return Ok(None),
        (None, Some(cur)) => {
            let cond = format!("attribute_not_exists({})", names.name(pk.name));
            (Op::Put(cur.clone()), cond, Role::Insert)
        }
        (Some(base), None) => {
            let cond = guard(&mut names, table, base, guarded)?;
            (Op::Delete(e.key.clone()), cond, Role::Existing)
        }
        (Some(base), Some(cur)) if e.replaced => {
            let cond = guard(&mut names, table, base, guarded)?;
            (Op::Put(cur.clone()), cond, Role::Existing)
        }
        (Some(base), Some(cur)) => {
            let (mut sets, mut removes) = (Vec::new(), Vec::new());
            for c in &e.set {
                // A field of a struct that is set whole: the struct's map
                // holds it (DynamoDB refuses overlapping paths).
                if let Some((whole, _)) = table.embedded_field(c)
                    && e.set.contains(&whole.name)
                {
                    continue;
                }
                let n = names.name(c);
                match crate::embedded::attr(table, cur, c) {
                    Some(v) => {
                        let p = names.attr(v.clone());
                        sets.push(format!("{n} = {p}"));
                    }
                    None => removes.push(n),
                }
            }
            let expression = set_remove(&sets, &removes);
            let cond = guard(&mut names, table, base, guarded)?;
            let op = match expression.is_empty() {
                true => Op::Check(e.key.clone()),
                false => Op::Update {
                    key: e.key.clone(),
                    expression,
                },
            };
            (op, cond, Role::Existing)
        }
    };
    Ok(Some(Action::new(
        name,
        table.entity,
        op,
        Some(cond),
        names,
        role,
    )))
}

impl Buffer {
    /// The writes to send, one group per entry with its depth.
    pub(crate) fn actions(&self, inner: &Inner) -> Result<Vec<(usize, Vec<Action>)>> {
        let mut groups: Vec<(usize, Vec<Action>)> = Vec::with_capacity(self.entries().len());
        let mut sentinels: Vec<(String, SentinelOps)> = Vec::new();
        let mut checked: Vec<String> = Vec::new();
        for (i, e) in self.entries().iter().enumerate() {
            let table = &e.table;
            let mut guarded = e.guards.clone();
            for index in unique_indexes(table) {
                let of = |item: &Option<Item>| {
                    item.as_ref()
                        .and_then(|it| sentinel(&index, |c| value_in(table, it, c)))
                };
                let (old, new) = (of(&e.base), of(&e.current));
                if old == new {
                    continue;
                }
                add_all(&mut guarded, &index.columns);
                let mut note = |k: String, a: Action, claim: bool| {
                    let at = match sentinels.iter().position(|(s, _)| *s == k) {
                        Some(at) => at,
                        None => {
                            let ops = SentinelOps {
                                claims: Vec::new(),
                                releases: Vec::new(),
                            };
                            sentinels.push((k, ops));
                            sentinels.len() - 1
                        }
                    };
                    let ops = &mut sentinels[at].1;
                    match claim {
                        true => ops.claims.push((i, a)),
                        false => ops.releases.push((i, a)),
                    }
                };
                if let Some(k) = old {
                    note(k.clone(), release(inner, table, k), false);
                }
                if let Some(k) = new {
                    note(k.clone(), claim(inner, table, &index, k), true);
                }
            }
            let mut group: Vec<Action> = write_of(inner, e, &guarded)?.into_iter().collect();
            if let Some(cur) = &e.current {
                for fk in table.foreign_keys {
                    let written = e.base.is_none() || e.replaced || e.set.contains(&fk.column);
                    let Some((parent, key)) = parent_key(inner, table, fk, cur)? else {
                        continue;
                    };
                    if !written {
                        continue;
                    }
                    let id = target_of(fk.parent_table, &key, None);
                    match self.tracked(&id) {
                        Some(p) if p.current.is_none() => return Err(missing_parent(table, fk)),
                        Some(_) => continue,
                        None if fk.parent_table == table.name && key == e.key => continue,
                        None if checked.contains(&id) => continue,
                        None => {}
                    }
                    checked.push(id);
                    group.push(crate::foreign_keys::check(&parent, table, fk, key));
                }
            }
            groups.push((e.depth, group));
        }
        for (_, ops) in sentinels {
            let (c, r) = (ops.claims.len(), ops.releases.len());
            if c >= r + 2 {
                let (_, a) = &ops.claims[c - 1];
                return Err(a.violation());
            }
            let keep = match c.cmp(&r) {
                std::cmp::Ordering::Greater => ops.claims.into_iter().last(),
                std::cmp::Ordering::Less => ops.releases.into_iter().last(),
                std::cmp::Ordering::Equal => None,
            };
            if let Some((i, a)) = keep
                && let Some((_, group)) = groups.get_mut(i)
            {
                group.push(a);
            }
        }
        Ok(groups)
    }

    /// How many writes a commit sends; refuses a buffer over DynamoDB's
    /// limit of one transaction, or one whose unique values collide.
    pub(crate) fn check_commit(&self, inner: &Inner) -> Result<usize> {
        let n: usize = self.actions(inner)?.iter().map(|(_, g)| g.len()).sum();
        if n > MAX_ACTIONS {
            return Err(Error::Unsupported {
                backend: "dynamodb",
                detail: format!(
                    "this transaction would write {n} items (rows, cascaded rows, unique values \
                     and parent checks count): one DynamoDB transaction holds at most {MAX_ACTIONS}"
                ),
            });
        }
        Ok(n)
    }

    /// Sends every write in one TransactWriteItems (all or nothing).
    pub(crate) async fn commit(&self, inner: &Inner) -> Result<()> {
        self.check_commit(inner)?;
        let writes: Vec<Action> = self
            .actions(inner)?
            .into_iter()
            .flat_map(|(_, g)| g)
            .collect();
        if writes.is_empty() {
            return Ok(());
        }
        transact(&inner.client, writes).await
    }

    /// Sends every write: in one TransactWriteItems when they fit, else in
    /// chunks of at most 100, the deepest rows (children) first and the
    /// statement's own rows last, each item with its sentinels.
    pub(crate) async fn run_chunked(&self, inner: &Inner) -> Result<()> {
        let mut groups = self.actions(inner)?;
        groups.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
        let mut chunk: Vec<Action> = Vec::new();
        for (_, group) in groups {
            if chunk.len() + group.len() > MAX_ACTIONS {
                transact(&inner.client, std::mem::take(&mut chunk)).await?;
            }
            chunk.extend(group);
        }
        if !chunk.is_empty() {
            transact(&inner.client, chunk).await?;
        }
        Ok(())
    }
}
