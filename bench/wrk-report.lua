-- make bench, when oha is unavailable: wrk prints its results as one JSON line for
-- bench/summarise.mjs. Latencies in seconds; "status" counts answers of 400 and above.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.6f,"p50":%.6f,"p90":%.6f,"p99":%.6f,"socket_errors":%d,"status_errors":%d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e6, latency:percentile(90) / 1e6, latency:percentile(99) / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status))
end
