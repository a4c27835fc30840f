#!/usr/bin/env bash
# End-to-end tests of the web app: headless Debian Chromium driven by playwright-core
# against a real `menpai serve` on a fresh store. Installs what a fresh machine lacks
# (chromium, fonts-noto-cjk, poppler-utils for reading the printed PDFs, the node packages
# from the lock file), builds the binary if needed, and exits non-zero on any failure.
# Screenshots and PDFs go to e2e/artifacts/ (not committed).
set -euo pipefail
E2E="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$E2E/.." && pwd)"
cd "$E2E"

log() { printf '\n== e2e: %s\n' "$*"; }

log "system packages"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
/usr/bin/chromium --version 2>/dev/null
command -v node >/dev/null || { echo "node is missing" >&2; exit 1; }

log "node packages (npm ci from package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

log "binary"
BIN="${MENPAI_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --locked --manifest-path "$ROOT/Cargo.toml" --bin menpai
  BIN="$ROOT/target/release/menpai"
fi
"$BIN" --help >/dev/null

log "server on a fresh store"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/menpai-e2e.XXXXXX")"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
export DATABASE_URL="$WORK/register.db"
SERVER_PID=""
TILES_PID=""
cleanup() {
  for pid in "$SERVER_PID" "$TILES_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
# A stand-in for a county's tile service on loopback, so the optional base layer is tested.
TILE_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
python3 "$E2E/lib/tiles.py" "$TILE_PORT" >"$WORK/tiles.log" 2>&1 &
TILES_PID=$!
export TILE_PORT
export MENPAI_BASEMAP_URL="http://127.0.0.1:$TILE_PORT/{z}/{x}/{y}.png"
export MENPAI_BASEMAP_ATTRIBUTION="测试底图（本机）"
export MENPAI_BASEMAP_APPROVAL="鄂S（2026）001号"
"$BIN" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; echo "menpai serve exited" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz"; echo
export MENPAI_URL="http://127.0.0.1:$PORT"
for role in admin civil_affairs police housing reader; do
  var="TOKEN_$(echo "$role" | tr '[:lower:]' '[:upper:]')"
  export "$var=$("$BIN" token create --role "$role")"
done
# A second civil-affairs clerk: a name is approved by another clerk than its proposer.
export TOKEN_CIVIL_AFFAIRS_APPROVER="$("$BIN" token create --role civil_affairs --label 民政局审批科)"

log "tests"
mkdir -p "$E2E/artifacts"
export E2E_ARTIFACTS="$E2E/artifacts"
status=0
node --test --test-concurrency=1 --test-reporter=spec tests/ || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 40 lines)" >&2
  tail -n 40 "$WORK/serve.log" >&2 || true
fi
log "artifacts in $E2E/artifacts: $(ls "$E2E/artifacts" | tr '\n' ' ')"
exit "$status"
