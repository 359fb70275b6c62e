// The fake CAD on its own, over real HTTP: every documented rule and every fault mode.
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { PERMISSIONS } from '../../src/core/permissions';

let cad: FakeCad;
afterEach(() => cad?.close());

const v1 = (type: string, data: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  fetch(`${cad.url}/general/${type.toLowerCase()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-encoding': 'identity' },
    body: JSON.stringify({ id: cad.communityId, key: cad.apiKey, type, data: [data], ...over }),
  });
const v2 = (path: string, key = cad.apiKey) =>
  fetch(`${cad.url}/v2/general/${path}`, { headers: { authorization: `Bearer ${key}`, 'accept-encoding': 'identity' } });
const page = async (offset: number, status = 1, limit = 100) => (await v1('GET_ACCOUNTS', { limit, offset, status })).json() as Promise<any>;

describe('v1', () => {
  it.each([0, 1, 100, 101, 250])('pages %i active accounts by 100', async (n) => {
    cad = await startFakeCad({ rateLimit: false, accounts: generateAccounts(n, 2).map((a) => ({ ...a, status: 1 })) });
    const sizes: number[] = [];
    for (let offset = 0; ; offset += 100) {
      const body = await page(offset);
      expect(body.pagination).toEqual({ limit: 100, offset, total: n });
      sizes.push(body.accounts.length);
      if (offset + 100 >= n) break;
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
    expect(sizes.length).toBe(Math.max(1, Math.ceil(n / 100)));
  });

  it('filters by status, clamps limit to 100, and renders the v1 shape', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 300, seed: 4 });
    const banned = await page(0, 4);
    expect(banned.pagination.total).toBe(cad.accounts.filter((a) => a.status === 4).length);
    expect(banned.accounts.every((a: any) => a.status === 4)).toBe(true);
    const big = await page(0, 1, 500);
    expect(big.pagination.limit).toBe(100);
    const account = big.accounts[0];
    expect(Object.keys(account).sort()).toEqual(['apiIds', 'joined', 'lastLogin', 'permissions', 'status', 'username', 'uuid']);
    expect(Object.keys(account.permissions).sort()).toEqual([...PERMISSIONS].sort());
  });

  it.each([
    [{ type: 'NOPE' }, 'INVALID REQUEST TYPE'],
    [{ id: 'other' }, 'INVALID COMMUNITY ID'],
    [{ key: 'wrong' }, 'INVALID API KEY'],
  ])('answers 400 plain text for %j', async (over, text) => {
    cad = await startFakeCad({ rateLimit: false });
    const res = await v1('GET_ACCOUNTS', {}, over);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(text);
  });

  it('answers the plan errors when the API or the endpoint is off', async () => {
    cad = await startFakeCad({ rateLimit: false, apiEnabled: false });
    expect(await (await v1('GET_ACCOUNTS', {})).text()).toBe('API IS NOT ENABLED FOR THIS COMMUNITY');
    await cad.close();
    cad = await startFakeCad({ rateLimit: false, accountsEndpointEnabled: false });
    expect(await (await v1('GET_ACCOUNTS', {})).text()).toBe('API ENDPOINT IS NOT ENABLED FOR THIS COMMUNITY');
  });

  it('finds one account by apiId (any case), username or uuid; 400 ACCOUNT NOT FOUND otherwise', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 20 });
    const a = cad.accounts[3]!;
    for (const data of [{ apiId: a.apiIds[0]!.toUpperCase() }, { username: a.username }, { account: a.uuid }]) {
      expect((await (await v1('GET_ACCOUNT', data)).json() as any).uuid).toBe(a.uuid);
    }
    const miss = await v1('GET_ACCOUNT', { apiId: 'nobody' });
    expect([miss.status, await miss.text()]).toEqual([400, 'ACCOUNT NOT FOUND']);
  });

  it('answers a wrong path with "Backend Service Reached"', async () => {
    cad = await startFakeCad();
    const res = await fetch(`${cad.url}/general/general/get_accounts`, { method: 'POST', body: '{}' });
    expect([res.status, await res.text()]).toEqual([200, 'Sonoran CAD: Backend Service Reached']);
  });
});

describe('v2', () => {
  it('needs a Bearer key: 401 problem+json', async () => {
    cad = await startFakeCad({ rateLimit: false });
    const res = await v2('accounts', 'wrong');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(Object.keys((await res.json()) as object).sort()).toEqual(['detail', 'instance', 'status', 'title', 'traceId', 'type']);
  });

  it('pages with communityUserId and no apiIds; validates limit', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 150, seed: 3 });
    const body = (await (await v2('accounts?limit=100&offset=100&status=1')).json()) as any;
    expect(body.pagination.total).toBe(cad.accounts.filter((a) => a.status === 1).length);
    expect(body.accounts[0].communityUserId).toMatch(/^[0-9a-f]{40}$/);
    expect(body.accounts[0].apiIds).toBeUndefined();
    expect((await v2('accounts?limit=101')).status).toBe(400);
    expect((await v2('accounts?limit=0')).status).toBe(400);
  });

  it('single lookup by exactly one key; 404 for nobody, 400 for two keys', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 10 });
    const a = cad.accounts[2]!;
    expect(((await (await v2(`accounts/account?communityUserId=${a.communityUserId}`)).json()) as any).uuid).toBe(a.uuid);
    expect(((await (await v2(`accounts/account?accountUuid=${a.uuid}`)).json()) as any).username).toBe(a.username);
    expect((await v2('accounts/account?communityUserId=nobody')).status).toBe(404);
    expect((await v2(`accounts/account?username=${a.username}&accountUuid=${a.uuid}`)).status).toBe(400);
  });

  it('gzips when the client accepts it', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 5 });
    const http = await import('node:http');
    const raw = await new Promise<{ enc?: string; body: Buffer }>((resolve) => {
      http.get(`${cad.url}/v2/general/accounts`, { headers: { authorization: `Bearer ${cad.apiKey}`, 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      });
    });
    expect(raw.enc).toBe('gzip');
    expect(JSON.parse(gunzipSync(raw.body).toString()).pagination.total).toBeGreaterThan(0);
  });
});

describe('v2 links/check', () => {
  const check = (body: unknown, key = cad.apiKey) =>
    fetch(`${cad.url}/v2/general/links/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'accept-encoding': 'identity' },
      body: JSON.stringify(body),
    });

  it('answers whether a communityUserId is linked and to which account; 401 without the key; 400 without an id', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 5 });
    const someone = cad.accounts[2]!;
    expect(await (await check({ communityUserId: someone.communityUserId.toUpperCase() })).json()).toEqual({ communityUserId: someone.communityUserId.toUpperCase(), linked: true, accountUuid: someone.uuid });
    expect(await (await check({ communityUserId: 'nobody' })).json()).toEqual({ communityUserId: 'nobody', linked: false, accountUuid: null });
    expect((await check({ communityUserId: 'x' }, 'wrong')).status).toBe(401);
    expect((await check({})).status).toBe(400);
  });

  it('has its own limiter, 30 a minute, apart from the accounts endpoints', async () => {
    let now = 1_000_000;
    cad = await startFakeCad({ accounts: 5, now: () => now });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await check({ communityUserId: 'x' })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect((await v2('accounts')).status).toBe(200); // the accounts budget is untouched
    now += 2_000;
    expect((await check({ communityUserId: 'x' })).status).toBe(200);
  });
});

