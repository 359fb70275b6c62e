// What went wrong talking to the CAD, in the four classes the refresher acts on. Messages and hints
// are for server owners and never contain the API key.
import { maskSecrets, PIECE } from '../secrets';
import type { CadError, FailureKind, HttpResponse } from '../types';

export class CadFailure extends Error implements CadError {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly hint?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'CadFailure';
  }
}

export const isCadError = (err: unknown): err is CadError =>
  err instanceof Error && typeof (err as Partial<CadError>).kind === 'string';

/**
 * Any thrown thing as a CadError: transport failures (timeout, reset, refused) are transient; an answer
 * over the size cap will be just as large next time, so it is not retried.
 */
export function asCadError(err: unknown): CadError {
  if (isCadError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const tooLarge = (err as { code?: unknown } | null)?.code === 'tooLarge';
  return new CadFailure(tooLarge ? 'invalidResponse' : 'transient', message);
}

/**
 * The same failure with the API key masked wherever an answer quoted it back (a proxy echoing the
 * request, a CAD error repeating the body): messages travel to logs, events and export results.
 */
export function withoutSecret(err: CadError, secret: string): CadError {
  const message = maskSecrets(err.message, [secret]);
  const hint = err.hint === undefined ? undefined : maskSecrets(err.hint, [secret]);
  return message === err.message && hint === err.hint ? err : new CadFailure(err.kind, message, hint, err.retryAfterMs);
}

/** v1's plain-text 400 answers that mean the credentials or plan are wrong: retrying cannot help. */
const V1_FATAL: Record<string, string> = {
  'INVALID API KEY': 'check the convar sonoran_apiKey',
  'INVALID COMMUNITY ID': 'check the convar sonoran_communityID',
  'API IS NOT ENABLED FOR THIS COMMUNITY': 'enable the API in the CAD admin panel (Plus plan or higher)',
  'API ENDPOINT IS NOT ENABLED FOR THIS COMMUNITY': 'the accounts endpoints need the Plus plan or higher',
  'INVALID REQUEST TYPE': 'check sonoran_apiUrl and sonoran_apiVersion (this server did not accept a v1 call)',
};

const WRONG_URL_HINT = 'check sonoran_apiUrl (e.g. https://api.sonorancad.com, without a path)';
const DEFAULT_RETRY_MS = 60_000;

/** A v1 body that names a credential or plan problem, if it does. */
export function v1FatalText(body: string): string | undefined {
  const text = body.trim().toUpperCase();
  return Object.keys(V1_FATAL).find((known) => text.includes(known));
}

/**
 * Throws the classified failure for a response that is not a usable answer; returns for 2xx.
 * `what` names the call for the message (`GET_ACCOUNTS status active offset 200`).
 */
export function throwForStatus(res: HttpResponse, version: 1 | 2, what: string, now: number, secrets: readonly string[] = []): void {
  const { status, body } = res;
  if (/Backend Service Reached/i.test(body) && body.length < 200) {
    throw new CadFailure('fatal', `${what}: the URL answered "Backend Service Reached", not the API`, WRONG_URL_HINT);
  }
  if (status === 429) {
    throw new CadFailure('rateLimited', `${what}: rate limited by the CAD (HTTP 429)`, undefined, retryAfterMs(res, now));
  }
  if (status >= 200 && status < 300) return;
  if (status >= 500) throw new CadFailure('transient', `${what}: CAD server error HTTP ${status}`);
  if (version === 1) {
    const fatal = v1FatalText(body);
    if (fatal) throw new CadFailure('fatal', `${what}: ${fatal}`, V1_FATAL[fatal]);
  } else if (status === 401 || status === 403) {
    throw new CadFailure('fatal', `${what}: HTTP ${status} ${problemTitle(body) ?? 'unauthorized'}`, 'check the convar sonoran_apiKey (v2 sends it as a Bearer token)');
  } else if (status === 404) {
    throw new CadFailure('fatal', `${what}: HTTP 404 from the API`, WRONG_URL_HINT);
  }
  throw new CadFailure('invalidResponse', `${what}: HTTP ${status} ${snippet(problemTitle(body) ?? body, 80, secrets)}`);
}

/** Retry-After (seconds or an HTTP date), else X-RateLimit-Reset (epoch seconds or a delta), else 60 s. */
export function retryAfterMs(res: HttpResponse, now: number): number {
  const retryAfter = res.headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return clampRetry(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return clampRetry(date - now);
  }
  const reset = res.headers['x-ratelimit-reset']?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const n = Number(reset);
    return clampRetry(n > 1e9 ? n * 1000 - now : n * 1000);
  }
  return DEFAULT_RETRY_MS;
}

const clampRetry = (ms: number) => Math.min(Math.max(ms, 1000), 15 * 60_000);

function problemTitle(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { title?: unknown; detail?: unknown; message?: unknown };
    const parts = [parsed.title, parsed.detail ?? parsed.message].filter((p): p is string => typeof p === 'string');
    return parts.length > 0 ? parts.join(': ') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A short, one-line excerpt of text the CAD sent; secrets are masked before it is cut (else a cut key slips
 * through). Masked over a window that grows until the cut is safe, not over the whole answer: masking a
 * 20 MB error body would block the server for seconds. Only the last PIECE - 1 characters of a window can
 * hold an unmasked piece (a longer one is masked), so the window is enough once its masked text reaches
 * PIECE characters past the cut.
 */
export function snippet(text: string, max = 80, secrets: readonly string[] = []): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let window = max + 64;
  let masked = maskSecrets(flat.slice(0, window), secrets);
  while (window < flat.length && masked.length < max + PIECE) {
    window *= 4;
    masked = maskSecrets(flat.slice(0, window), secrets);
  }
  return masked.length > max ? `${masked.slice(0, max)}…` : masked;
}
