#!/usr/bin/env bash
# Schema-driven fuzzing of the whole HTTP API: schemathesis (PyPI) generates requests from
# /openapi.json, valid and invalid, for every route, as each role in turn, against a real
# `menpai serve` on loopback with a fresh SQLite register. It fails on any 5xx.
#   bash fuzz/api.sh [SECONDS_PER_ROLE]        (default 60)
# The figures at the end come from the server's own /metrics: every response it gave,
# by status class.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"

# The version these flags were written for.
schemathesis --version 2>/dev/null | grep -q 4.32.5 || python3 -m pip install --quiet schemathesis==4.32.5
if [ -z "${MENPAI_BIN:-}" ]; then
  cargo build --release --locked
  MENPAI_BIN="$PWD/target/release/menpai"
fi

work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export DATABASE_URL="$work/register.db"
"$MENPAI_BIN" migrate >/dev/null 2>&1

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# The fuzzer sends far more than a clerk: lift the per-token rate limit for this run.
MENPAI_RATE_PER_SEC=1000000 MENPAI_RATE_BURST=1000000 RUST_LOG=warn \
  "$MENPAI_BIN" serve --bind "127.0.0.1:$port" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "$base/healthz" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }

counted() { curl -fs "$base/metrics" | awk '/^menpai_http_responses_total/ {s += $2} END {print s + 0}'; }

# The server is the judge: its own count of 5xx answers, and no panic in its log.
# schemathesis's exit status is shown but not used, since it is non-zero also for errors
# of schemathesis itself (its coverage phase sometimes fails to build a value).
status=0
for role in reader civil_affairs police housing commerce admin; do
  token=$("$MENPAI_BIN" token create --role "$role")
  before=$(counted)
  echo "== schemathesis as $role for ${secs}s" >&2
  set +e
  (cd "$work" && schemathesis --no-color run "$base/openapi.json" --url "$base" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error --max-time "$secs" --workers 2 \
    --request-timeout 30 --suppress-health-check all --warnings off \
    --phases examples,coverage,fuzzing --generation-database none) >"$work/$role.log" 2>&1
  rc=$?
  set -e
  sed -n '/= SUMMARY =/,$p' "$work/$role.log" | grep -v '^$' >&2 || tail -5 "$work/$role.log" >&2
  # What schemathesis itself tripped over, if anything (its own errors, not the server's).
  grep -E '^ *\| *[A-Za-z]+Error|^[A-Za-z]+Error' "$work/$role.log" | cut -c1-160 | sort | uniq -c | head -5 >&2 || true
  sent=$(( $(counted) - before ))
  echo "$role: $sent requests answered (schemathesis exit $rc)" >&2
  # A run that hardly reached the server proves nothing.
  [ "$sent" -ge 100 ] || { echo "too few requests as $role" >&2; status=1; }
done

curl -fs "$base/metrics" | grep '^menpai_http_responses_total' >"$work/metrics"
cat "$work/metrics" >&2
five=$(awk '/class="5xx"/ {print $2}' "$work/metrics")
total=$(awk '{s += $2} END {print s}' "$work/metrics")
echo "api fuzz: $total requests answered, ${five:-0} 5xx" >&2
if grep -q 'panicked' "$work/serve.log"; then grep -B2 -A5 'panicked' "$work/serve.log" >&2; status=1; fi
[ "${five:-0}" = 0 ] || status=1
exit $status
