// The MySQL/MariaDB backend against the shared-store contract, on a real MariaDB this file starts;
// plus what only a real database shows: migrations, a second server starting on existing tables, and
// that no secret reaches a table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/shared/database';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { createMysqlStore } from '../../src/core/shared/mysql-store';
import { SCHEMA_VERSION } from '../../src/core/shared/schema';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { account, sharedStoreContract } from './store-contract';

let db: MariaDb;
beforeAll(async () => {
  db = await startMariaDb();
}, 60_000);
afterAll(async () => db?.destroy());

const connection = () => {
  const parsed = parseConnectionString(db.uri());
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.connection;
};

sharedStoreContract('mysql (MariaDB)', async (community) => createMysqlStore(openDatabase(connection()), 'sa_test_', community), async () => {
  const probe = openDatabase(connection());
  await probe.query('TRUNCATE TABLE `sa_test_lookups`');
  await probe.close();
});

describe('MySQL store on a real MariaDB', () => {
  it('creates its versioned tables once, with the prefix, and two servers preparing at once agree', async () => {
    const stores = [0, 1, 2].map(() => createMysqlStore(openDatabase(connection()), 'mig_', 'c0ffee0000000000'));
    await Promise.all(stores.map((s) => s.prepare()));
    const probe = openDatabase(connection());
    const tables = (await probe.query<{ t: string }[]>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'mig\\_%'")).map((r) => r.t).sort();
    expect(tables).toEqual(['mig_accounts', 'mig_bucket', 'mig_lease', 'mig_lookups', 'mig_online', 'mig_roster', 'mig_schema', 'mig_state', 'mig_versions', 'mig_watch']);
    expect(await probe.query('SELECT MAX(version) AS version FROM mig_schema')).toEqual([{ version: SCHEMA_VERSION }]);
    // A newer schema than this code knows: refuse rather than write into tables it does not understand.
    await probe.query('INSERT INTO mig_schema (version, applied_at) VALUES (?, 0)', [SCHEMA_VERSION + 1]);
    await expect(stores[0]!.prepare()).rejects.toThrow(/newer than this resource/);
    await probe.close();
    await Promise.all(stores.map((s) => s.close()));
  });
});

describe('MySQL store when the database dies mid-publish', () => {
  it('a version cut off by a crash is never read; the previous one stays current and whole', async () => {
    const open = () => createMysqlStore(openDatabase(connection()), 'crash_', 'dead0000beef0000');
    const writer = open();
    await writer.prepare();
    const lease = await writer.takeLease('W', null, 600_000);
    const small = Array.from({ length: 300 }, (_, i) => account(i));
    const first = await writer.publish('W', lease.token, { startedAt: await writer.now(), byStatus: { active: 300 }, accounts: small });
    const big = Array.from({ length: 40_000 }, (_, i) => account(100_000 + i));
    const cut = writer.publish('W', lease.token, { startedAt: await writer.now(), byStatus: { active: 40_000 }, accounts: big }).then(
      () => 'published',
      (err: Error) => err,
    );
    await new Promise((r) => setTimeout(r, 150));
    await db.stop('SIGKILL');
    expect(await cut).toBeInstanceOf(Error); // cut off mid-way, not finished before the kill
    await writer.close();
    await db.start();
    const reader = open();
    const current = (await reader.loadCurrent())!;
    expect(current.info.id).toBe(first);
    expect(current.accounts).toHaveLength(300);
    await reader.close();
  }, 60_000);
});
