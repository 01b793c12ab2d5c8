-- Shared by the wrk scripts: per-thread status counters, and a JSON summary written to $RESULT.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function count_status(status)
  local k = "s" .. status
  counts[k] = (counts[k] or 0) + 1
end

function response(status, headers, body)
  count_status(status)
end

function done(summary, latency, requests)
  local totals = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do totals[k] = (totals[k] or 0) + v end
  end
  local statuses = {}
  for k, v in pairs(totals) do
    table.insert(statuses, string.format('"status_%s":%d', string.sub(k, 2), v))
  end
  local secs = summary.duration / 1e6
  local ok = (totals["s200"] or 0) + (totals["s201"] or 0) + (totals["s202"] or 0)
  local e = summary.errors
  local f = io.open(os.getenv("RESULT"), "w")
  f:write(string.format(
    '{"requests":%d,"seconds":%.2f,"requests_per_s":%.1f,"ok_per_s":%.1f,%s,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
    '"latency_ms":{"p50":%.2f,"p90":%.2f,"p99":%.2f,"max":%.2f,"mean":%.2f}}\n',
    summary.requests, secs, summary.requests / secs, ok / secs, table.concat(statuses, ","),
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000))
  f:close()
end