describe('generation', () => {
  it('is deterministic per seed, realistic, and sometimes stores empty API IDs', () => {
    const a = generateAccounts(2000, 9);
    expect(generateAccounts(2000, 9)).toEqual(a);
    expect(generateAccounts(5, 10)[0]!.uuid).not.toBe(a[0]!.uuid);
    const share = (f: (x: (typeof a)[number]) => boolean) => a.filter(f).length / a.length;
    expect(share((x) => x.status === 4)).toBeGreaterThan(0.01);
    expect(share((x) => x.permissions.police)).toBeGreaterThan(0.15);
    expect(share((x) => x.apiIds.includes(''))).toBeGreaterThan(0.02);
    expect(new Set(a.map((x) => x.uuid)).size).toBe(a.length);
  });
});

describe('rate limiter', () => {
  it('v1: a burst, then 429 with Retry-After, then recovery as time passes', async () => {
    let now = 1_000_000;
    cad = await startFakeCad({ rateLimit: { v1: { perSecond: 1, burst: 3 } }, now: () => now });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await v1('GET_ACCOUNTS', {})).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await v1('GET_ACCOUNTS', {});
    expect([limited.headers.get('retry-after'), await limited.text()]).toEqual(['1', 'TOO MANY REQUESTS']);
    now += 1000;
    expect((await v1('GET_ACCOUNTS', {})).status).toBe(200);
  });

  it('v2: 10 calls a minute, JSON 429 body', async () => {
    let now = 0;
    cad = await startFakeCad({ rateLimit: { v2: { perMinute: 10 } }, now: () => now });
    for (let i = 0; i < 10; i++) expect((await v2('accounts')).status).toBe(200);
    const limited = await v2('accounts');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ message: 'API rate limit exceeded' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(6);
    now += 6000;
    expect((await v2('accounts')).status).toBe(200);
  });
});

