//! Counting around every request, outside the page cache, at the cost of a check for the requests
//! not counted: a mechanism says what it notes of a request before it is answered (nothing, for
//! most) and what it counts once the response is there. No state is cloned, nothing is boxed and
//! the inner service is not wrapped again: the response passes through as it came.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use axum::extract::Request;
use axum::response::Response;

/// What a mechanism counts around requests.
pub trait Count: Send + Sync + 'static {
    /// What is kept of a request until its response comes.
    type Noted: Send + 'static;
    /// What to note of a request; None lets it pass uncounted.
    fn note(&self, req: &Request) -> Option<Self::Noted>;
    /// Counts a response to a noted request.
    fn count(&self, noted: Self::Noted, resp: &Response);
}

/// The layer of a [`Count`] (for `Router::layer`).
pub struct CountLayer<C>(Arc<C>);

impl<C> CountLayer<C> {
    pub fn new(count: C) -> CountLayer<C> {
        CountLayer(Arc::new(count))
    }
}

impl<C> Clone for CountLayer<C> {
    fn clone(&self) -> Self {
        CountLayer(self.0.clone())
    }
}

impl<S, C> tower::Layer<S> for CountLayer<C> {
    type Service = Counting<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        Counting { inner, count: self.0.clone() }
    }
}

/// The service the layer puts around the inner one.
pub struct Counting<S, C> {
    inner: S,
    count: Arc<C>,
}

impl<S: Clone, C> Clone for Counting<S, C> {
    fn clone(&self) -> Self {
        Counting { inner: self.inner.clone(), count: self.count.clone() }
    }
}

impl<S, C> tower::Service<Request> for Counting<S, C>
where
    S: tower::Service<Request, Response = Response>,
    C: Count,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Counted<S::Future, C>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let noted = self.count.note(&req).map(|n| (self.count.clone(), n));
        Counted { inner: self.inner.call(req), noted }
    }
}

pin_project_lite::pin_project! {
    /// The inner service's answer, counted when it comes if its request was noted.
    pub struct Counted<F, C: Count> {
        #[pin]
        inner: F,
        noted: Option<(Arc<C>, C::Noted)>,
    }
}

impl<F, C, E> Future for Counted<F, C>
where
    F: Future<Output = Result<Response, E>>,
    C: Count,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let resp = ready!(this.inner.poll(cx));
        if let (Ok(resp), Some((count, noted))) = (&resp, this.noted.take()) {
            count.count(noted, resp);
        }
        Poll::Ready(resp)
    }
}
