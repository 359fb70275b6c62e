// The CAD is down when the server (re)starts. With a good snapshot the resource gates from it at once;
// with a corrupt one it starts, says it is not ready, and follows connect.whenCadUnavailable. Then the
// CAD comes back and the first sweep takes over. All through the built bundle in the emulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { API_KEY, COMMUNITY_ID, startHarness, type Harness } from '../integration/harness';
import { connectAs, isBanned, isPolice, pick } from '../integration/players';

let cad: FakeCad | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await cad?.close();
  h = cad = undefined;
});

const cacheInfo = (hh: Harness) => hh.fx.callExport('sonoran_accounts', 'getCacheInfo') as { ready: boolean; source: string; accounts: number; lastError: string | null };

/** A first server run that leaves its snapshot behind, against a CAD that keeps running. */
async function snapshotFromAFirstRun(): Promise<{ cad: FakeCad; snapshot: string }> {
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 120, seed: 3 });
  const first = await startHarness({ existingCad: cad });
  const snapshot = readFileSync(join(first.folder, 'cache/snapshot.json'), 'utf8');
  await first.close();
  return { cad, snapshot };
}

const DOWN_FAST = { connect: { timeoutSeconds: 1 } };

describe('CAD unreachable at start', () => {
  it('with a valid snapshot: ready at once from it, banned players kept out, officers keep police', async () => {
    const { cad, snapshot } = await snapshotFromAFirstRun();
    cad.fault('reset');
    h = await startHarness({ existingCad: cad, snapshot, waitReady: false, config: DOWN_FAST });
    expect(cacheInfo(h)).toMatchObject({ ready: true, source: 'snapshot' });

    const banned = await connectAs(h.fx, cad, pick(cad, isBanned, 'banned'));
    expect([banned.accepted, banned.reason]).toEqual([false, expect.stringContaining('banned')]);
    const officer = await connectAs(h.fx, cad, pick(cad, isPolice, 'police'));
    expect(officer.accepted).toBe(true);
    expect(h.fx.callExport('sonoran_accounts', 'hasPermission', officer.id, 'police')).toBe(true);
    // A stranger's lookup fails; with a filled cache that means "no account as of the last sync".
    expect((await connectAs(h.fx, cad, null)).accepted).toBe(true);

    // The CAD comes back: the next sweep replaces the snapshot as the source.
    cad.clearFaults();
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(cacheInfo(h)).toMatchObject({ ready: true, source: 'api', lastError: null });
  }, 20_000);

  it.each([
    ['allow', true],
    ['deny', false],
  ])('with a corrupt snapshot: starts, not ready, one warning, whenCadUnavailable=%s', async (policy, admitted) => {
    const { cad, snapshot } = await snapshotFromAFirstRun();
    cad.fault('reset');
    h = await startHarness({
      existingCad: cad,
      snapshot: snapshot.slice(0, snapshot.length / 2),
      waitReady: false,
      config: { connect: { timeoutSeconds: 1, whenCadUnavailable: policy } },
    });
    expect(cacheInfo(h)).toMatchObject({ ready: false, source: 'empty', accounts: 0 });
    expect(h.fx.callExport('sonoran_accounts', 'isReady')).toBe(false);
    expect(h.fx.consoleLines.filter((l) => l.includes('snapshot') && l.includes('corrupt'))).toHaveLength(1);

    const officer = await connectAs(h.fx, cad, pick(cad, isPolice, 'police'));
    expect(officer.accepted).toBe(admitted);
    expect(officer.violations).toEqual([]);
    if (!admitted) expect(officer.reason).toMatch(/cannot be reached/);
    else expect(h.fx.callExport('sonoran_accounts', 'hasPermission', officer.id, 'police')).toBe(false);

    cad.clearFaults();
    // refresh() joins the start-up sweep if it is still retrying; if that one already gave up, a new one runs.
    for (let i = 0; i < 2 && cacheInfo(h).source !== 'api'; i++) await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(cacheInfo(h)).toMatchObject({ ready: true, source: 'api' });
  }, 30_000);
});
