# make bench, email part (sourced by scripts/bench.sh; BENCH_ONLY=email runs it alone, right after
# migrating, without the big seeding). One school, BENCH_EMAIL_N contacts (100,000) and as many
# queued deliveries of one email; a `lyceum worker` sends them over SMTP into a sink on loopback
# (bench/smtp_sink.py, which counts messages and duplicate Message-IDs).
#   run 1: time from the worker's start to the last message accepted;
#   run 2: the same again (a second email), the worker SIGKILLed half-way and restarted; the sink
#          must end with no duplicate and the database with N rows sent. The engine is at most
#          once with a hand-over point: a message whose row was committed `sent` in the instant
#          before the kill may never have reached the sink; those are counted as lost (at most
#          one per message in flight; usually none);
#   reference: a plain Python smtplib loop pushing messages of the same size into the same sink,
#          over as many connections as the engine uses.
# Writes $tmp/email.tsv (name, value) and prints a summary; exits non-zero (email_failed=1) on a
# lost or duplicated message.

BENCH_EMAIL_N=${BENCH_EMAIL_N:-100000}
BENCH_EMAIL_CONCURRENCY=${BENCH_EMAIL_CONCURRENCY:-80}
BENCH_EMAIL_TIMEOUT=${BENCH_EMAIL_TIMEOUT:-900}
email_n=$BENCH_EMAIL_N
email_tsv=$tmp/email.tsv
: >"$email_tsv"
email_failed=0
enote() { printf '%s\t%s\n' "$1" "$2" >>"$email_tsv"; }
esql() { psql "$BENCH_DATABASE_URL" -XAtc "$1"; }
email_sink= ; email_worker= ; email_poller=
now_s() { date +%s.%N; }
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]) or 0)" "$1" "$2"; }

say "seeding email: 1 school, $email_n contacts, $email_n queued deliveries"
"$bin" tenant create --name "Email Bench" --slug email-bench --owner-email owner@email-bench.test >/dev/null
psql "$BENCH_DATABASE_URL" -XAq -v ON_ERROR_STOP=1 -v n="$email_n" <<'SQL'
-- A school on the largest plan, past its warm-up: the throttle of a new school would make this
-- a measure of the warm-up schedule instead of the engine.
select set_config('app.platform', 'on', false);
update tenants set plan = 'pro' where slug = 'email-bench';
insert into email_settings (tenant_id, bounce_token, warmup_started_at)
select id, md5(random()::text), now() - interval '365 days' from tenants where slug = 'email-bench';
insert into contacts (tenant_id, id, email, first_name, last_name, status)
select t.id, gen_random_uuid(), format('reader%s@example.com', g), format('Reader%s', g), 'Bench', 'subscribed'
from tenants t, generate_series(1, :n) g where t.slug = 'email-bench';
analyze contacts;
SQL

# email_queue NAME: a new email and one queued delivery per contact, and a kick for the engine.
email_queue() {
  psql "$BENCH_DATABASE_URL" -XAq -v ON_ERROR_STOP=1 -v name="$1" <<'SQL'
with t as (select id from tenants where slug = 'email-bench'),
e as (
  insert into emails (tenant_id, id, name, subject, doc)
  select t.id, gen_random_uuid(), :'name', 'News for {{ first_name }}',
    jsonb_build_object('blocks', jsonb_build_array(
      jsonb_build_object('kind', 'heading', 'text', 'This month at Email Bench'),
      jsonb_build_object('kind', 'text', 'html', '<p>Hello {{ first_name }}, ' || repeat('here is what is new in your courses this month. ', 30) || '</p>'),
      jsonb_build_object('kind', 'text', 'html', '<p>See you soon.</p>'),
      jsonb_build_object('kind', 'footer')))
  from t returning tenant_id, id)
insert into email_deliveries (tenant_id, id, email_id, contact_id, to_email, source, broadcast_id, not_before)
select e.tenant_id, uuid_v7(), e.id, c.id, c.email, 'broadcast', e.id, now()
from e join contacts c on c.tenant_id = e.tenant_id;
insert into email_engine_pending (tenant_id) select id from tenants where slug = 'email-bench' on conflict do nothing;
insert into jobs (tenant_id, id, kind, payload) select id, uuid_v7(), 'email.engine', '{}' from tenants where slug = 'email-bench';
analyze email_deliveries;
SQL
}

