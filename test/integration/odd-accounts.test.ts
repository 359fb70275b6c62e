// The built bundle against a CAD holding odd records (issue: one odd account must never freeze the
// cache): it becomes ready, bans hold, and the console says once per sweep what was odd.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from './harness';
import { connectAs, isBanned, isPolice, pick } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Rec = Record<string, any>;

describe('odd records in the CAD', () => {
  it('a null flag and apiIds: null among 150 accounts: ready, the banned player is refused, one warning a sweep', async () => {
    h = await startHarness({
      cad: { accounts: 150, seed: 4 },
      beforeStart: (cad) =>
        cad.fault('rewrite', {
          route: 'accounts',
          rewrite: (page: { accounts: Rec[] }) => {
            if (page.accounts[1]) page.accounts[1].permissions.police = null;
            if (page.accounts[2]) page.accounts[2].apiIds = null;
            return page;
          },
        }),
    });
    expect(h.fx.callExport('sonoran_accounts', 'isReady')).toBe(true);
    const banned = await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'));
    expect(banned.accepted).toBe(false);
    const officer = pick(h.cad, isPolice, 'police');
    expect(h.fx.callExport('sonoran_accounts', 'getAccountByApiId', officer.uuid)).toMatchObject({ uuid: officer.uuid });

    const oddLines = () => h!.fx.consoleLines.filter((l) => l.includes('odd account records'));
    expect(oddLines()).toHaveLength(1);
    expect(oddLines()[0]).toMatch(/permissions\.police \d+, apiIds \d+|apiIds \d+, permissions\.police \d+/);
    const summary = (await h.fx.callExport('sonoran_accounts', 'refresh')) as Rec;
    expect(summary).toMatchObject({ ok: true, unreadable: 0 });
    expect(summary.odd).toBeGreaterThanOrEqual(2);
    await waitFor(() => oddLines().length === 2, 'second sweep warning');
  });
});
