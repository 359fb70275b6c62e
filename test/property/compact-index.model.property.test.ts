// Issue 23's compact index (accounts as columns, objects built on demand) against the plain model it
// replaced (test/core/reference-index.ts: every account a CachedAccount object in Maps): for random
// accounts, sweeps and lookups merged between them, every function of the index answers exactly as the
// model does: find, accountsFor, standing, byUuid (order included), size, prefixedTypes, each upsert's
// result and a sweep's conflicts. Seed printed on failure; FC_SEED / FC_RUNS replay or widen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndexBuilder, type AccountIndex } from '../../src/core/account-index';
import { cachedAccount } from '../../src/core/account-record';
import { createUuidColumn } from '../../src/core/uuid-column';
import { diffAccounts, diffIndexes } from '../../src/core/diff';
import type { CachedAccount } from '../../src/core/types';
import { createIndexBuilder as createReferenceBuilder } from '../core/reference-index';

const VALUES = ['aa11', 'BB22', '110000100000001', '76561197960265729', '5550001', 'license:x9'];
const idArb = fc
  .record({ value: fc.constantFrom(...VALUES), prefix: fc.constantFrom('', 'license:', 'steam:', 'discord:', 'LICENSE:', ' fivem: '), upper: fc.boolean() })
  .map(({ value, prefix, upper }) => (upper ? `${prefix}${value}`.toUpperCase() : `${prefix}${value}`));
const dateArb = fc.oneof(
  // Canonical ISO text (kept as a number), and what is not: a date alone, a blank, an offset, junk.
  fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()),
  fc.constantFrom('', '2023-01-01', '2024-06-01T12:00:00Z', '2024-06-01T12:00:00.000+00:00', 'not a date', '2024-13-01T00:00:00.000Z'),
);
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const accountArb = fc
  .record({
    // Canonical uuids (kept as 16 bytes) and others (kept as text); cachedAccount lower-cases them all.
    uuid: fc.constantFrom('u-a', 'U-C', '3f2b8c1e-0a4d-4e5f-9b6a-7c8d9e0f1a2b', '3F2B8C1E-0A4D-4E5F-9B6A-7C8D9E0F1A2B', '00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff', '3f2b8c1e-0a4d-4e5f-9b6a-7c8d9e0f1a2', 'g0000000-0000-4000-8000-000000000000'),
    username: fc.constantFrom('Alex_Hill', 'alex_hill', 'Sam', 'sam ', 'Jo', ''),
    communityUserId: fc.option(fc.constantFrom('player-7', 'aa11', 'license:BB22'), { nil: null }),
    apiIds: fc.array(fc.oneof(idArb, fc.constantFrom('', '  ', 'license:')), { maxLength: 4 }),
    status: fc.constantFrom(0, 1, 1, 2, 3, 4, 4, 7),
    joined: dateArb,
    lastLogin: dateArb,
    w0: int32,
    w1: int32,
    w2: int32,
    observedAt: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 })),
  })
  .map((a): CachedAccount => cachedAccount(a.uuid, a.username, a.communityUserId, a.apiIds, a.status, a.joined, a.lastLogin, a.w0, a.w1, a.w2, a.observedAt));
const probeArb = fc.oneof(idArb, fc.constantFrom('u-a', 'U-B', 'u-c', '3f2b8c1e-0a4d-4e5f-9b6a-7c8d9e0f1a2b', '3F2B8C1E-0A4D-4E5F-9B6A-7C8D9E0F1A2B', '3f2b8c1e0a4d4e5f9b6a7c8d9e0f1a2b', '00000000-0000-4000-8000-000000000001', 'g0000000-0000-4000-8000-000000000000', 'alex_HILL', ' sam ', 'jo', 'nobody', '', 'player-7', 'steam:', 'license:license:x9'));
/** A sweep's accounts, then lookups merged into the index it built, then players asking. */
const roundArb = fc.record({
  sweep: fc.array(accountArb, { maxLength: 8 }),
  lookups: fc.array(accountArb, { maxLength: 5 }),
  probes: fc.array(probeArb, { minLength: 1, maxLength: 6 }),
  players: fc.array(fc.array(probeArb, { maxLength: 3 }), { maxLength: 3 }),
});

