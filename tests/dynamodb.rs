//! The indexed behaviour suite and DynamoDB-specific cases, on a real
//! DynamoDB-protocol server: `KEYWAY_DYNAMODB_URL` (`./scripts/test` starts
//! moto and sets it). An unreachable server fails every test.

mod model;
mod suite;

#[path = "dynamodb/connect.rs"]
mod connect;

use connect::url;
use keyway::prelude::*;
use keyway_dynamodb::{DynamoDb, DynamoDbOptions};

/// A table prefix no other test of any run uses.
fn prefix() -> String {
    connect::unique_prefix("kw")
}

/// A connection whose tables are this test's own.
async fn open() -> Db<DynamoDb> {
    connect::open_prefixed(prefix()).await
}

keyway_indexed_suite!(open());

#[path = "dynamodb/layout.rs"]
mod layout;
#[path = "dynamodb/specific.rs"]
mod specific;
#[path = "dynamodb/transact.rs"]
mod transact;
#[path = "dynamodb/ttl.rs"]
mod ttl;

use connect::LIMITS;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_round_trips() {
    suite::reliability::random_round_trips(&open().await, &LIMITS).await;
}

/// 8 tasks x 500 operations: moto answers one request at a time
/// (scripts/moto_server.py), so the full 8 x 2,000 of the SQL backends would
/// take minutes. No operation may fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_8_tasks_x_500_ops() {
    suite::reliability::soak(&open().await, 8, 500, 0).await;
}

#[path = "dynamodb/fault_proxy.rs"]
mod fault_proxy;
#[path = "dynamodb/faults.rs"]
mod faults;
