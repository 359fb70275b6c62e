// es_extended stand-in: the server API of ESX Legacy as other resources use it, copied from
// esx-framework/esx_core v1.13.5 (commit c0260923), [core]/es_extended:
//   shared/main.lua:3             exports getSharedObject
//   server/functions.lua:372      ESX.GetPlayerFromId(source); :305 ESX.GetExtendedPlayers(key, value); :824 ESX.DoesJobExist(job, grade)
//   server/classes/player.lua:344 xPlayer.getJob(); :566-604 xPlayer.setJob(newJob, grade, onDuty): grade tostring'd,
//                                 an unknown job only prints a warning, unemployed forces onDuty false, onDuty defaults to
//                                 Config.DefaultJobDuty (true); TriggerEvent('esx:setJob', source, job, lastJob), the client
//                                 event, Player(source).state:set('job', job, true). 1.10.x: setJob(newJob, grade), no duty.
//   server/main.lua:348           TriggerEvent('esx:playerLoaded', playerId, xPlayer, isNew); :118 multicharacter
//                                 identifier `char<N>:<license without prefix>`.
// No duty-only event: a duty change is a setJob with the same job (player.lua:566).
import { luaReturns, luaTable } from '../lua-values';
import { JOB_DEFINITIONS, type FrameworkStandIn, type ResourceGlobals } from './common';

interface EsxJob { id: number; name: string; label: string; type: string; onDuty?: boolean; grade: number; grade_name: string; grade_label: string; grade_salary: number }

export function esxStandIn(options: { version?: '1.10' | '1.13'; multicharacter?: boolean } = {}): FrameworkStandIn {
  const version = options.version ?? '1.13';
  const players = new Map<number, { identifier: string; job: EsxJob }>();
  let g: ResourceGlobals;

  const doesJobExist = (job: string, grade: unknown) => JOB_DEFINITIONS[job]?.[Number(String(grade))] !== undefined && /^\d+$/.test(String(grade));
  const jobObject = (name: string, grade: number, onDuty: boolean): EsxJob => {
    const labels = JOB_DEFINITIONS[name]!;
    const job: EsxJob = { id: Object.keys(JOB_DEFINITIONS).indexOf(name) + 1, name, label: name[0]!.toUpperCase() + name.slice(1), type: name === 'unemployed' ? 'unemployed' : 'job', grade, grade_name: labels[grade]!.toLowerCase(), grade_label: labels[grade]!, grade_salary: 100 * grade };
    if (version !== '1.10') job.onDuty = onDuty;
    return job;
  };

  function setJob(src: number, newJob: string, gradeArg: unknown, onDutyArg?: unknown) {
    const player = players.get(src);
    if (!player) return luaReturns();
    const grade = String(gradeArg);
    const lastJob = player.job;
    if (!doesJobExist(newJob, grade)) {
      g.console.log(`[ESX] [WARNING] Ignoring invalid .setJob() usage for ID: ${src}, Job: ${newJob}`);
      return luaReturns();
    }
    let onDuty = version === '1.10' ? undefined : onDutyArg;
    if (newJob === 'unemployed') onDuty = false;
    if (typeof onDuty !== 'boolean') onDuty = true; // Config.DefaultJobDuty
    player.job = jobObject(newJob, Number(grade), onDuty as boolean);
    g.TriggerEvent('esx:setJob', src, luaTable(player.job), luaTable(lastJob));
    g.TriggerClientEvent('esx:setJob', src, luaTable(player.job), luaTable(lastJob));
    g.Player(src).state.set('job', luaTable(player.job), true);
    return luaReturns();
  }

  /** An xPlayer as it arrives in another runtime: a copy of its fields, its methods as references. */
  const xPlayer = (src: number) => {
    const player = players.get(src)!;
    return luaTable({
      source: src,
      identifier: player.identifier,
      job: player.job,
      getJob: () => luaTable(players.get(src)!.job),
      setJob: (job: string, grade: unknown, onDuty?: unknown) => setJob(src, job, grade, onDuty),
      showNotification: (message: string) => g.TriggerClientEvent('esx:showNotification', src, message),
    });
  };

  const ESX = {
    GetPlayerFromId: (src: unknown) => (players.has(Number(src)) ? xPlayer(Number(src)) : luaReturns()),
    GetExtendedPlayers: (key?: string, value?: string) =>
      [...players.keys()].filter((src) => key !== 'job' || players.get(src)!.job.name === value).map(xPlayer),
    DoesJobExist: (job: string, grade: unknown) => doesJobExist(job, grade),
  };

  return {
    resource: 'es_extended',
    main(globals) {
      g = globals;
      g.exports('getSharedObject', () => ESX);
      g.AddEventHandler('playerDropped', () => void players.delete(Number(g.source)));
    },
    login(src, job, grade = 0) {
      const license = String(g.GetPlayerIdentifierByType(String(src), 'license') ?? `license:${src}`).replace(/^license:/, '');
      const identifier = options.multicharacter === false ? license : `char1:${license}`;
      players.set(src, { identifier, job: jobObject(job, grade, job !== 'unemployed') });
      g.TriggerEvent('esx:playerLoaded', src, xPlayer(src), false);
    },
    adminSetJob: (src, job, grade = 0) => void setJob(src, job, grade),
    toggleDuty(src) {
      const job = players.get(src)?.job;
      if (job) setJob(src, job.name, job.grade, !(job.onDuty ?? true));
    },
    jobsOf: (src) => (players.has(src) ? [players.get(src)!.job.name] : null),
    hireResource: `const ESX = exports.es_extended.getSharedObject();
exports('hire', (src, job, grade) => { const xPlayer = ESX.GetPlayerFromId(src); if (xPlayer) xPlayer.setJob(job, grade); });`,
  };
}
