//! One span per statement with `db.system`, `db.operation`, `db.collection`;
//! the SQL text at debug level and never a bound value.

mod model;

use std::sync::{Arc, Mutex};

use keyway::prelude::*;
use model::User;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// The fields of one span, as (name, value) pairs.
type SpanFields = Vec<(String, String)>;

#[derive(Default, Clone)]
struct Seen {
    spans: Arc<Mutex<Vec<SpanFields>>>,
    statements: Arc<Mutex<Vec<String>>>,
}

struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((
            field.name().to_owned(),
            format!("{value:?}").trim_matches('"').to_owned(),
        ));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl<S: Subscriber> Layer<S> for Seen {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() == "keyway.statement" {
            let mut fields = Fields(Vec::new());
            attrs.record(&mut fields);
            self.spans.lock().unwrap().push(fields.0);
        }
    }
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        for (name, value) in fields.0 {
            if name == "db.statement" {
                self.statements.lock().unwrap().push(value);
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn one_span_per_statement_without_values() {
    let seen = Seen::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(seen.clone()));
    let db = keyway_sqlite::Sqlite::memory().await.unwrap();
    db.create_schema::<User>().await.unwrap();
    let secret = "s3cret-value@example.com";
    let id = db.insert(&User::new("Ann", secret)).await.unwrap();
    let _ = db
        .first(User::query().filter(User::EMAIL.eq(secret)))
        .await
        .unwrap();
    db.update(User::update(id).set(User::NAME, "Anna"))
        .await
        .unwrap();
    db.delete(User::delete(id)).await.unwrap();

    let spans = seen.spans.lock().unwrap().clone();
    let ops: Vec<&str> = spans
        .iter()
        .map(|s| {
            s.iter()
                .find(|(k, _)| k == "db.operation")
                .map_or("", |(_, v)| v.as_str())
        })
        .collect();
    assert_eq!(ops, ["CREATE", "INSERT", "SELECT", "UPDATE", "DELETE"]);
    for span in &spans {
        assert!(
            span.contains(&("db.system".into(), "sqlite".into())),
            "{span:?}"
        );
        assert!(
            span.contains(&("db.collection".into(), "users".into())),
            "{span:?}"
        );
    }
    let statements = seen.statements.lock().unwrap().clone();
    assert!(
        statements
            .iter()
            .any(|s| s.starts_with("SELECT \"id\", \"name\", \"email\" FROM \"users\" WHERE"))
    );
    assert!(
        statements
            .iter()
            .all(|s| !s.contains(secret) && !s.contains("Anna")),
        "{statements:?}"
    );
}
