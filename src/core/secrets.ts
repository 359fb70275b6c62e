// The one way a secret is masked, wherever text leaves the resource (log lines, CAD failure messages).
// Whole secrets are masked, and so is any piece of one at least PIECE characters long: an answer that
// quotes the request cut short (or a message cut to a length) would otherwise show a prefix of the key.
// Pieces are matched without regard to ASCII case (v1 answers its errors in capitals, and a key of hex
// digits reads the same in either case) and in the forms a proxy or CAD may quote a request in: JSON- and
// URL-escaped, hex and base64 (at each of the three byte alignments a quoted key can sit at).

import { Buffer } from 'node:buffer';

/** Shorter "secrets" are not masked: masking a "1" would garble every number in a message. */
const MIN_SECRET_LENGTH = 4;
/** No run of this many characters of a secret (in any form below) gets through. */
export const PIECE = 8;

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join('***');
    if (secret.length >= PIECE) for (const form of readableForms(secret)) out = maskPieces(out, form);
  }
  return out;
}

const formsOf = new Map<string, readonly string[]>();

/** The secret as a reader could find it in quoted text, lower-cased (pieces are compared case-blind). */
function readableForms(secret: string): readonly string[] {
  const known = formsOf.get(secret);
  if (known) return known;
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), bytes.toString('hex')];
  for (let pad = 0; pad < 3; pad++) {
    // Only the base64 characters made of the secret's own bits: the outer ones depend on its neighbours.
    const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    forms.push(b64.slice(Math.ceil((pad * 8) / 6), Math.floor(((pad + bytes.length) * 8) / 6)));
  }
  const unique = [...new Set(forms.map(asciiLower))].filter((f) => f.length >= PIECE);
  if (formsOf.size < 16) formsOf.set(secret, unique);
  return unique;
}

/** Lower case for A-Z only: the length stays the same, so indexes into the original text still hold. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** Replaces every longest run of `text` that is (case-blind) a substring of `secret` and at least PIECE long. */
function maskPieces(text: string, secret: string): string {
  const low = asciiLower(text);
  let out = '';
  let i = 0;
  let copiedTo = 0;
  while (i + PIECE <= low.length) {
    if (!secret.includes(low.slice(i, i + PIECE))) {
      i += 1;
      continue;
    }
    let end = i + PIECE;
    while (end < low.length && secret.includes(low.slice(i, end + 1))) end += 1;
    out += `${text.slice(copiedTo, i)}***`;
    i = end;
    copiedTo = end;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** Hashes of every PIECE-character window of a secret's forms (case-blind), per secret. */
const windowsOf = new Map<string, ReadonlySet<number>>();
const BASE = 31;
const BASE_POW = Array.from({ length: PIECE - 1 }).reduce<number>((p) => Math.imul(p, BASE), 1); // BASE^(PIECE-1), 32-bit

const lowerCode = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** Rolling hash of each PIECE-character window of `text`, case-blind, in small-integer range. */
function windowHashes(text: string, into: Set<number>): void {
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    if (i >= PIECE) h = (h - Math.imul(lowerCode(text.charCodeAt(i - PIECE)), BASE_POW)) | 0;
    h = (Math.imul(h, BASE) + lowerCode(text.charCodeAt(i))) | 0;
    if (i >= PIECE - 1) into.add(h & SMALL);
  }
}
const SMALL = 0x3fffffff;

/**
 * A cheap first test for text that arrives in bulk (every account of every page): true when some PIECE
 * characters of `text` may be (case-blind) a piece of a secret in one of its forms, by a rolling hash
 * without allocating. Only then is the text worth maskSecrets() (a hash collision costs just that).
 */
export function mayHoldSecret(text: string, secrets: readonly string[]): boolean {
  const n = text.length;
  if (n < PIECE) return false;
  for (const secret of secrets) {
    if (secret.length < PIECE) continue;
    let windows = windowsOf.get(secret);
    if (!windows) {
      const set = new Set<number>();
      for (const form of readableForms(secret)) windowHashes(form, set);
      windows = set;
      if (windowsOf.size < 16) windowsOf.set(secret, set);
    }
    let h = 0;
    for (let i = 0; i < n; i++) {
      if (i >= PIECE) h = (h - Math.imul(lowerCode(text.charCodeAt(i - PIECE)), BASE_POW)) | 0;
      h = (Math.imul(h, BASE) + lowerCode(text.charCodeAt(i))) | 0;
      if (i >= PIECE - 1 && windows.has(h & SMALL)) return true;
    }
  }
  return false;
}
