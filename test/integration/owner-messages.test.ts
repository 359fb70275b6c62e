// What an owner and a player are told (issue 24): /cadcheck names what is missing or which URL cannot be
// reached instead of "not ready yet", labels linkable IDs with their type; a Lua author's
// hasAnyPermission(id, "dispatch") works; a pending account found at connect is not "removed" by a sweep
// that never reads pending accounts.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { connectAs, isPolice, pick, strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lastChat = (id: number) => {
  const messages = h!.fx.chatOf(id) as { args: string[] }[];
  return messages[messages.length - 1]?.args.join(' ') ?? '';
};
const waitFor = async (check: () => boolean, what: string, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('/cadcheck before the cache is ready', () => {
  it('with no API key says the key is missing, not "try again shortly"', async () => {
    h = await startHarness({ cad: { accounts: 5 }, convars: { sonoran_apiKey: '' }, waitReady: false });
    const { id } = await h.fx.connectPlayer({ name: 'Early', identifiers: strangerIdentifiers() });
    h.fx.command(id!, 'cadcheck');
    expect(lastChat(id!)).toContain('no API key');
    expect(lastChat(id!)).not.toMatch(/try again shortly/);
    const before = h.fx.consoleLines.length;
    h.fx.command(0, 'cadcheck');
    expect(h.fx.consoleLines.slice(before).join('\n')).toContain('sonoran_apiKey');
  });

  it('with no community ID on API v1 says the community ID is missing', async () => {
    h = await startHarness({ cad: { accounts: 5 }, convars: { sonoran_communityID: '' }, waitReady: false });
    const before = h.fx.consoleLines.length;
    h.fx.command(0, 'cadcheck');
    expect(h.fx.consoleLines.slice(before).join('\n')).toContain('no community ID');
  });

  it('with the CAD unreachable names the URL and when the next try is, in chat and on the console', async () => {
    const url = 'http://127.0.0.1:9';
    h = await startHarness({ cad: { accounts: 5 }, convars: { sonoran_apiUrl: url }, waitReady: false });
    await waitFor(() => h!.fx.consoleLines.some((l) => l.includes('account sweep failed')), 'the first failure', 20_000);
    const failure = h.fx.consoleLines.find((l) => l.includes('account sweep failed'))!;
    expect(failure).toContain(url);
    expect(failure).toMatch(/next try in \d+ s/);
    const { id } = await h.fx.connectPlayer({ name: 'Early', identifiers: strangerIdentifiers() });
    h.fx.command(id!, 'cadcheck');
    expect(lastChat(id!)).toContain(url);
    expect(lastChat(id!)).toMatch(/next try in \d+ s/);
  }, 30_000);
});

describe('/cadcheck for a player without an account', () => {
  it('labels each linkable ID with its type', async () => {
    h = await startHarness({ cad: { accounts: 5 } });
    const ids = strangerIdentifiers();
    const { id } = await h.fx.connectPlayer({ name: 'Stranger', identifiers: ids });
    h.fx.command(id!, 'cadcheck');
    const [license, steam, discord] = ids.map((i) => i.slice(i.indexOf(':') + 1));
    expect(lastChat(id!)).toContain(`${license} (license)`);
    expect(lastChat(id!)).toContain(`${steam} (steam)`);
    expect(lastChat(id!)).toContain(`${discord} (discord)`);
  });
});

describe('hasAnyPermission with one name instead of a list (as Lua authors write it)', () => {
  it('answers as hasPermission does', async () => {
    h = await startHarness({ cad: { accounts: 40, seed: 5 } });
    const officer = (await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'))).id!;
    const civilian = (await connectAs(h.fx, h.cad, null)).id!;
    expect(h.fx.callExport('sonoran_accounts', 'hasAnyPermission', officer, 'police')).toBe(true);
    expect(h.fx.callExport('sonoran_accounts', 'hasAnyPermission', String(officer), 'POLICE')).toBe(true);
    expect(h.fx.callExport('sonoran_accounts', 'hasAnyPermission', civilian, 'police')).toBe(false);
    expect(h.fx.callExport('sonoran_accounts', 'hasAnyPermission', officer, 42)).toBe(false);
  });
});

describe('a pending account found at connect', () => {
  it('is not reported removed by a sweep that does not read pending accounts', async () => {
    h = await startHarness({ cad: { accounts: 10, seed: 4 } });
    const pending = h.cad.addAccount({ status: 0 });
    const { id, accepted } = await connectAs(h.fx, h.cad, pending, 'Newcomer');
    expect(accepted).toBe(true);
    await waitFor(() => (h!.fx.callExport('sonoran_accounts', 'getAccount', id) as { status?: number } | null)?.status === 0, 'the lookup to find the pending account');
    h.fx.callExport('event_spy', 'clear');

    const summary = (await h.fx.callExport('sonoran_accounts', 'refresh')) as { removed: number; changes: { uuid: string }[] };
    expect(summary.removed).toBe(0);
    expect(summary.changes.map((c) => c.uuid)).not.toContain(pending.uuid);
    const seen = h.fx.callExport('event_spy', 'seen') as { name: string; args: unknown[] }[];
    expect(seen.filter((e) => e.name === 'playerUpdated')).toEqual([]);
    expect(h.fx.callExport('sonoran_accounts', 'getAccount', id)).toMatchObject({ uuid: pending.uuid, status: 0 });

    // The CAD activates it: the sweep reads it as active and the player hears about it.
    h.cad.updateAccount(pending.uuid, { status: 1 });
    await h.fx.callExport('sonoran_accounts', 'refresh');
    expect(h.fx.callExport('sonoran_accounts', 'getAccount', id)).toMatchObject({ uuid: pending.uuid, status: 1 });
  });
});

describe('locales/overrides.json (an owner\'s wording, never shipped)', () => {
  it('replaces the messages it names, in the language in force, and reports names that are none', async () => {
    h = await startHarness({
      cad: { accounts: 5 },
      config: { locale: 'de' },
      files: { 'locales/overrides.json': JSON.stringify({ 'cadcheck.selfNone': 'Verknüpfe eine dieser IDs: {identifiers}', 'cadcheck.selfnone': 'x' }) },
    });
    const { id } = await h.fx.connectPlayer({ name: 'Neu', identifiers: strangerIdentifiers() });
    h.fx.command(id!, 'cadcheck');
    expect(lastChat(id!)).toMatch(/^Sonoran CAD Verknüpfe eine dieser IDs: \S+ \(license\)/);
    expect(h.fx.consoleLines.filter((l) => l.includes('locales/overrides.json: unknown message "cadcheck.selfnone"'))).toHaveLength(1);
  });
});
