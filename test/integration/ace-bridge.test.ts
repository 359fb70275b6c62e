// The ACE bridge: CAD flags become group principals other resources can gate on with plain ACEs.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { connectAs, isPolice, pick } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MAY_MANAGE = [
  'add_ace resource.sonoran_accounts command.add_principal allow',
  'add_ace resource.sonoran_accounts command.remove_principal allow',
  'add_ace group.cad.police mdt.use allow',
];

describe('ace bridge', () => {
  it('adds group.cad.<flag> principals, syncs them after a revoke, removes them on drop', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 9 }, config: { ace: { enabled: true } }, exec: MAY_MANAGE });
    const police = pick(h.cad, isPolice, 'police');
    const { id } = await connectAs(h.fx, h.cad, police);
    expect(h.fx.isAceAllowed(id!, 'mdt.use')).toBe(true);

    h.cad.revoke(police.uuid, 'police');
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(h.fx.isAceAllowed(id!, 'mdt.use')).toBe(false);

    h.cad.grant(police.uuid, 'police');
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(h.fx.isAceAllowed(id!, 'mdt.use')).toBe(true);

    h.fx.dropPlayer(id!, 'bye');
    expect(h.fx.isAceAllowed(id!, 'mdt.use')).toBe(false);
  });

  it('without the add_principal ace it says so once and adds nothing', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 9 }, config: { ace: { enabled: true } }, exec: [MAY_MANAGE[2]!] });
    const { id } = await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'));
    await connectAs(h.fx, h.cad, h.cad.accounts.filter(isPolice)[1] ?? null);
    expect(h.fx.isAceAllowed(id!, 'mdt.use')).toBe(false);
    expect(h.fx.consoleLines.filter((l) => l.includes('command.add_principal allow'))).toHaveLength(1);
    expect(h.fx.consoleLines.filter((l) => l.includes('Access denied'))).toHaveLength(0);
  });

  it('removes every principal it added when the resource stops', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 9 }, config: { ace: { enabled: true } }, exec: MAY_MANAGE });
    const { id } = await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'));
    expect(h.fx.isAceAllowed(id!, 'mdt.use')).toBe(true);
    h.fx.stopResource('sonoran_accounts');
    expect(h.fx.isAceAllowed(id!, 'mdt.use')).toBe(false);
  });
});

describe('state bag', () => {
  it('publishes username, status and permissions, replicated, when enabled', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 9 }, config: { stateBag: true } });
    const police = pick(h.cad, isPolice, 'police');
    const { id } = await connectAs(h.fx, h.cad, police);
    const bag = h.fx.stateOf(id!) as Record<string, { value: any; replicated: boolean }>;
    expect(bag.sonorancad!.replicated).toBe(true);
    expect(bag.sonorancad!.value).toEqual({ username: police.username, status: 'active', permissions: expect.arrayContaining(['police']) });
  });
});
