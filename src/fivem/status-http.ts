// The status endpoints, for owners watching their servers from outside: GET /sonoran_accounts/status (JSON)
// and /sonoran_accounts/metrics (Prometheus text), through FXServer's SetHttpHandler. Off unless the convar
// holds a token; every request must carry it as `Authorization: Bearer <token>`. The convar is read per
// request, so `set sonoran_accounts_statusToken ...` in the console turns them on, off or rotates the token.
import { createHash, timingSafeEqual } from 'crypto';
import { prometheusText } from '../core/prometheus';
import type { StatusReport } from '../core/status';
import type { FxHost, HttpRequestIn, HttpResponseOut } from './host';

export const STATUS_TOKEN_CONVAR = 'sonoran_accounts_statusToken';
export const STATUS_PATHS = { status: '/status', metrics: '/metrics' } as const;
/** A shorter token could be guessed through FXServer's per-peer limit (10 requests a second). */
export const MIN_TOKEN_LENGTH = 16;

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * `holdsSecret`: the token contains the API key or another secret the logger masks. Such a token would
 * cross the network with every scrape (plain HTTP), so it keeps the endpoints off.
 */
export function serveStatus(host: FxHost, report: () => StatusReport, warn: (line: string) => void, holdsSecret: (token: string) => boolean): void {
  let warnedShort = false;
  let warnedSecret = false;
  host.setHttpHandler((req, res) => {
    try {
      answer(req, res);
    } catch (err) {
      // An unanswered request would hang until FXServer's connection timeout.
      warn(`status endpoint failed: ${(err as Error).message}`);
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE });
      res.send('Internal error.');
    }
  });

  function answer(req: HttpRequestIn, res: HttpResponseOut) {
    const token = host.getConvar(STATUS_TOKEN_CONVAR) ?? '';
    if (token.length < MIN_TOKEN_LENGTH) {
      if (token !== '' && !warnedShort) {
        warnedShort = true;
        warn(`${STATUS_TOKEN_CONVAR} is shorter than ${MIN_TOKEN_LENGTH} characters: the status endpoints stay off (a long random token, e.g. "openssl rand -hex 24")`);
      }
      return off(res);
    }
    if (holdsSecret(token)) {
      if (!warnedSecret) {
        warnedSecret = true;
        warn(`${STATUS_TOKEN_CONVAR} holds the API key (or another secret): the status endpoints stay off; use a token of its own`);
      }
      return off(res);
    }
    if (!authorized(req.headers, token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': `Bearer realm="${host.resourceName}"`, ...NO_STORE });
      return res.send('Unauthorized.');
    }
    const path = req.path.split('?')[0];
    if (path !== STATUS_PATHS.status && path !== STATUS_PATHS.metrics) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE });
      return res.send('Not found.');
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET', ...NO_STORE });
      return res.send('Method not allowed.');
    }
    if (path === STATUS_PATHS.status) {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE });
      return res.send(JSON.stringify(report()));
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', ...NO_STORE });
    res.send(prometheusText(report()));
  }
}

/** Off: what FXServer answers for a resource without a handler. */
function off(res: HttpResponseOut) {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.send('Not found.');
}

/** `Authorization: Bearer <token>`, the header name and scheme in any case; compared in constant time. */
function authorized(headers: Record<string, string>, token: string): boolean {
  const name = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  const match = name === undefined ? null : /^\s*bearer\s+(.*?)\s*$/i.exec(headers[name]!);
  // Digests of both: equal lengths for timingSafeEqual, and the time says nothing about the token's length.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}
