//! The server's NOTICE and WARNING messages reach `tracing`.

use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use crate::pg_scratch::tls_port;

/// Every event of target `keyway_postgres::notice`: its level and message.
#[derive(Clone, Default)]
struct Notices(Arc<Mutex<Vec<(Level, String)>>>);

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: Subscriber> Layer<S> for Notices {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "keyway_postgres::notice" {
            let mut message = Message(String::new());
            event.record(&mut message);
            let mut seen = self.0.lock().unwrap();
            seen.push((*event.metadata().level(), message.0));
        }
    }
}

/// On a current-thread runtime the connection's task, which reads the
/// notices, runs on the test's thread, where the subscriber is set.
#[tokio::test(flavor = "current_thread")]
async fn notices_and_warnings_are_logged() {
    let notices = Notices::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(notices.clone()));
    let url = format!("postgres://postgres@127.0.0.1:{}/test", tls_port());
    let db = keyway_postgres::Postgres::connect(&url).await.unwrap();
    let mut conn = db.executor().acquire().await.unwrap();
    conn.batch_execute(
        "DO $$ BEGIN RAISE NOTICE 'keyway notice %', 1; RAISE WARNING 'keyway warning'; END $$",
    )
    .await
    .unwrap();
    conn.release();
    // The notices arrive before the statement's answer.
    let seen = notices.0.lock().unwrap().clone();
    assert!(
        seen.contains(&(Level::INFO, "keyway notice 1".to_owned())),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(Level::WARN, "keyway warning".to_owned())),
        "{seen:?}"
    );
}
