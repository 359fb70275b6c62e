// ESX Legacy (es_extended): esx-framework/esx_core [core]/es_extended, v1.13.5.
// - the object: exports.es_extended:getSharedObject() (shared/main.lua:3); ESX.GetPlayerFromId (server/functions.lua:372)
// - events: esx:setJob (source, job, lastJob) (server/classes/player.lua:601), also for a duty change;
//   esx:playerLoaded (playerId, xPlayer, isNew) (server/main.lua:348)
// - removal: xPlayer.setJob(fallbackJob, fallbackGrade): two arguments, as 1.10 takes (1.11+ adds onDuty,
//   which then defaults, and is forced off for unemployed).
import { jobNamed, lazyObject, type AdapterFactory } from './framework';

export const esxAdapter: AdapterFactory = (host) => {
  const esx = lazyObject(() => host.callExport('es_extended', 'getSharedObject'));
  const xPlayer = (player: number) => esx.get().GetPlayerFromId(player) ?? null;
  return {
    name: 'esx',
    resource: 'es_extended',
    events: [
      { name: 'esx:setJob', player: (args) => args[0], jobs: (args) => jobNamed(args[1]?.name) },
      { name: 'esx:playerLoaded', player: (args) => args[0], jobs: (args) => jobNamed(args[1]?.job?.name) },
    ],
    held(player) {
      return jobNamed(xPlayer(player)?.job?.name);
    },
    remove(player, _job, fallback) {
      xPlayer(player)?.setJob(fallback.job, fallback.grade);
    },
    reset: esx.reset,
  };
};
