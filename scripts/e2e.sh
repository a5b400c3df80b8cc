#!/usr/bin/env bash
# Browser journeys: builds lyceum, serves it on a fresh database and a free loopback port, and
# runs e2e/journeys/*.test.mjs in headless Chromium. Screenshots and the server's log go to
# e2e/artifacts/. Exits with the journeys' status; the server is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

chromium=${LYCEUM_E2E_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "e2e: Chromium is not installed at $chromium." >&2
  echo "e2e: run 'make deps' (it installs Debian's chromium), or set LYCEUM_E2E_CHROMIUM." >&2
  exit 1
fi
for tool in node npm psql curl; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is missing (run 'make deps')." >&2; exit 1; }
done

# LYCEUM_BIN runs a binary that is already built instead.
bin=${LYCEUM_BIN:-}
if [ -z "$bin" ]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/cache/lyceum-target}
  cargo build -p lyceum --quiet
  bin=$CARGO_TARGET_DIR/debug/lyceum
fi

db_url=${LYCEUM_E2E_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lyceum_e2e}
db_name=${db_url##*/}
artifacts=$root/e2e/artifacts
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts"/server.log

if [ ! -f "$root/assets/dist/manifest.json" ]; then
  echo "e2e: assets/dist has no manifest.json; run 'make assets' first or pages will be unstyled." >&2
fi

psql "${db_url%/*}/postgres" -qc "drop database if exists \"$db_name\" with (force)"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
operator_password=demo-password-2026

export LYCEUM_DATABASE_URL=$db_url
export LYCEUM_BIND=127.0.0.1:$port
export LYCEUM_PLATFORM_HOST=localhost:$port
export LYCEUM_DEMO=1
# Each browser context of the journeys is its own visitor (harness.mjs sends a made-up
# X-Forwarded-For), so per-address limits apply per journey, not to the whole run.
export LYCEUM_TRUST_PROXY=1
export LYCEUM_ASSETS_DIR=$root/assets/dist
# Uploaded media of the run: a fresh folder, removed at the end.
storage=$(mktemp -d /tmp/lyceum-e2e-storage.XXXXXX)
export LYCEUM_STORAGE_DIR=$storage
"$bin" migrate >/dev/null
LYCEUM_OPERATOR_PASSWORD=$operator_password "$bin" operator create --email operator@lyceum.test --name "Platform Operator" >/dev/null

"$bin" serve >"$artifacts/server.log" 2>&1 &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server" 2>/dev/null || true
  fi
  wait "$server" 2>/dev/null || true
  rm -rf "$storage"
}
trap stop_server EXIT

for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "e2e: lyceum serve exited before answering; its log:" >&2
    tail -n 40 "$artifacts/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { echo "e2e: /healthz did not answer within 30 s" >&2; exit 1; }
echo "e2e: lyceum is serving on http://localhost:$port (log: e2e/artifacts/server.log)"

cd "$root/e2e"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

status=0
# LYCEUM_E2E_ONLY=media runs journeys/media.test.mjs alone.
target=journeys/
if [ -n "${LYCEUM_E2E_ONLY:-}" ]; then target=journeys/$LYCEUM_E2E_ONLY.test.mjs; fi
LYCEUM_E2E_PORT=$port LYCEUM_E2E_ARTIFACTS=$artifacts LYCEUM_E2E_CHROMIUM=$chromium \
  LYCEUM_E2E_OPERATOR_PASSWORD=$operator_password \
  node --test --test-concurrency=1 --test-reporter=spec "$target" || status=$?
echo "e2e: screenshots in e2e/artifacts/"
exit "$status"
