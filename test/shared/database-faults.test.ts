// The database is a convenience, never a new way to fail: down at start, each server runs alone with one
// warning and rejoins when it is back; lost mid-way, the same, and nothing already served is lost;
// wrong credentials, one clear error naming the convar (and never the password). Built bundle, emulator,
// a real MariaDB stopped and started under it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startMariaDb, TEST_DB_PASSWORD, TEST_DB_USER, type MariaDb } from '../../dev/mariadb';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { connectAs } from '../integration/players';

let db: MariaDb;
let cad: FakeCad;
let servers: Harness[] = [];
beforeAll(async () => {
  db = await startMariaDb();
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 150, seed: 8 });
}, 60_000);
afterEach(async () => {
  const closing = servers;
  servers = [];
  // A refresh the poll loop started may still be writing its snapshot: let it finish before closing.
  await waitFor(() => closing.every((h) => !info(h).refreshing), 'refreshes settled').catch(() => {});
  for (const h of closing) await h.close();
  if (!db.running) await db.start();
});
afterAll(async () => {
  await cad?.close();
  await db?.destroy();
});

const SHARED = { database: { enabled: true, leaseSeconds: 2, pollSeconds: 0.2 } };
const start = async (connection: string, prefix: string) => {
  const h = await startHarness({ existingCad: cad, config: { ...SHARED, database: { ...SHARED.database, tablePrefix: prefix } }, convars: { mysql_connection_string: connection } });
  servers.push(h);
  return h;
};
const lines = (h: Harness, text: string) => h.fx.consoleLines.filter((l) => l.includes(text));
const sweepCalls = () => cad.requests.filter((r) => r.path.endsWith('get_accounts')).length;
/** Holds the lease now: its last word on the lease was taking it (not losing the database or the lease). */
const sweeps = (h: Harness) => {
  const last = h.fx.consoleLines.filter((l) => /now sweeps|shared database lost|another server took|lost the sweep lease/.test(l)).pop();
  return last?.includes('now sweeps') ?? false;
};
const info = (h: Harness) => h.fx.callExport('sonoran_accounts', 'getCacheInfo') as { ready: boolean; accounts: number; refreshing: boolean };

describe('shared database faults', () => {
  it('down at start: runs alone with one warning, rejoins and publishes when it is back', async () => {
    await db.stop();
    const a = await start(db.uri(), 'down_');
    expect(info(a)).toMatchObject({ ready: true, accounts: 150 - cad.accounts.filter((x) => x.status === 0 || x.status === 2 || x.status === 3).length });
    await new Promise((r) => setTimeout(r, 800)); // several polls against the dead database
    expect(lines(a, 'shared database unreachable')).toHaveLength(1);
    expect(lines(a, 'running alone')).toHaveLength(1);

    await db.start();
    await waitFor(() => lines(a, 'shared database is back').length === 1, 'rejoined');
    await waitFor(() => lines(a, 'this server now sweeps').length === 1, 'holds the lease');
    // A second server now joins and loads what the first published, without a sweep of its own.
    await waitFor(() => lines(a, 'synced').length >= 2, 'a sweep published after rejoining');
    const calls = sweepCalls();
    const b = await start(db.uri(), 'down_');
    expect(lines(b, 'loaded shared version')).toHaveLength(1);
    expect(sweepCalls()).toBe(calls);
  });

  it('lost mid-way: both keep serving and sweeping alone, then share again', async () => {
    const a = await start(db.keyValue(), 'lost_');
    const b = await start(db.keyValue(), 'lost_');
    const [holder, follower] = lines(a, 'this server now sweeps').length ? [a, b] : [b, a];
    const served = info(follower).accounts;
    await db.stop('SIGKILL');
    await waitFor(() => lines(follower, 'shared database lost').length === 1 && lines(holder, 'shared database lost').length === 1, 'both noticed');
    expect(info(follower)).toMatchObject({ ready: true, accounts: served });

    // Alone: a refresh sweeps the CAD itself, connects still work, and the promise keeps: bans hold.
    const banned = cad.accounts.find((x) => x.status === 1)!;
    cad.ban(banned.uuid);
    const before = sweepCalls();
    await follower.fx.callExport('sonoran_accounts', 'refresh');
    expect(sweepCalls()).toBeGreaterThan(before);
    const rejected = await connectAs(follower.fx, cad, banned);
    expect([rejected.accepted, rejected.reason]).toEqual([false, expect.stringContaining('banned')]);
    expect(lines(follower, 'shared database lost')).toHaveLength(1);

    await db.start();
    await waitFor(() => lines(a, 'shared database is back').length === 1 && lines(b, 'shared database is back').length === 1, 'both back');
    await waitFor(() => sweeps(a) || sweeps(b), 'a holder again');
    cad.unban(banned.uuid);
    const sweeper = sweeps(a) ? a : b;
    const other = sweeper === a ? b : a;
    expect(sweeps(other)).toBe(false);
    await sweeper.fx.callExport('sonoran_accounts', 'refresh');
    await waitFor(() => (other.fx.callExport('sonoran_accounts', 'getAccountByApiId', banned.apiIds[0]!) as { status: number } | null)?.status === 1, 'the other loads the new version');
  });

  it('wrong credentials: one clear error naming the convar, never the password; the server runs alone', async () => {
    const wrong = `mysql://${TEST_DB_USER}:not-the-${TEST_DB_PASSWORD}@127.0.0.1:${db.port}/fivem`;
    const a = await start(wrong, 'creds_');
    expect(info(a).ready).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    const errors = lines(a, 'mysql_connection_string');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/error:.*refused this server.*Access denied/);
    const all = a.fx.consoleLines.join('\n');
    expect(all).not.toContain(TEST_DB_PASSWORD);
  });
});
