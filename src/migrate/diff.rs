//! The steps that take one schema spec to another.

use crate::Result;

use super::spec::invalid;
use super::{SchemaSpec, Step, TableSpec};

/// Renames declared in code: without one, a table or column that changed
/// its name is a drop and an add, and its data is lost.
///
/// ```
/// use keyway::migrate::Renames;
/// let renames = Renames::new()
///     .table("todo_items", "todos")
///     .column("todos", "title", "name"); // the table's new name
/// # let _ = renames;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    tables: Vec<(String, String)>,
    columns: Vec<(String, String, String)>,
}

impl Renames {
    /// No renames.
    pub fn new() -> Self {
        Renames::default()
    }

    /// Table `from` is now called `to`.
    pub fn table(mut self, from: &str, to: &str) -> Self {
        self.tables.push((from.to_owned(), to.to_owned()));
        self
    }

    /// Column `from` of `table` (by the table's new name) is now `to`.
    pub fn column(mut self, table: &str, from: &str, to: &str) -> Self {
        self.columns
            .push((table.to_owned(), from.to_owned(), to.to_owned()));
        self
    }

    /// The table renames, old name then new.
    pub fn tables(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tables.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// The column renames of `table` (its new name), old name then new.
    pub fn columns_of<'a>(&'a self, table: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.columns
            .iter()
            .filter(move |(t, _, _)| t == table)
            .map(|(_, a, b)| (a.as_str(), b.as_str()))
    }
}

