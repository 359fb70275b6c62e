-- Stand-ins for the frameworks the owner README's examples use: each one's server API with the shapes,
-- return values and events its own source has (shared/reference/frameworks.md: ESX Legacy
-- es_extended v1.13.5, qb-core v1.3.0, qbx_core v1.23.0), over one world of players the runner drives:
-- who is loaded, their (primary) job, the jobs they hold, what they were told.
-- The jobs that exist on this server (the runner sets them: the snippet's own, and one open to all).
local JOBS = {}
local world = { players = {}, notices = {} }

local function loaded(src)
  local p = world.players[tonumber(src)]
  if p and p.loaded then return p end
  return nil
end
local function byCitizenId(citizenid)
  for _, p in pairs(world.players) do
    if p.citizenid == citizenid and p.loaded then return p end
  end
  return nil
end
local function notice(src, text)
  table.insert(world.notices, { target = tonumber(src), text = tostring(text) })
end
local function setPrimary(p, job)
  p.jobs[p.job] = nil
  p.job = job
  p.jobs[job] = 0
end

-- ESX Legacy: exports.es_extended:getSharedObject(); xPlayer methods are called with a dot.
local function esxJob(p)
  return { id = 1, name = p.job, label = p.job, type = 'public', onDuty = p.job ~= 'unemployed', grade = 0, grade_name = 'recruit', grade_label = 'Recruit', grade_salary = 0 }
end
local function xPlayerOf(p)
  local xPlayer = { source = p.source, identifier = p.citizenid, job = esxJob(p) }
  function xPlayer.getJob() return esxJob(p) end
  function xPlayer.setJob(newJob, grade)
    -- player.lua: an unknown job or grade only prints a warning.
    if type(newJob) ~= 'string' or not JOBS[newJob] or tonumber(grade) == nil then
      print(('[es_extended] [WARNING] Ignoring invalid job for %s [job: %s, grade: %s]'):format(p.source, tostring(newJob), tostring(grade)))
      return
    end
    local lastJob = esxJob(p)
    setPrimary(p, newJob)
    xPlayer.job = esxJob(p)
    TriggerEvent('esx:setJob', p.source, esxJob(p), lastJob)
  end
  function xPlayer.showNotification(msg) notice(p.source, msg) end
  function xPlayer.getIdentifier() return p.citizenid end
  return xPlayer
end
local ESX = {
  GetPlayerFromId = function(src)
    local p = loaded(src)
    return p and xPlayerOf(p)
  end,
}
STANDINS.es_extended = { getSharedObject = function() return ESX end }

-- qb-core: exports['qb-core']:GetCoreObject(); Player.Functions.SetJob -> true, or false for an unknown job.
local function qbJob(p)
  return { name = p.job, label = p.job, onduty = p.job ~= 'unemployed', type = 'none', isboss = false, grade = { name = 'Recruit', level = 0, payment = 0, isboss = false } }
end
local function qbPlayerOf(p)
  local Player = { PlayerData = { source = p.source, citizenid = p.citizenid, job = qbJob(p) }, Functions = {} }
  function Player.Functions.SetJob(job, grade)
    if type(job) ~= 'string' or not JOBS[job] then return false end
    setPrimary(p, job)
    Player.PlayerData.job = qbJob(p)
    TriggerEvent('QBCore:Server:OnJobUpdate', p.source, qbJob(p))
    return true
  end
  return Player
end
local QBCore = {
  Functions = {
    GetPlayer = function(src)
      local p = loaded(src)
      return p and qbPlayerOf(p)
    end,
  },
}
STANDINS['qb-core'] = { GetCoreObject = function() return QBCore end }

-- qbx_core: no core object, its exports are the API; a player may hold several jobs (PlayerData.jobs).
local function qbxPlayerOf(p)
  local jobs = {}
  for name, grade in pairs(p.jobs) do jobs[name] = grade end
  return { PlayerData = { source = p.source, citizenid = p.citizenid, job = qbJob(p), jobs = jobs } }
end
STANDINS.qbx_core = {
  GetPlayer = function(src)
    local p = type(src) == 'string' and not tonumber(src) and byCitizenId(src) or loaded(src)
    return p and qbxPlayerOf(p)
  end,
  AddPlayerToJob = function(citizenid, jobName, grade)
    local p = byCitizenId(citizenid)
    if not p then return false, { code = 'player_not_found' } end
    if type(jobName) ~= 'string' or not JOBS[jobName] then return false, { code = 'job_not_found' } end
    p.jobs[jobName] = grade or 0
    TriggerEvent('qbx_core:server:onGroupUpdate', p.source, jobName, grade or 0)
    return true
  end,
  -- On the primary job it resets that to unemployed WITHOUT QBCore:Server:OnJobUpdate.
  RemovePlayerFromJob = function(citizenid, jobName)
    local p = byCitizenId(citizenid)
    if not p then return false, { code = 'player_not_found' } end
    if type(jobName) ~= 'string' or p.jobs[jobName] == nil then return false, { code = 'player_not_in_job' } end
    p.jobs[jobName] = nil
    if p.job == jobName then
      p.job = 'unemployed'
      p.jobs.unemployed = 0
    end
    TriggerEvent('qbx_core:server:onGroupUpdate', p.source, jobName, nil)
    return true
  end,
  Notify = function(src, text) notice(src, text) end,
}

-- The runner's side ----------------------------------------------------------------------------

function __world_reset(jobs)
  world = { players = {}, notices = {} }
  JOBS = { unemployed = true }
  for _, name in ipairs(jobs) do JOBS[name] = true end
end

function __world_add(src, citizenid, job)
  world.players[src] = { source = src, citizenid = citizenid, loaded = false, job = job, jobs = { [job] = 0 } }
end

-- A character loads: the framework's own login event.
function __world_login(framework, src)
  local p = world.players[src]
  p.loaded = true
  if framework == 'esx' then TriggerEvent('esx:playerLoaded', src, xPlayerOf(p), false)
  elseif framework == 'qbcore' then TriggerEvent('QBCore:Server:PlayerLoaded', qbPlayerOf(p))
  elseif framework == 'qbox' then TriggerEvent('QBCore:Server:PlayerLoaded', qbxPlayerOf(p)) end
end

-- Someone (an admin, a job centre, a boss menu) gives the player a job, through the framework's API.
function __world_give_job(framework, src, job)
  local p = world.players[src]
  if framework == 'esx' then xPlayerOf(p).setJob(job, 0)
  elseif framework == 'qbcore' then qbPlayerOf(p).Functions.SetJob(job, 0)
  elseif framework == 'qbox' then STANDINS.qbx_core.AddPlayerToJob(p.citizenid, job, 0) end
end

-- Each player's jobs (a list of names) and how many notices they got.
function __world_state()
  local out = {}
  for src, p in pairs(world.players) do
    local jobs = {}
    for name in pairs(p.jobs) do table.insert(jobs, name) end
    table.sort(jobs)
    local told = 0
    for _, n in ipairs(world.notices) do if n.target == src then told = told + 1 end end
    table.insert(out, { source = src, job = p.job, jobs = jobs, told = told })
  end
  return out
end

function __world_notice(src, text) notice(src, text) end
