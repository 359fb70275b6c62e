// The MySQL/MariaDB backend against the shared-store contract, on a real MariaDB this file starts;
// plus what only a real database shows: migrations, a second server starting on existing tables, and
// that no secret reaches a table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/shared/database';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { createMysqlStore } from '../../src/core/shared/mysql-store';
import { SCHEMA_VERSION } from '../../src/core/shared/schema';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { sharedStoreContract } from './store-contract';

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

sharedStoreContract('mysql (MariaDB)', async (community) => createMysqlStore(openDatabase(connection()), 'sa_test_', community));

describe('MySQL store on a real MariaDB', () => {
  it('creates its versioned tables once, with the prefix, and two servers preparing at once agree', async () => {
    const stores = [0, 1, 2].map(() => createMysqlStore(openDatabase(connection()), 'mig_', 'c0ffee0000000000'));
    await Promise.all(stores.map((s) => s.prepare()));
    const probe = openDatabase(connection());
    const tables = (await probe.query<{ t: string }[]>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'mig\\_%'")).map((r) => r.t).sort();
    expect(tables).toEqual(['mig_accounts', 'mig_bucket', 'mig_lease', 'mig_lookups', 'mig_schema', 'mig_state', 'mig_versions']);
    expect(await probe.query('SELECT version FROM mig_schema')).toEqual([{ version: SCHEMA_VERSION }]);
    // A newer schema than this code knows: refuse rather than write into tables it does not understand.
    await probe.query('INSERT INTO mig_schema (version, applied_at) VALUES (?, 0)', [SCHEMA_VERSION + 1]);
    await expect(stores[0]!.prepare()).rejects.toThrow(/newer than this resource/);
    await probe.close();
    await Promise.all(stores.map((s) => s.close()));
  });
});
