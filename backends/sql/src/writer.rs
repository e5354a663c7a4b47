//! A small SQL text builder that quotes identifiers and numbers placeholders.

use std::marker::PhantomData;

use keyway::Value;

use crate::out::Out;
use crate::{Bound, Dialect, Lowered, Param};

pub(crate) struct SqlWriter<D> {
    pub(crate) sql: String,
    pub(crate) params: Vec<Param>,
    _dialect: PhantomData<D>,
}

impl<D: Dialect> SqlWriter<D> {
    pub(crate) fn new() -> Self {
        SqlWriter {
            sql: String::with_capacity(128),
            params: Vec::new(),
            _dialect: PhantomData,
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.sql.push_str(text);
        self
    }

    /// Writes a quoted identifier. Names are validated at schema time; a quote
    /// character inside one is doubled all the same, so no name can end the quote.
    pub(crate) fn ident(&mut self, name: &str) -> &mut Self {
        let q = D::QUOTE;
        self.sql.push(q);
        if name.contains(q) {
            for ch in name.chars() {
                if ch == q {
                    self.sql.push(q);
                }
                self.sql.push(ch);
            }
        } else {
            self.sql.push_str(name);
        }
        self.sql.push(q);
        self
    }

    /// Quoted identifiers separated by commas (of any lifetime, unlike
    /// [`Out::idents`](crate::out::Out::idents)).
    pub(crate) fn ident_list<'n>(&mut self, names: impl IntoIterator<Item = &'n str>) -> &mut Self {
        for (i, name) in names.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(name);
        }
        self
    }

    /// A bound parameter, owned (the rows of an insert are moved, not copied).
    pub(crate) fn bind(&mut self, column: &'static str, value: Value) -> &mut Self {
        self.params.push(Param {
            value: Bound::One(value),
            column,
        });
        D::placeholder(self.params.len(), &mut self.sql);
        self
    }

    pub(crate) fn number(&mut self, n: u64) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.sql, "{n}");
        self
    }

    pub(crate) fn finish(self) -> Lowered {
        Lowered {
            sql: self.sql,
            params: self.params,
        }
    }
}

impl<'v, D: Dialect> Out<'v> for SqlWriter<D> {
    fn json_syntax(&self) -> crate::JsonSyntax {
        D::JSON
    }

    fn row_locks(&self) -> Option<crate::RowLockSyntax> {
        D::ROW_LOCKS
    }

    fn push(&mut self, text: &'static str) -> &mut Self {
        SqlWriter::push(self, text)
    }

    fn ident(&mut self, name: &'static str) -> &mut Self {
        SqlWriter::ident(self, name)
    }

    fn number(&mut self, n: u64) -> &mut Self {
        SqlWriter::number(self, n)
    }

    fn param(&mut self, column: &'static str, value: &'v Value) -> &mut Self {
        self.bind(column, value.clone())
    }

    fn in_list(&mut self, column: &'static str, values: &'v [Value]) -> &mut Self {
        if !D::ARRAY_IN {
            return self.in_placeholders(column, values);
        }
        self.ident(column).push(" = ANY(");
        self.params.push(Param {
            value: Bound::List(values.to_vec()),
            column,
        });
        D::placeholder(self.params.len(), &mut self.sql);
        self.push(")")
    }
}
