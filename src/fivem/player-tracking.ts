// Keeps the player registry in step with FXServer (joins, drops, a resource restart with players
// online) and with the cache (every sweep or lookup re-resolves who is who).
import type { Context } from './context';
import { orderedIdentifiers } from './identifiers';

export function trackPlayers(ctx: Context): { resolveAll(): void } {
  const { host, cache, players, identifierTypes } = ctx;

  const resolveAll = () => {
    for (const entry of players.all()) players.assign(entry, ctx.resolve(entry));
  };

  const register = (id: number) => {
    const identifiers = orderedIdentifiers(host.identifiersOf(id), identifierTypes);
    return players.add(id, host.playerName(id), identifiers, true);
  };

  // A restart of this resource with players on the server: they are already past connecting.
  for (const id of host.players()) {
    const entry = register(id);
    players.assign(entry, ctx.resolve(entry));
  }

  /**
   * A join the registry has no connection for (forgotten after an hour in a queue, or connected while
   * this resource was stopped): resolved first and then joined, so listeners hear it as a join, where the
   * connect gate's rule applies again (ban-enforcer.ts), not as an update that only dropBannedPlayers acts on.
   */
  const joinUnknown = (id: number) => {
    const entry = players.add(id, host.playerName(id), orderedIdentifiers(host.identifiersOf(id), identifierTypes), false);
    players.assign(entry, ctx.resolve(entry));
    return players.join(id, id)!;
  };

  host.on('playerJoining', (src, oldId) => {
    const id = Number(src);
    const entry = players.join(Number(oldId), id) ?? joinUnknown(id);
    players.assign(entry, ctx.resolve(entry));
  });
  host.on('playerDropped', (src) => {
    players.remove(Number(src));
  });

  // Registered before the public events (events.ts), so `refreshed` listeners already see the new state.
  cache.on('ready', resolveAll);
  cache.on('refreshed', resolveAll);
  cache.on('accountChanged', resolveAll);
  return { resolveAll };
}
