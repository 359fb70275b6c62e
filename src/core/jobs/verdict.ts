// Which ruled job a player may hold, from what the resource knows of their CAD account. Unknown is not
// "no": before the cache is ready, or while the player's account is unresolved (the connect lookup missed
// and its follow-up is pending, or the CAD was unreachable for a player the cache does not hold), the
// verdict is `unknown` and nothing is taken; only an answer from the CAD denies.
import { hasPermission, permissionIndex } from '../permissions';
import { ACCOUNT_STATUS, type CachedAccount } from '../types';

export type DenyReason = 'noAccount' | 'banned' | 'inactive' | 'missingPermission';
export type UnknownReason = 'notReady' | 'unresolved';
export type JobVerdict = { kind: 'allow' } | { kind: 'deny'; reason: DenyReason } | { kind: 'unknown'; reason: UnknownReason };

export interface CadKnowledge {
  /** The cache has been filled (a sweep, or the snapshot at start). */
  ready: boolean;
  /** The account that stands for the player (core/standing.ts), or null. */
  account: CachedAccount | null;
  /** With `account` null: the CAD answered that this player has no account (not just "no answer yet"). */
  answered: boolean;
}

/** Lower-cased job name -> bits of the permissions that allow it (any one). */
export type JobRules = ReadonlyMap<string, readonly number[]>;

export function compileJobRules(rules: Readonly<Record<string, readonly string[]>>): JobRules {
  return new Map(Object.entries(rules).map(([job, perms]) => [job.toLowerCase(), perms.map(permissionIndex)]));
}

const ALLOW: JobVerdict = Object.freeze({ kind: 'allow' });
const NOT_READY: JobVerdict = Object.freeze({ kind: 'unknown', reason: 'notReady' });
const UNRESOLVED: JobVerdict = Object.freeze({ kind: 'unknown', reason: 'unresolved' });
const DENY = {
  noAccount: Object.freeze({ kind: 'deny', reason: 'noAccount' }),
  banned: Object.freeze({ kind: 'deny', reason: 'banned' }),
  inactive: Object.freeze({ kind: 'deny', reason: 'inactive' }),
  missingPermission: Object.freeze({ kind: 'deny', reason: 'missingPermission' }),
} as const satisfies Record<DenyReason, JobVerdict>;

/** null: the job has no rule and is never touched. Allocates nothing (a check runs on every job change). */
export function jobVerdict(rules: JobRules, job: string, known: CadKnowledge): JobVerdict | null {
  const needs = rules.get(job) ?? rules.get(job.toLowerCase());
  if (needs === undefined) return null;
  if (!known.ready) return NOT_READY;
  const account = known.account;
  if (account === null) return known.answered ? DENY.noAccount : UNRESOLVED;
  if (account.status === ACCOUNT_STATUS.banned) return DENY.banned;
  if (account.status !== ACCOUNT_STATUS.active) return DENY.inactive;
  for (const bit of needs) if (hasPermission(account, bit)) return ALLOW;
  return DENY.missingPermission;
}
