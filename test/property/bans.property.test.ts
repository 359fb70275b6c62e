// Issue 10's promise as a property: no player who holds an identifier of an account banned as of the
// newest information is admitted, or is still online after the event that brought that information.
// fast-check generates CAD account sets (statuses 0-4, 1-3 IDs each in any form and case, shared between
// accounts), players' identifier lists, and interleavings of sweeps, lookups (answered in any order, or
// failing), CAD changes, connects, joins, drops and time passing. The real core and FiveM layer run over
// an in-memory CAD (memory-cad.ts) and host (fake-host.ts) on a manual clock, so hundreds of runs fit in
// seconds. On failure fast-check prints the seed and the shrunk scenario; FC_SEED / FC_RUNS replay or widen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startResource } from '../../src/fivem/start';
import { manualClock, memoryFiles } from '../core/helpers';
import { fakeHost, type FakeConnect } from './fake-host';
import { memoryCad, type Answer, type MemAccount } from './memory-cad';

/** The identities a player may hold and an account may link: [FiveM type, value]. */
const POOL: [string, string][] = [
  ['license', 'aa11'],
  ['license', 'bb22'],
  ['steam', '110000101'],
  ['steam', '110000102'],
  ['discord', '5550001'],
  ['discord', '5550002'],
];

/** How a community may have stored one ID: bare, prefixed, either in upper case. */
const FORMS = ['bare', 'prefixed', 'BARE', 'PREFIXED'] as const;
const stored = (pool: number, form: (typeof FORMS)[number]) => {
  const [type, value] = POOL[pool]!;
  const text = form === 'bare' || form === 'BARE' ? value : `${type}:${value}`;
  return form === 'BARE' || form === 'PREFIXED' ? text.toUpperCase() : text;
};
/** The model's own key for an ID (deliberately not the code's normalizeId). */
const key = (id: string) => id.toLowerCase().replace(/^(license|steam|discord):/, '');

const accountArb = fc.record({
  status: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, 4)),
  ids: fc.uniqueArray(fc.record({ pool: fc.integer({ min: 0, max: POOL.length - 1 }), form: fc.constantFrom(...FORMS) }), { minLength: 1, maxLength: 3, selector: (x) => x.pool }),
  police: fc.boolean(),
});
const playerArb = fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 1, maxLength: 3 }).map((picks) => picks.map((i) => `${POOL[i]![0]}:${POOL[i]![1]}`));

