// The status endpoints of two servers sharing one real MariaDB (built bundle in the emulator, over HTTP):
// each one says whether it sweeps and names the same lease holder, and the database password never
// appears. The figures' own rules on the memory store: status.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startMariaDb, TEST_DB_PASSWORD, type MariaDb } from '../../dev/mariadb';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { bearer, httpGet } from '../integration/http-get';

const TOKEN = 'shared-status-token-5d2e8b1f';
let db: MariaDb;
let cad: FakeCad;
const servers: Harness[] = [];
beforeAll(async () => {
  db = await startMariaDb();
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 50 });
}, 60_000);
afterAll(async () => {
  for (const h of servers) await h.close().catch(() => {});
  await cad?.close();
  await db?.destroy();
});

const start = async () => {
  const h = await startHarness({
    existingCad: cad,
    config: { database: { enabled: true, leaseSeconds: 2, pollSeconds: 0.2 } },
    convars: { mysql_connection_string: db.uri(), sonoran_accounts_statusToken: TOKEN },
  });
  servers.push(h);
  return h;
};
const status = async (h: Harness) => {
  const answer = await httpGet(h.fx, '/sonoran_accounts/status', bearer(TOKEN));
  expect(answer.status).toBe(200);
  expect(answer.body).not.toContain(TEST_DB_PASSWORD);
  return JSON.parse(answer.body) as { accounts: number; shared: { mode: string; sweeping: boolean; server: string; leaseHolder: string | null } | null };
};

describe('status of servers sharing a database', () => {
  it('the sweeping server and the following one name the same lease holder, in JSON and in metrics', async () => {
    const a = await start();
    await waitFor(() => a.fx.consoleLines.some((l) => l.includes('this server now sweeps')), 'A holds the lease');
    const b = await start();
    let seenA = await status(a);
    let seenB = await status(b);
    for (let i = 0; i < 50 && seenB.shared?.leaseHolder !== seenA.shared?.server; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seenB = await status(b);
    }
    seenA = await status(a);
    expect(seenA.shared).toMatchObject({ mode: 'shared', sweeping: true });
    expect(seenA.shared!.leaseHolder).toBe(seenA.shared!.server);
    expect(seenB.shared).toMatchObject({ mode: 'shared', sweeping: false, leaseHolder: seenA.shared!.server });
    expect(seenB.shared!.server).not.toBe(seenA.shared!.server);
    expect(seenB.accounts).toBe(seenA.accounts);

    const metrics = await httpGet(b.fx, '/sonoran_accounts/metrics', bearer(TOKEN));
    expect(metrics.body).toContain('\nsonoran_accounts_shared_sweeping 0\n');
    expect(metrics.body).toContain(`lease_holder="${seenA.shared!.server}"} 1\n`);
    expect(metrics.body).not.toContain(TEST_DB_PASSWORD);
  }, 60_000);
});
