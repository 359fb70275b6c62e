// SetHttpHandler as FXServer serves it (ResourceHttpHandler.cpp, HttpServerManager.cpp, Http1Server.cpp):
// real HTTP on 127.0.0.1 into a resource's handler, with the request/response objects of the native's
// documentation. Each test names the rule of docs/architecture.md it checks.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';

let fx: FxServer;
afterEach(() => fx?.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: string;
}

function call(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: opts.method ?? 'GET', headers: opts.headers, timeout: opts.timeoutMs ?? 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A resource whose handler answers with what it was given, as JSON. */
const ECHO = `
const seen = [];
exports('seen', () => seen);
SetHttpHandler((req, res) => {
  const entry = { method: req.method, path: req.path, headers: req.headers, address: req.address, body: null, kinds: [typeof req.setDataHandler, typeof req.setCancelHandler, typeof res.writeHead, typeof res.write, typeof res.send] };
  seen.push(entry);
  if (req.method === 'POST') {
    req.setDataHandler((data) => { entry.body = data; res.writeHead(201, { 'Content-Type': 'application/json' }); res.send(JSON.stringify(entry)); });
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'] });
  res.write('{"entry":');
  res.send(JSON.stringify(entry) + '}');
});
`;

describe('SetHttpHandler (ResourceHttpHandler.cpp)', () => {
  it('a request under /<resource>/ reaches its handler with method, the path after the prefix, headers as sent and the peer address', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'web', code: ECHO });
    const base = await fx.httpUrl();
    const answer = await call(base, '/web/status?x=1', { headers: { 'X-Mixed-Case': 'yes', Authorization: 'Bearer abc' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['x-multi']).toBe('a, b');
    const { entry } = JSON.parse(answer.body);
    expect(entry.method).toBe('GET');
    expect(entry.path).toBe('/status?x=1');
    // A std::map of the names as the client wrote them: a handler must look them up without regard to case.
    expect(entry.headers['X-Mixed-Case']).toBe('yes');
    expect(entry.headers.Authorization).toBe('Bearer abc');
    expect(entry.headers.authorization).toBeUndefined();
    expect(entry.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(entry.kinds).toEqual(['function', 'function', 'function', 'function', 'function']);
  });

  it('routes by prefix without regard to case; /<resource> alone arrives as path "/"', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'web', code: ECHO });
    const base = await fx.httpUrl();
    expect(JSON.parse((await call(base, '/WEB/Status')).body).entry.path).toBe('/Status');
    expect(JSON.parse((await call(base, '/web')).body).entry.path).toBe('/');
  });

  it('a resource without a handler answers 404 "Not found."; a path no resource owns, 404 "Route ... not found."', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'quiet', code: `exports('x', () => 1);` });
    const base = await fx.httpUrl();
    const quiet = await call(base, '/quiet/status');
    expect([quiet.status, quiet.body]).toEqual([404, 'Not found.']);
    const nobody = await call(base, '/nobody/status');
    expect([nobody.status, nobody.body]).toEqual([404, 'Route /nobody/status not found.']);
  });

  it('a stopped resource has no endpoint any more', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'web', code: ECHO });
    const base = await fx.httpUrl();
    expect((await call(base, '/web/a')).status).toBe(200);
    fx.stopResource('web');
    expect((await call(base, '/web/a')).body).toBe('Route /web/a not found.');
  });

  it('a request body reaches setDataHandler once, whole, as a string', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'web', code: ECHO });
    const base = await fx.httpUrl();
    const answer = await call(base, '/web/in', { method: 'POST', body: 'x'.repeat(100_000) });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body).body).toBe('x'.repeat(100_000));
  });

  it('writeHead works once and not after write; send without writeHead answers 200', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'web',
      code: `SetHttpHandler((req, res) => {
        if (req.path === '/late') { res.write('a'); res.writeHead(500, { 'X-Late': '1' }); res.send('b'); return; }
        if (req.path === '/twice') { res.writeHead(202, { 'X-First': '1' }); res.writeHead(500, { 'X-Second': '1' }); res.send('c'); return; }
        res.send('plain');
      });`,
    });
    const base = await fx.httpUrl();
    const late = await call(base, '/web/late');
    expect([late.status, late.body, late.headers['x-late']]).toEqual([200, 'ab', undefined]);
    const twice = await call(base, '/web/twice');
    expect([twice.status, twice.headers['x-first'], twice.headers['x-second']]).toEqual([202, '1', undefined]);
    const plain = await call(base, '/web/other');
    expect([plain.status, plain.body]).toEqual([200, 'plain']);
  });

  it('the response functions take strings only (msgpack as<std::string>): a number throws in the resource', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'web',
      code: `SetHttpHandler((req, res) => { try { res.send(42); } catch (e) { res.send('threw'); } });`,
    });
    const answer = await call(await fx.httpUrl(), '/web/x');
    expect(answer.body).toBe('threw');
  });

  it('runs the handler in a server tick, and a handler that throws leaves the request open (SCRIPT ERROR in call ref)', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'web',
      code: `let ticks = 0; setTick(() => { ticks++; }); SetHttpHandler((req, res) => { if (req.path === '/boom') throw new Error('boom'); res.send(String(ticks)); });`,
    });
    const base = await fx.httpUrl();
    expect(Number((await call(base, '/web/ticks')).body)).toBeGreaterThan(0);
    await expect(call(base, '/web/boom', { timeoutMs: 300 })).rejects.toThrow('timeout');
    expect(fx.unhandledRejections.join('\n')).toContain('SCRIPT ERROR in call ref: Error: boom');
  });
});
