// Red team, the secret rule: the API key never appears (whole, or any 8+ character piece, in any form a
// reader can turn back into it) in a log line, event payload, export result or chat message. The CAD (or
// a proxy in front of it) answers errors that quote the request back in odd forms.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, API_KEY, type Harness } from '../integration/harness';
import { strangerIdentifiers } from '../integration/players';
import { leakedPieces } from './leaks';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const info = (hh: Harness) => hh.fx.callExport('sonoran_accounts', 'getCacheInfo') as { lastError: string | null };

/** Every 8-character piece of the key as it would read in `text`, in the forms a reader can decode. */
/**
 * What a player, the console, another resource and the state bags see of a joined player after
 * `/cadcheck` from them and from the console, as one text (plus `extra`, e.g. export results).
 */
function seenAfterCadcheck(h: Harness, id: number, extra: Record<string, unknown>): string {
  h.fx.command(id, 'cadcheck');
  h.fx.command(0, 'cadcheck');
  return JSON.stringify({ ...extra, events: h.fx.callExport('event_spy', 'seen'), chat: h.fx.allChat(), console: h.fx.consoleLines, state: h.fx.stateOf(id) });
}


const QUOTES: [string, (echoed: string) => string][] = [
  ['upper-cased (as v1 writes its errors)', (q) => q.toUpperCase()],
  ['base64-encoded', (q) => `request was ${Buffer.from(q).toString('base64')}`],
  ['hex-encoded', (q) => `request bytes ${Buffer.from(q).toString('hex')}`],
];

describe('secret rule: an error body quoting the key in another form', () => {
  it.each(QUOTES)('secret rule / error body quoting the request %s: no piece of the key in results, lastError, console, chat or events', async (_what, quote) => {
    h = await startHarness({ cad: { accounts: 150 }, exec: ['add_ace builtin.everyone command.cadrefresh allow'] });
    h.cad.fault('echo', { status: 400, route: 'accounts', quote });
    const result = (await h.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean; error: string };
    expect(result.ok).toBe(false);
    const joined = await h.fx.connectPlayer({ name: 'Stranger', identifiers: strangerIdentifiers() });
    h.fx.command(joined.id!, 'cadrefresh');
    await waitFor(() => h!.fx.chatOf(joined.id!).some((m) => JSON.stringify(m).includes('refresh failed')), 'cadrefresh answered in chat');
    const seen = JSON.stringify({
      result,
      info: info(h),
      console: h.fx.consoleLines,
      chat: h.fx.allChat(),
      events: h.fx.callExport('event_spy', 'seen'),
    });
    expect(leakedPieces(seen, API_KEY)).toEqual([]);
  });
});

