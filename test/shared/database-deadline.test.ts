// database.ts's deadline on a real MariaDB holding writes (FLUSH TABLES WITH READ LOCK, as a backup
// takes it): a write blocked behind the lock fails at its deadline, and the connection it is stuck on
// does not stay in the pool (mysql2 hands a timed-out connection back only when the server answers, so
// four stuck writes would hold every pool slot and queue every later call, reads too, until the lock
// goes). Reads keep answering while the lock is held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { openDatabase } from '../../src/core/shared/database';

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
/** The promise's outcome, or 'hung' when it has none within `ms`. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => 'answered', () => 'failed'), new Promise<string>((r) => setTimeout(() => r('hung'), ms))]);

describe('database deadline', () => {
  it('writes held by a global read lock fail at their deadline; afterwards a read still answers while the lock is held', async () => {
    const pool = openDatabase(connection(), { queryTimeoutMs: 1000 });
    const mysql = await import('mysql2/promise');
    const backup = await mysql.createConnection(db.uri());
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS deadline_t (id INT PRIMARY KEY, n INT NOT NULL)');
      await pool.query('INSERT IGNORE INTO deadline_t VALUES (1, 0)');
      await backup.query('FLUSH TABLES WITH READ LOCK');
      // More writes than the pool has connections (4): the last ones wait for a slot first.
      const writes = Array.from({ length: 6 }, () => within(pool.query('UPDATE deadline_t SET n = n + 1 WHERE id = 1'), 5000));
      expect(await Promise.all(writes)).toEqual(Array(6).fill('failed'));
      expect(await within(pool.query('SELECT n FROM deadline_t WHERE id = 1'), 2000)).toBe('answered');
    } finally {
      await backup.query('UNLOCK TABLES').catch(() => {});
      await backup.end();
      await pool.close();
    }
  }, 30_000);
});
