#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60; CI runs 30, by hand run hours):
#   bash fuzz/run.sh [SECONDS]
# Installs cargo-fuzz from crates.io if missing. The corpus grows in fuzz/corpus/ (ignored),
# seeded from fuzz/seeds/ and, for the resolver, the dev queries when ../shared/eval-dev is
# there. A crash leaves its input in fuzz/artifacts/TARGET/ and fails the run;
# `cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-…` (from the repository) replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"

command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
# cargo-fuzz asks rustc for sanitizer and coverage flags that are unstable; the stable
# toolchain takes them when told it is building itself. Nothing else sees this variable.
export RUSTC_BOOTSTRAP=1

for target in resolve import; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true  # seeds already there stay
  if [ "$target" = resolve ] && [ -f ../shared/eval-dev/queries.jsonl ]; then
    python3 - "$corpus" ../shared/eval-dev/queries.jsonl <<'PY'
import json, sys, hashlib, pathlib
out = pathlib.Path(sys.argv[1])
for line in open(sys.argv[2], encoding="utf-8"):
    q = json.loads(line).get("q")
    if q:
        data = q.encode("utf-8")
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
PY
  fi
  echo "== fuzzing $target for ${secs}s" >&2
  cargo fuzz run --fuzz-dir fuzz "$target" "$corpus" -- \
    -max_total_time="$secs" -max_len=4096 -rss_limit_mb=4096 -print_final_stats=1
done
