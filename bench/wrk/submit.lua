-- POST /v1/jobs as JSON naming a finished direct upload. An upload is one job's input only, so thread t walks its own
-- prepared uploads 2000000t-0000-4000-8000-<hex n>, n = 1..$PER_THREAD (past the end it repeats the last: 409).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

local per = tonumber(os.getenv("PER_THREAD"))

function init(args)
  counts = {}
  n = 0
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("API_KEY")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  if n < per then n = n + 1 end
  local body = string.format('{"upload_id":"2000000%d-0000-4000-8000-%012x","queue":"express",' ..
    '"outputs":[{"name":"thumb","type":"image","width":100,"height":100,"fit":"cover"}]}', id, n)
  return wrk.format("POST", "/v1/jobs", nil, body)
end
