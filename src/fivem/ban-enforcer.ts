// A banned player does not stay on the server. Two moments after the connect gate's verdict:
// - joining (cause 'join'): banned between the gate's verdict and playerJoining (a queue, a long loading
//   screen): the verdict is stale, so the gate's rule applies again (connect.blockBanned), or
//   dropBannedPlayers;
// - online (cause 'update'): a sweep or lookup brought the ban (dropBannedPlayers).
// "Banned" is core/standing.ts's: any configured identifier leads to a banned account.
// A player the gate let in while banned (blockBanned off) is let off those bans only: a ban of any other
// account they reach is new information and is enforced like any other (dropBannedPlayers).
import { ACCOUNT_STATUS } from '../core/types';
import type { Context } from './context';
import { isBanned } from './effective';
import type { PlayerEntry } from './players';

/** The banned accounts (uuids) the player's identifiers reach right now, their standing account included. */
export function bannedReached(ctx: Context, entry: PlayerEntry): ReadonlySet<string> {
  const banned = new Set<string>();
  for (const account of ctx.cache.standing(entry.identifiers).reached) if (account.status === ACCOUNT_STATUS.banned) banned.add(account.uuid);
  if (isBanned(entry.account)) banned.add(entry.account!.uuid);
  return banned;
}

export function enforceBans(ctx: Context): void {
  const { config, players, host, log, cache } = ctx;
  const atJoin = (config.connect.enabled && config.connect.blockBanned) || config.dropBannedPlayers;
  if (!atJoin && !config.dropBannedPlayers) return;

  /** A ban the gate did not let this player in with. */
  const newBan = (entry: PlayerEntry) => [...bannedReached(ctx, entry)].some((uuid) => !entry.admittedBans.has(uuid));
  const drop = (entry: PlayerEntry) => {
    entry.admittedBans = new Set(); // dropped once, not again on the next event
    log.info(`dropping player ${entry.id} (${entry.name}): CAD account ${entry.account!.username} was banned`);
    host.dropPlayer(entry.id, ctx.t('drop.banned', { cad: config.cadName }));
  };

  players.onAccountChange((entry, before, cause) => {
    if (!isBanned(entry.account)) return;
    if (cause === 'join') {
      // The gate let these bans in on purpose (connect.blockBanned off): only a newer one counts.
      if (!atJoin || (entry.admittedBans.size > 0 && !newBan(entry))) return;
    } else if (!config.dropBannedPlayers || (isBanned(before) && (entry.admittedBans.size === 0 || !newBan(entry)))) {
      return;
    }
    drop(entry);
  });

  // A player let in while banned keeps a banned account standing for them, so a second ban may change no
  // account and raise no change above: after every sweep and lookup, look for one.
  if (!config.dropBannedPlayers) return;
  const checkAdmitted = () => {
    for (const entry of players.all()) {
      if (entry.joined && entry.admittedBans.size > 0 && isBanned(entry.account) && newBan(entry)) drop(entry);
    }
  };
  cache.on('refreshed', checkAdmitted);
  cache.on('accountChanged', checkAdmitted);
}
