// Issue 23's steady sweep keeps an account the cache holds unchanged as its slot and a date
// (src/core/sweep-accounts.ts). Against the plain map of the page's objects it replaces: for any held
// index, any listings (unchanged, changed, new, listed twice), lookups rewriting the held index between
// them (detach first, as account-cache.ts merge() does) and any order, it holds exactly what the map
// holds: size, order, keys, values, get, has; the numbers it counts accounts by name one uuid each; and
// the index built from it, its unchanged accounts copied from the held columns, is the one built from the map.
// Seed printed on failure; FC_SEED / FC_RUNS replay or widen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndexBuilder } from '../../src/core/account-index';
import { growingMap } from '../../src/core/parted-map';
import { sweptAccounts } from '../../src/core/sweep-accounts';
import type { CachedAccount } from '../../src/core/types';
import { accountArb, changed, PROBES, stepArb, UUIDS } from './held-accounts.arbitraries';

const RUNS = Number(process.env.FC_RUNS ?? 500);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

describe('property: a sweep over the held index keeps exactly what the plain map of its pages keeps', () => {
  it('for any held accounts, listings and lookups rewriting the held index between them', () => {
    fc.assert(
      fc.property(fc.array(accountArb, { maxLength: 6 }), fc.array(stepArb, { maxLength: 14 }), (held, steps) => {
        const builder = createIndexBuilder();
        for (const account of held) builder.add(account);
        const { index } = builder.finish();
        const swept = sweptAccounts(index);
        const model = growingMap<CachedAccount>();
        const keys = new Map(UUIDS.map((uuid) => [uuid, swept.keyOf(uuid)]));
        const heldNow = () => [...index.byUuid.values()];
        // The sweep's own rule for an account listed twice (sweep.ts): the newer observation.
        const list = (account: CachedAccount) => {
          const was = model.get(account.uuid);
          expect(swept.get(account.uuid)).toEqual(was);
          if (was !== undefined && account.observedAt < was.observedAt) return;
          model.set(account.uuid, account);
          swept.set(account.uuid, account);
        };
        for (const step of steps) {
          const now = heldNow();
          if (step.kind === 'list') list(step.account);
          else if (step.kind === 'relist') {
            if (now.length > 0) list({ ...now[step.pick % now.length]!, observedAt: step.at });
          } else if (step.kind === 'relistChanged') {
            if (now.length > 0) list({ ...changed(now[step.pick % now.length]!, step.field), observedAt: step.at });
          } else {
            const account = step.kind === 'lookup' ? step.account : now.length > 0 ? { ...now[step.pick % now.length]!, observedAt: step.at } : null;
            if (account === null) continue;
            swept.detach(account.uuid);
            index.upsert(account);
          }
          expect(swept.size).toBe(model.size);
        }
        expect([...swept.keys()]).toEqual([...model.keys()]);
        expect([...swept.values()]).toEqual([...model.values()]);
        expect([...swept.entries()]).toEqual([...model.entries()]);
        const each: [string, CachedAccount][] = [];
        swept.forEach((value, key) => each.push([key, value]));
        expect(each).toEqual([...model]);
        for (const uuid of UUIDS) {
          expect(swept.get(uuid)).toEqual(model.get(uuid));
          expect(swept.has(uuid)).toBe(model.has(uuid));
          // One name per uuid for the whole sweep, whatever the index took in meanwhile.
          expect(swept.keyOf(uuid)).toBe(keys.get(uuid));
        }
        expect(new Set(keys.values()).size).toBe(UUIDS.length);
        // The new index built from it (readings copied column by column, account-cache.ts) is the one
        // built from the plain map's objects.
        const want = createIndexBuilder(model.size);
        for (const account of model.values()) want.add(account);
        const got = createIndexBuilder(swept.size);
        for (const entry of swept.raw()) {
          if (typeof entry === 'number') got.addFrom(index, entry, swept.seenAt(entry));
          else got.add(entry);
        }
        // An account added twice (the builder's merge rule), once copied: as if added twice as objects.
        const again = [...swept.raw()].find((entry) => typeof entry === 'number');
        if (typeof again === 'number') {
          want.add(index.store.build(again, swept.seenAt(again) + 1));
          got.addFrom(index, again, swept.seenAt(again) + 1);
        }
        const [w, g] = [want.finish(), got.finish()];
        expect(g.conflicts).toEqual(w.conflicts);
        expect([...g.index.byUuid.entries()]).toEqual([...w.index.byUuid.entries()]);
        expect([...g.index.prefixedTypes].sort()).toEqual([...w.index.prefixedTypes].sort());
        for (const key of PROBES) {
          expect(g.index.find(key), key).toEqual(w.index.find(key));
          expect(g.index.accountsFor(key), key).toEqual(w.index.accountsFor(key));
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
