#!/usr/bin/env bash
# Washing throughput: a CSV of ROWS rows (default 1,000,000; the dev queries repeated, with
# an ID column) through `menpai wash` on the dev gazetteer, timed end to end.
# Usage: bash benches/wash.sh [ROWS]   (from the repository root, ../shared beside it)
set -euo pipefail
rows="${1:-1000000}"
dev="${MENPAI_EVAL_DEV:-../shared/eval-dev}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin="$PWD/target/release/menpai"
export DATABASE_URL="$work/register.db"
"$bin" migrate 2>/dev/null
"$bin" import "$dev/gazetteer.geojson" >/dev/null
python3 - "$dev/queries.jsonl" "$rows" "$work/in.csv" <<'PY'
import csv, json, sys
qs = [json.loads(l)["q"] for l in open(sys.argv[1], encoding="utf-8")]
n = int(sys.argv[2])
with open(sys.argv[3], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["编号", "地址"])
    for i in range(n):
        w.writerow([i + 1, qs[i % len(qs)]])
PY
start=$(date +%s.%N)
"$bin" wash "$work/in.csv" --column 地址 --out "$work/out.csv"
end=$(date +%s.%N)
out_rows=$(($(wc -l < "$work/out.csv") - 1))
python3 -c "import sys; r=$out_rows; s=$end-$start; print(f'wash: {r} rows in {s:.1f} s = {r/s:.0f} rows/s')"
