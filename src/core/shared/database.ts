// The one pool to the shared MySQL/MariaDB, over mysql2 (the driver oxmysql is built on). Every query
// has a deadline, every transaction releases its connection on every path (rolling back when it did not
// commit), and failures are sorted into the three things an owner must hear differently.
import { createPool, type Pool, type PoolConnection } from 'mysql2/promise';
import type { DbConnection } from './connection-string';

/** `NOW()` is fixed for one statement: every server reads the same clock, the database's, in ms. */
export const NOW_MS = 'CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)';

const QUERY_TIMEOUT_MS = 15_000;

export interface Queryable {
  /** Rows of a SELECT, or the result header (affectedRows, insertId) of a write. */
  query<T = any>(sql: string, params?: unknown[]): Promise<T>;
}

export interface Db extends Queryable {
  /** Runs `work` in one transaction on one connection; commits when it resolves, rolls back otherwise. */
  transaction<T>(work: (q: Queryable) => Promise<T>, opts?: { consistentSnapshot?: boolean }): Promise<T>;
  /** Runs `work` on one connection without a transaction (session locks such as GET_LOCK). */
  session<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface WriteResult {
  affectedRows: number;
  insertId: number;
}

export interface DbOptions {
  /** Every call's deadline (tests shorten it). */
  queryTimeoutMs?: number;
}

export function openDatabase(connection: DbConnection, opts: DbOptions = {}): Db {
  const timeoutMs = opts.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
  const pool: Pool = createPool({
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    database: connection.database,
    ...(connection.socketPath ? { socketPath: connection.socketPath } : {}),
    ...(connection.charset ? { charset: connection.charset } : {}),
    ...(connection.ssl !== undefined ? { ssl: connection.ssl as never } : {}),
    connectionLimit: 4,
    maxIdle: 2,
    idleTimeout: 60_000,
    connectTimeout: 5_000,
    enableKeepAlive: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
  const lockWaitSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  pool.on('connection', (promised) => {
    // The promise pool forwards the driver's own (callback) connection here, whatever its typings say.
    const conn = promised as unknown as { on(event: 'error', listener: () => void): void; query(sql: string, done: () => void): void };
    // A connection that dies (the server stops, the network drops) also emits 'error' besides failing
    // its query; the query's rejection is what we act on, and an unheard 'error' would crash the server.
    conn.on('error', () => {});
    // oxmysql's default isolation: a write's INSERT ... SELECT reads the lease without locking it.
    conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', () => {});
    // A statement waiting for a lock (a backup's FLUSH TABLES WITH READ LOCK, a stuck transaction) gives
    // up on the server too at our deadline: the defaults are a day (metadata) and 50 s (rows).
    conn.query(`SET SESSION lock_wait_timeout = ${lockWaitSeconds}, innodb_lock_wait_timeout = ${lockWaitSeconds}`, () => {});
  });

  /** A free connection within the deadline; one that frees up later goes back to the pool unused. */
  const acquire = () =>
    new Promise<PoolConnection>((resolve, reject) => {
      let waiting = true;
      const timer = setTimeout(() => {
        waiting = false;
        reject(new Error(`no free database connection within ${timeoutMs / 1000} s (pool timeout)`));
      }, timeoutMs);
      pool.getConnection().then(
        (conn) => {
          clearTimeout(timer);
          if (waiting) resolve(conn);
          else conn.release();
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (waiting) reject(err);
        },
      );
    });

  /**
   * Runs `work` on one pool connection. A query past its deadline is still running on the server
   * (waiting for a lock), and mysql2 would hand its connection back only when the server answers: it
   * is destroyed instead, so stuck statements never hold the pool's slots and later calls get a fresh
   * connection.
   */
  const withConnection = async <T>(work: (q: Queryable, held: { stuck: boolean }) => Promise<T>): Promise<T> => {
    const conn = await acquire();
    const held = { stuck: false };
    const q: Queryable = {
      async query(sql, params) {
        try {
          const [rows] = await conn.query({ sql, timeout: timeoutMs }, params);
          return rows as never;
        } catch (err) {
          if (!held.stuck && (err as { code?: string })?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
            held.stuck = true;
            conn.destroy();
          }
          throw err;
        }
      },
    };
    try {
      return await work(q, held);
    } finally {
      if (!held.stuck) conn.release();
    }
  };

  return {
    query: (sql, params) => withConnection((q) => q.query(sql, params)),
    transaction: (work, opts = {}) =>
      withConnection(async (q, held) => {
        let open = false;
        try {
          if (opts.consistentSnapshot) {
            // One point in time for every read: a version flipped meanwhile is not seen half.
            await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
            await q.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
          } else {
            await q.query('START TRANSACTION');
          }
          open = true;
          const result = await work(q);
          await q.query('COMMIT');
          open = false;
          return result;
        } catch (err) {
          if (open && !held.stuck) await q.query('ROLLBACK').catch(() => {});
          throw err;
        }
      }),
    session: (work) => withConnection((q) => work(q)),
    close: () => pool.end().catch(() => {}),
  };
}

export type DbFailure = 'credentials' | 'unreachable' | 'error';

const CREDENTIAL_ERRORS = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR']);
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EPIPE|EAI_AGAIN|PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT|ER_SERVER_SHUTDOWN|ER_CON_COUNT_ERROR|CR_|ER_QUERY_INTERRUPTED|ER_CONNECTION_KILLED)/;

/**
 * credentials: wrong user, password, database or rights (will not heal by itself; sharing.ts refuses for good
 * only on a first connect: later, ER_BAD_DB_ERROR is a database dropped and recreated); unreachable: down or lost.
 */
export function classifyDbError(err: unknown): DbFailure {
  const e = err as { code?: string; message?: string; fatal?: boolean };
  if (e?.code && CREDENTIAL_ERRORS.has(e.code)) return 'credentials';
  if (e?.code && UNREACHABLE.test(e.code)) return 'unreachable';
  if (e?.fatal || /closed state|Pool is closed|timeout/i.test(e?.message ?? '')) return 'unreachable';
  return 'error';
}

/** A short, secret-free description: the driver's code and message (the logger masks the password too). */
export function describeDbError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = (e?.message ?? String(err)).split('\n')[0]!.slice(0, 200);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
