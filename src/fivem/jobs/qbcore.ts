// QBCore (qb-core): qbcore-framework/qb-core v1.3.0.
// - the object: exports['qb-core']:GetCoreObject(); QBCore.Functions.GetPlayer(src) (server/functions.lua:46);
//   Player.Functions are closures over the player, called with a dot (server/player.lua:22-46)
// - events: QBCore:Server:OnJobUpdate (src, job), re-fired from OnPlayerUpdated for 'job' and 'all'
//   (server/events.lua:199-208): a job change, a duty toggle, a login; QBCore:Server:PlayerLoaded (Player)
//   (server/player.lua:458)
// - removal: Player.Functions.SetJob(fallbackJob, fallbackGrade) (server/player.lua:66-95)
import { jobNamed, lazyObject, type AdapterFactory } from './framework';

export const qbcoreAdapter: AdapterFactory = (host) => {
  const core = lazyObject(() => host.callExport('qb-core', 'GetCoreObject'));
  const playerOf = (player: number) => core.get().Functions.GetPlayer(player) ?? null;
  return {
    name: 'qbcore',
    resource: 'qb-core',
    events: [
      { name: 'QBCore:Server:OnJobUpdate', player: (args) => args[0], jobs: (args) => jobNamed(args[1]?.name) },
      { name: 'QBCore:Server:PlayerLoaded', player: (args) => args[0]?.PlayerData?.source, jobs: (args) => jobNamed(args[0]?.PlayerData?.job?.name) },
    ],
    held(player) {
      return jobNamed(playerOf(player)?.PlayerData?.job?.name);
    },
    remove(player, _job, fallback) {
      playerOf(player)?.Functions.SetJob(fallback.job, fallback.grade);
    },
    reset: core.reset,
  };
};
