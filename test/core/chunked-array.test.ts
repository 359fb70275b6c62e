// The chunked columns behind the store and the sweep's order (issue 23) read as one plain array would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkedArray } from '../../src/core/chunked-array';

type Op = { push: string } | { set: [number, string] };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ push: fc.string({ maxLength: 3 }) }),
  // Indexes across several chunks (1,024 entries each), ahead of the length too.
  fc.record({ set: fc.tuple(fc.nat({ max: 5_000 }), fc.string({ maxLength: 3 })) }),
);

describe('chunkedArray', () => {
  it('length, at, push and slice as a plain array, across chunk boundaries and past the end', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(fc.nat({ max: 6_000 }), { maxLength: 20 }), (ops, probes) => {
        const plain: string[] = [];
        const chunked = chunkedArray<string>();
        for (const o of ops) {
          if ('push' in o) expect(chunked.push(o.push)).toBe(plain.push(o.push) - 1);
          else {
            chunked.set(o.set[0], o.set[1]);
            plain[o.set[0]] = o.set[1];
          }
          expect(chunked.length).toBe(plain.length);
        }
        for (const i of probes) expect(chunked.at(i)).toBe(plain[i]);
        for (const i of probes) {
          const end = Math.min(plain.length, i + 7);
          if (i <= end) expect(chunked.slice(i, end)).toEqual(plain.slice(i, end));
        }
      }),
    );
  });

  it('holds 50,000 entries, each where it was put', () => {
    const chunked = chunkedArray<number>();
    for (let i = 0; i < 50_000; i++) chunked.push(i * 3);
    expect(chunked.length).toBe(50_000);
    for (const i of [0, 1_023, 1_024, 1_025, 32_767, 49_999]) expect(chunked.at(i)).toBe(i * 3);
    expect(chunked.at(50_000)).toBeUndefined();
  });
});
