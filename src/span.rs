//! The one place statement spans are built.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::BoxStream;
use tracing::Span;

/// The span for one statement: `keyway.statement` with `db.system`,
/// `db.operation` and `db.collection`. Backends log the statement text inside
/// it at debug level; bound values are never recorded.
///
/// Until a tracing subscriber is set (globally or for the thread), no one can
/// see the span and it is not built: a statement then pays one atomic load.
pub fn statement_span(
    system: &'static str,
    operation: &'static str,
    collection: &'static str,
) -> Span {
    if !tracing::dispatcher::has_been_set() {
        return Span::none();
    }
    tracing::info_span!(
        "keyway.statement",
        db.system = system,
        db.operation = operation,
        db.collection = collection
    )
}

/// A stream that polls its inner stream inside a span.
pub(crate) struct InSpan<'a, T> {
    pub(crate) span: Span,
    pub(crate) inner: BoxStream<'a, T>,
}

impl<T> Stream for InSpan<'_, T> {
    type Item = T;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        let _entered = this.span.enter();
        this.inner.as_mut().poll_next(cx)
    }
}
