// Issue 22's promise as a property: over random sequences of job changes (another resource's boss menu,
// a login with a saved job, a duty toggle), CAD changes, readiness and lookups answering (or not), a ruled
// job is never held after the resource has the CAD's answer denying it (the check runs in the same turn
// as the event that brought the answer or the job), and no job is ever removed from a player whose
// account the CAD did not deny: unknown is not "no". The model is deliberately simpler than the code: it
// keeps what the CAD says (truth), what the resource has heard (known) and what the framework holds, and
// judges each removal with its own oracle. Seed printed on failure; FC_SEED / FC_RUNS replay or widen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileJobRules, jobVerdict } from '../../src/core/jobs/verdict';
import { createJobGuard, type HeldJob } from '../../src/core/jobs/guard';
import { maskFromFlags } from '../../src/core/permissions';
import { ACCOUNT_STATUS, type CachedAccount } from '../../src/core/types';

const RULES = { police: ['police'], sheriff: ['police'], ambulance: ['ems', 'fire'] };
const JOBS = ['police', 'sheriff', 'ambulance', 'mechanic', 'unemployed'] as const;
const PLAYERS = 3;

/** What the CAD says about a player: no account, or an account with a status and flags. */
type Truth = { kind: 'none' } | { kind: 'account'; status: number; police: boolean; ems: boolean };
const truthArb: fc.Arbitrary<Truth> = fc.oneof(
  fc.constant({ kind: 'none' } as Truth),
  fc.record({ kind: fc.constant('account' as const), status: fc.integer({ min: 0, max: 4 }), police: fc.boolean(), ems: fc.boolean() }),
);

type Op =
  | { op: 'setJob'; player: number; job: (typeof JOBS)[number] } // boss menu, job centre, admin command, duty toggle
  | { op: 'login'; player: number; job: (typeof JOBS)[number] } // a character loads with a saved job
  | { op: 'cadChange'; player: number; truth: Truth } // the CAD changes; the resource hears nothing yet
  | { op: 'answer'; player: number } // a lookup or follow-up answers for this player
  | { op: 'lookupFails'; player: number } // the CAD is unreachable for this player
  | { op: 'sweep' } // a sweep completes: ready, and every player's answer known
  | { op: 'snapshotReady' }; // ready from the snapshot: players it does not hold are still unanswered

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('setJob' as const), player: fc.nat(PLAYERS - 1), job: fc.constantFrom(...JOBS) }),
  fc.record({ op: fc.constant('login' as const), player: fc.nat(PLAYERS - 1), job: fc.constantFrom(...JOBS) }),
  fc.record({ op: fc.constant('cadChange' as const), player: fc.nat(PLAYERS - 1), truth: truthArb }),
  fc.record({ op: fc.constant('answer' as const), player: fc.nat(PLAYERS - 1) }),
  fc.record({ op: fc.constant('lookupFails' as const), player: fc.nat(PLAYERS - 1) }),
  fc.constant({ op: 'sweep' } as Op),
  fc.constant({ op: 'snapshotReady' } as Op),
);

const accountOf = (truth: Truth, player: number): CachedAccount | null =>
  truth.kind === 'none'
    ? null
    : { uuid: `u${player}`, username: `user${player}`, communityUserId: null, apiIds: [], status: truth.status, joined: '', lastLogin: '', observedAt: 0, ...maskFromFlags({ police: truth.police, ems: truth.ems }) };

/** The model's own rule (not the code's): does what the resource has heard deny `job`? */
function oracleDenies(job: string, ready: boolean, known: Truth | undefined): boolean {
  const needs = (RULES as Record<string, string[]>)[job];
  if (!needs || !ready || known === undefined) return false;
  if (known.kind === 'none' || known.status !== ACCOUNT_STATUS.active) return true;
  return !needs.some((p) => (p === 'police' ? known.police : p === 'ems' ? known.ems : false));
}

