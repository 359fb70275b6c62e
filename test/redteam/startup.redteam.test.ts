// Red team, the ban promise at start: the snapshot on disk is information the resource has; it gates
// whatever else is missing (a broken config.json, no key). Here: the key is sonorancad's to set and
// sonorancad has not started (slow, stopped, or crashed at start).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { connectAs, isBanned, pick } from '../integration/players';

let h: Harness | undefined;
let cad: FakeCad | undefined;
afterEach(async () => {
  await h?.close();
  await cad?.close();
  h = cad = undefined;
});

describe('ban rule: the snapshot at start', () => {
  it('ban rule / waiting for sonorancad: a banned account in the snapshot is refused before sonorancad sets the key', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 60, seed: 5 });
    const first = await startHarness({ existingCad: cad });
    await waitFor(() => existsSync(join(first.folder, 'cache/snapshot.json')), 'the snapshot');
    const snapshot = readFileSync(join(first.folder, 'cache/snapshot.json'), 'utf8');
    await first.close();

    h = await startHarness({
      existingCad: cad,
      snapshot,
      convars: { sonoran_apiKey: 'protection_initialized' },
      exec: ['add_convar_permission sonorancad read sonoran_apiKey', 'add_convar_permission sonoran_accounts read sonoran_apiKey'],
      waitReady: false,
    });
    const banned = await connectAs(h.fx, cad, pick(cad, isBanned, 'banned'));
    expect([banned.accepted, banned.reason]).toEqual([false, expect.stringContaining('banned')]);
  });
});
