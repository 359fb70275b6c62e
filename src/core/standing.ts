// Which accounts a player's identifiers lead to, and what follows: the one rule the connect gate, the
// ban enforcer, every export and /cadcheck go through.
// - Every configured identifier counts, not only the first that matches: a ban on any account any of
//   them reaches makes the player banned (a second account on another identifier does not launder it).
// - Not banned: the first active account in identifier order (primaryIdentifier first) is the player's;
//   its permissions count. A pending, expired or removed account beside it neither grants nor hides it.
// - No active account: the first account reached stands for the player (shown, grants nothing).
import { ACCOUNT_STATUS, type CachedAccount, type Standing } from './types';

const NOBODY: Standing = Object.freeze({ account: null, banned: false, reached: Object.freeze([]) as readonly CachedAccount[] });

/**
 * `accountsFor(identifier)`: every account claiming that identifier, best first (merge.ts claimOrder).
 * Pure: the same identifiers over the same accounts always give the same standing.
 */
export function standingOf(identifiers: readonly string[], accountsFor: (identifier: string) => readonly CachedAccount[]): Standing {
  let reached: CachedAccount[] | null = null;
  let banned: CachedAccount | null = null;
  let active: CachedAccount | null = null;
  for (const identifier of identifiers) {
    for (const account of accountsFor(identifier)) {
      if (reached === null) reached = [];
      else if (reached.includes(account)) continue;
      reached.push(account);
      if (banned === null && account.status === ACCOUNT_STATUS.banned) banned = account;
      if (active === null && account.status === ACCOUNT_STATUS.active) active = account;
    }
  }
  if (reached === null) return NOBODY;
  return { account: banned ?? active ?? reached[0]!, banned: banned !== null, reached };
}
