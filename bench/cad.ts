// The fake CAD for the sweep benchmarks, either in this process or in a worker thread (so its own work
// — filtering 50,000 accounts per page, JSON, gzip — neither blocks our event loop nor fills our heap).
// The worker runs this same bundle: run.ts hands control to runCadWorker() when it is not the main thread.
import { parentPort, Worker, workerData } from 'node:worker_threads';
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
  close(): Promise<void>;
}

type CadOptions = Pick<FakeCadOptions, 'accounts' | 'seed' | 'rateLimit'> & { accounts: number };
const base = { apiKey: 'BENCH-KEY', communityId: 'bench-community' };

function commands(cad: Awaited<ReturnType<typeof startFakeCad>>) {
  let mark = 0;
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
    close: () => cad.close(),
  };
}

export async function inProcessCad(opts: CadOptions): Promise<CadHandle> {
  const cad = await startFakeCad({ ...base, ...opts });
  const c = commands(cad);
  return { url: cad.url, ...base, counts: async () => c.counts(), stats: async () => c.stats(), mark: async () => c.mark(), churn: async () => c.churn(), close: c.close };
}

export const isCadWorker = () => (workerData as { role?: string } | null)?.role === 'fake-cad';

/** Worker side: start the CAD, answer {id, cmd} messages with {id, value}. */
export async function runCadWorker(): Promise<void> {
  const opts = (workerData as { opts: CadOptions }).opts;
  const cad = await startFakeCad({ ...base, ...opts });
  const c = commands(cad);
  const port = parentPort!;
  port.on('message', async (msg: { id: number; cmd: keyof typeof c }) => {
    const value = await c[msg.cmd]();
    port.postMessage({ id: msg.id, value });
    if (msg.cmd === 'close') port.close();
  });
  port.postMessage({ id: 0, value: cad.url });
}

export async function workerCad(opts: CadOptions): Promise<CadHandle> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'fake-cad', opts } });
  const waiting = new Map<number, (v: unknown) => void>();
  let next = 1;
  worker.on('message', (msg: { id: number; value: unknown }) => {
    waiting.get(msg.id)?.(msg.value);
    waiting.delete(msg.id);
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const ask = <T>(cmd: string, id = next++) =>
    Promise.race([failed, new Promise<T>((resolve) => {
      waiting.set(id, resolve as (v: unknown) => void);
      if (id !== 0) worker.postMessage({ id, cmd });
    })]);
  const url = await ask<string>('', 0);
  return {
    url,
    ...base,
    counts: () => ask('counts'),
    stats: () => ask('stats'),
    mark: () => ask('mark'),
    churn: () => ask('churn'),
    async close() {
      await ask('close');
      await worker.terminate();
    },
  };
}
