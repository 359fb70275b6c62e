// qbx_core stand-in: the server API of Qbox as other resources use it, copied from Qbox-project/qbx_core
// v1.23.0 (commit 959b77b6):
//   server/player.lua:6-8     convars qbx:max_jobs_per_player (1), qbx:setjob_replaces ('true')
//   server/player.lua:147     SetJob(identifier, jobName, grade): false (and a printed error) for an unknown job or grade;
//                             with setjob_replaces, RemovePlayerFromJob(current primary) first; AddPlayerToJob unless
//                             unemployed; then SetPlayerPrimaryJob
//   server/player.lua:196     SetJobDuty(identifier, onDuty): TriggerEvent('QBCore:Server:SetDuty', src, onduty); no OnJobUpdate
//   server/player.lua:238     SetPlayerPrimaryJob(citizenid, jobName): false, {code='player_not_in_job'} unless held;
//                             TriggerEvent('QBCore:Server:OnJobUpdate', src, job) (:266)
//   server/player.lua:281     AddPlayerToJob(citizenid, jobName, grade): max_jobs; TriggerEvent('qbx_core:server:onGroupUpdate',
//                             src, jobName, grade) (:326); re-primaries the job when it is the primary one
//   server/player.lua:344     RemovePlayerFromJob(citizenid, jobName): the primary job becomes unemployed WITHOUT OnJobUpdate;
//                             TriggerEvent('qbx_core:server:onGroupUpdate', src, jobName) with no grade (:373)
//   server/player.lua:1064    TriggerEvent('QBCore:Server:PlayerLoaded', self) at login
//   server/functions.lua:86   GetPlayer(source | identifier)
//   PlayerData.jobs = { [name] = grade } (grades keyed by integer); several return values as Lua returns them.
import { luaReturns, luaReturnValues, luaTable } from '../lua-values';
import { JOB_DEFINITIONS, type FrameworkStandIn, type ResourceGlobals } from './common';

interface QbxJob { name: string; label: string; isboss: boolean; onduty: boolean; payment: number; type: string; grade: { name: string; level: number } }
interface QbxPlayerData { source: number; citizenid: string; license: string; job: QbxJob; jobs: Record<string, number> }

let citizenSeq = 0;

