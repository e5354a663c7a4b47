//! Reaching the DynamoDB-protocol server of the tests: its URL, a table
//! prefix no other test of any run uses, and a connection with one.

use std::sync::atomic::{AtomicU32, Ordering};

use keyway::Db;
use keyway_dynamodb::{DynamoDb, DynamoDbOptions};

/// The server's URL.
pub fn url() -> String {
    std::env::var("KEYWAY_DYNAMODB_URL")
        .unwrap_or_else(|_| "dynamodb://127.0.0.1:8000?region=us-east-1".into())
}

/// A table prefix beginning `tag` that no other test of any run uses.
pub fn unique_prefix(tag: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{tag}{}_{}_{nanos}_",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A connection whose tables begin with `prefix`.
pub async fn open_prefixed(prefix: String) -> Db<DynamoDb> {
    let url = url();
    DynamoDbOptions::new(&url)
        .table_prefix(prefix)
        .connect()
        .await
        .unwrap_or_else(|e| {
            panic!("DynamoDB at {url} is unreachable ({e}); run ./scripts/test, which starts moto")
        })
}

/// DynamoDB numbers hold neither NaN nor the infinities nor -0.0 (they are
/// decimals), and span 1e-130 to 1e126 in magnitude.
pub const LIMITS: crate::suite::Limits = crate::suite::Limits {
    float_nan: false,
    float_infinity: false,
    negative_zero: false,
    float_magnitude: Some((1e-130, 9.999_999_999_999_998e125)),
    ..crate::suite::Limits::NONE
};
