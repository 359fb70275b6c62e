// Property: whatever the stream of connect lookups (any rate, any burst, lookups that give up), a sweep
// of P pages finishes within the documented bound P × 3 intervals (pages answering at once), the rate
// is never exceeded, and lookups still start in arrival order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/core/scheduler';
import { manualClock } from './helpers';

const INTERVAL = 1000;

describe('scheduler fairness (property)', () => {
  it('a P-page sweep ends within 3·P intervals under any arrival stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5000 }),
        // Gaps between arrivals: from a trickle to bursts far above the rate (size 'max': long streams too).
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 900 }), giveUpAfter: fc.option(fc.integer({ min: 0, max: 10_000 })), background: fc.boolean() }), { maxLength: 150, size: 'max' }),
        async (pages, sweepAt, stream) => {
          let at = 0;
          const arrivals = stream.map((a) => ({ ...a, at: (at += a.gap) }));
          const clock = manualClock();
          const scheduler = createScheduler(clock, INTERVAL);
          const starts: number[] = [];
          const lookupOrder: number[] = [];
          arrivals.forEach((a, i) => {
            clock.setTimeout(() => {
              const deadline = a.giveUpAfter === null ? Infinity : clock.now() + a.giveUpAfter;
              const lane = a.background ? 'background' : 'high';
              scheduler
                .run(async () => {
                  starts.push(clock.now());
                  if (!a.background) lookupOrder.push(i);
                }, lane, () => clock.now() >= deadline)
                .catch(() => {});
            }, a.at);
          });
          let sweepStart = -1;
          let sweepEnd = -1;
          clock.setTimeout(() => {
            sweepStart = clock.now();
            void (async () => {
              for (let p = 0; p < pages; p++) await scheduler.run(async () => void starts.push(clock.now()), 'low');
              sweepEnd = clock.now();
            })();
          }, sweepAt);
          await clock.advance(sweepAt + 3 * pages * INTERVAL + 1);
          expect(sweepEnd).toBeGreaterThanOrEqual(0);
          expect(sweepEnd - sweepStart).toBeLessThanOrEqual(3 * pages * INTERVAL);
          await clock.advance(300_000);
          scheduler.stop();
          const sorted = [...starts].sort((a, b) => a - b);
          for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(INTERVAL);
          // FIFO among lookups: arrival order is (at, index).
          const arrivalRank = (i: number) => arrivals[i]!.at * 1000 + i;
          for (let i = 1; i < lookupOrder.length; i++) expect(arrivalRank(lookupOrder[i]!)).toBeGreaterThan(arrivalRank(lookupOrder[i - 1]!));
        },
      ),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
  });
});
