// What a connected player's listeners hear when their CAD account changes, for flags in every part of
// the permission list (the first flags, the record flags, the admin flags at its end).
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/core/permissions';
import { startHarness, type FakeCad, type Harness } from './harness';
import { connectAs } from './players';

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

    h.cad.revoke(account.uuid, flag);
    await h.fx.callExport('sonoran_accounts', 'refresh');
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
    expect(updates().map((e) => e.args[2])).toEqual([{ granted: ['adminPermissionKeys'], revoked: [], statusBefore: 1, statusAfter: 1 }]);
  });

  it('a sweep that changes nothing about an online player is not heard', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 9 } });
    const account = accountWith(h.cad, ['civilian', 'admin', 'adminAccounts', 'adminLogs']);
    await connectAs(h.fx, h.cad, account);
    await h.fx.callExport('sonoran_accounts', 'refresh');
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(updates()).toEqual([]);
  });
});
