//! Keyset pagination: `db.page(query.paginate(20))`, then
//! `query.paginate(20).after(&cursor)` or `.before(&cursor)`.

use crate::cursor::{self, Side};
use crate::db::Output;
use crate::{
    CmpOp, Db, DbFuture, Decoded, Direction, Entity, Error, Executor, Expr, IncludeAccess,
    JoinOrder, Loads, OrderKind, OrderSupportedBy, Query, Result, Select, SelectStmt, Supports,
    TableDef, Value,
};
use futures::FutureExt;

/// One page of rows, with the cursors of the pages beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows, in the query's order.
    pub items: Vec<T>,
    /// The cursor of the next page, if there are rows after this one.
    pub next: Option<String>,
    /// The cursor of the previous page, if there are rows before this one.
    pub prev: Option<String>,
}

/// The page of a paginated `Select<E, A, L, O>`: its rows as `db.all`
/// returns them.
pub type PageOf<E, A, L, O> = Page<Output<Select<E, A, L, O>>>;

/// The order of a page: columns and directions, most significant first.
type Order = Vec<(&'static str, Direction)>;

/// A page's statement, ready to run.
struct Prepared {
    stmt: SelectStmt,
    /// The full order (the key last).
    order: Order,
    /// The order's fingerprint.
    print: u64,
    /// The side of the cursor's row read.
    side: Side,
    /// Whether a cursor was given.
    had_cursor: bool,
}

/// A query read a page at a time; built with [`Select::paginate`].
pub struct Paginate<E, A, L, O> {
    query: Select<E, A, L, O>,
    size: u64,
    cursor: Option<(Side, String)>,
}

impl<E: Entity, A: crate::Access, L, O: OrderKind> Select<E, A, L, O> {
    /// Reads the query `size` rows at a time, by keyset: each page starts
    /// after (or ends before) the last row of the page beside it, in the
    /// query's order with the key as the last tiebreak, so that a page
    /// never repeats or skips a row, whatever rows were written in
    /// between. Read it with [`Db::page`]. The order's columns must not be
    /// nullable (databases disagree on where NULLs sort).
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
    /// # use model::{Todo, User};
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<(User, Todo)>().await?;
    /// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// let todos: Vec<Todo> = (0..5).map(|i| Todo::new(ann, &format!("t{i}"), 1)).collect();
    /// db.insert_many(&todos).await?;
    /// let q = || Todo::query().order_by(Todo::PRIORITY.desc());
    /// let first = db.page(q().paginate(2)).await?;
    /// assert_eq!(first.items.len(), 2);
    /// let second = db.page(q().paginate(2).after(first.next.as_deref().unwrap())).await?;
    /// assert_eq!(second.items[0].title, "t2");
    /// let back = db.page(q().paginate(2).before(second.prev.as_deref().unwrap())).await?;
    /// assert_eq!(back, first);
    /// assert!(db.page(q().paginate(2).after("tampered")).await.is_err());
    /// # Ok(()) }
    /// ```
    pub fn paginate(self, size: u64) -> Paginate<E, A, L, O> {
        Paginate {
            query: self,
            size,
            cursor: None,
        }
    }
}

impl<E: Entity, A: crate::Access, L, O: OrderKind> Paginate<E, A, L, O> {
    /// The statement this page lowers to: the query's filter and the
    /// cursor's keyset, the full order, and a limit one past the page size
    /// (without the condition that leaves soft-deleted and expired rows
    /// out, added when it runs, as [`Select::statement`]). A bad cursor or size is
    /// [`Error::Invalid`], as when the page is read.
    pub fn statement(&self) -> Result<SelectStmt> {
        let stmt = self.query.statement().clone();
        Ok(prepare(stmt, self.size, self.cursor.as_ref())?.stmt)
    }
}

impl<E, A, L, O> Paginate<E, A, L, O> {
    /// The page after the one whose `next` is `cursor`.
    pub fn after(mut self, cursor: &str) -> Self {
        self.cursor = Some((Side::After, cursor.to_owned()));
        self
    }

    /// The page before the one whose `prev` is `cursor`.
    pub fn before(mut self, cursor: &str) -> Self {
        self.cursor = Some((Side::Before, cursor.to_owned()));
        self
    }
}

/// The page's order: the query's, then each key column not in it.
fn full_order(table: &TableDef, order: &[(&'static str, Direction)]) -> Result<Order> {
    let mut out = order.to_vec();
    for key in table.key_columns() {
        if !out.iter().any(|(c, _)| *c == key.name) {
            out.push((key.name, Direction::Asc));
        }
    }
    for (c, _) in &out {
        let def = table.column(c).ok_or_else(|| Error::Invalid {
            what: "page",
            detail: format!("`{}` has no column `{c}` to order a page by", table.entity),
        })?;
        if def.nullable {
            return Err(Error::Invalid {
                what: "page",
                detail: format!(
                    "`{}.{c}` is nullable: databases disagree on where NULLs sort, so a page \
                     cannot be ordered by it",
                    table.entity
                ),
            });
        }
    }
    Ok(out)
}

/// The fingerprint of a page's table and order, which its cursors carry.
fn fingerprint(table: &TableDef, order: &[(&'static str, Direction)]) -> u64 {
    let mut text = String::from(table.name);
    for (c, d) in order {
        text.push('\u{1}');
        text.push_str(c);
        text.push(if *d == Direction::Asc { '+' } else { '-' });
    }
    cursor::fnv(text.as_bytes())
}

/// Columns fixed by an `=` in the filter's top-level conjunction: the same
/// on every row, so a keyset need not compare them (which lets DynamoDB
/// keep its key condition on the sort key alone).
fn fixed(filter: Option<&Expr>) -> Vec<&'static str> {
    let parts: Vec<&Expr> = match filter {
        Some(Expr::And(parts)) => parts.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    parts
        .into_iter()
        .filter_map(|p| match p {
            Expr::Cmp {
                column,
                op: CmpOp::Eq,
                value,
            } if !value.is_null() => Some(*column),
            _ => None,
        })
        .collect()
}

/// The rows strictly on `side` of the row with `values`, in `order`:
/// `(a > x) OR (a = x AND b > y) OR ...`.
fn keyset(
    order: &[(&'static str, Direction)],
    values: &[Value],
    side: Side,
    fixed: &[&str],
) -> Option<Expr> {
    let mut ors = Vec::new();
    let mut equal: Vec<Expr> = Vec::new();
    for ((column, dir), value) in order.iter().zip(values) {
        if fixed.contains(column) {
            continue;
        }
        let forward = (*dir == Direction::Asc) == (side == Side::After);
        let op = if forward { CmpOp::Gt } else { CmpOp::Lt };
        let mut branch = equal.clone();
        branch.push(Expr::Cmp {
            column,
            op,
            value: value.clone(),
        });
        ors.push(if branch.len() == 1 {
            branch.pop()?
        } else {
            Expr::And(branch)
        });
        equal.push(Expr::Cmp {
            column,
            op: CmpOp::Eq,
            value: value.clone(),
        });
    }
    match ors.len() {
        0 => None,
        1 => ors.pop(),
        _ => Some(Expr::Or(ors)),
    }
}

impl<X: Executor> Db<X> {
    /// One page of a [`paginate`](Select::paginate)d query: its rows (with
    /// their includes) and the cursors of the pages before and after it.
    /// A cursor that was altered, or made for another table or order, is
    /// [`Error::Invalid`].
    pub fn page<E, A, L, O>(&self, page: Paginate<E, A, L, O>) -> DbFuture<'_, PageOf<E, A, L, O>>
    where
        E: Entity,
        A: crate::Access,
        L: Loads<E>,
        O: OrderKind + JoinOrder<L::Order>,
        Select<E, A, L, O>: Query<Decoder = crate::EntityDecoder<E>, Loads = L>,
        X: Supports<A> + Supports<IncludeAccess<Select<E, A, L, O>>>,
        <Select<E, A, L, O> as Query>::Order: OrderSupportedBy<X>,
        Decoded<Select<E, A, L, O>>: Entity,
    {
        let Paginate {
            query,
            size,
            cursor,
            ..
        } = page;
        let (stmt, decoder, loads) = query.into_parts();
        async move {
            let Prepared {
                stmt,
                order,
                print,
                side,
                had_cursor,
            } = prepare(stmt, size, cursor.as_ref())?;
            let mut rows = self.exec.fetch_all(stmt, decoder).await?;
            let more = rows.len() as u64 > size;
            rows.truncate(usize::try_from(size).unwrap_or(usize::MAX));
            if side == Side::Before {
                rows.reverse();
            }
            let cursor_at = |row: Option<&E>, side| -> Result<Option<String>> {
                let columns = || order.iter().map(|(c, _)| *c);
                row.map(|r| {
                    cursor::encode(print, side, &crate::row::values_at(r, columns(), "page")?)
                })
                .transpose()
            };
            let (has_next, has_prev) = match side {
                Side::After => (more, had_cursor),
                Side::Before => (true, more),
            };
            let next = if has_next {
                cursor_at(rows.last(), Side::After)?
            } else {
                None
            };
            let prev = if has_prev {
                cursor_at(rows.first(), Side::Before)?
            } else {
                None
            };
            let items = loads.load(&self.exec, rows).await?;
            Ok(Page { items, next, prev })
        }
        .boxed()
    }
}

/// The page's statement, with the cursor's keyset and the full order.
fn prepare(mut stmt: SelectStmt, size: u64, cursor: Option<&(Side, String)>) -> Result<Prepared> {
    if size == 0 {
        return Err(Error::Invalid {
            what: "page",
            detail: "a page holds at least one row".into(),
        });
    }
    let order = full_order(&stmt.table, &stmt.order)?;
    let print = fingerprint(&stmt.table, &order);
    let (side, bound) = match cursor {
        None => (Side::After, None),
        Some((wanted, c)) => {
            let (side, values) = cursor::decode(c, print, order.len())?;
            if side != *wanted {
                return Err(Error::Invalid {
                    what: "cursor",
                    detail: match side {
                        Side::After => "a page's `next` cursor goes with `.after(..)`".into(),
                        Side::Before => "a page's `prev` cursor goes with `.before(..)`".into(),
                    },
                });
            }
            (side, Some(values))
        }
    };
    if let Some(values) = bound {
        let fixed = fixed(stmt.filter.as_ref());
        let keys = keyset(&order, &values, side, &fixed);
        stmt.filter = Expr::both(stmt.filter.take(), keys);
    }
    stmt.order = match side {
        Side::After => order.clone(),
        Side::Before => order
            .iter()
            .map(|(c, d)| {
                let flipped = match d {
                    Direction::Asc => Direction::Desc,
                    Direction::Desc => Direction::Asc,
                };
                (*c, flipped)
            })
            .collect(),
    };
    stmt.limit = Some(size.saturating_add(1));
    stmt.offset = None;
    Ok(Prepared {
        stmt,
        order,
        print,
        side,
        had_cursor: cursor.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(column: &'static str, op: CmpOp, v: i64) -> Expr {
        Expr::Cmp {
            column,
            op,
            value: Value::I64(v),
        }
    }

    #[test]
    fn keysets_follow_each_direction() {
        let order = [("priority", Direction::Desc), ("id", Direction::Asc)];
        let values = [Value::I64(2), Value::I64(7)];
        let after = keyset(&order, &values, Side::After, &[]).unwrap();
        assert_eq!(
            after,
            Expr::Or(vec![
                cmp("priority", CmpOp::Lt, 2),
                Expr::And(vec![cmp("priority", CmpOp::Eq, 2), cmp("id", CmpOp::Gt, 7)]),
            ])
        );
        let before = keyset(&order, &values, Side::Before, &[]).unwrap();
        assert_eq!(
            before,
            Expr::Or(vec![
                cmp("priority", CmpOp::Gt, 2),
                Expr::And(vec![cmp("priority", CmpOp::Eq, 2), cmp("id", CmpOp::Lt, 7)]),
            ])
        );
        // A column the filter fixes is left out: the sort key alone remains,
        // which DynamoDB takes into its key condition.
        let keys = [("bucket", Direction::Asc), ("path", Direction::Asc)];
        let values = [Value::Text("a".into()), Value::Text("x".into())];
        let filter = Expr::Cmp {
            column: "bucket",
            op: CmpOp::Eq,
            value: Value::Text("a".into()),
        };
        let fixed = fixed(Some(&filter));
        let after = keyset(&keys, &values, Side::After, &fixed).unwrap();
        assert_eq!(
            after,
            Expr::Cmp {
                column: "path",
                op: CmpOp::Gt,
                value: Value::Text("x".into()),
            }
        );
    }
}
