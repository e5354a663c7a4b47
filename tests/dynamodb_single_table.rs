//! The indexed behaviour suite on DynamoDB with every entity of the test
//! model in one shared table (`app`, single-table design): the model's
//! layouts are on in this binary (see `model::SINGLE_TABLE`), so the same
//! entities, queries and assertions as in `tests/dynamodb.rs` run with
//! overloaded keys, one table and its shared indexes. `KEYWAY_DYNAMODB_URL`
//! (`./scripts/test` starts moto and sets it); an unreachable server fails
//! every test.

mod model;
mod suite;

use std::sync::atomic::{AtomicU32, Ordering};

use keyway::prelude::*;
use keyway_dynamodb::{DynamoDb, DynamoDbOptions};

const _: () = assert!(
    model::SINGLE_TABLE,
    "this binary runs the suite single-table"
);

fn url() -> String {
    std::env::var("KEYWAY_DYNAMODB_URL")
        .unwrap_or_else(|_| "dynamodb://127.0.0.1:8000?region=us-east-1".into())
}

/// A table prefix no other test of any run uses.
fn prefix() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "kws{}_{}_{nanos}_",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A connection whose shared table is this test's own.
async fn open() -> Db<DynamoDb> {
    let url = url();
    DynamoDbOptions::new(&url)
        .table_prefix(prefix())
        .connect()
        .await
        .unwrap_or_else(|e| {
            panic!("DynamoDB at {url} is unreachable ({e}); run ./scripts/test, which starts moto")
        })
}

keyway_indexed_suite!(open());

const LIMITS: suite::Limits = suite::Limits {
    float_nan: false,
    float_infinity: false,
    negative_zero: false,
    float_magnitude: Some((1e-130, 9.999_999_999_999_998e125)),
    ..suite::Limits::NONE
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_round_trips() {
    suite::reliability::random_round_trips(&open().await, &LIMITS).await;
}

/// 4 tasks x 250 operations on one shared table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_4_tasks_x_250_ops() {
    suite::reliability::soak(&open().await, 4, 250, 0).await;
}
