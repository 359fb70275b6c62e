// playerConnecting gating with deferrals: banned accounts out, optional whitelist / required permission,
// and a policy for when the CAD cannot answer. Deferral calls are always a tick apart (FXServer shows
// "unknown client" instead of the reason otherwise).
import { permissionIndex } from '../core/permissions';
import type { CachedAccount } from '../core/types';
import type { Context } from './context';
import { hasEffectivePermission, isActive, isBanned } from './effective';
import type { Deferrals } from './host';
import { bareValue, orderedIdentifiers } from './identifiers';
import type { PlayerEntry } from './players';
import type { PlayerLookup } from './player-lookup';
import type { FollowUps } from './follow-ups';
import { bannedReached } from './ban-enforcer';
import { statusName } from '../core/account-record';

const UNJOINED_FORGET_MS = 60 * 60_000;

type Verdict = { admit: true } | { admit: false; reason: string };

export function gateConnections(ctx: Context, lookup: PlayerLookup, misses: FollowUps): void {
  const { host, config, players, log } = ctx;
  const rules = config.connect;
  if (!rules.enabled) return;

  host.on('playerConnecting', (src, name: string, _setKickReason: unknown, deferrals: Deferrals) => {
    const tempId = Number(src);
    // Queues may hold an admitted player for a long time; an hour without joining means they left.
    players.forgetUnjoined(Date.now() - UNJOINED_FORGET_MS);
    const identifiers = orderedIdentifiers(host.identifiersOf(tempId), ctx.identifierTypes);
    const entry = players.add(tempId, String(name ?? ''), identifiers, false);
    deferrals.defer();
    check(entry, deferrals)
      .catch((err: Error) => {
        log.error(`connect check for ${entry.name} failed: ${err.message}`);
        return verdictWhenCadUnavailable();
      })
      .then(async (first) => {
        await host.nextTick();
        // Information may have arrived during that tick (a sweep swapped, a lookup answered): a ban now
        // known is not let through on a verdict a tick old.
        const verdict = first.admit && rules.blockBanned ? recheck(entry) : first;
        if (verdict.admit) {
          entry.admittedBans = bannedReached(ctx, entry);
          deferrals.done();
        } else {
          players.remove(entry.id);
          deferrals.done(verdict.reason);
        }
      })
      .catch((err: Error) => log.error(`connect deferral for ${entry.name} failed: ${err.message}`));
  });

  async function check(entry: PlayerEntry, deferrals: Deferrals): Promise<Verdict> {
    await host.nextTick();
    deferrals.update(ctx.t('connect.checking', { cad: config.cadName }));
    let account = ctx.resolve(entry);
    // primary() answers null at once for a player with no identifier of the configured types.
    if (!account) {
      try {
        account = await lookup.primary(entry, rules.timeoutSeconds * 1000);
      } catch (err) {
        // Admitted (or not) without an answer: keep resolving them after admission.
        misses.missed(entry);
        // A ready cache already says this player has no account; only an empty one leaves us blind.
        if (!ctx.cache.info().ready) {
          log.warn(`connect: could not check ${entry.name} (${(err as Error).message}); policy: ${rules.whenCadUnavailable}`);
          return verdictWhenCadUnavailable();
        }
      }
    }
    players.assign(entry, account);
    return verdictFor(entry, account);
  }

  function verdictFor(entry: PlayerEntry, account: CachedAccount | null): Verdict {
    const cad = config.cadName;
    if (isBanned(account) && rules.blockBanned) {
      return { admit: false, reason: ctx.t('connect.banned', { cad, username: account!.username }) };
    }
    const needsAccount = rules.requireAccount || rules.requirePermission !== '';
    if (needsAccount && !account) {
      const first = entry.identifiers[0];
      return { admit: false, reason: ctx.t('connect.noAccount', { cad, identifier: first ? bareValue(first) : '?' }) };
    }
    if (needsAccount && !isActive(account)) {
      return { admit: false, reason: ctx.t('connect.inactive', { cad, username: account!.username, status: statusName(account!.status) }) };
    }
    if (rules.requirePermission !== '' && !hasEffectivePermission(account, permissionIndex(rules.requirePermission))) {
      return {
        admit: false,
        reason: ctx.t('connect.missingPermission', { cad, permission: rules.requirePermission, username: account!.username }),
      };
    }
    return { admit: true };
  }

  function recheck(entry: PlayerEntry): Verdict {
    const now = ctx.resolve(entry);
    if (!isBanned(now)) return { admit: true };
    players.assign(entry, now);
    return verdictFor(entry, now);
  }

  function verdictWhenCadUnavailable(): Verdict {
    return rules.whenCadUnavailable === 'deny'
      ? { admit: false, reason: ctx.t('connect.cadUnavailable', { cad: config.cadName }) }
      : { admit: true };
  }
}
