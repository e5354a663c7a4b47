//! Why a write by key matched no row: a missing row, a stale version, a
//! false `.only_if` condition, or an increment out of range, told apart by
//! counting the row under each condition in turn, only after the write has
//! matched nothing (so a write that succeeds costs one statement).

use tracing::Instrument;

use crate::{Error, Executor, Expr, Result, SelectStmt, Selection, TableDef, statement_span};

/// The checks that explain a write by key that matched no row.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Refusal {
    pub(crate) table: TableDef,
    /// The row's key.
    pub(crate) key: Expr,
    /// Conditions the row is counted under in turn: the first it does not
    /// hold names the error.
    pub(crate) checks: Vec<(Expr, Why)>,
}

/// What a refused write is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// [`Error::Conflict`]: the version moved on.
    Conflict,
    /// [`Error::ConditionFailed`].
    Condition,
    /// [`Error::OutOfRange`]: adding to this column passed its type's range.
    Range(&'static str),
}

impl Why {
    fn error(self, entity: &'static str) -> Error {
        match self {
            Why::Conflict => Error::Conflict { entity },
            Why::Condition => Error::ConditionFailed,
            Why::Range(column) => Error::OutOfRange {
                entity,
                column: column.to_owned(),
                detail: "the amount added takes it past the range of its type".into(),
            },
        }
    }
}

impl Refusal {
    /// A refusal of a write to the row of `table` with `key`.
    pub(crate) fn new(table: TableDef, key: Expr) -> Self {
        Refusal {
            table,
            key,
            checks: Vec::new(),
        }
    }

    /// Why the write matched nothing: [`Error::NotFound`] when no row has
    /// the key, then the error of the first check the row fails, then
    /// [`Error::ConditionFailed`] (a condition the database checked that
    /// keyway does not count, such as a document path's parent, or a row
    /// that changed between the write and the count).
    pub(crate) async fn explain<X: Executor>(self, exec: &X) -> Result<Error> {
        if self.count(exec, self.key.clone()).await? == 0 {
            return Ok(Error::NotFound {
                entity: self.table.entity,
            });
        }
        for (check, error) in &self.checks {
            let filter = self.key.clone().and(check.clone());
            if self.count(exec, filter).await? == 0 {
                return Ok(error.error(self.table.entity));
            }
        }
        Ok(Error::ConditionFailed)
    }

    async fn count<X: Executor>(&self, exec: &X, filter: Expr) -> Result<u64> {
        let mut probe = SelectStmt::new(self.table);
        probe.selection = Selection::Count;
        probe.filter = Some(filter);
        let span = statement_span(exec.system(), "SELECT", self.table.name);
        exec.count(probe).instrument(span).await
    }
}
