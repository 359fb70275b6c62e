// Failed sweeps on the console: each line says which API URL and when the next try is. A CAD that stays
// down repeats the identical failure on every retry; it is printed once, then counted, with a reminder
// when it happened 2, 4, 8, 16... times in a row and one line when the CAD answers again.
import type { CacheInfo } from '../core/types';
import type { Context } from './context';

/** `next try in 12 s`, `trying again now`, or nothing more to come (a fatal failure halted syncing). */
export function nextTry(info: CacheInfo, now: number): string {
  if (info.nextRefreshAt !== null) return `next try in ${Math.max(0, Math.round((info.nextRefreshAt - now) / 1000))} s`;
  return info.refreshing ? 'trying again now' : 'no next try until the resource restarts';
}

export function logSweepFailures({ cache, config, log, clock }: Context): void {
  let last: string | null = null;
  let repeats = 0;
  let firstAt = 0;
  const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

  cache.on('refreshFailed', (message) => {
    const info = cache.info();
    const next = info.nextRefreshAt === null && !info.refreshing ? '' : `; ${nextTry(info, clock.now())}`;
    if (message === last) {
      repeats += 1;
      if (((repeats + 1) & repeats) === 0) log.error(`the same sweep failure again: ${repeats + 1} times in a row since ${clockTime(firstAt)} UTC (API URL ${config.apiUrl})${next}`);
      return;
    }
    if (last !== null && repeats > 0) log.info(`(the previous sweep failure happened ${repeats + 1} times in a row)`);
    last = message;
    repeats = 0;
    firstAt = clock.now();
    log.error(`${message} (API URL ${config.apiUrl}${next})`);
  });
  cache.on('refreshed', () => {
    if (last !== null) log.info(`the CAD answered again after ${repeats + 1} failed sweep${repeats > 0 ? 's' : ''}`);
    last = null;
    repeats = 0;
  });
}
