// Two servers of one community in the emulator (the built bundle), one fake CAD, one real MariaDB:
// one sweeps and the other loads its version without a CAD call; a lookup answered on one is known on
// the other; a clean stop hands the sweep over; nothing secret reaches the tables or the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startMariaDb, TEST_DB_PASSWORD, type MariaDb } from '../../dev/mariadb';
import { openDatabase } from '../../src/core/shared/database';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { connectAs } from '../integration/players';

let db: MariaDb;
let cad: FakeCad;
const servers: Harness[] = [];
beforeAll(async () => {
  db = await startMariaDb();
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 250, seed: 5 });
}, 60_000);
afterAll(async () => {
  for (const h of servers) await h.close().catch(() => {});
  await cad?.close();
  await db?.destroy();
});

const SHARED = { database: { enabled: true, leaseSeconds: 2, pollSeconds: 0.2 } };
const start = async (waitReady = true) => {
  const h = await startHarness({ existingCad: cad, config: SHARED, convars: { mysql_connection_string: db.uri() }, waitReady });
  servers.push(h);
  return h;
};
const sweepCalls = () => cad.requests.filter((r) => r.path.endsWith('get_accounts')).length;
const lookupCalls = () => cad.requests.filter((r) => r.path.endsWith('get_account')).length;
const byApiId = (h: Harness, id: string) => h.fx.callExport('sonoran_accounts', 'getAccountByApiId', id) as { username: string; status: number } | null;
const says = (h: Harness, text: string) => h.fx.consoleLines.some((l) => l.includes(text));

describe('two servers sharing one database', () => {
  it('one sweeps, the other loads it; lookups are shared; a clean stop hands the sweep over', async () => {
    const a = await start();
    await waitFor(() => says(a, 'this server now sweeps'), 'A holds the lease');
    const minimum = Math.ceil(cad.accounts.filter((x) => x.status === 1).length / 100) + Math.ceil(cad.accounts.filter((x) => x.status === 4).length / 100);
    expect(sweepCalls()).toBe(minimum);

    const b = await start();
    expect(says(b, 'loaded shared version')).toBe(true);
    expect(sweepCalls()).toBe(minimum); // B made no sweep call of its own
    const someone = cad.accounts.find((x) => x.status === 1)!;
    expect(byApiId(b, someone.apiIds[0]!)?.username).toBe(someone.username);

    // A player the caches do not know connects to B: one lookup, and A knows the account too.
    const fresh = cad.addAccount({ status: 1 });
    const joined = await connectAs(b.fx, cad, fresh);
    expect(joined.accepted).toBe(true);
    expect(lookupCalls()).toBe(1);
    await waitFor(() => byApiId(a, fresh.apiIds[0]!)?.username === fresh.username, 'A learns the lookup answer');
    expect(lookupCalls()).toBe(1);

    // A stops cleanly: its lease is released, B takes over and its next sweep reaches both... B only now.
    a.fx.stopResource('sonoran_accounts');
    await waitFor(() => says(b, 'this server now sweeps'), 'B takes the lease', 5000);
    cad.ban(someone.uuid);
    const before = sweepCalls();
    await b.fx.callExport('sonoran_accounts', 'refresh');
    expect(sweepCalls()).toBeGreaterThan(before);
    expect(byApiId(b, someone.apiIds[0]!)?.status).toBe(4);

    // Nothing secret in any table, nor the database password on any console.
    const parsed = parseConnectionString(db.uri());
    if (!parsed.ok) throw new Error(parsed.error);
    const probe = openDatabase(parsed.connection);
    const tables = await probe.query<{ t: string }[]>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'sonoran\\_accounts\\_%'");
    expect(tables.length).toBe(10);
    for (const { t } of tables) {
      const dump = JSON.stringify(await probe.query(`SELECT * FROM \`${t}\``));
      expect(dump).not.toContain(API_KEY);
      expect(dump).not.toContain(COMMUNITY_ID);
      expect(dump).not.toContain(TEST_DB_PASSWORD);
    }
    await probe.close();
    for (const h of [a, b]) expect(h.fx.consoleLines.join('\n')).not.toContain(TEST_DB_PASSWORD);
  });
});
