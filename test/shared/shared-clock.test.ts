// Round 6 hole 1: the shared clock converts this server's stamps to the database's time and back. A wall
// clock stepped between two offset measurements (NTP stepping a fast clock, a VM restored) must not date
// what this server writes minutes in the past (its ban then loses the newest-wins UPDATE) nor read the
// others' answers minutes off: the time since the last measurement comes from the monotonic clock.
import { describe, expect, it } from 'vitest';
import { sharedClock } from '../../src/core/shared/shared-clock';
import type { Clock } from '../../src/core/types';

/** A server whose wall clock can step while its monotonic clock runs on; the database runs `dbAhead` ms ahead. */
function server(dbAhead: number) {
  let mono = 50_000;
  let wallStep = 0;
  const wall0 = 1_700_000_000_000;
  const clock: Clock = { now: () => wall0 + mono + wallStep, monotonic: () => mono, setTimeout: () => ({ cancel() {} }) };
  const dbNow = () => wall0 + mono + dbAhead;
  return {
    clock,
    dbNow,
    pass: (ms: number) => void (mono += ms),
    step: (ms: number) => void (wallStep += ms),
    /** A poll: the database's now read by a query of `rttMs`. */
    poll(shared: ReturnType<typeof sharedClock>, rttMs = 4) {
      const sent = clock.monotonic();
      mono += rttMs / 2;
      const at = dbNow();
      mono += rttMs / 2;
      shared.measured(at, sent);
    },
  };
}

describe('shared clock (round 6 hole 1)', () => {
  for (const step of [-120_000, 120_000, -3_600_000]) {
    it(`a wall clock stepped ${step / 1000} s after the last poll: what is observed now is dated the database's now, both ways`, () => {
      const s = server(7_000);
      const shared = sharedClock(s.clock);
      s.poll(shared);
      s.pass(2_000);
      // This server's stamps never go back (account-cache.ts stamp): the newest before the step.
      const lastStamp = s.clock.now();
      s.step(step);
      s.pass(500);
      const stamp = Math.max(lastStamp + 1, s.clock.now());
      // Dated at most the slack past the database's now (the store caps at its NOW), never in its past.
      const written = shared.toShared(stamp);
      expect(written).toBeGreaterThanOrEqual(s.dbNow() - 50);
      expect(written).toBeLessThanOrEqual(s.dbNow() + 5_000);
      // Another server's answer observed just now reads as now in this server's (stepped) local time.
      expect(Math.abs(shared.toLocal(s.dbNow()) - s.clock.now())).toBeLessThan(50);
    });
  }
  it('with no step, the offset measured at a poll holds: dates convert to within the round trip', () => {
    const s = server(-42_000);
    const shared = sharedClock(s.clock);
    s.poll(shared, 10);
    s.pass(4_000);
    expect(Math.abs(shared.toShared(s.clock.now()) - s.dbNow())).toBeLessThanOrEqual(10);
    expect(Math.abs(shared.toLocal(s.dbNow()) - s.clock.now())).toBeLessThanOrEqual(10);
  });
});
