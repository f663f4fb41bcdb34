-- wrk script for bench/run.sh. Environment:
--   BENCH_SCENARIO  list | service | insert | embed | count | complete | mixed | append
--                   mixed: per user nine lists then one insert (90 % / 10 %);
--                   append: one interview_responses row into a pending session (pending.tsv)
--   BENCH_DELAY_MS  optional: each connection waits this long between requests (append: a
--                   transcript line every 100 ms per interview)
--   BENCH_DATA      folder with users.tsv (uid<TAB>token), anon.key, service.key and, for
--                   `complete`, pending.tsv (user index<TAB>session id)
-- Every request is prebuilt in init(); request() only rotates, so wrk's Lua costs the same
-- against every server. done() prints one `BENCH_RESULT key=value ...` line for run.sh.

local scenario = os.getenv("BENCH_SCENARIO") or "list"
local data = os.getenv("BENCH_DATA") or error("BENCH_DATA is not set")

local function read_lines(name)
  local t = {}
  for line in io.lines(data .. "/" .. name) do
    if #line > 0 then t[#t + 1] = line end
  end
  return t
end

local function fields(line)
  local t = {}
  for f in line:gmatch("[^\t]+") do t[#t + 1] = f end
  return t
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  threads[#threads + 1] = thread
end

local LIST = "/rest/v1/interview_sessions?select=*&order=created_at.desc&limit=10"

local requests = {}
local n = 0
wrapped = 0

local function full_row(uid, k)
  -- One full row, as the app's "start interview" insert sends it.
  return string.format(
    '{"user_id":"%s","title":"Bench insert %d","description":"A practice session created by the '
      .. 'insert benchmark, with five questions.","interview_type":"voice","status":"pending",'
      .. '"metadata":{"company":"Acme","role":"Backend Engineer","settings":{"voice":"alloy",'
      .. '"language":"en-US","timer":{"enabled":true,"seconds":1800}},"tags":["bench","insert"]},'
      .. '"questions":[{"id":1,"text":"Tell me about yourself.","category":"behavioral"},'
      .. '{"id":2,"text":"Design a rate limiter.","category":"system-design"},'
      .. '{"id":3,"text":"Reverse a linked list.","category":"coding"},'
      .. '{"id":4,"text":"A conflict you resolved?","category":"behavioral"},'
      .. '{"id":5,"text":"Why this company?","category":"culture"}]}',
    uid, k)
end

function init(args)
  local anon = read_lines("anon.key")[1]
  local service = read_lines("service.key")[1]
  local users = {}
  for _, line in ipairs(read_lines("users.tsv")) do
    local f = fields(line)
    users[#users + 1] = { uid = f[1], token = f[2] }
  end
  local tid = id or 0
  if scenario == "list" or scenario == "embed" or scenario == "count" then
    local path = LIST
    local extra = {}
    if scenario == "embed" then
      path = "/rest/v1/interview_sessions?select=*,interview_feedback(*)&order=created_at.desc&limit=10"
    elseif scenario == "count" then
      path = "/rest/v1/interview_sessions?select=id&status=eq.completed&limit=1"
      extra["Prefer"] = "count=exact"
    end
    for _, u in ipairs(users) do
      local h = { apikey = anon, Authorization = "Bearer " .. u.token }
      for k, v in pairs(extra) do h[k] = v end
      requests[#requests + 1] = wrk.format("GET", path, h)
    end
  elseif scenario == "service" then
    for _, u in ipairs(users) do
      local h = { apikey = service, Authorization = "Bearer " .. service }
      requests[#requests + 1] = wrk.format("GET", LIST .. "&user_id=eq." .. u.uid, h)
    end
  elseif scenario == "insert" then
    for i, u in ipairs(users) do
      local h = { apikey = anon, Authorization = "Bearer " .. u.token,
                  ["Content-Type"] = "application/json", Prefer = "return=representation" }
      requests[#requests + 1] = wrk.format("POST", "/rest/v1/interview_sessions", h, full_row(u.uid, i))
    end
  elseif scenario == "mixed" then
    for i, u in ipairs(users) do
      local get = { apikey = anon, Authorization = "Bearer " .. u.token }
      for _ = 1, 9 do requests[#requests + 1] = wrk.format("GET", LIST, get) end
      local post = { apikey = anon, Authorization = "Bearer " .. u.token,
                     ["Content-Type"] = "application/json", Prefer = "return=representation" }
      requests[#requests + 1] = wrk.format("POST", "/rest/v1/interview_sessions", post, full_row(u.uid, i))
    end
  elseif scenario == "append" then
    -- One utterance of a live interview, as the app appends it: into the user's own session.
    local lines = read_lines("pending.tsv")
    for k, line in ipairs(lines) do
      if k > 4000 then break end
      local f = fields(line)
      local u = users[tonumber(f[1]) + 1]
      local h = { apikey = anon, Authorization = "Bearer " .. u.token,
                  ["Content-Type"] = "application/json", Prefer = "return=minimal" }
      local body = string.format('{"interview_id":"%s","role":"user","content":"I would start by '
        .. 'clarifying the requirements, then sketch the data model and the API.","stage":"answer",'
        .. '"confidence":0.92,"sequence_number":%d}', f[2], k)
      requests[#requests + 1] = wrk.format("POST", "/rest/v1/interview_responses", h, body)
    end
  elseif scenario == "complete" then
    -- Each thread takes its own share of the pending sessions, so no session is completed twice.
    local lines = read_lines("pending.tsv")
    for k, line in ipairs(lines) do
      if (k - 1) % 2 == tid % 2 then
        local f = fields(line)
        local u = users[tonumber(f[1]) + 1]
        local h = { apikey = anon, Authorization = "Bearer " .. u.token,
                    ["Content-Type"] = "application/json" }
        local score = 60 + (k % 40)
        local body = string.format('{"status":"completed","overall_score":%d.5,'
          .. '"completed_at":"2025-06-02T10:00:00+00:00","duration_minutes":30}', score)
        requests[#requests + 1] = wrk.format("PATCH", "/rest/v1/interview_sessions?id=eq." .. f[2], h, body)
      end
    end
  else
    error("unknown BENCH_SCENARIO " .. scenario)
  end
  -- Threads start at different users.
  n = (tid * 37) % #requests
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if delay_ms then
  function delay() return delay_ms end
end

function request()
  n = n + 1
  if n > #requests then
    n = 1
    wrapped = wrapped + 1
  end
  return requests[n]
end

function done(summary, latency, requests_)
  local secs = summary.duration / 1e6
  local e = summary.errors
  local wraps = 0
  for _, t in ipairs(threads) do wraps = wraps + (t:get("wrapped") or 0) end
  io.write(string.format(
    "BENCH_RESULT scenario=%s requests=%d rps=%.0f mean_ms=%.2f p50_ms=%.2f p90_ms=%.2f "
      .. "p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d wrapped=%d connect_errors=%d "
      .. "read_errors=%d write_errors=%d timeouts=%d\n",
    scenario, summary.requests, summary.requests / secs, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout, wraps, e.connect,
    e.read, e.write, e.timeout))
end