/// The steps that take schema `from` to schema `to`, in an order every
/// backend can apply: renames; the indexes and foreign keys that go; new
/// tables, parents first; columns added, altered and dropped; the indexes
/// and foreign keys that come; tables dropped, children first.
///
/// A rename declared in `renames` whose old name is gone and new name
/// arrived is a rename; any other name change is a drop and an add
/// ([`Step::destructive`] says so). A table whose key columns change is
/// refused: no backend changes a key in place.
pub fn plan(from: &SchemaSpec, to: &SchemaSpec, renames: &Renames) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    let mut now = from.clone();
    let push = |now: &mut SchemaSpec, steps: &mut Vec<Step>, step: Step| -> Result<()> {
        now.apply(&step)?;
        steps.push(step);
        Ok(())
    };
    for (old, new) in &renames.tables {
        if now.table(old).is_some() && now.table(new).is_none() && to.table(new).is_some() {
            let step = Step::RenameTable {
                from: old.clone(),
                to: new.clone(),
            };
            push(&mut now, &mut steps, step)?;
        }
    }
    for (table, old, new) in &renames.columns {
        let (Some(before), Some(after)) = (now.table(table), to.table(table)) else {
            continue;
        };
        if before.column(old).is_some()
            && before.column(new).is_none()
            && after.column(new).is_some()
            && after.column(old).is_none()
        {
            let step = Step::RenameColumn {
                table: table.clone(),
                from: old.clone(),
                to: new.clone(),
            };
            push(&mut now, &mut steps, step)?;
        }
    }
    // Keys first: what cannot be planned is refused before anything else.
    for after in &to.tables {
        if let Some(before) = now.table(&after.name)
            && before.layout != after.layout
        {
            return Err(invalid(format!(
                "where DynamoDB keeps `{}` changes (its layout, or whether it shares a table): \
                 its items stay where they are; declare a new entity, copy the items in a \
                 Rust step, and drop the old one",
                after.name
            )));
        }
        if let Some(before) = now.table(&after.name)
            && before.primary_key != after.primary_key
        {
            return Err(invalid(format!(
                "the key of `{}` changes from ({}) to ({}): no backend changes a table's key in \
                 place; declare a new entity with the new key, copy the rows in a Rust step, \
                 and drop the old one",
                after.name,
                before.primary_key.join(", "),
                after.primary_key.join(", ")
            )));
        }
    }
    // Columns whose type changes: a foreign key at either end of one is
    // dropped first and made again after (MySQL refuses the change under
    // it).
    let retyped = |table: &str, column: &str| {
        let before = now.table(table).and_then(|t| t.column(column));
        let after = to.table(table).and_then(|t| t.column(column));
        matches!((before, after), (Some(b), Some(a)) if b.ty != a.ty)
    };
    let retyped: Vec<(String, String)> = now
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(move |c| (t.name.clone(), c.name.clone()))
        })
        .filter(|(t, c)| retyped(t, c))
        .collect();
    let touches = |table: &str, fk: &crate::ForeignKeySchema| {
        retyped.iter().any(|(t, c)| {
            (t == table && *c == fk.column) || (*t == fk.parent_table && *c == fk.parent_column)
        })
    };
    // The foreign keys of tables that go, first: they would hold what the
    // steps below change (a key's type, an index) until their table goes.
    let leaving: Vec<TableSpec> = now
        .tables
        .iter()
        .filter(|t| to.table(&t.name).is_none())
        .cloned()
        .collect();
    for table in leaving {
        for fk in table.foreign_keys {
            let step = Step::DropForeignKey {
                table: table.name.clone(),
                foreign_key: fk,
            };
            push(&mut now, &mut steps, step)?;
        }
    }
    // What goes away first, so that columns it covers can change.
    for after in &to.tables {
        let Some(before) = now.table(&after.name).cloned() else {
            continue;
        };
        for fk in &before.foreign_keys {
            if !after.foreign_keys.contains(fk) || touches(&after.name, fk) {
                let step = Step::DropForeignKey {
                    table: after.name.clone(),
                    foreign_key: fk.clone(),
                };
                push(&mut now, &mut steps, step)?;
            }
        }
        for ix in &before.indexes {
            if after.index(&ix.name) != Some(ix) {
                let step = Step::DropIndex {
                    table: after.name.clone(),
                    index: ix.clone(),
                };
                push(&mut now, &mut steps, step)?;
            }
        }
        // An expiry column that changes: here, where the column it comes
        // to exists already and the one it leaves is still there; else
        // stopped here and started once the new column is added (below).
        let (old, new) = (&before.expires_at, &after.expires_at);
        if old != new && new.as_ref().is_none_or(|c| before.column(c).is_some()) {
            let step = Step::SetExpiry {
                table: after.name.clone(),
                from: old.clone(),
                to: new.clone(),
            };
            push(&mut now, &mut steps, step)?;
        }
    }
    // New tables come with their indexes and foreign keys; a dropped
    // table's go with it (and those of kept tables pointing at it went
    // above, as `to` does not have them).
    for after in &to.tables {
        if now.table(&after.name).is_none() {
            push(
                &mut now,
                &mut steps,
                Step::CreateTable {
                    table: after.clone(),
                },
            )?;
            continue;
        }
        columns(&mut now, &mut steps, after)?;
    }
    for after in &to.tables {
        let before = now.table(&after.name).cloned().expect("created above");
        for ix in &after.indexes {
            if before.index(&ix.name).is_none() {
                let step = Step::AddIndex {
                    table: after.name.clone(),
                    index: ix.clone(),
                };
                push(&mut now, &mut steps, step)?;
            }
        }
        for fk in &after.foreign_keys {
            if !before.foreign_keys.contains(fk) {
                let step = Step::AddForeignKey {
                    table: after.name.clone(),
                    foreign_key: fk.clone(),
                };
                push(&mut now, &mut steps, step)?;
            }
        }
    }
    let mut gone: Vec<TableSpec> = now
        .tables
        .iter()
        .rev()
        .filter(|t| to.table(&t.name).is_none())
        .cloned()
        .collect();
    // Children before their parents: each time, a table no other table
    // still to drop references (a cycle goes in the order it has).
    while !gone.is_empty() {
        let free = gone
            .iter()
            .position(|t| {
                !gone.iter().any(|o| {
                    o.name != t.name && o.foreign_keys.iter().any(|fk| fk.parent_table == t.name)
                })
            })
            .unwrap_or(0);
        let table = gone.remove(free);
        push(&mut now, &mut steps, Step::DropTable { table })?;
    }
    Ok(steps)
}

