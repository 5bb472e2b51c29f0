-- wrk script: POST /api/v2/alerts with BATCH distinct alerts per request (env BATCH, default 1;
-- env TOKEN adds a bearer token). Every alert in the run has a label set never sent before
-- (thread id + counter), so the receiver must store each one: this measures intake, not dedupe.
local batch = tonumber(os.getenv("BATCH") or "1")
local token = os.getenv("TOKEN") or ""
local threads = {}
local counter = 0
local tid = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.path = "/api/v2/alerts"
  wrk.headers["Content-Type"] = "application/json"
  if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end

function request()
  local parts = {}
  for i = 1, batch do
    counter = counter + 1
    parts[i] = string.format(
      '{"labels":{"alertname":"BenchAlert","instance":"host-%d-%d","job":"bench","service":"bench","severity":"P4"},' ..
      '"annotations":{"summary":"bench alert %d"},"generatorURL":"http://bench/graph"}',
      tid, counter, counter)
  end
  return wrk.format(nil, nil, nil, "[" .. table.concat(parts, ",") .. "]")
end

function done(summary, latency, requests)
  io.write(string.format("alerts_sent %d\n", summary.requests * batch))
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
