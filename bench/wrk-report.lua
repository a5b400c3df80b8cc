-- make bench, when oha is unavailable: wrk prints its results as one JSON line for
-- bench/summarise.mjs. Latencies in seconds; "status" counts answers of 400 and above.
-- BENCH_PACE_MS paces each connection (a request every that many milliseconds plus the answer's
-- time), for a run held near a fixed rate (RUN_RATE in scripts/bench.sh).
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "")
if pace then
  delay = function() return pace end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.6f,"p50":%.6f,"p90":%.6f,"p99":%.6f,"socket_errors":%d,"status_errors":%d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e6, latency:percentile(90) / 1e6, latency:percentile(99) / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status))
end
