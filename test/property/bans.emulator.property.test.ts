// The ban property through the BUILT bundle in the emulator, against the fake CAD over real HTTP: fewer
// and slower runs than bans.property.test.ts, but nothing in between is a stand-in. Random CAD accounts
// (statuses 0-4, IDs shared and in any form), random players, and a random sequence of CAD changes,
// sweeps, connects (some held in the join window while a ban and a sweep land), and leaves. After every
// sweep no online player holds an identifier of a banned account; a connect that lets a player in never
// does so on a ban the last sweep already brought. Seed printed on failure (FC_SEED replays).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type FakeCad, type Harness } from '../integration/harness';

const POOL: [string, string][] = [
  ['license', 'aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11'],
  ['license', 'bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22'],
  ['steam', '110000100000001'],
  ['steam', '110000100000002'],
  ['discord', '555000000000000001'],
];
const FORMS = ['bare', 'prefixed', 'BARE'] as const;
const stored = (pool: number, form: (typeof FORMS)[number]) => {
  const [type, value] = POOL[pool]!;
  return form === 'bare' ? value : form === 'BARE' ? value.toUpperCase() : `${type}:${value}`;
};
const key = (id: string) => id.toLowerCase().replace(/^(license|steam|discord):/, '');

const scenarioArb = fc.record({
  accounts: fc.array(
    fc.record({
      status: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, 4)),
      ids: fc.uniqueArray(fc.record({ pool: fc.nat(POOL.length - 1), form: fc.constantFrom(...FORMS) }), { minLength: 1, maxLength: 2, selector: (x) => x.pool }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  players: fc.array(fc.uniqueArray(fc.nat(POOL.length - 1), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  ops: fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('status' as const), account: fc.nat(3), status: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ op: fc.constant('link' as const), account: fc.nat(3), pool: fc.nat(POOL.length - 1), form: fc.constantFrom(...FORMS) }),
      fc.record({ op: fc.constant('sweep' as const) }),
      fc.record({ op: fc.constant('connect' as const), player: fc.nat(2), banInWindow: fc.option(fc.nat(3), { nil: undefined }) }),
      fc.record({ op: fc.constant('leave' as const), player: fc.nat(2) }),
    ),
    { minLength: 3, maxLength: 12 },
  ),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ cad: { accounts: 0 }, config: { identifiers: ['license', 'steam', 'discord'], connect: { timeoutSeconds: 2 } } });
});
afterAll(() => h?.close());

const call = (name: string, ...args: unknown[]) => h.fx.callExport('sonoran_accounts', name, ...args);
const bannedKeys = (accounts: FakeCad['accounts']) => new Set(accounts.filter((a) => a.status === 4).flatMap((a) => a.apiIds.map(key)));

async function play(scenario: Scenario): Promise<string[]> {
  const { cad, fx } = h;
  const violations: string[] = [];
  cad.accounts.splice(0);
  const accounts = scenario.accounts.map((a) => cad.addAccount({ status: a.status, apiIds: a.ids.map((x) => stored(x.pool, x.form)) }));
  await call('refresh');
  let swept = bannedKeys(cad.accounts);
  const online = new Map<number, string[]>();
  const idsOf = (player: number) => scenario.players[player % scenario.players.length]!.map((i) => `${POOL[i]![0]}:${POOL[i]![1]}`);
  const checkOnline = (when: string) => {
    const banned = bannedKeys(cad.accounts);
    // DropPlayer takes effect at the emulator's next tick, as in FXServer: a drop asked for counts.
    const dropped = new Set(fx.droppedBy.map((d) => d.id));
    for (const [id, ids] of online) {
      if (!fx.players().includes(id) || dropped.has(id)) online.delete(id);
      else if (ids.some((x) => banned.has(key(x)))) violations.push(`${when}: player ${id} ${JSON.stringify(ids)} still online although banned`);
    }
  };

  for (const op of scenario.ops) {
    const account = (n: number) => accounts[n % accounts.length]!;
    if (op.op === 'status') account(op.account).status = op.status;
    else if (op.op === 'link') account(op.account).apiIds.push(stored(op.pool, op.form));
    else if (op.op === 'sweep') {
      await call('refresh');
      swept = bannedKeys(cad.accounts);
      checkOnline('after a sweep');
    } else if (op.op === 'leave') {
      const id = [...online.keys()][op.player % Math.max(1, online.size)];
      if (id !== undefined) fx.dropPlayer(id);
    } else {
      const ids = idsOf(op.player);
      const knownBanned = ids.some((x) => swept.has(key(x)));
      const target = op.banInWindow === undefined ? undefined : account(op.banInWindow);
      let swepInWindow = false;
      const result = await fx.connectPlayer({
        name: 'P',
        identifiers: [...ids, 'ip:10.0.0.1'],
        beforeJoin: target && (async () => {
          target.status = 4;
          await call('refresh');
          swept = bannedKeys(cad.accounts);
          swepInWindow = true;
        }),
      });
      if (result.accepted && knownBanned) violations.push(`connect: ${JSON.stringify(ids)} admitted on a ban the last sweep brought`);
      if (result.accepted && result.id !== null) online.set(result.id, ids);
      // Only a sweep brings everything the CAD holds (a rejected connect may have made no call at all).
      if (swepInWindow) checkOnline('after a ban in the join window');
    }
    if (violations.length > 0) break;
  }
  for (const id of fx.players()) fx.dropPlayer(id);
  return violations;
}

const RUNS = Number(process.env.FC_EMULATOR_RUNS ?? 60);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

describe('property through the built bundle: bans cannot be dodged', () => {
  it(`no banned player is admitted or stays online (${RUNS} random scenarios, emulator + fake CAD)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        expect(await play(scenario)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});
