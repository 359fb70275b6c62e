// Next to Sonoran's own `sonorancad` resource, with a stand-in that behaves as its code does
// (Sonoran-Software/SonoranCADFiveM: sonorancad.cfg, core/configuration.lua, core/httpd.lua).
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FxServer, type Harness } from './harness';
import { connectAs, strangerIdentifiers } from './players';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** sonorancad.cfg's lines: the key is a sentinel until sonorancad starts, and protected. */
const SONORANCAD_CFG = ['add_convar_permission sonorancad read sonoran_apiKey'];
const OUR_PERMISSION = 'add_convar_permission sonoran_accounts read sonoran_apiKey';

/**
 * configuration.lua at start: the key replaces the sentinel (only then), every other key is set from
 * the convar if present, else from its config.json. httpd.lua: EVENT_COMMUNITY_LINK_VERIFIED with a
 * non-empty string communityUserId raises the local event with body.data.
 */
const standIn = (config: Record<string, unknown>) => `
const config = ${JSON.stringify(config)};
for (const [k, v] of Object.entries(config)) {
  const cvar = GetConvar('sonoran_' + k, 'NONE');
  if (k === 'apiKey') {
    if (cvar === 'NONE') console.log('Configuration: apiKey convar value NOT initialized - has sonorancad.cfg been executed?');
    else if (cvar === 'protection_initialized') SetConvar('sonoran_' + k, String(v));
    continue;
  }
  SetConvar('sonoran_' + k, String(cvar !== 'NONE' ? cvar : v));
}
exports('pushEvent', (body) => {
  if (body.type !== 'EVENT_COMMUNITY_LINK_VERIFIED') return false;
  if (typeof body.data !== 'object' || typeof body.data.communityUserId !== 'string' || body.data.communityUserId === '') return false;
  TriggerEvent('SonoranCAD::pushevents:CommunityLinkVerified', body.data);
  return true;
});`;

const startSonorancad = (fx: FxServer) =>
  fx.startResource({ name: 'sonorancad', code: standIn({ communityID: COMMUNITY_ID, apiKey: API_KEY, primaryIdentifier: 'license' }) });

const keysSent = (h: Harness) => h.cad.requests.map((r) => JSON.stringify([r.body, r.headers.authorization ?? '']));

