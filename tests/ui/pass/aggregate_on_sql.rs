// The twin of `fail/aggregate_on_dynamodb.rs` and
// `fail/aggregate_of_the_wrong_type.rs`: aggregates on a SQL backend, in a
// pool and in a transaction.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::{Transaction, avg, count, max, min, sum};
use keyway_sqlite::Sqlite;
use model::Todo;

async fn run(db: &Db<Sqlite>, tx: &Db<Transaction<Sqlite>>) -> keyway::Result<()> {
    let per_owner: Vec<(i64, i64, Option<i64>)> = db
        .all(Todo::query().group_by(Todo::OWNER_ID).select((Todo::OWNER_ID, count(), sum(Todo::PRIORITY))))
        .await?;
    let whole: Option<(Option<String>, Option<i16>, Option<f64>)> = tx
        .first(Todo::query().aggregate((min(Todo::TITLE), max(Todo::PRIORITY), avg(Todo::PRIORITY))))
        .await?;
    let _ = (per_owner, whole);
    Ok(())
}

fn main() {
    let _ = run;
}
