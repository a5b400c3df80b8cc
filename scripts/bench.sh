#!/usr/bin/env bash
# make bench: seeds a large data set, serves it with the release binary, drives it with a load
# generator on loopback, and prints throughput, latency percentiles, errors and peak memory,
# next to nginx serving the same home page as a static file. Then the media figures: how long
# a 1080p clip takes to upload (tus) and process (a separate `lyceum worker`), and how the
# server copes with concurrent HLS players; and sandbox orders per second through the whole
# checkout, counted in the database afterwards. Everything it starts it stops.
# BENCH_ONLY=pages|page|checkout|media runs one part (the seeding and pgbench always run); `page`
# is the published sales page against nginx serving its HTML (bench/page.sh). BENCH_ONLY=email
# runs only the email engine's 100,000-recipient send (bench/email.sh), right after migrating.
# Settings: bench/settings.sh. What the numbers mean: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=SCRIPTDIR/../bench/settings.sh
source bench/settings.sh
export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive
password=bench-password-2026

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# BENCH_ONLY=pages|page|checkout|media: whether a part runs.
want() { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = "$1" ]; }

# ── tools ────────────────────────────────────────────────────────────────────
tool=
if ! want pages && ! want page; then
  tool=none
elif command -v oha >/dev/null; then
  tool=oha
elif [ "$BENCH_TOOL" = wrk ]; then
  tool=
else
  say "installing oha (cargo install oha --locked; a few minutes the first time)"
  oha_build=$(mktemp -d /tmp/lyceum-oha-build.XXXXXX)
  if env -u CARGO_TARGET_DIR cargo install oha --locked --quiet --target-dir "$oha_build" >&2; then tool=oha; fi
  rm -rf "$oha_build"
fi
if [ -z "$tool" ]; then
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  command -v wrk >/dev/null && tool=wrk || die "neither oha nor wrk could be installed"
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if { want pages || want page || want media; } && [ ! -x "$nginx" ]; then
  say "installing nginx-light"
  { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; } || die "could not install nginx"
fi
for t in node curl psql; do command -v "$t" >/dev/null || die "$t is missing (run 'make deps')"; done
if [ "$BENCH_MEDIA" = 1 ] && want media; then
  for t in ffmpeg ffprobe split base64; do command -v "$t" >/dev/null || die "$t is missing (BENCH_MEDIA=0 skips media)"; done
fi

# ── build ────────────────────────────────────────────────────────────────────
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/cache/lyceum-target}
say "building the release binary (several minutes on two cores the first time)"
cargo build --release -p lyceum --quiet
bin=$CARGO_TARGET_DIR/release/lyceum

