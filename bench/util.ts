// Small shared pieces of the benchmark: results, statistics, a config for the core, quiet files/log.
import { configSchema, DEFAULTS, type Config } from '../src/core/config';
import type { FileStore, Logger } from '../src/core/types';

export interface Result {
  /** Which numbered question of the brief it answers (1..5). */
  group: number;
  metric: string;
  value: number | string;
  unit?: string;
  /** Human-readable target, e.g. "<= 400" ; absent for informational rows. */
  target?: string;
  ok?: boolean;
  detail?: Record<string, unknown>;
}

export const results: Result[] = [];

export function record(r: Result): Result {
  results.push(r);
  const shown = typeof r.value === 'number' ? fmt(r.value) : r.value;
  progress(`  = ${r.metric}: ${shown}${r.unit ? ` ${r.unit}` : ''}${r.target ? ` (target ${r.target}: ${r.ok ? 'ok' : 'MISSED'})` : ''}`);
  return r;
}

const started = performance.now();
export function progress(line: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[bench ${s}s] ${line}\n`);
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** A validated core config pointed at a (fake) CAD. */
export function coreConfig(cad: { url: string; apiKey: string; communityId: string }, rateLimit?: Config['rateLimit']): Config {
  return configSchema.parse({
    ...DEFAULTS,
    communityID: cad.communityId,
    apiKey: cad.apiKey,
    apiUrl: cad.url,
    ...(rateLimit ? { rateLimit } : {}),
  });
}

/** Fastest pacing the config schema accepts (v1PerSecond max is 1000 -> 1 ms between calls). */
export const FAST = { v1PerSecond: 1000, v2PerMinute: 60_000 };

/** A snapshot store that does the work of writing (the caller serializes) but keeps nothing. */
export function discardFiles(): FileStore & { writes: number; bytes: number } {
  const store = {
    writes: 0,
    bytes: 0,
    read: () => null,
    writeAtomic: async (_name: string, chunks: readonly (string | Uint8Array)[]) => {
      store.writes += 1;
      store.bytes = chunks.reduce((n, c) => n + c.length, 0);
    },
  };
  return store;
}

export function quietLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (msg: string) => void lines.push(`${level}: ${msg}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error'), debug: () => {} };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc (npm run bench does)');
  g();
  g();
}
