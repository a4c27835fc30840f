//! Per-token rate limiting: a token bucket per token, refilled at `MENPAI_RATE_PER_SEC`
//! (default 200) requests per second up to `MENPAI_RATE_BURST` (default 100). One limiter
//! per process, shared by its workers.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|v: &f64| *v > 0.0).unwrap_or(default)
}

impl RateLimiter {
    pub fn new(per_sec: f64, burst: f64) -> RateLimiter {
        RateLimiter { per_sec, burst: burst.max(1.0), buckets: Mutex::new(HashMap::new()) }
    }

    /// The process's limiter, configured from the environment.
    pub fn global() -> &'static RateLimiter {
        static LIMITER: OnceLock<RateLimiter> = OnceLock::new();
        LIMITER.get_or_init(|| {
            RateLimiter::new(env_f64("MENPAI_RATE_PER_SEC", 200.0), env_f64("MENPAI_RATE_BURST", 100.0))
        })
    }

    /// Takes one request from the key's bucket; when empty, the seconds until one is back.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        // Forget idle tokens now and then, so the map stays small.
        if buckets.len() > 10_000 {
            buckets.retain(|_, b| now.duration_since(b.at).as_secs() < 60);
        }
        let b = buckets.entry(key.to_string()).or_insert(Bucket { tokens: self.burst, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * self.per_sec).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / self.per_sec).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let l = RateLimiter::new(10.0, 5.0);
        for _ in 0..5 {
            assert!(l.check("a").is_ok());
        }
        assert_eq!(l.check("a"), Err(1));
        assert!(l.check("b").is_ok(), "each token has its own bucket");
        std::thread::sleep(std::time::Duration::from_millis(150));
        assert!(l.check("a").is_ok(), "refilled at the rate");
    }
}
