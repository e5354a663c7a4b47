//! Lowered SQL kept per statement shape, so that a statement run again with
//! other values skips writing its text.

use std::marker::PhantomData;
use std::ops::Deref;

use hashbrown::HashTable;
use smallvec::SmallVec;

use keyway::{DeleteStmt, Entity, InsertStmt, Key, SelectStmt, TableDef, UpdateStmt, Value};

use crate::mutation::{write_delete, write_update};
use crate::out::Out;
use crate::select::write_select;
use crate::shape::Shape;
use crate::writer::SqlWriter;
use crate::{Bound, Dialect, InsertPlan};

/// The most shapes one cache keeps, and the most text (an insert of many rows
/// is long); when either is reached, it starts again empty.
const CAPACITY: usize = 512;
const CAPACITY_BYTES: usize = 4 << 20;

/// One bound parameter, borrowed from the statement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamRef<'v> {
    /// What the placeholder binds.
    pub value: BoundRef<'v>,
    /// The column it belongs to (for error messages).
    pub column: &'static str,
}

/// What one placeholder binds, borrowed: a [`Bound`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BoundRef<'v> {
    /// One value.
    One(&'v Value),
    /// An `IN` list as one array, on a dialect with `ARRAY_IN`.
    List(&'v [Value]),
}

impl BoundRef<'_> {
    /// The owned [`Bound`].
    pub fn to_bound(self) -> Bound {
        match self {
            BoundRef::One(v) => Bound::One(v.clone()),
            BoundRef::List(vs) => Bound::List(vs.to_vec()),
        }
    }
}

/// A statement's parameters, in placeholder order (a few are kept inline).
#[derive(Debug, Default)]
pub struct Params<'v>(SmallVec<[ParamRef<'v>; 4]>);

impl<'v> Params<'v> {
    pub(crate) fn push(&mut self, param: ParamRef<'v>) {
        self.0.push(param);
    }
}

impl<'v> Deref for Params<'v> {
    type Target = [ParamRef<'v>];
    fn deref(&self) -> &[ParamRef<'v>] {
        &self.0
    }
}

/// A statement's SQL text (from the cache) and its parameters.
#[derive(Debug)]
pub struct Cached<'s, 'v> {
    /// The SQL text, as [`select`](crate::select), [`update`](crate::update)
    /// or [`delete`](crate::delete) would write it.
    pub sql: &'s str,
    /// The parameters, in placeholder order.
    pub params: Params<'v>,
}

/// The SQL text of reads, updates and deletes, kept per statement shape: the
/// table, the selected columns, the filter's structure, the order, limit and
/// offset, but not the values compared. Finding a shape costs a walk of the
/// statement and a hash of a few words; writing the text is done once per
/// shape. Meant to live beside one connection (no locking).
///
/// ```
/// use keyway::{Column, ColumnDef, Entity, PrimaryKey, Result, RowReader, RowWriter, Select};
/// # pub struct User { id: i64, name: String }
/// # impl User {
/// #     const ID: Column<User, i64, PrimaryKey> = Column::new("id");
/// #     const NAME: Column<User, String> = Column::new("name");
/// # }
/// # impl Entity for User {
/// #     type Key = i64;
/// #     const TABLE: &'static str = "users";
/// #     const COLUMNS: &'static [ColumnDef] = &[User::ID.def(), User::NAME.def()];
/// #     fn key(&self) -> i64 { self.id }
/// #     fn write(&self, row: &mut impl RowWriter<Self>) { row.put(User::ID, &self.id); row.put(User::NAME, &self.name); }
/// #     fn read(row: &mut impl RowReader<Self>) -> Result<Self> { Ok(User { id: row.get(User::ID)?, name: row.get(User::NAME)? }) }
/// # }
/// let mut cache = keyway_sql::StatementCache::<keyway_sql::Postgres>::new();
/// for name in ["Ann", "Bob"] {
///     let q = Select::<User>::new().filter(User::NAME.eq(name));
///     let stmt = q.statement();
///     let cached = cache.select(stmt);
///     assert_eq!(cached.sql, r#"SELECT "id", "name" FROM "users" WHERE "name" = $1"#);
///     assert_eq!(cached.params[0].value, keyway_sql::BoundRef::One(&keyway::Value::Text(name.into())));
/// }
/// assert_eq!(cache.len(), 1);
/// ```
pub struct StatementCache<D> {
    /// Indexes into `shapes`, by the shape's hash.
    index: HashTable<usize>,
    shapes: Vec<Entry>,
    /// The length of every text kept.
    bytes: usize,
    /// The shape being looked up (kept to reuse its allocation).
    key: Vec<u64>,
    _dialect: PhantomData<D>,
}

/// One shape and its text.
struct Entry {
    hash: u64,
    key: Box<[u64]>,
    sql: Box<str>,
}

impl<D> std::fmt::Debug for StatementCache<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementCache")
            .field("shapes", &self.shapes.len())
            .finish()
    }
}

impl<D: Dialect> Default for StatementCache<D> {
    fn default() -> Self {
        Self::new()
    }
}

