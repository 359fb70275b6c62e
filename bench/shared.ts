// 7. Several servers of one community sharing one MariaDB (started here, Debian's mariadbd): each a
// process of its own with the BUILT resource (dev/fxnode), one fake CAD with its real limiter (1 call/s,
// burst 5, as Sonoran's v1). Production timing (lease 30 s, poll 5 s): what an owner would see.
//  - CAD calls for one community sweep with N = 1, 2, 4 servers (the minimum whatever N);
//  - 429s with 4 servers refreshing at once while each takes a burst of unknown players;
//  - follower lag: from the holder's swap to every server serving the change;
//  - failover: from the holder's process dying to another server holding the lease.
import { startFakeCad } from '../dev/fake-cad';
import { startFxNode, type FxNode } from '../dev/fxnode/client';
import { startMariaDb, type MariaDb } from '../dev/mariadb';
import { DEFAULTS } from '../src/core/config';
import { median, progress, record, sleep } from './util';

const ACCOUNTS = 500;
const KEY = 'BENCH-SHARED-KEY';
const COMMUNITY = 'bench-shared';

type Cad = Awaited<ReturnType<typeof startFakeCad>>;

const sweeps = (n: FxNode) => n.lines.filter((l) => /now sweeps|shared database lost|another server took|lost the sweep lease/.test(l)).pop()?.includes('now sweeps') ?? false;

async function until(predicate: () => Promise<boolean> | boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function startServers(n: number, cad: Cad, db: MariaDb, prefix: string): Promise<FxNode[]> {
  const convars = { sonoran_communityID: COMMUNITY, sonoran_apiKey: KEY, sonoran_apiUrl: cad.url, mysql_connection_string: db.uri() };
  const nodes = await Promise.all(Array.from({ length: n }, () => startFxNode({ convars, config: { database: { enabled: true, tablePrefix: prefix } } })));
  await until(async () => (await Promise.all(nodes.map((x) => x.exportCall<boolean>('isReady')))).every(Boolean), `${n} servers ready`);
  return nodes;
}

export async function sharedBenchmark(): Promise<void> {
  const db = await startMariaDb();
  const cad = await startFakeCad({ apiKey: KEY, communityId: COMMUNITY, accounts: ACCOUNTS, seed: 21 }); // real limiter
  const listed = (status: number) => cad.accounts.filter((a) => a.status === status).length;
  const minimum = Math.ceil(listed(1) / 100) + Math.max(1, Math.ceil(listed(4) / 100));
  const sweepCalls = () => cad.requests.filter((r) => r.path.endsWith('get_accounts')).length;
  const tooMany = () => cad.requests.filter((r) => r.status === 429).length;
  const all: FxNode[] = [];
  try {
    // 1. Calls per sweep, N = 1, 2, 4 (each on fresh tables, all servers started together).
    const perN: Record<number, number> = {};
    let four: FxNode[] = [];
    for (const n of [1, 2, 4]) {
      cad.resetRequests();
      const nodes = await startServers(n, cad, db, `bench${n}_`);
      all.push(...nodes);
      perN[n] = sweepCalls();
      progress(`shared: ${n} server(s) ready, ${perN[n]} sweep calls (minimum ${minimum})`);
      if (n === 4) four = nodes;
      else await Promise.all(nodes.map((x) => x.close()));
    }
    const ok = [1, 2, 4].every((n) => perN[n] === minimum);
    record({
      group: 7,
      metric: `CAD calls per community sweep, ${ACCOUNTS} accounts, N = 1 / 2 / 4 servers`,
      value: `${perN[1]} / ${perN[2]} / ${perN[4]} (minimum ${minimum}; alone they would make ${minimum} / ${2 * minimum} / ${4 * minimum})`,
      target: 'the minimum whatever N',
      ok,
      detail: { perN, minimum },
    });

    // 2. 4 servers refresh at once while each takes 3 unknown players: one budget, no 429.
    cad.resetRequests();
    const newcomers = Array.from({ length: 12 }, () => cad.addAccount({ status: 1 }));
    const started = Date.now();
    await Promise.all([
      ...four.map((x) => x.exportCall('refresh').catch(() => null)),
      ...newcomers.map((a, i) => four[i % 4]!.connect(`burst${i}`, cad.identitiesOf(a.uuid))),
    ]);
    const lookups = cad.requests.filter((r) => r.path.endsWith('get_account')).length;
    record({
      group: 7,
      metric: '429s: 4 servers refreshing + 12 connect lookups at once, real limiter (1/s, burst 5)',
      value: `${tooMany()} (${sweepCalls()} sweep + ${lookups} lookup calls in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      target: '0',
      ok: tooMany() === 0,
      detail: { status429: tooMany(), sweepCalls: sweepCalls(), lookupCalls: lookups },
    });

    // 3. Follower lag: the CAD changes, the holder sweeps; how long until every server serves it.
    const holder = four.find(sweeps)!;
    const lags: number[] = [];
    const victims = cad.accounts.filter((a) => a.status === 1 && a.apiIds.length > 0).slice(0, 3);
    for (const victim of victims) {
      cad.ban(victim.uuid);
      await holder.exportCall('refresh');
      const swapped = Date.now();
      await until(async () => (await Promise.all(four.map((x) => x.exportCall<{ status: number } | null>('getAccountByApiId', victim.apiIds[0])))).every((a) => a?.status === 4), 'every server serves the ban');
      lags.push(Date.now() - swapped);
    }
    const poll = DEFAULTS.database!.pollSeconds! * 1000;
    record({
      group: 7,
      metric: `follower lag: holder's swap to every server serving it (pollSeconds ${poll / 1000}), ${lags.length} sweeps`,
      value: `median ${median(lags)} ms, max ${Math.max(...lags)} ms`,
      target: '<= pollSeconds + load',
      ok: Math.max(...lags) <= poll + 2000,
      detail: { lags },
    });

    // 4. Failover: the holder's process dies; another server holds the lease within leaseSeconds + poll.
    const died = Date.now();
    await holder.kill();
    const rest = four.filter((x) => x !== holder);
    await until(() => rest.some(sweeps), 'another server takes the lease');
    const failover = Date.now() - died;
    const bound = (DEFAULTS.database!.leaseSeconds! + DEFAULTS.database!.pollSeconds!) * 1000;
    record({
      group: 7,
      metric: `failover: holder killed to another server holding the lease (leaseSeconds ${DEFAULTS.database!.leaseSeconds})`,
      value: failover,
      unit: 'ms',
      target: `<= leaseSeconds + pollSeconds`,
      ok: failover <= bound + 1000,
    });
  } finally {
    await Promise.all(all.map((x) => x.kill()));
    await cad.close();
    await db.destroy();
  }
}
