//! The DynamoDB backend handle and how it is opened.

use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::config::{Credentials, Region};
use futures::stream::BoxStream;
use keyway::{
    Backend, Db, Decoder, DeleteStmt, Executor, Indexed, InsertStmt, Result, Scan, SelectStmt,
    Supports, TableDef, UpdateStmt, Value,
};

use crate::options::{DynamoDbOptions, check_prefix, parse};
use crate::{DynamoDbTx, create_table, delete_table, errors, list_tables, read, write};

/// The DynamoDB backend: an AWS SDK client. Use it as `Db<DynamoDb>`.
///
/// It runs [`Indexed`] queries and explicit [`Scan`]s only: a query whose
/// filter names no key or index does not compile against it. Call `.scan()`
/// to read a whole table on purpose.
#[derive(Debug, Clone)]
pub struct DynamoDb {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) client: Client,
    pub(crate) prefix: String,
    pub(crate) concurrency: usize,
    /// The first pause before sending unprocessed batch items again.
    pub(crate) retry_backoff: Duration,
    /// The child tables known to reference each table (`references`).
    pub(crate) references: crate::references::Registry,
    /// The owner token of the migration lock this process holds, if any.
    pub(crate) migration_lock: std::sync::Mutex<Option<String>>,
}

impl Inner {
    /// The physical name of table `name` (after the prefix).
    pub(crate) fn table_name(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// The physical name of the table holding `table`'s items: its own,
    /// or the shared table of its layout.
    pub(crate) fn table_of(&self, table: &TableDef) -> String {
        self.table_name(crate::layout::table_name(table))
    }
}

/// Key and index lookups: GetItem, BatchGetItem, Query.
impl Supports<Indexed> for DynamoDb {}
/// Explicit `.scan()`s: Scan.
impl Supports<Scan> for DynamoDb {}

impl DynamoDb {
    /// Opens `url` with default options (see [`DynamoDbOptions`]).
    pub async fn connect(url: &str) -> Result<Db<DynamoDb>> {
        DynamoDbOptions::new(url).connect().await
    }

    /// The AWS SDK client, for requests beside keyway.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The physical name of the table of `name` (the prefix applied).
    pub fn table_name(&self, name: &str) -> String {
        self.inner.table_name(name)
    }

    pub(crate) async fn open(options: DynamoDbOptions) -> Result<Db<DynamoDb>> {
        let target = parse(&options.url)?;
        let prefix = options.prefix.or(target.prefix).unwrap_or_default();
        check_prefix(&prefix)?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(options.operation_timeout)
                    .connect_timeout(options.connect_timeout)
                    .build(),
            )
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(options.max_attempts)
                    .with_initial_backoff(options.retry_backoff),
            );
        if let Some(endpoint) = target.endpoint {
            // A local endpoint checks no signature: static dummy credentials.
            let creds = Credentials::new("keyway", "keyway", None, None, "keyway-local");
            loader = loader.endpoint_url(endpoint).credentials_provider(creds);
            let region = target.region.unwrap_or_else(|| "us-east-1".into());
            loader = loader.region(Region::new(region));
        } else if let Some(region) = target.region {
            loader = loader.region(Region::new(region));
        }
        let config = loader.load().await;
        let client = Client::new(&config);
        list_tables::ping(&client).await?;
        Ok(Db::new(DynamoDb {
            inner: Arc::new(Inner {
                client,
                prefix,
                concurrency: options.concurrency,
                retry_backoff: options.retry_backoff,
                references: Default::default(),
                migration_lock: Default::default(),
            }),
        }))
    }
}

