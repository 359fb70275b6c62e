// The connect rules a server owner turns on, tried with every kind of player they are meant to stop:
// a stranger, a pending account, an expired one, an account without the required flag. Through the
// built bundle in the emulator, as a player sees it (admitted or refused, and why).
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/core/permissions';
import { startHarness, type FakeCad, type Harness } from './harness';
import { connectAs, isBanned, pick, strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PENDING = 0;
const ACTIVE = 1;
const EXPIRED = 2;

/** A CAD account with exactly these flags (the fake CAD's generator would pick them at random). */
function accountWith(cad: FakeCad, status: number, flags: string[]) {
  const permissions = Object.fromEntries(PERMISSIONS.map((name) => [name, flags.includes(name)]));
  return cad.addAccount({ status, permissions: permissions as never });
}

const exportOf = (name: string, ...args: unknown[]) => h!.fx.callExport('sonoran_accounts', name, ...args);

describe('what a connect costs the CAD', () => {
  it('a player the last sweep listed is checked from the cache: no lookup, whatever the rules', async () => {
    h = await startHarness({ cad: { accounts: 30, seed: 5 }, config: { connect: { requireAccount: true } } });
    const known = pick(h.cad, (a) => a.status === ACTIVE, 'active');
    h.cad.resetRequests();
    expect((await connectAs(h.fx, h.cad, known)).accepted).toBe(true);
    expect(h.cad.requests.filter((r) => r.path.endsWith('get_account'))).toEqual([]);
  });
});

describe('whitelist (connect.requireAccount)', () => {
  it('refuses a stranger, a pending and an expired account, admits an active one', async () => {
    h = await startHarness({ cad: { accounts: 30, seed: 5 }, config: { connect: { requireAccount: true } } });
    const pending = accountWith(h.cad, PENDING, ['civilian']);
    const expired = accountWith(h.cad, EXPIRED, ['civilian']);
    const active = accountWith(h.cad, ACTIVE, ['civilian']);

    const stranger = await connectAs(h.fx, h.cad, null);
    expect(stranger.accepted).toBe(false);
    const asPending = await connectAs(h.fx, h.cad, pending);
    expect(asPending).toMatchObject({ accepted: false, reason: expect.stringContaining(pending.username) });
    expect(asPending.reason).toContain('pending');
    const asExpired = await connectAs(h.fx, h.cad, expired);
    expect(asExpired).toMatchObject({ accepted: false, reason: expect.stringContaining(expired.username) });
    expect(asExpired.reason).toContain('expired');
    expect((await connectAs(h.fx, h.cad, active)).accepted).toBe(true);
  });

  it('a refused player leaves nothing behind: their temporary id has no account, no ban, no permission', async () => {
    h = await startHarness({ cad: { accounts: 30, seed: 5 }, config: { connect: { requireAccount: true } } });
    const pending = accountWith(h.cad, PENDING, ['civilian', 'police']);
    const refused = await connectAs(h.fx, h.cad, pending);
    expect(refused.accepted).toBe(false);
    expect(exportOf('getAccount', refused.tempId)).toBeNull();
    expect(exportOf('getPermissions', refused.tempId)).toEqual([]);
    const banned = await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'));
    expect(banned.accepted).toBe(false);
    expect(exportOf('isBanned', banned.tempId)).toBe(false);
    expect(exportOf('getAccount', banned.tempId)).toBeNull();
  });

  it('refuses a player with no identifier of the configured types, with "?" where the ID to link would be', async () => {
    h = await startHarness({ cad: { accounts: 30, seed: 5 }, config: { connect: { requireAccount: true } } });
    h.cad.resetRequests();
    const result = await h.fx.connectPlayer({ name: 'Only an IP', identifiers: ['ip:10.1.2.3'] });
    expect(result).toMatchObject({ accepted: false, reason: expect.stringMatching(/reconnect: \?$/) });
    expect(h.cad.requests).toEqual([]);
  });
});

describe('when the CAD cannot answer a connect lookup (connect.whenCadUnavailable)', () => {
  it('deny, with an empty cache: refused with a reason naming the CAD, and the console says why', async () => {
    h = await startHarness({
      cad: { accounts: 10 },
      config: { cadName: 'Metro CAD', connect: { whenCadUnavailable: 'deny', timeoutSeconds: 1 } },
      waitReady: false,
      beforeStart: (cad) => cad.fault('hang'),
    });
    const result = await h.fx.connectPlayer({ name: 'Early Bird', identifiers: strangerIdentifiers() });
    expect(result).toMatchObject({ accepted: false, reason: expect.stringContaining('Metro CAD cannot be reached') });
    expect(h.fx.consoleLines.some((l) => l.includes('could not check Early Bird') && l.includes('policy: deny'))).toBe(true);
  });

  it('deny, once a sweep filled the cache: a failed lookup means no account, so a stranger is admitted', async () => {
    h = await startHarness({ cad: { accounts: 30, seed: 5 }, config: { connect: { whenCadUnavailable: 'deny', timeoutSeconds: 1 } } });
    h.cad.fault('5xx', { route: 'account' });
    h.cad.resetRequests();
    const result = await h.fx.connectPlayer({ name: 'Stranger', identifiers: strangerIdentifiers() });
    expect(result.accepted).toBe(true);
    expect(h.cad.requests.length).toBeGreaterThan(0);
    expect(h.cad.requests.every((r) => r.fault === '5xx')).toBe(true);
    const banned = await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'));
    expect(banned.accepted).toBe(false);
  });
});

describe('a required permission (connect.requirePermission)', () => {
  it('refuses a stranger, and pending or expired accounts that hold the flag; admits an active holder', async () => {
    h = await startHarness({ cad: { accounts: 30, seed: 5 }, config: { connect: { requirePermission: 'police' } } });
    const pending = accountWith(h.cad, PENDING, ['police']);
    const expired = accountWith(h.cad, EXPIRED, ['police']);
    const officer = accountWith(h.cad, ACTIVE, ['police']);
    const clerk = accountWith(h.cad, ACTIVE, ['dmv']);

    expect((await connectAs(h.fx, h.cad, null)).accepted).toBe(false);
    expect(await connectAs(h.fx, h.cad, pending)).toMatchObject({ accepted: false, reason: expect.stringContaining('pending') });
    expect(await connectAs(h.fx, h.cad, expired)).toMatchObject({ accepted: false, reason: expect.stringContaining('expired') });
    expect(await connectAs(h.fx, h.cad, clerk)).toMatchObject({ accepted: false, reason: expect.stringContaining('police') });
    expect((await connectAs(h.fx, h.cad, officer)).accepted).toBe(true);
  });

  it('civilian (the first flag of the list) admits an active civilian and refuses an active account without it', async () => {
    h = await startHarness({ cad: { accounts: 30, seed: 5 }, config: { connect: { requirePermission: 'civilian' } } });
    const civilian = accountWith(h.cad, ACTIVE, ['civilian']);
    const officerOnly = accountWith(h.cad, ACTIVE, ['police']);
    const admitted = await connectAs(h.fx, h.cad, civilian);
    expect(admitted.accepted).toBe(true);
    expect(exportOf('hasPermission', admitted.id, 'civilian')).toBe(true);
    expect(exportOf('getPermissions', admitted.id)).toEqual(['civilian']);
    expect(await connectAs(h.fx, h.cad, officerOnly)).toMatchObject({ accepted: false, reason: expect.stringContaining('civilian') });
  });
});

describe('connect.enabled = false', () => {
  it('leaves connecting to the server: a banned account gets in, no deferral message, no CAD call', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 3 }, config: { connect: { enabled: false, requireAccount: true } } });
    h.cad.resetRequests();
    const banned = await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'));
    const stranger = await connectAs(h.fx, h.cad, null);
    expect([banned.accepted, stranger.accepted]).toEqual([true, true]);
    expect([...banned.updates, ...stranger.updates]).toEqual([]);
    expect(h.cad.requests).toEqual([]);
  });
});
