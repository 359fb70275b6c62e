// Issue 21, shared mode: the lease holder runs the online refresh for the online players of every server.
// Two servers of one community in the emulator (the built bundle), one fake CAD, one real MariaDB, in
// real time (onlineRefreshMinutes is 1 at least). The follower's own online refresh is off, so only the
// holder can bring its player's revoke: it does within onlineRefreshMinutes (+ a 15 s check + a poll),
// having learnt who is online there from the shared table, which holds the account's uuid and nothing
// that names the player.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { openDatabase } from '../../src/core/shared/database';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { connectAs, isPolice, pick } from '../integration/players';

let db: MariaDb;
let cad: FakeCad;
const servers: Harness[] = [];
beforeAll(async () => {
  db = await startMariaDb();
  // 1,200 accounts: a sweep is 13 calls, so one online player is refreshed by a lookup, not a sweep.
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 1200, seed: 7 });
}, 60_000);
afterAll(async () => {
  for (const h of servers) await h.close().catch(() => {});
  await cad?.close();
  await db?.destroy();
});

const POLL_SECONDS = 0.2;
const start = async (onlineRefreshMinutes: number) => {
  const h = await startHarness({
    existingCad: cad,
    config: { database: { enabled: true, leaseSeconds: 2, pollSeconds: POLL_SECONDS }, freshness: { banWatchSeconds: 0, onlineRefreshMinutes } },
    convars: { mysql_connection_string: db.uri() },
  });
  servers.push(h);
  return h;
};
const says = (h: Harness, text: string) => h.fx.consoleLines.some((l) => l.includes(text));
const until = async (done: () => Promise<boolean>, what: string, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const lookupsSince = (at: number) => cad.requests.filter((r) => r.at >= at && r.path.endsWith('get_account'));

describe("the holder refreshes a follower's online players (issue 21)", () => {
  it("a revoke of a follower's online player reaches that player through the holder's online refresh", async () => {
    const a = await start(1);
    await waitFor(() => says(a, 'this server now sweeps'), 'A holds the lease');
    const b = await start(0);
    expect(says(b, 'this server now sweeps')).toBe(false);

    const officer = pick(cad, (x) => isPolice(x) && x.apiIds.length > 0, 'police');
    const { id, accepted } = await connectAs(b.fx, cad, officer, 'Officer');
    expect(accepted).toBe(true);
    expect(b.fx.callExport('sonoran_accounts', 'hasPermission', id, 'police')).toBe(true);

    // B published its online player for the holder: the account's uuid, no identifier of the player.
    const parsed = parseConnectionString(db.uri());
    if (!parsed.ok) throw new Error(parsed.error);
    const probe = openDatabase(parsed.connection);
    const rows = () => probe.query<{ holder: string; uuid: string }[]>('SELECT holder, uuid FROM `sonoran_accounts_online`');
    await until(async () => (await rows()).length === 1, 'B publishes its online player');
    expect((await rows()).map((r) => r.uuid)).toEqual([officer.uuid.toLowerCase()]);
    const dump = JSON.stringify(await probe.query('SELECT * FROM `sonoran_accounts_online`'));
    for (const identifier of cad.identitiesOf(officer.uuid)) expect(dump).not.toContain(identifier.slice(identifier.indexOf(':') + 1));

    const revokedAt = Date.now();
    cad.revoke(officer.uuid, 'police');
    await waitFor(() => b.fx.callExport('sonoran_accounts', 'hasPermission', id, 'police') === false, "the revoke reaches B's player", 100_000);
    // The account was observed by A's sweep before the revoke: at most onlineRefreshMinutes old, then a
    // 15 s check at most, a poll to B, and a few seconds for a loaded machine.
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(60_000 + 15_000 + POLL_SECONDS * 1000 + 5000);
    // Looked up once, by the holder (B's own refresh is off and A has nobody online of its own).
    expect(lookupsSince(revokedAt).length).toBe(1);
    expect((a.fx.callExport('sonoran_accounts', 'getAccountByApiId', officer.apiIds[0]) as { permissions: string[] }).permissions).not.toContain('police');

    // The player leaves B: its row goes at B's next poll.
    b.fx.dropPlayer(id!);
    await until(async () => (await rows()).length === 0, "B's online list emptied");
    await probe.close();
  }, 150_000);
});
