-- One wrk script, the scenario chosen by TIM_BENCH_SCENARIO.
dofile(os.getenv("TIM_BENCH_DIR") .. "/report.lua")
local scenario = os.getenv("TIM_BENCH_SCENARIO")
local counter = 0
local threads = 0

-- Every wrk thread has its own Lua state with the same random sequence: number them.
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

request = function()
  counter = counter + 1
  local n = math.random(0, 99999)
  if scenario == "noop" then
    return wrk.format("GET", "/noop", headers)
  elseif scenario == "filter" then
    return wrk.format("GET", base .. "/Users?filter=userName+eq+%22bench-user-" .. n .. "%40example.com%22", headers)
  elseif scenario == "get" then
    return wrk.format("GET", base .. "/Users/bench-" .. n, headers)
  elseif scenario == "post" then
    local name = string.format("post-%d-%d-%d", os.time(), tid, counter)
    return wrk.format("POST", base .. "/Users", headers,
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],' ..
      '"externalId":"' .. name .. '","userName":"' .. name .. '@testuser.com","active":true,' ..
      '"emails":[{"primary":true,"type":"work","value":"' .. name .. '@testuser.com"}],"meta":{"resourceType":"User"},' ..
      '"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[]}')
  elseif scenario == "patch" then
    return wrk.format("PATCH", base .. "/Users/bench-" .. n, headers,
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}')
  elseif scenario == "group" then
    return wrk.format("GET", base .. "/Groups/bench-group?excludedAttributes=members", headers)
  elseif scenario == "page" or scenario == "page_alone" then
    return wrk.format("GET", base .. "/Users?startIndex=50000&count=100", headers)
  elseif scenario == "cursor_alone" then
    return wrk.format("GET", base .. "/Users?count=100&cursor=" .. os.getenv("TIM_BENCH_CURSOR"), headers)
  end
end
