-- wrk script: client_credentials token requests with the default CI app
-- (anypoint-mock-ci / mock-ci-secret, HTTP Basic). Prints one line per run for
-- scripts/bench-mock-server.sh to add up.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic YW55cG9pbnQtbW9jay1jaTptb2NrLWNpLXNlY3JldA=="
wrk.body = "grant_type=client_credentials"

function done(summary, latency, requests)
  -- wrk counts answers with a status of 400 or above as status errors.
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "round answers=%d errors=%d socket_errors=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    summary.requests, summary.errors.status, errors, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
