//! Per-token rate limiting: a token bucket per token, refilled at `MENPAI_RATE_PER_SEC`
//! (default 200) requests per second up to `MENPAI_RATE_BURST` (default 100). One limiter
//! per process, shared by its workers; the limit is the service's, not each node's:
//! `serve` shares each node's usage through the store once a second ([`RateLimiter::sync`])
//! and each node's buckets refill only with what the other nodes left of the rate.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

struct Bucket {
    tokens: f64,
    at: Instant,
    /// Requests let through since the last sync.
    used: i64,
}

pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
    /// What the other nodes let through per token, in requests per second, as last heard.
    others: Mutex<HashMap<String, f64>>,
}

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|v: &f64| *v > 0.0).unwrap_or(default)
}

impl RateLimiter {
    pub fn new(per_sec: f64, burst: f64) -> RateLimiter {
        RateLimiter {
            per_sec,
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
            others: Mutex::new(HashMap::new()),
        }
    }

    /// The process's limiter, configured from the environment.
    pub fn global() -> &'static RateLimiter {
        static LIMITER: OnceLock<RateLimiter> = OnceLock::new();
        LIMITER.get_or_init(|| {
            RateLimiter::new(env_f64("MENPAI_RATE_PER_SEC", 200.0), env_f64("MENPAI_RATE_BURST", 100.0))
        })
    }

    /// Takes one request from the key's bucket; when empty, the seconds until one is back.
    /// The bucket refills at the rate the other nodes left, and holds at most that share
    /// of the burst.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let share = {
            let others = self.others.lock().unwrap_or_else(|e| e.into_inner());
            ((self.per_sec - others.get(key).copied().unwrap_or(0.0)) / self.per_sec).clamp(0.0, 1.0)
        };
        let (rate, cap) = (self.per_sec * share, self.burst * share);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        // Forget idle tokens now and then, so the map stays small.
        if buckets.len() > 10_000 {
            buckets.retain(|_, b| now.duration_since(b.at).as_secs() < 60);
        }
        let b = buckets.entry(key.to_string()).or_insert(Bucket { tokens: cap, at: now, used: 0 });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(cap);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            b.used += 1;
            Ok(())
        } else if rate > 0.0 {
            Err(((1.0 - b.tokens) / rate).ceil().max(1.0) as u64)
        } else {
            Err(1)
        }
    }

    /// Once a second: hands this node's usage since the last call to `share` (which
    /// publishes it and answers the other nodes' usage per second) and keeps the answer.
    /// When the store cannot be reached, the node goes on with what it last heard.
    pub fn sync<E>(&self, share: impl FnOnce(Vec<(String, i64)>) -> Result<HashMap<String, f64>, E>) -> Result<(), E> {
        let used: Vec<(String, i64)> = {
            let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
            buckets.iter_mut().filter(|(_, b)| b.used > 0).map(|(k, b)| (k.clone(), std::mem::take(&mut b.used))).collect()
        };
        let others = share(used)?;
        *self.others.lock().unwrap_or_else(|e| e.into_inner()) = others;
        Ok(())
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

    #[test]
    fn what_other_nodes_used_is_taken_from_this_nodes_allowance() {
        let l = RateLimiter::new(10.0, 10.0);
        for _ in 0..4 {
            assert!(l.check("a").is_ok());
        }
        let mut published = Vec::new();
        l.sync(|used| {
            published = used;
            Ok::<_, ()>(HashMap::from([("a".to_string(), 10.0), ("b".to_string(), 5.0)]))
        })
        .unwrap();
        assert_eq!(published, vec![("a".to_string(), 4)], "this node's usage since the last sync");
        assert!(l.check("a").is_err(), "the other nodes used the whole rate of a");
        for _ in 0..5 {
            assert!(l.check("b").is_ok());
        }
        assert!(l.check("b").is_err(), "b keeps half its burst here");
    }
}
