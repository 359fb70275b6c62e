// Issue 20, hole 5: an owner cleaning tables (or one table restored from a backup) deletes the lease or
// state rows. They are recreated: somebody sweeps again and a ban reaches every server; never "held by
// nobody" forever, and no line blaming "another server" for a row that simply vanished. Real MariaDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { openDatabase, type Db } from '../../src/core/shared/database';
import { memoryShared } from '../../src/core/shared/memory-store';
import { createMysqlStore } from '../../src/core/shared/mysql-store';
import { memoryServers, until } from './memory-servers';

let db: MariaDb;
let cad: FakeCad | undefined;
let probe: Db;
beforeAll(async () => {
  db = await startMariaDb();
  probe = openDatabase(connection());
}, 60_000);
afterAll(async () => {
  await probe?.close();
  await db?.destroy();
});
const connection = () => {
  const parsed = parseConnectionString(db.uri());
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.connection;
};
const start = memoryServers(() => cad);
const server = (prefix: string, name: string) => start(memoryShared(), name, createMysqlStore(openDatabase(connection()), prefix, 'c0ffee00deadbeef'));

describe('shared rows deleted (hole 5)', () => {
  for (const table of ['lease', 'state', 'lease and state', 'bucket'] as const) {
    it(`DELETE FROM the ${table} rows: somebody sweeps again and both servers see a new ban`, async () => {
      cad = await startFakeCad({ rateLimit: false, accounts: 40 });
      const prefix = `del_${table.replace(/ /g, '_')}_`;
      const a = server(prefix, 'A');
      await a.cache.refresh();
      await until(() => a.sharing.sweeping(), 'A holds the lease');
      const b = server(prefix, 'B');
      await b.cache.refresh();
      const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
      expect(b.cache.find(z.apiIds[0]!)?.status).toBe(1);

      for (const t of table.split(' and ')) await probe.query(`DELETE FROM \`${prefix}${t}\``);
      cad.ban(z.uuid);
      await new Promise((r) => setTimeout(r, 1500)); // past the 1 s lease: whoever holds it now sweeps
      await Promise.all([a.cache.refresh(), b.cache.refresh()]);
      await until(() => a.cache.find(z.apiIds[0]!)?.status === 4 && b.cache.find(z.apiIds[0]!)?.status === 4, 'both servers see the ban');
      expect(a.sharing.sweeping() || b.sharing.sweeping()).toBe(true);
      for (const s of [a, b]) expect(s.log.lines.join('\n')).not.toMatch(/another server took the sweep lease|lost the sweep lease while sweeping/);
    }, 20_000);
  }

  it('DELETE FROM the online rows, then DROP the online table: a follower writes its online players again, and sharing goes on', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 40 });
    const prefix = 'del_online_';
    const player = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const mysql = () => createMysqlStore(openDatabase(connection()), prefix, 'c0ffee00deadbeef');
    const a = start(memoryShared(), 'A', mysql());
    await a.cache.refresh();
    await until(() => a.sharing.sweeping(), 'A holds the lease');
    const b = start(memoryShared(), 'B', mysql(), {}, () => [cad!.identitiesOf(player.uuid)]);
    await b.cache.refresh();
    const rows = async () => (await probe.query<{ uuid: string }[]>(`SELECT uuid FROM \`${prefix}online\``)).map((r) => r.uuid);
    const eventually = async (what: string, done: () => Promise<boolean>) => {
      const deadline = Date.now() + 5000;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await eventually('B writes its online player', async () => (await rows()).join() === player.uuid);

    await probe.query(`DELETE FROM \`${prefix}online\``);
    await eventually('B writes it again within leaseSeconds', async () => (await rows()).join() === player.uuid);

    await probe.query(`DROP TABLE \`${prefix}online\``);
    await eventually('the table recreated and written again', async () => (await rows().catch(() => [])).join() === player.uuid);
    // Said once by whichever server met the missing table first (the holder reads it at every poll).
    const said = (s: typeof a) => s.log.lines.filter((l) => l.includes('online players could not be shared')).length;
    expect(said(a) + said(b)).toBeGreaterThanOrEqual(1);
    expect(Math.max(said(a), said(b))).toBe(1);
    // Nothing else broke: both still share, and a ban the holder finds reaches the follower.
    expect([a.sharing.mode(), b.sharing.mode()]).toEqual(['shared', 'shared']);
    cad.ban(player.uuid);
    await a.cache.refresh();
    await until(() => b.cache.find(player.apiIds[0]!)?.status === 4, 'B sees the ban');
  }, 20_000);
});
