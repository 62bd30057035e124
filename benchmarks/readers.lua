-- wrk's readers for benchmarks/serving.py: each connection asks for the next page as soon as the last one came,
-- cycling through the atlas, site pages in both languages, the about page and the API. At the end one JSON line
-- says what was seen (latencies in microseconds).
local paths = {
  "/",
  "/sites/izium-mass-burial-site/",
  "/uk/sites/izium-mass-burial-site/",
  "/api/sites",
  "/uk/",
  "/sites/izium-police-station-basement/",
  "/api/sites/izium-mass-burial-site/claims",
  "/about/",
  "/api/events",
  "/uk/sites/izium-police-station-basement/",
}
local next_path = 0

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "errors": {"connect": %d, "read": %d, "write": %d, "HTTP status >= 400": %d, "timeout": %d}, '
      .. '"p50_us": %d, "p95_us": %d, "max_us": %d, "mean_us": %d}\n',
    summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency.max, latency.mean
  ))
end
