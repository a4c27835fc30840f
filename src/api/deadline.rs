//! Request timeouts. A client has `MENPAI_REQUEST_TIMEOUT_SECS` (default 30) to send its
//! body, or 408; a read (a route that changes nothing) must be answered within the same
//! time, or 503. A change is never cut off half-way: once its body is in, it runs to its
//! commit or rollback, bounded by the store's own lock and statement timeouts, so a
//! client never hears "timed out" about a change that was in fact made.
//!
//! The long-poll of the feed (its own `wait`, at most 60 s) and the administrator's bulk
//! export are not bounded here; an import has ten times as long to arrive.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpResponse};
use futures_core::Stream;

use super::RouteSpec;

/// The time a request may take, from the environment (seconds, default 30).
pub fn limit() -> Duration {
    static LIMIT: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        let secs = std::env::var("MENPAI_REQUEST_TIMEOUT_SECS").ok().and_then(|v| v.parse::<f64>().ok());
        Duration::from_secs_f64(secs.filter(|s| *s > 0.0).unwrap_or(30.0))
    })
}

/// How long the route's body may take to arrive.
fn body_limit(route: &RouteSpec) -> Duration {
    if route.path == "/v1/import" {
        limit() * 10
    } else {
        limit()
    }
}

/// Whether the whole answer is bounded: reads, but not the feed's long-poll or the export.
pub fn bounds_answer(route: &RouteSpec) -> bool {
    !route.changes && !matches!(route.path, "/v1/events" | "/v1/export.geojson")
}

/// Makes reading the request's body fail with a timeout once the route's time is up.
pub fn bound_body(req: &mut ServiceRequest, route: &RouteSpec) {
    let inner = req.take_payload();
    let sleep = Box::pin(actix_web::rt::time::sleep(body_limit(route)));
    req.set_payload(Payload::Stream { payload: Box::pin(Deadlined { inner, sleep }) });
}

/// Whether reading a body failed because its time was up.
pub fn body_timed_out(e: &PayloadError) -> bool {
    matches!(e, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}

/// 408: the body did not arrive in time; nothing was read, nothing changed.
pub fn body_too_slow() -> HttpResponse {
    super::problem(
        StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        "请求超时",
        &format!("请求体未在 {} 秒内传完，未作任何处理", limit().as_secs()),
        None,
    )
}

/// 503: a read that took longer than its time; it changed nothing.
pub fn answer_too_slow() -> HttpResponse {
    super::problem(
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        "处理超时",
        &format!("查询未在 {} 秒内完成，请稍后重试或缩小查询范围", limit().as_secs()),
        None,
    )
}

/// Runs `fut` within the time limit; `None` when the time ran out first.
pub async fn within<T>(fut: impl Future<Output = T>) -> Option<T> {
    actix_web::rt::time::timeout(limit(), fut).await.ok()
}

struct Deadlined {
    inner: Payload,
    sleep: Pin<Box<actix_web::rt::time::Sleep>>,
}

impl Stream for Deadlined {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "请求体接收超时",
            ))))),
            Poll::Pending => Poll::Pending,
        }
    }
}