email_sink_start() { # NAME → $email_port, $email_sink, stats in $tmp/sink-NAME.json
  email_port=$(free_port)
  python3 "$root/bench/smtp_sink.py" serve "$email_port" "$tmp/sink-$1.json" &
  email_sink=$!
  for _ in $(seq 1 50); do [ -s "$tmp/sink-$1.json" ] && return 0; sleep 0.1; done
  die "the SMTP sink did not start"
}
email_worker_start() {
  LYCEUM_SMTP_URL="smtp://127.0.0.1:$email_port" LYCEUM_EMAIL_CONCURRENCY=$BENCH_EMAIL_CONCURRENCY \
    LYCEUM_SMTP_POOL_SIZE=$BENCH_EMAIL_CONCURRENCY LYCEUM_JOB_LEASE_SECONDS=10 \
    LYCEUM_DB_POOL_SIZE=$((BENCH_EMAIL_CONCURRENCY * 2 + 10)) \
    "$bin" worker >>"$tmp/email-worker.log" 2>&1 &
  email_worker=$!
}
# email_wait STATS FIELD TARGET: until the sink's FIELD reaches TARGET (or the time-out).
email_wait() {
  local deadline=$(( $(date +%s) + BENCH_EMAIL_TIMEOUT ))
  while [ "$(json_field "$1" "$2")" -lt "$3" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { say "email: timed out at $(json_field "$1" "$2") of $3"; return 1; }
    kill -0 "$email_worker" 2>/dev/null || { tail -n 30 "$tmp/email-worker.log" >&2; die "lyceum worker exited"; }
    sleep 0.2
  done
}

# ── run 1: the whole send ─────────────────────────────────────────────────────
email_queue "Bench run 1"
email_sink_start run1
say "scenario: email to $email_n recipients (worker → SMTP sink)"
started=$(now_s)
email_worker_start
# The worker's peak resident memory, polled (VmHWM).
( while kill -0 "$email_worker" 2>/dev/null; do awk '/^VmHWM:/ { print $2 }' "/proc/$email_worker/status" 2>/dev/null; sleep 0.5; done ) \
  >"$tmp/email-peaks" &
email_poller=$!
email_wait "$tmp/sink-run1.json" distinct "$email_n" || email_failed=1
email_peak=$(sort -n "$tmp/email-peaks" | tail -n1)
kill "$email_poller" 2>/dev/null || true; wait "$email_poller" 2>/dev/null || true; email_poller=
stop "$email_worker"; email_worker=
sleep 0.5
stop "$email_sink"; email_sink=
last=$(json_field "$tmp/sink-run1.json" last)
r1_seconds=$(awk -v a="$started" -v b="$last" 'BEGIN { printf "%.2f", b - a }')
r1_distinct=$(json_field "$tmp/sink-run1.json" distinct)
r1_dups=$(json_field "$tmp/sink-run1.json" duplicates)
r1_rate=$(awk -v n="$r1_distinct" -v s="$r1_seconds" 'BEGIN { printf "%.0f", n / s }')
# The reference pushes messages of the size the engine's were.
msg_size=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(int(s['bytes'] / max(1, s['messages'])))" "$tmp/sink-run1.json")

# ── run 2: killed half-way, restarted ─────────────────────────────────────────
email_queue "Bench run 2"
email_sink_start run2
say "scenario: email to $email_n recipients, worker SIGKILLed half-way and restarted"
started=$(now_s)
email_worker_start
email_wait "$tmp/sink-run2.json" messages $((email_n / 2)) || email_failed=1
kill -KILL "$email_worker"; wait "$email_worker" 2>/dev/null || true
killed_at=$(json_field "$tmp/sink-run2.json" messages)
say "email: worker killed after $killed_at messages; restarting"
email_worker_start
# Until every row is sent (the last ones once the dead worker's claims expire), then a little
# longer: anything a second time would arrive now.
deadline=$(( $(date +%s) + BENCH_EMAIL_TIMEOUT ))
until [ "$(json_field "$tmp/sink-run2.json" distinct)" -ge "$email_n" ] ||
  [ "$(esql "select count(*) from email_deliveries d join emails e on e.tenant_id = d.tenant_id and e.id = d.email_id
    where e.name = 'Bench run 2' and d.status = 'queued'")" = 0 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { say "email: timed out"; email_failed=1; break; }
  kill -0 "$email_worker" 2>/dev/null || { tail -n 30 "$tmp/email-worker.log" >&2; die "lyceum worker exited"; }
  sleep 0.5
done
sleep 2
stop "$email_worker"; email_worker=
stop "$email_sink"; email_sink=
last=$(json_field "$tmp/sink-run2.json" last)
r2_seconds=$(awk -v a="$started" -v b="$last" 'BEGIN { printf "%.2f", b - a }')
r2_messages=$(json_field "$tmp/sink-run2.json" messages)
r2_distinct=$(json_field "$tmp/sink-run2.json" distinct)
r2_dups=$(json_field "$tmp/sink-run2.json" duplicates)
r2_rows=$(esql "select count(*) from email_deliveries d join emails e on e.tenant_id = d.tenant_id and e.id = d.email_id
  where e.name = 'Bench run 2' and d.status = 'sent'")

# ── reference: Python smtplib into the same sink ──────────────────────────────
ref_n=$(( email_n < 20000 ? email_n : 20000 ))
email_sink_start reference
say "reference: python smtplib, $ref_n messages of about $msg_size bytes over $BENCH_EMAIL_CONCURRENCY connections"
IFS=$'\t' read -r _ ref_seconds ref_rate < <(python3 "$root/bench/smtp_sink.py" reference "$email_port" "$ref_n" "$msg_size" "$BENCH_EMAIL_CONCURRENCY")
stop "$email_sink"; email_sink=

[ "$r1_distinct" = "$email_n" ] && [ "$r1_dups" = 0 ] || email_failed=1
r2_lost=$(( r2_rows - r2_distinct ))
[ "$r2_dups" = 0 ] && [ "$r2_rows" = "$email_n" ] && [ "$r2_lost" -le "$BENCH_EMAIL_CONCURRENCY" ] || email_failed=1
for kv in "recipients=$email_n" "seconds=$r1_seconds" "rate=$r1_rate" "duplicates=$r1_dups" "peak_kib=${email_peak:-0}" \
  "crash_seconds=$r2_seconds" "crash_killed_at=$killed_at" "crash_messages=$r2_messages" "crash_distinct=$r2_distinct" \
  "crash_duplicates=$r2_dups" "crash_rows_sent=$r2_rows" "crash_lost=$r2_lost" "reference_rate=$ref_rate"; do
  enote "${kv%%=*}" "${kv#*=}"
done

email_summary() {
  local ratio verdict
  ratio=$(awk -v a="$r1_rate" -v b="$ref_rate" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  verdict=$(awk -v s="$r1_seconds" -v n="$email_n" 'BEGIN { t = 120 * n / 100000; print (s <= t ? "within" : "OVER") " the target of " t " s" }')
  echo "Email: $email_n recipients of one email, $BENCH_EMAIL_CONCURRENCY messages in flight, SMTP sink on loopback"
  printf '  send:        %s s, %s messages/s, %s duplicates, worker peak %s MiB (%s)\n' "$r1_seconds" "$r1_rate" "$r1_dups" \
    "$(( ${email_peak:-0} / 1024 ))" "$verdict"
  printf '  reference:   python smtplib loop, %s messages/s into the same sink; lyceum / reference = %s×\n' "$ref_rate" "$ratio"
  printf '  crash:       worker SIGKILLed after %s messages and restarted: %s received, %s distinct, %s duplicates, %s rows sent, %s lost at the kill, %s s\n' \
    "$killed_at" "$r2_messages" "$r2_distinct" "$r2_dups" "$r2_rows" "$r2_lost" "$r2_seconds"
  [ "$email_failed" = 0 ] && echo "  result:      no message twice" || echo "  result:      FAILED (duplicated or unsent messages)"
}
