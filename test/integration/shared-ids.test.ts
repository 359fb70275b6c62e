// Two CAD accounts claiming one of a player's IDs, one of them banned: the ban holds whichever order the
// CAD lists them in and whatever a single lookup brings back later.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const exportOf = (name: string, ...args: unknown[]) => h!.fx.callExport('sonoran_accounts', name, ...args);
const bare = (identifier: string) => identifier.slice(identifier.indexOf(':') + 1);

describe('an ID shared by an active and a banned account', () => {
  it.each([
    ['active, then banned', ['active', 'banned']],
    ['banned, then active', ['banned', 'active']],
  ])('a sweep listing them %s: the player is refused at connect', async (_order, statuses) => {
    const ids = strangerIdentifiers();
    h = await startHarness({
      cad: { accounts: 20, seed: 4 },
      config: { statuses },
      beforeStart: (cad) => {
        cad.addAccount({ status: 1, apiIds: [bare(ids[0]!)] });
        cad.addAccount({ status: 4, apiIds: [bare(ids[0]!)] });
      },
    });
    const result = await h.fx.connectPlayer({ name: 'Two accounts', identifiers: ids });
    expect(result.accepted).toBe(false);
    expect(result.reason).toContain('banned');
  });

  it('the active account linking another ID later (a lookup at connect) does not lift the ban on the shared one', async () => {
    const shared = strangerIdentifiers();
    const linkedLater = strangerIdentifiers();
    h = await startHarness({ cad: { accounts: 20, seed: 4 } });
    const active = h.cad.addAccount({ status: 1, apiIds: [bare(shared[0]!)] });
    h.cad.addAccount({ status: 4, apiIds: [bare(shared[0]!)] });
    await exportOf('refresh');
    // The active account's owner links a new license in the CAD and joins with it: a cache miss, so a
    // single lookup brings the account back with both IDs and patches it into the cache.
    h.cad.updateAccount(active.uuid, { apiIds: [bare(shared[0]!), bare(linkedLater[0]!)] });
    h.cad.resetRequests();
    const owner = await h.fx.connectPlayer({ name: 'Owner', identifiers: linkedLater });
    expect(owner.accepted).toBe(true);
    expect(h.cad.requests.length).toBe(1);
    const banned = await h.fx.connectPlayer({ name: 'Banned', identifiers: shared });
    expect(banned).toMatchObject({ accepted: false, reason: expect.stringContaining('banned') });
  });
});
