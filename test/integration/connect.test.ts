// playerConnecting gating through the emulator's deferrals, which enforce FXServer's one-tick rule.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { connectAs, isBanned, isCivilianOnly, isPolice, pick, strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('connect gating', () => {
  it('rejects a banned CAD account with a reason naming the CAD, keeping deferral ticks apart', async () => {
    h = await startHarness({ cad: { accounts: 80, seed: 3 } });
    const banned = pick(h.cad, isBanned, 'banned');
    const result = await connectAs(h.fx, h.cad, banned);
    expect(result.accepted).toBe(false);
    expect(result.reason).toContain('Sonoran CAD');
    expect(result.reason).toContain(banned.username);
    expect(result.violations).toEqual([]);
    expect(result.updates.some((u: string) => u.includes('Checking your Sonoran CAD account'))).toBe(true);
  });

  it('admits an active account and a stranger by default, without violations', async () => {
    h = await startHarness({ cad: { accounts: 80, seed: 3 } });
    const officer = await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'));
    const stranger = await connectAs(h.fx, h.cad, null);
    expect([officer.accepted, stranger.accepted]).toEqual([true, true]);
    expect([...officer.violations, ...stranger.violations]).toEqual([]);
  });

  it('a cache miss makes one single lookup that finds a just-linked account', async () => {
    h = await startHarness({ cad: { accounts: 20, seed: 3 } });
    const identities = strangerIdentifiers();
    const fresh = h.cad.addAccount({ status: 4, apiIds: [identities[0]!.slice('license:'.length)] });
    h.cad.resetRequests();
    const result = await h.fx.connectPlayer({ name: 'Newly banned', identifiers: identities });
    expect(result.accepted).toBe(false);
    expect(result.reason).toContain(fresh.username);
    expect(h.cad.requests.filter((r) => r.path.endsWith('get_account'))).toHaveLength(1);
  });

  it('whitelist mode rejects a player with no account and shows the ID to link', async () => {
    h = await startHarness({ cad: { accounts: 40, seed: 3 }, config: { connect: { requireAccount: true } } });
    const ids = strangerIdentifiers();
    const result = await h.fx.connectPlayer({ name: 'Nobody', identifiers: ids });
    expect(result.accepted).toBe(false);
    expect(result.reason).toContain(ids[0]!.slice('license:'.length));
    expect((await connectAs(h.fx, h.cad, pick(h.cad, isCivilianOnly, 'civilian'))).accepted).toBe(true);
  });

  it('requirePermission admits only accounts holding it', async () => {
    h = await startHarness({ cad: { accounts: 80, seed: 3 }, config: { connect: { requirePermission: 'police' } } });
    expect((await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'))).accepted).toBe(true);
    const civ = await connectAs(h.fx, h.cad, pick(h.cad, isCivilianOnly, 'civilian'));
    expect(civ.accepted).toBe(false);
    expect(civ.reason).toContain('police');
  });

  it.each([
    ['allow', true],
    ['deny', false],
  ])('CAD down at connect with no cache: whenCadUnavailable=%s', async (policy, admitted) => {
    h = await startHarness({
      cad: { accounts: 10 },
      config: { connect: { whenCadUnavailable: policy, timeoutSeconds: 1 } },
      waitReady: false,
      beforeStart: (cad) => cad.fault('hang'),
    });
    const result = await connectAs(h.fx, h.cad, null);
    expect(result.accepted).toBe(admitted);
    if (!admitted) expect(result.reason).toContain('cannot be reached');
    expect(result.violations).toEqual([]);
  });
});