describe('secret rule: the key on disk', () => {
  it.each(['apikey', 'ApiKey', 'sonoran_apiKey'])('secret rule / config.json holds the key under a mistyped name "%s": it is not copied into cache/last-good-config.json', async (name) => {
    const { existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    h = await startHarness({ cad: { accounts: 20 }, config: { [name]: API_KEY, connect: { enabled: true, apiKey: API_KEY } } });
    const file = join(h.folder, 'cache/last-good-config.json');
    await waitFor(() => existsSync(file), 'the kept configuration');
    expect(h.fx.consoleLines.some((l) => l.includes(`unknown setting "${name}"`))).toBe(true);
    expect(leakedPieces(readFileSync(file, 'utf8'), API_KEY)).toEqual([]);
  });
});

describe('secret rule: account records that quote the key', () => {
  it('secret rule / a CAD (or proxy) answering an account whose username and API ID quote the key: not in exports, events, chat, state bags', async () => {
    const { isPolice, pick } = await import('../integration/players');
    h = await startHarness({
      cad: { accounts: 40, seed: 3 },
      config: { stateBag: true },
      beforeStart: (cad) => {
        const victim = pick(cad, isPolice, 'police');
        cad.fault('rewrite', {
          rewrite: (body: any) => {
            for (const a of body.accounts ?? [body]) {
              if (a.uuid !== victim.uuid) continue;
              a.username = `echo ${API_KEY.toLowerCase()}`;
              a.apiIds = [...a.apiIds, `key=${API_KEY}`];
            }
            return body;
          },
        });
      },
    });
    const victim = pick(h.cad, isPolice, 'police');
    const joined = await h.fx.connectPlayer({ name: 'Echoed', identifiers: h.cad.identitiesOf(victim.uuid) });
    const seen = seenAfterCadcheck(h, joined.id!, {
      account: h.fx.callExport('sonoran_accounts', 'getAccount', joined.id),
      byId: h.fx.callExport('sonoran_accounts', 'getAccountByApiId', victim.uuid),
    });
    expect(seen).toContain('echo');
    expect(leakedPieces(seen, API_KEY)).toEqual([]);
  });
});

describe('secret rule: a permission flag whose name quotes the key (round 2)', () => {
  it('secret rule / a CAD (or proxy) answering a permission flag named after the key: not in getAccount().permissions, events, console, chat, state bags', async () => {
    const { isPolice, pick } = await import('../integration/players');
    h = await startHarness({
      cad: { accounts: 40, seed: 3 },
      config: { stateBag: true },
      beforeStart: (cad) => {
        const victim = pick(cad, isPolice, 'police');
        cad.fault('rewrite', {
          rewrite: (body: any) => {
            for (const a of body.accounts ?? [body]) {
              if (a.uuid !== victim.uuid) continue;
              a.permissions = { ...a.permissions, [`echo_${API_KEY}`]: true };
            }
            return body;
          },
        });
      },
    });
    const victim = pick(h.cad, isPolice, 'police');
    const joined = await h.fx.connectPlayer({ name: 'Flagged', identifiers: h.cad.identitiesOf(victim.uuid) });
    const account = h.fx.callExport('sonoran_accounts', 'getAccount', joined.id) as { permissions: string[] } | null;
    const seen = seenAfterCadcheck(h, joined.id!, { account });
    expect(account?.permissions).toContain('police'); // the account itself is served
    expect(leakedPieces(seen, API_KEY)).toEqual([]);
  });
});

describe('secret rule: an account uuid that quotes the key (round 2)', () => {
  it('secret rule / a CAD (or proxy) answering an account whose uuid quotes the key: not in getAccount, events, console, chat, state bags', async () => {
    const { isPolice, pick } = await import('../integration/players');
    h = await startHarness({
      cad: { accounts: 40, seed: 3 },
      config: { stateBag: true },
      beforeStart: (cad) => {
        const victim = pick(cad, isPolice, 'police');
        cad.fault('rewrite', {
          rewrite: (body: any) => {
            for (const a of body.accounts ?? [body]) if (a.uuid === victim.uuid) a.uuid = `u-${API_KEY}`;
            return body;
          },
        });
      },
    });
    const victim = pick(h.cad, isPolice, 'police');
    const joined = await h.fx.connectPlayer({ name: 'Echoed', identifiers: h.cad.identitiesOf(victim.uuid) });
    const account = h.fx.callExport('sonoran_accounts', 'getAccount', joined.id) as { uuid: string; permissions: string[] } | null;
    const seen = seenAfterCadcheck(h, joined.id!, { account });
    expect(account?.permissions).toContain('police'); // the account itself is served
    expect(leakedPieces(seen, API_KEY)).toEqual([]);
  });
});

describe('secret rule: an unreadable record that quotes the key (round 2)', () => {
  it('secret rule / a record with a uuid quoting the key and no readable status, or a banned record without uuid whose API ID quotes it: not in the odd-records warning, exports or events', async () => {
    const { isPolice, pick } = await import('../integration/players');
    let others: string[] = [];
    h = await startHarness({
      cad: { accounts: 40, seed: 3 },
      beforeStart: (cad) => {
        const victim = pick(cad, isPolice, 'police');
        others = cad.accounts.filter((a) => a.uuid !== victim.uuid).slice(0, 1).map((a) => a.uuid);
        cad.fault('rewrite', {
          rewrite: (body: any) => {
            for (const a of body.accounts ?? [body]) {
              if (a.uuid === victim.uuid) {
                a.uuid = `u-${API_KEY}`;
                a.status = 'weird';
              } else if (a.uuid === others[0]) {
                a.uuid = 12345;
                a.status = 4;
                a.apiIds = [...(a.apiIds ?? []), `key=${API_KEY}`];
              }
            }
            return body;
          },
        });
      },
    });
    await waitFor(() => h!.fx.consoleLines.some((l) => l.includes('without a readable uuid')), 'the odd-records warning');
    const seen = JSON.stringify({ console: h.fx.consoleLines, events: h.fx.callExport('event_spy', 'seen') });
    expect(leakedPieces(seen, API_KEY)).toEqual([]);
  });
});
