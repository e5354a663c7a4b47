//! Counts statements through their `keyway.statement` spans.
//!
//! One counting subscriber is installed as the global default the first time
//! a counter starts, and counts per thread, so each test counts its own
//! statements. (A subscriber of each test's own, set as the thread's
//! default, lost spans now and then while another thread registered the
//! same span: tracing caches each span's interest for all threads.)

use std::cell::Cell;
use std::sync::Once;

use tracing::span::{Attributes, Id};
use tracing::subscriber::Interest;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

thread_local! {
    /// Statements started on this thread since the last `take`.
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

static INSTALL: Once = Once::new();

/// Counts the statements run on this thread (statements of a test on a
/// current-thread runtime run on the test's thread).
pub struct StatementCounter(());

struct Counting;

/// Interested in keyway's statement spans only: an engine that checks
/// whether TRACE is on (Turso traces every instruction it runs then) sees
/// it off.
fn counted(metadata: &tracing::Metadata<'_>) -> bool {
    metadata.name() == "keyway.statement"
}

impl<S: tracing::Subscriber> Layer<S> for Counting {
    fn register_callsite(&self, metadata: &'static tracing::Metadata<'static>) -> Interest {
        match counted(metadata) {
            true => Interest::always(),
            false => Interest::never(),
        }
    }

    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        counted(metadata)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() == "keyway.statement" {
            COUNT.with(|count| count.set(count.get() + 1));
        }
    }
}

impl StatementCounter {
    /// Starts counting from zero on this thread.
    ///
    /// # Panics
    /// When another global tracing subscriber was set first: nothing could
    /// be counted.
    pub fn start() -> Self {
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Counting))
                .expect("the statement counter is the only global subscriber");
        });
        COUNT.with(|count| count.set(0));
        StatementCounter(())
    }

    /// The statements counted since the last call.
    pub fn take(&self) -> usize {
        COUNT.with(|count| count.replace(0))
    }
}
