// On API v1 a sweep is paced at one call a second, so 50,000 accounts take over eight minutes. Long
// sweeps say where they are (first page, then every few seconds, then the last page); short ones stay quiet.
import type { SweepProgress } from '../core/sweep';

export interface ProgressOptions {
  /** Statuses with fewer pages than this are not reported. */
  minPages: number;
  /** At most one line per this many ms between the first and the last page. */
  everyMs: number;
}

const DEFAULTS: ProgressOptions = { minPages: 5, everyMs: 10_000 };

export function sweepProgressLogger(info: (line: string) => void, now: () => number, opts: ProgressOptions = DEFAULTS) {
  let lastAt = -Infinity;
  return ({ status, page, pages }: SweepProgress): void => {
    if (pages < opts.minPages) return;
    const at = now();
    if (page !== 1 && page < pages && at - lastAt < opts.everyMs) return;
    lastAt = at;
    info(`syncing ${status} accounts: page ${page} of ${pages}`);
  };
}
