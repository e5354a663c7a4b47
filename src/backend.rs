//! The contract between the core and a backend.

use std::future::Future;

use futures::stream::BoxStream;

use crate::migrate::{Change, SchemaChanges};

use crate::{
    DeleteStmt, Entity, EntityDecoder, Indexed, InsertStmt, Result, Scan, SelectStmt, Supports,
    TableDef, TableSchema, UpdateStmt, UpsertStmt, Value, ValueReader,
};

/// Turns a row into a result value: an entity, or a projected tuple.
pub trait Decoder: Send + Sync + 'static {
    /// What one row becomes.
    type Output: Send + 'static;
    /// Decodes one row.
    fn decode(&self, row: &mut impl ValueReader) -> Result<Self::Output>;
}

/// Runs backend-neutral statements: a connection pool, or an open transaction.
///
/// Backend crates implement it; users call [`Db`](crate::Db) instead. Every
/// executor runs indexed queries and explicit scans, so generic code only ever
/// needs to ask for `Supports<Unindexed>`.
pub trait Executor: Supports<Indexed> + Supports<Scan> + Send + Sync + 'static {
    /// The `db.system` name used in tracing spans and errors (`sqlite`, ...).
    const SYSTEM: &'static str;

    /// The `db.system` name of this executor; differs from [`Self::SYSTEM`]
    /// only for backends chosen at run time.
    fn system(&self) -> &'static str {
        Self::SYSTEM
    }

    /// Whether the rows of an include are ordered by the database
    /// (`ORDER BY` the lookup column, then the key: free where an index on
    /// the lookup column hands rows over in that order, as on SQLite) rather
    /// than by keyway once read (the default: no sort on the server).
    fn orders_includes(&self) -> bool {
        false
    }

    /// Streams the rows of a read.
    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>>;

    /// Collects the rows of a read.
    fn fetch_all<D: Decoder>(
        &self,
        stmt: SelectStmt,
        decoder: D,
    ) -> impl Future<Output = Result<Vec<D::Output>>> + Send;

    /// The rows of a read and, where the backend keeps them beside their
    /// parents, the children of `links` (one per include; `None` for an
    /// include that cannot be read so): DynamoDB reads the partition a
    /// single-table layout shares between a parent and its children with
    /// one Query. The default declines, and the includes load as usual.
    fn fetch_collection<D: Decoder>(
        &self,
        stmt: SelectStmt,
        decoder: D,
        links: &[Option<crate::CollectionLink>],
    ) -> impl Future<Output = Result<crate::Collected<D>>> + Send {
        let _ = links;
        std::future::ready(Ok(crate::Collected::Declined(Box::new(stmt), decoder)))
    }

    /// The row of `E` with `key`, if there is one. By default the first row
    /// of [`fetch_all`](Executor::fetch_all) of [`SelectStmt::by_key`]; a
    /// backend may keep the lookup's statement per entity instead of
    /// building and lowering it each time, and stop after the first row.
    fn fetch_by_key<E: Entity>(
        &self,
        key: &E::Key,
    ) -> impl Future<Output = Result<Option<E>>> + Send {
        let stmt = SelectStmt::by_key::<E>(key);
        async move {
            let rows = self.fetch_all(stmt, EntityDecoder::<E>::new()).await?;
            Ok(rows.into_iter().next())
        }
    }

    /// Counts the rows matching a read's filter.
    fn count(&self, stmt: SelectStmt) -> impl Future<Output = Result<u64>> + Send;

    /// Inserts rows; returns the generated value of the `auto` column for each
    /// row, in row order (empty when the table has none).
    fn insert(&self, stmt: InsertStmt) -> impl Future<Output = Result<Vec<Value>>> + Send;

    /// Inserts `entities` as [`insert`](Executor::insert) does. By default
    /// through [`InsertStmt::of`]; a backend may encode each entity straight
    /// into its statement instead, lending text and bytes without a copy
    /// ([`ValueWriter::put_text`](crate::ValueWriter::put_text)). Either way
    /// each entity is written through [`write_row`](crate::write_row), so a
    /// `write` whose columns are out of `COLUMNS` order or missing is
    /// [`Error::Invalid`](crate::Error::Invalid) and nothing is inserted.
    fn insert_entities<E: Entity>(
        &self,
        entities: &[E],
    ) -> impl Future<Output = Result<Vec<Value>>> + Send {
        let stmt = InsertStmt::of(entities);
        async move { self.insert(stmt?).await }
    }

    /// Inserts rows with the values their `auto` column holds (the table
    /// of [`TableDef::with_given_keys`]), then moves the table's key
    /// generator past the largest of them ([`largest_given_key`](crate::largest_given_key)),
    /// so that generated keys never collide with given ones. For a table
    /// without an `auto` column it is an ordinary insert.
    fn insert_with_keys(&self, stmt: InsertStmt) -> impl Future<Output = Result<()>> + Send;

    /// Inserts rows, updating instead each row whose target columns match a
    /// stored row ([`UpsertStmt`]). By default one row at a time, as
    /// [`upsert_by_row`](crate::upsert_by_row) does; a SQL backend sends
    /// `INSERT .. ON CONFLICT` (or `ON DUPLICATE KEY UPDATE`) instead.
    /// Returns, for a statement with [`report`](UpsertStmt::report) set,
    /// whether each row was inserted, in row order (otherwise it may
    /// return nothing).
    fn upsert(&self, stmt: UpsertStmt) -> impl Future<Output = Result<Vec<bool>>> + Send {
        crate::upsert_by_row(self, stmt)
    }

    /// Writes every column of `entity` but its key to the row with its key;
    /// for a versioned entity only if the row still holds the struct's
    /// version, adding 1 to it. Returns how many rows it wrote (0 or 1). By
    /// default the [`UpdateStmt`] of [`UpdateStmt::save`] through
    /// [`update`](Executor::update); a backend may keep the statement per
    /// entity and bind its values straight from the entity instead.
    fn save_entity<E: Entity>(&self, entity: &E) -> impl Future<Output = Result<u64>> + Send {
        let stmt = UpdateStmt::save(entity);
        async move { self.update(stmt?).await }
    }

    /// Checks that rows hold `stmt`'s condition (an [`UpdateStmt`] that
    /// sets nothing: its filter names the rows, its condition what they
    /// must hold); returns how many do. The check holds until the
    /// transaction it runs in ends: by default a read that share-locks the
    /// rows where the database has row locks (SQLite and Turso lock the
    /// whole database for a write transaction); DynamoDB's transaction
    /// checks the rows again at its commit (a `ConditionCheck`).
    fn check(&self, stmt: UpdateStmt) -> impl Future<Output = Result<u64>> + Send {
        async move {
            let mut select = SelectStmt::new(stmt.table);
            select.filter = stmt.rows_written();
            select.selection =
                crate::Selection::Columns(stmt.table.key_columns().map(|c| c.name).collect());
            select.lock = Some(crate::RowLock::waiting(crate::LockMode::Share));
            let rows = self.fetch_all(select, crate::check::Nothing).await?;
            Ok(rows.len() as u64)
        }
    }

    /// Updates rows; returns how many matched.
    fn update(&self, stmt: UpdateStmt) -> impl Future<Output = Result<u64>> + Send;

    /// Deletes rows; returns how many were deleted.
    fn delete(&self, stmt: DeleteStmt) -> impl Future<Output = Result<u64>> + Send;

    /// Updates rows as [`update`](Executor::update) does and returns each
    /// row written, as the write left it: every column, as a read of
    /// [`Selection::Entity`](crate::Selection::Entity) returns them, decoded
    /// by `decoder`, in no particular order. The rows are those written,
    /// not a later read that another writer could have changed.
    fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> impl Future<Output = Result<Vec<D::Output>>> + Send;

    /// Deletes rows as [`delete`](Executor::delete) does and returns each
    /// row deleted, as it was, decoded as for
    /// [`update_returning`](Executor::update_returning).
    fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> impl Future<Output = Result<Vec<D::Output>>> + Send;

    /// Creates a table with its keys and indexes, if it does not exist.
    fn create_table(&self, table: TableDef) -> impl Future<Output = Result<()>> + Send;

    /// Drops a table, if it exists.
    fn drop_table(&self, table: TableDef) -> impl Future<Output = Result<()>> + Send;

    /// `table` as `create_table` makes it on this backend, in the terms its
    /// catalog uses ([`TableSchema`]).
    fn declared_table(&self, table: &TableDef) -> Result<TableSchema> {
        Err(no_introspection(self.system(), table))
    }

    /// `table` as the database holds it now, read from its catalog; `None`
    /// when it does not exist.
    fn describe_table(
        &self,
        table: TableDef,
    ) -> impl Future<Output = Result<Option<TableSchema>>> + Send {
        let err = no_introspection(self.system(), &table);
        async move { Err(err) }
    }

    /// The keyway type of a column the catalog describes as `catalog` (as
    /// [`describe_table`](Self::describe_table) spells it), if one is
    /// stored so; for reading a live table as a spec
    /// ([`live_table`](crate::migrate::live_table)).
    fn portable_type(&self, catalog: &str) -> Option<crate::migrate::TypeSpec> {
        let _ = catalog;
        None
    }

    /// How this backend applies migrations: in a transaction, one step at a
    /// time, or not at all.
    fn schema_changes(&self) -> SchemaChanges {
        SchemaChanges::Unsupported
    }

    /// What applying `change` runs, for a person to review: the DDL
    /// statements of a SQL dialect, the calls DynamoDB receives.
    fn render_change(&self, change: &Change<'_>) -> Result<Vec<String>> {
        Err(no_migrations(self.system(), change))
    }

    /// Applies `change` (not a Rust step: the migration runner runs those).
    fn apply_change(&self, change: &Change<'_>) -> impl Future<Output = Result<()>> + Send {
        let err = no_migrations(self.system(), change);
        async move { Err(err) }
    }

    /// Takes the lock that keeps two migration runs apart, waiting for it:
    /// PostgreSQL's advisory lock for the transaction, MySQL's `GET_LOCK`
    /// for the connection (until [`unlock_migrations`](Self::unlock_migrations)),
    /// a lock item on DynamoDB. On SQLite the migration's own write
    /// transaction is the lock.
    fn lock_migrations(&self) -> impl Future<Output = Result<()>> + Send {
        async { Ok(()) }
    }

    /// Gives back the lock of [`lock_migrations`](Self::lock_migrations),
    /// where the end of a transaction does not.
    fn unlock_migrations(&self) -> impl Future<Output = Result<()>> + Send {
        async { Ok(()) }
    }
}

