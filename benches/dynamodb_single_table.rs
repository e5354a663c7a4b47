//! Eager loading of 100 users x 10 todos on DynamoDB (moto on loopback):
//! the same model kept table-per-entity and single-table, against
//! hand-written AWS SDK calls for the single-table layout, in the same
//! criterion groups. Each group also prints how many requests each way
//! sends (counted by a loopback proxy in a run before the timed ones).
//!
//! - `by_key`: the 100 users by key with their todos. Table-per-entity: a
//!   BatchGetItem, then a Query of the todos' owner index per user.
//!   Single-table: a Query of each user's partition (`USER#{id}`), which
//!   holds the user and the todos.
//! - `scan`: every user with their todos. Table-per-entity: a Scan of the
//!   users, then a Query per user. Single-table: one Scan of the table.
//!
//! Needs the server: `KEYWAY_DYNAMODB_URL` (`./scripts/test` starts moto
//! on 127.0.0.1:8000). Run with `cargo bench --bench dynamodb_single_table`;
//! results are in `BENCHMARKS.md`.

#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use criterion::Criterion;
use keyway::PartitionKey;
use keyway::prelude::*;
use keyway::typenum::U0;
use keyway_dynamodb::{DynamoDb, DynamoDbOptions};

#[path = "../tests/dynamodb/fault_proxy.rs"]
#[allow(dead_code)]
mod fault_proxy;

const USERS: i64 = 100;
const TODOS: i64 = 10;

// Table-per-entity: the users and the todos in tables of their own.

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
}

impl User {
    pub const ID: Column<User, i64, PrimaryKey> = Column::new("id");
    pub const NAME: Column<User, String> = Column::new("name");
}