# ── clean-up, whatever happens ───────────────────────────────────────────────
tmp=$(mktemp -d /tmp/lyceum-bench.XXXXXX)
chmod 0755 "$tmp" # nginx's workers drop root and must read the page
server= ; nginx_pid= ; worker=
stop() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
db_name=${BENCH_DATABASE_URL##*/}
admin_url=${BENCH_DATABASE_URL%/*}/postgres
cleanup() {
  stop "${email_worker:-}"
  stop "${email_sink:-}"
  stop "$worker"
  stop "$server"
  stop "$nginx_pid"
  rm -rf "$tmp"
  if [ "$BENCH_KEEP_DB" != 1 ]; then
    psql "$admin_url" -qc "drop database if exists \"$db_name\" with (force)" 2>/dev/null || true
  fi
  psql "$admin_url" -qc "drop database if exists \"${db_name}_pgbench\" with (force)" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port=$(free_port)
host=$BENCH_SLUG.localhost:$port

# ── data ─────────────────────────────────────────────────────────────────────
export LYCEUM_DATABASE_URL=$BENCH_DATABASE_URL
export LYCEUM_BIND=127.0.0.1:$port
export LYCEUM_PLATFORM_HOST=localhost:$port
export LYCEUM_ASSETS_DIR=$root/assets/dist
export LYCEUM_LOG=${LYCEUM_LOG:-warn}
export LYCEUM_OWNER_PASSWORD=$password
# Uploads and renditions go to the temporary directory, never to ./data or a bucket; the
# worker's scratch folders too. Server and worker share the key that seals HLS keys.
export LYCEUM_STORAGE_DIR=$tmp/storage
unset LYCEUM_S3_BUCKET
export LYCEUM_SECRET_KEY=${LYCEUM_SECRET_KEY:-lyceum-bench-secret-key-not-for-production}
mkdir -p "$LYCEUM_STORAGE_DIR" "$tmp/scratch"
psql "$admin_url" -qc "drop database if exists \"$db_name\" with (force)" 2>/dev/null
"$bin" migrate >/dev/null
if [ "$BENCH_ONLY" = email ]; then
  # shellcheck source=SCRIPTDIR/../bench/email.sh
  source bench/email.sh
  echo
  email_summary
  exit "$email_failed"
fi
say "seeding: 1 school with $BENCH_STUDENTS students, $BENCH_OTHER_SCHOOLS more with $BENCH_OTHER_STUDENTS each"
"$bin" tenant create --name "Bench Academy" --slug "$BENCH_SLUG" --owner-name "Maya Chen" \
  --owner-email "owner@$BENCH_SLUG.test" >/dev/null
seq 1 "$BENCH_OTHER_SCHOOLS" | xargs -P 2 -I{} "$bin" tenant create --name "Neighbour School {}" \
  --slug "neighbour-{}" --owner-email "owner@neighbour-{}.test" >/dev/null
psql "$BENCH_DATABASE_URL" -v ON_ERROR_STOP=1 -q -v bench_slug="$BENCH_SLUG" -v students="$BENCH_STUDENTS" \
  -v other_students="$BENCH_OTHER_STUDENTS" -f bench/seed.sql
say "seeding courses: $BENCH_COURSE_SCHOOLS schools, $BENCH_COURSE_STUDENTS students, $BENCH_ENROLMENTS enrolments with progress"
seed_started=$(date +%s)
psql "$BENCH_DATABASE_URL" -v ON_ERROR_STOP=1 -q -v bench_slug="$BENCH_SLUG" -v course_schools="$BENCH_COURSE_SCHOOLS" \
  -v course_students="$BENCH_COURSE_STUDENTS" -v enrolments="$BENCH_ENROLMENTS" \
  -v courses_per_school="$BENCH_COURSES_PER_SCHOOL" -f bench/courses.sql
say "courses seeded in $(( $(date +%s) - seed_started )) s: $(psql "$BENCH_DATABASE_URL" -Atc \
  "select format('%s enrolments, %s progress rows, %s lessons', (select count(*) from enrollments), (select count(*) from lesson_progress), (select count(*) from lessons))")"
users=$(psql "$BENCH_DATABASE_URL" -Atc "select count(*) from users")
schools=$(psql "$BENCH_DATABASE_URL" -Atc "select count(*) from tenants")
say "seeded $schools schools and $users accounts"

# ── servers ──────────────────────────────────────────────────────────────────
# Buyers in the checkout scenario come from many addresses (X-Forwarded-For from loopback).
LYCEUM_TRUST_PROXY=1 "$bin" serve --no-worker >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { tail -n 30 "$tmp/server.log" >&2; die "lyceum serve exited"; }
  sleep 0.2
done
school_curl() { curl -fsS --resolve "$host:127.0.0.1" -b "$tmp/jar" -c "$tmp/jar" "$@"; }

# Log the owner in once and reuse the session cookie.
csrf=$(school_curl "http://$host/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n1)
[ -n "$csrf" ] || die "no CSRF token on the login page"
school_curl -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=owner@$BENCH_SLUG.test" \
  --data-urlencode "password=$password" --data-urlencode "next=/admin" "http://$host/login"
sid=$(awk '$6 == "lyceum_sid" { print $7 }' "$tmp/jar" | tail -n1)
[ -n "$sid" ] || die "logging in gave no session cookie"
school_curl -o /dev/null -w '%{http_code}' -H "Cookie: lyceum_sid=$sid" "http://$host/admin" | grep -qx 200 \
  || die "the logged-in /admin answered with something other than 200"

# A student of the bench school, enrolled in every course and half-way through each.
: >"$tmp/student-jar"
student_curl() { curl -fsS --resolve "$host:127.0.0.1" -b "$tmp/student-jar" -c "$tmp/student-jar" "$@"; }
csrf=$(student_curl "http://$host/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n1)
student_curl -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=student1@$BENCH_SLUG.test" \
  --data-urlencode "password=$password" --data-urlencode "next=/dashboard" "http://$host/login"
student_sid=$(awk '$6 == "lyceum_sid" { print $7 }' "$tmp/student-jar" | tail -n1)
[ -n "$student_sid" ] || die "the bench student's login gave no session cookie"
lesson=$(psql "$BENCH_DATABASE_URL" -Atc "select l.id from lessons l join courses c on c.tenant_id = l.tenant_id and c.id = l.course_id
  join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id join tenants t on t.id = l.tenant_id
  where t.slug = '$BENCH_SLUG' and c.slug = 'course-1' order by m.position, l.position offset 6 limit 1")
lesson_url="http://$host/learn/course-1/$lesson"
for u in "$lesson_url" "http://$host/dashboard"; do
  code=$(school_curl -o /dev/null -w '%{http_code}' -H "Cookie: lyceum_sid=$student_sid" "$u")
  [ "$code" = 200 ] || die "$u answered $code for the bench student"
done

# nginx serves the same home page bytes as a static file (and bench/page.sh the sales page's).
if want pages || want page || want media; then
mkdir -p "$tmp/www" "$tmp/nginx"
curl -fsS --resolve "$host:127.0.0.1" "http://$host/" -o "$tmp/www/index.html"
nport=$(free_port)
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
    location = / { try_files /index.html =404; }
    # The media scenarios' yardstick: the same HLS files straight from the storage folder, and
    # the item's key (written to www/hls.key by bench/media.sh) for every ../key.
    location /hls/ {
      alias $tmp/storage/;
      sendfile on;
      types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
    }
    location ~ ^/hls/.*/key\$ { try_files /hls.key =404; }
  }
}
EOF
"$nginx" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$nport/" -o /dev/null 2>/dev/null && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$nport/" -o /dev/null || die "nginx did not start: $(cat "$tmp/nginx/error.log")"
fi

