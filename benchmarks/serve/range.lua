-- wrk script: each request asks a random file of the list for one of four byte ranges a player
-- asks for (the head, the tail, from an offset to the end, a middle block). URLS names the list.
local paths = {}
local ranges = { "bytes=0-65535", "bytes=-16384", "bytes=1024-", "bytes=4096-8191" }

function init(args)
  for line in io.lines(os.getenv("URLS")) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local path = paths[math.random(#paths)]
  return wrk.format("GET", path, { ["Range"] = ranges[math.random(#ranges)] })
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"bytes": %d, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.bytes,
    e.connect + e.read + e.write + e.timeout, e.status))
end
