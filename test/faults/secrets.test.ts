// The API key must never reach a log line, chat message, event payload, export result, state bag,
// the snapshot or a client download. Every harness scenario is scanned on close (harness.ts); these
// scenarios go looking for trouble: answers that quote the key back, a wrong key, the key in config.json.
import { afterEach, describe, expect, it } from 'vitest';
import { clientDownloads } from '../../dev/emulator';
import { startHarness, waitFor, API_KEY, type Harness } from '../integration/harness';
import { connectAs, isPolice, pick, strangerIdentifiers } from '../integration/players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close(); // throws if the key leaked anywhere
  h = undefined;
});

const info = (hh: Harness) => hh.fx.callExport('sonoran_accounts', 'getCacheInfo') as { lastError: string | null };

describe('the API key stays secret', () => {
  it.each([1, 2])('when the CAD (API v%i) answers an error that quotes the request, key included', async (version) => {
    h = await startHarness({ cad: { accounts: 150 }, convars: { sonoran_apiVersion: String(version) }, exec: ['add_ace builtin.everyone command.cadrefresh allow'] });
    h.cad.fault('echo', { status: 400, after: 1, route: 'accounts' });
    h.cad.fault('echo', { status: 500, route: 'account' });
    const result = (await h.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean; error: string };
    expect(result.ok).toBe(false);
    expect(result.error).toContain('***');
    expect(info(h).lastError).toContain('***');
    // The key really went over the wire and really came back: the masking is what kept it out.
    const echoed = h.cad.requests.find((r) => r.fault === 'echo')!;
    expect(JSON.stringify(echoed.body) + String(echoed.headers.authorization)).toContain(API_KEY);
    // A connecting stranger's lookup fails the same way; the deferral and the console stay clean.
    const joined = await h.fx.connectPlayer({ name: 'Stranger', identifiers: strangerIdentifiers() });
    expect(joined.accepted).toBe(true);
    h.fx.command(joined.id!, 'cadrefresh');
    await waitFor(() => h!.fx.consoleLines.filter((l) => l.includes('***')).length >= 2, 'failures logged');
  });

  it('a key long enough to straddle the 80-character cut of an error text: no 8-character piece of it gets out', async () => {
    const LONG = `LONG-KEY-${'0123456789abcdef'.repeat(4)}-end`;
    h = await startHarness({ cad: { accounts: 150, apiKey: LONG }, convars: { sonoran_apiKey: LONG } });
    h.cad.fault('echo', { status: 400, route: 'accounts' });
    const result = (await h.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean; error: string };
    const seen = JSON.stringify({ result, info: info(h), console: h.fx.consoleLines, events: h.fx.callExport('event_spy', 'seen') });
    expect(result.error).toContain('***');
    const pieces = Array.from({ length: LONG.length - 7 }, (_, i) => LONG.slice(i, i + 8));
    expect(pieces.filter((piece) => seen.includes(piece))).toEqual([]);
  });

  it('when the key is wrong: one fatal error with a hint, never the key', async () => {
    h = await startHarness({ cad: { accounts: 10, apiKey: 'the-right-key-on-the-cad' }, waitReady: false });
    await waitFor(() => info(h!).lastError !== null, 'the fatal error');
    expect(info(h).lastError).toMatch(/INVALID API KEY/);
    const errors = h.fx.consoleLines.filter((l) => l.includes('INVALID API KEY'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/sonoran_apiKey/);
  });

  it('when the owner put the key in config.json: warned without echoing it, and nothing downloadable holds it', async () => {
    h = await startHarness({ cad: { accounts: 120 }, config: { apiKey: API_KEY }, convars: { sonoran_apiKey: '' } });
    expect(h.fx.consoleLines.some((l) => /apiKey.*config\.json|config\.json.*apiKey/i.test(l))).toBe(true);
    const officer = await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'));
    h.fx.command(officer.id!, 'cadcheck');
    expect(h.fx.callExport('sonoran_accounts', 'getAccount', officer.id)).not.toBeNull();
    expect(clientDownloads(h.folder)).toEqual([]); // config.json is never sent to players
  });
});
