// Every export answers plainly while the CAD cannot be reached: nil / false / [] / { ok: false }, never a
// throw and never a rejected promise (in FXServer a rejection reaches a Lua caller as a bare string).
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../integration/harness';
import { connectAs, isPolice, pick } from '../integration/players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close(); // also fails on any unhandled rejection inside the resource
  h = undefined;
});

/** Calls every export for `player`, awaiting the promises; a throw or a rejection fails the test. */
async function everyExport(hh: Harness, player: number) {
  const call = (name: string, ...args: unknown[]) => hh.fx.callExport('sonoran_accounts', name, ...args);
  return {
    hasPermission: call('hasPermission', player, 'police'),
    hasAnyPermission: call('hasAnyPermission', player, ['police', 'ems']),
    getPermissions: call('getPermissions', player),
    getAccount: call('getAccount', player),
    getAccountByApiId: call('getAccountByApiId', 'license:0000'),
    isBanned: call('isBanned', player),
    isReady: call('isReady'),
    getCacheInfo: call('getCacheInfo'),
    refresh: await call('refresh'),
    refreshPlayer: await call('refreshPlayer', player),
  };
}

describe('issue 10: every export with the CAD unreachable', () => {
  it('after a good sweep: answers from the cache, refresh says ok: false, refreshPlayer resolves nil', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 3 }, config: { connect: { timeoutSeconds: 1 } } });
    const officer = (await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'))).id!;
    const stranger = (await connectAs(h.fx, h.cad, null)).id!;
    h.cad.fault('reset');
    const forOfficer = await everyExport(h, officer);
    expect(forOfficer).toMatchObject({ hasPermission: true, isBanned: false, isReady: true, refresh: { ok: false, error: expect.stringMatching(/reset/) }, refreshPlayer: null });
    const forStranger = await everyExport(h, stranger);
    expect(forStranger).toMatchObject({ hasPermission: false, hasAnyPermission: false, getPermissions: [], getAccount: null, getAccountByApiId: null, isBanned: false, refreshPlayer: null });
    expect(h.fx.consoleLines.some((l) => l.includes('refreshPlayer') && l.includes('answering nil'))).toBe(true);
  }, 30_000);

  it('from the start, no snapshot: false / nil / [] everywhere, refresh ok: false', async () => {
    h = await startHarness({ cad: { accounts: 10 }, beforeStart: (cad) => cad.fault('reset'), waitReady: false, config: { connect: { timeoutSeconds: 1 } } });
    const stranger = (await connectAs(h.fx, h.cad, null)).id!;
    expect(await everyExport(h, stranger)).toMatchObject({
      hasPermission: false,
      hasAnyPermission: false,
      getPermissions: [],
      getAccount: null,
      getAccountByApiId: null,
      isBanned: false,
      isReady: false,
      getCacheInfo: { ready: false, source: 'empty' },
      refresh: { ok: false },
      refreshPlayer: null,
    });
  }, 30_000);
});
