// A CAD that stays down: the identical failure is printed once and then counted, not printed on every
// retry; each line names the API URL and when the next try is (issue 24, point 2).
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/fivem/context';
import { logSweepFailures } from '../../src/fivem/failure-log';
import type { CacheInfo } from '../../src/core/types';

function setup() {
  const handlers: Record<string, ((...args: any[]) => void)[]> = {};
  let now = Date.UTC(2026, 11, 4, 17, 0, 0);
  const info: CacheInfo = { ready: false, source: 'empty', accounts: 0, lastRefreshAt: null, lastError: null, refreshing: false, nextRefreshAt: null, banWatchAt: null };
  const lines: string[] = [];
  const ctx = {
    cache: { on: (e: string, h: (...args: any[]) => void) => void (handlers[e] ??= []).push(h), info: () => info },
    config: { apiUrl: 'https://cad.example' },
    log: { info: (l: string) => lines.push(`info ${l}`), error: (l: string) => lines.push(`error ${l}`), warn() {}, debug() {} },
    clock: { now: () => now, setTimeout: () => ({ cancel() {} }) },
  } as unknown as Context;
  logSweepFailures(ctx);
  const fail = (message: string, retryInMs: number | null) => {
    now += 10_000;
    info.nextRefreshAt = retryInMs === null ? null : now + retryInMs;
    for (const h of handlers.refreshFailed ?? []) h(message);
  };
  const succeed = () => {
    for (const h of handlers.refreshed ?? []) h({});
  };
  return { lines, fail, succeed };
}

describe('sweep failures on the console', () => {
  it('name the API URL and when the next try is', () => {
    const { lines, fail } = setup();
    fail('account sweep failed (transient): cannot reach the CAD (ECONNREFUSED)', 5_000);
    expect(lines).toEqual(['error account sweep failed (transient): cannot reach the CAD (ECONNREFUSED) (API URL https://cad.example; next try in 5 s)']);
  });

  it('an identical failure on every retry is printed once, then counted when it happened 2, 4, 8 times', () => {
    const { lines, fail, succeed } = setup();
    for (let i = 0; i < 9; i++) fail('account sweep failed (transient): cannot reach the CAD (ECONNREFUSED)', 20_000);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/the same sweep failure again: 2 times in a row since 17:00:10 UTC \(API URL https:\/\/cad\.example\); next try in 20 s/);
    expect(lines[2]).toMatch(/4 times in a row/);
    expect(lines[3]).toMatch(/8 times in a row/);
    fail('account sweep failed (transient): CAD server error HTTP 503', 20_000);
    expect(lines.slice(4)).toEqual([
      'info (the previous sweep failure happened 9 times in a row)',
      'error account sweep failed (transient): CAD server error HTTP 503 (API URL https://cad.example; next try in 20 s)',
    ]);
    succeed();
    expect(lines.at(-1)).toBe('info the CAD answered again after 1 failed sweep');
  });

  it('a failure that stops syncing says no more than that', () => {
    const { lines, fail } = setup();
    fail('account sweep failed (fatal): INVALID API KEY. Syncing stopped until the resource restarts.', null);
    expect(lines).toEqual(['error account sweep failed (fatal): INVALID API KEY. Syncing stopped until the resource restarts. (API URL https://cad.example)']);
  });
});
