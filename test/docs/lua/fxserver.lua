-- The globals of FXServer's Lua runtime that owner snippets use, as citizenfx/fivem
-- data/shared/citizen/scripting/lua/scheduler.lua defines them, over a few host functions the test
-- runner sets (__listen, __has_export, __call_export, __script_error, __host_*). Exports of other
-- resources come from the emulator (the built sonoran_accounts); framework resources from STANDINS.

STANDINS = {}
local handlers = {}

-- AddEventHandler: handlers per event name; the runner forwards every name from the emulator.
function AddEventHandler(eventName, eventRoutine)
  if not handlers[eventName] then
    handlers[eventName] = {}
    __listen(eventName)
  end
  table.insert(handlers[eventName], eventRoutine)
  return { key = #handlers[eventName], name = eventName }
end

-- Runs each handler of `eventName` with `source` set as Citizen.SetEventRoutine sets it; an error is a
-- SCRIPT ERROR (recorded by the runner), the other handlers still run.
function __dispatch(eventName, eventSource, ...)
  local list = handlers[eventName]
  if not list then return end
  local lastSource = source
  source = eventSource
  for _, fn in ipairs(list) do
    local ok, err = xpcall(fn, debug.traceback, ...)
    if not ok then __script_error(('event %s'):format(eventName), err) end
  end
  source = lastSource
end

-- A server-local event from this runtime (the stand-in frameworks raise theirs this way).
function TriggerEvent(eventName, ...)
  __dispatch(eventName, '', ...)
end

-- scheduler.lua "exports compatibility": exports.res:fn(...) and exports['res']:fn(...) call with self
-- first, which is dropped: exports.res.fn(a, b) therefore loses `a`, as on a real server.
exports = setmetatable({}, {
  __index = function(_, resource)
    return setmetatable({}, {
      __index = function(_, name)
        if not name or type(name) ~= 'string' then
          error('Invalid export name: ' .. tostring(name), 2)
        end
        local fn
        local standin = STANDINS[resource]
        if standin then
          fn = standin[name]
        elseif __has_export(resource, name) then
          fn = function(...) return __call_export(resource, name, ...) end
        end
        if not fn then
          error('No such export ' .. name .. ' in resource ' .. resource, 2)
        end
        return function(self, ...)
          local result = table.pack(pcall(fn, ...))
          if not result[1] then
            error(('\n^5 An error occurred while calling export `%s` in resource `%s`:\n%s\n^5 ---'):format(name, resource, tostring(result[2])), 2)
          end
          return table.unpack(result, 2, result.n)
        end
      end,
      __newindex = function() error('cannot set values on an export resource', 2) end,
    })
  end,
  __newindex = function() error('cannot set values on exports', 2) end,
})

function RegisterCommand(commandName, handler, restricted)
  __host_register_command(commandName, handler, restricted == true)
end

-- Client events a player sees as a message (chat, the frameworks' notifications) count as telling them.
local NOTICES = { ['chat:addMessage'] = true, ['QBCore:Notify'] = true, ['esx:showNotification'] = true, ['ox_lib:notify'] = true }
function TriggerClientEvent(eventName, target, ...)
  __host_client_event(eventName, target, ...)
  if NOTICES[eventName] and __world_notice then __world_notice(target, (...)) end
end

function GetPlayers() return __host_players() end
function GetPlayerName(player) return __host_player_name(tonumber(player)) end
function IsPlayerAceAllowed(player, object) return __host_ace(tonumber(player), object) end
function GetCurrentResourceName() return 'owner_snippet' end
