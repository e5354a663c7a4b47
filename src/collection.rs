//! Item collections: a query's rows and the children its includes load,
//! read together where the backend keeps them together (DynamoDB's
//! single-table layouts put a parent and its children in one partition).

use crate::{Decoder, Expr, SelectStmt, TableDef, Value};

/// A has-many or has-one include a backend may load together with its
/// parents ([`Executor::fetch_collection`](crate::Executor::fetch_collection)):
/// the children's table, the column referencing the parent's key, and
/// the filter the children must meet (the include's own, and visibility).
#[derive(Debug, Clone)]
pub struct CollectionLink {
    /// The children's table.
    pub table: TableDef,
    /// Their column holding the parent's key.
    pub column: &'static str,
    /// What every child loaded must meet.
    pub filter: Option<Expr>,
}

/// What [`Executor::fetch_collection`](crate::Executor::fetch_collection)
/// gives back.
#[derive(Debug)]
pub enum Collected<D: Decoder> {
    /// The parents, and per link asked for (in order) the children's rows,
    /// each its values in `COLUMNS` order, or `None` for a link it did not
    /// read (loaded as usual).
    Rows(Vec<D::Output>, Vec<Option<Vec<Vec<Value>>>>),
    /// The backend reads no collection for this query: the statement and
    /// decoder, to run as usual.
    Declined(Box<SelectStmt>, D),
}
