// No forgotten miss: a player admitted without an answer from the CAD keeps being resolved after
// admission; when such players outnumber a sweep's calls, the next sweep is pulled forward instead.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from './harness';
import { strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const linkedEvents = (h: Harness) => (h.fx.callExport('event_spy', 'seen') as { name: string; args: unknown[] }[]).filter((e) => e.name === 'playerLinked').map((e) => e.args[0]);
const uuidOf = (h: Harness, id: number | null) => (h.fx.callExport('sonoran_accounts', 'getAccount', id) as { uuid?: string } | null)?.uuid;
const count = (h: Harness, suffix: string) => h.cad.requests.filter((r) => r.path.endsWith(suffix)).length;

// The connect lookup's first attempt hangs past the 1 s connect deadline (request timeout 3 s): the
// player is admitted without an answer, as under a burst or a slow CAD.
const config = { connect: { timeoutSeconds: 1 }, requestTimeoutSeconds: 3 };

describe('players admitted without an answer', () => {
  it('are looked up again after admission in the lowest lane, and playerLinked fires when found', async () => {
    h = await startHarness({ cad: { accounts: 20 }, config });
    const ids = strangerIdentifiers();
    const account = h.cad.addAccount({ status: 1, apiIds: [ids[0]!.slice('license:'.length)] });
    h.cad.fault('hang', { route: 'account', times: 1 });
    h.fx.callExport('event_spy', 'clear');
    const joined = await h.fx.connectPlayer({ name: 'Unlucky', identifiers: ids });
    expect(joined.accepted).toBe(true);
    await waitFor(() => uuidOf(h!, joined.id) === account.uuid, 'resolved after admission', 4000);
    expect(linkedEvents(h)).toEqual([joined.id]);
    expect(count(h, 'get_accounts')).toBe(2); // only the first sweep: the follow-up was one lookup
  });

  it('when they outnumber the calls of a sweep, one sweep resolves them all (calls = min(misses, pages))', async () => {
    h = await startHarness({ cad: { accounts: 20 }, config });
    const first = count(h, 'get_accounts');
    expect(first).toBe(2); // active + banned: a sweep is 2 calls
    const players = [strangerIdentifiers(), strangerIdentifiers(), strangerIdentifiers()];
    const accounts = players.map((ids) => h!.cad.addAccount({ status: 1, apiIds: [ids[0]!.slice('license:'.length)] }));
    const hang = h.cad.fault('hang', { route: 'account' });
    h.fx.callExport('event_spy', 'clear');
    const joined = await Promise.all(players.map((ids, i) => h!.fx.connectPlayer({ name: `Unlucky${i}`, identifiers: ids })));
    expect(joined.every((j) => j.accepted)).toBe(true);
    await waitFor(() => joined.every((j, i) => uuidOf(h!, j.id) === accounts[i]!.uuid), 'all resolved by the pulled-forward sweep', 4000);
    hang.clear();
    expect(count(h, 'get_accounts') - first).toBe(2);
    // The three connect lookups, and at most the one follow-up begun while the misses were still fewer.
    expect(count(h, 'get_account')).toBeLessThanOrEqual(4);
    expect(linkedEvents(h).sort()).toEqual(joined.map((j) => j.id).sort());
  });
});
