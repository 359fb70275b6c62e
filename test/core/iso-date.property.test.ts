// The compact store keeps canonical ISO dates as numbers (src/core/iso-date.ts): a date must print back
// to exactly the text the CAD sent, and any other text must be refused (kept as text). Seed printed on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoMs, isoText } from '../../src/core/iso-date';

const RUNS = Number(process.env.FC_RUNS ?? 5000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('property: ISO dates as numbers', () => {
  it('every instant from 1970 to 9999: isoText is toISOString, and isoMs reads it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LAST }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(isoText(ms)).toBe(text);
        expect(isoMs(text)).toBe(ms);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('any other text is no number (it stays text), and a number is only ever the text it came from', () => {
    const near = fc
      .tuple(fc.integer({ min: -LAST, max: 2 * LAST }), fc.nat(23), fc.string({ maxLength: 2 }))
      .map(([ms, at, piece]) => {
        const text = Number.isFinite(new Date(ms).getTime()) ? new Date(ms).toISOString() : '';
        return text.slice(0, at) + piece + text.slice(at + piece.length);
      });
    fc.assert(
      fc.property(fc.oneof(near, fc.string({ maxLength: 30 }), fc.constantFrom('', '2023-01-01', '2023-02-29T00:00:00.000Z', '2024-02-29T24:00:00.000Z', '1969-12-31T23:59:59.999Z')), (text) => {
        const ms = isoMs(text);
        if (!Number.isNaN(ms)) expect(isoText(ms)).toBe(text);
        else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text) && text >= '1970' && !Number.isNaN(Date.parse(text))) {
          expect(new Date(Date.parse(text)).toISOString()).not.toBe(text);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
