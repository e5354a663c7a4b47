//! One match over the backends, written once.

/// Runs `$body` with `$b` bound to the backend inside `$value`, an
/// `AnyBackend` or an `AnyTx` (both have the same variants).
macro_rules! dispatch {
    ($value:expr, $ty:ident, $b:ident => $body:expr) => {
        match $value {
            $ty::Sqlite($b) => $body,
            #[cfg(feature = "turso")]
            $ty::Turso($b) => $body,
            $ty::Postgres($b) => $body,
            $ty::MySql($b) => $body,
            $ty::DynamoDb($b) => $body,
        }
    };
}

pub(crate) use dispatch;