export function qboxStandIn(): FrameworkStandIn {
  const players = new Map<number, QbxPlayerData>();
  let g: ResourceGlobals;
  const convar = (name: string, fallback: string) => String(g.GetConvar(name, fallback));

  const toPlayerJob = (name: string, grade: number): QbxJob => ({
    name, label: name, isboss: grade === JOB_DEFINITIONS[name]!.length - 1, onduty: false, payment: 50, type: 'none', grade: { name: JOB_DEFINITIONS[name]![grade]!, level: grade },
  });
  const byCitizenId = (cid: unknown) => [...players.values()].find((p) => p.citizenid === cid);
  const resolve = (identifier: unknown) => (typeof identifier === 'number' || /^\d+$/.test(String(identifier)) ? players.get(Number(identifier)) : byCitizenId(identifier));
  const notFound = (cid: unknown) => luaReturns(false, { code: 'player_not_found', message: `player not found with citizenid ${cid}` });

  function setPlayerPrimaryJob(cid: string, jobName: string) {
    const player = byCitizenId(cid);
    if (!player) return notFound(cid);
    const grade = jobName === 'unemployed' ? 0 : player.jobs[jobName];
    if (grade === undefined) return luaReturns(false, { code: 'player_not_in_job', message: `player ${cid} does not have job ${jobName}` });
    player.job = toPlayerJob(jobName, grade);
    g.TriggerEvent('QBCore:Server:OnJobUpdate', player.source, luaTable(player.job));
    g.TriggerClientEvent('QBCore:Client:OnJobUpdate', player.source, luaTable(player.job));
    return luaReturns(true);
  }

  function addPlayerToJob(cid: string, jobArg: string, gradeArg?: unknown) {
    const jobName = String(jobArg).toLowerCase();
    const grade = Number(gradeArg ?? 0) || 0;
    if (jobName === 'unemployed') return luaReturns(false, { code: 'unemployed', message: 'players cannot be added to the unemployed job' });
    if (!JOB_DEFINITIONS[jobName]) return luaReturns(false, { code: 'job_not_found', message: `${jobName} does not exist` });
    if (JOB_DEFINITIONS[jobName]![grade] === undefined) return luaReturns(false, { code: 'job_missing_grade', message: `job ${jobName} does not have grade ${grade}` });
    const player = byCitizenId(cid);
    if (!player) return notFound(cid);
    if (player.jobs[jobName] === grade) return luaReturns(true);
    const max = Number.parseInt(convar('qbx:max_jobs_per_player', '1'), 10);
    if (Object.keys(player.jobs).length >= max && player.jobs[jobName] === undefined) {
      return luaReturns(false, { code: 'max_jobs', message: 'player already has maximum amount of jobs allowed' });
    }
    player.jobs[jobName] = grade;
    g.TriggerEvent('qbx_core:server:onGroupUpdate', player.source, jobName, grade);
    g.TriggerClientEvent('qbx_core:client:onGroupUpdate', player.source, jobName, grade);
    if (player.job.name === jobName) setPlayerPrimaryJob(cid, jobName);
    return luaReturns(true);
  }

  function removePlayerFromJob(cid: string, jobName: string) {
    if (jobName === 'unemployed') return luaReturns(false, { code: 'unemployed', message: 'players cannot be removed from the unemployed job' });
    const player = byCitizenId(cid);
    if (!player) return notFound(cid);
    if (player.jobs[jobName] === undefined) return luaReturns(true);
    delete player.jobs[jobName];
    if (player.job.name === jobName) player.job = toPlayerJob('unemployed', 0); // saved, no OnJobUpdate
    g.TriggerEvent('qbx_core:server:onGroupUpdate', player.source, jobName);
    g.TriggerClientEvent('qbx_core:client:onGroupUpdate', player.source, jobName);
    return luaReturns(true);
  }

  function setJob(identifier: unknown, jobArg: string, gradeArg?: unknown) {
    const jobName = String(jobArg).toLowerCase();
    const grade = Number(gradeArg ?? 0) || 0;
    if (!JOB_DEFINITIONS[jobName]) {
      g.console.log(`cannot set job. Job ${jobName} does not exist`);
      return luaReturns(false);
    }
    if (JOB_DEFINITIONS[jobName]![grade] === undefined) {
      g.console.log(`cannot set job. Job ${jobName} does not have grade ${grade}`);
      return luaReturns(false);
    }
    const player = resolve(identifier);
    if (!player) return luaReturns(false);
    if (convar('qbx:setjob_replaces', 'true') === 'true' && player.job.name !== 'unemployed') {
      const [ok, err] = luaReturnValues(removePlayerFromJob(player.citizenid, player.job.name))!;
      if (!ok) return luaReturns(false, err);
    }
    if (jobName !== 'unemployed') {
      const [ok, err] = luaReturnValues(addPlayerToJob(player.citizenid, jobName, grade))!;
      if (!ok) return luaReturns(false, err);
    }
    return setPlayerPrimaryJob(player.citizenid, jobName);
  }

  function setJobDuty(identifier: unknown, onDuty: unknown) {
    const player = resolve(identifier);
    if (!player) return luaReturns();
    player.job.onduty = Boolean(onDuty);
    g.TriggerEvent('QBCore:Server:SetDuty', player.source, player.job.onduty);
    g.TriggerClientEvent('QBCore:Client:SetDuty', player.source, player.job.onduty);
    return luaReturns();
  }

  const playerTable = (data: QbxPlayerData) => luaTable({ PlayerData: data, Offline: false });

  return {
    resource: 'qbx_core',
    main(globals) {
      g = globals;
      g.exports('GetPlayer', (id: unknown) => {
        const player = resolve(id);
        return player ? playerTable(player) : luaReturns();
      });
      g.exports('SetJob', setJob);
      g.exports('SetJobDuty', setJobDuty);
      g.exports('SetPlayerPrimaryJob', setPlayerPrimaryJob);
      g.exports('AddPlayerToJob', addPlayerToJob);
      g.exports('RemovePlayerFromJob', removePlayerFromJob);
      g.AddEventHandler('playerDropped', () => void players.delete(Number(g.source)));
    },
    login(src, job, grade = 0) {
      const data: QbxPlayerData = {
        source: src,
        citizenid: `QBX${String(++citizenSeq).padStart(5, '0')}`,
        license: String(g.GetPlayerIdentifierByType(String(src), 'license') ?? `license:${src}`),
        job: toPlayerJob(job, job === 'unemployed' ? 0 : grade),
        jobs: job === 'unemployed' ? {} : { [job]: grade },
      };
      players.set(src, data);
      g.TriggerEvent('QBCore:Server:PlayerLoaded', playerTable(data));
    },
    adminSetJob: (src, job, grade = 0) => void setJob(src, job, grade),
    toggleDuty(src) {
      const player = players.get(src);
      if (player) setJobDuty(src, !player.job.onduty);
    },
    jobsOf(src) {
      const player = players.get(src);
      if (!player) return null;
      const held = Object.keys(player.jobs).filter((j) => j !== player.job.name);
      return [player.job.name, ...held];
    },
    hireResource: `exports('hire', (src, job, grade) => exports.qbx_core.SetJob(src, job, grade));
exports('addJob', (src, job, grade) => exports.qbx_core.AddPlayerToJob(exports.qbx_core.GetPlayer(src).PlayerData.citizenid, job, grade));
exports('fire', (src, job) => exports.qbx_core.RemovePlayerFromJob(exports.qbx_core.GetPlayer(src).PlayerData.citizenid, job));`,
  };
}
