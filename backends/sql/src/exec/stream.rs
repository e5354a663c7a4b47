//! A row stream that owns its pooled connection and SQL text, so that
//! `Db::stream` needs no collecting.

use futures::channel::mpsc;
use futures::stream::{self, BoxStream};
use futures::{FutureExt, SinkExt, StreamExt};

use keyway::{Result, TableDef};

use super::Driver;
use super::pool::Pool;

/// Rows decoded ahead of the consumer.
const AHEAD: usize = 32;

/// Streams the rows of `sql` on a connection taken from `pool`, errors
/// mapped as for a statement on `table`. The query runs inside a future that
/// owns the connection and the text and hands the rows over a bounded
/// channel; the returned stream drives that future as it is polled, so no
/// task is spawned and dropping the stream ends the query.
pub(crate) fn pool_rows<D: Driver>(
    pool: Pool<D>,
    table: TableDef,
    sql: String,
    args: D::Args,
) -> BoxStream<'static, Result<D::Row>> {
    let (mut tx, rx) = mpsc::channel(AHEAD);
    let produce = async move {
        let mut conn = match pool.acquire().await {
            Ok(conn) => conn,
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        let mut rows = D::fetch(&mut conn, &sql, args);
        while let Some(row) = rows.next().await {
            let row = row.map_err(|e| D::map_error(e, &table));
            let failed = row.is_err();
            if tx.send(row).await.is_err() || failed {
                // Stopped midway: the connection goes back as a dropped one.
                return;
            }
        }
        drop(rows);
        let _ = conn.give_back(Ok(()));
    };
    let drive = produce.into_stream().filter_map(|()| async { None });
    stream::select(rx, drive).boxed()
}
