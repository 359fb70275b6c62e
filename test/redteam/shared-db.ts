// The red team's shared-database bench (rounds 5 and 6): one real MariaDB for the file, servers of the
// built bundle started on it (directly or through a TCP hop a test can cut), the owner's SQL console, and
// the afterEach checks every scenario shares: the database password in no server's console, exports or
// status, refreshes settled before the servers close, the database up again for the next scenario.
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startMariaDb, TEST_DB_PASSWORD, type MariaDb } from '../../dev/mariadb';
import { startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';

/** A TCP hop between one server and the database: cut() is that server's network to the database failing. */
export interface Proxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export interface StartOptions {
  database?: Record<string, unknown>;
  config?: Record<string, unknown>;
  convars?: Record<string, string>;
  waitReady?: boolean;
}

export const info = (h: Harness) => h.fx.callExport('sonoran_accounts', 'getCacheInfo') as { ready: boolean; accounts: number; refreshing: boolean; banWatchAt: number | null };
export const lines = (h: Harness, text: string) => h.fx.consoleLines.filter((l) => l.includes(text));
export const statusOf = (h: Harness, apiId: string) => (h.fx.callExport('sonoran_accounts', 'getAccountByApiId', apiId) as { status: number } | null)?.status ?? null;
export const sweepsNow = (h: Harness) => lines(h, 'this server now sweeps').length > 0;

/** Registers the file's hooks; `cad` is the scenario's fake CAD (closed after each scenario). */
export function sharedDatabaseBench(cad: () => FakeCad | undefined) {
  let db!: MariaDb;
  const servers: Harness[] = [];
  const proxies: Proxy[] = [];
  const passwordSeen: string[] = [];
  beforeAll(async () => {
    db = await startMariaDb();
  }, 60_000);
  afterEach(async () => {
    // The database password (decoded, or as the URI writes it) in any server's console, exports' results or status.
    for (const h of servers) {
      const text = JSON.stringify({ console: h.fx.consoleLines, info: info(h) });
      for (const form of [TEST_DB_PASSWORD, encodeURIComponent(TEST_DB_PASSWORD)]) if (text.includes(form)) passwordSeen.push(form);
    }
    const closing = servers.splice(0);
    await waitFor(() => closing.every((h) => !info(h).refreshing), 'refreshes settled').catch(() => {});
    for (const h of closing) await h.close();
    for (const p of proxies.splice(0)) await p.close();
    await cad()?.close();
    if (!db.running) await db.start();
  });
  afterAll(async () => {
    await db?.destroy();
    expect(passwordSeen).toEqual([]);
  });

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

  return {
    get db() {
      return db;
    },
    /** The servers closed after each scenario (a test that starts one itself pushes it here). */
    servers,
    proxyTo,
    viaProxy: (p: Proxy) => db.uri().replace(`:${db.port}/`, `:${p.port}/`),
    /** One statement on the test's own connection (the owner at the database console). */
    async sqlQuery(statement: string): Promise<unknown> {
      const mysql = await import('mysql2/promise');
      const conn = await mysql.createConnection(db.uri());
      try {
        return (await conn.query(statement))[0];
      } finally {
        await conn.end();
      }
    },
    /** A server of the built bundle sharing through `connection` with the tables of `prefix`. */
    async start(prefix: string, connection: string, opts: StartOptions = {}) {
      const h = await startHarness({
        existingCad: cad(),
        config: { refreshMinutes: 10, ...opts.config, database: { enabled: true, leaseSeconds: 10, pollSeconds: 0.2, tablePrefix: prefix, ...opts.database } },
        convars: { mysql_connection_string: connection, ...opts.convars },
        waitReady: opts.waitReady,
      });
      servers.push(h);
      return h;
    },
  };
}
