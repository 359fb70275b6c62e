// Property: whatever the streams of connect lookups (any rate, any burst, lookups that give up) and of
// cadence calls (ban watch, online refresh: any rate, even saturating), a sweep of P pages finishes
// within the documented bound P × 3 intervals (pages answering at once), a connect lookup and a cadence
// call at the head of their lane start within 3 intervals, the cadence lane takes about one start in
// three at most while a lookup or a page waits, the rate is never exceeded, and lookups still start in arrival order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScheduler, type Priority } from '../../src/core/scheduler';
import { manualClock } from './helpers';

const INTERVAL = 1000;
const LANES: Priority[] = ['high', 'cadence', 'background'];

describe('scheduler fairness (property)', () => {
  it('sweeps, connect lookups and cadences each keep their share under any arrival stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5000 }),
        // Gaps between arrivals: from a trickle to bursts far above the rate (size 'max': long streams too).
        fc.array(
          fc.record({ gap: fc.integer({ min: 0, max: 900 }), giveUpAfter: fc.option(fc.integer({ min: 0, max: 10_000 })), lane: fc.constantFrom(...LANES) }),
          { maxLength: 150, size: 'max' },
        ),
        async (pages, sweepAt, stream) => {
          let at = 0;
          const arrivals = stream.map((a) => ({ ...a, at: (at += a.gap) }));
          const clock = manualClock();
          const scheduler = createScheduler(clock, INTERVAL);
          const starts: { at: number; lane: Priority; waiting: Record<Priority, number> }[] = [];
          const lookupOrder: number[] = [];
          /**
           * Per lane, how long each job waited as the head of its lane: from max(its arrival, the moment the
           * job before it left: its start, or its deadline when its caller gave up) to its own start.
           */
          const headWaits: Record<Priority, number[]> = { high: [], low: [], cadence: [], background: [] };
          const queued: Record<Priority, { arrival: number; deadline: number }[]> = { high: [], low: [], cadence: [], background: [] };
          const frontier: Record<Priority, number> = { high: 0, low: 0, cadence: 0, background: 0 };
          const refused: string[] = [];
          const waitingNow = () => ({ high: scheduler.waiting('high'), low: scheduler.waiting('low'), cadence: scheduler.waiting('cadence'), background: scheduler.waiting('background') });
          const submit = (lane: Priority, deadline = Infinity, onStart?: () => void) => {
            const entry = { arrival: clock.now(), deadline };
            queued[lane].push(entry);
            return scheduler
              .run(async () => {
                starts.push({ at: clock.now(), lane, waiting: waitingNow() });
                // Everything ahead of this job in its lane gave up (FIFO): it left the line at its deadline.
                for (const ahead of queued[lane].splice(0, queued[lane].indexOf(entry) + 1)) {
                  if (ahead !== entry) frontier[lane] = Math.max(frontier[lane], ahead.deadline);
                }
                headWaits[lane].push(clock.now() - Math.max(entry.arrival, frontier[lane]));
                frontier[lane] = clock.now();
                onStart?.();
              }, lane, () => clock.now() >= deadline)
              .catch((err: Error) => void refused.push(err.message));
          };
          arrivals.forEach((a, i) => {
            clock.setTimeout(() => {
              const deadline = a.giveUpAfter === null ? Infinity : clock.now() + a.giveUpAfter;
              void submit(a.lane, deadline, a.lane === 'high' ? () => void lookupOrder.push(i) : undefined);
            }, a.at);
          });
          let sweepStart = -1;
          let sweepEnd = -1;
          clock.setTimeout(() => {
            sweepStart = clock.now();
            void (async () => {
              for (let p = 0; p < pages; p++) await submit('low');
              sweepEnd = clock.now();
            })();
          }, sweepAt);
          await clock.advance(sweepAt + 3 * pages * INTERVAL + 1);
          expect(sweepEnd).toBeGreaterThanOrEqual(0);
          expect(sweepEnd - sweepStart).toBeLessThanOrEqual(3 * pages * INTERVAL);
          await clock.advance(300_000);
          scheduler.stop();
          // Every job ran, unless its caller gave up first.
          expect(refused.filter((m) => m !== 'cancelled before it started')).toEqual([]);
          const times = starts.map((s) => s.at);
          for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(INTERVAL);
          // A lookup or a cadence call at the head of its lane waits at most 3 intervals (2 other starts, then it).
          for (const lane of ['high', 'cadence'] as const) for (const w of headWaits[lane]) expect(w, lane).toBeLessThanOrEqual(3 * INTERVAL);
          // Contended (a lookup or a page waiting), the cadence lane never takes two starts in a row, and
          // over any stretch of n contended starts at most n/3 + 1.
          let stretch: Priority[] = [];
          const endStretch = () => {
            expect(stretch.filter((l) => l === 'cadence').length).toBeLessThanOrEqual(Math.floor(stretch.length / 3) + 1);
            stretch = [];
          };
          for (let i = 0; i < starts.length; i++) {
            const cur = starts[i]!;
            if (cur.waiting.high + cur.waiting.low === 0) {
              endStretch();
              continue;
            }
            if (cur.lane === 'cadence' && i > 0) expect(starts[i - 1]!.lane).not.toBe('cadence');
            stretch.push(cur.lane);
          }
          endStretch();
          // FIFO among lookups: arrival order is (at, index).
          const arrivalRank = (i: number) => arrivals[i]!.at * 1000 + i;
          for (let i = 1; i < lookupOrder.length; i++) expect(arrivalRank(lookupOrder[i]!)).toBeGreaterThan(arrivalRank(lookupOrder[i - 1]!));
        },
      ),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
  });
});
