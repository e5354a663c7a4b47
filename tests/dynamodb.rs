//! The indexed behaviour suite and DynamoDB-specific cases, on a real
//! DynamoDB-protocol server: `KEYWAY_DYNAMODB_URL` (`./scripts/test` starts
//! moto and sets it). An unreachable server fails every test.

mod model;
mod suite;

use std::sync::atomic::{AtomicU32, Ordering};

use keyway::prelude::*;
use keyway_dynamodb::{DynamoDb, DynamoDbOptions};

/// The server's URL.
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
        "kw{}_{}_{nanos}_",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A connection whose tables are this test's own.
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

#[path = "dynamodb/specific.rs"]
mod specific;
