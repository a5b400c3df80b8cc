# make bench, checkout part (sourced by scripts/bench.sh after pgbench; it uses its variables and
# helpers). Sells one course of the bench school through the sandbox: BENCH_CONNECTIONS buyers
# at once for BENCH_DURATION (bench/checkout.mjs), each flow from the checkout page to the
# thank-you page, with a `lyceum worker` turning `order.paid` into enrolments meanwhile. Then
# waits for the worker to finish and checks the database against the flows the buyers saw
# complete: every one has exactly one order, one payment, one access grant, one enrolment and
# one `order.paid`. Writes $tmp/checkout.tsv (name, value) for bench/summarise.mjs; exits
# non-zero when anything was lost or duplicated.

checkout=$tmp/checkout.tsv
: >"$checkout"
cnote() { printf '%s\t%s\n' "$1" "$2" >>"$checkout"; }
csql() { psql "$BENCH_DATABASE_URL" -XAtc "$1"; }

# The offer: course-1 of the bench school for $49, sold by the sandbox (the default provider).
psql "$BENCH_DATABASE_URL" -XAq -v ON_ERROR_STOP=1 -v bench_slug="$BENCH_SLUG" <<'SQL'
with school as (select id from tenants where slug = :'bench_slug'),
product as (
  insert into products (tenant_id, id, name, description)
  select id, gen_random_uuid(), 'Course 1', 'The bench course' from school returning tenant_id, id
),
course as (
  insert into product_courses (tenant_id, product_id, course_id, position)
  select p.tenant_id, p.id, c.id, 0 from product p join courses c on c.tenant_id = p.tenant_id and c.slug = 'course-1'
  returning tenant_id, product_id
)
insert into offers (tenant_id, id, product_id, slug, name, kind, currency, amount)
select tenant_id, gen_random_uuid(), product_id, 'bench-course', 'Pay in full', 'one_time', 'USD', 4900 from course;
SQL
[ "$(csql "select count(*) from offers where slug = 'bench-course'")" = 1 ] || die "the bench offer was not created"

TMPDIR=$tmp/scratch "$bin" worker >"$tmp/checkout-worker.log" 2>&1 &
worker=$!
# Let it drain what seeding queued, so it works on orders only.
for _ in $(seq 1 120); do
  kill -0 "$worker" 2>/dev/null || { tail -n 30 "$tmp/checkout-worker.log" >&2; die "lyceum worker exited"; }
  [ "$(csql "select count(*) from jobs where status = 'running' or (status = 'queued' and run_at <= now())")" = 0 ] && break
  sleep 0.5
done

say "scenario: checkout end to end ($BENCH_DURATION, $BENCH_CONNECTIONS buyers at once, worker fulfilling)"
watch_peak "$server"
node "$root/bench/checkout.mjs" --name "checkout: page → order → card → thank-you" --origin "http://127.0.0.1:$port" \
  --host "$host" --offer bench-course --buyers "$BENCH_CONNECTIONS" --seconds "$seconds" --ids "$tmp/flows.txt" \
  >"$tmp/checkout-run.tsv" || die "no checkout completed"
checkout_peak=$(peak_of_watch)
load_end=$EPOCHREALTIME
IFS=$'\t' read -r _ c_buyers c_seconds c_flows c_p50 c_p90 c_p99 c_errors c_requests <"$tmp/checkout-run.tsv"

# The worker finishes what is left (order.paid → enrolment).
for _ in $(seq 1 600); do
  [ "$(csql "select count(*) from jobs where kind = 'commerce.grant_access' and status <> 'done'")" = 0 ] && break
  kill -0 "$worker" 2>/dev/null || { tail -n 30 "$tmp/checkout-worker.log" >&2; die "lyceum worker exited"; }
  sleep 0.2
done
drain=$(awk -v a="$load_end" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
stop "$worker"
worker=

# Counted in the database, against the flows the buyers saw complete.
counts=$(psql "$BENCH_DATABASE_URL" -XAt -F $'\t' -v ON_ERROR_STOP=1 -v bench_slug="$BENCH_SLUG" <<SQL
create temp table flows (id uuid primary key);
\copy flows from '$tmp/flows.txt'
create temp table sold as
  select o.tenant_id, o.id, o.checkout_id, o.user_id
  from orders o join tenants t on t.id = o.tenant_id where t.slug = :'bench_slug';
create index on sold (checkout_id);
analyze flows; analyze sold;
select
  (select count(*) from flows),
  (select count(*) from sold),
  -- lost: a completed flow without its order, or an order without its payment, grant, enrolment or order.paid
  (select count(*) from flows f where not exists (select 1 from sold s where s.checkout_id = f.id))
  + (select count(*) from sold s where not exists (select 1 from payments p where p.tenant_id = s.tenant_id and p.order_id = s.id and p.status = 'succeeded'))
  + (select count(*) from sold s where not exists (select 1 from access_grants g where g.tenant_id = s.tenant_id and g.order_id = s.id))
  + (select count(*) from sold s where not exists (select 1 from enrollments e where e.tenant_id = s.tenant_id and e.user_id = s.user_id and e.source_ref = s.id::text))
  + (select count(*) from sold s where not exists (select 1 from events e where e.tenant_id = s.tenant_id and e.kind = 'order.paid' and e.payload->>'order_id' = s.id::text)),
  -- duplicated: more than one of any of them
  (select count(*) - count(distinct checkout_id) from sold)
  + (select count(*) - count(distinct p.order_id) from payments p join sold s on s.tenant_id = p.tenant_id and s.id = p.order_id)
  + (select count(*) - count(distinct g.order_id) from access_grants g join sold s on s.tenant_id = g.tenant_id and s.id = g.order_id)
  + (select count(*) - count(distinct e.source_ref) from enrollments e join sold s on s.tenant_id = e.tenant_id and e.user_id = s.user_id and e.source_ref = s.id::text)
  + (select count(*) - count(distinct e.payload->>'order_id') from events e join sold s on s.tenant_id = e.tenant_id and e.kind = 'order.paid' and e.payload->>'order_id' = s.id::text)
  + (select coalesce(sum(n - 1), 0) from (select count(*) n from events e join sold s on s.tenant_id = e.tenant_id and e.kind = 'enrollment.created' and e.payload->>'user_id' = s.user_id::text group by e.payload->>'user_id', e.payload->>'course_id') d),
  (select count(*) from payments p join sold s on s.tenant_id = p.tenant_id and s.id = p.order_id),
  (select count(*) from access_grants g join sold s on s.tenant_id = g.tenant_id and s.id = g.order_id),
  (select count(*) from enrollments e join sold s on s.tenant_id = e.tenant_id and e.user_id = s.user_id and e.source_ref = s.id::text);
SQL
)
IFS=$'\t' read -r d_flows d_orders d_lost d_duplicated d_payments d_grants d_enrolments <<<"$(tail -n1 <<<"$counts")"
for kv in "name=checkout" "buyers=$c_buyers" "seconds=$c_seconds" "flows=$c_flows" "p50=$c_p50" "p90=$c_p90" "p99=$c_p99" \
  "errors=$c_errors" "requests=$c_requests" "drain=$drain" "peak_kib=${checkout_peak:-0}" "db_flows=$d_flows" \
  "orders=$d_orders" "payments=$d_payments" "grants=$d_grants" "enrolments=$d_enrolments" "lost=$d_lost" \
  "duplicated=$d_duplicated"; do
  cnote "${kv%%=*}" "${kv#*=}"
done
