// Red team, round 5: the issue-20 fixes (shared database), attacked through the BUILT bundle in the
// emulator against the fake CAD and a real MariaDB (dev/mariadb.ts). Each test here fails on purpose
// where it names a hole; the ones marked (guard) pass and show the edge of the hole.
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { connectAs } from '../integration/players';

let db: MariaDb;
let cad: FakeCad;
let servers: Harness[] = [];
let proxies: Proxy[] = [];
beforeAll(async () => {
  db = await startMariaDb();
}, 60_000);
afterEach(async () => {
  const closing = servers;
  servers = [];
  await waitFor(() => closing.every((h) => !info(h).refreshing), 'refreshes settled').catch(() => {});
  for (const h of closing) await h.close();
  for (const p of proxies.splice(0)) await p.close();
  await cad?.close();
  if (!db.running) await db.start();
});
afterAll(async () => {
  await db?.destroy();
});

/** A TCP hop between one server and the database: cut() is that server's network to the database failing. */
interface Proxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}
async function proxyTo(port: number): Promise<Proxy> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = tcpConnect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: Proxy = {
    port: (server.address() as { port: number }).port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.cut();
        server.close(() => resolve());
      }),
  };
  proxies.push(proxy);
  return proxy;
}
const viaProxy = (p: Proxy) => db.uri().replace(`:${db.port}/`, `:${p.port}/`);

const info = (h: Harness) => h.fx.callExport('sonoran_accounts', 'getCacheInfo') as { ready: boolean; accounts: number; refreshing: boolean };
const lines = (h: Harness, text: string) => h.fx.consoleLines.filter((l) => l.includes(text));
const statusOf = (h: Harness, apiId: string) => (h.fx.callExport('sonoran_accounts', 'getAccountByApiId', apiId) as { status: number } | null)?.status ?? null;
const sweepsNow = (h: Harness) => lines(h, 'this server now sweeps').length > 0;

async function start(prefix: string, connection: string, database: Record<string, unknown> = {}) {
  const h = await startHarness({
    existingCad: cad,
    config: { refreshMinutes: 10, database: { enabled: true, leaseSeconds: 10, pollSeconds: 0.2, tablePrefix: prefix, ...database } },
    convars: { mysql_connection_string: connection },
  });
  servers.push(h);
  return h;
}

describe('ban rule: a published sweep older than a follower\'s own sweep (round 5)', () => {
  // I1 (owner README): "a ban found ... by a sweep (published) ... every server connected to it refuses
  // that account ... within pollSeconds plus a database round trip". The holder A's sweep begins at t0
  // and is slow (a big community, a slow CAD). Meanwhile follower B loses its network to the database
  // for a few seconds and, running alone, completes its own sweep (began t1 > t0) before the CAD bans Z.
  // B is back; A's sweep reads Z banned after the ban and is published. B refuses to load it:
  // src/core/shared/version-source.ts read(): a version whose sweep began before this server's own last
  // sweep is 'unchanged', only its lookup rows are merged, and its accounts (Z banned) are dropped whole,
  // not merged per observation. B serves Z as active and admits them until A's next sweep (refreshMinutes).
  it('ban rule / follower back from a short database outage ignores a published ban: banned player admitted on B after pollSeconds + 3 s', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 80, seed: 21 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const a = await start('r5old_', db.uri());
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const hop = await proxyTo(db.port);
    const b = await start('r5old_', viaProxy(hop));
    await waitFor(() => lines(b, 'loaded shared version').length >= 1, 'B loads A\'s version');
    expect(sweepsNow(b)).toBe(false);
    expect(statusOf(b, z.apiIds[0]!)).toBe(1);

    // t0: A's sweep begins; its first page is slow (4 s).
    cad.fault('latency', { ms: 4000, route: 'accounts', times: 1 });
    const aSweep = a.fx.callExport('sonoran_accounts', 'refresh') as Promise<{ ok: boolean }>;
    await waitFor(() => cad.requests.some((r) => r.fault === 'latency'), 'A\'s slow page asked');

    // B's network to the database fails; alone, B sweeps the CAD itself (t1 > t0), before the ban.
    hop.cut();
    await waitFor(() => lines(b, 'shared database lost').length === 1, 'B runs alone');
    const own = (await b.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean };
    expect(own.ok).toBe(true);
    hop.restore();
    await waitFor(() => lines(b, 'shared database is back').length === 1, 'B is back');

    // The CAD bans Z; A's slow page answers after that, so A's sweep sees the ban and is published.
    cad.ban(z.uuid);
    expect((await aSweep).ok).toBe(true);
    expect(statusOf(a, z.apiIds[0]!)).toBe(4);
    await waitFor(() => lines(a, 'synced').length >= 2, 'A published', 3000).catch(() => {});
    const published = Date.now();

    // pollSeconds (0.2 s) + 3 s later, B must refuse Z.
    await new Promise((r) => setTimeout(r, Math.max(0, published + 3200 - Date.now())));
    const seen = statusOf(b, z.apiIds[0]!);
    const joined = await connectAs(b.fx, cad, z);
    expect({ seen, accepted: joined.accepted }).toEqual({ seen: 4, accepted: false });
  }, 30_000);
});