/// The error of a backend that does not apply migrations.
fn no_migrations(backend: &'static str, change: &Change<'_>) -> crate::Error {
    crate::Error::Unsupported {
        backend,
        detail: format!("applying the migration step \"{}\"", change.step),
    }
}

/// The error of a backend that cannot describe its tables.
fn no_introspection(backend: &'static str, table: &TableDef) -> crate::Error {
    crate::Error::Unsupported {
        backend,
        detail: format!("describing the table `{}`", table.name),
    }
}

/// A backend: an [`Executor`] that can also open transactions.
pub trait Backend: Executor + Clone {
    /// An open transaction. Dropping it without commit rolls it back.
    type Tx: Executor;

    /// Opens a transaction.
    fn begin(&self) -> impl Future<Output = Result<Self::Tx>> + Send;

    /// Begins the transaction a migration runs in: on SQLite, one that
    /// takes the write lock at once and rebuilds tables with foreign keys
    /// checked at commit; elsewhere [`begin`](Self::begin).
    fn begin_schema_change(&self) -> impl Future<Output = Result<Self::Tx>> + Send {
        self.begin()
    }

    /// Commits a transaction.
    fn commit(tx: Self::Tx) -> impl Future<Output = Result<()>> + Send;

    /// Rolls a transaction back.
    fn rollback(tx: Self::Tx) -> impl Future<Output = Result<()>> + Send;

    /// Reads rows by key as of one moment
    /// ([`Db::find_together`](crate::Db::find_together)): each row's
    /// values in column order, or `None`, in the order asked. By default
    /// in one transaction, each row share-locked where the database has
    /// row locks; DynamoDB sends one `TransactGetItems`.
    fn fetch_together(
        &self,
        reads: Vec<crate::KeyRead>,
    ) -> impl Future<Output = Result<Vec<Option<Vec<Value>>>>> + Send {
        crate::together::in_one_transaction(self, reads)
    }
}
