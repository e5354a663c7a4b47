//! Rust steps: code a migration runs with the database, such as a
//! backfill between adding a column and making it NOT NULL.

use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use keyway::{Backend, Db, Executor, Result, Transaction};

/// A step of Rust code that a migration file names (`{"rust": {"up":
/// "fill_priority"}}`) and the program applying it registers under that
/// name ([`Migrator::rust_step`](crate::Migrator::rust_step)).
///
/// It runs with whatever the migration runs on: the migration's
/// transaction on PostgreSQL and SQLite (so a failure undoes it with the
/// rest), the database itself on MySQL and DynamoDB. Write it once for any
/// executor:
///
/// ```
/// use keyway::Executor;
/// use keyway::prelude::*;
/// use keyway_migrate::RustStep;
/// # mod model { include!("../../examples/todo/model/user.rs"); }
/// # use model::User;
///
/// /// Gives every user without a name the name "anonymous".
/// struct NameEveryone;
///
/// impl RustStep for NameEveryone {
///     async fn run<X: Executor>(&self, db: &Db<X>) -> keyway::Result<()> {
///         let unnamed = User::query().filter(User::NAME.eq("")).scan();
///         db.update(unnamed.update().set(User::NAME, "anonymous")).await?;
///         Ok(())
///     }
/// }
/// ```
pub trait RustStep: Send + Sync + 'static {
    /// Runs the step.
    fn run<X: Executor>(&self, db: &Db<X>) -> impl Future<Output = Result<()>> + Send;
}

type OnTx<B> =
    Box<dyn for<'a> Fn(&'a Db<Transaction<B>>) -> BoxFuture<'a, Result<()>> + Send + Sync>;
type OnDb<B> = Box<dyn for<'a> Fn(&'a Db<B>) -> BoxFuture<'a, Result<()>> + Send + Sync>;

/// A registered step, ready for either executor of backend `B`.
pub(crate) struct Registered<B: Backend> {
    pub(crate) in_transaction: OnTx<B>,
    pub(crate) on_db: OnDb<B>,
}

impl<B: Backend> Registered<B> {
    pub(crate) fn new<S: RustStep>(step: S) -> Self {
        let step = Arc::new(step);
        let on_tx = step.clone();
        Registered {
            in_transaction: Box::new(move |db| {
                let step = on_tx.clone();
                Box::pin(async move { step.run(db).await })
            }),
            on_db: Box::new(move |db| {
                let step = step.clone();
                Box::pin(async move { step.run(db).await })
            }),
        }
    }
}
