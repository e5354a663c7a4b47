//! keyway: an async ORM with no macros and no code generation.
//!
//! You describe each model by implementing [`Entity`] by hand and declaring typed
//! [`Column`] handles beside it. From those alone keyway derives the schema, typed
//! queries and projections, and runs the same model code on every backend.
//!
//! The access path of every query is part of its type: a filter on a key or an
//! indexed column is [`Indexed`], anything else [`Unindexed`], and a backend only
//! accepts the paths it [`Supports`]. SQL backends accept all; DynamoDB refuses
//! unindexed queries at compile time.
//!
//! ```
//! # mod model { include!("../examples/todo/model/user.rs"); }
//! # use model::User;
//! use keyway::prelude::*;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = keyway_sqlite::Sqlite::memory().await?;
//! db.create_schema::<User>().await?;
//! db.insert_many(&[User::new("Ann", "ann@example.com"), User::new("Bob", "bob@example.com")]).await?;
//! let bob = db.first(User::query().filter(User::EMAIL.eq("bob@example.com"))).await?;
//! assert_eq!(bob.unwrap().name, "Bob");
//! # Ok(()) }
//! ```
//!
//! Start with the [guide]: modelling by hand, queries and the access-path
//! rule, relations, writes and transactions, the drift check of a live
//! schema, each backend's mapping and limits, DynamoDB design, errors, the
//! compile errors keyway gives and how to fix them, and performance.
#![forbid(unsafe_code)]

mod access;
mod aggregate;
mod backend;
mod check;
mod collection;
mod column;
mod counter;
mod create;
mod cursor;
mod db;
mod drift;
mod embedded;
mod entity;
mod error;
mod expiry;
mod ext;
mod field;
mod filter;
mod foreign_key;
mod generated;
mod given_keys;
mod grouped;
pub mod guide;
mod include;
mod intern;
#[cfg(feature = "json")]
mod json_path;
mod json_text;
mod key;
mod layout;
mod linked_rows;
mod load;
mod load_keys;
mod load_prefetched;
mod loaded;
pub mod migrate;
mod numeric;
mod order;
mod paginate;
mod projection;
mod query;
mod refusal;
mod relation;
mod relation_ext;
mod relation_filter;
mod returning;
mod row;
mod row_lock;
mod schema;
mod schema_set;
mod slot;
mod soft_delete;
mod span;
mod statement;
mod table_schema;
mod text_match;
mod together;
mod transaction;
mod types;
mod upsert;
mod upsert_by_row;
mod value;
mod value_io;
mod write;

/// The README's code, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// A zero-sized marker of type parameters that owns nothing and is always `Send + Sync`.
pub(crate) type Marker<T> = std::marker::PhantomData<fn() -> T>;

