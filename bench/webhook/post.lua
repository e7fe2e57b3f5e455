-- wrk script: POSTs pre-signed, unique api-channel webhooks.
-- Usage: wrk -t T ... -s post.lua URL -- BODIES_FILE T [PATH] [HEADER]
--   BODIES_FILE  lines "sha256=<hex>\t<json body>" (make_signed_bodies.py)
--   T            the same thread count as -t: thread i takes lines i, i+T, ...
--   PATH         default /webhooks/demo
--   HEADER       the signature header, default X-Switchboard-Signature
--                (Messenger: X-Hub-Signature-256)
-- Each thread walks its own share once; past its end it starts again (the
-- host then answers duplicates) and done() says how many requests that was.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Globals, so done() can read them with thread:get().
requests = {}
count = 0
index = 0
wrapped = 0

function init(args)
  local file = args[1] or error("post.lua: give the bodies file after --")
  local thread_count = tonumber(args[2] or "1")
  local path = args[3] or "/webhooks/demo"
  local signature_header = args[4] or "X-Switchboard-Signature"
  local line_number = 0
  for line in io.lines(file) do
    if line_number % thread_count == id then
      local tab = line:find("\t", 1, true)
      local headers = {
        ["Content-Type"] = "application/json",
        [signature_header] = line:sub(1, tab - 1),
      }
      count = count + 1
      requests[count] = wrk.format("POST", path, headers, line:sub(tab + 1))
    end
    line_number = line_number + 1
  end
  if count == 0 then error("post.lua: no bodies for thread " .. id) end
end

function request()
  index = index + 1
  if index > count then
    index = 1
    wrapped = wrapped + 1
  end
  return requests[index]
end

function done(summary, latency, _)
  -- Requests past each thread's unique bodies: the host saw them as duplicates.
  local repeated = 0
  for _, thread in ipairs(threads) do
    local sent = thread:get("wrapped") * thread:get("count") + thread:get("index")
    repeated = repeated + math.max(0, sent - thread:get("count"))
  end
  local errors = summary.errors
  local non_2xx_or_io = errors.connect + errors.read + errors.write + errors.status + errors.timeout
  io.write(string.format(
    "SBBENCH requests=%d duration_s=%.2f req_per_s=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "errors=%d repeated_bodies=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non_2xx_or_io, repeated))
end
