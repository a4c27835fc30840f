//! Prometheus counters of the HTTP surface.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

#[derive(Debug, Default, Clone)]
pub struct Metrics {
    inner: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    by_class: [AtomicU64; 6],
}

impl Metrics {
    pub async fn middleware(
        req: ServiceRequest,
        next: Next<impl MessageBody>,
    ) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
        let metrics = req.app_data::<web::Data<Metrics>>().cloned();
        let resp = next.call(req).await?;
        if let Some(m) = metrics {
            let class = (resp.status().as_u16() / 100) as usize;
            if let Some(c) = m.inner.by_class.get(class) {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(resp)
    }

    /// The counters in Prometheus text format, with the register's sizes.
    pub fn render(&self, sizes: &[(&str, usize)]) -> String {
        let mut out = String::from("# HELP menpai_http_responses_total HTTP responses by status class.\n# TYPE menpai_http_responses_total counter\n");
        for class in 1..=5 {
            out.push_str(&format!(
                "menpai_http_responses_total{{class=\"{class}xx\"}} {}\n",
                self.inner.by_class[class].load(Ordering::Relaxed)
            ));
        }
        out.push_str(
            "# HELP menpai_register_records Records in the register by kind.\n# TYPE menpai_register_records gauge\n",
        );
        for (kind, n) in sizes {
            out.push_str(&format!("menpai_register_records{{kind=\"{kind}\"}} {n}\n"));
        }
        out
    }
}
