-- GET /v1/jobs/{id} of random jobs among the $ROWS generated ones (ids 10000000-0000-4000-8000-<hex i>).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

local rows = tonumber(os.getenv("ROWS"))

function init(args)
  counts = {}
  math.randomseed(os.time() * 1000 + id)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("API_KEY")
end

function request()
  return wrk.format("GET", string.format("/v1/jobs/10000000-0000-4000-8000-%012x", math.random(1, rows)))
end
