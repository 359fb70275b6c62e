// The public contract for other resources. Every export takes anything (Lua and JS callers pass
// nil, numbers as strings, tables) and answers false / null / [] rather than throwing.
import { permissionIndex } from '../core/permissions';
import type { CachedAccount } from '../core/types';
import type { Context } from './context';
import { effectivePermissions, hasEffectivePermission, isBanned } from './effective';
import { isServerIdNumber, parseServerId, serverIdOfString } from './identifiers';
import { accountView, summaryView } from './views';

/** Longest API ID / username a lookup accepts; anything longer cannot be one and is not hashed. */
const MAX_KEY_LENGTH = 255;

export function registerExports(ctx: Context, lookupPlayer: (id: number) => Promise<CachedAccount | null>): void {
  const { host, cache, players, log } = ctx;
  const warnedUnknown = new Set<string>();

  const accountOf = (player: unknown): CachedAccount | null => {
    const id = parseServerId(player);
    if (id === null) return null;
    const entry = players.get(id);
    return entry === undefined ? null : entry.account;
  };

  const indexOf = (permission: unknown): number => {
    if (typeof permission !== 'string' || permission.length > 64) return -1;
    const index = permissionIndex(permission);
    if (index < 0) warnUnknown(permission);
    return index;
  };
  const warnUnknown = (permission: string) => {
    if (warnedUnknown.has(permission) || warnedUnknown.size >= 100) return;
    warnedUnknown.add(permission);
    // Not "never": a flag the CAD starts sending later is kept and checkable by name (README Decisions).
    log.warn(`hasPermission: "${permission}" is not a Sonoran CAD permission (nor one the CAD has sent); it answers false unless the CAD starts sending a flag of that name`);
  };

  const exported = {
    hasPermission(player: unknown, permission: unknown) {
      // The calls job scripts make most: an id (a number, or a numeric string as GetPlayers() and many
      // Lua scripts hand it) and a flag name, straight to the bit.
      if (typeof permission === 'string') {
        const id = typeof player === 'number' ? (isServerIdNumber(player) ? player : -1) : typeof player === 'string' ? serverIdOfString(player) : -1;
        if (id > 0) {
          const entry = players.get(id);
          return entry !== undefined && hasEffectivePermission(entry.account, indexOf(permission));
        }
      }
      return hasEffectivePermission(accountOf(player), indexOf(permission));
    },
    hasAnyPermission(player: unknown, permissions: unknown) {
      // One name instead of a list, as Lua authors write it (`hasAnyPermission(src, 'dispatch')`): a list of one.
      if (typeof permissions === 'string') return hasEffectivePermission(accountOf(player), indexOf(permissions));
      if (!Array.isArray(permissions)) return false;
      const account = accountOf(player);
      return permissions.some((p) => hasEffectivePermission(account, indexOf(p)));
    },
    getPermissions: (player: unknown) => effectivePermissions(accountOf(player)),
    getAccount: (player: unknown) => accountView(accountOf(player)),
    getAccountByApiId(id: unknown) {
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_KEY_LENGTH) return null;
      return accountView(cache.find(id));
    },
    isBanned: (player: unknown) => isBanned(accountOf(player)),
    isReady: () => cache.info().ready,
    getCacheInfo: () => cache.info(),
    async refresh() {
      try {
        return summaryView(await cache.refresh());
      } catch (err) {
        return { ok: false as const, error: (err as Error).message };
      }
    },
    async refreshPlayer(player: unknown) {
      const id = parseServerId(player);
      if (id === null || !players.get(id)) return null;
      try {
        return accountView(await lookupPlayer(id));
      } catch (err) {
        // Documented: nil, never a rejection (FXServer would hand Lua callers a bare string error).
        log.warn(`refreshPlayer(${id}): the CAD could not answer (${(err as Error).message}); answering nil`);
        return null;
      }
    },
  };

  for (const [name, fn] of Object.entries(exported)) host.registerExport(name, fn);
}
