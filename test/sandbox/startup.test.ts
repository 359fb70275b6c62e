// `npm start` when something is wrong, run as a user runs it (the bundled sandbox, no terminal): a
// broken config.json (SANDBOX_CONFIG), and live mode against an API that never answers.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';
import { waitReady, type World } from '../../dev/sandbox/world';

const work = mkdtempSync(join(tmpdir(), 'sonoran-sandbox-startup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the sandbox with its own TMPDIR, so what it leaves behind can be seen. */
async function sandbox(env: Record<string, string>): Promise<{ code: number | null; output: string; leftInTmp: string[] }> {
  const tmp = mkdtempSync(join(work, 'tmp-'));
  const child = spawn(process.execPath, [join(ROOT, '.build/sandbox.mjs')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SONORAN_API_KEY: '', SONORAN_COMMUNITY_ID: '', SONORAN_API_URL: '', TMPDIR: tmp, ...env },
  });
  child.stdin.end();
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output, leftInTmp: readdirSync(tmp) };
}

function configFile(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

describe('the sandbox with a broken config.json', () => {
  it('not JSON: the resource names the file, line and column, runs on the defaults (bans still refused), no stack trace, no temp folder left', async () => {
    const file = configFile('broken.json', '{ "refreshMinutes": 10, }');
    const { code, output, leftInTmp } = await sandbox({ SANDBOX_CONFIG: file });
    expect(code, output).toBe(0);
    expect(output).toContain(`sandbox: config ${file} is not valid JSON: the resource gets it as is`);
    expect(output).toMatch(/\[sonoran_accounts\] .*config\.json line 1, column 25: not valid JSON/);
    expect(output).toMatch(/\[sonoran_accounts\] .*the defaults are in force/);
    expect(output).toMatch(/rejected: You are banned from Sonoran CAD/);
    expect(output).not.toMatch(/^\s+at /m);
    expect(leftInTmp).toEqual([]);
  }, 60_000);

  it('a bad value is reported by the resource with its line and column, not hidden by a sandbox default', async () => {
    const file = configFile('ten.json', '{ "refreshMinutes": "ten" }');
    const { code, output, leftInTmp } = await sandbox({ SANDBOX_CONFIG: file });
    expect(code, output).toBe(0);
    expect(output).toMatch(/config\.json line \d+, column \d+: refreshMinutes must be a number of minutes from 1 to 1440, got "ten"/);
    expect(leftInTmp).toEqual([]);
  }, 60_000);

  it('a file that does not exist is one clear line', async () => {
    const { code, output } = await sandbox({ SANDBOX_CONFIG: join(work, 'missing.json') });
    expect(code).toBe(1);
    expect(output).toMatch(/^sandbox: ENOENT: no such file or directory, open '.*missing\.json' \(SANDBOX_DEBUG=1 shows the stack\)$/m);
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);
});

describe('the sandbox in live mode against an API that never answers', () => {
  let server: Server;
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server?.close(r));
  });

  it('says at once what it waits for, and the failure names the URL and claims no cache', async () => {
    server = createServer((socket) => void sockets.push(socket)); // accepts, reads, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const file = configFile('fast-timeout.json', '{ "requestTimeoutSeconds": 1 }');
    const { code, output, leftInTmp } = await sandbox({ SONORAN_API_KEY: 'live-test-key-0123456789', SONORAN_COMMUNITY_ID: 'c', SONORAN_API_URL: url, SANDBOX_CONFIG: file });
    expect(code, output).toBe(1);
    const lines = output.split('\n');
    const waiting = lines.findIndex((l) => l === `sandbox: waiting for the first sweep from ${url}…`);
    const failed = lines.findIndex((l) => l.startsWith(`sandbox: no accounts from ${url}: account sweep failed (transient)`));
    expect(waiting).toBeGreaterThanOrEqual(0);
    expect(failed).toBeGreaterThan(waiting);
    expect(output).toContain('Nothing cached yet: no sweep has succeeded and no snapshot was loaded');
    expect(output).not.toContain('Keeping the last good cache (0 accounts)');
    expect(output).not.toContain('live-test-key-0123456789');
    expect(leftInTmp).toEqual([]);
  }, 90_000);
});

describe('waiting for the first sweep', () => {
  it('repeats what it waits for while the sweep runs, and gives up naming the URL', async () => {
    const lines: string[] = [];
    const stuck = {
      cad: null,
      apiUrl: 'http://cad.example:1',
      print: (line: string) => lines.push(line),
      fx: { callExport: () => ({ ready: false, refreshing: true, lastError: null }) },
    } as unknown as World;
    expect(await waitReady(stuck, 450, 100)).toBe(false);
    expect(lines[0]).toContain('waiting for the first sweep from http://cad.example:1…');
    expect(lines.filter((l) => l.includes('still waiting for http://cad.example:1')).length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toContain('http://cad.example:1 gave no usable answer within 0.45 s');
  });
});
