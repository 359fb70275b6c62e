// The one way a secret is masked, wherever text leaves the resource (log lines, CAD failure messages).
// Whole secrets are masked, and so is any piece of one at least PIECE characters long: an answer that
// quotes the request cut short (or a message cut to a length) would otherwise show a prefix of the key.

/** Shorter "secrets" are not masked: masking a "1" would garble every number in a message. */
const MIN_SECRET_LENGTH = 4;
/** No run of this many characters of a secret gets through. */
export const PIECE = 8;

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join('***');
    if (secret.length >= PIECE) out = maskPieces(out, secret);
  }
  return out;
}

/** Replaces every longest run of `text` that is a substring of `secret` and at least PIECE long. */
function maskPieces(text: string, secret: string): string {
  let out = '';
  let i = 0;
  let copiedTo = 0;
  while (i + PIECE <= text.length) {
    if (!secret.includes(text.slice(i, i + PIECE))) {
      i += 1;
      continue;
    }
    let end = i + PIECE;
    while (end < text.length && secret.includes(text.slice(i, end + 1))) end += 1;
    out += `${text.slice(copiedTo, i)}***`;
    i = end;
    copiedTo = end;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}
