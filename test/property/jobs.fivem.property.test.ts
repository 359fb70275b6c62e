// Issue 22's promise through the real core and FiveM layer (in memory: fake-host.ts, memory-cad.ts, a
// manual clock), with an in-process ESX-like framework: over random connects, joins, logins with a saved
// job, job changes, CAD changes (status, the police flag) and CAD answers delivered in any order or failing
// (lookups at connect and after, sweeps), with `jobs` on and `police` ruled:
//   - no job is ever taken from a player for whom no answer of the CAD denied it (the CAD's answers are
//     watched as they are delivered: an account shown not active or without police, or no account for
//     the player's identifier: a lookup answering none, a completed sweep not listing one). A weak
//     oracle ("some answer denied"): the unresolved-player cases are the integration scenarios' (a miss
//     and its follow-up, the CAD unreachable for a player the cache does not hold);
//   - once the CAD is quiet and a sweep has completed, no online player holds police the CAD denies.
// Seed printed on failure; FC_SEED / FC_RUNS replay or widen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startResource } from '../../src/fivem/start';
import { manualClock, memoryFiles } from '../core/helpers';
import { fakeHost, type FakeConnect } from './fake-host';
import { memoryCad, type Answer } from './memory-cad';

const PLAYERS = 3;
const license = (p: number) => `license:${String(p + 1).repeat(8)}`;
const bare = (p: number) => String(p + 1).repeat(8);

const accountArb = fc.record({ owner: fc.option(fc.nat(PLAYERS - 1), { nil: null }), status: fc.constantFrom(0, 1, 1, 4), police: fc.boolean() });
const opArb = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('connect' as const), p: fc.nat(PLAYERS - 1) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('join' as const), p: fc.nat(PLAYERS - 1) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('login' as const), p: fc.nat(PLAYERS - 1), job: fc.constantFrom('police', 'police', 'mechanic') }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('setJob' as const), p: fc.nat(PLAYERS - 1), job: fc.constantFrom('police', 'mechanic', 'unemployed') }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('status' as const), a: fc.nat(5), status: fc.constantFrom(0, 1, 4) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('police' as const), a: fc.nat(5), police: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('deliver' as const), i: fc.nat(7) }), weight: 8 },
  { arbitrary: fc.record({ op: fc.constant('fail' as const), i: fc.nat(7) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('sweep' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 20_000 }) }), weight: 3 },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;
const scenarioArb = fc.record({ accounts: fc.array(accountArb, { minLength: 1, maxLength: 4 }), ops: fc.array(opArb, { minLength: 10, maxLength: 80 }) });
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const STATS = { removed: 0, quietChecks: 0, joined: 0, loggedIn: 0 };

