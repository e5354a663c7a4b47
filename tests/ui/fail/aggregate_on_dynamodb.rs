// DynamoDB has no aggregates, so `group_by` / `aggregate` do not compile
// against it, nor against the portable `AnyBackend` (which may be
// DynamoDB), even through an index or a `.scan()`.
#[path = "../../model/mod.rs"]
mod model;

use keyway::count;
use keyway::prelude::*;
use keyway_any::AnyBackend;
use keyway_dynamodb::DynamoDb;
use model::Todo;

async fn dynamo(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let q = Todo::query().filter(Todo::OWNER_ID.eq(1)).aggregate(count());
    let _ = db.all(q).await?;
    Ok(())
}

async fn any(db: &Db<AnyBackend>) -> keyway::Result<()> {
    let q = Todo::query().scan().group_by(Todo::OWNER_ID).select((Todo::OWNER_ID, count()));
    let _ = db.all(q).await?;
    Ok(())
}

fn main() {
    let _ = (dynamo, any);
}
