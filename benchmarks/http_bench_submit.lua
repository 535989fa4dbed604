-- wrk script for benchmarks/http_bench.sh: each connection creates a claim
-- draft (POST /api/v1/claims) and then submits it (POST .../submit), over and
-- over. Every request is one command decided and appended durably (a draft
-- is ClaimDrafted + ClaimKeyReserved; a submission is ClaimSubmitted, or
-- ClaimSubmissionFailed recorded with its errors when the period's claim
-- window is not open). Drafts use distinct far-future monthly periods so that
-- no two claims share a provider/service/period key.
--
--   wrk ... -s http_bench_submit.lua http://127.0.0.1:18080 -- TOKEN SERVICE_ID

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local token, service
local queue = {}
local counter = 0
created, submitted, refused, failed = 0, 0, 0, 0

function init(args)
  token = args[1]
  service = args[2]
end

local function headers()
  return { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

function request()
  if #queue > 0 then
    local id = table.remove(queue, 1)
    return wrk.format("POST", "/api/v1/claims/" .. id .. "/submit", headers(), "")
  end
  counter = counter + 1
  local n = thread_id * 12000 + counter
  local period = string.format("%04d-%02d", 2200 + math.floor(n / 12), n % 12 + 1)
  local body = '{"service_id":"' .. service .. '","period":"' .. period .. '"}'
  return wrk.format("POST", "/api/v1/claims", headers(), body)
end

function response(status, _, body)
  if status == 201 then
    local id = body:match('"claim_id":"([^"]+)"')
    if id then
      created = created + 1
      table.insert(queue, id)
      return
    end
  end
  if status == 200 then
    submitted = submitted + 1
  elseif status == 422 then
    refused = refused + 1  -- a submission that failed validation: the attempt is recorded
  else
    failed = failed + 1
  end
end

function done(summary, _, _)
  local c, s, r, f = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    s = s + t:get("submitted")
    r = r + t:get("refused")
    f = f + t:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("drafts created %d, submitted %d, submissions recorded as failed %d, errors %d\n", c, s, r, f))
  io.write(string.format("commands %d\n", c + s + r))
  io.write(string.format("seconds %.3f\n", seconds))
end
