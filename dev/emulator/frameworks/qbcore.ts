// qb-core stand-in: the server API of QBCore as other resources use it, copied from
// qbcore-framework/qb-core v1.3.0 (commit 37d3b848):
//   exports['qb-core']:GetCoreObject(); server/functions.lua:46 QBCore.Functions.GetPlayer(source), GetPlayerByCitizenId
//   server/player.lua:22-46       Player.new: Functions = closures over the player (buildMethodTable), so they are
//                                 called with a dot: Player.Functions.SetJob(job, grade)
//   server/player.lua:53-63       UpdateClient(key, val): TriggerEvent('QBCore:Server:OnPlayerUpdated', src, key, val);
//                                 without a key: 'QBCore:Player:SetPlayerData' and OnPlayerUpdated(src, 'all', PlayerData)
//   server/player.lua:66-95       SetJob(job, grade): lower-cased, false for an unknown job, an unknown grade stays level 0;
//                                 onduty = the job's defaultDuty; UpdateClient('job', job); returns true
//   server/player.lua:137         SetJobDuty(onDuty): UpdateClient('job', job)
//   server/player.lua:452-460     CreatePlayer: TriggerEvent('QBCore:Server:PlayerLoaded', player), then UpdateClient()
//   server/events.lua:177-191     net event QBCore:ToggleDuty: SetJobDuty(not onduty), TriggerEvent('QBCore:Server:SetDuty', src, onduty)
//   server/events.lua:199-208     OnPlayerUpdated re-fires 'QBCore:Server:OnJobUpdate' (src, job) for key 'job' and 'all':
//                                 so a duty toggle and a login fire OnJobUpdate too.
import { luaReturns, luaTable } from '../lua-values';
import { JOB_DEFINITIONS, type FrameworkStandIn, type ResourceGlobals } from './common';

interface QbJob { name: string; label: string; onduty: boolean; type: string; isboss: boolean; grade: { name: string; level: number; payment: number; isboss: boolean } }
interface QbPlayerData { source: number; citizenid: string; license: string; job: QbJob }

let citizenSeq = 0;

export function qbcoreStandIn(): FrameworkStandIn {
  const players = new Map<number, QbPlayerData>();
  let g: ResourceGlobals;

  const updateClient = (data: QbPlayerData, key?: string, val?: unknown) => {
    if (key !== undefined) {
      g.TriggerEvent('QBCore:Server:OnPlayerUpdated', data.source, key, luaTable(val));
      g.TriggerClientEvent('QBCore:Client:OnPlayerUpdated', data.source, key, luaTable(val));
    } else {
      g.TriggerEvent('QBCore:Player:SetPlayerData', luaTable(data));
      g.TriggerEvent('QBCore:Server:OnPlayerUpdated', data.source, 'all', luaTable(data));
      g.TriggerClientEvent('QBCore:Client:OnPlayerUpdated', data.source, 'all', luaTable(data));
    }
  };

  /** `loading`: LoadPlayer building PlayerData from the database, which fires nothing. */
  function setJob(data: QbPlayerData, jobArg: string, gradeArg: unknown = '0', loading = false) {
    const job = String(jobArg).toLowerCase();
    const def = JOB_DEFINITIONS[job];
    if (!def) return false;
    data.job = { name: job, label: job, onduty: true, type: 'none', isboss: false, grade: { name: 'No Grades', level: 0, payment: 30, isboss: false } };
    const gradeKey = String(gradeArg);
    const level = /^\d+$/.test(gradeKey) ? Number(gradeKey) : -1;
    if (def[level] !== undefined) {
      data.job.grade = { name: def[level]!, level, payment: 50 * (level + 1), isboss: level === def.length - 1 };
      data.job.isboss = data.job.grade.isboss;
    }
    if (!loading) updateClient(data, 'job', data.job);
    return true;
  }
  const setJobDuty = (data: QbPlayerData, onDuty: unknown) => {
    data.job.onduty = Boolean(onDuty);
    updateClient(data, 'job', data.job);
  };
  const toggleDuty = (src: number) => {
    const data = players.get(src);
    if (!data) return;
    setJobDuty(data, !data.job.onduty);
    g.TriggerEvent('QBCore:Server:SetDuty', src, data.job.onduty);
  };

  /** A Player as it arrives in another runtime: PlayerData copied, Functions as references. */
  const playerTable = (data: QbPlayerData) =>
    luaTable({
      PlayerData: data,
      Offline: false,
      Functions: {
        SetJob: (job: string, grade?: unknown) => setJob(data, job, grade),
        SetJobDuty: (onDuty: unknown) => luaReturns(setJobDuty(data, onDuty)),
        GetPlayerData: () => luaTable(data),
        UpdatePlayerData: () => luaReturns(updateClient(data)),
      },
    });

  const QBCore = {
    Functions: {
      GetPlayer: (src: unknown) => (players.has(Number(src)) ? playerTable(players.get(Number(src))!) : luaReturns()),
      GetPlayerByCitizenId: (cid: string) => {
        const data = [...players.values()].find((p) => p.citizenid === cid);
        return data ? playerTable(data) : luaReturns();
      },
    },
    Shared: { Jobs: Object.fromEntries(Object.entries(JOB_DEFINITIONS).map(([name, grades]) => [name, { label: name, defaultDuty: true, grades: Object.fromEntries(grades.map((n, i) => [String(i), { name: n, payment: 50 }])) }])) },
  };

  return {
    resource: 'qb-core',
    main(globals) {
      g = globals;
      g.exports('GetCoreObject', () => QBCore);
      g.AddEventHandler('QBCore:Server:OnPlayerUpdated', (src: number, key: string, val: any) => {
        if (key === 'job') g.TriggerEvent('QBCore:Server:OnJobUpdate', src, val);
        else if (key === 'all') g.TriggerEvent('QBCore:Server:OnJobUpdate', src, val.job);
      });
      g.RegisterNetEvent('QBCore:ToggleDuty');
      g.AddEventHandler('QBCore:ToggleDuty', () => toggleDuty(Number(g.source)));
      g.AddEventHandler('playerDropped', () => void players.delete(Number(g.source)));
    },
    login(src, job, grade = 0) {
      const data: QbPlayerData = { source: src, citizenid: `QB${String(++citizenSeq).padStart(5, '0')}`, license: String(g.GetPlayerIdentifierByType(String(src), 'license') ?? `license:${src}`), job: { name: 'unemployed' } as QbJob };
      players.set(src, data);
      setJob(data, job, grade, true);
      g.TriggerEvent('QBCore:Server:PlayerLoaded', playerTable(data));
      updateClient(data);
    },
    adminSetJob(src, job, grade = 0) {
      const data = players.get(src);
      if (data) setJob(data, job, grade);
    },
    /** What the client event QBCore:ToggleDuty does (a test may also send that net event). */
    toggleDuty,
    jobsOf: (src) => (players.has(src) ? [players.get(src)!.job.name] : null),
    hireResource: `const QBCore = exports['qb-core'].GetCoreObject();
exports('hire', (src, job, grade) => { const Player = QBCore.Functions.GetPlayer(src); return Player ? Player.Functions.SetJob(job, grade) : false; });`,
  };
}
