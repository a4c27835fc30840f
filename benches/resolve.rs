//! Resolution speed on one core: the 1,500 dev queries against the dev gazetteer, in
//! memory (no store, no HTTP), and the time to build the resolver's index.
//! Run with `cargo bench --bench resolve`; criterion prints elements/s for the queries
//! (resolutions per second). Target (issue 5): at least 50,000 resolutions/s.
//!
//! The data is read from `../shared/eval-dev` beside the repository, or from the folder
//! named by `MENPAI_EVAL_DEV`.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use menpai::domain::resolve::Resolver;
use menpai::domain::{import, interchange, Register};

fn data_dir() -> PathBuf {
    std::env::var_os("MENPAI_EVAL_DEV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval-dev"))
}

fn gazetteer() -> Arc<Register> {
    let path = data_dir().join("gazetteer.geojson");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let features = interchange::parse(&text).unwrap_or_else(|p| panic!("parse {}: {p:?}", path.display()));
    Arc::new(import::plan(&Register::default(), features).additions)
}

fn queries() -> Vec<String> {
    let path = data_dir().join("queries.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("q").and_then(|q| q.as_str()).map(str::to_string))
        .collect()
}

fn bench(c: &mut Criterion) {
    let register = gazetteer();
    let queries = queries();

    let mut build = c.benchmark_group("resolver");
    build.sample_size(20);
    build.bench_function("build_index_dev_gazetteer", |b| b.iter(|| Resolver::build(black_box(register.clone()))));
    build.finish();

    let resolver = Resolver::build(register);
    let mut group = c.benchmark_group("resolve");
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.bench_function("dev_queries_single_thread", |b| {
        b.iter(|| {
            for q in &queries {
                black_box(resolver.resolve(black_box(q)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
