//! Counting the statements keyway runs, through the `keyway.statement`
//! tracing span it opens for each one (with `db.system`, `db.operation` and
//! `db.collection`): the same hook a service uses to export its queries.

use std::sync::atomic::{AtomicUsize, Ordering};

use tracing::span::{Attributes, Id};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// A tracing layer that counts the `keyway.statement` spans.
struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() == "keyway.statement" {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Installs the counting layer as the process's tracing subscriber.
pub fn count() {
    let subscriber = tracing_subscriber::registry().with(CountStatements);
    tracing::subscriber::set_global_default(subscriber)
        .expect("no other tracing subscriber was installed");
}

/// The statements run since the last call.
pub fn take() -> usize {
    STATEMENTS.swap(0, Ordering::Relaxed)
}
