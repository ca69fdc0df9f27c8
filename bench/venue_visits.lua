-- wrk script of bench/venue_visits.py: POST the public venue-code form, each request a new
-- visitor (a phone unique per run, thread and request) behind the reverse proxy (X-Forwarded-For).
-- Environment: VENUE_PATH (/v/<token>/), COOKIE (csrftoken=…), CSRF (the form's token),
-- PREFIX (three digits of a mobile prefix, one per run).
local made = 0
function setup(thread)
  made = made + 1
  thread:set("tid", made)
end

local counter, headers = 0, nil
function init(args)
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = os.getenv("COOKIE"),
  }
end

function request()
  counter = counter + 1
  local phone = string.format("%s%d%07d", os.getenv("PREFIX"), tid, counter)
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", tid, math.floor(counter / 250) % 250, counter % 250 + 1)
  local body = "csrfmiddlewaretoken=" .. os.getenv("CSRF") .. "&phone=" .. phone
  return wrk.format("POST", os.getenv("VENUE_PATH"), headers, body)
end
