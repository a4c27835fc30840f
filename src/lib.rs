//! 门牌 (menpai): the register of place names and door plates of 恩施土家族苗族自治州.
//!
//! Dependencies run one way: `cli` and `api` → `app` → `store` and `domain`; `store` →
//! `domain`. The domain knows nothing of HTTP or SQL.

pub mod api;
pub mod app;
pub mod cli;
pub mod domain;
pub mod store;
