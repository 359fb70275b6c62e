// Timing connects inside the emulator. Two tiny probe resources bracket ours: `bench_probe` starts first
// (its playerConnecting handler runs before ours), `bench_probe_after` starts last (runs right after ours).
// Per player they stamp:
//   t0  playerConnecting reaches the first handler      t1  our handler returned
// and the emulator's record of the measured resource's deferral calls (ConnectResult.deferralCalls) gives:
//   u0  our first deferrals.update (we resume after the one-tick wait)
//   u1  the end of our synchronous check (cache lookup, verdict). A tick resumes every player whose
//       timer fired (timer.js runs them all, then their promise jobs run one after another), so it is
//       the next player's update in the same tick; for a tick's only update, a microtask queued at u0;
//       for the last of several, unknown (the microtask waits behind every other player's jobs)
//   done  our deferrals.done
// (A probe resource cannot wrap our deferrals: as in FXServer, each resource unpacks its own references.)
// Our work on this player's own path = (t1 - t0) + (u1 - u0); done - t0 also holds the two ticks FXServer
// makes deferrals wait and every other player queued in the same burst.
import type { ConnectResult, FxServer } from '../dev/emulator';

export const PROBE = `
const now = () => Number(process.hrtime.bigint()) / 1e6;
let samples = new Map();
on('playerConnecting', () => {
  samples.set(Number(source), { t0: now(), t1: -1 });
});
exports('after', (id, t) => { const s = samples.get(Number(id)); if (s) s.t1 = t; });
exports('take', () => { const out = [...samples].map(([id, s]) => [id, s.t0, s.t1]); samples = new Map(); return out; });
`;

export const PROBE_AFTER = `
on('playerConnecting', () => { const t = Number(process.hrtime.bigint()) / 1e6; exports.bench_probe.after(source, t); });
`;

/** Defer; wait a tick; update; wait a tick; done — the same shape as ours, doing nothing else. */
export const NULL_RESOURCE = `
on('playerConnecting', (name, setKickReason, deferrals) => {
  deferrals.defer();
  setTimeout(() => { deferrals.update('Checking'); setTimeout(() => deferrals.done(), 0); }, 0);
});
`;

/** Starts the probes around `resource` (a folder, or inline code): its deferral calls are the ones timed. */
export async function startProbed(fx: FxServer, resource: { name: string; path?: string; code?: string }) {
  await fx.startResource({ name: 'bench_probe', code: PROBE });
  await fx.startResource(resource);
  await fx.startResource({ name: 'bench_probe_after', code: PROBE_AFTER });
}

export interface Spec {
  name: string;
  identifiers: string[];
  hit: boolean;
}

export interface Burst {
  /** playerConnecting -> deferrals.done, per player, in burst order. */
  ms: number[];
  /** Our own work on the player's path: (t1 - t0) + (u1 - u0). */
  ownMs: number[];
  /** fx.connectPlayer() call -> its result (also covers playerJoining and one more tick). */
  raw: number[];
  hit: boolean[];
  accepted: boolean[];
}

/** Hit players' values; NaN (a sample that could not be taken) is left out. */
export const hits = (b: Burst, of: number[] = b.ms) => of.filter((v, i) => b.hit[i] && !Number.isNaN(v));
export const misses = (b: Burst) => b.ms.filter((_, i) => !b.hit[i]);

/** Starts every connect in one synchronous loop (a burst), waits for all. */
export async function burst(fx: FxServer, specs: Spec[]): Promise<Burst> {
  const settled = await Promise.all(
    specs.map((s) => {
      const start = performance.now();
      return fx.connectPlayer({ name: s.name, identifiers: s.identifiers }).then((r) => ({ r, raw: performance.now() - start }));
    }),
  );
  type Row = [id: number, t0: number, t1: number, u0: number, u1: number, done: number];
  const stamps = new Map((fx.callExport('bench_probe', 'take') as [number, number, number][]).map((row) => [row[0], row]));
  const measured = (r: ConnectResult) =>
    r.deferralCalls.filter((c) => !c.resource.startsWith('bench_probe'));
  type Call = ConnectResult['deferralCalls'][number];
  const updates = settled.flatMap(({ r }) => measured(r).filter((c) => c.call === 'update'));
  const byTick = new Map<number, Call[]>();
  for (const c of updates) byTick.set(c.tick, [...(byTick.get(c.tick) ?? []), c]);
  for (const list of byTick.values()) list.sort((a, b) => a.at - b.at);
  const endOfCheck = (u: Call) => {
    const sameTick = byTick.get(u.tick)!;
    if (sameTick.length === 1) return u.syncEndedAt;
    const next = sameTick[sameTick.indexOf(u) + 1];
    return next ? next.at : NaN;
  };
  const rows = new Map(
    settled.map(({ r }): [number, Row] => {
      const [, t0, t1] = stamps.get(r.tempId) ?? [r.tempId, NaN, NaN];
      const calls = measured(r);
      const update = calls.find((c) => c.call === 'update');
      const done = calls.find((c) => c.call === 'done');
      return [r.tempId, [r.tempId, t0, t1, update?.at ?? NaN, update ? endOfCheck(update) : NaN, done?.at ?? NaN]];
    }),
  );
  const row = (tempId: number) => rows.get(tempId) ?? [tempId, NaN, NaN, NaN, NaN, NaN];
  return {
    ms: settled.map(({ r }) => row(r.tempId)[5] - row(r.tempId)[1]),
    ownMs: settled.map(({ r }) => {
      const [, t0, t1, u0, u1] = row(r.tempId);
      return t1 - t0 + (u1 - u0);
    }),
    raw: settled.map(({ raw }) => raw),
    hit: specs.map((s) => s.hit),
    accepted: settled.map(({ r }) => r.accepted),
  };
}

export function dropAll(fx: FxServer) {
  for (const id of fx.players()) fx.dropPlayer(id);
}
