import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';
import { snippet } from '../../src/core/api/errors';
import { maskSecrets } from '../../src/core/secrets';
import { diffPermissions, grantedPermissions, hasPermission, maskFromFlags, permissionIndex, PERMISSIONS } from '../../src/core/permissions';

describe('permissions', () => {
  it('holds the 43 flags of the reference, each checkable case-insensitively', () => {
    expect(PERMISSIONS).toHaveLength(43);
    const all = Object.fromEntries(PERMISSIONS.map((p) => [p, true]));
    const mask = maskFromFlags(all);
    expect(grantedPermissions(mask)).toEqual([...PERMISSIONS]);
    for (const p of PERMISSIONS) {
      expect(hasPermission(mask, permissionIndex(p.toUpperCase()))).toBe(true);
      expect(hasPermission(maskFromFlags({ ...all, [p]: false }), permissionIndex(p))).toBe(false);
    }
  });

  it('only true grants; unknown names are never granted', () => {
    const mask = maskFromFlags({ police: true, dispatch: false, ems: 'yes' });
    expect(grantedPermissions(mask)).toEqual(['police']);
    expect(permissionIndex('superCop')).toBe(-1);
    expect(hasPermission(mask, -1)).toBe(false);
  });

  it('a new flag from the API is kept, reported once, and checkable by name', () => {
    const seen: string[] = [];
    const mask = maskFromFlags({ police: true, radioAccess: true }, (n) => seen.push(n));
    maskFromFlags({ radioAccess: false }, (n) => seen.push(n));
    expect(seen).toEqual(['radioAccess']);
    expect(hasPermission(mask, permissionIndex('RADIOACCESS'))).toBe(true);
  });

  it('issue 10: a new flag differing only in case (`Police`) keeps its own bit and does not take over `police`', () => {
    const mask = maskFromFlags({ Police: false, police: true });
    expect(hasPermission(mask, permissionIndex('police'))).toBe(true);
    expect(hasPermission(mask, permissionIndex('POLICE'))).toBe(true);
    expect(permissionIndex('Police')).not.toBe(permissionIndex('police'));
    expect(hasPermission(mask, permissionIndex('Police'))).toBe(false);
    expect(hasPermission(maskFromFlags({ police: true }), permissionIndex('police'))).toBe(true);
  });

  it('issue 10: secrets are masked whole and by any 8-character piece, before a message is cut', () => {
    const key = 'abcdefgh-1234567890-ijklmnop';
    expect(maskSecrets(`x ${key} y`, [key])).toBe('x *** y');
    expect(maskSecrets(`cut: ${key.slice(0, 12)}`, [key])).toBe('cut: ***');
    expect(maskSecrets(`short ${key.slice(0, 7)} stays`, [key])).toBe(`short ${key.slice(0, 7)} stays`);
    expect(snippet(`${'.'.repeat(70)}${key}`, 80, [key])).toBe(`${'.'.repeat(70)}***`);
  });

  it('diffs grants and revocations', () => {
    expect(diffPermissions(maskFromFlags({ police: true, ems: true }), maskFromFlags({ ems: true, fire: true }))).toEqual({ granted: ['fire'], revoked: ['police'] });
  });
});

describe('config', () => {
  const convars = (map: Record<string, string>) => (name: string) => map[name];
  const KEY = 'SECRET-KEY-abcdef123456';

  it('fills every default; convars override the file', () => {
    const loaded = loadConfig({ text: JSON.stringify({ apiKey: 'file-key', communityID: 'file' }), getConvar: convars({ sonoran_apiKey: KEY, sonoran_apiVersion: '2', sonoran_apiUrl: 'https://x.test/' }) });
    if (!loaded.ok) throw new Error(loaded.errors.join());
    expect(loaded.config).toMatchObject({ apiKey: KEY, apiVersion: 2, apiUrl: 'https://x.test', communityID: 'file', refreshMinutes: 10, statuses: ['active', 'banned'] });
    expect(loaded.config.connect).toEqual({ enabled: true, blockBanned: true, requireAccount: false, requirePermission: '', timeoutSeconds: 8, unknownRetrySeconds: 60, whenCadUnavailable: 'allow' });
  });

  it('reports every bad field on its own line, naming the field and what it got', () => {
    const loaded = loadConfig({
      text: JSON.stringify({ refreshMinutes: 'ten', identifiers: ['license', 'ip'], connect: { whenCadUnavailable: 'maybe', requirePermission: 'superCop' }, apiVersion: 3 }),
      getConvar: convars({ sonoran_apiKey: KEY, sonoran_communityID: 'c' }),
    });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    // In the order of the file (issue 24).
    expect(loaded.errors).toEqual([
      'config.json line 1, column 19: refreshMinutes must be a number of minutes from 1 to 1440, got "ten"',
      expect.stringMatching(/^config\.json line 1, column \d+: identifiers\.1 must be one of .*got "ip"$/),
      expect.stringMatching(/^config\.json line 1, column \d+: connect\.whenCadUnavailable must be one of "allow", "deny", got "maybe"$/),
      expect.stringMatching(/^config\.json line 1, column \d+: connect\.requirePermission must be "" or a Sonoran CAD permission.*got "superCop"$/),
      expect.stringMatching(/^config\.json line 1, column \d+: apiVersion must be 1 or 2, got 3$/),
    ]);
  });

  it('invalid JSON is one clear line; a missing key names the convar; the key is never echoed', () => {
    const bad = loadConfig({ text: '{\n  "refreshMinutes": 5,\n}', getConvar: () => undefined });
    expect(bad).toMatchObject({ ok: false, errors: ['config.json line 3, column 1: not valid JSON: a "name" in double quotes was expected (a trailing comma?)'] });
    const noKey = loadConfig({ text: '{}', getConvar: () => undefined });
    expect(noKey).toMatchObject({ ok: true, missing: [expect.stringContaining('sonoran_apiKey'), expect.stringContaining('sonoran_communityID')] });
    const longKey = loadConfig({ text: JSON.stringify({ apiKey: KEY.repeat(40) }), getConvar: () => undefined });
    expect(JSON.stringify(longKey)).not.toContain(KEY);
  });

  it('warns about unknown settings and a key kept in the file', () => {
    const loaded = loadConfig({ text: JSON.stringify({ apiKey: KEY, communityID: 'c', refreshMinuts: 5 }), getConvar: () => undefined });
    expect(loaded.ok && loaded.warnings).toEqual([
      'config.json line 1, column 55: unknown setting "refreshMinuts" is ignored; did you mean "refreshMinutes"?',
      expect.stringContaining('prefer "set sonoran_apiKey"'),
    ]);
  });
});
