//! Mapping AWS SDK errors to keyway's portable kinds.

use std::fmt;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use keyway::{Error, Result, TableDef};

use crate::connect::Inner;

/// An error answered by DynamoDB (or raised by the SDK), as the source of
/// [`Error::Backend`]: the operation, DynamoDB's error code and its message.
#[derive(Debug, Clone)]
pub struct DynamoDbError {
    operation: &'static str,
    code: Option<String>,
    message: String,
}

impl DynamoDbError {
    pub(crate) fn new(operation: &'static str, code: Option<String>, message: String) -> Self {
        DynamoDbError {
            operation,
            code,
            message,
        }
    }

    /// The AWS operation that failed (`Query`, `PutItem`, ...).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// DynamoDB's error code (`ValidationException`, ...), if it sent one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

impl fmt::Display for DynamoDbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} failed: {code}: {}", self.operation, self.message),
            None => write!(f, "{} failed: {}", self.operation, self.message),
        }
    }
}

impl std::error::Error for DynamoDbError {}

/// DynamoDB's error codes for a request refused for its rate: never applied.
const THROTTLING: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
];

/// Maps an SDK error of `operation` (after the SDK's bounded retries): a
/// conditional-check failure is [`Error::ConditionFailed`], an unreachable
/// endpoint or a lost connection [`Error::Connection`], a timeout
/// [`Error::Timeout`], throttling and 5xx answers [`Error::Unavailable`],
/// anything else [`Error::Backend`] (a missing table too, until
/// [`missing_table`] names it).
pub(crate) fn map<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let text = DisplayErrorContext(&err).to_string();
    match &err {
        SdkError::TimeoutError(_) => return Error::Timeout(format!("{operation}: {text}")),
        SdkError::DispatchFailure(d) if d.is_timeout() => {
            return Error::Timeout(format!("{operation}: {text}"));
        }
        SdkError::DispatchFailure(_) => {
            return Error::Connection(Box::new(DynamoDbError::new(operation, None, text)));
        }
        _ => {}
    }
    let code = err.code().map(str::to_owned);
    if code.as_deref() == Some("ConditionalCheckFailedException") {
        return Error::ConditionFailed;
    }
    let message = err.message().map_or(text, str::to_owned);
    let code_text = code.as_deref().unwrap_or("no error code");
    if code.as_deref().is_some_and(|c| THROTTLING.contains(&c)) {
        return Error::Unavailable(format!(
            "{operation} throttled ({code_text}: {message}); it was not applied"
        ));
    }
    let status = err.raw_response().map(|r| r.status().as_u16());
    if let Some(status @ 500..=599) = status {
        return Error::Unavailable(format!(
            "{operation} failed with HTTP {status} ({code_text}: {message}); \
             a write may or may not have been applied"
        ));
    }
    Error::Backend(Box::new(DynamoDbError::new(operation, code, message)))
}

/// Whether a mapped error says that the table does not exist: DynamoDB's
/// `ResourceNotFoundException`, or [`Error::MissingTable`] once
/// [`missing_table`] named it.
pub(crate) fn is_missing_table(err: &Error) -> bool {
    match err {
        Error::MissingTable { .. } => true,
        Error::Backend(e) => e
            .downcast_ref::<DynamoDbError>()
            // DescribeTimeToLive's answer on some servers drops the suffix.
            .is_some_and(|d| {
                matches!(
                    d.code(),
                    Some("ResourceNotFoundException" | "ResourceNotFound")
                )
            }),
        _ => false,
    }
}

/// Names a missing table: an error of an operation on the table of
/// `entity` (called `table` in DynamoDB, prefix included) that says that
/// the table does not exist becomes [`Error::MissingTable`]; any other error
/// is returned as it is. (DynamoDB's `ResourceNotFoundException` names no
/// table, so it is mapped where the table is known.)
pub(crate) fn missing_table(
    err: Error,
    entity: &'static str,
    table: impl FnOnce() -> String,
) -> Error {
    if is_missing_table(&err) && !matches!(err, Error::MissingTable { .. }) {
        Error::MissingTable {
            entity,
            table: table(),
        }
    } else {
        err
    }
}

/// Whether a mapped error says that the table already exists.
pub(crate) fn is_existing_table(err: &Error) -> bool {
    matches!(err, Error::Backend(e) if e
        .downcast_ref::<DynamoDbError>()
        .is_some_and(|d| d.code() == Some("ResourceInUseException")))
}

/// [`missing_table`] for the statements on `table`, as a `map_err`
/// function: names the table as DynamoDB calls it (after `inner`'s prefix).
pub(crate) fn on_table(inner: &Inner, table: TableDef) -> impl Fn(Error) -> Error + Send + '_ {
    move |err| missing_table(err, table.entity, || inner.table_of(&table))
}

/// [`on_table`] for the rows of a read on `table`.
pub(crate) fn named_stream<'a, T: Send + 'a>(
    inner: &'a Inner,
    table: TableDef,
    rows: BoxStream<'a, Result<T>>,
) -> BoxStream<'a, Result<T>> {
    rows.map_err(on_table(inner, table)).boxed()
}

/// An error for a response that lacks what DynamoDB always sends.
pub(crate) fn malformed(operation: &'static str, detail: &str) -> Error {
    Error::Backend(Box::new(DynamoDbError::new(
        operation,
        None,
        format!("unexpected response: {detail}"),
    )))
}
