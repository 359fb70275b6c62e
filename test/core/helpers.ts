// Small real pieces for core tests: a config built through loadConfig, in-memory files, a log that
// keeps its lines, a manual clock.
import { afterEach } from 'vitest';
import { serverClock } from '../../src/fivem/clock';
import { loadConfig, type Config } from '../../src/core/config';
import { EMPTY_MASK } from '../../src/core/permissions';
import type { CachedAccount, Clock, FileStore, Logger, TimerHandle } from '../../src/core/types';
import type { FakeCad } from '../../dev/fake-cad';

export function configFor(cad: Pick<FakeCad, 'url' | 'apiKey' | 'communityId'>, overrides: Record<string, unknown> = {}, version: 1 | 2 = 1): Config {
  const loaded = loadConfig({
    text: JSON.stringify({ apiUrl: cad.url, apiKey: cad.apiKey, communityID: cad.communityId, apiVersion: version, rateLimit: { v1PerSecond: 1000, v2PerMinute: 60_000 }, ...overrides }),
    getConvar: () => undefined,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.config;
}

const UTF8 = new TextDecoder();
const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : UTF8.decode(chunk));

export function memoryFiles(initial: Record<string, string> = {}): FileStore & { files: Map<string, string> } {
  const files = new Map(Object.entries(initial));
  return { files, read: (name) => files.get(name) ?? null, writeAtomic: async (name, chunks) => void files.set(name, chunks.map(text).join('')) };
}

export function captureLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (msg: string) => void lines.push(`${level}: ${msg}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error'), debug: push('debug') };
}

export const realClock: Clock = serverClock;

/** Time that moves only when a test says so; timers fire in order as it passes. */
/** `settle` runs before each due timer fires (default: a few microtask turns; a real database's calls need real waiting). */
export function manualClock(start = 1_000_000, settle: () => Promise<void> = flush): Clock & { advance(ms: number): Promise<void>; pending(): number } {
  let now = start;
  let seq = 0;
  const timers: { at: number; seq: number; fn: () => void; cancelled: boolean }[] = [];
  return {
    now: () => now,
    monotonic: () => now,
    setTimeout(fn, ms): TimerHandle {
      const t = { at: now + Math.max(0, ms), seq: seq++, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settle();
        const due = timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        timers.splice(timers.indexOf(due), 1);
        now = due.at;
        due.fn();
      }
      now = until;
      await settle();
    },
    pending: () => timers.filter((t) => !t.cancelled).length,
  };
}

async function flush() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** A hand-made account for index, merge and standing tests. */
export const account = (over: Partial<CachedAccount>): CachedAccount => ({
  uuid: 'u-1',
  username: 'Someone',
  communityUserId: null,
  apiIds: [],
  status: 1,
  joined: '2024-01-01T00:00:00Z',
  lastLogin: '2024-01-01T00:00:00Z',
  observedAt: 1_000,
  ...EMPTY_MASK,
  ...over,
});

/**
 * After each test: stops the cache it started and closes its fake CAD, read from the test file's own
 * variables when the test ends (stopping a cache or closing a CAD twice is harmless).
 */
export function stopAfterEach(current: () => { cache?: { stop(): void }; cad?: { close(): Promise<void> } }): void {
  afterEach(async () => {
    const { cache, cad } = current();
    cache?.stop();
    await cad?.close();
  });
}
