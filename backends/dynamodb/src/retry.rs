//! Bounded exponential backoff for the partial results of batch operations.
//! (Throttling and 5xx answers of single requests are retried by the SDK's
//! standard retry strategy, configured with `DynamoDbOptions::max_attempts`
//! and `DynamoDbOptions::retry_backoff`.)

use std::time::Duration;

use keyway::Error;

/// How many times unprocessed batch keys or items are sent again.
pub(crate) const BATCH_RETRIES: u32 = 10;

/// The longest pause between two sends of unprocessed items.
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// The pause before retry `attempt` (0-based): `first` doubling, at most 2 s.
pub(crate) async fn backoff(first: Duration, attempt: u32) {
    let pause = first.saturating_mul(1 << attempt.min(16)).min(MAX_PAUSE);
    tokio::time::sleep(pause).await;
}

/// The error for batch entries still unprocessed after every retry.
pub(crate) fn still_unprocessed(operation: &str, table: &str, what: &str, left: usize) -> Error {
    Error::Unavailable(format!(
        "{operation} on `{table}`: {left} {what} still unprocessed after {BATCH_RETRIES} retries"
    ))
}
