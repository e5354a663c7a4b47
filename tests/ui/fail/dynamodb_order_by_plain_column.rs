// DynamoDB orders rows only by key columns: ordering a query by any other
// column does not compile against it (sort in Rust instead).
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::Todo;

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let q = Todo::query().filter(Todo::OWNER_ID.eq(1)).order_by(Todo::PRIORITY.desc());
    let _ = db.all(q).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