/// A statement the cache lowers: written once to a [`Shape`], and to a
/// [`SqlWriter`] when its shape is new.
trait Write<'v> {
    fn write(&'v self, w: &mut impl Out<'v>, no_limit: &'static str);
}

impl<'v> Write<'v> for SelectStmt {
    fn write(&'v self, w: &mut impl Out<'v>, no_limit: &'static str) {
        write_select(w, self, no_limit);
    }
}

impl<'v> Write<'v> for UpdateStmt {
    fn write(&'v self, w: &mut impl Out<'v>, _: &'static str) {
        write_update(w, self);
    }
}

impl<'v> Write<'v> for DeleteStmt {
    fn write(&'v self, w: &mut impl Out<'v>, _: &'static str) {
        write_delete(w, self);
    }
}

impl<D: Dialect> StatementCache<D> {
    /// An empty cache.
    pub fn new() -> Self {
        StatementCache {
            index: HashTable::new(),
            shapes: Vec::new(),
            bytes: 0,
            key: Vec::with_capacity(64),
            _dialect: PhantomData,
        }
    }

    /// How many shapes the cache holds.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether the cache holds no shape.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// A read's SQL, as [`select`](crate::select) writes it, and its parameters.
    pub fn select<'s, 'v>(&'s mut self, stmt: &'v SelectStmt) -> Cached<'s, 'v> {
        self.lower(stmt)
    }

    /// An update's SQL, as [`update`](crate::update) writes it, and its parameters.
    pub fn update<'s, 'v>(&'s mut self, stmt: &'v UpdateStmt) -> Cached<'s, 'v> {
        self.lower(stmt)
    }

    /// A delete's SQL, as [`delete`](crate::delete) writes it, and its parameters.
    pub fn delete<'s, 'v>(&'s mut self, stmt: &'v DeleteStmt) -> Cached<'s, 'v> {
        self.lower(stmt)
    }

    /// The text of [`SelectStmt::by_key`] for entity `E`, found by its table
    /// and key arity alone: on a hit the read is not built. The parameters are
    /// the key's values in key-column order (partition, then sort).
    pub fn by_key<E: Entity>(&mut self, key: &E::Key) -> &str {
        let table = TableDef::of::<E>();
        let mut shape = Shape::new(&mut self.key, D::ARRAY_IN, D::JSON, D::ROW_LOCKS);
        shape.keyed(&table, <E::Key as Key>::ARITY);
        let hash = shape.hash;
        self.text(hash, |w| {
            write_select(w, &SelectStmt::by_key::<E>(key), D::NO_LIMIT);
        })
    }

    /// The text of an insert of `rows` rows into `table`, as
    /// [`insert_planned`](crate::insert_planned) writes a statement of that
    /// many rows (at most [`rows_per_insert`](crate::rows_per_insert)): the
    /// parameters are each row's values in column order, the `auto` column
    /// left out. Zero rows have no statement: the text is empty.
    pub fn insert(&mut self, table: &TableDef, rows: usize, plan: InsertPlan) -> &str {
        let mut shape = Shape::new(&mut self.key, D::ARRAY_IN, D::JSON, D::ROW_LOCKS);
        shape.inserted(table, rows, plan.returning);
        let hash = shape.hash;
        self.text(hash, |w| {
            let row = vec![Value::Null; table.columns.len()];
            let stmt = InsertStmt {
                table: *table,
                rows: vec![row; rows],
            };
            let plan = InsertPlan {
                max_rows: rows,
                ..plan
            };
            // No rows, no statement: the text stays empty.
            if let Some(first) = crate::insert_planned::<D>(stmt, plan).first() {
                w.push(&first.sql);
            }
        })
    }

    fn lower<'s, 'v, S: Write<'v>>(&'s mut self, stmt: &'v S) -> Cached<'s, 'v> {
        let mut shape = Shape::new(&mut self.key, D::ARRAY_IN, D::JSON, D::ROW_LOCKS);
        stmt.write(&mut shape, D::NO_LIMIT);
        let (hash, params) = (shape.hash, shape.params);
        let sql = self.text(hash, |w| stmt.write(w, D::NO_LIMIT));
        Cached { sql, params }
    }

    /// The text of the shape in `self.key`, written by `write` if it is new.
    fn text(&mut self, hash: u64, write: impl FnOnce(&mut SqlWriter<D>)) -> &str {
        let (shapes, key) = (&self.shapes, self.key.as_slice());
        if let Some(&at) = self.index.find(hash, |&at| *shapes[at].key == *key) {
            return &self.shapes[at].sql;
        }
        let mut w = SqlWriter::<D>::new();
        write(&mut w);
        let sql = w.finish().sql.into_boxed_str();
        if self.shapes.len() == CAPACITY || self.bytes + sql.len() > CAPACITY_BYTES {
            self.index.clear();
            self.shapes.clear();
            self.bytes = 0;
        }
        self.bytes += sql.len();
        let shapes = &self.shapes;
        self.index
            .insert_unique(hash, shapes.len(), |&at| shapes[at].hash);
        self.shapes.push(Entry {
            hash,
            key: self.key.as_slice().into(),
            sql,
        });
        &self.shapes.last().expect("the shape just pushed").sql
    }
}
