// Issue 20's guarantees for several servers sharing one database, as a model-based property: 2-4 real
// refreshers, each plugged into a real Sharing over one memory store (the store's executable model), one
// in-memory CAD whose answers are held until the test delivers them, all on one manual clock (each
// server's own clock skewed by up to 3 s). fast-check generates interleavings of sweeps, lookups, CAD
// bans / unbans / new accounts, answers delivered in any order or failed, the database down / up / slow,
// the lease expiring under its holder, a server crashing and starting again, the shared rows deleted,
// and time passing. After every step:
// (I1) a ban a server shows while connected reaches every server connected since, within pollSeconds
//      plus a margin; (I2) the current shared version's sweep start never goes back; (I3) while the
//      database is up, only the lease holder pages the CAD; (I4) while it is down, each server still
//      enforces every ban it showed. The seed is printed on failure; FC_SEED / FC_RUNS replay or widen.
// The same model runs a second time on a real MariaDB (dev/mariadb.ts) through mysql-store.ts, its
// clock set to the model's before every statement (SET timestamp) and no timer fired while a call is
// on its way: 100 runs by default (about 15 s), FC_DB_RUNS (or FC_RUNS) for more.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { createAccountCache } from '../../src/core/account-cache';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { openDatabase, type Db, type Queryable } from '../../src/core/shared/database';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import { createMysqlStore } from '../../src/core/shared/mysql-store';
import { tableNames } from '../../src/core/shared/schema';
import { createSharing, type Sharing } from '../../src/core/shared/sharing';
import type { SharedStore } from '../../src/core/shared/store';
import type { Clock, HttpTransport } from '../../src/core/types';
import { captureLog, configFor, manualClock, memoryFiles } from '../core/helpers';
import { memoryCad } from './memory-cad';

const POLL_MS = 1000;
const LEASE_MS = 3000;
/** I1's margin beyond one poll: a version or lookup read at the poll, merged within the step after. */
const MARGIN_MS = 1500;
const SLOW_MS = 700;

