//! Bounded exponential backoff for the partial results of batch operations.
//! (Throttling and 5xx answers of single requests are retried by the SDK's
//! standard retry strategy, configured with `DynamoDbOptions::max_attempts`.)

use std::time::Duration;

/// How many times unprocessed batch keys or items are sent again.
pub(crate) const BATCH_RETRIES: u32 = 10;

/// The pause before retry `attempt` (0-based): 25 ms doubling, at most 2 s.
pub(crate) async fn backoff(attempt: u32) {
    let ms = 25u64.saturating_mul(1 << attempt.min(7)).min(2_000);
    tokio::time::sleep(Duration::from_millis(ms)).await;
}
