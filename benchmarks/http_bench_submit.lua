-- wrk script for benchmarks/http_bench.sh: claims go round the approval cycle
-- through the API, every request a command that succeeds and is appended
-- durably before the answer:
--
--   Tier 1 approves (POST .../approve)     -> Awaiting Tier 2 Approval
--   Tier 2 returns it (POST .../return)     -> Returned for Amendment
--   the practice resubmits (POST .../submit) -> priced, routed, Awaiting Tier 1 again
--
-- so the load is successful submissions (pricing, validation, approval
-- routing) and both commissioner tiers' decisions. The claims file has one
-- line per claim: "claim_id tier1_token tier2_token provider_token"; the
-- benchmark's set-up chose claims whose window is open, so the cycle never
-- fails validation. Each wrk thread takes every Nth claim, and a claim has at
-- most one request in flight, so no two requests race on one claim.
--
--   wrk ... -s http_bench_submit.lua http://127.0.0.1:18080 -- CLAIMS_FILE THREADS

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local claims = {}  -- claim id -> {t1, t2, provider}
local ready = {}   -- {id, action} waiting to be sent
approved, returned, submitted, idle, failed = 0, 0, 0, 0, 0

local next_action = {
  ["Awaiting Tier 2 Approval"] = "return",
  ["Returned for Amendment"] = "submit",
  ["Awaiting Commissioning Organisation Approval"] = "approve",
}

function init(args)
  local n = tonumber(args[2])
  local i = 0
  for line in io.lines(args[1]) do
    local id, t1, t2, p = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    if id then
      if i % n == thread_id then
        claims[id] = { t1 = t1, t2 = t2, provider = p }
        table.insert(ready, { id = id, action = "approve" })
      end
      i = i + 1
    end
  end
end

local function post(path, token, body)
  return wrk.format("POST", path, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token },
                    body)
end

function request()
  local item = table.remove(ready, 1)
  if not item then
    idle = idle + 1  -- every claim has a request in flight
    return wrk.format("GET", "/healthz")
  end
  local c = claims[item.id]
  local path = "/api/v1/claims/" .. item.id .. "/" .. item.action
  if item.action == "approve" then return post(path, c.t1, "") end
  if item.action == "return" then return post(path, c.t2, '{"reason":"Please check the count against the register"}') end
  return post(path, c.provider, "")
end

function response(status, _, body)
  local id = body:match('"claim_id":%s*"([^"]+)"')
  local state = body:match('"status":%s*"([^"]+)"')
  if not id and body:find('"verified"', 1, true) then return end  -- the idle filler's /healthz
  if status ~= 200 or not id or not claims[id] or not next_action[state] then
    failed = failed + 1  -- a claim whose command failed leaves the cycle
    return
  end
  local action = next_action[state]
  if action == "return" then approved = approved + 1
  elseif action == "submit" then returned = returned + 1
  else submitted = submitted + 1 end
  table.insert(ready, { id = id, action = action })
end

function done(summary, _, _)
  local a, r, s, i, f = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("approved")
    r = r + t:get("returned")
    s = s + t:get("submitted")
    i = i + t:get("idle")
    f = f + t:get("failed")
  end
  io.write(string.format("tier 1 approvals %d, tier 2 returns %d, submissions %d, idle requests %d, failures %d\n",
                         a, r, s, i, f))
  io.write(string.format("commands %d\n", a + r + s))
  io.write(string.format("submissions %d\n", s))
  io.write(string.format("seconds %.3f\n", summary.duration / 1e6))
end
