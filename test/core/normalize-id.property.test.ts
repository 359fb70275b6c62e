// normalizeId() is on every connect and lookup, written for speed; this states what it must equal, the
// slow and obvious way, over random IDs made of the parts that matter: known and unknown `type:`
// prefixes in any case, whitespace and zero-width characters (ASCII, no-break, ideographic) around
// and inside, upper- and lower-case letters, digits and the characters next to the letters' ranges,
// Steam IDs in each of Steam's notations (SteamID64 at both ends of its range, SteamID2, SteamID3, profile URLs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeId } from '../../src/core/account-index';

const RUNS = Number(process.env.FC_RUNS ?? 3000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

const KNOWN = ['license2', 'license', 'steam', 'discord', 'fivem', 'xbl', 'live', 'ip'];
const BLANKS = [' ', '\t', '\n', '\u00a0', '\u3000', '\ufeff', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2028', '\u00ad', '\u202a', '\u202c', '\u202e', '\u2066', '\u2069', '\u061c'];
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
  // A Steam account in any of Steam's notations becomes the hex of FiveM's steam: identifier.
  const first = 76561197960265728n;
  const hex = (account: bigint) => (account >= 0n && account < 2n ** 32n ? (first + account).toString(16) : key);
  let m: RegExpMatchArray | null;
  if ((m = /^(?:https?:\/\/)?(?:www\.)?steamcommunity\.com\/profiles\/(7656[0-9]{13})(?:[/?#].*)?$/.exec(key))) return hex(BigInt(m[1]!) - first);
  if ((m = /^(?:https?:\/\/)?(?:www\.)?steamcommunity\.com\/profiles\/\[u:1:([0-9]{1,10})\](?:[/?#].*)?$/.exec(key))) return hex(BigInt(m[1]!));
  if (/^7656[0-9]{13}$/.test(key)) return hex(BigInt(key) - first);
  if ((m = /^steam_[0-5]:\s*([01]):\s*([0-9]{1,10})$/.exec(key))) return hex(BigInt(m[2]!) * 2n + BigInt(m[1]!));
  if ((m = /^\[?u:1:([0-9]{1,10})\]?$/.exec(key))) return hex(BigInt(m[1]!));
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
  fc.tuple(fc.constantFrom('STEAM_0:', 'steam_1:', 'STEAM_6:'), fc.constantFrom('0:', '1:', '2:'), fc.bigInt({ min: 0n, max: 2n ** 31n + 5n })).map(([a, b, z]) => `${a}${b}${z}`),
  fc.tuple(fc.constantFrom('[U:1:', 'U:1:', '[u:1:', '[U:2:'), fc.bigInt({ min: 0n, max: 2n ** 32n + 5n }), fc.constantFrom(']', '')).map(([a, n, b]) => `${a}${n}${b}`),
  fc.tuple(fc.constantFrom('https://steamcommunity.com/profiles/', 'steamcommunity.com/profiles/', 'http://www.steamcommunity.com/profiles/', 'https://steamcommunity.com/id/'), fc.bigInt({ min: 76561197960265700n, max: 76561197960265800n }), fc.constantFrom('/', '', '/home', '/?l=english', '#x', 'x')).map(([a, n, b]) => `${a}${n}${b}`),
  fc.tuple(fc.constantFrom('https://steamcommunity.com/profiles/[U:1:', 'steamcommunity.com/profiles/[u:2:'), fc.bigInt({ min: 0n, max: 100n }), fc.constantFrom(']', ']/', ']/home', '')).map(([a, n, b]) => `${a}${n}${b}`),
  fc.tuple(fc.constantFrom('STEAM_0: ', 'STEAM_1:'), fc.constantFrom('0:', '1: ', '1:  '), fc.bigInt({ min: 0n, max: 1000n })).map(([a, b, z]) => `${a}${b}${z}`),
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
