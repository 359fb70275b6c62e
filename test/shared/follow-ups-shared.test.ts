// Issue 20, hole 1: a follower admits a stranger without an answer (the CAD slow at connect); the
// stranger's new CAD account is banned. A lone server finds and drops such a player within seconds;
// a follower must too (it follows up with a lookup: pulling a sweep forward on a follower sweeps
// nothing). Built bundle in the emulator, two servers on one real MariaDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { strangerIdentifiers } from '../integration/players';

let db: MariaDb;
let cad: FakeCad;
const servers: Harness[] = [];
beforeAll(async () => {
  db = await startMariaDb();
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 11 });
}, 60_000);
afterAll(async () => {
  for (const h of servers) await h.close().catch(() => {});
  await cad?.close();
  await db?.destroy();
});

// The connect lookup hangs past the 1 s connect deadline (request timeout 3 s): admitted without an answer.
const CONFIG = { database: { enabled: true, leaseSeconds: 2, pollSeconds: 0.2 }, connect: { timeoutSeconds: 1 }, requestTimeoutSeconds: 3 };
const start = async (tablePrefix = 'sonoran_accounts_') => {
  const h = await startHarness({ existingCad: cad, config: { ...CONFIG, database: { ...CONFIG.database, tablePrefix } }, convars: { mysql_connection_string: db.uri() } });
  servers.push(h);
  return h;
};
const says = (h: Harness, text: string) => h.fx.consoleLines.some((l) => l.includes(text));

describe('a follower admits a stranger without an answer (hole 1)', () => {
  it('follows the miss up and drops the player when the account turns out banned', async () => {
    const a = await start();
    await waitFor(() => says(a, 'this server now sweeps'), 'A holds the lease');
    const b = await start();
    expect(says(b, 'loaded shared version')).toBe(true);
    expect(says(b, 'this server now sweeps')).toBe(false);

    const ids = strangerIdentifiers();
    cad.addAccount({ status: 4, apiIds: [ids[0]!.slice('license:'.length)] });
    cad.fault('hang', { route: 'account', times: 1 });
    const joined = await b.fx.connectPlayer({ name: 'Stranger', identifiers: ids });
    expect(joined.accepted).toBe(true); // whenCadUnavailable "allow": admitted by policy
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === joined.id), 'B drops the banned stranger', 8000);
    expect(b.fx.droppedBy.find((d) => d.id === joined.id)?.reason).toMatch(/banned/);
  }, 30_000);

  // Hole 1's second half: a miss is compared with when the holder's sweep that produced a version BEGAN,
  // not with when this follower loaded it. The stranger is missed after A's sweep began (its pages
  // were read before their account existed) and before B loads that version: the version never saw
  // them, so the miss must still be followed up. Compared with the load start, the load would clear it
  // and the banned player would stay until the next sweep (refreshMinutes).
  it('a miss recorded after the holder\'s sweep began, before the follower loaded its version, is still followed up', async () => {
    const a = await start('fu2_');
    await waitFor(() => says(a, 'this server now sweeps'), 'A holds the lease');
    const b = await start('fu2_');
    await waitFor(() => says(b, 'loaded shared version'), 'B follows A');
    const loadedBefore = b.fx.consoleLines.filter((l) => l.includes('loaded shared version')).length;

    // Every single lookup fails (503): the connect lookup (admitted by policy, without an answer) and
    // B's first follow-up, which then pauses 15 s before it tries again.
    const down = cad.fault('5xx', { route: 'account' });
    // A's pages are read at once and delivered 1.5 s later: the sweep began before the stranger connects.
    const slow = cad.fault('latency', { ms: 1500, route: 'accounts', late: true });
    const sweep = a.fx.callExport('sonoran_accounts', 'refresh') as Promise<{ ok: boolean }>;
    await waitFor(() => cad.requests.some((r) => r.path.endsWith('get_accounts') && r.fault === 'latency'), 'A\'s sweep began');
    const ids = strangerIdentifiers();
    const joined = await b.fx.connectPlayer({ name: 'Stranger', identifiers: ids });
    expect(joined.accepted).toBe(true); // admitted without an answer
    await sweep;
    slow.clear();
    await waitFor(() => b.fx.consoleLines.filter((l) => l.includes('loaded shared version')).length > loadedBefore, 'B loads the version of A\'s sweep');
    // B's first follow-up has given up (no lookup for 2.5 s): nothing is on its way to the CAD for them.
    await waitFor(() => {
      const last = cad.requests.filter((r) => r.path.endsWith('get_account')).pop();
      return last !== undefined && Date.now() - last.at > 2500;
    }, 'the first follow-up failed', 12_000);
    expect(b.fx.droppedBy.some((d) => d.id === joined.id)).toBe(false);

    // Only now does the stranger's (banned) account exist, and the CAD answer lookups again.
    cad.addAccount({ status: 4, apiIds: [ids[0]!.slice('license:'.length)] });
    down.clear();
    // B's follow-up tries again after its pause and drops the banned player.
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === joined.id), 'B drops the banned stranger', 25_000);
    expect(b.fx.droppedBy.find((d) => d.id === joined.id)?.reason).toMatch(/banned/);
  }, 45_000);
});
