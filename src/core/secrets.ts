// The one way a secret is masked, wherever text leaves the resource (log lines, CAD failure messages).
// Any piece of a secret at least PIECE characters long is masked (an answer that quotes the request cut
// short, or a message cut to a length, would otherwise show a prefix of the key), and a form of it
// shorter than that is masked whole. Matched without regard to ASCII case (v1 answers its errors in
// capitals, and a key of hex digits reads the same in either case) and in the forms a proxy or CAD may
// quote a request in: JSON-escaped, URL-escaped (as encodeURIComponent does, every non-alphanumeric
// character, every byte, or twice), hex (also byte by byte between spaces) and base64 (at each of the
// three byte alignments a quoted key can sit at), the last two also of the key upper- or lower-cased.

import { Buffer } from 'node:buffer';

/** Shorter "secrets" are not masked: masking a "1" would garble every number in a message. */
const MIN_SECRET_LENGTH = 4;
/** No run of this many characters of a secret (in any form below) gets through. */
export const PIECE = 8;

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of readableForms(secret)) out = maskPieces(out, form);
  }
  return out;
}
/** A value worked out once per secret (a resource has one or two; the bound only stops growth). */
function once<T>(cache: Map<string, T>, secret: string, make: () => T): T {
  let value = cache.get(secret);
  // Stryker disable next-line all: a cache; without it, or with another bound, the value is only worked out again.
  if (value === undefined) {
    value = make();
    // Stryker disable next-line all: a cache; without it, or with another bound, the value is only worked out again.
    if (cache.size < 16) cache.set(secret, value);
  }
  return value;
}

const formsOf = new Map<string, readonly string[]>();

/** The secret as a reader could find it in quoted text, lower-cased (pieces are compared case-blind). */
const readableForms = (secret: string): readonly string[] =>
  once(formsOf, secret, () => {
    const url = encodeURIComponent(secret);
    const percent = (b: number) => `%${b.toString(16).padStart(2, '0')}`;
    // Stricter encoders escape what encodeURIComponent leaves (-_.!~*'()), or every byte; a URL inside a URL is escaped twice.
    const escaped = [url, url.replace(/[^%0-9a-z]/gi, (c) => percent(c.charCodeAt(0))), [...Buffer.from(secret)].map(percent).join('')];
    const forms = [secret, JSON.stringify(secret).slice(1, -1), ...escaped, ...escaped.map(encodeURIComponent)];
    // Byte encodings of the key as it is and upper- or lower-cased first (a proxy that shouts, then encodes).
    for (const text of new Set([secret, asciiLower(secret), secret.replace(/[a-z]/g, (c) => c.toUpperCase())])) {
      const bytes = Buffer.from(text);
      forms.push(bytes.toString('hex'), [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' '));
      for (const pad of [0, 1, 2]) {
        // Only the base64 characters made of the secret's own bits: the outer ones depend on its neighbours.
        const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
        forms.push(b64.slice(Math.ceil((pad * 8) / 6), Math.floor(((pad + bytes.length) * 8) / 6)));
      }
    }
    return [...new Set(forms.map(asciiLower))];
  });

/** Lower case for A-Z only: the length stays the same, so indexes into the original text still hold. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Replaces every longest run of `text` that is (case-blind) a substring of `form` and PIECE long, or all of a shorter form. */
function maskPieces(text: string, form: string): string {
  const need = Math.min(PIECE, form.length);
  const low = asciiLower(text);
  let out = '';
  let i = 0;
  let copiedTo = 0;
  while (i + need <= low.length) {
    if (!form.includes(low.slice(i, i + need))) {
      i += 1;
      continue;
    }
    let end = i + need;
    // Stryker disable next-line EqualityOperator: slice() stops at the end: one step past it finds the same run.
    while (end < low.length && form.includes(low.slice(i, end + 1))) end += 1;
    out += `${text.slice(copiedTo, i)}***`;
    i = end;
    copiedTo = end;
  }
  return out + text.slice(copiedTo);
}

/** Per secret: hashes of every PIECE-character window of its forms (case-blind), and its forms shorter than that. */
const windowsOf = new Map<string, { hashes: ReadonlySet<number>; short: readonly string[] }>();
const BASE = 31;
const BASE_POW = Array.from({ length: PIECE - 1 }).reduce<number>((p) => Math.imul(p, BASE), 1); // BASE^(PIECE-1), 32-bit
const SMALL = 0x3fffffff;

const lowerCode = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** True once `found` is true for the rolling hash (case-blind, small-integer range) of a PIECE-character window of `text`. */
function someWindow(text: string, found: (hash: number) => boolean): boolean {
  let h = 0;
  // Stryker disable next-line EqualityOperator: one step past the end reads charCodeAt(length), NaN: the hash 0 is tried, a collision at most.
  for (let i = 0; i < text.length; i++) {
    // Stryker disable next-line ConditionalExpression: before PIECE characters the one leaving is charCodeAt(< 0), NaN, which imul makes 0.
    if (i >= PIECE) h = (h - Math.imul(lowerCode(text.charCodeAt(i - PIECE)), BASE_POW)) | 0;
    h = (Math.imul(h, BASE) + lowerCode(text.charCodeAt(i))) | 0;
    if (i >= PIECE - 1 && found(h & SMALL)) return true;
  }
  return false;
}

const windowsOfSecret = (secret: string) =>
  once(windowsOf, secret, () => {
    const hashes = new Set<number>();
    const add = (h: number) => {
      hashes.add(h);
      return false;
    };
    for (const form of readableForms(secret)) someWindow(form, add);
    // Stryker disable next-line MethodExpression,ConditionalExpression,EqualityOperator: a form of PIECE or more is the hash's; listing it here too finds nothing more.
    return { hashes, short: readableForms(secret).filter((form) => form.length < PIECE) };
  });

/**
 * A cheap first test for text that arrives in bulk (every account of every page): true when some PIECE
 * characters of `text` may be (case-blind) a piece of one of a secret's forms, by a rolling hash without
 * allocating, or when it holds a form shorter than that (a short key's). Only then is the text worth
 * maskSecrets() (a hash collision costs just that).
 */
export function mayHoldSecret(text: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const { hashes, short } = windowsOfSecret(secret);
    if (someWindow(text, (h) => hashes.has(h))) return true;
    // Only a key under PIECE characters has short forms, so the common long key never lowers the text.
    if (short.some((form) => asciiLower(text).includes(form))) return true;
  }
  return false;
}
