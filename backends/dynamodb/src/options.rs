//! How to reach DynamoDB: the URL and the connection options.

use std::time::Duration;

use keyway::{Db, Error, Result};

use crate::DynamoDb;

/// How to connect to DynamoDB.
///
/// The URL is `dynamodb://HOST:PORT?region=REGION` for a local endpoint such
/// as DynamoDB Local or moto (plain HTTP, static dummy credentials; add
/// `tls=true` for HTTPS), or `dynamodb://aws?region=REGION` for AWS itself,
/// with credentials from the standard AWS environment and credential chain
/// (the region too, when the URL names none). `prefix=P` prefixes every table
/// name, the keyway-managed `keyway_meta` table included.
///
/// ```no_run
/// use std::time::Duration;
/// use keyway_dynamodb::DynamoDbOptions;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// let db = DynamoDbOptions::new("dynamodb://127.0.0.1:8000?region=us-east-1")
///     .table_prefix("dev_")
///     .operation_timeout(Duration::from_secs(10))
///     .max_attempts(5)
///     .connect()
///     .await?;
/// # let _ = db;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct DynamoDbOptions {
    pub(crate) url: String,
    pub(crate) prefix: Option<String>,
    pub(crate) operation_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_attempts: u32,
    pub(crate) retry_backoff: Duration,
    pub(crate) concurrency: usize,
}

/// A parsed `dynamodb://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// `None` for AWS itself, else the endpoint (`http://host:port`).
    pub(crate) endpoint: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) prefix: Option<String>,
}

fn invalid(detail: String) -> Error {
    Error::Invalid {
        what: "DynamoDB URL",
        detail,
    }
}

/// Checks a table-name prefix: DynamoDB table names allow `a-z A-Z 0-9 _ - .`.
pub(crate) fn check_prefix(prefix: &str) -> Result<()> {
    let ok = prefix.len() <= 128
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "table prefix {prefix:?} must be at most 128 of `a-z A-Z 0-9 _ - .`"
        )))
    }
}

pub(crate) fn parse(url: &str) -> Result<Target> {
    let rest = url
        .strip_prefix("dynamodb://")
        .ok_or_else(|| invalid(format!("{url:?} does not start with `dynamodb://`")))?;
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    let host = host.trim_end_matches('/');
    if host.is_empty() {
        return Err(invalid(format!(
            "{url:?} names no host (use `aws` for AWS)"
        )));
    }
    let mut target = Target {
        endpoint: None,
        region: None,
        prefix: None,
    };
    let mut tls = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "region" => target.region = Some(v.to_owned()),
            "prefix" => {
                check_prefix(v)?;
                target.prefix = Some(v.to_owned());
            }
            "tls" => tls = matches!(v, "true" | "1"),
            other => return Err(invalid(format!("unknown parameter `{other}` in {url:?}"))),
        }
    }
    if host != "aws" {
        let ok = host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
        if !ok {
            return Err(invalid(format!("bad host `{host}` in {url:?}")));
        }
        let scheme = if tls { "https" } else { "http" };
        target.endpoint = Some(format!("{scheme}://{host}"));
    }
    Ok(target)
}

impl DynamoDbOptions {
    /// Options for `url` (see the type's docs), with defaults: 30 s per
    /// operation, 5 s to connect, 3 attempts per request with a 50 ms first
    /// backoff, 8 concurrent requests for in-lists and OR branches.
    pub fn new(url: impl Into<String>) -> Self {
        DynamoDbOptions {
            url: url.into(),
            prefix: None,
            operation_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            max_attempts: 3,
            retry_backoff: Duration::from_millis(50),
            concurrency: 8,
        }
    }

    /// Prefixes every table name (overrides the URL's `prefix`): lets tests or
    /// tenants share one account or server without sharing tables.
    pub fn table_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The longest one operation may take, retries included (default 30 s).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// The longest opening a connection may take (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Attempts per request, the first included, for throttling, 5xx answers
    /// and transient network errors, with exponential backoff (default 3).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The pause before the first retry (default 50 ms, as AWS advises for
    /// DynamoDB); it doubles with each retry, up to 2 s for unprocessed batch
    /// items and 20 s (with jitter) for retried requests.
    pub fn retry_backoff(mut self, backoff: Duration) -> Self {
        self.retry_backoff = backoff;
        self
    }

    /// How many requests an in-list or an OR of indexed conditions runs at
    /// once (default 8).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Connects and checks that the endpoint answers: an unreachable one is
    /// [`Error::Connection`].
    pub async fn connect(self) -> Result<Db<DynamoDb>> {
        DynamoDb::open(self).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = parse("dynamodb://127.0.0.1:8000?region=us-east-1").unwrap();
        assert_eq!(t.endpoint.as_deref(), Some("http://127.0.0.1:8000"));
        assert_eq!(t.region.as_deref(), Some("us-east-1"));
        let t = parse("dynamodb://aws?region=eu-west-1&prefix=app_").unwrap();
        assert_eq!((t.endpoint, t.prefix.as_deref()), (None, Some("app_")));
        let t = parse("dynamodb://db.local:443?tls=true").unwrap();
        assert_eq!(t.endpoint.as_deref(), Some("https://db.local:443"));
        assert!(parse("postgres://x").is_err());
        assert!(parse("dynamodb://?region=x").is_err());
        assert!(parse("dynamodb://h?prefix=a%20b").is_err());
        assert!(parse("dynamodb://h?colour=red").is_err());
    }
}
