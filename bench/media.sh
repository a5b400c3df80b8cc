# make bench, media part (sourced by scripts/bench.sh once the HTTP scenarios have run; it uses
# its variables and helpers). Uploads a generated 1080p clip through the tus endpoint as the
# logged-in owner, times its processing by a separate `lyceum worker`, then streams the result
# to BENCH_PLAYERS concurrent players (bench/players.mjs). Writes $tmp/media.tsv (name, value)
# and $tmp/players.tsv (one row per streaming scenario) for bench/summarise.mjs.

media=$tmp/media.tsv
players=$tmp/players.tsv
: >"$media"
: >"$players"
note() { printf '%s\t%s\n' "$1" "$2" >>"$media"; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
sql() { psql "$BENCH_DATABASE_URL" -XAtc "$1"; }

# ── the clip, generated once and kept in BENCH_CACHE_DIR ─────────────────────
clip=$BENCH_CACHE_DIR/clip-1080p-${BENCH_CLIP_SECONDS}s.mp4
if [ ! -s "$clip" ]; then
  say "generating a ${BENCH_CLIP_SECONDS} s 1080p test clip (once; kept in $BENCH_CACHE_DIR)"
  mkdir -p "$BENCH_CACHE_DIR"
  ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i sine=frequency=440 \
    -t "$BENCH_CLIP_SECONDS" -pix_fmt yuv420p -c:v libx264 -preset ultrafast -c:a aac -f mp4 "$clip.part" \
    || die "ffmpeg could not generate the test clip"
  mv "$clip.part" "$clip"
fi
clip_bytes=$(stat -c %s "$clip")
note clip_seconds "$BENCH_CLIP_SECONDS"
note clip_bytes "$clip_bytes"

# ── the worker ───────────────────────────────────────────────────────────────
# The server keeps running with --no-worker; jobs run in a separate `lyceum worker` process, as
# in a deployment with a worker machine, so its memory (and ffmpeg's) is measured on its own.
TMPDIR=$tmp/scratch "$bin" worker >"$tmp/worker.log" 2>&1 &
worker=$!
# Let it drain what seeding queued (welcome emails and the like) so the clip's job runs alone.
for _ in $(seq 1 120); do
  kill -0 "$worker" 2>/dev/null || { tail -n 30 "$tmp/worker.log" >&2; die "lyceum worker exited"; }
  [ "$(sql "select count(*) from jobs where status = 'running' or (status = 'queued' and run_at <= now())")" = 0 ] && break
  sleep 0.5
done

# ── upload through tus, as the library's uploader does ───────────────────────
# The CSRF token of this session, from the page's <meta name="csrf-token">.
token=$(school_curl -H "Cookie: lyceum_sid=$sid" "http://$host/admin" \
  | sed -n 's/.*<meta name="csrf-token" content="\([^"]*\)".*/\1/p' | head -n1)
[ -n "$token" ] || die "no <meta name=\"csrf-token\"> on /admin"
b64() { printf '%s' "$1" | base64 -w0; }
# tus METHOD PATH [curl args…]: one request; dies with the request and the answer unless the
# status is the one tus promises (201 for POST, 204 for PATCH).
tus() {
  local method=$1 path=$2 want; shift 2
  [ "$method" = POST ] && want=201 || want=204
  local code
  code=$(curl -sS --resolve "$host:127.0.0.1" -X "$method" -o "$tmp/tus.body" -D "$tmp/tus.head" -w '%{http_code}' \
    -H "Cookie: lyceum_sid=$sid" -H "Tus-Resumable: 1.0.0" -H "X-CSRF-Token: $token" -H "Expect:" \
    "$@" "http://$host$path") || die "tus $method $path: curl failed"
  if [ "$code" != "$want" ]; then
    say "tus $method http://$host$path (with the session cookie, Tus-Resumable, X-CSRF-Token and: $*) answered $code, not $want:"
    sed 's/^/  /' "$tmp/tus.head" "$tmp/tus.body" >&2
    die "the tus endpoint refused the upload"
  fi
}
header() { tr -d '\r' <"$tmp/tus.head" | awk -v h="$1" 'tolower($1) == tolower(h) ":" { print $2 }' | tail -n1; }

chunk=$((8 * 1024 * 1024))
mkdir -p "$tmp/chunks"
split -b "$chunk" -d -a 4 "$clip" "$tmp/chunks/part-"
chunks=("$tmp"/chunks/part-*)
say "media: uploading the ${BENCH_CLIP_SECONDS} s 1080p clip ($((clip_bytes / 1048576)) MiB, ${#chunks[@]} PATCHes of 8 MiB)"
started=$(now)
tus POST /admin/media/uploads -H "Upload-Length: $clip_bytes" \
  -H "Upload-Metadata: filename $(b64 "bench-1080p.mp4"),filetype $(b64 video/mp4)"
location=$(header location)
[ -n "$location" ] || die "tus POST answered 201 without a Location"
offset=0
for part in "${chunks[@]}"; do
  tus PATCH "$location" -H "Content-Type: application/offset+octet-stream" -H "Upload-Offset: $offset" \
    --data-binary "@$part"
  offset=$((offset + $(stat -c %s "$part")))
  [ "$(header upload-offset)" = "$offset" ] || die "after a PATCH the server says Upload-Offset $(header upload-offset), not $offset"
done
uploaded=$(now)
rm -rf "$tmp/chunks"
note upload_seconds "$(elapsed "$started" "$uploaded")"
note upload_requests "$((${#chunks[@]} + 1))"

# ── processing: from the last PATCH to `ready` ───────────────────────────────
# Polled every 0.5 s in SQL; meanwhile the worker's children (ffprobe, ffmpeg) are sampled every
# 0.2 s: when ffmpeg ran, and which run was the ladder (the one writing -var_stream_map), split
# the time into phases, and their VmHWM is summed.
say "media: processing (probe, H.264 ladder, storing) in lyceum worker"
(
  while kill -0 "$worker" 2>/dev/null; do
    ffmpeg=0 ladder=0 total=0
    for p in $(pgrep -P "$worker" || true); do
      v=$(hwm_kib "$p")
      total=$((total + ${v:-0}))
      if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = ffmpeg ]; then
        ffmpeg=1
        [[ $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") == *-var_stream_map* ]] && ladder=1
      fi
    done
    echo "$EPOCHREALTIME $ffmpeg $ladder $total"
    sleep 0.2
  done
) >"$tmp/worker-samples" &
sampler=$!
status=
while :; do
  row=$(sql "select status, coalesce((select u.progress from media_uploads u where u.media_id = m.id
               order by u.created_at desc limit 1), 0) from media m order by created_at desc limit 1")
  status=${row%%|*}
  case $status in
    ready) break ;;
    failed)
      why=$(sql "select coalesce(error_key, '?') || coalesce(' (' || error_detail || ')', '') from media_uploads
                 order by created_at desc limit 1")
      kill "$sampler" 2>/dev/null || true
      tail -n 20 "$tmp/worker.log" >&2
      die "processing failed: $why" ;;
  esac
  kill -0 "$worker" 2>/dev/null || { tail -n 30 "$tmp/worker.log" >&2; die "lyceum worker exited while processing"; }
  [ "$(elapsed "$uploaded" "$(now)" | cut -d. -f1)" -lt "$BENCH_PROCESS_TIMEOUT" ] \
    || die "still '$status' (progress ${row#*|}) after $BENCH_PROCESS_TIMEOUT s"
  sleep 0.5
done
ready=$(now)
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
note process_seconds "$(elapsed "$uploaded" "$ready")"
# The first and last samples with the ladder running, the last with any ffmpeg running, and
# the children's highest summed peak.
read -r ladder_first ladder_last ff_last ff_kib < <(awk '
  $2 == 1 { ff = $1 }
  $3 == 1 { if (first == "") first = $1; last = $1 }
  $4 > peak { peak = $4 }
  END { if (first == "") print "- - -", peak + 0; else print first, last, ff, peak + 0 }
' "$tmp/worker-samples")
if [ "$ladder_first" != - ]; then
  note phase_before "$(elapsed "$uploaded" "$ladder_first")"
  note phase_ladder "$(elapsed "$ladder_first" "$ladder_last")"
  note phase_images "$(elapsed "$ladder_last" "$ff_last")"
  note phase_after "$(elapsed "$ff_last" "$ready")"
fi
note children_peak_kib "$ff_kib"
note worker_peak_kib "$(hwm_kib "$worker")"
IFS='|' read -r media_id renditions storage_bytes source_bytes duration_ms < <(sql "select id,
    (select string_agg(r->>'name', ', ' order by (r->>'height')::int) from jsonb_array_elements(renditions) r),
    storage_bytes, source_bytes, duration_ms from media order by created_at desc limit 1")
note renditions "$renditions"
note storage_bytes "$storage_bytes"
note source_bytes "$source_bytes"
note duration_ms "$duration_ms"
# The worker has nothing left to do; stop it so the streaming figures are the server's alone.
stop "$worker"
worker=

# ── streaming: BENCH_PLAYERS players, whole segments, then 1 MiB ranges ──────
stream() { # name pid [players.mjs args…]
  local name=$1 pid=$2; shift 2
  say "scenario: $name ($BENCH_DURATION, $BENCH_PLAYERS players)"
  watch_peak "$pid"
  local row
  row=$(timeout $((seconds + 120)) node "$root/bench/players.mjs" --name "$name" --players "$BENCH_PLAYERS" \
    --seconds "$seconds" "$@") || die "bench/players.mjs failed"
  printf '%s\t%s\n' "$row" "$(peak_of_watch)" >>"$players"
}
as_owner=(--origin "http://127.0.0.1:$port" --host "$host" --cookie "lyceum_sid=$sid" --page "/admin/media/$media_id")
stream "HLS, whole segments" "$server" "${as_owner[@]}"
stream "HLS, 1 MiB ranges" "$server" "${as_owner[@]}" --range 1048576

# The yardstick: nginx serving the same files from the storage folder (and the same key, so
# the players check their segments the same way).
src=$(school_curl -H "Cookie: lyceum_sid=$sid" "http://$host/admin/media/$media_id" \
  | sed -n 's/.*data-player[^>]* data-src="\([^"]*\)".*/\1/p' | head -n1 | sed 's/&#x2f;/\//gi; s/&amp;/\&/g')
[ -n "$src" ] || die "no <div data-player data-src> on /admin/media/$media_id"
school_curl -H "Cookie: lyceum_sid=$sid" "http://$host${src%master.m3u8}key" -o "$tmp/www/hls.key"
chmod 0644 "$tmp/www/hls.key"
IFS='|' read -r tenant_id upload_id < <(sql "select tenant_id, current_upload from media where id = '$media_id'")
master=/hls/$tenant_id/media/$media_id/$upload_id/hls/master.m3u8
curl -fsS -o /dev/null "http://127.0.0.1:$nport$master" \
  || die "nginx does not serve $master from $LYCEUM_STORAGE_DIR: $(tail -n 3 "$tmp/nginx/error.log")"
stream "HLS, whole segments (nginx static)" "$nginx_pid" --origin "http://127.0.0.1:$nport" --host "127.0.0.1:$nport" \
  --master "$master"