const opArb = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('deliver' as const), i: fc.nat(7) }), weight: 10 },
  { arbitrary: fc.record({ op: fc.constant('deliverAll' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('fail' as const), i: fc.nat(7) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('failAll' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 6000 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('sweep' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('status' as const), account: fc.nat(7), status: fc.integer({ min: 0, max: 4 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('link' as const), account: fc.nat(7), pool: fc.nat(POOL.length - 1), form: fc.constantFrom(...FORMS) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('unlink' as const), account: fc.nat(7) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('connect' as const), player: fc.nat(3) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('join' as const), player: fc.nat(3) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('leave' as const), player: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('refreshPlayer' as const), player: fc.nat(3) }), weight: 3 },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const scenarioArb = fc.record({
  accounts: fc.array(accountArb, { minLength: 1, maxLength: 6 }),
  players: fc.array(playerArb, { minLength: 1, maxLength: 4 }),
  statuses: fc.constantFrom(['active', 'banned'], ['pending', 'active', 'banned'], ['banned', 'active']),
  ops: fc.array(opArb, { minLength: 10, maxLength: 80 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** What the resource has been told about one account: the newest observation (or that a sweep no longer listed it). */
interface Observation {
  at: number;
  present: boolean;
  status: number;
  ids: string[];
}

async function play(scenario: Scenario): Promise<string[]> {
  const violations: string[] = [];
  const clock = manualClock(1_000_000);
  const known = new Map<string, Observation>();
  let sweep: { startedAt: number; listed: Map<string, Observation> } | null = null;
  const observe = (map: Map<string, Observation>, uuid: string, obs: Observation) => {
    const held = map.get(uuid);
    if (!held || obs.at > held.at || (obs.at === held.at && obs.status === 4)) map.set(uuid, obs);
  };
  const seen = (a: MemAccount): Observation => ({ at: clock.now(), present: true, status: a.status, ids: a.apiIds.map(key) });
  const onAnswer = (answer: Answer) => {
    if (answer.kind === 'lookup') {
      if (answer.account) observe(known, answer.account.uuid, seen(answer.account));
      return;
    }
    sweep ??= { startedAt: clock.now(), listed: new Map() };
    for (const a of answer.accounts) observe(sweep.listed, a.uuid, seen(a));
  };
  // A sweep's pages count once it succeeded (a failed or refused sweep changes nothing, by design).
  const onEmit = (name: string) => {
    if (name === 'sonoran_accounts:refreshFailed') sweep = null;
    if (name !== 'sonoran_accounts:refreshed' || !sweep) return;
    const done: { startedAt: number; listed: Map<string, Observation> } = sweep;
    for (const uuid of known.keys()) if (!done.listed.has(uuid)) observe(known, uuid, { at: done.startedAt, present: false, status: -1, ids: [] });
    for (const [uuid, obs] of done.listed) observe(known, uuid, obs);
    sweep = null;
  };
  const bannedKeys = () => {
    const keys = new Set<string>();
    for (const obs of known.values()) if (obs.present && obs.status === 4) for (const id of obs.ids) keys.add(id);
    return keys;
  };
  const isBannedPlayer = (ids: string[], banned: Set<string>) => ids.some((id) => banned.has(key(id)));

  const cad = memoryCad(onAnswer);
  scenario.accounts.forEach((a, n) => {
    cad.accounts.push({ uuid: `UUID-${n}`, username: `User${n}`, status: a.status, apiIds: a.ids.map((x) => stored(x.pool, x.form)), police: a.police });
  });
  const config = { statuses: scenario.statuses, identifiers: ['license', 'steam', 'discord'], refreshMinutes: 60, rateLimit: { v1PerSecond: 1000 }, connect: { timeoutSeconds: 8 } };
  const fx = fakeHost({
    files: { 'config.json': JSON.stringify(config) },
    convars: { sonoran_apiKey: 'property-key-123456', sonoran_communityID: 'property', sonoran_apiUrl: 'http://cad.invalid' },
    onEmit,
  });
  startResource(fx.host, { transport: cad.transport, files: memoryFiles(), clock });

  const connects: { player: number; ids: string[]; c: FakeConnect; joinedAs?: number; doneInStep?: number }[] = [];
  let step = 0;
  const settle = async () => {
    await clock.advance(1); // every step at its own millisecond; due timers (pacing, retries, deadlines) fire
    await new Promise((r) => setImmediate(r));
  };
  await settle();

  for (const op of scenario.ops) {
    step += 1;
    const before = bannedKeys();
    run(op);
    await settle();
    const after = bannedKeys();
    for (const entry of connects) {
      // Admitted on a ban known before this step and still standing after it. (An answer that arrives in the
      // same step as the verdict may race it; a ban it brings is then enforced at join, checked below.)
      if (entry.doneInStep === step && entry.c.admitted && isBannedPlayer(entry.ids, before) && isBannedPlayer(entry.ids, after)) {
        violations.push(`step ${step} (${op.op}): player ${entry.player} ${JSON.stringify(entry.ids)} admitted although banned`);
      }
      if (entry.joinedAs !== undefined && fx.online.has(entry.joinedAs) && isBannedPlayer(entry.ids, after)) {
        violations.push(`step ${step} (${op.op}): player ${entry.player} ${JSON.stringify(entry.ids)} still online although banned`);
      }
    }
    if (violations.length > 0) break;
  }
  fx.stop();
  STATS.refreshed += fx.emitted.filter((e) => e.name === 'sonoran_accounts:refreshed').length;
  STATS.failed += fx.emitted.filter((e) => e.name === 'sonoran_accounts:refreshFailed').length;
  STATS.dropped += fx.dropped.length;
  STATS.rejected += connects.filter((e) => e.c.admitted === false).length;
  STATS.admitted += connects.filter((e) => e.c.admitted).length;
  STATS.joined += connects.filter((e) => e.joinedAs !== undefined).length;
  return violations;

  function run(op: Op) {
    const account = (n: number) => cad.accounts[n % cad.accounts.length]!;
    switch (op.op) {
      case 'deliver':
        cad.deliver(op.i);
        return;
      case 'fail':
        cad.fail(op.i);
        return;
      case 'deliverAll':
        // Everything the CAD holds now, oldest first (what a healthy CAD does between two steps).
        for (let n = cad.pending(); n > 0; n--) cad.deliver(0);
        return;
      case 'failAll':
        for (let n = cad.pending(); n > 0; n--) cad.fail(0);
        return;
      case 'tick':
        void clock.advance(op.ms);
        return;
      case 'sweep':
        void (fx.exports.get('refresh')!() as Promise<unknown>);
        return;
      case 'status':
        account(op.account).status = op.status;
        return;
      case 'link':
        account(op.account).apiIds.push(stored(op.pool, op.form));
        return;
      case 'unlink':
        account(op.account).apiIds.shift();
        return;
      case 'connect': {
        const player = op.player % scenario.players.length;
        const ids = scenario.players[player]!;
        const entry: (typeof connects)[number] = { player, ids, c: { tempId: 0 } };
        entry.c = fx.connect(ids, () => (entry.doneInStep = step));
        connects.push(entry);
        return;
      }
      case 'join': {
        const entry = connects.find((e) => e.player === op.player % scenario.players.length && e.c.admitted && e.joinedAs === undefined);
        if (entry) entry.joinedAs = fx.join(entry.c);
        return;
      }
      case 'leave': {
        const entry = connects.find((e) => e.player === op.player % scenario.players.length && e.joinedAs !== undefined && fx.online.has(e.joinedAs));
        if (entry) fx.leave(entry.joinedAs!);
        return;
      }
      case 'refreshPlayer': {
        const entry = connects.find((e) => e.player === op.player % scenario.players.length && e.joinedAs !== undefined && fx.online.has(e.joinedAs));
        if (!entry) return;
        (fx.exports.get('refreshPlayer')!(entry.joinedAs) as Promise<unknown>).catch((err: unknown) => violations.push(`refreshPlayer rejected: ${String(err)}`));
        return;
      }
    }
  }
}

/**
 * Scenarios always run first, whatever the seed: each once found a rule that random runs catch only now
 * and then. A ban the CAD's answers bring between the connect verdict and deferrals.done() (the gate's
 * re-check right before done; found by mutation testing, `npm run mutate`).
 */
const EXAMPLES: [Scenario][] = [
  [{"accounts": [{"status": 4, "ids": [{"pool": 0, "form": "bare"}, {"pool": 2, "form": "bare"}], "police": false}], "players": [["steam:110000101"]], "statuses": ["active", "banned"], "ops": [{"op": "fail", "i": 0}, {"op": "join", "player": 0}, {"op": "deliver", "i": 0}, {"op": "join", "player": 0}, {"op": "join", "player": 0}, {"op": "connect", "player": 0}, {"op": "unlink", "account": 0}, {"op": "tick", "ms": 2413}, {"op": "deliver", "i": 7}, {"op": "deliver", "i": 3}, {"op": "tick", "ms": 5583}]}],
];

/** What the runs reached, so a generator that stopped producing bans, drops or joins fails loudly. */
const STATS = { refreshed: 0, failed: 0, dropped: 0, rejected: 0, admitted: 0, joined: 0 };
const RUNS = Number(process.env.FC_RUNS ?? 2000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

describe('property: bans cannot be dodged (core + FiveM layer, in memory)', () => {
  it(`no banned player is admitted or stays online (${RUNS} random scenarios)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const violations = await play(scenario);
        expect(violations).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false, verbose: 1, examples: EXAMPLES },
    );
    // Not vacuous: the scenarios did sweep, refuse banned players at connect, admit, join and drop.
    expect(STATS.refreshed).toBeGreaterThan(RUNS / 2);
    expect(Math.min(STATS.rejected, STATS.admitted, STATS.joined, STATS.dropped)).toBeGreaterThan(0);
  }, 120_000);
});