const RUNS = Number(process.env.FC_RUNS ?? 1000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

/** What both answer (the compact one also shows its columns). */
type Answers = Pick<AccountIndex, 'size' | 'byUuid' | 'find' | 'accountsFor' | 'standing' | 'upsert' | 'prefixedTypes'>;

const uuids = (accounts: readonly CachedAccount[]) => accounts.map((a) => a.uuid);

function sameAnswers(got: Answers, want: Answers, probes: string[], players: string[][]) {
  expect(got.size).toBe(want.size);
  expect([...got.byUuid.keys()]).toEqual([...want.byUuid.keys()]);
  expect([...got.byUuid.values()]).toEqual([...want.byUuid.values()]);
  for (const uuid of want.byUuid.keys()) expect(got.byUuid.get(uuid)).toEqual(want.byUuid.get(uuid));
  expect([...got.prefixedTypes].sort()).toEqual([...want.prefixedTypes].sort());
  for (const key of probes) {
    expect(got.find(key), `find(${JSON.stringify(key)})`).toEqual(want.find(key));
    expect(got.accountsFor(key), `accountsFor(${JSON.stringify(key)})`).toEqual(want.accountsFor(key));
  }
  for (const ids of players) {
    const [g, w] = [got.standing(ids), want.standing(ids)];
    expect(g.account).toEqual(w.account);
    expect(g.banned).toBe(w.banned);
    expect(uuids(g.reached)).toEqual(uuids(w.reached));
    expect(g.reached).toEqual(w.reached);
  }
}

describe('property: the compact index answers exactly as the plain model of CachedAccount objects', () => {
  it("for any sweeps, lookups between them and questions asked; a sweep's changes as the objects' diff says", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(roundArb, { minLength: 1, maxLength: 3 }), async (rounds) => {
        let before: [AccountIndex, Answers] | null = null;
        for (const { sweep, lookups, probes, players } of rounds) {
          const builders = [createIndexBuilder(), createReferenceBuilder()] as const;
          for (const account of sweep) for (const b of builders) b.add(account);
          expect(builders[0].size).toBe(builders[1].size);
          const [got, want] = [builders[0].finish(), builders[1].finish()];
          const ids = (c: { id: string; kept: CachedAccount; dropped: CachedAccount }) => [c.id, c.kept, c.dropped];
          expect(got.conflicts.map(ids)).toEqual(want.conflicts.map(ids));
          sameAnswers(got.index, want.index, probes, players);
          if (before !== null) expect(await diffIndexes(before[0], got.index)).toEqual(await diffAccounts(before[1].byUuid, want.index.byUuid));
          for (const account of lookups) {
            expect(got.index.upsert(account)).toEqual(want.index.upsert(account));
            sameAnswers(got.index, want.index, probes, players);
          }
          before = [got.index, want.index];
        }
      }),
      { numRuns: RUNS, seed: SEED, verbose: true },
    );
  });

  it('uuids: any set of them, canonical or not, each found by its exact text (or from another column) and printed back; any other text finds none', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{32}$/).map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
    const uuidArb = fc.oneof(hex, hex.map((u) => u.toUpperCase()), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(fc.uniqueArray(uuidArb, { maxLength: 300 }), fc.uniqueArray(uuidArb, { maxLength: 20 }), (held, asked) => {
        const column = createUuidColumn();
        held.forEach((uuid, slot) => column.add(slot, uuid));
        if (held.length % 2 === 0) column.trim(held.length);
        held.forEach((uuid, slot) => {
          expect(column.find(uuid)).toBe(slot);
          expect(column.text(slot)).toBe(uuid);
        });
        const other = createUuidColumn();
        asked.forEach((uuid, slot) => other.add(slot, uuid));
        asked.forEach((uuid, slot) => {
          const want = held.includes(uuid) ? held.indexOf(uuid) : undefined;
          expect(column.find(uuid)).toBe(want);
          expect(column.findSame(other, slot)).toBe(want); // one column's uuid looked up in another, no text printed
        });
      }),
      { numRuns: Math.max(50, RUNS / 10), seed: SEED },
    );
  });

  it('hands out one object per account while it is unchanged, and a new one once a lookup changed it', () => {
    const b = createIndexBuilder();
    b.add(cachedAccount('u-a', 'Alex', null, ['license:aa11', 'steam:110000100000001'], 1, '', '', 1, 0, 0, 5));
    const { index } = b.finish();
    const first = index.find('aa11')!;
    expect(index.find('steam:110000100000001')).toBe(first);
    expect(index.standing(['license:aa11', 'steam:110000100000001']).reached).toEqual([first]);
    expect(Object.isFrozen(first)).toBe(true);
    index.upsert(cachedAccount('u-a', 'Alex', null, ['license:aa11'], 4, '', '', 1, 0, 0, 6));
    const after = index.find('aa11')!;
    expect(after).not.toBe(first);
    expect(after.status).toBe(4);
    expect(first.status).toBe(1); // what was handed out before is never changed under its holder
  });
});
