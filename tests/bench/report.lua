-- Shared by every scenario: the bearer token from the environment and one JSON line at the end.
token = os.getenv("TIM_BENCH_TOKEN")
base = os.getenv("TIM_BENCH_BASE") or "/tim/api/scim"
headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/scim+json"}

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.status + summary.errors.timeout
  io.write(string.format('RESULT {"requests":%d,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
