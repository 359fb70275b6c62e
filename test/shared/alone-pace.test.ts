// A server running alone takes its share of the key's rate (1/N, N the servers the roster saw lately).
// A 429 says someone else spends the key too (a server alone with an older count, another resource on
// the same key): besides the pause the CAD asks for, this server halves its own rate for a while (down
// to 1/8 of its share), and gets one step back every 5 minutes without a 429.
import { describe, expect, it } from 'vitest';
import { alonePace } from '../../src/core/shared/alone-pace';

/** The gaps the pace leaves between calls asked back to back from `from` for `calls` calls. */
function gaps(pace: ReturnType<typeof alonePace>, from: number, calls: number): number[] {
  const starts: number[] = [];
  for (let now = from; starts.length < calls; ) {
    const wait = pace.permit(now);
    if (wait === 0) starts.push(now);
    else now += wait;
  }
  return starts.slice(1).map((t, i) => t - starts[i]!);
}

describe('alone pace', () => {
  it('one call per N intervals; a 429 halves that rate, each further 429 after its pause again, down to 1/8', () => {
    const pace = alonePace(1000);
    pace.seen(2);
    expect(gaps(pace, 0, 3)).toEqual([2000, 2000]);
    pace.rateLimited(10_000, 11_000);
    expect(gaps(pace, 11_000, 3)).toEqual([4000, 4000]);
    // A second 429 within the same pause (calls already on their way) is the same overrun.
    pace.rateLimited(10_500, 11_000);
    expect(gaps(pace, 30_000, 3)).toEqual([4000, 4000]);
    for (let i = 1; i <= 5; i++) pace.rateLimited(40_000 * i, 40_000 * i + 1000);
    expect(gaps(pace, 300_000, 3)).toEqual([16_000, 16_000]);
  });

  it('gets its rate back one step per 5 minutes without a 429', () => {
    const pace = alonePace(1000);
    pace.seen(1);
    expect(gaps(pace, 0, 3)).toEqual([0, 0]);
    pace.rateLimited(1000, 2000);
    pace.rateLimited(3000, 4000);
    expect(gaps(pace, 4000, 3)).toEqual([4000, 4000]);
    expect(gaps(pace, 3000 + 5 * 60_000, 3)).toEqual([2000, 2000]);
    // Alone with no other server seen and no 429 for long: no spacing beyond the scheduler's own.
    expect(gaps(pace, 3000 + 10 * 60_000 + 5000, 3)).toEqual([0, 0]);
  });
});
