// Bans known before the first sweep ended: a big community's first sweep takes minutes to most of an
// hour, and a connect lookup may refuse a banned player meanwhile. The snapshot then holds those bans
// only (savedAt null: no sweep behind it), so a restart with the CAD down still refuses them. Loaded,
// they are enforced (the gate reads the index, ready or not) but the cache does not count as ready:
// unknown is not "no", and nothing else is concluded from a snapshot that is no account list. The first
// sweep that succeeds merges over them by the one rule and writes a complete snapshot.
import { ACCOUNT_STATUS, type CachedAccount } from './types';

export function* bansOnly(accounts: Iterable<CachedAccount>): Iterable<CachedAccount> {
  for (const account of accounts) if (account.status === ACCOUNT_STATUS.banned) yield account;
}

export const earlyBansLine = (n: number) =>
  `loaded ${n} ban(s) found before the first sweep ended from the snapshot: refused at connect; the cache is not ready until a sweep succeeds`;
