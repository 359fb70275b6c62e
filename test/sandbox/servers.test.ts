// SANDBOX_SERVERS=N (issue 24, sandbox): every server can be addressed, the lease holder stopped, the
// database cut and restored; the scripted demo shows the ban reaching servers 2 and 3; SIGHUP and
// SIGTERM leave no mariadbd and no temp folder behind; and counts that are no counts are refused.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';
import { waitFor } from '../integration/harness';
import { openSession, type Session } from './session';

const work = mkdtempSync(join(tmpdir(), 'sonoran-sandbox-servers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bundled sandbox without a terminal, in its own TMPDIR; `onLine` may signal it. */
function sandbox(env: Record<string, string>, onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
  const tmp = mkdtempSync(join(work, 'tmp-'));
  const child = spawn(process.execPath, [join(ROOT, '.build/sandbox.mjs')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SONORAN_API_KEY: '', SONORAN_COMMUNITY_ID: '', SONORAN_API_URL: '', TMPDIR: tmp, ...env },
  });
  child.stdin.end();
  let output = '';
  const take = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split('\n')) onLine?.(line, child);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; leftInTmp: () => string[] }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output, leftInTmp: () => readdirSync(tmp) })),
  );
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });

describe('SANDBOX_ACCOUNTS and SANDBOX_SERVERS', () => {
  it.each([
    ['SANDBOX_ACCOUNTS', 'abc'],
    ['SANDBOX_ACCOUNTS', '0'],
    ['SANDBOX_ACCOUNTS', '12.5'],
    ['SANDBOX_SERVERS', 'abc'],
    ['SANDBOX_SERVERS', '0'],
  ])('%s=%s is refused at once, naming it, instead of replaced by a default', async (name, value) => {
    const { code, output } = await sandbox({ [name]: value });
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`^sandbox: ${name} must be a whole number from \\d+ to \\d+, got "${value.replace('.', '\\.')}"`, 'm'));
    expect(output).not.toContain('fake Sonoran CAD at');
  }, 30_000);
});

describe.each(['SIGTERM', 'SIGHUP'] as const)('SANDBOX_SERVERS=2 stopped by %s', (signal) => {
  it('leaves no mariadbd running and no temp folder', async () => {
    let port = 0;
    const run = await sandbox({ SANDBOX_SERVERS: '2' }, (line, child) => {
      const m = /sharing a private MariaDB on 127\.0\.0\.1:(\d+)/.exec(line);
      if (m && port === 0) {
        port = Number(m[1]);
        child.kill(signal);
      }
    });
    expect(port, run.output).toBeGreaterThan(0);
    expect(run.code === null ? run.signal : run.code).not.toBe(0);
    expect(await accepts(port)).toBe(false);
    expect(run.leftInTmp()).toEqual([]);
  }, 90_000);
});

describe('the console with three servers', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openSession({ servers: 3 });
  }, 90_000);
  afterAll(() => s?.close());

  it('lists the servers and which one sweeps; addresses any of them', async () => {
    await waitFor(() => /this server now sweeps for the community/.test(s.text()), 'a lease holder', 20_000);
    const list = await s.send('servers');
    expect(list).toMatch(/^ {2}1 +running/m);
    expect(list).toMatch(/^ {2}3 +running/m);
    expect(list).toMatch(/holds the sweep lease/);
    let ready = '';
    for (let i = 0; i < 50 && !/\[server 3\] true/.test(ready); i++) {
      ready = await s.send('on 3 export isReady');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toMatch(/^ {2}\[server 3\] true$/m);
    expect(await s.send('on 1 export isReady')).toMatch(/^ {2}true$/m);
    expect(await s.send('on 4 export isReady')).toContain('no server 4 (servers: 1-3)');
  }, 30_000);

  it('cuts and restores the shared database, and the servers say so', async () => {
    await s.send('db cut');
    await waitFor(() => /shared database lost/.test(s.text()), 'a server noticing', 20_000);
    await s.send('db restore');
    await waitFor(() => /shared database is back/.test(s.text()), 'a server rejoining', 30_000);
  }, 60_000);

  it('stops the lease holder (stop holder, or its number), and another server takes over', async () => {
    expect(await s.send('stop')).toContain('usage: stop <server|holder>');
    // After the database came back the lease is free once it expires (leaseSeconds 6): wait for a taker.
    let before: RegExpMatchArray | null = null;
    for (const deadline = Date.now() + 60_000; !before && Date.now() < deadline; ) {
      before = (await s.send('servers')).match(/^ {2}(\d) +running +holds the sweep lease/m);
      if (!before) await new Promise((r) => setTimeout(r, 200));
    }
    expect(before).not.toBeNull();
    const from = s.text().length;
    expect(await s.send(`stop ${before![1]}`)).toMatch(new RegExp(`server ${before![1]} stopped`));
    await waitFor(() => /this server now sweeps for the community/.test(s.text().slice(from)), 'a new holder', 30_000);
    expect(await s.send('servers')).toMatch(new RegExp(`^ {2}${before![1]} +stopped`, 'm'));
    const next = /^ {2}(\d) +running +holds the sweep lease/m.exec(await s.send('servers'))?.[1];
    expect(next).toBeDefined();
    expect(await s.send('stop holder')).toContain(`server ${next} stopped`);
    expect(await s.send('kill 1')).toContain('server 1 runs this console');
  }, 150_000);
});

describe('the scripted demo with SANDBOX_SERVERS=3', () => {
  it('shows the ban reaching servers 2 and 3, and says how to get the interactive console', async () => {
    const { code, output, leftInTmp } = await sandbox({ SANDBOX_SERVERS: '3' });
    expect(code, output).toBe(0);
    expect(output).toMatch(/\[server 2\] \S+ is banned here/);
    expect(output).toMatch(/\[server 3\] \S+ is banned here/);
    expect(output).toMatch(/interactive console: run npm start in a terminal/);
    expect(leftInTmp()).toEqual([]);
  }, 120_000);
});
