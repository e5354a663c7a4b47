//! The indexed behaviour suite on DynamoDB with every entity of the test
//! model in one shared table (`app`, single-table design): the model's
//! layouts are on in this binary (see `model::SINGLE_TABLE`), so the same
//! entities, queries and assertions as in `tests/dynamodb.rs` run with
//! overloaded keys, one table and its shared indexes. `KEYWAY_DYNAMODB_URL`
//! (`./scripts/test` starts moto and sets it); an unreachable server fails
//! every test.

mod model;
mod suite;

#[path = "dynamodb/connect.rs"]
mod connect;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;

const _: () = assert!(
    model::SINGLE_TABLE,
    "this binary runs the suite single-table"
);

/// A connection whose shared table is this test's own.
async fn open() -> Db<DynamoDb> {
    connect::open_prefixed(connect::unique_prefix("kws")).await
}

keyway_indexed_suite!(open());

use connect::LIMITS;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_round_trips() {
    suite::reliability::random_round_trips(&open().await, &LIMITS).await;
}

/// 4 tasks x 250 operations on one shared table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_4_tasks_x_250_ops() {
    suite::reliability::soak(&open().await, 4, 250, 0).await;
}
