// A player online when their CAD account gets banned leaves the server (config dropBannedPlayers).
import type { Context } from './context';
import { isBanned } from './effective';

export function dropNewlyBannedPlayers(ctx: Context): void {
  const { config, players, host, log } = ctx;
  if (!config.dropBannedPlayers) return;
  players.onAccountChange((entry, before, cause) => {
    // At join the connect gate already decided (connect.blockBanned); only a change while online counts.
    if (cause !== 'update' || !isBanned(entry.account) || isBanned(before)) return;
    log.info(`dropping player ${entry.id} (${entry.name}): CAD account ${entry.account!.username} was banned`);
    host.dropPlayer(entry.id, ctx.t('drop.banned', { cad: config.cadName }));
  });
}
