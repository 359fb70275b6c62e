// database.* in config.json: off by default; when on, servers share by community ID (so it is required,
// also on API v2) and the lease must outlive two polls, or the holder could lose it between renewals.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';

const load = (file: Record<string, unknown>, convars: Record<string, string> = { sonoran_apiKey: 'k-123456', sonoran_communityID: 'c1' }) =>
  loadConfig({ text: JSON.stringify(file), getConvar: (name) => convars[name] });

describe('config database.*', () => {
  it('is off by default, with the documented defaults', () => {
    const loaded = load({});
    expect(loaded.ok && loaded.config.database).toEqual({ enabled: false, tablePrefix: 'sonoran_accounts_', leaseSeconds: 30, pollSeconds: 5 });
  });

  it('needs the community ID to share, also on API v2', () => {
    const loaded = load({ apiVersion: 2, database: { enabled: true } }, { sonoran_apiKey: 'k-123456' });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors.join('\n')).toMatch(/database\.enabled.*sonoran_communityID/);
  });

  it('refuses a lease shorter than two polls and a prefix that is not a plain name', () => {
    const short = load({ database: { enabled: true, leaseSeconds: 5, pollSeconds: 5 } });
    expect(!short.ok && short.errors.join('\n')).toMatch(/leaseSeconds must be at least twice/);
    const prefix = load({ database: { tablePrefix: 'x`; DROP TABLE users; --' } });
    expect(!prefix.ok && prefix.errors.join('\n')).toMatch(/database\.tablePrefix must be a letter/);
  });
});
