// The parted maps behind the index and the sweep (issue 23) answer exactly as one Map / Set would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growingMap, partedSet, partIndex, PARTS } from '../../src/core/parted-map';

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 40 }), fc.uuid());

describe('parted maps', () => {
  it('growingMap: get, has, size and iteration in insertion order, as a Map (a key set again keeps its place)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer())), fc.array(key, { maxLength: 5 }), (sets, probes) => {
        const map = new Map<string, number>();
        const parted = growingMap<number>();
        for (const [k, v] of sets) {
          map.set(k, v);
          expect(parted.set(k, v)).toBe(parted);
        }
        expect(parted.size).toBe(map.size);
        expect([...parted]).toEqual([...map]);
        expect([...parted.keys()]).toEqual([...map.keys()]);
        expect([...parted.values()]).toEqual([...map.values()]);
        const seen: [string, number][] = [];
        parted.forEach((v, k) => seen.push([k, v]));
        expect(seen).toEqual([...map.entries()]);
        for (const k of [...probes, ...sets.map(([s]) => s)]) {
          expect(parted.get(k)).toBe(map.get(k));
          expect(parted.has(k)).toBe(map.has(k));
        }
      }),
    );
  });

  it('growingMap: a key added while iterating is visited, as by a Map iterator', () => {
    const parted = growingMap<number>();
    parted.set('a', 1);
    const visited: string[] = [];
    for (const k of parted.keys()) {
      visited.push(k);
      if (k === 'a') parted.set('b', 2);
    }
    expect(visited).toEqual(['a', 'b']);
  });

  it('partedSet counts distinct keys as a Set does', () => {
    fc.assert(
      fc.property(fc.array(key), (keys) => {
        const set = partedSet();
        for (const k of keys) set.add(k);
        expect(set.size).toBe(new Set(keys).size);
      }),
    );
  });

  it('spreads every form of ID the CAD sends evenly over its parts: no part grows (and rehashes) much more than its share at once', () => {
    let seed = 23;
    const random = () => {
      // mulberry32: the same keys every run.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const forms: Record<string, () => string> = {
      license: () => chars('0123456789abcdef', 40),
      'license upper case': () => chars('0123456789ABCDEF', 40),
      'steam hex': () => `1100001${chars('0123456789abcdef', 8)}`,
      discord: () => chars('123456789', 1) + chars('0123456789', 17),
      fivem: () => String(1 + Math.floor(random() * 9_000_000)),
      uuid: () => `${chars('0123456789abcdef', 8)}-${chars('0123456789abcdef', 4)}-4${chars('0123456789abcdef', 3)}-a${chars('0123456789abcdef', 3)}-${chars('0123456789abcdef', 12)}`,
    };
    const n = 20_000;
    for (const [form, next] of Object.entries(forms)) {
      const counts = new Array<number>(PARTS).fill(0);
      for (let i = 0; i < n; i++) counts[partIndex(next())]! += 1;
      // Hex endings use 16 parts, decimal ones 10: the largest holds at most ~1/16 and 1/10 of the keys.
      expect(Math.max(...counts), form).toBeLessThanOrEqual((1.8 * n) / 16);
    }
    for (const key of ['', 'a', 'ab', 'license:']) expect(partIndex(key)).toSatisfy((part: number) => Number.isInteger(part) && part >= 0 && part < PARTS);
  });
});
