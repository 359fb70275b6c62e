// The merge rule and the standing rule as properties of the core alone (no I/O, thousands of runs):
// whatever order observations arrive in, through a sweep's index builder or single-lookup upserts, each
// account ends up as its newest observation, and a player is banned exactly when one of their
// identifiers reaches an account whose newest observation is banned. Seed printed on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndexBuilder } from '../../src/core/account-index';
import { cachedAccount } from '../../src/core/account-record';

type Obs = { uuid: string; observedAt: number; status: number; apiIds: string[] };
const record = (o: Obs) => cachedAccount(o.uuid, o.uuid, null, o.apiIds, o.status, '', '', 0, 0, 0, o.observedAt);

const VALUES = ['aa11', 'bb22', '110000101', '5550001'];
const idArb = fc.record({ value: fc.constantFrom(...VALUES), prefix: fc.constantFrom('', 'license:', 'steam:', 'discord:', 'LICENSE:'), upper: fc.boolean() }).map(({ value, prefix, upper }) =>
  upper ? `${prefix}${value}`.toUpperCase() : `${prefix}${value}`,
);
const observationArb = fc.record({
  uuid: fc.constantFrom('u-a', 'u-b', 'U-C', 'u-d'),
  observedAt: fc.integer({ min: 0, max: 12 }),
  status: fc.integer({ min: 0, max: 4 }),
  apiIds: fc.array(idArb, { minLength: 1, maxLength: 3 }),
  viaLookup: fc.boolean(),
});
const playerArb = fc.array(fc.constantFrom(...VALUES).chain((v) => fc.constantFrom(`license:${v}`, `steam:${v}`, `discord:${v}`)), { minLength: 1, maxLength: 3 });

const RUNS = Number(process.env.FC_RUNS ?? 2000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

describe('property: observations merge newest-first, in any order', () => {
  it('each account is its newest observation; banned exactly when a reached newest observation is banned', () => {
    fc.assert(
      fc.property(fc.array(observationArb, { minLength: 1, maxLength: 12 }), playerArb, (observations, player) => {
        const builder = createIndexBuilder();
        const asSweep = observations.filter((o) => !o.viaLookup);
        const asLookups = observations.filter((o) => o.viaLookup);
        for (const o of asSweep) builder.add(record(o));
        const { index } = builder.finish();
        for (const o of asLookups) index.upsert(record(o));

        const newest = new Map<string, { at: number; banned: boolean; ids: Set<string> }>();
        for (const o of observations) {
          const uuid = o.uuid.toLowerCase();
          const held = newest.get(uuid);
          if (held && held.at > o.observedAt) continue;
          // A tie between a banned and another version: banned wins (the ids of tied non-banned versions may differ).
          if (held && held.at === o.observedAt && held.banned) continue;
          newest.set(uuid, { at: o.observedAt, banned: o.status === 4, ids: new Set(o.apiIds.map((id) => id.toLowerCase().replace(/^(license|steam|discord):/, ''))) });
        }
        for (const [uuid, expected] of newest) {
          const got = index.byUuid.get(uuid)!;
          expect(got.observedAt).toBe(expected.at);
          expect(got.status === 4).toBe(expected.banned);
        }
        const reachedBanned = [...index.byUuid.values()].some(
          (a) => a.status === 4 && player.some((id) => a.apiIds.some((stored) => stored.toLowerCase().replace(/^(license|steam|discord):/, '') === id.slice(id.indexOf(':') + 1))),
        );
        expect(index.standing(player).banned).toBe(reachedBanned);
        if (!reachedBanned) expect(index.standing(player).account?.status ?? 1).not.toBe(4);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
