//! One result row, read straight from the server's `DataRow` message.

use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

use keyway::{DecodeError, Field};
use postgres_protocol::message::backend::DataRowBody;

use crate::reader;

/// One result row: the message's bytes as they arrived (no copy) and its
/// columns' types. Columns are found by walking their lengths; the walk
/// remembers where it stopped, so reading the columns in order (as keyway
/// does) walks the row once.
pub struct PgRow {
    body: DataRowBody,
    columns: Arc<[u32]>,
    /// The next column's index and its offset in the body.
    cursor: Cell<(usize, usize)>,
}

impl PgRow {
    pub(crate) fn new(body: DataRowBody, columns: Arc<[u32]>) -> PgRow {
        PgRow {
            body,
            columns,
            cursor: Cell::new((0, 0)),
        }
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Whether the row has no column.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Column `i` as `T` (`Option<T>` for a column that may be NULL).
    ///
    /// ```no_run
    /// # async fn demo(conn: &mut keyway_postgres::PgConn) -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = conn.query("SELECT count(*) FROM users", &[]).await?;
    /// let n: i64 = rows[0].get(0)?;
    /// # let _ = n; Ok(()) }
    /// ```
    pub fn get<T: Field>(&self, i: usize) -> Result<T, DecodeError> {
        T::from_value(reader::read_value(self, i, T::TYPE)?)
    }

    /// Column `i`: its type's OID and its bytes in the binary format, `None`
    /// for NULL.
    #[inline]
    pub(crate) fn column(&self, i: usize) -> Result<(u32, Option<&[u8]>), DecodeError> {
        let oid = *self.columns.get(i).ok_or(DecodeError::MissingColumn(i))?;
        let buf = self.body.buffer();
        let (mut at, mut pos) = self.cursor.get();
        if i < at {
            (at, pos) = (0, 0);
        }
        loop {
            let len = buf
                .get(pos..pos + 4)
                .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or(DecodeError::MissingColumn(i))?;
            let start = pos + 4;
            let end = start + usize::try_from(len).unwrap_or(0);
            let bytes = buf
                .get(start..end)
                .ok_or_else(|| DecodeError::Invalid("a truncated row".into()))?;
            if at == i {
                self.cursor.set((i + 1, end));
                return Ok((oid, (len >= 0).then_some(bytes)));
            }
            at += 1;
            pos = end;
        }
    }
}

impl fmt::Debug for PgRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgRow")
            .field("columns", &self.columns)
            .field("bytes", &self.body.buffer().len())
            .finish()
    }
}
