// The parted maps behind the index and the sweep (issue 23) answer exactly as one Map / Set would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growingMap, partedSet } from '../../src/core/parted-map';

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
});
