//! The DynamoDB backend of keyway, on the AWS SDK (`aws-sdk-dynamodb`).
//!
//! `Db<DynamoDb>` runs only queries that reach their items through a key or
//! an index: `DynamoDb` implements `Supports<Indexed>` and `Supports<Scan>`,
//! never `Supports<Unindexed>`, so a filter on a plain column does not
//! compile against it. `.scan()` is the explicit opt-in to read a whole table.
//!
//! | statement | DynamoDB |
//! | --- | --- |
//! | by full key | GetItem |
//! | key `in_list` | BatchGetItem (100 keys per call, unprocessed keys retried) |
//! | partition key `eq` (+ sort key range) | Query on the table, other conditions as FilterExpression |
//! | `eq` on an indexed column | Query on its GSI |
//! | `in_list` on an indexed column | one Query per value, run concurrently (bounded) |
//! | OR of indexed conditions | one request per branch, de-duplicated |
//! | `.scan()` | Scan with FilterExpression |
//! | count | the same requests with `Select=COUNT` |
//! | insert | PutItem `attribute_not_exists`; many rows: BatchWriteItem or TransactWriteItems |
//! | update / delete | UpdateItem / DeleteItem on each matched key, conditioned on its existence |
//! | transaction | writes composed per item, one TransactWriteItems at commit (at most 100 writes) |
//! | child written with a reference | + a ConditionCheck that the parent exists |
//! | parent deleted | its children found through their foreign-key GSI: restricted, deleted or set NULL in the same TransactWriteItems (chunks of 100, children first, past 100) |
//!
//! **Foreign keys** are enforced as on SQL. A child's foreign keys live on
//! the child entity, so a delete of the parent learns of them from the
//! managed `keyway_meta` table: `create_table` of a child records, under the
//! parent table's name (sort key `ref#{child}#{column}`), each foreign key
//! with the child's whole schema as text, before it creates the child table;
//! `drop_table` of the child removes the records. A process reads a parent's
//! records (one consistent Query) at its first delete from the parent and
//! refreshes them every 10 s; its own `create_table` / `drop_table` update
//! them at once. So a program that never declared the child, or another
//! process, restricts and cascades too; a record naming a missing table
//! means no children. DynamoDB has no predicate locks: a child inserted by
//! another client between a delete's lookup of the children and its commit
//! is left referencing a deleted parent.
//!
//! Every attribute name is aliased (`#n0`) and every value a placeholder
//! (`:v0`). Pages are followed until `LastEvaluatedKey` is absent.
//!
//! ```no_run
//! # mod model { include!("../../../examples/todo/model/user.rs"); }
//! # use model::User;
//! use keyway::prelude::*;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = keyway_dynamodb::DynamoDb::connect("dynamodb://127.0.0.1:8000?region=us-east-1").await?;
//! db.create_schema::<User>().await?;
//! let id = db.insert(&User::new("Ann", "ann@example.com")).await?;
//! let by_email = db.first(User::query().filter(User::EMAIL.eq("ann@example.com"))).await?;
//! assert_eq!(by_email.map(|u| u.id), Some(id));
//! let everyone = db.all(User::query().scan()).await?; // a Scan, on purpose
//! # let _ = everyone;
//! # Ok(()) }
//! ```
//!
//! How to model for DynamoDB, what each query becomes and what is refused
//! is in keyway's guide, [`keyway::guide::dynamodb`].
#![forbid(unsafe_code)]

mod action;
mod apply_update;
mod auto_key;
mod batch_get_item;
mod batch_write_item;
mod collection;
mod connect;
mod create_table;
mod delete_item;
mod delete_table;
mod describe_table;
mod describe_time_to_live;
mod document;
mod embedded;
mod errors;
mod eval;
mod foreign_keys;
mod get_item;
mod introspect;
mod item_size;
mod layout;
mod linked;
mod list_tables;
mod marshal;
mod meta;
mod migrate;
mod migrate_expiry;
mod migration_lock;
mod names;
mod options;
mod page;
mod path_set;
mod plan;
mod plan_shared;
mod put_item;
mod query;
mod read;
mod references;
mod retry;
mod returning;
mod scan;
mod schema;
mod schema_text;
mod shared_table;
mod transact_get_items;
mod transact_write_items;
mod ttl;
mod tx;
mod tx_buffer;
mod tx_commit;
mod tx_view;
mod unique;
mod update_item;
mod update_table;
mod update_time_to_live;
mod write;

pub use connect::DynamoDb;
pub use errors::DynamoDbError;
pub use marshal::{Item, ItemReader, from_attr, from_item, to_attr, to_item};
pub use options::DynamoDbOptions;
pub use tx::DynamoDbTx;
