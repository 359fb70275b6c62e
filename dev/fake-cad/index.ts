// A fake Sonoran CAD on 127.0.0.1 that follows ../../shared/reference exactly: v1 and v2 routes,
// credential checks with the documented errors, paging, a rate limiter and switchable faults.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as zlib from 'node:zlib';
import { createFaults, type Fault, type FaultMode, type FaultOptions } from './faults';
import { generateAccount, generateAccounts, prng, type FakeAccount } from './generate';
import { tokenBucket, type Bucket } from './rate-limit';
import { problem, renderAccount } from './render';

export type { FakeAccount } from './generate';
export type { FaultMode, FaultOptions } from './faults';

export interface FakeCadOptions {
  communityId?: string;
  apiKey?: string;
  seed?: number;
  accounts?: number | FakeAccount[];
  rateLimit?: false | { v1?: { perSecond: number; burst: number }; v2?: { perMinute: number }; v2Links?: { perMinute: number } };
  now?: () => number;
  apiEnabled?: boolean;
  accountsEndpointEnabled?: boolean;
  /** gzip/deflate answers when the client accepts them (default true). */
  compression?: boolean;
}

export interface RecordedRequest {
  version: 1 | 2 | 0;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  status: number;
  fault?: FaultMode;
  at: number;
}

type Route = 'accounts' | 'account' | 'links';
type Answer = { status: number; type: string; body: string; headers?: Record<string, string> };

