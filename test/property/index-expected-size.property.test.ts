// A sweep's index is built with the number of accounts it will hold (account-cache.ts: the columns are made
// that size at once and nothing is copied to trim them). Whatever that number says, right or wrong (a
// result with an account listed twice holds fewer; a snapshot of more), the index answers exactly as one
// built without it: every account, every ID, the same after lookups merged into it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndexBuilder, type AccountIndex } from '../../src/core/account-index';
import { cachedAccount } from '../../src/core/account-record';
import type { CachedAccount } from '../../src/core/types';

const idArb = fc.constantFrom('license:aa11', 'steam:110000100000001', 'discord:5550001', 'license:bb22', 'fivem:77', 'xbl:9');
const accountArb = fc
  .record({
    // Few uuids: a sweep lists some accounts twice (the later one rewrites the slot, often with other IDs).
    uuid: fc.constantFrom('u-a', 'u-b', '3f2b8c1e-0a4d-4e5f-9b6a-7c8d9e0f1a2b', '00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff'),
    username: fc.constantFrom('Alex', 'Sam', 'Jo'),
    communityUserId: fc.option(fc.constantFrom('player-7', 'aa11'), { nil: null }),
    apiIds: fc.uniqueArray(idArb, { maxLength: 4 }),
    status: fc.constantFrom(1, 2, 4),
    observedAt: fc.integer({ min: 1, max: 9 }),
  })
  .map((a): CachedAccount => cachedAccount(a.uuid, a.username, a.communityUserId, a.apiIds, a.status, '2024-06-01T12:00:00.000Z', '', 1, 0, 0, a.observedAt));

const RUNS = Number(process.env.FC_RUNS ?? 500);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

function answers(index: AccountIndex) {
  const ids = ['license:aa11', 'steam:110000100000001', 'discord:5550001', 'license:bb22', 'fivem:77', 'xbl:9', 'player-7', 'aa11', 'Alex', 'sam'];
  return {
    size: index.size,
    byUuid: [...index.byUuid.entries()],
    found: ids.map((id) => [index.find(id), index.accountsFor(id)]),
    store: Array.from({ length: index.store.size }, (_, slot) => index.accountAt(slot)),
  };
}

describe('property: an index built for an expected number of accounts answers as one built without it', () => {
  it('for any sweep, any expected number (too few, exact, too many) and lookups merged after', () => {
    fc.assert(
      fc.property(fc.array(accountArb, { maxLength: 12 }), fc.integer({ min: -3, max: 3 }), fc.array(accountArb, { maxLength: 4 }), (sweep, off, lookups) => {
        const plain = createIndexBuilder();
        const sized = createIndexBuilder(Math.max(0, sweep.length + off));
        for (const account of sweep) for (const b of [plain, sized]) b.add(account);
        const [want, got] = [plain.finish().index, sized.finish().index];
        expect(answers(got)).toEqual(answers(want));
        for (const account of lookups) {
          expect(got.upsert(account)).toEqual(want.upsert(account));
          expect(answers(got)).toEqual(answers(want));
        }
      }),
      { numRuns: RUNS, seed: SEED, verbose: true },
    );
  });
});
