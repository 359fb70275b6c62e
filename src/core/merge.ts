// How observations of CAD accounts merge: the one rule for the index builder, single lookups, the swap
// after a sweep and anything else that feeds accounts in (a shared database later). Two rules:
// - the same account (uuid) seen twice: the newer observation wins, whether it came from a page or a
//   lookup; on a tie (same millisecond) a banned version wins, else the one arriving;
// - several accounts claiming one API ID: all are kept (core/standing.ts decides what they mean for a
//   player); the order below only picks the one a single-key `find` shows: banned, active, most recent
//   login, then the uuid, so every server and every sweep shows the same one whatever order they arrived in.
import { ACCOUNT_STATUS, type CachedAccount } from './types';

const BANNED = ACCOUNT_STATUS.banned;
const ACTIVE = ACCOUNT_STATUS.active;

/** True when `incoming` replaces `held`, two observations of one account. */
export function supersedes(incoming: CachedAccount, held: CachedAccount | null | undefined): boolean {
  if (held == null) return true;
  if (incoming.observedAt !== held.observedAt) return incoming.observedAt > held.observedAt;
  return incoming.status === BANNED || held.status !== BANNED;
}

/** Of two observations of one account, the one that counts. */
export function newest(a: CachedAccount, b: CachedAccount): CachedAccount {
  return supersedes(b, a) ? b : a;
}

/** Sort order of accounts claiming one API ID: banned first (security), then active, then the most recent login, then uuid. */
export function claimOrder(a: CachedAccount, b: CachedAccount): number {
  const rank = (x: CachedAccount) => (x.status === BANNED ? 0 : x.status === ACTIVE ? 1 : 2);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a.lastLogin !== b.lastLogin) return a.lastLogin > b.lastLogin ? -1 : 1;
  // Two accounts in one claim list never share a uuid (the index keeps one observation per uuid).
  return a.uuid < b.uuid ? -1 : 1;
}
