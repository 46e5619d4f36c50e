//! Counting around every request, outside the page cache. The shell keeps what the counts read
//! of a GET — its address and three headers, each a shared reference, nothing copied — and, when
//! the answer is a success, gives it with the response to every mechanism's count. It runs in the
//! middleware that already measures each request, so counting adds no layer, no allocation and no
//! boxed future of its own.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::header::{HOST, REFERER, USER_AGENT};
use axum::http::{HeaderValue, Uri};
use axum::response::Response;

/// What the counts read of a request.
pub struct Seen {
    pub uri: Uri,
    user_agent: Option<HeaderValue>,
    referer: Option<HeaderValue>,
    host: Option<HeaderValue>,
}

impl Seen {
    pub fn of(req: &Request) -> Seen {
        let header = |name| req.headers().get(name).cloned();
        Seen { uri: req.uri().clone(), user_agent: header(USER_AGENT), referer: header(REFERER), host: header(HOST) }
    }

    fn text(v: &Option<HeaderValue>) -> Option<&str> {
        v.as_ref().and_then(|v| v.to_str().ok())
    }

    /// The browser's name (`User-Agent`).
    pub fn user_agent(&self) -> Option<&str> {
        Seen::text(&self.user_agent)
    }

    /// The page that linked here (`Referer`).
    pub fn referer(&self) -> Option<&str> {
        Seen::text(&self.referer)
    }

    /// The host the request was sent to (`Host`).
    pub fn host(&self) -> Option<&str> {
        Seen::text(&self.host)
    }
}

/// A mechanism's count of a successful GET (`AppState::with_count`).
pub type CountFn = Arc<dyn Fn(&Seen, &Response) + Send + Sync>;
