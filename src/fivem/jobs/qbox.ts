// Qbox (qbx_core): Qbox-project/qbx_core v1.23.0, server/player.lua. Its exports are the API; a player may
// hold several jobs (PlayerData.jobs = { [name] = grade }), every one is checked.
// - events: QBCore:Server:OnJobUpdate (src, job) for the primary job (:266); qbx_core:server:onGroupUpdate
//   (src, job, grade|nil) when a job is added or removed (:326, :373): RemovePlayerFromJob on the primary job
//   fires only this one; QBCore:Server:PlayerLoaded (player) (:1064)
// - removal: RemovePlayerFromJob(citizenid, job) (:344); for the primary job (which that resets to unemployed
//   without OnJobUpdate) then SetJob(src, fallbackJob, fallbackGrade) (:147), the primary-job path, so
//   OnJobUpdate tells every other resource the player's job changed.
import type { AdapterFactory } from './framework';

export const qboxAdapter: AdapterFactory = (host) => {
  const call = (name: string, ...args: unknown[]) => host.callExport('qbx_core', name, ...args);
  const dataOf = (player: number) => call('GetPlayer', player)?.PlayerData ?? null;
  return {
    name: 'qbox',
    resource: 'qbx_core',
    events: [
      { name: 'QBCore:Server:OnJobUpdate', player: (args) => args[0] },
      { name: 'qbx_core:server:onGroupUpdate', player: (args) => args[0] },
      { name: 'QBCore:Server:PlayerLoaded', player: (args) => args[0]?.PlayerData?.source },
    ],
    held(player) {
      const data = dataOf(player);
      const primary = data?.job?.name;
      if (typeof primary !== 'string') return null;
      const held = [{ name: primary, primary: true }];
      // An empty Lua table arrives as [], a filled one as an object keyed by job name.
      for (const name of Object.keys(data.jobs ?? {})) if (name !== primary) held.push({ name, primary: false });
      return held;
    },
    remove(player, job, fallback) {
      const data = dataOf(player);
      if (!data) return;
      call('RemovePlayerFromJob', data.citizenid, job.name);
      if (job.primary) call('SetJob', player, fallback.job, fallback.grade);
    },
    reset() {},
  };
};
