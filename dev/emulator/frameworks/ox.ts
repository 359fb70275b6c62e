// ox_core stand-in: the server API of ox_core as other resources use it, copied from overextended/ox_core
// v1.5.14 (commit b45605ef), TypeScript (so nothing here is Lua-packed: an OxPlayer crosses as a class
// instance, its own public fields only):
//   server/classInterface.ts:36-55  exports GetPlayer(id) (the OxPlayer), CallPlayer(id, method, ...args) (prints
//                                   "cannot call method ... (invalid id)" for a player without one)
//   server/player/class.ts:34-40    public fields source, userId, charId (undefined before a character), username, identifier
//   server/player/class.ts:212-262  async setGroup(groupName, grade = 0, force = false): grade 0 removes the group,
//                                   grades start at 1, one group per type; emit('ox:setGroup', source, name, grade || null)
//   server/player/class.ts:291      getGroups(): { [name]: grade }
//   server/player/class.ts:628      emit('ox:playerLoaded', source, userId, charId)
//   identifier: license2, else license.
import { JOB_DEFINITIONS, type FrameworkStandIn, type ResourceGlobals } from './common';

/** ox groups of type 'job': grades 1..n (a grade 0 means "not in the group"). */
const GROUPS: Record<string, { type: string; grades: string[] }> = Object.fromEntries(
  Object.entries(JOB_DEFINITIONS).filter(([name]) => name !== 'unemployed').map(([name, grades]) => [name, { type: 'job', grades: ['', ...grades] }]),
);

export function oxStandIn(): FrameworkStandIn {
  let g: ResourceGlobals;
  let userSeq = 0;
  let charSeq = 0;

  class OxPlayer {
    source: number;
    userId: number;
    charId?: number;
    username = '';
    identifier = '';
    #groups: Record<string, number> = {};
    constructor(src: number) {
      this.source = src;
      this.userId = ++userSeq;
      this.identifier = String(g.GetPlayerIdentifierByType(String(src), 'license2') ?? g.GetPlayerIdentifierByType(String(src), 'license') ?? '').replace(/^license2?:/, '');
    }
    getGroups() {
      return this.#groups;
    }
    getGroup(name: string) {
      return this.#groups[name];
    }
    async setGroup(groupName: string, grade = 0, _force = false) {
      if (!this.charId) return false;
      const group = GROUPS[groupName];
      if (!group) return g.console.warn(`Failed to set OxPlayer<${this.userId}> ${groupName}:${grade} (invalid group)`);
      const current = this.#groups[groupName];
      if (current === grade) return;
      await Promise.resolve(); // the database write
      if (!grade) {
        if (!current) return;
        delete this.#groups[groupName];
      } else {
        if (!group.grades[grade]) return g.console.warn(`Failed to set OxPlayer<${this.userId}> ${groupName}:${grade} (invalid grade)`);
        if (!current && Object.keys(this.#groups).some((name) => GROUPS[name]?.type === group.type)) {
          return g.console.warn(`Failed to set OxPlayer<${this.userId}> ${groupName}:${grade} (already has group of type '${group.type}')`);
        }
        this.#groups[groupName] = grade;
      }
      g.emit('ox:setGroup', this.source, groupName, grade ? grade : null);
      return true;
    }
    call(method: string, ...args: unknown[]) {
      return (this as any)[method](...args);
    }
  }

  const members = new Map<number, OxPlayer>();
  const callable = new Set(['getGroups', 'getGroup', 'setGroup']);

  return {
    resource: 'ox_core',
    main(globals) {
      g = globals;
      g.exports('GetPlayer', (id: unknown) => members.get(Number(id)));
      g.exports('CallPlayer', (id: unknown, method: string, ...args: unknown[]) => {
        const member = members.get(Number(id));
        if (!member) return g.console.error(`cannot call method ${method} on OxPlayer<${id}> (invalid id)`);
        if (!callable.has(method)) return g.console.error(`cannot call method ${method} on OxPlayer<${id}> (method is not exported)`);
        return member.call(method, ...args);
      });
      g.on('playerDropped', () => void members.delete(Number(g.source)));
    },
    login(src, group, grade = 1) {
      const player = new OxPlayer(src);
      members.set(src, player);
      player.charId = ++charSeq;
      // The saved groups come from the database with the character.
      if (GROUPS[group]) (player.getGroups() as Record<string, number>)[group] = Math.max(1, grade);
      g.emit('ox:playerLoaded', src, player.userId, player.charId);
    },
    adminSetJob: (src, group, grade = 1) => void members.get(src)?.setGroup(group, grade),
    toggleDuty(src) {
      // ox_core has no duty: the closest is the active group (setActiveGroup, ox:setActiveGroup).
      const player = members.get(src);
      if (player) g.emit('ox:setActiveGroup', src, Object.keys(player.getGroups())[0], undefined);
    },
    jobsOf(src) {
      const player = members.get(src);
      return player?.charId ? Object.keys(player.getGroups()) : null;
    },
    hireResource: `exports('hire', (src, group, grade) => exports.ox_core.CallPlayer(src, 'setGroup', group, grade || 1));`,
  };
}