describe('fault modes', () => {
  const start = async () => (cad = await startFakeCad({ rateLimit: false, accounts: 30, seed: 5 }));

  it('latency delays the answer', async () => {
    await start();
    cad.fault('latency', { ms: 300 });
    const t = Date.now();
    await page(0);
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
  });

  it('5xx, 429, html, truncatedJson, wrongSchema, wrongShape, hostileTotal change what the client sees', async () => {
    await start();
    cad.fault('5xx', { times: 1 });
    expect((await v1('GET_ACCOUNTS', {})).status).toBe(503);
    cad.fault('429', { times: 1, retryAfter: 7 });
    const limited = await v1('GET_ACCOUNTS', {});
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    cad.fault('html', { times: 1 });
    const html = await v1('GET_ACCOUNTS', {});
    expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    cad.fault('truncatedJson', { times: 1 });
    await expect((await v1('GET_ACCOUNTS', {})).json()).rejects.toThrow();
    cad.fault('wrongSchema', { times: 1 });
    const wrong = (await page(0)) as any;
    expect(wrong.accounts[0].uuid).toBeUndefined();
    expect(wrong.accounts[0].permissions.police).toBe('yes');
    cad.fault('wrongShape', { times: 1 });
    const shape = (await page(0)) as any;
    expect([shape.pagination, Array.isArray(shape.accounts), Array.isArray(shape.data)]).toEqual([undefined, false, true]);
    cad.fault('hostileTotal', { times: 1 });
    expect(await page(0)).toMatchObject({ pagination: { total: 100_000 }, accounts: [] });
    expect((await page(0)).accounts.length).toBeGreaterThan(0);
    expect(cad.requests.map((r) => r.fault ?? null)).toEqual(['5xx', '429', 'html', 'truncatedJson', 'wrongSchema', 'wrongShape', 'hostileTotal', null]);
  });

  it('totalChange inserts accounts at the front after the matching request, shifting the pages', async () => {
    await start();
    const before = (await page(0)) as any;
    cad.fault('totalChange', { times: 1, insert: 5 });
    await page(0);
    const after = (await page(0)) as any;
    expect(after.pagination.total).toBe(before.pagination.total + 5);
    expect(after.accounts[5].uuid).toBe(before.accounts[0].uuid);
  });

  it('reset destroys the connection; hang never answers but close() still ends promptly', async () => {
    await start();
    cad.fault('reset', { times: 1 });
    await expect(v1('GET_ACCOUNTS', {})).rejects.toThrow();
    cad.fault('hang');
    const hung = v1('GET_ACCOUNTS', {}).then(() => 'answered', () => 'broken');
    const raced = await Promise.race([hung, new Promise((r) => setTimeout(() => r('still waiting'), 300))]);
    expect(raced).toBe('still waiting');
    const t = Date.now();
    await cad.close();
    expect(Date.now() - t).toBeLessThan(1000);
    expect(await hung).toBe('broken');
  });

  it('after / times / route pick which requests a fault hits', async () => {
    await start();
    cad.fault('5xx', { after: 1, times: 1, route: 'accounts' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await v1('GET_ACCOUNTS', {})).status);
    expect(statuses).toEqual([200, 503, 200]);
    expect((await v1('GET_ACCOUNT', { apiId: cad.accounts[0]!.apiIds[0] })).status).toBe(200);
  });

  it('records every request with its parsed body and answer status', async () => {
    await start();
    await v1('GET_ACCOUNTS', { offset: 0 });
    expect(cad.requests[0]).toMatchObject({ version: 1, method: 'POST', path: '/general/get_accounts', status: 200, body: { type: 'GET_ACCOUNTS' } });
  });

  it('mutators show in the next page', async () => {
    await start();
    const victim = cad.accounts.find((a) => a.status === 1)!;
    cad.ban(victim.uuid);
    const banned = (await page(0, 4)) as any;
    expect(banned.accounts.map((a: any) => a.uuid)).toContain(victim.uuid);
    cad.unban(victim.uuid);
    cad.revoke(victim.uuid, 'civilian');
    const active = (await page(0, 1)) as any;
    expect(active.accounts.find((a: any) => a.uuid === victim.uuid).permissions.civilian).toBe(false);
  });
});
