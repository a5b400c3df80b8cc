#!/usr/bin/env bash
# Lighthouse on a published sales page: prints the performance, accessibility, best-practices
# and SEO scores (the issue's target is ≥ 95 each) and keeps the full report.
#
#   scripts/lighthouse.sh                 # its own server: a scratch database, a school with
#                                         # bench/page.sql's sales page, `lyceum serve`
#   scripts/lighthouse.sh URL             # audit a page already served (e.g. the demo's)
#
# Lighthouse is npm `lighthouse@12.2.3` (run with npx, pinned here); the browser is Debian's
# chromium (CHROME_PATH, default /usr/bin/chromium), headless, without the sandbox (containers).
# Settings: LIGHTHOUSE_DATABASE_URL (owner URL of a scratch database it creates and drops),
# LYCEUM_BIN (default: the debug build in CARGO_TARGET_DIR, built if missing; a release build
# gives the figures production would), LIGHTHOUSE_REPORT (where the JSON report goes),
# LIGHTHOUSE_FORM_FACTOR (mobile, the default, or desktop).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf 'lighthouse: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$CHROME_PATH" ] || die "no chromium at $CHROME_PATH (apt-get install chromium)"
for t in node npx curl psql; do command -v "$t" >/dev/null || die "$t is missing (run 'make deps')"; done
report=${LIGHTHOUSE_REPORT:-$root/target/lighthouse-report.json}
form_factor=${LIGHTHOUSE_FORM_FACTOR:-mobile}
mkdir -p "$(dirname "$report")"

tmp=$(mktemp -d /tmp/lyceum-lighthouse.XXXXXX)
server=
db_url=${LIGHTHOUSE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lyceum_lighthouse}
db_name=${db_url##*/}
admin_url=${db_url%/*}/postgres
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ -n "$server" ]; then psql "$admin_url" -qc "drop database if exists \"$db_name\" with (force)" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url=${1:-}
if [ -z "$url" ]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/cache/lyceum-target}
  bin=${LYCEUM_BIN:-$CARGO_TARGET_DIR/debug/lyceum}
  if [ ! -x "$bin" ]; then
    say "building lyceum (debug)"
    cargo build -p lyceum --quiet
  fi
  [ -d "$root/assets/dist" ] || die "no assets/dist: run 'make assets' first"
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  export LYCEUM_DATABASE_URL=$db_url
  export LYCEUM_BIND=127.0.0.1:$port
  export LYCEUM_PLATFORM_HOST=localhost:$port
  export LYCEUM_ASSETS_DIR=$root/assets/dist
  export LYCEUM_STORAGE_DIR=$tmp/storage
  export LYCEUM_LOG=${LYCEUM_LOG:-warn}
  export LYCEUM_SECRET_KEY=${LYCEUM_SECRET_KEY:-lyceum-lighthouse-secret-key-not-for-production}
  export LYCEUM_OWNER_PASSWORD=lighthouse-password-2026
  unset LYCEUM_S3_BUCKET
  psql "$admin_url" -qc "drop database if exists \"$db_name\" with (force)" 2>/dev/null
  server=starting
  "$bin" migrate >/dev/null
  "$bin" tenant create --name "Brushwork Studio" --slug lighthouse --owner-name "Maya Chen" \
    --owner-email "owner@lighthouse.test" >/dev/null
  psql "$db_url" -XAq -v ON_ERROR_STOP=1 -v bench_slug=lighthouse -f bench/page.sql
  "$bin" serve --no-worker >"$tmp/server.log" 2>&1 &
  server=$!
  # Chromium resolves every *.localhost name to the loopback address by itself.
  url="http://lighthouse.localhost:$port/p/sales"
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { tail -n 30 "$tmp/server.log" >&2; die "lyceum serve exited"; }
    sleep 0.2
  done
  code=$(curl -sS --resolve "lighthouse.localhost:$port:127.0.0.1" -o /dev/null -w '%{http_code}' "$url")
  [ "$code" = 200 ] || die "$url answered $code"
fi

say "auditing $url ($form_factor)"
flags=(--only-categories=performance,accessibility,best-practices,seo --output=json --output-path="$report" --quiet
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage")
[ "$form_factor" = desktop ] && flags+=(--preset=desktop)
npx --yes lighthouse@12.2.3 "$url" "${flags[@]}"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const cats = ["performance", "accessibility", "best-practices", "seo"];
let ok = true;
for (const c of cats) {
  const score = Math.round((r.categories[c]?.score ?? 0) * 100);
  if (score < 95) ok = false;
  console.log(`${r.categories[c]?.title ?? c}: ${score}`);
}
for (const c of cats) {
  for (const ref of r.categories[c]?.auditRefs ?? []) {
    const a = r.audits[ref.id];
    if (ref.weight > 0 && a && a.score !== null && a.score < 0.9) console.log(`  ${c}: ${a.title} (${Math.round(a.score * 100)})`);
  }
}
console.log(ok ? "target ≥ 95 each: met" : "target ≥ 95 each: NOT met");
console.log(`report: ${process.argv[1]}`);
' "$report"
