// Twin of fail/row_lock_*.rs: inside a transaction on PostgreSQL or MySQL,
// reads lock their rows, shared or not, waiting, skipping or failing at
// once; a count of a locked query locks nothing.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::Transaction;
use keyway_mysql::MySql;
use keyway_postgres::Postgres;
use model::Job;

async fn on_postgres(tx: &Db<Transaction<Postgres>>) -> keyway::Result<()> {
    let free = Job::query().filter(Job::TAKEN_BY.is_null()).order_by(Job::ID.asc());
    let _ = tx.first(free.clone().for_update().skip_locked()).await?;
    let _ = tx.all(free.clone().for_share().nowait()).await?;
    let _ = tx.count(free.for_update()).await?;
    Ok(())
}

async fn on_mysql(tx: &Db<Transaction<MySql>>) -> keyway::Result<()> {
    let _ = tx.all(Job::query().filter(Job::ID.eq(1)).for_update()).await?;
    let _ = tx.all(Job::query().scan().for_share().select(Job::TASK)).await?;
    Ok(())
}

fn main() {
    let _ = (on_postgres, on_mysql);
}
