// 6. Freshness: from a change in the CAD (a permission revoked, an account banned) to its effect on an
// online player (the refresher's index shows it; playerUpdated and the drop fire from that same event),
// p50/p95, at 1k and 50k accounts, at Sonoran's v1 and v2 rates, with the default refreshMinutes (10)
// and jitter. Virtual time (virtual-time.ts): real HTTP and the real pacer, no real waiting.
import { createAccountCache } from '../src/core/account-cache';
import { createNodeTransport } from '../src/core/http/node-transport';
import { startFakeCad } from '../dev/fake-cad';
import { DEFAULTS } from '../src/core/config';
import { PERMISSIONS } from '../src/core/permissions';
import { prng } from '../dev/fake-cad/generate';
import { coreConfig, discardFiles, fmt, percentile, progress, quietLog, record } from './util';
import { virtualTime } from './virtual-time';
const CHANGES = 24;

interface Change {
  at: number;
  uuid: string;
  kind: 'revoke' | 'ban';
  flag?: string;
  seenAfterMs?: number;
}

interface Scenario {
  accounts: number;
  version: 1 | 2;
  /** Unknown players connecting per second meanwhile (each a distinct ID: no cache helps). */
  connectsPerSecond?: number;
}

async function freshness(s: Scenario) {
  const vt = virtualTime();
  const cad = await startFakeCad({ apiKey: 'BENCH-KEY', communityId: 'bench-community', accounts: s.accounts, seed: 17, now: vt.clock.now }); // real limiter
  const rand = prng(s.accounts + s.version);
  // The rows from before issue 21: sweeps only (the cadences have their own rows, freshness-cadences.ts).
  const config = { ...coreConfig(cad), apiVersion: s.version, snapshot: { enabled: false, file: 'cache/snapshot.json' }, freshness: { banWatchSeconds: 0, onlineRefreshMinutes: 0 } };
  const cache = createAccountCache({ config, transport: vt.transport(createNodeTransport()), clock: vt.clock, files: discardFiles(), log: quietLog(), random: rand });
  let sweeps = 0;
  let sweepMs = 0;
  cache.on('refreshed', (summary) => {
    sweeps += 1;
    sweepMs = summary.durationMs;
  });
  const tStart = performance.now();
  cache.start();
  await vt.runUntil(Infinity, () => cache.info().ready);
  progress(`  first sweep: ${fmt((performance.now() - tStart) / 1000)} s real`);
  const readyAt = vt.now();
  const cycleMs = sweepMs + DEFAULTS.refreshMinutes! * 60_000;

  const changes: Change[] = [];
  const check = () => {
    for (const c of changes) {
      if (c.seenAfterMs !== undefined) continue;
      const a = cache.find(c.uuid);
      const visible = c.kind === 'ban' ? a?.status === 4 : a !== undefined && !hasFlag(a, c.flag!);
      if (visible) c.seenAfterMs = vt.now() - c.at;
    }
  };
  cache.on('refreshed', check);
  cache.on('accountChanged', check);
  // Changes at uniformly random moments over one full cycle after the first sweep.
  const active = cad.accounts.filter((a) => a.status === 1 && PERMISSIONS.some((p) => a.permissions[p]));
  for (let i = 0; i < CHANGES; i++) {
    const account = active[Math.floor(rand() * active.length)]!;
    active.splice(active.indexOf(account), 1);
    const at = readyAt + rand() * cycleMs;
    const kind = i % 2 === 0 ? 'revoke' : 'ban';
    const flag = PERMISSIONS.find((p) => account.permissions[p]);
    vt.clock.setTimeout(() => {
      if (kind === 'ban') cad.ban(account.uuid);
      else cad.revoke(account.uuid, flag!);
      changes.push({ at: vt.now(), uuid: account.uuid, kind, flag });
    }, at - readyAt);
  }
  let connects = 0;
  if (s.connectsPerSecond) {
    const gap = 1000 / s.connectsPerSecond;
    const until = readyAt + 3 * cycleMs;
    const connect = () => {
      connects += 1;
      cache.lookup(`license:${'c'.repeat(30)}${connects.toString(16).padStart(10, '0')}`, 8000).catch(() => {});
      if (vt.now() + gap < until) vt.clock.setTimeout(connect, gap);
    };
    vt.clock.setTimeout(connect, gap);
  }
  const t0 = performance.now();
  await vt.runUntil(readyAt + 3 * cycleMs, () => changes.length === CHANGES && changes.every((c) => c.seenAfterMs !== undefined));
  const realS = (performance.now() - t0) / 1000;
  cache.stop();
  const status429 = cad.requests.filter((r) => r.status === 429).length;
  const calls = cad.requests.length;
  await cad.close();
  const seen = changes.filter((c) => c.seenAfterMs !== undefined).map((c) => c.seenAfterMs! / 1000);
  return { seen, missing: CHANGES - seen.length, sweepMs, cycleMs, sweeps, status429, calls, connects, realS };
}

function hasFlag(account: { w0: number; w1: number; w2: number }, flag: string): boolean {
  const bit = PERMISSIONS.indexOf(flag as (typeof PERMISSIONS)[number]);
  const word = bit < 30 ? account.w0 : bit < 60 ? account.w1 : account.w2;
  return (word & (1 << bit % 30)) !== 0;
}

const minutes = (s: number) => (s >= 120 ? `${fmt(s / 60)} min` : `${fmt(s)} s`);

export async function freshnessBenchmark(): Promise<void> {
  const scenarios: Scenario[] = [
    { accounts: 1000, version: 1 },
    { accounts: 1000, version: 2 },
    { accounts: 50_000, version: 1 },
    { accounts: 50_000, version: 2 },
    { accounts: 1000, version: 1, connectsPerSecond: 2.5 },
  ];
  for (const s of scenarios) {
    const label = `cadences off, ${s.accounts.toLocaleString('en-US')} accounts, v${s.version}${s.connectsPerSecond ? `, ${s.connectsPerSecond} unknown connects/s` : ''}`;
    progress(`freshness: ${label} (virtual time)`);
    const r = await freshness(s);
    const p50 = percentile(r.seen, 50);
    const p95 = percentile(r.seen, 95);
    progress(`  ${r.sweeps} sweeps of ${minutes(r.sweepMs / 1000)} in ${fmt(r.realS)} s real; ${r.calls} calls, ${r.status429} 429s${s.connectsPerSecond ? `, ${r.connects} connect lookups` : ''}`);
    record({
      group: 6,
      metric: `freshness: CAD revoke/ban -> online player, ${label} p50 / p95`,
      value: `${minutes(p50)} / ${minutes(p95)} (sweep ${minutes(r.sweepMs / 1000)} + ${DEFAULTS.refreshMinutes} min interval; ${r.status429} 429s${r.missing ? `; ${r.missing} of ${CHANGES} not seen` : ''})`,
      target: 'info (virtual time, real HTTP and pacer)',
      ok: r.status429 === 0 && r.missing === 0,
      detail: { ...s, changes: CHANGES, secondsToEffect: r.seen, sweepMs: r.sweepMs, cycleMs: r.cycleMs, sweeps: r.sweeps, calls: r.calls, status429: r.status429, connectLookups: r.connects, realSeconds: r.realS, how: 'changes at uniform random moments over one refresh cycle after the first sweep; effect = first moment the refresher index shows it (playerUpdated / the drop are emitted from that event)' },
    });
  }
}
