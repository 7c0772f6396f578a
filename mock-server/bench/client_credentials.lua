-- wrk script: client_credentials token requests with the default CI app
-- (anypoint-mock-ci / mock-ci-secret, HTTP Basic).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic YW55cG9pbnQtbW9jay1jaTptb2NrLWNpLXNlY3JldA=="
wrk.body = "grant_type=client_credentials"

function done(summary, latency, requests)
  -- wrk counts answers with a status of 400 or above as status errors.
  io.write(string.format("error responses: %d\n", summary.errors.status))
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("p99 latency: %.2f ms\n", latency:percentile(99) / 1000))
end