const opArb = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('deliver' as const), i: fc.nat(9) }), weight: 10 },
  { arbitrary: fc.record({ op: fc.constant('deliverAll' as const) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('fail' as const), i: fc.nat(9) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 4000 }) }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('sweep' as const), server: fc.nat(3) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('lookup' as const), server: fc.nat(3), account: fc.nat(9) }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('ban' as const), account: fc.nat(9) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('unban' as const), account: fc.nat(9) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('newAccount' as const), banned: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('dbDown' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('dbUp' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('dbSlow' as const), slow: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('leaseExpiry' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('crash' as const), server: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('deleteRows' as const), lease: fc.boolean(), state: fc.boolean() }), weight: 1 },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const scenarioArb = fc.record({
  servers: fc.integer({ min: 2, max: 4 }),
  skews: fc.array(fc.integer({ min: -3000, max: 3000 }), { minLength: 4, maxLength: 4 }),
  accounts: fc.array(fc.constantFrom(1, 1, 4), { minLength: 2, maxLength: 6 }),
  ops: fc.array(opArb, { minLength: 10, maxLength: 70 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Server {
  name: string;
  clock: Clock;
  cache: ReturnType<typeof createAccountCache>;
  sharing: Sharing;
  startedAt: number;
  dead: { value: boolean };
  /** Bans this instance showed while the database was down (I4): uuid -> CAD ban episode. */
  shownAlone: Map<string, number>;
}

/** Where the servers share: the memory store, or a real MariaDB whose clock is the model's (SET timestamp). */
interface Backend {
  /** One server instance's store (every call of every instance goes to the same shared rows). */
  store(): SharedStore;
  /** The lease as the shared rows hold it now (I3). */
  lease(): { holder: string; expiresAt: number };
  /** When the current version's sweep began (I2), or null with none. */
  currentStart(): Promise<number | null>;
  /** Versions published so far. */
  published(): number;
  expireLease(): Promise<void>;
  /** An owner deleting the lease and/or state row: the store recreates them as mysql-store.ts does. */
  deleteRows(lease: boolean, state: boolean): Promise<void>;
  /** Resolves once no call is on its way to the database. */
  idle(): Promise<void>;
}
type BackendFactory = (clock: Clock) => Backend;

const START = 10_000_000;

function memoryBackend(clock: Clock): Backend {
  const shared = memoryShared();
  return {
    store: () => createMemoryStore(shared, clock),
    lease: () => shared.lease,
    currentStart: async () => (shared.current === null ? null : shared.versions.get(shared.current)!.info.startedAt),
    published: () => shared.nextVersion - 1,
    async expireLease() {
      shared.lease.expiresAt = 0;
    },
    async deleteRows(lease, state) {
      // What the store finds when it recreates them (mysql-store.ts): a free lease; the latest sweep's
      // version stored as the current one.
      if (lease) shared.lease = { holder: '', token: shared.lease.token, expiresAt: 0 };
      if (state) shared.current = [...shared.versions.values()].sort((a, b) => b.info.startedAt - a.info.startedAt || b.info.id - a.info.id)[0]?.info.id ?? null;
    },
    idle: async () => {},
  };
}

/**
 * A Db whose NOW() is the model's clock: each statement runs after `SET timestamp` on its connection
 * (MariaDB and MySQL fix NOW() for the session), so leases, tokens and versions are timed by the model.
 */
function onModelTime(db: Db, clock: Clock, calls: { inflight: number }): Db {
  const at = (q: Queryable) => q.query(`SET timestamp = ${(clock.now() / 1000).toFixed(3)}`);
  const counted = async <T>(call: () => Promise<T>): Promise<T> => {
    calls.inflight += 1;
    try {
      return await call();
    } finally {
      calls.inflight -= 1;
    }
  };
  return {
    query: (sql, params) => counted(() => db.session(async (q) => (await at(q), q.query(sql, params)))),
    transaction: (work, opts) => counted(() => db.transaction(async (q) => (await at(q), work(q)), opts)),
    session: (work) => counted(() => db.session(async (q) => (await at(q), work(q)))),
    close: async () => {},
  };
}

/** The servers share a real MariaDB (one community per run, fresh rows); the lease is mirrored from the calls' answers. */
function mariaDbBackend(pool: Db, prefix: string): BackendFactory {
  const t = tableNames(prefix);
  return (clock) => {
    const community = randomBytes(8).toString('hex');
    const calls = { inflight: 0 };
    const db = onModelTime(pool, clock, calls);
    // Every change of the lease goes through a server's call (timed by the model) or the test's own ops.
    const lease = { holder: '', token: 0, expiresAt: 0 };
    let published = 0;
    return {
      store() {
        const real = createMysqlStore(db, prefix, community);
        return {
          ...real,
          async takeLease(holder, token, ttlMs) {
            const at = clock.now();
            const answer = await real.takeLease(holder, token, ttlMs);
            if (answer.held) Object.assign(lease, { holder, token: answer.token, expiresAt: at + ttlMs });
            return answer;
          },
          async releaseLease(holder, token) {
            await real.releaseLease(holder, token);
            if (lease.holder === holder && lease.token === token) lease.expiresAt = 0;
          },
          async publish(holder, token, version) {
            const id = await real.publish(holder, token, version);
            if (id !== null) published += 1;
            return id;
          },
        };
      },
      lease: () => lease,
      async currentStart() {
        const rows = await pool.query<{ started_at: number | string }[]>(`SELECT v.started_at FROM ${t.state} s JOIN ${t.versions} v ON v.id = s.current_version WHERE s.community = ?`, [community]);
        return rows[0] ? Number(rows[0].started_at) : null;
      },
      published: () => published,
      async expireLease() {
        await pool.query(`UPDATE ${t.lease} SET expires_at = 0 WHERE community = ?`, [community]);
        lease.expiresAt = 0;
      },
      async deleteRows(deleteLease, deleteState) {
        if (deleteLease) await pool.query(`DELETE FROM ${t.lease} WHERE community = ?`, [community]);
        if (deleteLease) Object.assign(lease, { holder: '', expiresAt: 0 });
        if (deleteState) await pool.query(`DELETE FROM ${t.state} WHERE community = ?`, [community]);
      },
      async idle() {
        for (let waited = 0; calls.inflight > 0 && waited < 10_000; waited += 1) await new Promise((r) => setTimeout(r, 1));
      },
    };
  };
}

function play(scenario: Scenario, backendFor: BackendFactory = memoryBackend): Promise<string[]> {
  if (backendFor === memoryBackend) {
    const base = manualClock(START);
    return playOn(scenario, base, memoryBackend(base));
  }
  // Real database calls need real time: the clock fires no timer while one is on its way.
  let backend: Backend | null = null;
  const base = manualClock(START, async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await backend?.idle();
  });
  backend = backendFor(base);
  return playOn(scenario, base, backend);
}

async function playOn(scenario: Scenario, base: ReturnType<typeof manualClock>, backend: Backend): Promise<string[]> {
  const violations: string[] = [];
  const db = { down: false, slow: false, healthySince: base.now() as number | null };
  const cad = memoryCad(() => {});
  /** Which server asked each held CAD request, and whether it was a page. */
  const asked: { server: Server; page: boolean }[] = [];
  /** Per account: the CAD ban episode (bumped at each ban) and when a connected server first showed it. */
  const episode = new Map<string, number>();
  const firstShown = new Map<string, { at: number; episode: number }>();
  let episodes = 0;
  const files = new Map<string, ReturnType<typeof memoryFiles>>();
  let lastCurrentStart = -Infinity;

  const accountAt = (n: number) => cad.accounts[n % cad.accounts.length]!;
  let created = 0;
  const addAccount = (status: number) => {
    const n = created++;
    cad.accounts.push({ uuid: `UUID-${n}`, username: `User${n}`, status, apiIds: [`lic${n}`], police: n % 2 === 0 });
    if (status === 4) episode.set(`uuid-${n}`, ++episodes);
  };
  for (const status of scenario.accounts) addAccount(status);

  const storeFor = (dead: { value: boolean }): SharedStore => {
    const real = backend.store();
    const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }));
    return Object.fromEntries(
      Object.entries(real).map(([name, fn]) => [
        name,
        async (...args: unknown[]) => {
          if (name === 'close') return undefined;
          if (dead.value) return refused();
          if (db.slow) await new Promise<void>((r) => base.setTimeout(r, SLOW_MS));
          if (db.down || dead.value) return refused();
          return (fn as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ) as unknown as SharedStore;
  };

  const servers: Server[] = [];
  let restarts = 0;
  /** When the lease last changed hands (or was freed): a former holder stops paging by its next poll. */
  let lease = { holder: backend.lease().holder, changedAt: base.now() };
  const noteLease = () => {
    const live = backend.lease().expiresAt > base.now() ? backend.lease().holder : '';
    if (live !== lease.holder) lease = { holder: live, changedAt: base.now() };
  };
  const startServer = (slot: number) => {
    const skew = scenario.skews[slot]!;
    const clock: Clock = { now: () => base.now() + skew, monotonic: () => base.monotonic(), setTimeout: (fn, ms) => base.setTimeout(fn, ms) };
    const name = `S${slot}`;
    const fileStore = files.get(name) ?? memoryFiles();
    files.set(name, fileStore);
    const config = configFor(
      { url: 'http://cad.invalid', apiKey: 'model-key-123456', communityId: 'model' },
      { refreshMinutes: 60, refreshJitterSeconds: 0, statuses: ['active', 'banned'], database: { enabled: true, leaseSeconds: LEASE_MS / 1000, pollSeconds: POLL_MS / 1000 } },
    );
    const dead = { value: false };
    const log = captureLog();
    const sharing = createSharing({ store: storeFor(dead), config, clock, log, holderId: `${name}#${++restarts}` });
    const server = {} as Server;
    const transport: HttpTransport = {
      request: (req) => {
        if (dead.value) return Promise.reject(new Error('the process is gone'));
        asked.push({ server, page: (req.body ?? '').includes('GET_ACCOUNTS') });
        checkI3(server, (req.body ?? '').includes('GET_ACCOUNTS'));
        return cad.transport.request(req);
      },
    };
    const cache = createAccountCache({ config, transport, clock, files: fileStore, log: captureLog(), random: () => 0.5, ...sharing.cacheDeps });
    sharing.attach(cache);
    Object.assign(server, { name, clock, cache, sharing, startedAt: base.now(), dead, shownAlone: new Map(), logs: log.lines });
    servers[slot] = server;
    cache.start();
  };

  const healthy = () => !db.down && !db.slow;
  const checkI3 = (server: Server, page: boolean) => {
    if (!page || !healthy() || db.healthySince === null || base.now() - db.healthySince < LEASE_MS + POLL_MS) return;
    if (server.sharing.mode() !== 'shared') return;
    noteLease();
    if (base.now() - lease.changedAt < POLL_MS + MARGIN_MS) return;
    const holds = backend.lease().holder === server.sharing.holderId && backend.lease().expiresAt > base.now();
    if (!holds) violations.push(`I3: ${server.name} pages the CAD while ${backend.lease().holder || 'nobody'} holds the lease (database up)`);
  };

  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      await base.advance(0);
      await new Promise((r) => setImmediate(r));
      await backend.idle();
    }
  };

  for (let slot = 0; slot < scenario.servers; slot++) startServer(slot);
  await settle();

  let step = 0;
  for (const op of scenario.ops) {
    step += 1;
    if (process.env.MODEL_TRACE) {
      const view = servers.map((x) => `${x.name}:${x.sharing.mode()}${x.sharing.sweeping() ? '*' : ''}${x.cache.info().refreshing ? 'R' : ''}[${cad.accounts.map((a) => x.cache.find(a.uuid)?.status ?? '-').join('')}]`).join(' ');
      console.log(`${step} t=${base.now() - START} ${view} cad[${cad.accounts.map((a) => a.status).join('')}] lease=${backend.lease().holder} held=${cad.pending()} | ${JSON.stringify(op)}`);
      for (const x of servers) for (const l of (x as unknown as { logs: string[] }).logs?.splice(0) ?? []) console.log(`   ${x.name} ${l}`);
    }
    await run(op);
    await base.advance(1);
    await settle();
    await check(op);
    if (violations.length > 0) {
      violations.unshift(`at step ${step} (${JSON.stringify(op)})`);
      break;
    }
  }
  STATS.versions += backend.published();
  STATS.steps += step;
  for (const s of servers) {
    s.cache.stop();
    s.dead.value = true;
    await s.sharing.stop();
  }
  return violations;

  async function run(op: Op) {
    const server = (n: number) => servers[n % servers.length]!;
    switch (op.op) {
      case 'deliver':
        cad.deliver(op.i);
        return;
      case 'deliverAll':
        for (let n = cad.pending(); n > 0; n--) cad.deliver(0);
        return;
      case 'fail':
        cad.fail(op.i);
        return;
      case 'tick':
        await base.advance(op.ms);
        return;
      case 'sweep':
        void server(op.server).cache.refresh().catch(() => {});
        return;
      case 'lookup':
        void server(op.server).cache.lookup(accountAt(op.account).apiIds[0]!, 8000, { fresh: true }).catch(() => {});
        return;
      case 'ban': {
        const a = accountAt(op.account);
        if (a.status === 4) return;
        a.status = 4;
        episode.set(a.uuid.toLowerCase(), ++episodes);
        return;
      }
      case 'unban': {
        const a = accountAt(op.account);
        if (a.status !== 4) return;
        a.status = 1;
        episode.delete(a.uuid.toLowerCase());
        firstShown.delete(a.uuid.toLowerCase());
        return;
      }
      case 'newAccount':
        addAccount(op.banned ? 4 : 1);
        return;
      case 'dbDown':
        db.down = true;
        db.healthySince = null;
        return;
      case 'dbUp':
        if (db.down && !db.slow) db.healthySince = base.now();
        db.down = false;
        return;
      case 'dbSlow':
        if (db.slow && !op.slow && !db.down) db.healthySince = base.now();
        if (op.slow) db.healthySince = null;
        db.slow = op.slow;
        return;
      case 'leaseExpiry':
        await backend.expireLease();
        return;
      case 'crash': {
        const slot = op.server % servers.length;
        const s = servers[slot]!;
        s.dead.value = true;
        s.cache.stop();
        await s.sharing.stop();
        startServer(slot);
        return;
      }
      case 'deleteRows':
        await backend.deleteRows(op.lease, op.state);
        return;
    }
  }

  async function check(op: Op) {
    const now = base.now();
    noteLease();
    // I2: the current version's sweep start never goes back (a deleted state row starts it over).
    const start = await backend.currentStart();
    if (start !== null) {
      if (start < lastCurrentStart) violations.push(`I2: the current version began at ${start}, before the previous current one (${lastCurrentStart})`);
      lastCurrentStart = Math.max(lastCurrentStart, start);
    }
    for (const [uuid, ep] of episode) {
      const shownBy = servers.filter((s) => s.cache.find(uuid)?.status === 4);
      // I4: a ban a server showed stays while the database is down (until the CAD lifts it).
      for (const s of servers) {
        const alone = s.sharing.mode() !== 'shared';
        if (s.shownAlone.get(uuid) === ep && s.cache.find(uuid)?.status !== 4) violations.push(`I4: ${s.name} showed ${uuid} banned, and no longer does while alone`);
        if (alone && shownBy.includes(s)) s.shownAlone.set(uuid, ep);
        if (!alone) s.shownAlone.delete(uuid);
      }
      const first = firstShown.get(uuid);
      if (first?.episode !== ep && healthy()) {
        const connected = shownBy.filter((s) => s.sharing.mode() === 'shared');
        if (connected.length > 0) firstShown.set(uuid, { at: now, episode: ep });
      }
      // I1: every server connected since (the database healthy throughout) shows it within a poll + margin.
      const since = firstShown.get(uuid);
      if (!since || since.episode !== ep || db.healthySince === null || db.healthySince > since.at) continue;
      for (const s of servers) {
        if (s.sharing.mode() !== 'shared') continue;
        const due = Math.max(since.at, s.startedAt, db.healthySince) + POLL_MS + MARGIN_MS;
        if (now >= due) STATS.i1Checks += 1;
        if (now >= due && s.cache.find(uuid)?.status !== 4) {
          violations.push(`I1: ${uuid} banned shown at ${since.at - START} ms, ${s.name} (started ${s.startedAt - START}) still shows ${s.cache.find(uuid)?.status ?? 'nothing'} at ${now - START} ms`);
        }
      }
    }
    void op;
  }
}

/** What the runs exercised, so the property cannot pass by checking nothing. */
const STATS = { steps: 0, versions: 0, i1Checks: 0 };
const RUNS = Number(process.env.FC_RUNS ?? 300);
/** The same model on a real MariaDB: slower (real round trips), so fewer runs by default. */
const DB_RUNS = Number(process.env.FC_DB_RUNS ?? process.env.FC_RUNS ?? 100);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

async function holds(runs: number, backend: BackendFactory | undefined, label: string) {
  Object.assign(STATS, { steps: 0, versions: 0, i1Checks: 0 });
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (scenario) => {
      const violations = await play(scenario, backend);
      expect(violations).toEqual([]);
    }),
    { numRuns: runs, seed: SEED, path: process.env.FC_PATH, endOnFailure: process.env.FC_PATH !== undefined, verbose: 1 },
  );
  expect(STATS.versions).toBeGreaterThan(runs / 10);
  expect(STATS.i1Checks).toBeGreaterThan(runs / 10);
  console.log(`shared model (${label}): ${runs} runs, ${STATS.steps} steps, ${STATS.versions} versions published, ${STATS.i1Checks} I1 checks that were due`);
}

describe('several servers, one database: I1-I4 under random interleavings (memory store)', () => {
  it('hold after every step', () => holds(RUNS, undefined, 'memory store'), 240_000);
});

describe('several servers, one database: I1-I4 under random interleavings (MariaDB)', () => {
  let mariadb: MariaDb;
  let pool: Db;
  beforeAll(async () => {
    mariadb = await startMariaDb();
    const parsed = parseConnectionString(mariadb.uri());
    if (!parsed.ok) throw new Error(parsed.error);
    pool = openDatabase(parsed.connection);
  }, 60_000);
  afterAll(async () => {
    await pool?.close();
    await mariadb?.destroy();
  });
  it('hold after every step', () => holds(DB_RUNS, mariaDbBackend(pool, 'model_'), 'MariaDB'), 600_000);
});
