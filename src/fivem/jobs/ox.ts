// ox_core: overextended/ox_core v1.5.14 (TypeScript). A player's jobs are groups.
// - exports GetPlayer(src) (an OxPlayer: charId is set once a character is loaded) and
//   CallPlayer(src, method, ...args) (server/classInterface.ts:36-55); getGroups() -> { [name]: grade }
//   (server/player/class.ts:291)
// - events: ox:setGroup (source, group, grade|null) (:258), ox:playerLoaded (source, userId, charId) (:628)
// - removal: setGroup(name, 0) (async; grade 0 removes the group) (:212). ox_core has no fallback job.
import type { AdapterFactory } from './framework';

export const oxAdapter: AdapterFactory = (host) => ({
  name: 'ox',
  resource: 'ox_core',
  events: [
    { name: 'ox:setGroup', player: (args) => args[0] },
    { name: 'ox:playerLoaded', player: (args) => args[0] },
  ],
  held(player) {
    if (!host.callExport('ox_core', 'GetPlayer', player)?.charId) return null;
    const groups = host.callExport('ox_core', 'CallPlayer', player, 'getGroups') ?? {};
    return Object.keys(groups).map((name) => ({ name, primary: false }));
  },
  remove: (player, job) => host.callExport('ox_core', 'CallPlayer', player, 'setGroup', job.name, 0) as Promise<unknown>,
  reset() {},
});
