//! Counts statements through their `keyway.statement` spans.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tracing::span::{Attributes, Id};
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// Counts the statements run on this thread while it is alive.
pub struct StatementCounter {
    count: Arc<AtomicUsize>,
    _guard: DefaultGuard,
}

struct Counting(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for Counting {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() == "keyway.statement" {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl StatementCounter {
    pub fn start() -> Self {
        let count = Arc::new(AtomicUsize::new(0));
        let subscriber = tracing_subscriber::registry().with(Counting(count.clone()));
        StatementCounter {
            count,
            _guard: tracing::subscriber::set_default(subscriber),
        }
    }

    /// The statements counted since the last call.
    pub fn take(&self) -> usize {
        self.count.swap(0, Ordering::SeqCst)
    }
}
