# make bench, sales page part (sourced by scripts/bench.sh; BENCH_ONLY=page runs it alone). A
# published sales page of the bench school (bench/page.sql) served by `lyceum serve` to
# anonymous visitors, and the same HTML saved to a file and served by nginx in the same run;
# then lyceum again held at 80% of the rate it reached, for the p99 at that load. The table
# shows the three rows; bench/summarise.mjs `page` prints the ratio against the targets
# (≥ 0.5× nginx, p99 ≤ 5 ms at 80% load).

say "seeding a published sales page at /p/sales"
psql "$BENCH_DATABASE_URL" -XAq -v ON_ERROR_STOP=1 -v bench_slug="$BENCH_SLUG" -f bench/page.sql
page_url="http://$host/p/sales"
code=$(curl -sS --resolve "$host:127.0.0.1" -o "$tmp/www/page.html" -w '%{http_code}' "$page_url")
[ "$code" = 200 ] || die "the sales page answered $code"
grep -q 'data-lyceum-page=' "$tmp/www/page.html" || die "the sales page is not the built page"
say "sales page: $(wc -c <"$tmp/www/page.html") bytes of HTML"

run "sales page (lyceum)" "$page_url" "$server"
run "sales page (nginx static)" "http://127.0.0.1:$nport/page.html" "$nginx_pid"
page_rps=$(awk -F'\t' '$1 == "sales page (lyceum)" { print $2 }' "$results")
page_rate=$(node -e "console.log(Math.max(1, Math.floor(Number('${page_rps:-0}') * 0.8)))")
RUN_RATE=$page_rate run "sales page at 80% load (lyceum, aiming at $page_rate req/s)" "$page_url" "$server"
