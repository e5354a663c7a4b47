//! Rows read together, as of one moment: `db.find_together((User::at(a),
//! Todo::at(t)))`. One `TransactGetItems` on DynamoDB; one transaction
//! with the rows share-locked on the SQL backends.

use std::vec::IntoIter;

use crate::upsert::ValuesDecoder;
use crate::{
    Backend, Db, Entity, Error, Executor, Expr, Key, Marker, Result, SelectStmt, TableDef, Value,
    ValuesReader,
};

/// The most rows one [`Db::find_together`] reads (DynamoDB's
/// `TransactGetItems` limit, kept on every backend).
pub const MAX_TOGETHER: usize = 100;

/// The row of `E` with a key, for [`Db::find_together`]; built with
/// `E::at(key)`.
#[derive(Debug)]
pub struct At<E: Entity> {
    key: E::Key,
    _marker: Marker<E>,
}

impl<E: Entity> At<E> {
    pub(crate) fn new(key: E::Key) -> Self {
        At {
            key,
            _marker: std::marker::PhantomData,
        }
    }
}

/// One row read by its full key: the table, and each key column's value
/// in key order.
#[derive(Debug, Clone)]
pub struct KeyRead {
    /// The table.
    pub table: TableDef,
    /// The key columns and their values, partition first.
    pub key: Vec<(&'static str, Value)>,
}

impl KeyRead {
    /// The filter naming the row.
    pub fn filter(&self) -> Expr {
        crate::upsert::eq_all(self.key.iter().cloned())
    }

    /// The decoder of the row's values, in column order.
    pub(crate) fn decoder(&self) -> ValuesDecoder {
        ValuesDecoder(self.table.columns.iter().map(|c| c.ty).collect())
    }

    /// Reads the row's values, in column order, each as its column's type.
    pub fn decode(&self, row: &mut impl crate::ValueReader) -> Result<Vec<Value>> {
        self.table.read_values(row)
    }
}

/// What [`Db::find_together`] reads: an [`At`], a `Vec` of them, or a
/// tuple of up to six.
pub trait Together {
    /// The rows, each `None` when there is none with its key.
    type Output;
    /// Adds the rows to read, in order.
    fn reads(&self, out: &mut Vec<KeyRead>);
    /// Takes the rows read, in the same order (each row's values in column
    /// order).
    fn take(&self, rows: &mut Rows) -> Result<Self::Output>;
}

/// The rows read, in order.
pub struct Rows(IntoIter<Option<Vec<Value>>>);

impl<E: Entity> Together for At<E> {
    type Output = Option<E>;

    fn reads(&self, out: &mut Vec<KeyRead>) {
        let table = TableDef::of::<E>();
        let mut columns = table.key_columns();
        let mut key = Vec::new();
        self.key.for_each_value(|value| {
            if let Some(c) = columns.next() {
                key.push((c.name, value));
            }
        });
        out.push(KeyRead { table, key });
    }

    fn take(&self, rows: &mut Rows) -> Result<Option<E>> {
        let Some(row) = rows.0.next() else {
            return Err(Error::Invalid {
                what: "find_together",
                detail: "the backend returned fewer rows than were asked for".into(),
            });
        };
        let Some(values) = row else {
            return Ok(None);
        };
        let table = TableDef::of::<E>();
        // Left out as `find` leaves it out.
        if crate::soft_delete::Visibility::LIVE.hides(&table, &values) {
            return Ok(None);
        }
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        crate::read_row(&mut ValuesReader::new(table.entity, &names, values)).map(Some)
    }
}

impl<E: Entity> Together for Vec<At<E>> {
    type Output = Vec<Option<E>>;

    fn reads(&self, out: &mut Vec<KeyRead>) {
        self.iter().for_each(|at| at.reads(out));
    }

