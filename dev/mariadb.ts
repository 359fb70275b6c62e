// A real MariaDB for tests, the benchmark and the sandbox: Debian's `mariadb-server` binaries, a fresh
// data directory under the temp folder, its own port on 127.0.0.1 and its own socket, never the
// machine's own server. It can be stopped and started again on the same data (an outage), and
// `destroy()` removes everything. A process that dies without calling it still kills its server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_DB_USER = 'sonoran_test';
/** Long enough for the log masker, with characters a URI must percent-encode. */
export const TEST_DB_PASSWORD = 'db-Pw:9f3@kq';
export const TEST_DB_NAME = 'fivem';

export interface MariaDb {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly socket: string;
  /** `mysql_connection_string` in oxmysql's URI form. */
  uri(database?: string): string;
  /** The same in its `key=value;` form. */
  keyValue(database?: string): string;
  /** Stops the server (SIGTERM, clean shutdown; SIGKILL to pull the plug) and waits for it to exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same data directory and port. */
  start(): Promise<void>;
  readonly running: boolean;
  /** Stops it and removes the data directory. */
  destroy(): Promise<void>;
}

const find = (names: string[]) => names.find((p) => existsSync(p)) ?? null;

export function mariaDbBinaries(): { server: string; installDb: string } | null {
  const server = find(['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd']);
  const installDb = find(['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', '/usr/sbin/mariadb-install-db']);
  return server && installDb ? { server, installDb } : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
const installExitHook = () => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
};

export async function startMariaDb(opts: { database?: string } = {}): Promise<MariaDb> {
  const bins = mariaDbBinaries();
  if (!bins) throw new Error('MariaDB is not installed: `apt-get install -y mariadb-server` (npm test does it as root on Debian/Ubuntu)');
  const dir = mkdtempSync(join(tmpdir(), 'sonoran-mariadb-'));
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const database = opts.database ?? TEST_DB_NAME;
  const user = process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root');
  const install = spawnSync(
    bins.installDb,
    ['--no-defaults', `--user=${user}`, `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr || install.stdout}`);
  }
  // Runs at every start, so a restarted server has the same user and database.
  writeFileSync(
    join(dir, 'init.sql'),
    [
      `CREATE USER IF NOT EXISTS '${TEST_DB_USER}'@'127.0.0.1' IDENTIFIED BY '${TEST_DB_PASSWORD}';`,
      `CREATE DATABASE IF NOT EXISTS \`${database}\`;`,
      `GRANT ALL ON *.* TO '${TEST_DB_USER}'@'127.0.0.1';`,
    ].join('\n'),
  );
  const port = await freePort();
  let child: ChildProcess | null = null;
  installExitHook();

  const start = async () => {
    if (child) return;
    const proc = spawn(
      bins.server,
      [
        '--no-defaults',
        `--user=${user}`,
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--skip-log-bin',
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--log-error=${join(dir, 'error.log')}`,
        `--init-file=${join(dir, 'init.sql')}`,
        // Small and fast: a test database, not a durable one.
        '--innodb-buffer-pool-size=16M',
        '--innodb-log-file-size=8M',
        // 2: a commit reaches the OS at once (a killed mariadbd loses nothing), fsync once a second.
        '--innodb-flush-log-at-trx-commit=2',
        '--max-connections=200',
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    live.add(proc);
    proc.once('exit', () => {
      live.delete(proc);
      if (child === proc) child = null;
    });
    await waitAccepting(port, () => child === proc, join(dir, 'error.log'));
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
    child = null;
  };

  await start();
  const encode = encodeURIComponent;
  return {
    host: '127.0.0.1',
    port,
    socket,
    uri: (db = database) => `mysql://${encode(TEST_DB_USER)}:${encode(TEST_DB_PASSWORD)}@127.0.0.1:${port}/${db}`,
    keyValue: (db = database) => `host=127.0.0.1;port=${port};user=${TEST_DB_USER};password=${TEST_DB_PASSWORD};database=${db}`,
    stop,
    start,
    get running() {
      return child !== null;
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server is ready once the init file ran: it then accepts TCP and sends its greeting. */
async function waitAccepting(port: number, alive: () => boolean, errorLog: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`mariadbd exited while starting; see ${errorLog}`);
    if (await greets(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mariadbd did not accept connections on 127.0.0.1:${port} within 60 s; see ${errorLog}`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}