# ── load ─────────────────────────────────────────────────────────────────────
# Peak resident memory of a process and its children: VmHWM, reset before each scenario
# (writing 5 to clear_refs) and polled while it runs.
pids_of() { echo "$1"; pgrep -P "$1" || true; }
reset_peak() { for p in $(pids_of "$1"); do echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true; done; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
peak_kib() {
  local total=0 v
  for p in $(pids_of "$1"); do
    v=$(hwm_kib "$p")
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
# watch_peak PID: resets PID's peak and polls it in the background; peak_of_watch prints the
# highest value seen and stops the poller.
watcher=
watch_peak() {
  reset_peak "$1"
  ( while kill -0 "$1" 2>/dev/null; do peak_kib "$1"; sleep 0.25; done ) >"$tmp/peaks" &
  watcher=$!
}
peak_of_watch() {
  kill "$watcher" 2>/dev/null || true
  wait "$watcher" 2>/dev/null || true
  sort -n "$tmp/peaks" | tail -n1
}

seconds=${BENCH_DURATION%s}
results=$tmp/results.tsv
: >"$results"
run() { # name url pid [header]; RUN_RATE=n holds about n requests per second
  local name=$1 url=$2 pid=$3 header=${4:-} out=$tmp/run.json
  local h=${url#http://}; h=${h%%/*}
  say "scenario: $name ($BENCH_DURATION, $BENCH_CONNECTIONS connections)"
  watch_peak "$pid"
  if [ "$tool" = oha ]; then
    local args=(--no-tui --output-format json -w -z "$BENCH_DURATION" -c "$BENCH_CONNECTIONS" -o "$out")
    [[ $h == *.localhost:* ]] && args+=(--connect-to "$h:127.0.0.1:${h##*:}")
    [ -n "$header" ] && args+=(-H "$header")
    [ -n "${RUN_RATE:-}" ] && args+=(-q "$RUN_RATE")
    timeout $((seconds + 60)) oha "${args[@]}" "$url" >/dev/null
  else
    local args=(-d "$BENCH_DURATION" -c "$BENCH_CONNECTIONS" -t 2 --timeout 10s -s "$root/bench/wrk-report.lua")
    [[ $h == *.localhost:* ]] && args+=(-H "Host: $h") && url=${url/$h/127.0.0.1:${h##*:}}
    [ -n "$header" ] && args+=(-H "$header")
    local pace=
    [ -n "${RUN_RATE:-}" ] && pace=$(node -e "console.log(($BENCH_CONNECTIONS * 1000 / $RUN_RATE).toFixed(3))")
    BENCH_PACE_MS=$pace timeout $((seconds + 60)) wrk "${args[@]}" "$url" | sed -n '/^{/,$p' >"$out"
  fi
  local peak
  peak=$(peak_of_watch)
  node "$root/bench/summarise.mjs" "$tool" "$out" "$name" "${peak:-0}" >>"$results"
}

if want pages; then
  run "home page (lyceum)" "http://$host/" "$server"
  run "login page" "http://$host/login" "$server"
  run "/healthz" "http://localhost:$port/healthz" "$server"
  run "admin dashboard, logged in" "http://$host/admin" "$server" "Cookie: lyceum_sid=$sid"
  run "home page (nginx static)" "http://127.0.0.1:$nport/" "$nginx_pid"
  run "lesson page, logged-in student" "$lesson_url" "$server" "Cookie: lyceum_sid=$student_sid"
  run "student dashboard, logged-in student" "http://$host/dashboard" "$server" "Cookie: lyceum_sid=$student_sid"
fi

if want page; then
  # shellcheck source=SCRIPTDIR/../bench/page.sh
  source bench/page.sh
fi

# The database's own ceiling on this box: pgbench's select-only run, same connections, same
# duration, against a pgbench database on the same server.
pg_db=${db_name}_pgbench
psql "$admin_url" -qc "drop database if exists \"$pg_db\" with (force)" -c "create database \"$pg_db\""
say "pgbench -i -s $BENCH_PGBENCH_SCALE, then pgbench -S ($BENCH_DURATION, $BENCH_CONNECTIONS connections)"
pgbench -i -q -s "$BENCH_PGBENCH_SCALE" "${admin_url%/*}/$pg_db" >/dev/null 2>&1
pg_tps=$(pgbench -S -n -c "$BENCH_CONNECTIONS" -j 2 -T "$seconds" "${admin_url%/*}/$pg_db" 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -n1)
psql "$admin_url" -qc "drop database if exists \"$pg_db\" with (force)"

if want checkout; then
  # shellcheck source=SCRIPTDIR/../bench/checkout.sh
  source bench/checkout.sh
fi

if [ "$BENCH_MEDIA" = 1 ] && want media; then
  # shellcheck source=SCRIPTDIR/../bench/media.sh
  source bench/media.sh
fi

if want email; then
  stop "$server"
  server=
  # shellcheck source=SCRIPTDIR/../bench/email.sh
  source bench/email.sh
fi

echo
echo "Lyceum bench: $schools schools, $users accounts; $BENCH_DURATION per scenario, $BENCH_CONNECTIONS connections, $tool, $(nproc) cores"
if [ -s "$results" ]; then
  node "$root/bench/summarise.mjs" table "$results"
  echo
  node "$root/bench/summarise.mjs" ratio "$results" "${pg_tps:-0}"
  if want page; then
    echo
    node "$root/bench/summarise.mjs" page "$results"
  fi
fi
if [ -s "$tmp/media.tsv" ]; then
  echo
  node "$root/bench/summarise.mjs" media "$tmp/media.tsv" "$tmp/players.tsv"
fi
if [ -s "${email_tsv:-}" ]; then
  echo
  email_summary
fi
if [ -s "$tmp/checkout.tsv" ]; then
  echo
  # Exits non-zero (and so does make bench) when an order was lost or duplicated.
  node "$root/bench/summarise.mjs" checkout "$tmp/checkout.tsv" "${pg_tps:-0}"
fi
# Lost or duplicated marketing email fails the run too.
exit "${email_failed:-0}"
