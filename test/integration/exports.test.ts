// The exports, called as another resource calls them: from a second resource, across the serialized
// boundary, against the built bundle and the fake CAD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { connectAs, isBanned, isCivilianOnly, isPolice, pick } from './players';

/** A resource that forwards calls, so every export crosses a real resource boundary. */
const CONSUMER = `
exports('call', (name, ...args) => exports.sonoran_accounts[name](...args));
`;

let h: Harness;
let officer: number;
let civilian: number;
let banned: number;
let stranger: number;
const call = (name: string, ...args: unknown[]) => h.fx.callExport('consumer', 'call', name, ...args);

beforeAll(async () => {
  h = await startHarness({ cad: { accounts: 120, seed: 7 }, config: { connect: { blockBanned: false } } });
  await h.fx.startResource({ name: 'consumer', code: CONSUMER });
  officer = (await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'), 'Officer')).id!;
  civilian = (await connectAs(h.fx, h.cad, pick(h.cad, isCivilianOnly, 'civilian'), 'Civ')).id!;
  banned = (await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'), 'Banned')).id!;
  stranger = (await connectAs(h.fx, h.cad, null, 'Stranger')).id!;
});
afterAll(() => h?.close());

describe('permission exports', () => {
  it('hasPermission answers from the CAD flags, case-insensitively, for numeric and string ids', () => {
    expect(call('hasPermission', officer, 'police')).toBe(true);
    expect(call('hasPermission', String(officer), 'POLICE')).toBe(true);
    expect(call('hasPermission', civilian, 'police')).toBe(false);
    expect(call('hasPermission', stranger, 'civilian')).toBe(false);
  });

  it('a banned account grants nothing in game, whatever its flags say', () => {
    expect(call('isBanned', banned)).toBe(true);
    expect(call('getPermissions', banned)).toEqual([]);
    expect(call('isBanned', officer)).toBe(false);
  });

  it('hasAnyPermission and getPermissions agree with the CAD', () => {
    expect(call('hasAnyPermission', officer, ['dispatch', 'police'])).toBe(true);
    expect(call('hasAnyPermission', civilian, ['police', 'dispatch'])).toBe(false);
    const granted = call('getPermissions', officer) as string[];
    expect(granted).toContain('police');
  });

  it('an unknown permission is never granted and warns once', () => {
    expect(call('hasPermission', officer, 'superCop')).toBe(false);
    expect(call('hasPermission', officer, 'superCop')).toBe(false);
    expect(h.fx.consoleLines.filter((l) => l.includes('superCop'))).toHaveLength(1);
  });

  it('the warning for an unknown flag does not promise "never": once the CAD sends that flag it answers true', async () => {
    expect(call('hasPermission', officer, 'k9Handler')).toBe(false);
    const warning = h.fx.consoleLines.find((l) => l.includes('"k9Handler"'))!;
    expect(warning).toContain('answers false unless the CAD starts sending a flag of that name');
    expect(warning).not.toMatch(/never/);
    const account = h.cad.accounts.find((a) => a.username === (call('getAccount', officer) as { username: string }).username)!;
    h.cad.grant(account.uuid, 'k9Handler' as 'police');
    await call('refresh');
    expect(call('hasPermission', officer, 'k9Handler')).toBe(true);
  });
});

describe('account exports', () => {
  it('getAccount returns plain data with the documented fields', () => {
    const account = call('getAccount', officer) as Record<string, unknown>;
    expect(Object.keys(account).sort()).toEqual(
      ['apiIds', 'communityUserId', 'joined', 'lastLogin', 'permissions', 'status', 'statusName', 'username', 'uuid'].sort(),
    );
    expect(account.statusName).toBe('active');
    expect(call('getAccount', stranger)).toBeNull();
    expect(h.fx.serializationWarnings ?? []).toEqual([]);
  });

  it('getAccountByApiId matches bare, prefixed and upper-case ids', () => {
    const police = pick(h.cad, isPolice, 'police');
    const license = h.cad.identitiesOf(police.uuid).find((id) => id.startsWith('license:'))!;
    const bare = license.slice('license:'.length);
    for (const form of [license, bare, license.toUpperCase()]) {
      expect((call('getAccountByApiId', form) as { uuid: string } | null)?.uuid).toBe(police.uuid);
    }
    expect(call('getAccountByApiId', 'license:nobody')).toBeNull();
  });

  it('isReady and getCacheInfo describe a cache filled by the API', () => {
    expect(call('isReady')).toBe(true);
    const info = call('getCacheInfo') as Record<string, unknown>;
    expect(info).toMatchObject({ ready: true, source: 'api', accounts: h.cad.accounts.filter((a) => a.status === 1 || a.status === 4).length, refreshing: false });
  });

  it('refresh resolves to the sweep summary; refreshPlayer to the player account', async () => {
    const summary = (await call('refresh')) as Record<string, unknown>;
    expect(summary).toMatchObject({ ok: true, added: 0, removed: 0, changed: 0 });
    const account = (await call('refreshPlayer', officer)) as { uuid: string } | null;
    expect(account?.uuid).toBe(pick(h.cad, isPolice, 'police').uuid);
  });
});

describe('bad arguments never throw', () => {
  const garbage: unknown[] = [undefined, null, {}, [], -1, 0, 1.5, 99999, 'abc', '1e3', 'x'.repeat(100_000), true];
  it.each([
    ['hasPermission', false],
    ['hasAnyPermission', false],
    ['getPermissions', []],
    ['getAccount', null],
    ['isBanned', false],
  ])('%s answers %j for garbage players', (name, expected) => {
    for (const player of garbage) expect(call(name, player, 'police')).toEqual(expected);
  });

  it('garbage permissions and ids', () => {
    for (const perm of garbage) expect(call('hasPermission', officer, perm)).toBe(false);
    // One name instead of a list counts as a list of one (issue 24); garbage still answers false.
    expect(call('hasAnyPermission', officer, 'police')).toBe(true);
    for (const perm of garbage) expect(call('hasAnyPermission', officer, perm)).toBe(false);
    for (const id of garbage) expect(call('getAccountByApiId', id)).toBeNull();
  });

  it('refreshPlayer of nobody resolves null', async () => {
    for (const player of [undefined, -1, 424242, {}]) expect(await call('refreshPlayer', player)).toBeNull();
  });
});
