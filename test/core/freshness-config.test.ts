// freshness.* in config.json: the ban watch and the online refresh are on by default (60 s, 5 min),
// 0 turns either off, and a value outside its range is refused with the same kind of line as every key.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';

const load = (file: Record<string, unknown>) =>
  loadConfig({ text: JSON.stringify(file), getConvar: (name) => ({ sonoran_apiKey: 'k-123456', sonoran_communityID: 'c1' } as Record<string, string>)[name] });

describe('config freshness.*', () => {
  it('watches bans every 60 s and refreshes online players every 5 min by default, on v1 and v2', () => {
    for (const apiVersion of [1, 2]) {
      const loaded = load({ apiVersion });
      expect(loaded.ok && loaded.config.freshness).toEqual({ banWatchSeconds: 60, onlineRefreshMinutes: 5 });
    }
  });

  it('takes 0 as off', () => {
    const loaded = load({ freshness: { banWatchSeconds: 0, onlineRefreshMinutes: 0 } });
    expect(loaded.ok && loaded.config.freshness).toEqual({ banWatchSeconds: 0, onlineRefreshMinutes: 0 });
  });

  it('refuses a watch faster than every 10 s, negative or non-numeric values, one line each', () => {
    const loaded = load({ freshness: { banWatchSeconds: 3, onlineRefreshMinutes: -1 } });
    expect(loaded.ok).toBe(false);
    const errors = !loaded.ok ? loaded.errors.join('\n') : '';
    expect(errors).toMatch(/freshness\.banWatchSeconds must be 0 \(off\) or a number of seconds from 10 to 3600, got 3/);
    expect(errors).toMatch(/freshness\.onlineRefreshMinutes must be 0 \(off\) or a number of minutes from 1 to 1440, got -1/);
    const text = load({ freshness: { onlineRefreshMinutes: 'often' } });
    expect(!text.ok && text.errors.join('\n')).toMatch(/freshness\.onlineRefreshMinutes must be 0 \(off\)/);
  });
});