async function play(scenario: Scenario): Promise<string[]> {
  const violations: string[] = [];
  const clock = manualClock(1_000_000);
  /** Players some delivered answer of the CAD denied police to (as the answers arrived). */
  const denied = new Set<number>();
  const ownerOf = (apiIds: string[]) => [...Array(PLAYERS).keys()].find((p) => apiIds.includes(bare(p)));
  let pages: Answer[] = [];
  const onAnswer = (answer: Answer) => {
    if (answer.kind === 'lookup') {
      if (answer.account === null) return; // which player asked is read from the request below
      const p = ownerOf(answer.account.apiIds);
      if (p !== undefined && (answer.account.status !== 1 || !answer.account.police)) denied.add(p);
      return;
    }
    pages.push(answer);
    for (const a of answer.accounts) {
      const p = ownerOf(a.apiIds);
      if (p !== undefined && (a.status !== 1 || !a.police)) denied.add(p);
    }
  };
  const cad = memoryCad(onAnswer);
  scenario.accounts.forEach((a, n) => cad.accounts.push({ uuid: `UUID-${n}`, username: `User${n}`, status: a.status, apiIds: a.owner === null ? [`other${n}`] : [bare(a.owner)], police: a.police }));
  // A lookup answering "not found" for a player's identifier denies them too.
  const transport = {
    request: async (req: Parameters<typeof cad.transport.request>[0]) => {
      const res = await cad.transport.request(req);
      const body = JSON.parse(req.body ?? '{}') as { type: string; data: { apiId?: string }[] };
      if (body.type === 'GET_ACCOUNT' && res.status !== 200) {
        const p = [...Array(PLAYERS).keys()].find((q) => String(body.data[0]?.apiId).toLowerCase().endsWith(bare(q)));
        if (p !== undefined) denied.add(p);
      }
      return res;
    },
  };

  // The framework: one job per player, setJob raises esx:setJob (source, job, lastJob) at once.
  const jobs = new Map<number, string>();
  let fx!: ReturnType<typeof fakeHost>;
  const setJob = (id: number, job: string) => {
    const last = jobs.get(id);
    jobs.set(id, job);
    fx.fire('esx:setJob', id, { name: job, grade: 0 }, { name: last, grade: 0 });
  };
  const esx = { GetPlayerFromId: (id: number) => (jobs.has(Number(id)) ? { job: { name: jobs.get(Number(id)) }, setJob: (job: string) => setJob(Number(id), job) } : undefined) };
  let sweepsDone = 0;
  const onEmit = (name: string) => {
    if (name === 'sonoran_accounts:refreshFailed') pages = [];
    if (name !== 'sonoran_accounts:refreshed') return;
    sweepsDone++;
    // A completed sweep that listed no account for a player: the CAD says they have none (active or banned).
    for (let p = 0; p < PLAYERS; p++) if (!pages.some((page) => page.kind === 'page' && page.accounts.some((a) => a.apiIds.includes(bare(p))))) denied.add(p);
    pages = [];
  };
  const config = { identifiers: ['license'], refreshMinutes: 60, rateLimit: { v1PerSecond: 1000 }, connect: { timeoutSeconds: 1 }, jobs: { enabled: true, framework: 'esx', rules: { police: 'police' } } };
  fx = fakeHost({
    files: { 'config.json': JSON.stringify(config) },
    convars: { sonoran_apiKey: 'property-key-123456', sonoran_communityID: 'property', sonoran_apiUrl: 'http://cad.invalid' },
    onEmit,
    otherExports: { es_extended: { getSharedObject: () => esx } },
  });
  startResource(fx.host, { transport, files: memoryFiles(), clock });

  const connects: { p: number; c: FakeConnect; id?: number }[] = [];
  const online = (p: number) => connects.find((e) => e.p === p && e.id !== undefined && fx.online.has(e.id));
  const settle = async () => {
    await clock.advance(1);
    await new Promise((r) => setImmediate(r));
  };
  let seenLines = 0;
  const checkRemovals = (step: string) => {
    for (const line of fx.lines.slice(seenLines)) {
      const m = / lost police: /.test(line) ? /player (\d+) /.exec(line) : null;
      if (!m) continue;
      STATS.removed++;
      const p = connects.find((e) => e.id === Number(m[1]))?.p;
      if (p === undefined || !denied.has(p)) violations.push(`${step}: "${line}" though no answer of the CAD denied player ${p}`);
    }
    seenLines = fx.lines.length;
  };
  await settle();

  for (const [n, op] of scenario.ops.entries()) {
    run(op);
    await settle();
    checkRemovals(`step ${n + 1} (${op.op})`);
    if (violations.length > 0) break;
  }
  // Quiet: every held request answered, a sweep that STARTED after the last CAD change completed, its
  // answers in. refresh() joins a sweep in progress (owner README), and a sweep that began before the last
  // change may keep a lookup's newer-dated answer (merge.ts: a sweep is dated at its start), so the quiet
  // phase asks again once the sweep it joined has ended: that one starts after every change.
  if (violations.length === 0) {
    let atFirstAsk = -1;
    let askedAgain = false;
    for (let round = 0; round < 12; round++) {
      if (round === 2) {
        atFirstAsk = sweepsDone;
        void (fx.exports.get('refresh')!() as Promise<unknown>);
      } else if (round > 2 && !askedAgain && sweepsDone > atFirstAsk) {
        askedAgain = true;
        void (fx.exports.get('refresh')!() as Promise<unknown>);
      }
      for (let k = cad.pending(); k > 0; k--) cad.deliver(0);
      await clock.advance(20_000);
      await new Promise((r) => setImmediate(r));
    }
    checkRemovals('quiet');
    for (let p = 0; p < PLAYERS; p++) {
      const entry = online(p);
      if (!entry || !jobs.has(entry.id!)) continue;
      STATS.quietChecks++;
      if (jobs.get(entry.id!) !== 'police') continue;
      // Whose account stands for the player (standing.ts): a banned one, else the first active one by claim
      // order (same login times here: the lowest uuid).
      const claims = cad.accounts.filter((a) => a.apiIds.includes(bare(p))).sort((a, b) => a.uuid.localeCompare(b.uuid));
      const standing = claims.find((a) => a.status === 4) ?? claims.find((a) => a.status === 1);
      if (!standing || standing.status !== 1 || !standing.police) violations.push(`quiet: player ${p} still holds police; the CAD says ${standing ? `${standing.uuid} status ${standing.status}, police ${standing.police}` : 'no active or banned account'}`);
    }
  }
  fx.stop();
  return violations;

  function run(op: Op) {
    switch (op.op) {
      case 'connect':
        if (!connects.some((e) => e.p === op.p && (e.c.admitted === undefined || online(op.p)))) connects.push({ p: op.p, c: fx.connect([license(op.p)]) });
        return;
      case 'join': {
        const entry = connects.find((e) => e.p === op.p && e.c.admitted && e.id === undefined);
        if (entry && !online(op.p)) {
          entry.id = fx.join(entry.c);
          STATS.joined++;
        }
        return;
      }
      case 'login': {
        // The character loads once the player is in: join first if admitted and not joined yet.
        const admitted = connects.find((e) => e.p === op.p && e.c.admitted && e.id === undefined);
        if (admitted && !online(op.p)) {
          admitted.id = fx.join(admitted.c);
          STATS.joined++;
        }
        const entry = online(op.p);
        if (!entry) return;
        jobs.set(entry.id!, op.job);
        STATS.loggedIn++;
        fx.fire('esx:playerLoaded', entry.id, { job: { name: op.job } }, false);
        return;
      }
      case 'setJob': {
        const entry = online(op.p);
        if (entry && jobs.has(entry.id!)) setJob(entry.id!, op.job);
        return;
      }
      case 'status':
        cad.accounts[op.a % cad.accounts.length]!.status = op.status;
        return;
      case 'police':
        cad.accounts[op.a % cad.accounts.length]!.police = op.police;
        return;
      case 'deliver':
        cad.deliver(op.i);
        return;
      case 'fail':
        cad.fail(op.i);
        return;
      case 'sweep':
        void (fx.exports.get('refresh')!() as Promise<unknown>);
        return;
      case 'tick':
        void clock.advance(op.ms);
        return;
    }
  }
}

const RUNS = Number(process.env.FC_RUNS ?? 400);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

describe('property: jobs follow CAD answers through the FiveM layer (in memory)', () => {
  it(`no job taken without a denying answer; none left that the CAD denies once it is quiet (${RUNS} scenarios)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        expect(await play(scenario)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false, verbose: 1 },
    );
    // Not vacuous: jobs were taken, and quiet checks found players with a character loaded.
    expect(STATS.removed).toBeGreaterThan(0);
    expect(STATS.quietChecks).toBeGreaterThan(0);
  }, 120_000);
});
