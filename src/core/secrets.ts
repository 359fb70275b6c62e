// The one way a secret is masked, wherever text leaves the resource (log lines, CAD failure messages).

/** Shorter "secrets" are not masked: masking a "1" would garble every number in a message. */
const MIN_SECRET_LENGTH = 4;

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('***');
  return out;
}
