// Timing connects inside the emulator. Two tiny probe resources bracket ours: `bench_probe` starts first
// (its playerConnecting handler runs before ours), `bench_probe_after` starts last (runs right after ours).
// Per player they stamp:
//   t0  playerConnecting reaches the first handler      t1  our handler returned
//   u0  our first deferrals.update (we resume after the one-tick wait)
//   u1  a microtask queued at u0: runs once our synchronous check (cache lookup, verdict) is over
//   done  our deferrals.done
// Our work on this player's own path = (t1 - t0) + (u1 - u0); done - t0 also holds the two ticks FXServer
// makes deferrals wait and every other player queued in the same burst.
import type { FxServer } from '../dev/emulator';

export const PROBE = `
const now = () => Number(process.hrtime.bigint()) / 1e6;
let samples = new Map();
on('playerConnecting', (name, setKickReason, deferrals) => {
  const s = { t0: now(), t1: -1, u0: -1, u1: -1, done: -1 };
  samples.set(Number(source), s);
  const update = deferrals.update;
  const done = deferrals.done;
  deferrals.update = (message) => {
    if (s.u0 < 0) {
      s.u0 = now();
      queueMicrotask(() => { s.u1 = now(); });
    }
    return update(message);
  };
  deferrals.done = (reason) => { s.done = now(); return done(reason); };
});
exports('after', (id, t) => { const s = samples.get(Number(id)); if (s) s.t1 = t; });
exports('take', () => { const out = [...samples].map(([id, s]) => [id, s.t0, s.t1, s.u0, s.u1, s.done]); samples = new Map(); return out; });
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

/** Starts the probes around `resource` (a folder, or inline code). */
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

export const hits = (b: Burst, of: number[] = b.ms) => of.filter((_, i) => b.hit[i]);
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
  const rows = new Map((fx.callExport('bench_probe', 'take') as Row[]).map((row) => [row[0], row]));
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
