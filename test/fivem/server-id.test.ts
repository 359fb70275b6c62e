// The numeric-string fast path of hasPermission reads ids exactly as parseServerId does (below 2^31).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerId, serverIdOfString } from '../../src/fivem/identifiers';

describe('serverIdOfString', () => {
  it('agrees with parseServerId on any string', () => {
    const candidates = fc.oneof(fc.string(), fc.integer({ min: -10, max: 2 ** 31 + 10 }).map(String), fc.stringMatching(/^[0-9]{0,12}$/));
    fc.assert(
      fc.property(candidates, (s) => {
        const parsed = parseServerId(s);
        const fast = serverIdOfString(s);
        expect(fast).toBe(parsed !== null && parsed <= 0x7fffffff ? parsed : -1);
      }),
      { numRuns: 2000, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });

  it.each([['3', 3], ['65535', 65535], ['03', -1], ['', -1], ['3 ', -1], ['1e3', -1], ['2147483648', -1], ['-2', -1]])('%j -> %i', (s, id) => {
    expect(serverIdOfString(s)).toBe(id);
  });
});
