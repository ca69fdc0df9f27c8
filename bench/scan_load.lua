-- wrk script of bench/scan_load.py: POST scans with client ids unique per run, thread and request.
-- Environment: TOKEN (API token), CHECKPOINT (id), CODES (a file of QR texts), RUN (a run id).
local made = 0
function setup(thread)
  made = made + 1
  thread:set("tid", made)
end

local codes, counter, headers = {}, 0, nil
function init(args)
  for line in io.lines(os.getenv("CODES")) do codes[#codes + 1] = line end
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Token " .. os.getenv("TOKEN")}
end

function request()
  counter = counter + 1
  local code = codes[(counter * 7919 + tid * 104729) % #codes + 1]
  local temperature = "36." .. (counter % 8)
  if counter % 50 == 0 then temperature = "38.1" end
  local direction = (counter % 2 == 0) and "in" or "out"
  local body = string.format(
    '{"checkpoint":%s,"client_id":"%s-%d-%d","direction":"%s","code":"%s","temperature":"%s"}',
    os.getenv("CHECKPOINT"), os.getenv("RUN"), tid, counter, direction, code, temperature)
  return wrk.format("POST", nil, headers, body)
end
