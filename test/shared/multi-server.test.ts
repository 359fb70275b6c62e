// Three emulated FXServers in three processes (the built bundle), one fake CAD with its real limiter
// (1 call/s, burst 5, as Sonoran), one MariaDB. They start together: one sweeps, the others load its
// version. Connects on every server share the rate budget: no 429. Kill the holder: another takes
// over and its sweep reaches the others. Stop the database: they run alone; restart it: they share
// again. The CAD changes in between and every server ends up serving the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startFxNode, type FxNode } from '../../dev/fxnode/client';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { API_KEY, COMMUNITY_ID, waitFor, type FakeCad } from '../integration/harness';

let db: MariaDb;
let cad: FakeCad;
let nodes: FxNode[] = [];
beforeAll(async () => {
  db = await startMariaDb();
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, accounts: 250, seed: 11 }); // real limiter
}, 60_000);
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  await cad?.close();
  await db?.destroy();
});

const CONFIG = { refreshMinutes: 60, database: { enabled: true, leaseSeconds: 2, pollSeconds: 0.25 } };
const startNode = () =>
  startFxNode({ convars: { sonoran_communityID: COMMUNITY_ID, sonoran_apiKey: API_KEY, sonoran_apiUrl: cad.url, mysql_connection_string: db.uri() }, config: CONFIG });
const sweeps = (n: FxNode) => n.lines.filter((l) => /now sweeps|shared database lost|another server took|lost the sweep lease/.test(l)).pop()?.includes('now sweeps') ?? false;
const says = (n: FxNode, text: string) => n.lines.filter((l) => l.includes(text)).length;
const sweepCalls = () => cad.requests.filter((r) => r.path.endsWith('get_accounts')).length;
const tooMany = () => cad.requests.filter((r) => r.status === 429).length;
const statusOn = async (n: FxNode, apiId: string) => (await n.exportCall<{ status: number } | null>('getAccountByApiId', apiId))?.status ?? null;
const ready = async (n: FxNode) => (await n.exportCall<boolean>('isReady')) === true;
const waitAsync = async (predicate: () => Promise<boolean>, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('three servers, one community, one database', () => {
  it('share one sweep and one budget; survive the holder dying and the database going away', async () => {
    const listed = (status: number) => cad.accounts.filter((a) => a.status === status).length;
    const minimum = Math.ceil(listed(1) / 100) + Math.max(1, Math.ceil(listed(4) / 100));

    // 1. Start together: exactly one sweeps, the others serve its version.
    nodes = await Promise.all([startNode(), startNode(), startNode()]);
    await waitAsync(async () => (await Promise.all(nodes.map(ready))).every(Boolean), 'all three ready', 30_000);
    expect(nodes.filter(sweeps)).toHaveLength(1);
    expect(sweepCalls()).toBe(minimum);
    const [holder] = nodes.filter(sweeps);
    const followers = nodes.filter((n) => n !== holder);
    for (const f of followers) expect(says(f, 'loaded shared version')).toBe(1);

    // 2. Connect bursts on every server at once: the lookups take turns in the one budget.
    // Six lookups at once: alone, each server would pace only itself (3 calls a second on one key).
    const newcomers = [...nodes, ...nodes].map(() => cad.addAccount({ status: 1 }));
    const joins = await Promise.all(newcomers.map((a, i) => nodes[i % 3]!.connect(`new${i}`, cad.identitiesOf(a.uuid))));
    expect(joins.every((j) => j.accepted)).toBe(true);
    expect(cad.requests.filter((r) => r.path.endsWith('get_account')).length).toBe(6);
    // What one server looked up, every server knows.
    for (const n of nodes) await waitAsync(async () => (await statusOn(n, newcomers[0]!.apiIds[0]!)) === 1, 'lookup shared');

    // 3. The holder dies. Another takes over within the lease; the CAD changes; its sweep reaches all.
    const banned = cad.accounts.find((a) => a.status === 1 && a.apiIds.length > 0)!;
    await holder!.kill();
    await waitFor(() => followers.some(sweeps), 'a follower takes over', 10_000);
    const next = followers.find(sweeps)!;
    const other = followers.find((n) => n !== next)!;
    cad.ban(banned.uuid);
    await next.exportCall('refresh');
    await waitAsync(async () => (await statusOn(other, banned.apiIds[0]!)) === 4, 'the new version on the other');
    const kept = await other.connect('banned', cad.identitiesOf(banned.uuid));
    expect([kept.accepted, kept.reason]).toEqual([false, expect.stringContaining('banned')]);

    // 4. The database goes away: both keep serving, a refresh sweeps alone; it comes back: they share.
    await db.stop('SIGKILL');
    await waitFor(() => followers.every((n) => says(n, 'shared database lost') === 1), 'both run alone', 10_000);
    cad.unban(banned.uuid);
    await other.exportCall('refresh');
    expect(await statusOn(other, banned.apiIds[0]!)).toBe(1);
    expect(await statusOn(next, banned.apiIds[0]!)).toBe(4); // its own last sweep; nothing half-loaded
    await db.start();
    await waitFor(() => followers.every((n) => says(n, 'shared database is back') === 1), 'both back', 10_000);
    await waitFor(() => followers.filter(sweeps).length === 1, 'one holder again', 10_000);
    const sweeper = followers.find(sweeps)!;
    await sweeper.exportCall('refresh');
    for (const n of followers) await waitAsync(async () => (await statusOn(n, banned.apiIds[0]!)) === 1, 'the unban everywhere');

    // All along, three servers on one key never drew a 429 from the real limiter.
    expect(tooMany()).toBe(0);
    for (const n of nodes) expect(n.lines.join('\n')).not.toContain(API_KEY);
  }, 120_000);
});
