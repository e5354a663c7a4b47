//! Where lowering writes: SQL text ([`SqlWriter`](crate::writer::SqlWriter))
//! or a statement's shape ([`Shape`](crate::shape::Shape)).

use keyway::{ColumnDef, TableDef, Value};

/// A destination for the lowering of reads, updates and deletes.
///
/// The SQL text a statement lowers to is a function of the calls made here
/// alone: of the static text, identifiers and numbers, and of how many
/// parameters there are, never of a parameter's value. Two statements making
/// the same calls therefore have the same text, which is what lets the
/// [`StatementCache`](crate::StatementCache) skip writing it.
pub(crate) trait Out<'v> {
    /// How the dialect reaches into JSON documents.
    fn json_syntax(&self) -> crate::JsonSyntax;

    /// How the dialect locks the rows a read returns, if it has row locks.
    fn row_locks(&self) -> Option<crate::RowLockSyntax>;

    /// Literal SQL.
    fn push(&mut self, text: &'static str) -> &mut Self;
    /// A quoted identifier.
    fn ident(&mut self, name: &'static str) -> &mut Self;
    /// A number written into the text (`LIMIT`, `OFFSET`).
    fn number(&mut self, n: u64) -> &mut Self;
    /// A bound parameter compared to or written into `column`.
    fn param(&mut self, column: &'static str, value: &'v Value) -> &mut Self;

    /// `column` in a non-empty list of `values`: `"column" IN ($1, $2, …)`,
    /// or one array parameter on a dialect with `ARRAY_IN`.
    fn in_list(&mut self, column: &'static str, values: &'v [Value]) -> &mut Self {
        self.in_placeholders(column, values)
    }

    /// `"column" IN ($1, $2, …)`: a placeholder per value.
    fn in_placeholders(&mut self, column: &'static str, values: &'v [Value]) -> &mut Self {
        self.ident(column).push(" IN (");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.param(column, v);
        }
        self.push(")")
    }

    /// Identifiers separated by commas.
    fn idents(&mut self, names: impl IntoIterator<Item = &'static str>) -> &mut Self {
        for (i, name) in names.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(name);
        }
        self
    }

    /// Every column of a table, separated by commas: each field of an
    /// embedded struct a column of its own ([`TableDef::flat`]).
    fn columns(&mut self, columns: &'static [ColumnDef]) -> &mut Self {
        let flat = TableDef::flat_columns(columns);
        self.idents(flat.iter().map(|c| c.name))
    }
}
