//! Paged reads (Query and Scan): one page per request, the next one asked
//! for only when the stream is polled past the current one, until DynamoDB
//! sends no LastEvaluatedKey.

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder;
use futures::StreamExt;
use futures::stream::BoxStream;
use keyway::Result;

use crate::errors;
use crate::marshal::Item;

/// One page of a Query or Scan.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) items: Vec<Item>,
    pub(crate) count: i32,
}

/// A request that reads one page and says where the next one starts.
pub(crate) trait Paged: Clone + Send + 'static {
    /// Sends the request: the page, and the key to continue after, if any.
    fn fetch(self) -> impl Future<Output = Result<(Page, Option<Item>)>> + Send;
    /// The same request, continuing after `key`.
    fn after(self, key: Item) -> Self;
}

/// Every page of `first`, fetched lazily.
pub(crate) fn pages<R: Paged>(first: R) -> BoxStream<'static, Result<Page>> {
    futures::stream::try_unfold(Some(first), |next| async move {
        let Some(request) = next else {
            return Ok(None);
        };
        let (page, last) = request.clone().fetch().await?;
        let next = last.filter(|k| !k.is_empty()).map(|k| request.after(k));
        Ok(Some((page, next)))
    })
    .boxed()
}

/// `Paged` for an SDK request builder whose output has `items`, `count` and
/// `last_evaluated_key` (Query's and Scan's do, with types of their own).
macro_rules! paged {
    ($builder:ty, $operation:literal) => {
        impl Paged for $builder {
            async fn fetch(self) -> Result<(Page, Option<Item>)> {
                let resp = self.send().await.map_err(|e| errors::map($operation, e))?;
                let page = Page {
                    items: resp.items.unwrap_or_default(),
                    count: resp.count,
                };
                Ok((page, resp.last_evaluated_key))
            }

            fn after(self, key: Item) -> Self {
                self.set_exclusive_start_key(Some(key))
            }
        }
    };
}

paged!(QueryFluentBuilder, "Query");
paged!(ScanFluentBuilder, "Scan");
