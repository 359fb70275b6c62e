// The fake CAD for the sweep benchmarks, either in this process or in a process of its own (so its own
// work — filtering 50,000 accounts per page, JSON, gzip — neither blocks our event loop nor fills our
// heap). Issue 23 measures with "the CAD in another process": a worker thread shared this process's V8
// platform threads (each isolate's GC helper tasks queue on the same pool) and its run queue with us.
// The child runs this same bundle: run.ts hands control to runCadProcess() when BENCH_ROLE says so.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeCad, type FakeCadOptions } from '../dev/fake-cad';

export interface CadStats {
  requests: number;
  status429: number;
}

export interface CadHandle {
  url: string;
  apiKey: string;
  communityId: string;
  /** Accounts per status code. */
  counts(): Promise<Record<number, number>>;
  /** Requests (and 429 answers) since the last mark(). */
  stats(): Promise<CadStats>;
  mark(): Promise<void>;
  /** Changes one account in 50 (a permission flips, the status stays): what a steady sweep finds. */
  churn(): Promise<number>;
  /** Deletes one account in 1,000 (none banned), to be put back by restore(): a sweep that drops accounts. */
  drop(): Promise<number>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

type CadOptions = Pick<FakeCadOptions, 'accounts' | 'seed' | 'rateLimit'> & { accounts: number };
const base = { apiKey: 'BENCH-KEY', communityId: 'bench-community' };

function commands(cad: Awaited<ReturnType<typeof startFakeCad>>) {
  let mark = 0;
  let dropped: [number, (typeof cad.accounts)[number]][] = [];
  return {
    counts: () => {
      const out: Record<number, number> = {};
      for (const a of cad.accounts) out[a.status] = (out[a.status] ?? 0) + 1;
      return out;
    },
    stats: (): CadStats => {
      const since = cad.requests.slice(mark);
      return { requests: since.length, status429: since.filter((r) => r.status === 429).length };
    },
    mark: () => {
      mark = cad.requests.length;
    },
    churn: () => {
      let changed = 0;
      for (let i = 0; i < cad.accounts.length; i += 50) {
        const p = cad.accounts[i]!.permissions;
        p.police = !p.police;
        changed += 1;
      }
      return changed;
    },
    drop: () => {
      for (let i = cad.accounts.length - 1; i >= 0; i -= 1_000) if (cad.accounts[i]!.status !== 4) dropped.push([i, cad.accounts.splice(i, 1)[0]!]);
      return dropped.length;
    },
    restore: () => {
      for (const [i, account] of dropped.reverse()) cad.accounts.splice(i, 0, account);
      dropped = [];
    },
    close: () => cad.close(),
  };
}

export async function inProcessCad(opts: CadOptions): Promise<CadHandle> {
  const cad = await startFakeCad({ ...base, ...opts });
  const c = commands(cad);
  return { url: cad.url, ...base, counts: async () => c.counts(), stats: async () => c.stats(), mark: async () => c.mark(), churn: async () => c.churn(), drop: async () => c.drop(), restore: async () => c.restore(), close: c.close };
}

const ROLE = 'fake-cad';
export const isCadProcess = () => process.env.BENCH_ROLE === ROLE;

/** Child side: start the CAD, answer {id, cmd} messages with {id, value}. */
export async function runCadProcess(): Promise<void> {
  const opts = JSON.parse(process.env.BENCH_CAD_OPTIONS!) as CadOptions;
  const cad = await startFakeCad({ ...base, ...opts });
  const c = commands(cad);
  process.on('message', async (msg: { id: number; cmd: keyof typeof c }) => {
    const value = await c[msg.cmd]();
    process.send!({ id: msg.id, value: value ?? null });
    if (msg.cmd === 'close') process.disconnect();
  });
  process.send!({ id: 0, value: cad.url });
}

/** The CAD in a child process of this same bundle, at our priority. */
export async function processCad(opts: CadOptions): Promise<CadHandle> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), process.argv.slice(2), {
    env: { ...process.env, BENCH_ROLE: ROLE, BENCH_CAD_OPTIONS: JSON.stringify(opts) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (v: unknown) => void>();
  let next = 1;
  child.on('message', (msg: { id: number; value: unknown }) => {
    waiting.get(msg.id)?.(msg.value);
    waiting.delete(msg.id);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake CAD process exited (${code})`)));
  });
  failed.catch(() => undefined);
  const ask = <T>(cmd: string, id = next++) =>
    Promise.race([failed, new Promise<T>((resolve) => {
      waiting.set(id, resolve as (v: unknown) => void);
      if (id !== 0) child.send({ id, cmd });
    })]);
  const url = await ask<string>('', 0);
  return {
    url,
    ...base,
    counts: () => ask('counts'),
    stats: () => ask('stats'),
    mark: () => ask('mark'),
    churn: () => ask('churn'),
    drop: () => ask('drop'),
    restore: () => ask('restore'),
    async close() {
      await ask('close');
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    },
  };
}
