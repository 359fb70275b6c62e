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

  host.on('playerJoining', (src, oldId) => {
    const id = Number(src);
    const entry = players.join(Number(oldId), id) ?? register(id);
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
