-- The wrk side of bench/ingest.py's --driver wrk: one simulated shopper per wrk thread
-- (wrk -t N -c N, so one connection at a time each), run as `wrk ... -s ingest.lua URL -- FOLDER LIMIT BURST`.
-- Thread i reads FOLDER/<i>.http, written by bench/load.py: the shopper's headers ("Name: value"
-- lines), an empty line, then one request per line: method, path, reports it carries, body
-- (tab-separated; JSON bodies have no raw tabs or newlines). It sends them in order, counts
-- what comes back the way load.run_phase does, and after its last answer (or at the phase's
-- time LIMIT, in seconds: nothing new is sent after it, as in run_phase) writes "finished" to
-- stderr and stops; ingest.py then interrupts wrk (whose main thread otherwise sleeps for all
-- of -d), and done() prints the totals as one JSON line. Every BURST-th request (0: none) asks the
-- server to close the connection after answering ("Connection: close"), and wrk connects again for the
-- next: a phone keeps its connection for one burst of sending, not for ever.
--
-- Latency is timed here (request() to response(), monotonic clock) rather than taken from
-- wrk's histogram: wrk 4.1 "corrects" that for coordinated omission before done() sees it,
-- adding samples no request had, so its percentiles would not match the Python driver's.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local clock = ffi.new("bench_timespec")
local function now_us()
   ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
   return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local threads = {}

function setup(thread) -- in wrk's main Lua state, once per thread before it starts
   table.insert(threads, thread)
   thread:set("index", #threads)
end

function init(args) -- in the thread's own Lua state, with the arguments after "--"
   local file = args[1] .. "/" .. index .. ".http"
   deadline = now_us() + tonumber(args[2]) * 1e6
   local burst = tonumber(args[3] or "0")
   requests, reports, syncs = {}, {}, {}
   latencies, statuses, submissions = {}, {}, 0
   answered, finished = 0, false
   local headers, lines = {}, {}
   for line in io.lines(file) do
      local name, value = line:match("^([^:\t]+): (.*)$")
      local method, path, count, body = line:match("^(%u+)\t(%S+)\t(%d+)\t(.*)$")
      if method then
         lines[#lines + 1] = {method, path, tonumber(count), body}
      elseif name then
         headers[name] = value
      end
   end
   local closing = {Connection = "close"}
   for header, text in pairs(headers) do closing[header] = text end
   for n, entry in ipairs(lines) do
      local method, path, count, body = entry[1], entry[2], entry[3], entry[4]
      -- A burst's last request asks the server to close, and wrk connects anew for the next; not the
      -- thread's very last, whose new connection no request would follow: gthread gives a new connection
      -- a thread to wait for its request on, which would stall that worker until its timeout.
      local last_of_burst = burst > 0 and n % burst == 0 and n < #lines
      requests[n] = wrk.format(method, path, last_of_burst and closing or headers, body ~= "" and body or nil)
      reports[n] = count
      syncs[n] = method == "POST" and path == "/api/v1/sync"
   end
end

local function tally(status, n)
   statuses[status] = (statuses[status] or 0) + n
end

local function finish()
   if not finished then
      finished = true
      io.stderr:write("finished\n")
      wrk.thread:stop() -- takes effect once this response is counted
   end
end

-- The next request is the first one not answered yet: wrk calls request() once more on the
-- first thread, to check the script, before anything is sent; and a request lost to a
-- socket error is sent again on the new connection (run_phase too tries once more).
function request()
   started = now_us()
   if started > deadline then -- the time limit: stop; the thread ends before this filler is answered
      finish()
      return wrk.format("GET", "/healthz")
   end
   return requests[answered + 1]
end

function response(status, headers, body)
   latencies[#latencies + 1] = now_us() - started
   answered = answered + 1
   if syncs[answered] and status == 200 then
      -- per item, as run_phase: each of results[*] has a numeric "status" (the submission
      -- inside it has none); a count that is not the batch's size is reported, not guessed
      local found = select(2, body:gsub('"status":%s*%d+', ""))
      if found == reports[answered] then
         for code in body:gmatch('"status":%s*(%d+)') do
            tally(tonumber(code), 1)
            if code == "200" or code == "201" then submissions = submissions + 1 end
         end
      else
         tally("sync answer with " .. found .. " statuses for " .. reports[answered] .. " reports", 1)
      end
   else
      tally(status, 1)
      if status == 200 or status == 201 then submissions = submissions + reports[answered] end
   end
   if answered == #requests then finish() end
end

function done(summary, latency, per_thread)
   local all, counts, stored = {}, {}, 0
   for _, thread in ipairs(threads) do
      for _, value in ipairs(thread:get("latencies")) do all[#all + 1] = value end
      for status, n in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + n end
      stored = stored + thread:get("submissions")
   end
   for kind, n in pairs(summary.errors) do -- socket errors; "status" (>= 400) is counted above
      if kind ~= "status" and n > 0 then counts["wrk " .. kind .. " error"] = n end
   end
   table.sort(all)
   local function ms(p) -- as run_phase: the sample at int(p * n), in ms
      return #all > 0 and string.format("%.1f", all[math.min(#all, math.floor(p * #all) + 1)] / 1000) or "null"
   end
   local fields = {}
   for status, n in pairs(counts) do fields[#fields + 1] = string.format('"%s": %d', status, n) end
   print(string.format('{"requests": %d, "submissions": %d, "p50_ms": %s, "p95_ms": %s, "max_ms": %s, '
      .. '"statuses": {%s}}', #all, stored, ms(0.50), ms(0.95), ms(1.0), table.concat(fields, ", ")))
end
