// A banned player does not stay on the server. Two moments after the connect gate's verdict:
// - joining (cause 'join'): banned between the gate's verdict and playerJoining (a queue, a long loading
//   screen): the verdict is stale, so the gate's rule applies again (connect.blockBanned), or
//   dropBannedPlayers;
// - online (cause 'update'): a sweep or lookup brought the ban (dropBannedPlayers).
// "Banned" is core/standing.ts's: any configured identifier leads to a banned account.
import type { Context } from './context';
import { isBanned } from './effective';

export function enforceBans(ctx: Context): void {
  const { config, players, host, log } = ctx;
  const atJoin = (config.connect.enabled && config.connect.blockBanned) || config.dropBannedPlayers;
  if (!atJoin && !config.dropBannedPlayers) return;
  players.onAccountChange((entry, before, cause) => {
    if (!isBanned(entry.account)) return;
    if (cause === 'join') {
      // The gate let this ban in on purpose (connect.blockBanned off): nothing changed since.
      if (!atJoin || entry.admittedBanned) return;
    } else if (!config.dropBannedPlayers || isBanned(before)) {
      return;
    }
    log.info(`dropping player ${entry.id} (${entry.name}): CAD account ${entry.account!.username} was banned`);
    host.dropPlayer(entry.id, ctx.t('drop.banned', { cad: config.cadName }));
  });
}