function run(initial: Truth[], ops: Op[]) {
  const truth = [...initial];
  const known: (Truth | undefined)[] = initial.map(() => undefined);
  const jobs: (string | null)[] = initial.map(() => null); // null: no character loaded
  let ready = false;
  const removals: string[] = [];

  const guard = createJobGuard<number>({
    rules: compileJobRules(RULES),
    knowledge: (p) => ({ ready, account: known[p] === undefined ? null : accountOf(known[p]!, p), answered: known[p] !== undefined }),
    held: (p) => (jobs[p] === null ? null : [{ name: jobs[p]!, primary: true } satisfies HeldJob]),
    remove(p, job, reason) {
      // Never removed from a player whose account the CAD did not deny.
      expect(oracleDenies(job.name, ready, known[p]), `removed ${job.name} from player ${p} (${reason}) though the CAD did not deny it`).toBe(true);
      removals.push(`${p}:${job.name}`);
      jobs[p] = 'unemployed';
    },
  });

  /** The resource heard `p`'s answer: an account change is checked for that player (playerLinked/Updated). */
  const hear = (p: number) => {
    known[p] = truth[p];
    guard.check(p);
  };

  for (const step of ops) {
    switch (step.op) {
      case 'setJob':
        if (jobs[step.player] === null) break; // no character: the framework has no player to set
        jobs[step.player] = step.job;
        guard.check(step.player);
        break;
      case 'login':
        jobs[step.player] = step.job;
        guard.check(step.player);
        break;
      case 'cadChange':
        truth[step.player] = step.truth;
        break;
      case 'answer':
        hear(step.player);
        break;
      case 'lookupFails':
        break; // nothing heard: unknown stays unknown
      case 'sweep':
        ready = true;
        for (let p = 0; p < truth.length; p++) known[p] = truth[p];
        for (let p = 0; p < truth.length; p++) guard.check(p);
        guard.recheckWaiting();
        break;
      case 'snapshotReady':
        if (ready) break;
        ready = true;
        guard.recheckWaiting();
        break;
    }
    // The answer's turn is over: no ruled job the known answer denies is still held.
    for (let p = 0; p < jobs.length; p++) {
      const job = jobs[p] ?? null;
      if (job !== null) expect(oracleDenies(job, ready, known[p]), `player ${p} still holds ${job} after ${JSON.stringify(step)}`).toBe(false);
    }
  }
  return removals;
}

const RUNS = Number(process.env.FC_RUNS ?? 1000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

describe('jobs follow CAD answers, and only answers (issue 22)', () => {
  it('property: a denied ruled job never outlives the answer; nothing is removed without one', () => {
    fc.assert(
      fc.property(fc.array(truthArb, { minLength: PLAYERS, maxLength: PLAYERS }), fc.array(opArb, { maxLength: 40 }), (initial, ops) => {
        run(initial, ops);
      }),
      { numRuns: RUNS, seed: SEED, verbose: 1 },
    );
  });

  it('a cold start: officers logging in before any answer keep their jobs; the answer removes only the one the CAD denies', () => {
    const officer: Truth = { kind: 'account', status: ACCOUNT_STATUS.active, police: true, ems: false };
    const civilian: Truth = { kind: 'account', status: ACCOUNT_STATUS.active, police: false, ems: false };
    const removals = run([officer, civilian, { kind: 'none' }], [
      { op: 'login', player: 0, job: 'police' },
      { op: 'login', player: 1, job: 'police' },
      { op: 'login', player: 2, job: 'sheriff' },
      { op: 'snapshotReady' },
      { op: 'lookupFails', player: 2 },
      { op: 'answer', player: 1 },
    ]);
    expect(removals).toEqual(['1:police']);
  });

  it('verdicts: unknown before readiness or an answer; deny names why; jobs without a rule have no verdict', () => {
    const rules = compileJobRules(RULES);
    const active = accountOf({ kind: 'account', status: ACCOUNT_STATUS.active, police: true, ems: false }, 0);
    const banned = accountOf({ kind: 'account', status: ACCOUNT_STATUS.banned, police: true, ems: false }, 0);
    const pending = accountOf({ kind: 'account', status: ACCOUNT_STATUS.pending, police: true, ems: false }, 0);
    expect(jobVerdict(rules, 'mechanic', { ready: true, account: null, answered: true })).toBeNull();
    expect(jobVerdict(rules, 'police', { ready: false, account: active, answered: true })).toEqual({ kind: 'unknown', reason: 'notReady' });
    expect(jobVerdict(rules, 'police', { ready: true, account: null, answered: false })).toEqual({ kind: 'unknown', reason: 'unresolved' });
    expect(jobVerdict(rules, 'police', { ready: true, account: null, answered: true })).toEqual({ kind: 'deny', reason: 'noAccount' });
    expect(jobVerdict(rules, 'POLICE', { ready: true, account: active, answered: true })).toEqual({ kind: 'allow' });
    expect(jobVerdict(rules, 'ambulance', { ready: true, account: active, answered: true })).toEqual({ kind: 'deny', reason: 'missingPermission' });
    expect(jobVerdict(rules, 'police', { ready: true, account: banned, answered: true })).toEqual({ kind: 'deny', reason: 'banned' });
    expect(jobVerdict(rules, 'police', { ready: true, account: pending, answered: true })).toEqual({ kind: 'deny', reason: 'inactive' });
  });
});
