// normalizeId() is on every connect and lookup, written for speed; this states what it must equal, the
// slow and obvious way, over random IDs made of the parts that matter: known and unknown `type:`
// prefixes in any case, whitespace and zero-width characters (ASCII, no-break, ideographic) around
// and inside, upper- and lower-case letters, digits and the characters next to the letters' ranges,
// numbers at both ends of the SteamID64 range.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeId } from '../../src/core/account-index';

const RUNS = Number(process.env.FC_RUNS ?? 3000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

const KNOWN = ['license2', 'license', 'steam', 'discord', 'fivem', 'xbl', 'live', 'ip'];
const BLANKS = [' ', '\t', '\n', '\u00a0', '\u3000', '\ufeff', '\u200b', '\u200c', '\u200d', '\u2060', '\u2028'];
const blank = (s: string) => BLANKS.includes(s) || /\s/.test(s);

/** The rule as an owner reads it: trim (also Unicode and zero-width), drop a known prefix (any case), trim, lower-case, Steam IDs in hex. */
function reference(id: string): string {
  const trim = (s: string) => {
    const chars = [...s];
    while (chars.length > 0 && blank(chars[0]!)) chars.shift();
    while (chars.length > 0 && blank(chars[chars.length - 1]!)) chars.pop();
    return chars.join('');
  };
  let s = trim(id);
  const colon = s.indexOf(':');
  if (colon > 0 && KNOWN.includes(s.slice(0, colon).toLowerCase())) s = s.slice(colon + 1);
  const key = trim(s).toLowerCase();
  // A decimal SteamID64 of an individual account becomes the hex of FiveM's steam: identifier.
  const first = 76561197960265728n;
  if (/^[0-9]{17}$/.test(key) && BigInt(key) >= first && BigInt(key) < first + 2n ** 32n) return BigInt(key).toString(16);
  return key;
}

const partArb = fc.oneof(
  fc.constantFrom(...KNOWN, 'licence', 'xbox', 'ip2', 'x', '').chain((t) => fc.constantFrom(`${t}:`, `${t.toUpperCase()}:`, `${t.charAt(0).toUpperCase()}${t.slice(1)}:`)),
  fc.constantFrom(...BLANKS),
  fc.constantFrom('a', 'z', 'A', 'Z', '@', '[', '`', '{', '0', '9', '/', '\u00e9', '\u00c9', '\u007f', '\u0085', '\u009f', ':'),
  fc.stringMatching(/^[0-9a-fA-F]{1,16}$/),
  // Around both ends of the SteamID64 range of individual accounts, and Discord-like 17-19 digit numbers.
  fc.bigInt({ min: 76561197960265718n, max: 76561197960265738n }).map(String),
  fc.bigInt({ min: 76561202255233013n, max: 76561202255233033n }).map(String),
  fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n }).map(String),
);
const idArb = fc.array(partArb, { maxLength: 8 }).map((parts) => parts.join(''));

describe('property: normalizeId is the plain rule, fast', () => {
  it('equals trim, drop a known prefix, trim, lower case, for any mix of prefixes, blanks and letters', () => {
    fc.assert(
      fc.property(idArb, (id) => {
        expect(normalizeId(id)).toBe(reference(id));
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  });

  it('a bare lower-case ID is its own key, with or without a known prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-z]{1,20}$/), (id) => {
        expect(normalizeId(id)).toBe(id);
        for (const t of KNOWN) expect(normalizeId(`${t}:${id}`)).toBe(id);
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  });
});
