// The status endpoints over real HTTP: the built bundle in the emulator answers GET
// /sonoran_accounts/status and /metrics through SetHttpHandler, only with the token of the convar
// sonoran_accounts_statusToken as `Authorization: Bearer <token>`, and never shows the API key.
import { afterEach, describe, expect, it } from 'vitest';
import { leakedPieces } from '../redteam/leaks';
import { API_KEY, startHarness, waitFor, type Harness } from './harness';
import { bearer, httpGet, type HttpAnswer } from './http-get';

const TOKEN = 'status-token-3f9a1c0b7e2d4a58';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Answer = HttpAnswer;
const get = (hh: Harness, path: string, headers: Record<string, string> = {}, method = 'GET') => httpGet(hh.fx, `/sonoran_accounts${path}`, headers, method);

/** No figure of the cache in an answer refused. */
function expectNoFigures(answer: Answer) {
  expect(answer.body).not.toMatch(/ready|accounts|version|sonoran_accounts_/);
  expect(answer.body.length).toBeLessThan(40);
}

/** Every sample line belongs to a metric with HELP and TYPE before it, named sonoran_accounts_*. */
function parseMetrics(text: string): Map<string, { type: string; samples: string[] }> {
  const metrics = new Map<string, { type: string; samples: string[] }>();
  const helped = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP (\S+) \S.*$/.exec(line))) helped.add(m[1]!);
    else if ((m = /^# TYPE (\S+) (gauge|counter)$/.exec(line))) {
      expect(helped.has(m[1]!), `HELP before TYPE of ${m[1]}`).toBe(true);
      metrics.set(m[1]!, { type: m[2]!, samples: [] });
    } else {
      m = /^(sonoran_accounts_[a-z_]+)(\{[a-z_]+="(?:[^"\\]|\\.)*"(?:,[a-z_]+="(?:[^"\\]|\\.)*")*\})? (-?[0-9.e+]+)$/.exec(line);
      expect(m, `sample line: ${line}`).not.toBeNull();
      expect(metrics.has(m![1]!), `TYPE before ${m![1]}`).toBe(true);
      metrics.get(m![1]!)!.samples.push(line);
    }
  }
  return metrics;
}
const sample = (metrics: ReturnType<typeof parseMetrics>, name: string) => Number(metrics.get(name)?.samples[0]?.split(' ').pop());

