//! ListTables: the cheapest request, used to check that the endpoint answers.

use aws_sdk_dynamodb::Client;
use keyway::Result;

use crate::errors;

/// Fails with `Error::Connection` when the endpoint cannot be reached.
pub(crate) async fn ping(client: &Client) -> Result<()> {
    client
        .list_tables()
        .limit(1)
        .send()
        .await
        .map_err(|e| errors::map("ListTables", e))?;
    Ok(())
}