    fn take(&self, rows: &mut Rows) -> Result<Vec<Option<E>>> {
        self.iter().map(|at| at.take(rows)).collect()
    }
}

macro_rules! together_tuple {
    ($($t:ident),+) => {
        impl<$($t: Together),+> Together for ($($t,)+) {
            type Output = ($($t::Output,)+);

            #[allow(non_snake_case)]
            fn reads(&self, out: &mut Vec<KeyRead>) {
                let ($($t,)+) = self;
                $($t.reads(out);)+
            }

            #[allow(non_snake_case)]
            fn take(&self, rows: &mut Rows) -> Result<Self::Output> {
                let ($($t,)+) = self;
                Ok(($($t.take(rows)?,)+))
            }
        }
    };
}

together_tuple!(A, B);
together_tuple!(A, B, C);
together_tuple!(A, B, C, D);
together_tuple!(A, B, C, D, F);
together_tuple!(A, B, C, D, F, G);

/// The default [`Backend::fetch_together`]: one transaction, each row read
/// with a share lock (where the database has row locks; SQLite and Turso
/// read one snapshot for the transaction), so no row read changes while
/// the others are read. A row that was missing is read again once every
/// row is locked: one that appeared meanwhile (a lock cannot hold a row
/// that is not there) makes the whole read start again.
pub(crate) async fn in_one_transaction<B: Backend>(
    backend: &B,
    reads: Vec<KeyRead>,
) -> Result<Vec<Option<Vec<Value>>>> {
    const TRIES: usize = 8;
    for _ in 0..TRIES {
        let tx = backend.begin().await?;
        let mut out = Vec::with_capacity(reads.len());
        for read in &reads {
            out.push(read_locked(&tx, read).await?);
        }
        let mut appeared = false;
        for (read, row) in reads.iter().zip(&out) {
            if row.is_none() && read_locked(&tx, read).await?.is_some() {
                appeared = true;
                break;
            }
        }
        B::commit(tx).await?;
        if !appeared {
            return Ok(out);
        }
    }
    Err(Error::TransactionConflict {
        detail: format!(
            "rows kept appearing while {} rows were read together; try again",
            reads.len()
        ),
    })
}

/// The row of `read`, share-locked until the transaction ends.
async fn read_locked<X: Executor>(tx: &X, read: &KeyRead) -> Result<Option<Vec<Value>>> {
    let mut stmt = SelectStmt::new(read.table);
    stmt.filter = Some(read.filter());
    stmt.lock = Some(crate::RowLock::waiting(crate::LockMode::Share));
    Ok(tx.fetch_all(stmt, read.decoder()).await?.pop())
}

impl<B: Backend> Db<B> {
    /// Reads rows by key, of one entity or several, as of one moment: no
    /// write made elsewhere shows in some of them and not in the others.
    /// Each is `None` when no row has its key (or it is soft-deleted or
    /// expired, as [`find`](Db::find) leaves it out). At most
    /// [`MAX_TOGETHER`] rows, else [`Error::Invalid`].
    ///
    /// DynamoDB reads them in one `TransactGetItems`; the SQL backends in
    /// one transaction, each row share-locked where the database has row
    /// locks (PostgreSQL, MySQL) and from one snapshot elsewhere.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
    /// # use model::{Todo, User};
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<(User, Todo)>().await?;
    /// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// let todo = db.insert(&Todo::new(ann, "write", 1)).await?;
    /// let (user, first, none) = db
    ///     .find_together((User::at(ann), Todo::at(todo), Todo::at(todo + 1)))
    ///     .await?;
    /// assert_eq!(user.unwrap().name, "Ann");
    /// assert_eq!(first.unwrap().title, "write");
    /// assert!(none.is_none());
    /// let many = db.find_together(vec![Todo::at(todo), Todo::at(todo)]).await?;
    /// assert_eq!(many.len(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn find_together<T: Together>(&self, reads: T) -> Result<T::Output> {
        let mut list = Vec::new();
        reads.reads(&mut list);
        if list.len() > MAX_TOGETHER {
            return Err(Error::Invalid {
                what: "find_together",
                detail: format!(
                    "{} rows asked for; at most {MAX_TOGETHER} are read together (DynamoDB's \
                     limit, kept on every backend)",
                    list.len()
                ),
            });
        }
        let span = crate::statement_span(self.exec.system(), "SELECT", "");
        let rows = tracing::Instrument::instrument(self.exec.fetch_together(list), span).await?;
        reads.take(&mut Rows(rows.into_iter()))
    }
}
