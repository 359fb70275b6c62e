// Issue 21: a CAD ban reaches online players and the connect gate through the ban watch, without a
// sweep or a lookup. The built bundle in the emulator against the fake CAD, in real time (the watch's
// shortest cadence is 10 s).
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from './harness';
import { connectAs, isPolice, pick } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const call = (name: string, ...args: unknown[]) => h!.fx.callExport('sonoran_accounts', name, ...args);
const singleLookups = (hh: Harness) => hh.cad.requests.filter((r) => r.path.endsWith('get_account'));
const sweepsOfActive = (hh: Harness) => hh.cad.requests.filter((r) => r.path.endsWith('get_accounts') && (r.body as { data: { status: number }[] }).data[0]!.status === 1);

describe('ban watch (issue 21)', () => {
  it('a ban read by the watch drops the online player and refuses their next connect, with no sweep and no lookup', async () => {
    h = await startHarness({ cad: { accounts: 40, seed: 3 }, config: { freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } } });
    const officer = pick(h.cad, isPolice, 'police');
    const { id, accepted } = await connectAs(h.fx, h.cad, officer, 'Officer');
    expect(accepted).toBe(true);
    expect(call('getCacheInfo')).toMatchObject({ banWatchAt: null });
    h.clearRecords();
    h.cad.ban(officer.uuid);
    await waitFor(() => h!.fx.droppedBy.length > 0, 'the drop', 15_000);
    expect(h.fx.droppedBy).toEqual([{ id, reason: expect.stringContaining('banned') }]);
    expect((call('getCacheInfo') as { banWatchAt: unknown }).banWatchAt).toEqual(expect.any(Number));
    const again = await connectAs(h.fx, h.cad, officer, 'Officer again');
    expect([again.accepted, again.reason]).toEqual([false, expect.stringContaining(officer.username)]);
    expect(singleLookups(h)).toEqual([]);
    expect(sweepsOfActive(h)).toEqual([]);
  }, 30_000);
});
