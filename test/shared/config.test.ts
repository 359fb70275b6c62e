// database.* in config.json: off by default; when on, servers share by community ID (so it is required,
// also on API v2) and the lease must outlive two polls, or the holder could lose it between renewals.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';
import { chooseConfig } from '../../src/core/config-source';
import { memoryFiles } from '../core/helpers';

const load = (file: Record<string, unknown>, convars: Record<string, string> = { sonoran_apiKey: 'k-123456', sonoran_communityID: 'c1' }) =>
  loadConfig({ text: JSON.stringify(file), getConvar: (name) => convars[name] });

describe('config database.*', () => {
  it('is off by default, with the documented defaults', () => {
    const loaded = load({});
    expect(loaded.ok && loaded.config.database).toEqual({ enabled: false, tablePrefix: 'sonoran_accounts_', leaseSeconds: 30, pollSeconds: 5 });
  });

  // Issue 20, hole 7: a missing convar discarded the whole valid file (requireAccount with it), so the
  // defaults opened the whitelist. Only sharing is off; every other setting stays; one error names the convar.
  it('without the community ID (API v2) keeps every setting of a valid config.json and turns off only sharing', () => {
    const text = JSON.stringify({ apiVersion: 2, connect: { requireAccount: true }, database: { enabled: true }, refreshMinutes: 7 });
    const choice = chooseConfig({ text, getConvar: (name) => (name === 'sonoran_apiKey' ? 'k-123456' : undefined), files: memoryFiles() });
    expect(choice.config.connect.requireAccount).toBe(true);
    expect(choice.config.refreshMinutes).toBe(7);
    expect(choice.config.apiVersion).toBe(2);
    expect(choice.config.database.enabled).toBe(false);
    expect(choice.errors).toHaveLength(1);
    expect(choice.errors[0]).toMatch(/database\.enabled.*sonoran_communityID/);
    expect(choice.errors.join('\n')).not.toMatch(/config\.json is not valid|defaults are in force/);
    expect(choice.syncDisabled).toBeUndefined(); // API v2 syncs without the community ID, alone
    expect(choice.remember).toBeDefined(); // the file loaded: it is the last good configuration
  });

  it('refuses a lease shorter than two polls and a prefix that is not a plain name', () => {
    const short = load({ database: { enabled: true, leaseSeconds: 5, pollSeconds: 5 } });
    expect(!short.ok && short.errors.join('\n')).toMatch(/leaseSeconds must be at least twice/);
    const prefix = load({ database: { tablePrefix: 'x`; DROP TABLE users; --' } });
    expect(!prefix.ok && prefix.errors.join('\n')).toMatch(/database\.tablePrefix must be a letter/);
  });
});