describe('sonorancad as a neighbour', () => {
  it('started before sonorancad, it waits for the real key instead of sending the sentinel, then syncs', async () => {
    h = await startHarness({ cad: { accounts: 30 }, convars: { sonoran_apiKey: 'protection_initialized' }, exec: [...SONORANCAD_CFG, OUR_PERMISSION], waitReady: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.cad.requests).toEqual([]);
    expect(h.fx.callExport('sonoran_accounts', 'isReady')).toBe(false);
    const waiting = h.fx.consoleLines.filter((l) => l.includes('protection_initialized'));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatch(/waiting for sonorancad.*ensure sonoran_accounts.*below.*exec sonorancad\.cfg/);
    await startSonorancad(h.fx);
    await waitFor(() => h!.fx.callExport('sonoran_accounts', 'isReady') === true, 'ready after sonorancad started');
    expect(keysSent(h).some((k) => k.includes('protection_initialized'))).toBe(false);
    expect(h.fx.consoleLines.some((l) => /sonorancad started.*syncing/.test(l))).toBe(true);
    expect(h.fx.consoleLines.some((l) => /INVALID API KEY|fatal/i.test(l))).toBe(false);
  });

  it('while it waits for sonorancad, the snapshot of the last run still refuses a banned account; ready is announced once', async () => {
    h = await startHarness({ cad: { accounts: 40, seed: 5 } });
    await waitFor(() => existsSync(join(h!.folder, 'cache/snapshot.json')), 'snapshot written');
    const banned = h.cad.accounts.find((a) => a.status === 4)!;
    h.fx.stopResource('sonoran_accounts');
    for (const line of ['set sonoran_apiKey protection_initialized', ...SONORANCAD_CFG, OUR_PERMISSION]) h.fx.exec(line);
    h.clearRecords();
    await h.fx.startResource({ name: 'sonoran_accounts', path: h.folder });
    expect(h.fx.callExport('sonoran_accounts', 'getCacheInfo')).toMatchObject({ ready: true, source: 'snapshot' });
    const refused = await connectAs(h.fx, h.cad, banned);
    expect(refused.accepted).toBe(false);
    expect(refused.reason).toContain(banned.username);
    expect(h.cad.requests).toEqual([]);
    await startSonorancad(h.fx);
    await waitFor(() => (h!.fx.callExport('sonoran_accounts', 'getCacheInfo') as { source: string }).source === 'api', 'synced after sonorancad started');
    const readyEvents = (h.fx.callExport('event_spy', 'seen') as { name: string }[]).filter((e) => e.name === 'ready');
    expect(readyEvents).toHaveLength(1);
  });

  it('if sonorancad starts without setting the key, it says so once and never sends the sentinel', async () => {
    h = await startHarness({ cad: { accounts: 5 }, convars: { sonoran_apiKey: 'protection_initialized' }, exec: [...SONORANCAD_CFG, OUR_PERMISSION], waitReady: false });
    await h.fx.startResource({ name: 'sonorancad', code: standIn({ communityID: COMMUNITY_ID }) });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fx.consoleLines.filter((l) => /sonorancad started, but sonoran_apiKey still reads "protection_initialized"/.test(l))).toHaveLength(1);
    expect(h.cad.requests).toEqual([]);
  });

  it('without its permission line it says which line to add', async () => {
    h = await startHarness({ cad: { accounts: 5 }, convars: { sonoran_apiKey: 'protection_initialized' }, exec: SONORANCAD_CFG, waitReady: false });
    await startSonorancad(h.fx);
    h.fx.stopResource('sonoran_accounts');
    h.fx.consoleLines.splice(0);
    await h.fx.startResource({ name: 'sonoran_accounts', path: h.folder });
    expect(h.fx.consoleLines.some((l) => l.includes(OUR_PERMISSION))).toBe(true);
    expect(h.cad.requests).toEqual([]);
  });

  it('a CommunityLinkVerified event looks the player up at once, past the negative cache, and fires playerLinked', async () => {
    h = await startHarness({ cad: { accounts: 10 }, convars: { sonoran_apiKey: 'protection_initialized' }, exec: [...SONORANCAD_CFG, OUR_PERMISSION], waitReady: false });
    await startSonorancad(h.fx);
    await waitFor(() => h!.fx.callExport('sonoran_accounts', 'isReady') === true, 'ready');
    const ids = strangerIdentifiers();
    const joined = await h.fx.connectPlayer({ name: 'Newcomer', identifiers: ids });
    expect(joined.accepted).toBe(true);
    const bare = ids[0]!.slice('license:'.length);
    const account = h.cad.addAccount({ apiIds: [bare] });
    h.fx.callExport('event_spy', 'clear');
    // Sonoran's docs show the prefixed form; its code sends the bare value. Both work.
    expect(h.fx.callExport('sonorancad', 'pushEvent', { type: 'EVENT_COMMUNITY_LINK_VERIFIED', data: { communityUserId: `license:${bare}` } })).toBe(true);
    await waitFor(() => (h!.fx.callExport('sonoran_accounts', 'getAccount', joined.id) as { uuid?: string } | null)?.uuid === account.uuid, 'linked after the event', 3000);
    const seen = h.fx.callExport('event_spy', 'seen') as { name: string; args: unknown[] }[];
    expect(seen.filter((e) => e.name === 'playerLinked').map((e) => e.args[0])).toEqual([joined.id]);
  });

  it('the link event from a client does nothing', async () => {
    h = await startHarness({ cad: { accounts: 10 } });
    const ids = strangerIdentifiers();
    const joined = await h.fx.connectPlayer({ name: 'Faker', identifiers: ids });
    h.cad.addAccount({ apiIds: [ids[0]!.slice('license:'.length)] });
    h.cad.resetRequests();
    h.fx.emitNet('SonoranCAD::pushevents:CommunityLinkVerified', joined.id!, { communityUserId: ids[0] });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.cad.requests).toEqual([]);
  });
});
