// Held accounts, listings and lookups for the model tests of a sweep over the held index
// (sweep-accounts.model and sweep-patch.model property tests).
import fc from 'fast-check';
import { cachedAccount } from '../../src/core/account-record';
import type { CachedAccount } from '../../src/core/types';

export const UUIDS = [
  '3f2b8c1e-0a4d-4e5f-9b6a-7c8d9e0f1a2b',
  '00000000-0000-4000-8000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  '11111111-2222-4333-8444-555555555555',
  'u-a',
  'unreadable:license:x',
];
export const dateArb = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()), fc.constantFrom('', '2023-01-01'));
export const recordArb = fc.record({
  uuid: fc.constantFrom(...UUIDS),
  username: fc.constantFrom('Alex_Hill', 'Sam', ''),
  communityUserId: fc.option(fc.constantFrom('player-7', 'aa11'), { nil: null }),
  apiIds: fc.array(fc.constantFrom('aa11', 'steam:110000100000001', 'BB22', '', 'license:aa11', '76561197960265729'), { maxLength: 3 }),
  status: fc.constantFrom(1, 1, 2, 4),
  joined: dateArb,
  lastLogin: dateArb,
  w0: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  w1: fc.constantFrom(0, 5),
  w2: fc.constantFrom(0, -1),
  observedAt: fc.integer({ min: 0, max: 50 }),
});
export const accountArb = recordArb.map((a): CachedAccount => cachedAccount(a.uuid, a.username, a.communityUserId, a.apiIds, a.status, a.joined, a.lastLogin, a.w0, a.w1, a.w2, a.observedAt));
export const stampArb = fc.integer({ min: 0, max: 50 });
/** One field of a held account changed, each in turn. */
export const CHANGES = ['username', 'communityUserId', 'apiIds', 'status', 'joined', 'lastLogin', 'w0', 'w1', 'w2'] as const;
export function changed(a: CachedAccount, field: (typeof CHANGES)[number]): CachedAccount {
  switch (field) {
    case 'username':
      return { ...a, username: `${a.username}x` };
    case 'communityUserId':
      return { ...a, communityUserId: a.communityUserId === null ? 'aa11' : null };
    case 'apiIds':
      return { ...a, apiIds: [...a.apiIds, 'new'] };
    case 'status':
      return { ...a, status: a.status === 4 ? 1 : 4 };
    case 'joined':
    case 'lastLogin':
      return { ...a, [field]: a[field] === '' ? '2020-01-01T00:00:00.000Z' : '' };
    default:
      return { ...a, [field]: a[field] ^ 1 };
  }
}

/** What a sweep does with its map, and what the cache does to the index it reads over meanwhile. */
export const stepArb = fc.oneof(
  // A page lists an account as the index holds it (seen again, at another date): the case the slot saves.
  fc.record({ kind: fc.constant('relist' as const), pick: fc.nat(), at: stampArb }),
  // A page lists an account the index holds, one field changed: it must not pass for unchanged.
  fc.record({ kind: fc.constant('relistChanged' as const), pick: fc.nat(), at: stampArb, field: fc.constantFrom(...CHANGES) }),
  // A page lists an account the index holds otherwise, or not at all.
  fc.record({ kind: fc.constant('list' as const), account: accountArb }),
  // A lookup's answer merged into the live index (merge(): detach, then upsert).
  fc.record({ kind: fc.constant('lookup' as const), account: accountArb }),
  fc.record({ kind: fc.constant('lookupSame' as const), pick: fc.nat(), at: stampArb }),
);

export const PROBES = [...UUIDS, 'aa11', 'AA11', '110000100000001', 'bb22', 'player-7', 'alex_hill', 'sam', 'new', ''];
