// Red team, "a broken configuration never opens a gate" (README Decisions) from the convar side: the
// convars Sonoran's own resource shares (sonoran_apiVersion, sonoran_primaryIdentifier, sonoran_apiUrl)
// hold a value this resource does not accept. A snapshot holds a banned account; the CAD is down.
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

const BAD_CONVARS: [string, string][] = [
  ['sonoran_apiVersion', '3'],
  ['sonoran_primaryIdentifier', 'license:'],
];

describe('ban rule: a convar this resource does not accept', () => {
  it.each(BAD_CONVARS)('ban rule / bad convar %s "%s": the resource still gates from the snapshot and says which convar is wrong', async (convar, value) => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 60, seed: 5 });
    const first = await startHarness({ existingCad: cad });
    await waitFor(() => existsSync(join(first.folder, 'cache/snapshot.json')), 'the snapshot');
    const snapshot = readFileSync(join(first.folder, 'cache/snapshot.json'), 'utf8');
    await first.close();
    cad.fault('reset');
    h = await startHarness({ existingCad: cad, snapshot, convars: { [convar]: value }, waitReady: false, config: { connect: { timeoutSeconds: 1 } } });
    expect(h.fx.consoleLines.some((l) => l.includes(convar))).toBe(true);
    const banned = await connectAs(h.fx, cad, pick(cad, isBanned, 'banned'));
    expect([banned.accepted, banned.reason]).toEqual([false, expect.stringContaining('banned')]);
  });
});