pub use access::{
    Access, AndAccess, Grouped, Indexed, Joined, Locked, LocksRows, NotAccess, OrAccess, RowLocks,
    Scan, Supports, SupportsEveryPath, Unindexed, Unlocked,
};
pub use aggregate::{
    Agg, AggFunc, Aggregate, Aggregates, Aggregation, GroupBy, Having, Ordered, SelectItem,
    Summable, avg, count, count_distinct, max, min, sum,
};
pub use backend::{Backend, Decoder, Executor};
pub use check::CheckKey;
pub use collection::{Collected, CollectionLink};
pub use column::{
    Column, IndexKind, IndexedSortKey, PartitionKey, Plain, PrimaryKey, Secondary, SortKey, Unique,
};
pub use counter::{Counter, counter_headroom, counter_sum};
pub use db::{Db, DbFuture, Decoded, IncludeAccess, Output, RowStream};
pub use drift::{Drift, drift};
pub use embedded::{
    Embed, Embedded, EmbeddedValue, FieldOf, OrNull, StructReader, StructWriter, flatten_struct,
    leaf_name, read_flat_struct,
};
pub use entity::Entity;
pub use error::{DecodeError, Error, Result};
pub use expiry::{Expiry, TTL_ATTRIBUTE, ttl_seconds};
pub use ext::EntityExt;
pub use field::{Field, NotNull, Nullable, ValueFor};
pub use filter::{CmpOp, Expr, Filter, FilterFor, JsonTest, Linked, Quantifier};
pub use foreign_key::{ForeignKeyDef, OnDelete, ReferencedKey, References};
pub use generated::Generated;
pub use given_keys::largest_given_key;
pub use grouped::{AggregateDecoder, Aggregated, GroupedQuery};
pub use include::{Include, Includes, IntoInclude, NoIncludes};
#[cfg(feature = "json")]
pub use json_path::{Document, JsonPath, JsonScalar};
pub use json_text::element_json;
pub use key::{Key, KeyPart};
pub use layout::{
    LAYOUT_PK, LAYOUT_SK, LAYOUT_TYPE, Layout, LayoutIndex, Piece, pieces as layout_pieces,
};
pub use linked_rows::resolve_linked;
pub use load::{Loads, Slots, Store};
pub use loaded::{Has, HasAt, HeadStore, Loaded};
pub use numeric::Numeric;
pub use order::{ColumnOrder, JoinOrder, KeyOrder, OrderBy, OrderKind, OrderSupportedBy};
pub use paginate::{Page, PageOf, Paginate};
pub use projection::Projection;
pub use query::{EntityDecoder, Projected, ProjectionDecoder, Query, Select};
pub use relation::{BelongsTo, HasMany, HasOne, Link, LinkSide, Matched, ParentRef, Relation};
pub use relation_ext::{LinkAccess, Related, RelationExt};
pub use relation_filter::{
    AnyAccess, ChildLink, IsAccess, ParentAccess, ParentLink, RelationFilter, Through,
};
pub use returning::Returning;
pub use row::{ColumnOf, RowReader, RowWriter, read_row, write_row};
pub use schema::{ColumnDef, ColumnRole, IndexDef, IndexSpec, TableDef, check_identifier};
pub use schema_set::Schema;
pub use slot::{DistinctSlot, SlotFree};
pub use soft_delete::DeletedAt;
pub use span::statement_span;
pub use statement::{
    DeleteStmt, Direction, InsertStmt, LockMode, LockWait, PathSet, RowLock, SelectStmt, Selection,
    UpdateStmt, UpsertStmt,
};
pub use table_schema::{ColumnSchema, ForeignKeySchema, IndexSchema, TableSchema};
pub use text_match::{LIKE_ESCAPE, Text, TextTest, text_matches};
pub use together::{At, KeyRead, MAX_TOGETHER, Rows, Together};
pub use transaction::Transaction;
#[cfg(feature = "json")]
pub use types::Json;
pub use types::{Contains, Enum, EnumRepr, List, ListElement};
pub use upsert::{ConflictTarget, Upsert, Upserted};
pub use upsert_by_row::upsert_by_row;
pub use value::{ColumnType, MICROS_PER_DAY, Value};
pub use value_io::{ValueReader, ValueWriter, ValuesReader};
pub use write::{DeleteKey, DeleteWhere, DeleteWrite, UpdateKey, UpdateWhere, UpdateWrite};

/// typenum, re-exported for `Relation::Slot` (`keyway::typenum::U0`, ...).
pub use typenum;

/// Everything a model file and a query site need: `use keyway::prelude::*;`.
pub mod prelude {
    pub use crate::{
        BelongsTo, Column, ColumnDef, Db, Embed, Embedded, Entity, EntityExt, ForeignKeyDef,
        HasMany, HasOne, IndexDef, IndexedSortKey, Layout, LayoutIndex, OnDelete, PrimaryKey,
        Relation, RelationExt, RelationFilter, Result, RowReader, RowWriter, Secondary, SortKey,
        StructReader, StructWriter, Unique,
    };
}