impl Executor for DynamoDb {
    const SYSTEM: &'static str = "dynamodb";

    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        use futures::{StreamExt, TryStreamExt};
        let table = stmt.table;
        if !stmt.filter.as_ref().is_some_and(keyway::Expr::has_linked) {
            let rows = read::fetch(self.inner.clone(), stmt, decoder);
            return errors::named_stream(&self.inner, table, rows);
        }
        let rows = futures::stream::once(async move {
            let stmt = crate::linked::select(self, stmt).await?;
            Ok::<_, keyway::Error>(read::fetch(self.inner.clone(), stmt, decoder))
        })
        .try_flatten()
        .boxed();
        errors::named_stream(&self.inner, table, rows)
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        use futures::TryStreamExt;
        let named = errors::on_table(&self.inner, stmt.table);
        let stmt = crate::linked::select(self, stmt).await?;
        let rows = read::fetch(self.inner.clone(), stmt, decoder);
        rows.try_collect().await.map_err(named)
    }

    async fn fetch_collection<D: Decoder>(
        &self,
        stmt: SelectStmt,
        decoder: D,
        links: &[Option<keyway::CollectionLink>],
    ) -> Result<keyway::Collected<D>> {
        let named = errors::on_table(&self.inner, stmt.table);
        crate::collection::fetch(&self.inner, stmt, decoder, links)
            .await
            .map_err(named)
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let named = errors::on_table(&self.inner, stmt.table);
        let stmt = crate::linked::select(self, stmt).await?;
        read::count(self.inner.clone(), stmt).await.map_err(named)
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let named = errors::on_table(&self.inner, stmt.table);
        write::insert(&self.inner, stmt).await.map_err(named)
    }

    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        let named = errors::on_table(&self.inner, stmt.table);
        let stmt = crate::auto_key::given_keys(&self.inner, stmt).await?;
        write::insert(&self.inner, stmt)
            .await
            .map(drop)
            .map_err(named)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let named = errors::on_table(&self.inner, stmt.table);
        let stmt = crate::linked::update(self, stmt).await?;
        write::update(&self.inner, stmt).await.map_err(named)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let named = errors::on_table(&self.inner, stmt.table);
        let stmt = crate::linked::delete(self, stmt).await?;
        write::delete(&self.inner, stmt).await.map_err(named)
    }

    async fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        let (table, named) = (stmt.table, errors::on_table(&self.inner, stmt.table));
        let stmt = crate::linked::update(self, stmt).await?;
        let items = crate::returning::update(&self.inner, stmt)
            .await
            .map_err(named)?;
        read::decode_items(&table, &decoder, items)
    }

    async fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        let (table, named) = (stmt.table, errors::on_table(&self.inner, stmt.table));
        let stmt = crate::linked::delete(self, stmt).await?;
        let items = crate::returning::delete(&self.inner, stmt)
            .await
            .map_err(named)?;
        read::decode_items(&table, &decoder, items)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        create_table::create(&self.inner, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        delete_table::drop(&self.inner, table).await
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        crate::introspect::declared_table(table)
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        crate::introspect::describe_table(&self.inner, &table).await
    }

    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        crate::migrate::portable_type(catalog)
    }

    fn schema_changes(&self) -> keyway::migrate::SchemaChanges {
        keyway::migrate::SchemaChanges::OneByOne
    }

    fn render_change(&self, change: &keyway::migrate::Change<'_>) -> Result<Vec<String>> {
        crate::migrate::render(&self.inner, change)
    }

    async fn apply_change(&self, change: &keyway::migrate::Change<'_>) -> Result<()> {
        crate::migrate::apply(&self.inner, change).await
    }

    async fn lock_migrations(&self) -> Result<()> {
        crate::migration_lock::lock(&self.inner).await
    }

    async fn unlock_migrations(&self) -> Result<()> {
        crate::migration_lock::unlock(&self.inner).await
    }
}

impl Backend for DynamoDb {
    type Tx = DynamoDbTx;

    async fn fetch_together(&self, reads: Vec<keyway::KeyRead>) -> Result<Vec<Option<Vec<Value>>>> {
        crate::transact_get_items::fetch(&self.inner, reads).await
    }

    async fn begin(&self) -> Result<DynamoDbTx> {
        Ok(DynamoDbTx::new(self.inner.clone()))
    }

    async fn commit(tx: DynamoDbTx) -> Result<()> {
        tx.commit().await
    }

    async fn rollback(tx: DynamoDbTx) -> Result<()> {
        tx.rollback();
        Ok(())
    }
}
