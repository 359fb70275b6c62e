// Way 6 of issue 10: a typo in config.json must never open a gate. The last configuration that loaded
// stays in force (kept next to the snapshot), or the defaults when none ever did; the snapshot gates;
// the console names the file, line and column. All through the built bundle in the emulator.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type Harness } from '../integration/harness';
import { connectAs, isBanned, isPolice, pick } from '../integration/players';

let cad: FakeCad | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await cad?.close();
  h = cad = undefined;
});

const LAST_GOOD = 'cache/last-good-config.json';
const errorsOf = (hh: Harness) => hh.fx.consoleLines.filter((l) => l.includes('error'));
const isActiveWithoutCivilian = (a: FakeCad['accounts'][number]) => a.status === 1 && !a.permissions.civilian && a.permissions.police;

/** A first run with a valid config (requirePermission civilian), leaving its snapshot and config copy behind. */
async function aGoodFirstRun(): Promise<Record<string, string>> {
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 200, seed: 5 });
  const first = await startHarness({ existingCad: cad, config: { connect: { requirePermission: 'civilian' } } });
  await waitFor(() => existsSync(join(first.folder, LAST_GOOD)) && existsSync(join(first.folder, 'cache/snapshot.json')), 'config copy and snapshot');
  const files = {
    [LAST_GOOD]: readFileSync(join(first.folder, LAST_GOOD), 'utf8'),
    'cache/snapshot.json': readFileSync(join(first.folder, 'cache/snapshot.json'), 'utf8'),
  };
  await first.close();
  return files;
}

describe('a broken config.json (issue 10, way 6)', () => {
  it('a trailing comma: the previous configuration and the snapshot keep gating with the CAD down; the console names line and column', async () => {
    const files = await aGoodFirstRun();
    expect(files[LAST_GOOD]).not.toContain(API_KEY);
    cad!.fault('reset');
    const configText = '{\n  "refreshMinutes": 10,\n  "connect": { "requirePermission": "civilian", },\n}\n';
    h = await startHarness({ existingCad: cad, configText, files, waitReady: false, config: { connect: { timeoutSeconds: 1 } } });

    expect(errorsOf(h).some((l) => /config\.json line 3, column \d+: not valid JSON/.test(l))).toBe(true);
    expect(errorsOf(h).some((l) => l.includes('the previous configuration') && l.includes('is in force'))).toBe(true);
    expect(h.fx.callExport('sonoran_accounts', 'isReady')).toBe(true);

    const banned = await connectAs(h.fx, cad!, pick(cad!, isBanned, 'banned'));
    expect([banned.accepted, banned.reason]).toEqual([false, expect.stringContaining('banned')]);
    const officer = await connectAs(h.fx, cad!, pick(cad!, (a) => isPolice(a) && a.permissions.civilian, 'police + civilian'));
    expect(officer.accepted).toBe(true);
    expect(h.fx.callExport('sonoran_accounts', 'hasPermission', officer.id, 'police')).toBe(true);
    // requirePermission came from the previous configuration, not from the defaults.
    const noCivilian = await connectAs(h.fx, cad!, pick(cad!, isActiveWithoutCivilian, 'active police without civilian'));
    expect([noCivilian.accepted, noCivilian.reason]).toEqual([false, expect.stringContaining('civilian')]);
  }, 30_000);

  it.each([
    ['not JSON', '{ "refreshMinutes": 10, ', /config\.json line 1, column \d+: not valid JSON/],
    ['a list, not an object', '[1, 2]', /config\.json line 1, column 1: must be a JSON object/],
    ['wrong types', JSON.stringify({ refreshMinutes: 'ten', connect: { whenCadUnavailable: 'maybe' }, identifiers: ['ip'] }), /config\.json line 1, column \d+: refreshMinutes must be a number of minutes from 1 to 1440, got "ten"/],
  ])('%s, never a good config before: the defaults (with the convars) sync and refuse banned accounts', async (_what, text, message) => {
    h = await startHarness({ cad: { accounts: 80, seed: 3 }, configText: text });
    expect(errorsOf(h).some((l) => message.test(l))).toBe(true);
    expect(errorsOf(h).some((l) => l.includes('the defaults are in force'))).toBe(true);
    const banned = await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'));
    expect(banned.accepted).toBe(false);
    const officer = await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'));
    expect(h.fx.callExport('sonoran_accounts', 'hasPermission', officer.id, 'police')).toBe(true);
    h.fx.command(0, 'cadcheck');
    expect(h.fx.consoleLines.filter((l) => l.includes('SCRIPT ERROR'))).toEqual([]);
    expect(existsSync(join(h.folder, LAST_GOOD))).toBe(false);
  });

  it('wrong types are each named on their own line, with line and column', async () => {
    const text = JSON.stringify({ refreshMinutes: 'ten', connect: { whenCadUnavailable: 'maybe' }, identifiers: ['ip'] }, null, 2);
    h = await startHarness({ cad: { accounts: 10 }, configText: text });
    const lines = h.fx.consoleLines.filter((l) => l.includes('config.json line'));
    expect(lines.some((l) => l.includes('line 2, column 21: refreshMinutes'))).toBe(true);
    expect(lines.some((l) => /line 4, column \d+: connect\.whenCadUnavailable/.test(l))).toBe(true);
    expect(lines.some((l) => /line \d+, column \d+: identifiers\.0/.test(l))).toBe(true);
  });

  it('no API key anywhere: no sync and no call, but the snapshot still refuses banned accounts', async () => {
    const files = await aGoodFirstRun();
    cad!.resetRequests();
    h = await startHarness({ existingCad: cad, files, waitReady: false, convars: { sonoran_apiKey: '' }, config: { connect: { timeoutSeconds: 1 } } });
    expect(errorsOf(h).some((l) => l.includes('no API key'))).toBe(true);
    const banned = await connectAs(h.fx, cad!, pick(cad!, isBanned, 'banned'));
    expect(banned.accepted).toBe(false);
    expect(await h.fx.callExport('sonoran_accounts', 'refresh')).toMatchObject({ ok: false, error: expect.stringContaining('no API key') });
    expect(cad!.requests).toEqual([]);
  }, 30_000);
});