export async function startFakeCad(opts: FakeCadOptions = {}) {
  const communityId = opts.communityId ?? 'fake-community';
  const apiKey = opts.apiKey ?? 'fake-api-key';
  const seed = opts.seed ?? 1;
  const now = opts.now ?? Date.now;
  const compression = opts.compression ?? true;
  const accounts: FakeAccount[] = typeof opts.accounts === 'number' ? generateAccounts(opts.accounts, seed) : [...(opts.accounts ?? [])];
  const rand = prng(seed + 1_000_003);
  let created = accounts.length;
  const rate = opts.rateLimit === undefined ? { v1: { perSecond: 1, burst: 5 }, v2: { perMinute: 10 }, v2Links: { perMinute: 30 } } : opts.rateLimit;
  const buckets: Record<1 | 2, Bucket | null> = {
    1: rate && rate.v1 ? tokenBucket(rate.v1.burst, rate.v1.perSecond / 1000, now) : null,
    2: rate && rate.v2 ? tokenBucket(rate.v2.perMinute, rate.v2.perMinute / 60_000, now) : null,
  };
  // links/check states its own figure (30/min); whether it shares the accounts bucket is not documented:
  // the fake gives it its own, as the issue that uses it assumes.
  const linksBucket: Bucket | null = rate && rate.v2Links ? tokenBucket(rate.v2Links.perMinute, rate.v2Links.perMinute / 60_000, now) : null;
  const faults = createFaults();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const find = (uuid: string) => {
    const account = accounts.find((a) => a.uuid === uuid);
    if (!account) throw new Error(`fake CAD: no account ${uuid}`);
    return account;
  };

  const addAccount = (partial: Partial<FakeAccount> = {}, atFront = false) => {
    const account = generateAccount(rand, created++, partial);
    if (atFront) accounts.unshift(account);
    else accounts.push(account);
    return account;
  };

  function listPage(status: number, offset: number, limit: number) {
    const list = accounts.filter((a) => a.status === status);
    return { total: list.length, page: list.slice(offset, offset + limit) };
  }

  function findSingle(query: Record<string, unknown>): FakeAccount | undefined {
    const eq = (a?: string, b?: unknown) => typeof b === 'string' && a !== undefined && a.toLowerCase() === b.toLowerCase();
    return accounts.find(
      (a) =>
        (query.apiId !== undefined && a.apiIds.some((id) => eq(id, query.apiId))) ||
        eq(a.communityUserId, query.communityUserId) ||
        eq(a.username, query.username) ||
        eq(a.uuid, query.account ?? query.accountUuid) ||
        eq(a.identities.discord.slice('discord:'.length), query.discord),
    );
  }

  const json = (status: number, value: unknown, headers?: Record<string, string>): Answer => ({
    status,
    type: status >= 400 && status !== 429 ? 'application/problem+json' : 'application/json',
    body: JSON.stringify(value),
    headers,
  });
  const text = (status: number, body: string, headers?: Record<string, string>): Answer => ({ status, type: 'text/plain', body, headers });

  function v1(body: unknown, route: 'accounts' | 'account'): Answer {
    const req = (typeof body === 'object' && body !== null ? body : {}) as { id?: unknown; key?: unknown; type?: unknown; data?: unknown };
    const expectedType = route === 'accounts' ? 'GET_ACCOUNTS' : 'GET_ACCOUNT';
    if (req.type !== expectedType) return text(400, 'INVALID REQUEST TYPE');
    if (req.id !== communityId) return text(400, 'INVALID COMMUNITY ID');
    if (opts.apiEnabled === false) return text(400, 'API IS NOT ENABLED FOR THIS COMMUNITY');
    if (req.key !== apiKey) return text(400, 'INVALID API KEY');
    if (opts.accountsEndpointEnabled === false) return text(400, 'API ENDPOINT IS NOT ENABLED FOR THIS COMMUNITY');
    const data = (Array.isArray(req.data) && typeof req.data[0] === 'object' && req.data[0] !== null ? req.data[0] : {}) as Record<string, unknown>;
    if (route === 'account') {
      const account = findSingle(data);
      return account ? json(200, renderAccount(account, 1)) : text(400, 'ACCOUNT NOT FOUND');
    }
    const limit = Math.min(100, Math.max(1, toInt(data.limit, 100)));
    const offset = Math.max(0, toInt(data.offset, 0));
    const status = toInt(data.status, 1);
    const { total, page } = listPage(status, offset, limit);
    return json(200, { pagination: { limit, offset, total }, accounts: page.map((a) => renderAccount(a, 1)) });
  }

  function v2(path: string, query: Record<string, string>, auth: string | undefined, route: Route, body: unknown): Answer {
    if (auth !== `Bearer ${apiKey}`) return json(401, problem(401, 'Unauthorized', 'Missing or invalid API key.', path));
    if (route === 'links') {
      const id = (body as { communityUserId?: unknown } | undefined)?.communityUserId;
      if (typeof id !== 'string' || id === '') return json(400, problem(400, 'Bad Request', 'communityUserId is required.', path));
      const account = findSingle({ communityUserId: id });
      return json(200, { communityUserId: id, linked: account !== undefined, accountUuid: account?.uuid ?? null });
    }
    if (route === 'account') {
      const keys = ['communityUserId', 'discord', 'roblox', 'accountUuid', 'username'].filter((k) => query[k] !== undefined);
      if (keys.length !== 1) return json(400, problem(400, 'Bad Request', 'Provide exactly one of communityUserId, discord, roblox, accountUuid, username.', path));
      const account = findSingle(query);
      return account ? json(200, renderAccount(account, 2)) : json(404, problem(404, 'Not Found', 'Account not found.', path));
    }
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return json(400, problem(400, 'Bad Request', 'limit must be between 1 and 100.', path));
    const offset = query.offset === undefined ? 0 : Number(query.offset);
    if (!Number.isInteger(offset) || offset < 0) return json(400, problem(400, 'Bad Request', 'offset must be 0 or more.', path));
    const status = query.status === undefined ? 1 : Number(query.status);
    let { total, page } = listPage(status, offset, limit);
    if (query.username !== undefined) page = page.filter((a) => a.username.toLowerCase().includes(query.username!.toLowerCase()));
    return json(200, { pagination: { limit, offset, total }, accounts: page.map((a) => renderAccount(a, 2)) });
  }

  function applyFault(fault: Fault, answer: Answer, version: 1 | 2): Answer {
    switch (fault.mode) {
      case '5xx':
        return { status: fault.opts.status ?? 503, type: 'text/html', body: '<html><body><h1>503 Service Unavailable</h1></body></html>' };
      case '429':
        return rateLimited(version, fault.opts.retryAfter ?? 2);
      case 'html':
        return { status: 200, type: 'text/html', body: '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>' };
      case 'truncatedJson':
        return { ...answer, body: answer.body.slice(0, Math.max(1, Math.floor(answer.body.length / 2))) };
      case 'wrongSchema': {
        const parsed = JSON.parse(answer.body) as { accounts?: Record<string, unknown>[] } & Record<string, unknown>;
        const victims = parsed.accounts ?? [parsed];
        if (victims[0]) {
          delete victims[0].uuid;
          (victims[0].permissions as Record<string, unknown>).police = 'yes';
        }
        return { ...answer, body: JSON.stringify(parsed) };
      }
      case 'wrongShape': {
        // A page whose shape is wrong (a proxy's JSON, an API change): no pagination, accounts not a list.
        const parsed = JSON.parse(answer.body) as { accounts?: unknown[] };
        return { ...answer, body: JSON.stringify({ data: parsed.accounts ?? parsed }) };
      }
      case 'hostileTotal': {
        const parsed = JSON.parse(answer.body) as { pagination?: { total: number }; accounts?: unknown[] };
        if (parsed.pagination) parsed.pagination.total = 100_000;
        parsed.accounts = [];
        return { ...answer, body: JSON.stringify(parsed) };
      }
      case 'rewrite': {
        const parsed: unknown = JSON.parse(answer.body);
        return { ...answer, body: JSON.stringify(fault.opts.rewrite?.(parsed) ?? parsed) };
      }
      default:
        return answer;
    }
  }

  function rateLimited(version: 1 | 2, retryAfterSeconds: number): Answer {
    const headers = { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-reset': String(Math.ceil(now() / 1000) + retryAfterSeconds) };
    return version === 1
      ? text(429, 'TOO MANY REQUESTS', headers)
      : json(429, { message: 'API rate limit exceeded', request_id: Math.random().toString(36).slice(2) }, headers);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/+$/, '');
    const query = Object.fromEntries(url.searchParams);
    let body: unknown = raw;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      /* recorded raw */
    }
    const routeOf: Record<string, { version: 1 | 2; route: Route; method: string }> = {
      '/general/get_accounts': { version: 1, route: 'accounts', method: 'POST' },
      '/general/get_account': { version: 1, route: 'account', method: 'POST' },
      '/v2/general/accounts': { version: 2, route: 'accounts', method: 'GET' },
      '/v2/general/accounts/account': { version: 2, route: 'account', method: 'GET' },
      '/v2/general/links/check': { version: 2, route: 'links', method: 'POST' },
    };
    const known = routeOf[path];
    const record: RecordedRequest = { version: known?.version ?? 0, method: req.method ?? '', path, query, headers: req.headers, body, status: 0, at: now() };
    requests.push(record);
    if (!known || known.method !== req.method) return send(res, record, text(200, 'Sonoran CAD: Backend Service Reached'), req);

    const fault = faults.match(known.route);
    if (fault) record.fault = fault.mode;
    if (fault?.mode === 'reset') return req.socket.destroy();
    if (fault?.mode === 'hang') return;
    if (fault?.mode === 'latency' && !fault.opts.late) await new Promise((r) => setTimeout(r, fault.opts.ms ?? 500));
    if (fault?.mode === 'hugeBody') return sendHuge(res, record, fault.opts.bytes ?? 50 * 1024 * 1024);
    if (fault?.mode === 'echo') return send(res, record, text(fault.opts.status ?? 400, (fault.opts.quote ?? ((q: string) => q))(`Bad request: ${raw} ${req.headers.authorization ?? ''}`)), req);

    const bucket = known.route === 'links' ? linksBucket : buckets[known.version];
    const token = bucket ? bucket.take() : { ok: true as const };
    let answer = token.ok
      ? known.version === 1
        ? v1(body, known.route as 'accounts' | 'account')
        : v2(path, query, req.headers.authorization, known.route, body)
      : rateLimited(known.version, token.retryAfterSeconds);
    if (fault && answer.status === 200) answer = applyFault(fault, answer, known.version);
    else if (fault && (fault.mode === '5xx' || fault.mode === '429' || fault.mode === 'html')) answer = applyFault(fault, answer, known.version);
    if (fault?.mode === 'latency' && fault.opts.late) await new Promise((r) => setTimeout(r, fault.opts.ms ?? 500));
    send(res, record, answer, req);
    if (fault?.mode === 'totalChange') for (let i = 0; i < (fault.opts.insert ?? 5); i++) addAccount({ status: 1 }, true);
  }

  function send(res: http.ServerResponse, record: RecordedRequest, answer: Answer, req: http.IncomingMessage) {
    record.status = answer.status;
    let payload: Buffer = Buffer.from(answer.body, 'utf8');
    const headers: Record<string, string | number> = { 'content-type': `${answer.type}; charset=utf-8`, ...answer.headers };
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (compression && record.fault !== 'truncatedJson') {
      if (/\bgzip\b/.test(accepts)) {
        payload = zlib.gzipSync(payload);
        headers['content-encoding'] = 'gzip';
      } else if (/\bdeflate\b/.test(accepts)) {
        payload = zlib.deflateSync(payload);
        headers['content-encoding'] = 'deflate';
      }
    }
    headers['content-length'] = payload.length;
    res.writeHead(answer.status, headers);
    res.end(payload);
  }

  function sendHuge(res: http.ServerResponse, record: RecordedRequest, bytes: number) {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    res.write('{"pagination":{"limit":100,"offset":0,"total":1},"accounts":[],"padding":"');
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('"}');
    };
    res.on('error', () => {});
    pump();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    communityId,
    apiKey,
    accounts,
    requests,
    addAccount: (partial?: Partial<FakeAccount>) => addAccount(partial),
    updateAccount(uuid: string, patch: Partial<FakeAccount>) {
      Object.assign(find(uuid), patch);
    },
    removeAccount(uuid: string) {
      accounts.splice(accounts.indexOf(find(uuid)), 1);
    },
    ban: (uuid: string) => void (find(uuid).status = 4),
    unban: (uuid: string) => void (find(uuid).status = 1),
    grant: (uuid: string, perm: keyof FakeAccount['permissions']) => void (find(uuid).permissions[perm] = true),
    revoke: (uuid: string, perm: keyof FakeAccount['permissions']) => void (find(uuid).permissions[perm] = false),
    identitiesOf(uuid: string): string[] {
      const { license, steam, discord, fivem } = find(uuid).identities;
      return [license, steam, discord, fivem];
    },
    fault: (mode: FaultMode, faultOpts?: FaultOptions) => faults.add(mode, faultOpts),
    clearFaults: () => faults.clear(),
    resetRequests: () => void requests.splice(0),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeCad = Awaited<ReturnType<typeof startFakeCad>>;

function toInt(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : fallback;
}
