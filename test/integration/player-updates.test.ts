// What a connected player's listeners hear when their CAD account changes, for flags in every part of
// the permission list (the first flags, the record flags, the admin flags at its end).
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/core/permissions';
import { startHarness, type FakeCad, type Harness } from './harness';
import { connectAs, strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Heard = { name: string; args: any[] }[];
const updates = () => (h!.fx.callExport('event_spy', 'seen') as Heard).filter((e) => e.name === 'playerUpdated');

function accountWith(cad: FakeCad, flags: string[]) {
  const permissions = Object.fromEntries(PERMISSIONS.map((name) => [name, flags.includes(name)]));
  return cad.addAccount({ status: 1, permissions: permissions as never });
}

describe('playerUpdated', () => {
  it.each([
    ['adminAccounts', ['civilian', 'admin', 'adminAccounts']],
    ['lawRecEdit', ['lawyer', 'lawRecAdd', 'lawRecEdit']],
    ['adminLogs', ['admin', 'adminLogs']],
    ['civilian', ['civilian', 'dmv']],
  ])('revoking %s from an online player is heard, and the export stops granting it', async (flag, flags) => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = accountWith(h.cad, flags);
    await h.fx.callExport('sonoran_accounts', 'refresh');
    const { id } = await connectAs(h.fx, h.cad, account);
    expect(h.fx.callExport('sonoran_accounts', 'hasPermission', id, flag)).toBe(true);

    h.cad.revoke(account.uuid, flag as (typeof PERMISSIONS)[number]);
    const summary = (await h.fx.callExport('sonoran_accounts', 'refresh')) as { changed: number; changes: unknown[] };
    expect(summary.changed).toBe(1);
    expect(summary.changes).toEqual([expect.objectContaining({ uuid: account.uuid, granted: [], revoked: [flag] })]);
    expect(updates().map((e) => e.args)).toEqual([
      [id, expect.objectContaining({ uuid: account.uuid }), { granted: [], revoked: [flag], statusBefore: 1, statusAfter: 1 }],
    ]);
    expect(h.fx.callExport('sonoran_accounts', 'hasPermission', id, flag)).toBe(false);
  });

  it('granting an admin flag is heard too', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = accountWith(h.cad, ['civilian', 'admin']);
    const { id } = await connectAs(h.fx, h.cad, account);
    h.cad.grant(account.uuid, 'adminPermissionKeys');
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(updates().map((e) => e.args)).toEqual([[id, expect.anything(), { granted: ['adminPermissionKeys'], revoked: [], statusBefore: 1, statusAfter: 1 }]]);
  });

  it('a sweep that changes nothing about an online player is not heard', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = accountWith(h.cad, ['civilian', 'admin', 'adminAccounts', 'adminLogs']);
    await connectAs(h.fx, h.cad, account);
    await h.fx.callExport('sonoran_accounts', 'refresh');
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(updates()).toEqual([]);
  });

  it('an online player without an account hears nothing, sweep after sweep', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const stranger = await h.fx.connectPlayer({ name: 'Stranger', identifiers: strangerIdentifiers() });
    expect(stranger.accepted).toBe(true);
    await h.fx.callExport('sonoran_accounts', 'refresh');
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(updates()).toEqual([]);
  });

  it('an account deleted in the CAD while its player is online: heard with no account and every flag revoked', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = accountWith(h.cad, ['civilian', 'police']);
    const { id } = await connectAs(h.fx, h.cad, account);
    h.cad.removeAccount(account.uuid);
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(updates().map((e) => e.args)).toEqual([[id, null, expect.objectContaining({ granted: [], revoked: ['civilian', 'police'], statusBefore: 1 })]]);
    expect(h.fx.callExport('sonoran_accounts', 'getAccount', id)).toBeNull();
  });

  it('a renamed account is heard with its new name', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = accountWith(h.cad, ['civilian']);
    const { id } = await connectAs(h.fx, h.cad, account);
    h.cad.updateAccount(account.uuid, { username: 'RenamedInTheCad' });
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(updates().map((e) => e.args)).toEqual([[id, expect.objectContaining({ username: 'RenamedInTheCad' }), { granted: [], revoked: [], statusBefore: 1, statusAfter: 1 }]]);
  });

  it('an account deleted and created again with the same name, flags and IDs is heard as the new account', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = accountWith(h.cad, ['civilian']);
    const { id } = await connectAs(h.fx, h.cad, account);
    h.cad.removeAccount(account.uuid);
    const again = h.cad.addAccount({ ...account, uuid: '0f0f0f0f-1111-4222-8333-444444444444' });
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(updates().map((e) => [e.args[0], e.args[1]?.uuid])).toEqual([[id, again.uuid]]);
  });

  it('a flag the CAD added later, far down the list (the 61st flag and beyond), is heard when granted', async () => {
    const future = Array.from({ length: 20 }, (_, i) => `futureFlag${i}`);
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = h.cad.addAccount({
      status: 1,
      permissions: Object.fromEntries([...PERMISSIONS, ...future].map((name) => [name, name === 'civilian'])) as never,
    });
    await h.fx.callExport('sonoran_accounts', 'refresh');
    const { id } = await connectAs(h.fx, h.cad, account);
    h.cad.grant(account.uuid, 'futureFlag19' as never);
    const summary = (await h.fx.callExport('sonoran_accounts', 'refresh')) as { changed: number; changes: unknown[] };
    expect(summary.changes).toEqual([expect.objectContaining({ uuid: account.uuid, granted: ['futureFlag19'], revoked: [] })]);
    expect(updates().map((e) => e.args[2])).toEqual([{ granted: ['futureFlag19'], revoked: [], statusBefore: 1, statusAfter: 1 }]);
    expect(h.fx.callExport('sonoran_accounts', 'hasPermission', id, 'futureFlag19')).toBe(true);
  });
});
