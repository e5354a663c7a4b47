//! A statement's shape: the calls its lowering makes, without the parameter
//! values, as a key for the [`StatementCache`](crate::StatementCache).

use keyway::{ColumnDef, TableDef, Value};

use crate::JsonSyntax;
use crate::cache::{BoundRef, ParamRef, Params};
use crate::out::Out;

/// Records each call as one word: a string's address shifted above its length
/// and the call's kind (low three bits), or a number above the kind. A string
/// whose address or length does not fit, or a number from 2^60 up, takes two
/// words: a `WIDE` word with the kind, then the address (the length in the
/// first word) or the number. The record sequence decodes back to the exact
/// calls, and static strings with the same address and length have the same
/// text, so equal keys mean equal SQL.
pub(crate) struct Shape<'k, 'v> {
    key: &'k mut Vec<u64>,
    /// A multiply-rotate hash of the words recorded so far (a shape is a few
    /// dozen words of addresses and small numbers, chosen by the program).
    pub(crate) hash: u64,
    pub(crate) params: Params<'v>,
    /// The dialect binds an `IN` list as one array (`Dialect::ARRAY_IN`).
    array_in: bool,
    /// The dialect's JSON syntax.
    json: JsonSyntax,
    /// The dialect's locking reads.
    locks: Option<crate::RowLockSyntax>,
}

const PUSH: u64 = 0;
const IDENT: u64 = 1;
const COLUMNS: u64 = 2;
const NUMBER: u64 = 3;
const PARAM: u64 = 4;
/// The first word of a read by key (the key's arity above the kind); no walk
/// of a statement ever records it.
const KEYED: u64 = 5;
/// The first word of an insert (whether it returns the `auto` key, above the
/// kind), then the number of rows.
const INSERTED: u64 = 6;
/// An `IN` list bound as one array: its length is not part of the shape.
const LIST: u64 = 7;
/// Bit 3 of a kind word: a second word follows.
const WIDE: u64 = 8;
/// Bits for a string's length in a one-word record.
const LEN_BITS: u32 = 12;

impl<'k, 'v> Shape<'k, 'v> {
    /// Records into `key`, which is cleared first.
    pub(crate) fn new(
        key: &'k mut Vec<u64>,
        array_in: bool,
        json: JsonSyntax,
        locks: Option<crate::RowLockSyntax>,
    ) -> Self {
        key.clear();
        Shape {
            key,
            hash: 0,
            params: Params::default(),
            array_in,
            json,
            locks,
        }
    }

    /// The read of a row by a key of `arity` values: the table's name and
    /// columns decide its text.
    pub(crate) fn keyed(&mut self, table: &TableDef, arity: usize) {
        self.word((arity as u64) << 4 | KEYED).table(table);
    }

    /// An insert of `rows` rows: the table's name and columns, the row
    /// count and whether it returns the generated key decide its text.
    pub(crate) fn inserted(&mut self, table: &TableDef, rows: usize, returning: bool) {
        self.word(u64::from(returning) << 4 | INSERTED)
            .word(rows as u64)
            .table(table);
    }

    /// The table's name and its column list, as a read records them.
    fn table(&mut self, table: &TableDef) -> &mut Self {
        self.ident(table.name).columns(table.columns)
    }

    #[inline]
    fn word(&mut self, word: u64) -> &mut Self {
        self.key.push(word);
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
        self
    }

    /// A string (or slice) by address and length.
    #[inline]
    fn text(&mut self, addr: usize, len: usize, kind: u64) -> &mut Self {
        let (addr, len) = (addr as u64, len as u64);
        let narrow = 64 - 4 - LEN_BITS;
        if addr >> narrow == 0 && len >> LEN_BITS == 0 {
            self.word(addr << (LEN_BITS + 4) | len << 4 | kind)
        } else {
            self.word(len << 4 | WIDE | kind).word(addr)
        }
    }
}

impl<'v> Out<'v> for Shape<'_, 'v> {
    fn json_syntax(&self) -> JsonSyntax {
        self.json
    }

    fn row_locks(&self) -> Option<crate::RowLockSyntax> {
        self.locks
    }

    #[inline]
    fn push(&mut self, text: &'static str) -> &mut Self {
        self.text(text.as_ptr() as usize, text.len(), PUSH)
    }

    #[inline]
    fn ident(&mut self, name: &'static str) -> &mut Self {
        self.text(name.as_ptr() as usize, name.len(), IDENT)
    }

    #[inline]
    fn number(&mut self, n: u64) -> &mut Self {
        match n >> 60 {
            0 => self.word(n << 4 | NUMBER),
            _ => self.word(WIDE | NUMBER).word(n),
        }
    }

    #[inline]
    fn param(&mut self, column: &'static str, value: &'v Value) -> &mut Self {
        self.params.push(ParamRef {
            value: BoundRef::One(value),
            column,
        });
        self.word(PARAM)
    }

    fn in_list(&mut self, column: &'static str, values: &'v [Value]) -> &mut Self {
        if !self.array_in {
            return self.in_placeholders(column, values);
        }
        self.params.push(ParamRef {
            value: BoundRef::List(values),
            column,
        });
        self.ident(column).word(LIST)
    }

    /// One record for the whole column list: a static slice's address and
    /// length name its columns (and their SQL columns, a function of them).
    #[inline]
    fn columns(&mut self, columns: &'static [ColumnDef]) -> &mut Self {
        self.text(columns.as_ptr() as usize, columns.len(), COLUMNS)
    }
}