/// The column steps of a table in both schemas: added, altered, dropped;
/// between the added and the dropped ones, an expiry column that moves to
/// a new column (one step: DynamoDB allows one change of its Time to Live
/// an hour, and the attribute it reads stays the same).
fn columns(now: &mut SchemaSpec, steps: &mut Vec<Step>, after: &TableSpec) -> Result<()> {
    let before = now.table(&after.name).cloned().expect("the table exists");
    let table = &after.name;
    let expiry = (before.expires_at != after.expires_at).then(|| Step::SetExpiry {
        table: table.clone(),
        from: before.expires_at.clone(),
        to: after.expires_at.clone(),
    });
    let mut expiry_placed = false;
    let mut found = Vec::new();
    for column in &after.columns {
        found.push(match before.column(&column.name) {
            None => Step::AddColumn {
                table: table.clone(),
                column: column.clone(),
            },
            Some(old) if old != column => {
                if old.auto != column.auto {
                    return Err(invalid(format!(
                        "`{table}.{}` changes whether the database generates it: no backend \
                         changes that in place; add a new column instead",
                        column.name
                    )));
                }
                Step::AlterColumn {
                    table: table.clone(),
                    from: old.clone(),
                    to: column.clone(),
                }
            }
            Some(_) => continue,
        });
    }
    for column in &before.columns {
        if after.column(&column.name).is_none() {
            if !expiry_placed && let Some(step) = &expiry {
                found.push(step.clone());
                expiry_placed = true;
            }
            found.push(Step::DropColumn {
                table: table.clone(),
                column: column.clone(),
            });
        }
    }
    if !expiry_placed && let Some(step) = expiry {
        found.push(step);
    }
    for step in found {
        now.apply(&step)?;
        steps.push(step);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ForeignKeySchema;
    use crate::migrate::ColumnSpec;

    fn col(name: &str, ty: &str) -> ColumnSpec {
        ColumnSpec {
            name: name.into(),
            ty: ty.parse().unwrap(),
            nullable: false,
            auto: false,
            embedded_in: None,
        }
    }

    fn table(name: &str, columns: Vec<ColumnSpec>, fks: Vec<ForeignKeySchema>) -> TableSpec {
        TableSpec {
            name: name.into(),
            primary_key: vec![columns[0].name.clone()],
            columns,
            indexes: Vec::new(),
            foreign_keys: fks,
            expires_at: None,
            layout: None,
        }
    }

    fn fk(column: &str, parent: &str) -> ForeignKeySchema {
        ForeignKeySchema {
            column: column.into(),
            parent_table: parent.into(),
            parent_column: "id".into(),
            on_delete: "restrict".into(),
        }
    }

    /// A parent and a child whose foreign key came in a later migration,
    /// both dropped: the foreign key goes first (it would hold what the
    /// other steps change), and comes back last on the way down.
    #[test]
    fn tables_drop_their_foreign_keys_first() {
        let child = table(
            "child",
            vec![col("id", "i64"), col("parent_id", "i64")],
            vec![fk("parent_id", "parent")],
        );
        let parent = table("parent", vec![col("id", "i64")], Vec::new());
        let from = SchemaSpec {
            tables: vec![child, parent],
        };
        let steps = plan(&from, &SchemaSpec::default(), &Renames::new()).unwrap();
        let order: Vec<String> = steps.iter().map(|s| s.to_string()).collect();
        let fk = "foreign key `parent_id` -> `parent.id` on delete restrict on child";
        assert_eq!(order[0], format!("drop {fk}"));
        assert_eq!(order.len(), 3, "{order:?}");
        let back: Vec<String> = steps
            .iter()
            .rev()
            .map(|s| s.inverse().to_string())
            .collect();
        assert_eq!(back[2], format!("add {fk}"));
        // The way down applies to the empty schema and leaves `from`.
        let mut spec = SchemaSpec::default();
        for step in steps.iter().rev() {
            spec.apply(&step.inverse()).unwrap();
        }
        assert_eq!(spec.normalized(), from.normalized());
    }

    /// A key whose type changes takes the foreign keys onto it off first
    /// and puts them back after.
    #[test]
    fn foreign_keys_step_aside_for_a_type_change() {
        let child = |ty| {
            table(
                "child",
                vec![col("id", "i64"), col("parent_id", ty)],
                vec![fk("parent_id", "parent")],
            )
        };
        let parent = |ty| table("parent", vec![col("id", ty)], Vec::new());
        let from = SchemaSpec {
            tables: vec![parent("i32"), child("i32")],
        };
        let to = SchemaSpec {
            tables: vec![parent("i64"), child("i64")],
        };
        let steps: Vec<String> = plan(&from, &to, &Renames::new())
            .unwrap()
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            steps,
            [
                "drop foreign key `parent_id` -> `parent.id` on delete restrict on child",
                "alter column parent.id from i32 NOT NULL to i64 NOT NULL",
                "alter column child.parent_id from i32 NOT NULL to i64 NOT NULL",
                "add foreign key `parent_id` -> `parent.id` on delete restrict on child",
            ]
        );
    }

    /// A key that changes is refused, naming the way out.
    #[test]
    fn a_changed_key_is_refused() {
        let from = SchemaSpec {
            tables: vec![table(
                "t",
                vec![col("id", "i64"), col("code", "text")],
                Vec::new(),
            )],
        };
        let mut to = from.clone();
        to.tables[0].primary_key = vec!["code".into()];
        let err = plan(&from, &to, &Renames::new()).unwrap_err();
        assert!(err.to_string().contains("declare a new entity"), "{err}");
    }

    /// A step that records what it changes otherwise than the schema has
    /// it (an edited file) is refused: undoing it would not restore it.
    #[test]
    fn an_edited_drop_is_refused() {
        let mut spec = SchemaSpec {
            tables: vec![table(
                "t",
                vec![col("id", "i64"), col("note", "text")],
                Vec::new(),
            )],
        };
        let edited = Step::DropColumn {
            table: "t".into(),
            column: col("note", "i64"),
        };
        assert!(
            spec.apply(&edited)
                .unwrap_err()
                .to_string()
                .contains("otherwise")
        );
    }

    /// An expiry column that moves: always one step (DynamoDB allows one
    /// change of Time to Live an hour), before the columns change when the
    /// new one exists, else after the new one is added and before the old
    /// one goes. Every plan folds to its target and back.
    #[test]
    fn expiry_steps_fit_around_the_columns() {
        let with = |cols: &[&str], expiry: Option<&str>| SchemaSpec {
            tables: vec![TableSpec {
                expires_at: expiry.map(str::to_owned),
                ..table("t", cols.iter().map(|c| col(c, "i64")).collect(), vec![])
            }],
        };
        let set = |from: Option<&str>, to: Option<&str>| Step::SetExpiry {
            table: "t".into(),
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
        };
        let cases = [
            (
                with(&["id", "a", "b"], Some("a")),
                with(&["id", "a", "b"], Some("b")),
                vec![set(Some("a"), Some("b"))],
            ),
            (
                with(&["id", "a"], None),
                with(&["id", "a"], Some("a")),
                vec![set(None, Some("a"))],
            ),
            (
                with(&["id", "a"], Some("a")),
                with(&["id"], None),
                vec![
                    set(Some("a"), None),
                    Step::DropColumn {
                        table: "t".into(),
                        column: col("a", "i64"),
                    },
                ],
            ),
            (
                with(&["id", "a"], Some("a")),
                with(&["id", "a", "b"], Some("b")),
                vec![
                    Step::AddColumn {
                        table: "t".into(),
                        column: col("b", "i64"),
                    },
                    set(Some("a"), Some("b")),
                ],
            ),
            (
                with(&["id", "a"], Some("a")),
                with(&["id", "b"], Some("b")),
                vec![
                    Step::AddColumn {
                        table: "t".into(),
                        column: col("b", "i64"),
                    },
                    set(Some("a"), Some("b")),
                    Step::DropColumn {
                        table: "t".into(),
                        column: col("a", "i64"),
                    },
                ],
            ),
        ];
        for (from, to, want) in cases {
            let steps = plan(&from, &to, &Renames::new()).unwrap();
            assert_eq!(steps, want);
            let mut now = from.clone();
            for step in &steps {
                now.apply(step).unwrap();
            }
            assert_eq!(now.normalized(), to.normalized());
            for step in steps.iter().rev() {
                now.apply(&step.inverse()).unwrap();
            }
            assert_eq!(now.normalized(), from.normalized());
        }
    }
}