impl Entity for User {
    type Key = i64;
    const TABLE: &'static str = "bench_users";
    const COLUMNS: &'static [ColumnDef] = &[User::ID.def(), User::NAME.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(User::ID, &self.id);
        row.put(User::NAME, &self.name);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(User {
            id: row.get(User::ID)?,
            name: row.get(User::NAME)?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Todo {
    pub id: i64,
    pub owner_id: i64,
    pub title: String,
}

impl Todo {
    pub const ID: Column<Todo, i64, PrimaryKey> = Column::new("id");
    pub const OWNER_ID: Column<Todo, i64, Secondary> = Column::new("owner_id");
    pub const TITLE: Column<Todo, String> = Column::new("title");
}

impl Entity for Todo {
    type Key = i64;
    const TABLE: &'static str = "bench_todos";
    const COLUMNS: &'static [ColumnDef] =
        &[Todo::ID.def(), Todo::OWNER_ID.def(), Todo::TITLE.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Todo::ID, &self.id);
        row.put(Todo::OWNER_ID, &self.owner_id);
        row.put(Todo::TITLE, &self.title);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Todo {
            id: row.get(Todo::ID)?,
            owner_id: row.get(Todo::OWNER_ID)?,
            title: row.get(Todo::TITLE)?,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct UserTodos;

impl Relation for UserTodos {
    type From = User;
    type To = Todo;
    type Slot = U0;
    type Link = HasMany<Column<Todo, i64, Secondary>>;
    const LINK: Self::Link = HasMany(Todo::OWNER_ID);
}

// Single-table: a user's todos in the user's partition of table `bench`.

#[derive(Debug, Clone)]
pub struct SharedUser {
    pub id: i64,
    pub name: String,
}

impl SharedUser {
    pub const ID: Column<SharedUser, i64, PrimaryKey> = Column::new("id");
    pub const NAME: Column<SharedUser, String> = Column::new("name");
}

impl Entity for SharedUser {
    type Key = i64;
    const TABLE: &'static str = "shared_users";
    const LAYOUT: Option<Layout> = Some(Layout::new("bench", "User").key("USER#{id}", "USER"));
    const COLUMNS: &'static [ColumnDef] = &[SharedUser::ID.def(), SharedUser::NAME.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(SharedUser::ID, &self.id);
        row.put(SharedUser::NAME, &self.name);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(SharedUser {
            id: row.get(SharedUser::ID)?,
            name: row.get(SharedUser::NAME)?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct SharedTodo {
    pub owner_id: i64,
    pub id: i64,
    pub title: String,
}

impl SharedTodo {
    pub const OWNER_ID: Column<SharedTodo, i64, PartitionKey> = Column::new("owner_id");
    pub const ID: Column<SharedTodo, i64, SortKey> = Column::new("id");
    pub const TITLE: Column<SharedTodo, String> = Column::new("title");
}

impl Entity for SharedTodo {
    type Key = (i64, i64);
    const TABLE: &'static str = "shared_todos";
    const LAYOUT: Option<Layout> =
        Some(Layout::new("bench", "Todo").key("USER#{owner_id}", "TODO#{id}"));
    const COLUMNS: &'static [ColumnDef] = &[
        SharedTodo::OWNER_ID.def(),
        SharedTodo::ID.def(),
        SharedTodo::TITLE.def(),
    ];
    fn key(&self) -> (i64, i64) {
        (self.owner_id, self.id)
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(SharedTodo::OWNER_ID, &self.owner_id);
        row.put(SharedTodo::ID, &self.id);
        row.put(SharedTodo::TITLE, &self.title);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(SharedTodo {
            owner_id: row.get(SharedTodo::OWNER_ID)?,
            id: row.get(SharedTodo::ID)?,
            title: row.get(SharedTodo::TITLE)?,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SharedUserTodos;

impl Relation for SharedUserTodos {
    type From = SharedUser;
    type To = SharedTodo;
    type Slot = U0;
    type Link = HasMany<Column<SharedTodo, i64, PartitionKey>>;
    const LINK: Self::Link = HasMany(SharedTodo::OWNER_ID);
}

fn url() -> String {
    std::env::var("KEYWAY_DYNAMODB_URL")
        .unwrap_or_else(|_| "dynamodb://127.0.0.1:8000?region=us-east-1".into())
}

async fn open(url: &str, prefix: &str) -> Db<DynamoDb> {
    DynamoDbOptions::new(url)
        .table_prefix(prefix)
        .connect()
        .await
        .unwrap_or_else(|e| panic!("DynamoDB at {url} is unreachable ({e}); start moto first"))
}

async fn seed(db: &Db<DynamoDb>) {
    db.drop_schema::<(User, Todo, SharedUser, SharedTodo)>()
        .await
        .unwrap();
    db.create_schema::<(User, Todo, SharedUser, SharedTodo)>()
        .await
        .unwrap();
    let users: Vec<User> = (1..=USERS)
        .map(|id| User {
            id,
            name: format!("user {id}"),
        })
        .collect();
    let todos: Vec<Todo> = (0..USERS * TODOS)
        .map(|i| Todo {
            id: i + 1,
            owner_id: i / TODOS + 1,
            title: format!("todo {i}"),
        })
        .collect();
    db.insert_many(&users).await.unwrap();
    db.insert_many(&todos).await.unwrap();
    let users: Vec<SharedUser> = users
        .iter()
        .map(|u| SharedUser {
            id: u.id,
            name: u.name.clone(),
        })
        .collect();
    let todos: Vec<SharedTodo> = todos
        .iter()
        .map(|t| SharedTodo {
            owner_id: t.owner_id,
            id: t.id,
            title: t.title.clone(),
        })
        .collect();
    db.insert_many(&users).await.unwrap();
    db.insert_many(&todos).await.unwrap();
}

fn ids() -> Vec<i64> {
    (1..=USERS).collect()
}

async fn per_entity_by_key(db: &Db<DynamoDb>) -> usize {
    let q = User::query()
        .filter(User::ID.in_list(ids()))
        .include(UserTodos);
    let users = db.all(q).await.unwrap();
    users.iter().map(|u| u.get(UserTodos).len()).sum()
}

async fn single_table_by_key(db: &Db<DynamoDb>) -> usize {
    let q = SharedUser::query()
        .filter(SharedUser::ID.in_list(ids()))
        .include(SharedUserTodos);
    let users = db.all(q).await.unwrap();
    users.iter().map(|u| u.get(SharedUserTodos).len()).sum()
}

async fn per_entity_scan(db: &Db<DynamoDb>) -> usize {
    let users = db
        .all(User::query().scan().include(UserTodos))
        .await
        .unwrap();
    users.iter().map(|u| u.get(UserTodos).len()).sum()
}

async fn single_table_scan(db: &Db<DynamoDb>) -> usize {
    let q = SharedUser::query().scan().include(SharedUserTodos);
    let users = db.all(q).await.unwrap();
    users.iter().map(|u| u.get(SharedUserTodos).len()).sum()
}

type Item = HashMap<String, AttributeValue>;

fn text(item: &Item, k: &str) -> String {
    match item.get(k) {
        Some(AttributeValue::S(s)) => s.clone(),
        other => panic!("{k}: {other:?}"),
    }
}

fn number(item: &Item, k: &str) -> i64 {
    match item.get(k) {
        Some(AttributeValue::N(n)) => n.parse().unwrap(),
        other => panic!("{k}: {other:?}"),
    }
}

/// The users and their todos out of single-table items, by hand.
fn split(items: Vec<Item>) -> Vec<(SharedUser, Vec<SharedTodo>)> {
    let mut users: Vec<(SharedUser, Vec<SharedTodo>)> = Vec::new();
    let mut todos: HashMap<i64, Vec<SharedTodo>> = HashMap::new();
    for item in items {
        match text(&item, "_et").as_str() {
            "User" => users.push((
                SharedUser {
                    id: number(&item, "id"),
                    name: text(&item, "name"),
                },
                Vec::new(),
            )),
            "Todo" => todos
                .entry(number(&item, "owner_id"))
                .or_default()
                .push(SharedTodo {
                    owner_id: number(&item, "owner_id"),
                    id: number(&item, "id"),
                    title: text(&item, "title"),
                }),
            _ => {}
        }
    }
    for (user, mine) in &mut users {
        *mine = todos.remove(&user.id).unwrap_or_default();
        mine.sort_by_key(|t| t.id);
    }
    users
}

/// By hand: a strongly consistent Query of each user's partition, 16 at
/// a time (keyway's default concurrency), every page.
async fn raw_by_key(client: &aws_sdk_dynamodb::Client, table: &str) -> usize {
    use futures::StreamExt;
    let queries = ids().into_iter().map(|id| {
        let client = client.clone();
        let table = table.to_owned();
        async move {
            let mut items = Vec::new();
            let mut start = None;
            loop {
                let out = client
                    .query()
                    .table_name(&table)
                    .key_condition_expression("PK = :pk")
                    .expression_attribute_values(
                        ":pk",
                        AttributeValue::S(format!("USER#{id:0>20}")),
                    )
                    .consistent_read(true)
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .unwrap();
                items.extend(out.items.unwrap_or_default());
                start = out.last_evaluated_key;
                if start.is_none() {
                    break;
                }
            }
            items
        }
    });
    let items: Vec<Vec<Item>> = futures::stream::iter(queries).buffered(16).collect().await;
    split(items.into_iter().flatten().collect())
        .iter()
        .map(|(_, t)| t.len())
        .sum()
}

/// By hand: one Scan of the table, every page.
async fn raw_scan(client: &aws_sdk_dynamodb::Client, table: &str) -> usize {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let out = client
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        items.extend(out.items.unwrap_or_default());
        start = out.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    split(items).iter().map(|(_, t)| t.len()).sum()
}

/// How many requests of each operation one run of `f` sends.
async fn requests<F: AsyncFn(&Db<DynamoDb>) -> usize>(
    db: &Db<DynamoDb>,
    proxy: &fault_proxy::FaultProxy,
    f: F,
) -> String {
    let ops = ["GetItem", "BatchGetItem", "Query", "Scan"];
    let before: Vec<usize> = ops.iter().map(|o| proxy.seen(o)).collect();
    assert_eq!(f(db).await, (USERS * TODOS) as usize);
    let sent: Vec<String> = ops
        .iter()
        .zip(before)
        .filter_map(|(o, b)| {
            let n = proxy.seen(o) - b;
            (n > 0).then(|| format!("{n} {o}"))
        })
        .collect();
    sent.join(" + ")
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let url = url();
    let prefix = format!("kwbench{}_", std::process::id());
    let db = rt.block_on(open(&url, &prefix));
    rt.block_on(seed(&db));
    // The requests each way sends, through a counting proxy.
    rt.block_on(async {
        let server = url
            .split("://")
            .nth(1)
            .and_then(|r| r.split(['/', '?']).next())
            .unwrap();
        let proxy = fault_proxy::FaultProxy::start(server).await;
        let counted = open(&url.replacen(server, &proxy.addr(), 1), &prefix).await;
        println!(
            "requests, by_key, table-per-entity: {}",
            requests(&counted, &proxy, per_entity_by_key).await
        );
        println!(
            "requests, by_key, single-table:     {}",
            requests(&counted, &proxy, single_table_by_key).await
        );
        println!(
            "requests, scan, table-per-entity:   {}",
            requests(&counted, &proxy, per_entity_scan).await
        );
        println!(
            "requests, scan, single-table:       {}",
            requests(&counted, &proxy, single_table_scan).await
        );
    });
    let client = db.executor().client().clone();
    let table = db.executor().table_name("bench");
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1));
    let mut g = c.benchmark_group("dynamodb_eager_100x10_by_key");
    g.bench_function("raw_sdk_single_table", |b| {
        b.iter(|| black_box(rt.block_on(raw_by_key(&client, &table))))
    });
    g.bench_function("keyway_single_table", |b| {
        b.iter(|| black_box(rt.block_on(single_table_by_key(&db))))
    });
    g.bench_function("keyway_table_per_entity", |b| {
        b.iter(|| black_box(rt.block_on(per_entity_by_key(&db))))
    });
    g.finish();
    let mut g = c.benchmark_group("dynamodb_eager_100x10_scan");
    g.bench_function("raw_sdk_single_table", |b| {
        b.iter(|| black_box(rt.block_on(raw_scan(&client, &table))))
    });
    g.bench_function("keyway_single_table", |b| {
        b.iter(|| black_box(rt.block_on(single_table_scan(&db))))
    });
    g.bench_function("keyway_table_per_entity", |b| {
        b.iter(|| black_box(rt.block_on(per_entity_scan(&db))))
    });
    g.finish();
    rt.block_on(db.drop_schema::<(User, Todo, SharedUser, SharedTodo)>())
        .unwrap();
    c.final_summary();
}
