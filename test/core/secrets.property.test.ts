// The masking promise as properties over random keys and random text: whatever a CAD or proxy quotes
// back (the key whole, any piece of 8 or more characters, in any ASCII case, JSON- or URL-escaped three
// ways or twice, as hex (also of the key upper-cased, also byte by byte between spaces), as base64 at
// any byte alignment; a form under 8 characters whole), none of it survives
// maskSecrets; the cheap pre-check mayHoldSecret never says "no" to such text; and text that holds no
// piece comes back unchanged.
// The forms are worked out here on their own, from their definitions, not from secrets.ts.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIECE, mayHoldSecret, maskSecrets } from '../../src/core/secrets';

const RUNS = Number(process.env.FC_RUNS ?? 500);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

const KEY_CHARS = 'abcdefXYZ0123456789-_+/=.\\é \t'.split('');
const keyArb = (min: number, max: number) => fc.array(fc.constantFrom(...KEY_CHARS), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** Filler from characters no form of a key uses, so a window of it can never be a piece by chance. */
const fillerArb = fc.array(fc.constantFrom(...'!#&()*,;<>?@[]^`{|}~"'.split('')), { maxLength: 20 }).map((a) => a.join(''));

/** The whole quoted form a reader could meet the key in (for base64: the key's bytes among others). */
function quoted(key: string, form: number, pad: number, tail: number): string {
  const bytes = Buffer.from(key, 'utf8');
  switch (form) {
    case 0:
      return key;
    case 1:
      return JSON.stringify(key).slice(1, -1);
    case 2:
      return encodeURIComponent(key);
    case 3:
      return bytes.toString('hex');
    case 4: // a strict encoder: every character but letters and digits escaped
      return [...bytes].map((b) => (/[0-9a-z]/i.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    case 5: // every byte escaped
      return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    case 6: // a proxy that shouts, then hex-encodes
      return Buffer.from(key.replace(/[a-z]/g, (c) => c.toUpperCase())).toString('hex');
    case 7: // a hex dump: bytes between spaces
      return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    case 8: // a URL inside a URL
      return encodeURIComponent(encodeURIComponent(key));
    default:
      return Buffer.concat([Buffer.alloc(pad, 0x41), bytes, Buffer.alloc(tail, 0x42)]).toString('base64');
  }
}

const BASE64 = 9;

/** Characters of `q` made of the key's bits only (base64's outer characters also hold the neighbours'). */
function keyPart(key: string, form: number, pad: number, q: string): string {
  if (form < BASE64) return q;
  const bits = Buffer.byteLength(key, 'utf8') * 8;
  return q.slice(Math.ceil((pad * 8) / 6), Math.floor((pad * 8 + bits) / 6));
}

/** Case is flipped for ASCII letters only: the masker is ASCII-case-blind (v1 answers in capitals; `é` stays `é`). */
const asciiUpper = (c: string) => (c >= 'a' && c <= 'z' ? c.toUpperCase() : c);
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const randomCase = (s: string, flips: boolean[]) => [...s].map((c, i) => (flips[i % flips.length] ? asciiUpper(c) : c)).join('');

/** Every window of `text` (ASCII case-blind) that is a PIECE-long piece of one of the key's forms, or all of a shorter form. */
function leakedPieces(text: string, key: string): string[] {
  const forms = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((f) => asciiLower(quoted(key, f, 0, 0)));
  for (let pad = 0; pad < 3; pad++) forms.push(asciiLower(keyPart(key, BASE64, pad, quoted(key, BASE64, pad, 0))));
  const low = asciiLower(text);
  const found: string[] = [];
  for (const form of forms) {
    const need = Math.min(PIECE, form.length);
    for (let i = 0; i + need <= low.length; i++) if (form.includes(low.slice(i, i + need))) found.push(low.slice(i, i + need));
  }
  return found;
}

const quoteArb = fc.record({
  key: keyArb(4, 40),
  form: fc.integer({ min: 0, max: BASE64 }),
  pad: fc.integer({ min: 0, max: 2 }),
  tail: fc.integer({ min: 0, max: 2 }),
  from: fc.nat(),
  length: fc.nat(),
  flips: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
  before: fillerArb,
  after: fillerArb,
});

describe('property: no piece of the key in any quoted form survives masking', () => {
  it('a piece of 8+ characters of any form (all of a shorter form), in any case, anywhere in the text: masked, and the pre-check says so', () => {
    fc.assert(
      fc.property(quoteArb, ({ key, form, pad, tail, from, length, flips, before, after }) => {
        const part = keyPart(key, form, pad, quoted(key, form, pad, tail));
        const need = Math.min(PIECE, part.length); // a form shorter than PIECE (a short key's) is quoted whole
        const start = from % (part.length - need + 1);
        const piece = part.slice(start, start + need + (length % (part.length - start - need + 1)));
        const text = `${before}${randomCase(piece, flips)}${after}`;
        expect(mayHoldSecret(text, ['other-secret-0000', key])).toBe(true);
        const masked = maskSecrets(text, ['other-secret-0000', key]);
        expect(leakedPieces(masked, key)).toEqual([]);
        expect(masked.startsWith(before) && masked.endsWith(after)).toBe(true);
        expect(masked).toContain('***');
      }),
      params,
    );
  });

  it('text holding no piece of the key is left as it was, and the whole key anywhere becomes ***', () => {
    fc.assert(
      fc.property(keyArb(4, 30), fillerArb, fillerArb, fc.integer({ min: 0, max: 3 }), (key, before, after, times) => {
        expect(maskSecrets(`${before}${after}`, [key])).toBe(`${before}${after}`);
        const text = before + `${key}${after}`.repeat(times);
        const masked = maskSecrets(text, [key]);
        expect(masked).toBe(before + `***${after}`.repeat(times));
        expect(mayHoldSecret(text, [key])).toBe(times > 0);
      }),
      params,
    );
  });

  it('a "secret" shorter than 4 characters masks nothing (a "1" would garble every number)', () => {
    fc.assert(
      fc.property(keyArb(1, 3), fillerArb, (key, filler) => {
        const text = `${filler}${key}${filler}`;
        expect(maskSecrets(text, [key])).toBe(text);
        expect(mayHoldSecret(text, [key])).toBe(false);
      }),
      params,
    );
  });
});
