// Red team, the ban promise (README "Decisions", issue 10): no player who holds an identifier (of the
// configured types) of an account banned as of the newest information is admitted, or stays online after
// the event that brought that information. Each test is an attack by a banned player on the BUILT bundle
// in the emulator against the fake CAD.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../integration/harness';
import { strangerIdentifiers } from '../integration/players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bare = (identifier: string) => identifier.slice(identifier.indexOf(':') + 1);
const call = (name: string, ...args: unknown[]) => h!.fx.callExport('sonoran_accounts', name, ...args);
type Rec = Record<string, any>;

describe('ban rule: identifier forms', () => {
  it('ban rule / double-prefixed ID: a new active account claiming "license:license:<hash>" does not shadow the banned account on "<hash>"', async () => {
    const ids = strangerIdentifiers();
    let banned!: { username: string };
    h = await startHarness({
      cad: { accounts: 20, seed: 5 },
      beforeStart: (cad) => {
        banned = cad.addAccount({ status: 4, apiIds: [bare(ids[0]!)] });
        // The player's own identifier as FXServer hands it, prefixed once more: its index key is the raw
        // identifier itself.
        cad.addAccount({ status: 1, apiIds: [`license:${ids[0]!}`] });
      },
    });
    const result = await h.fx.connectPlayer({ name: 'Shadow', identifiers: ids });
    expect([result.accepted, result.reason]).toEqual([false, expect.stringContaining(banned.username)]);
    expect(call('getAccountByApiId', ids[0])).toMatchObject({ username: banned.username });
  });

  it('ban rule / double-prefixed ID: an online player is dropped when the sweep brings the ban, although a shadowing account exists', async () => {
    const ids = strangerIdentifiers();
    let victim!: { uuid: string };
    h = await startHarness({
      cad: { accounts: 20, seed: 5 },
      beforeStart: (cad) => {
        victim = cad.addAccount({ status: 1, apiIds: [bare(ids[1]!)] });
        cad.addAccount({ status: 1, apiIds: [`steam:${ids[1]!}`] });
      },
    });
    const { id, accepted } = await h.fx.connectPlayer({ name: 'Shadow', identifiers: ids });
    expect(accepted).toBe(true);
    h.cad.ban(victim.uuid);
    await call('refresh');
    expect(h.fx.droppedBy).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });

  it('ban rule / many API IDs: a banned account listing the player\'s steam ID after 64 other IDs still bans them', async () => {
    const ids = strangerIdentifiers();
    const junk = Array.from({ length: 64 }, (_, i) => `junk-id-${i}`);
    let banned!: { username: string };
    h = await startHarness({
      cad: { accounts: 20, seed: 5 },
      // Not the primary (license) ID: the connect lookup asks the CAD about license only, so the sweep's
      // reading of the banned account is all the gate has.
      beforeStart: (cad) => void (banned = cad.addAccount({ status: 4, apiIds: [...junk, bare(ids[1]!)] })),
    });
    const result = await h.fx.connectPlayer({ name: 'Padded', identifiers: ids });
    expect([result.accepted, result.reason]).toEqual([false, expect.stringContaining(banned.username)]);
  });
});

describe('ban rule: odd records (issue 11)', () => {
  it('ban rule / banned record without a readable uuid on a fresh install: a player holding its (steam) API ID is refused', async () => {
    const ids = strangerIdentifiers();
    h = await startHarness({
      cad: { accounts: 20, seed: 5 },
      beforeStart: (cad) => {
        cad.addAccount({ status: 4, apiIds: [bare(ids[1]!)], username: 'odd-banned' });
        cad.fault('rewrite', {
          route: 'accounts',
          rewrite: (page: { accounts: Rec[] }) => {
            for (const a of page.accounts) if (a.username === 'odd-banned') a.uuid = null;
            return page;
          },
        });
      },
    });
    const result = await h.fx.connectPlayer({ name: 'Odd', identifiers: ids });
    expect(result.accepted).toBe(false);
  });

  it('ban rule / an active account turns up banned without a readable uuid: the online player is dropped', async () => {
    const ids = strangerIdentifiers();
    let account!: { uuid: string };
    h = await startHarness({
      cad: { accounts: 20, seed: 5 },
      beforeStart: (cad) => void (account = cad.addAccount({ status: 1, apiIds: [bare(ids[0]!)], username: 'soon-odd' })),
    });
    const { id, accepted } = await h.fx.connectPlayer({ name: 'Odd', identifiers: ids });
    expect(accepted).toBe(true);
    h.cad.ban(account.uuid);
    h.cad.fault('rewrite', {
      route: 'accounts',
      rewrite: (page: { accounts: Rec[] }) => {
        for (const a of page.accounts) if (a.username === 'soon-odd') a.uuid = null;
        return page;
      },
    });
    await call('refresh');
    expect(h.fx.droppedBy).toEqual([{ id, reason: expect.stringContaining('banned') }]);
    expect(call('getAccountByApiId', ids[0])).toMatchObject({ statusName: 'banned' });
  });
});

describe('ban rule: races between lookups and sweeps', () => {
  it('ban rule / slow answer: a lookup answered before the ban but delivered after the sweep that brought it does not let the banned player back in', async () => {
    const ids = strangerIdentifiers();
    let account!: { uuid: string; username: string };
    h = await startHarness({
      cad: { accounts: 20, seed: 5 },
      beforeStart: (cad) => void (account = cad.addAccount({ status: 1, apiIds: [bare(ids[0]!)] })),
    });
    const first = await h.fx.connectPlayer({ name: 'Racer', identifiers: ids });
    expect(first.accepted).toBe(true);
    // refreshPlayer asks the CAD while the account is still active; the answer is slow on the way back.
    h.cad.fault('latency', { route: 'account', ms: 600, late: true, times: 1 });
    const asked = h.cad.requests.length;
    const refreshed = call('refreshPlayer', first.id) as Promise<unknown>;
    await waitFor(() => h!.cad.requests.slice(asked).some((r) => r.path.endsWith('get_account')), 'the lookup reached the CAD');
    h.cad.ban(account.uuid);
    await call('refresh'); // brings the ban: the player is dropped
    expect(h.fx.droppedBy).toEqual([{ id: first.id, reason: expect.stringContaining('banned') }]);
    await refreshed; // the stale "active" arrives after the page that said banned
    const again = await h.fx.connectPlayer({ name: 'Racer', identifiers: ids });
    expect([again.accepted, again.reason]).toEqual([false, expect.stringContaining(account.username)]);
    expect(call('getAccountByApiId', ids[0])).toMatchObject({ statusName: 'banned' });
  });
});
