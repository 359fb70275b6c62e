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
  pool.on('connection', (promised) => {
    // The promise pool forwards the driver's own (callback) connection here, whatever its typings say.
    const conn = promised as unknown as { on(event: 'error', listener: () => void): void; query(sql: string, done: () => void): void };
    // A connection that dies (the server stops, the network drops) also emits 'error' besides failing
    // its query; the query's rejection is what we act on, and an unheard 'error' would crash the server.
    conn.on('error', () => {});
    // oxmysql's default isolation: a write's INSERT ... SELECT reads the lease without locking it.
    conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', () => {});
  });
  const run = async (q: Pool | PoolConnection, sql: string, params?: unknown[]) => {
    const [rows] = await q.query({ sql, timeout: timeoutMs }, params);
    return rows as never;
  };
  return {
    query: (sql, params) => run(pool, sql, params),
    async transaction(work, opts = {}) {
      const conn = await pool.getConnection();
      let open = false;
      try {
        if (opts.consistentSnapshot) {
          // One point in time for every read: a version flipped meanwhile is not seen half.
          await run(conn, 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
          await run(conn, 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
        } else {
          await conn.beginTransaction();
        }
        open = true;
        const result = await work({ query: (sql, params) => run(conn, sql, params) });
        await conn.commit();
        open = false;
        return result;
      } catch (err) {
        if (open) await conn.rollback().catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    async session(work) {
      const conn = await pool.getConnection();
      try {
        return await work({ query: (sql, params) => run(conn, sql, params) });
      } finally {
        conn.release();
      }
    },
    close: () => pool.end().catch(() => {}),
  };
}

export type DbFailure = 'credentials' | 'unreachable' | 'error';

const CREDENTIAL_ERRORS = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR']);
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EPIPE|EAI_AGAIN|PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT|ER_SERVER_SHUTDOWN|ER_CON_COUNT_ERROR|CR_|ER_QUERY_INTERRUPTED|ER_CONNECTION_KILLED)/;

/** credentials: wrong user, password, database or rights (will not heal by itself); unreachable: down or lost. */
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
