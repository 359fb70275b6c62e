// The test database itself: a real MariaDB started from Debian's binaries in a temp folder, which
// keeps its data across a stop and a start (the outage tests rely on that) and leaves nothing behind.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { startMariaDb, TEST_DB_PASSWORD, TEST_DB_USER, type MariaDb } from '../../dev/mariadb';

let db: MariaDb | undefined;
afterAll(async () => db?.destroy());

const connect = (m: MariaDb) => createConnection({ host: m.host, port: m.port, user: TEST_DB_USER, password: TEST_DB_PASSWORD, database: 'fivem' });

describe('test MariaDB', () => {
  it('runs on its own port, survives a stop/start with its data, and is removed by destroy()', async () => {
    db = await startMariaDb();
    const c1 = await connect(db);
    const [rows] = await c1.query('SELECT VERSION() AS v');
    expect((rows as { v: string }[])[0]!.v).toMatch(/MariaDB/);
    await c1.query('CREATE TABLE t (x INT) ENGINE=InnoDB');
    await c1.query('INSERT INTO t VALUES (42)');
    await c1.end();

    await db.stop();
    expect(db.running).toBe(false);
    await expect(connect(db)).rejects.toThrow();
    await db.start();
    const c2 = await connect(db);
    const [after] = await c2.query('SELECT x FROM t');
    expect(after).toEqual([{ x: 42 }]);
    await c2.end();

    const folder = dirname(db.socket);
    await db.destroy();
    db = undefined;
    expect(existsSync(folder)).toBe(false);
  });
});
