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
