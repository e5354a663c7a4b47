//! One match over the backends, written once.

/// Runs `$body` with `$b` bound to the backend inside `$value`, an
/// `AnyBackend` or an `AnyTx` (both have the same four variants).
macro_rules! dispatch {
    ($value:expr, $ty:ident, $b:ident => $body:expr) => {
        match $value {
            $ty::Sqlite($b) => $body,
            $ty::Postgres($b) => $body,
            $ty::MySql($b) => $body,
            $ty::DynamoDb($b) => $body,
        }
    };
}

pub(crate) use dispatch;