describe('status endpoints', () => {
  it('with the right token: /status is JSON with the cache figures and the version from fxmanifest', async () => {
    h = await startHarness({ cad: { accounts: 12 }, convars: { sonoran_accounts_statusToken: TOKEN } });
    const answer = await get(h, '/status', bearer(TOKEN));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['cache-control']).toBe('no-store');
    const status = JSON.parse(answer.body);
    const info = h.fx.callExport('sonoran_accounts', 'getCacheInfo') as Record<string, unknown>;
    expect(status).toMatchObject({ resource: 'sonoran_accounts', version: '0.1.0', ready: true, source: 'api', accounts: 12, lastError: null, rateLimited: 0, shared: null });
    expect(status.lastRefreshAt).toBe(info.lastRefreshAt);
    expect(status.nextRefreshAt).toBe(info.nextRefreshAt);
    expect(status.nextRefreshAt).toBeGreaterThan(status.lastRefreshAt);
    expect(status.now).toBeGreaterThanOrEqual(status.lastRefreshAt);
  });

  it('with the right token: /metrics is Prometheus text, every metric prefixed sonoran_accounts_ with HELP and TYPE', async () => {
    h = await startHarness({ cad: { accounts: 12 }, convars: { sonoran_accounts_statusToken: TOKEN } });
    const answer = await get(h, '/metrics', bearer(TOKEN));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    const metrics = parseMetrics(answer.body);
    expect(sample(metrics, 'sonoran_accounts_ready')).toBe(1);
    expect(sample(metrics, 'sonoran_accounts_accounts')).toBe(12);
    expect(metrics.get('sonoran_accounts_rate_limited_total')?.type).toBe('counter');
    expect(metrics.get('sonoran_accounts_info')?.samples[0]).toBe('sonoran_accounts_info{version="0.1.0",source="api"} 1');
    const info = h.fx.callExport('sonoran_accounts', 'getCacheInfo') as { lastRefreshAt: number };
    expect(sample(metrics, 'sonoran_accounts_last_refresh_timestamp_seconds')).toBe(info.lastRefreshAt / 1000);
    expect(metrics.has('sonoran_accounts_shared_sweeping')).toBe(false);
  });

  it('a wrong token or none: 401 with no figures, on every path', async () => {
    h = await startHarness({ cad: { accounts: 12 }, convars: { sonoran_accounts_statusToken: TOKEN } });
    for (const path of ['/status', '/metrics', '/other']) {
      for (const headers of [{}, bearer('wrong-token-of-the-same-len'), bearer(`${TOKEN}x`), bearer(TOKEN.slice(0, -1)), { Authorization: TOKEN }, { Authorization: `Basic ${TOKEN}` }]) {
        const answer = await get(h, path, headers);
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(answer.headers['www-authenticate']).toBe('Bearer realm="sonoran_accounts"');
        expectNoFigures(answer);
      }
    }
  });

  it('the header name and the scheme in any case; other paths 404 and other methods 405 once authorized', async () => {
    h = await startHarness({ cad: { accounts: 12 }, convars: { sonoran_accounts_statusToken: TOKEN } });
    expect((await get(h, '/status', { authorization: `bearer ${TOKEN}` })).status).toBe(200);
    expect((await get(h, '/status?pretty=1', { AUTHORIZATION: `BEARER ${TOKEN}` })).status).toBe(200);
    expect((await get(h, '/nothing', bearer(TOKEN))).status).toBe(404);
    const post = await get(h, '/status', bearer(TOKEN), 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET']);
  });

  it('no token set: the endpoints are off (404, no figures); set later in the console, they answer without a restart', async () => {
    h = await startHarness({ cad: { accounts: 12 } });
    for (const headers of [{}, bearer(''), bearer(TOKEN)]) {
      const answer = await get(h, '/status', headers);
      expect(answer.status).toBe(404);
      expectNoFigures(answer);
    }
    h.fx.exec(`set sonoran_accounts_statusToken ${TOKEN}`);
    expect((await get(h, '/status', bearer(TOKEN))).status).toBe(200);
    expect((await get(h, '/status', bearer('another-token-16chars'))).status).toBe(401);
  });

  it('a token shorter than 16 characters keeps them off, and says so once', async () => {
    h = await startHarness({ cad: { accounts: 12 }, convars: { sonoran_accounts_statusToken: 'short' } });
    expect((await get(h, '/status', bearer('short'))).status).toBe(404);
    expect((await get(h, '/metrics', bearer('short'))).status).toBe(404);
    expect(h.fx.consoleLines.filter((l) => l.includes('sonoran_accounts_statusToken is shorter than 16'))).toHaveLength(1);
  });

  it('a token that is the API key keeps them off, and says so once without quoting it', async () => {
    h = await startHarness({ cad: { accounts: 12 }, convars: { sonoran_accounts_statusToken: API_KEY } });
    expect((await get(h, '/status', bearer(API_KEY))).status).toBe(404);
    expect((await get(h, '/metrics', bearer(API_KEY))).status).toBe(404);
    expect(h.fx.consoleLines.filter((l) => l.includes('sonoran_accounts_statusToken holds the API key'))).toHaveLength(1);
  });

  it('counts the CAD\'s 429 answers', async () => {
    h = await startHarness({ cad: { accounts: 12 }, convars: { sonoran_accounts_statusToken: TOKEN } });
    h.cad.fault('429', { retryAfter: 1, times: 2, route: 'accounts' });
    expect(((await h.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean }).ok).toBe(true);
    expect(JSON.parse((await get(h, '/status', bearer(TOKEN))).body).rateLimited).toBe(2);
    expect(sample(parseMetrics((await get(h, '/metrics', bearer(TOKEN))).body), 'sonoran_accounts_rate_limited_total')).toBe(2);
  });

  it('never shows the API key, even when the CAD\'s error text quotes it', async () => {
    h = await startHarness({ cad: { accounts: 150 }, convars: { sonoran_accounts_statusToken: TOKEN } });
    h.cad.fault('echo', { status: 400, route: 'accounts' });
    const result = (await h.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean };
    expect(result.ok).toBe(false);
    // The key really came back from the CAD: the masking is what keeps it out.
    const echoed = h.cad.requests.find((r) => r.fault === 'echo')!;
    expect(JSON.stringify(echoed.body) + String(echoed.headers.authorization)).toContain(API_KEY);
    await waitFor(() => (h!.fx.callExport('sonoran_accounts', 'getCacheInfo') as { lastError: string | null }).lastError !== null, 'the failure');
    const status = await get(h, '/status', bearer(TOKEN));
    expect(JSON.parse(status.body).lastError).toContain('***');
    const metrics = await get(h, '/metrics', bearer(TOKEN));
    expect(sample(parseMetrics(metrics.body), 'sonoran_accounts_last_refresh_failed')).toBe(1);
    const refused = await get(h, '/status', bearer('wrong-token-of-the-same-len'));
    for (const answer of [status, metrics, refused]) {
      expect(leakedPieces(answer.body + JSON.stringify(answer.headers), API_KEY)).toEqual([]);
    }
  });
});
