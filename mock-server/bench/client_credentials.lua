-- wrk script: client_credentials token requests with the default CI app
-- (anypoint-mock-ci / mock-ci-secret, HTTP Basic). Each thread stops after
-- BENCH_TOKENS_PER_THREAD answers (0: run for wrk's -d duration).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic YW55cG9pbnQtbW9jay1jaTptb2NrLWNpLXNlY3JldA=="
wrk.body = "grant_type=client_credentials"

local target = tonumber(os.getenv("BENCH_TOKENS_PER_THREAD") or "0") or 0
local answered = 0

function response(status, headers, body)
  answered = answered + 1
  if target > 0 and answered >= target then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  -- wrk counts answers with a status of 400 or above as status errors.
  io.write(string.format("answers: %d in %.2f s\n", summary.requests, seconds))
  io.write(string.format("error responses: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("tokens/s: %.0f\n", (summary.requests - summary.errors.status) / seconds))
  io.write(string.format("latency p50: %.2f ms, p99: %.2f ms, p99.9: %.2f ms, max: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
