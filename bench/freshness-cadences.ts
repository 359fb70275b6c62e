// 6b. Freshness with the cadences of issue 21 on (freshness.* at their defaults: ban watch 60 s, online
// refresh 5 min), 128 players online: from a CAD ban of an online player's account until the gate is
// closed for their identifiers and they are dropped (both follow from the same event: standing() shows
// the ban), and from a CAD revoke until their account shows it; p50/p95. Also the length of the full
// sweeps meanwhile and the calls each cadence took. Virtual time over real HTTP, the real pacer and the
// fake CAD's real limiter, as in freshness.ts.
import { createAccountCache } from '../src/core/account-cache';
import { createNodeTransport } from '../src/core/http/node-transport';
import { startFakeCad } from '../dev/fake-cad';
import { DEFAULTS } from '../src/core/config';
import { PERMISSIONS } from '../src/core/permissions';
import { generateAccounts, prng } from '../dev/fake-cad/generate';
import { coreConfig, discardFiles, fmt, median, percentile, progress, quietLog, record } from './util';
import { virtualTime } from './virtual-time';

const ONLINE = 128;
/** Half bans, half revokes, all on accounts of online players, at random moments over one cycle. */
const CHANGES = 40;

interface Change {
  at: number;
  uuid: string;
  identifiers: string[];
  kind: 'revoke' | 'ban';
  flag?: string;
  seenAfterMs?: number;
}

export interface CadenceScenario {
  accounts: number;
  version: 1 | 2;
  /**
   * Banned accounts in the CAD. Default: the fake CAD's population (3% banned: 30 at 1k, 1,500 at
   * 50k, 15 pages); a number keeps that many of them banned and makes the rest active (a short list).
   */
  bans?: number;
}

export async function cadenceFreshness(s: CadenceScenario) {
  const vt = virtualTime();
  let population = generateAccounts(s.accounts, 17);
  if (s.bans !== undefined) {
    let banned = 0;
    population = population.map((a) => (a.status !== 4 ? a : banned++ < s.bans! ? a : { ...a, status: 1 }));
  }
  const cad = await startFakeCad({ apiKey: 'BENCH-KEY', communityId: 'bench-community', accounts: population, seed: 17, now: vt.clock.now }); // real limiter
  const rand = prng(s.accounts * 7 + s.version);
  const config = { ...coreConfig(cad), apiVersion: s.version, snapshot: { enabled: false, file: 'cache/snapshot.json' } };
  const candidates = cad.accounts.filter((a) => a.status === 1 && PERMISSIONS.some((p) => a.permissions[p]));
  const online = new Map<string, string[]>();
  while (online.size < ONLINE) {
    const a = candidates[Math.floor(rand() * candidates.length)]!;
    online.set(a.uuid, cad.identitiesOf(a.uuid));
  }
  const cache = createAccountCache({
    config,
    transport: vt.transport(createNodeTransport()),
    clock: vt.clock,
    files: discardFiles(),
    log: quietLog(),
    random: rand,
    online: () => online.values(),
  });
  const sweeps: { durationMs: number; calls: number; bannedPages: number; finishedAt: number }[] = [];
  cache.on('refreshed', (summary) => {
    if (summary.calls > 0) sweeps.push({ durationMs: summary.durationMs, calls: summary.calls, bannedPages: Math.max(1, Math.ceil((summary.byStatus.banned ?? 0) / 100)), finishedAt: summary.finishedAt });
  });
  cache.start();
  await vt.runUntil(Infinity, () => cache.info().ready);
  const readyAt = vt.now();
  const firstSweepMs = sweeps[0]!.durationMs;
  const cycleMs = firstSweepMs + DEFAULTS.refreshMinutes! * 60_000;
  cad.resetRequests();

  const changes: Change[] = [];
  const check = () => {
    for (const c of changes) {
      if (c.seenAfterMs !== undefined) continue;
      const visible = c.kind === 'ban' ? cache.standing(c.identifiers).banned : !hasFlag(cache.find(c.uuid), c.flag!);
      if (!visible) continue;
      c.seenAfterMs = vt.now() - c.at;
      if (c.kind === 'ban') online.delete(c.uuid); // dropped
    }
  };
  cache.on('refreshed', check);
  cache.on('accountChanged', check);
  const targets = [...online.keys()];
  for (let i = 0; i < CHANGES; i++) {
    const uuid = targets.splice(Math.floor(rand() * targets.length), 1)[0]!;
    const account = cad.accounts.find((a) => a.uuid === uuid)!;
    const at = readyAt + rand() * cycleMs;
    const kind = i % 2 === 0 ? 'revoke' : 'ban';
    const flag = PERMISSIONS.find((p) => account.permissions[p]);
    vt.clock.setTimeout(() => {
      if (kind === 'ban') cad.ban(uuid);
      else cad.revoke(uuid, flag!);
      changes.push({ at: vt.now(), uuid, identifiers: cad.identitiesOf(uuid), kind, flag });
    }, at - readyAt);
  }
  const t0 = performance.now();
  const endAt = readyAt + 3 * cycleMs;
  // Until every change was seen and one full sweep after the first has ended (its length is a row).
  await vt.runUntil(endAt, () => changes.length === CHANGES && changes.every((c) => c.seenAfterMs !== undefined) && sweeps.length >= 2);
  const realS = (performance.now() - t0) / 1000;
  const ranMs = vt.now() - readyAt;
  cache.stop();
  const status429 = cad.requests.filter((r) => r.status === 429).length;
  const pageStatus = (r: (typeof cad.requests)[number]) =>
    s.version === 1 ? (r.body as { data?: { status?: number }[] })?.data?.[0]?.status : Number(r.query.status ?? 1);
  const pages = cad.requests.filter((r) => r.path.endsWith('get_accounts') || r.path.endsWith('/v2/general/accounts'));
  const lookups = cad.requests.filter((r) => r.path.endsWith('get_account') || r.path.endsWith('/accounts/account')).length;
  const bannedPages = pages.filter((r) => pageStatus(r) === 4).length;
  const later = sweeps.slice(1);
  const sweepBannedPages = later.reduce((n, x) => n + x.bannedPages, 0);
  const watchCalls = Math.max(0, bannedPages - sweepBannedPages);
  const sweepCalls = pages.length - watchCalls;
  await cad.close();
  const seconds = (kind: Change['kind']) => changes.filter((c) => c.kind === kind && c.seenAfterMs !== undefined).map((c) => c.seenAfterMs! / 1000);
  return {
    ban: seconds('ban'),
    revoke: seconds('revoke'),
    missing: CHANGES - changes.filter((c) => c.seenAfterMs !== undefined).length,
    sweepMs: later.map((x) => x.durationMs),
    firstSweepMs,
    pulled: later.length,
    perMinute: { sweep: (sweepCalls / ranMs) * 60_000, banWatch: (watchCalls / ranMs) * 60_000, onlineRefresh: (lookups / ranMs) * 60_000 },
    calls: cad.requests.length,
    status429,
    realS,
    ranMin: ranMs / 60_000,
  };
}

function hasFlag(account: { w0: number; w1: number; w2: number } | undefined, flag: string): boolean {
  if (!account) return false;
  const bit = PERMISSIONS.indexOf(flag as (typeof PERMISSIONS)[number]);
  const word = bit < 30 ? account.w0 : bit < 60 ? account.w1 : account.w2;
  return (word & (1 << bit % 30)) !== 0;
}

const minutes = (sec: number) => (sec >= 120 ? `${fmt(sec / 60)} min` : `${fmt(sec)} s`);

/** The scenario's id for `npm run bench -- cadences <id>`: 50k-v2-1500 (bans as the fake CAD makes them: 3%). */
const scenarioId = (s: CadenceScenario) => `${s.accounts / 1000}k-v${s.version}-${s.bans ?? Math.round(s.accounts * 0.03)}`;

export async function cadenceFreshnessBenchmark(words: string[] = []): Promise<void> {
  const only = words.filter((w) => /^\d+k-v[12]-\d+$/.test(w));
  const targets = { ban: { 1: 75, 2: 180 }, revoke: 360 } as const;
  for (const s of [
    { accounts: 1000, version: 1 },
    { accounts: 50_000, version: 1 },
    { accounts: 50_000, version: 1, bans: 100 },
    { accounts: 1000, version: 2 },
    { accounts: 50_000, version: 2 },
    { accounts: 50_000, version: 2, bans: 100 },
  ] as CadenceScenario[]) {
    if (only.length > 0 && !only.includes(scenarioId(s))) continue;
    const bans = s.bans === undefined ? `${Math.round(s.accounts * 0.03).toLocaleString('en-US')} bans (fake CAD's 3%)` : `${s.bans} bans`;
    const label = `${s.accounts.toLocaleString('en-US')} accounts, ${bans}, v${s.version}, ${ONLINE} online`;
    progress(`freshness with cadences: ${label} (virtual time)`);
    const r = await cadenceFreshness(s);
    const budget = `calls/min: sweeps ${fmt(r.perMinute.sweep)}, ban watch ${fmt(r.perMinute.banWatch)}, online refresh ${fmt(r.perMinute.onlineRefresh)}`;
    progress(`  ${fmt(r.ranMin)} min virtual in ${fmt(r.realS)} s real; ${r.calls} calls, ${r.status429} 429s; ${budget}; sweeps after the first: ${r.sweepMs.map((ms) => minutes(ms / 1000)).join(', ') || 'none'}`);
    const ok = r.status429 === 0 && r.missing === 0;
    const banP95 = percentile(r.ban, 95);
    record({
      group: 6,
      metric: `freshness, cadences on: CAD ban -> online player dropped and gate closed, ${label} p50 / p95`,
      value: `${minutes(median(r.ban))} / ${minutes(banP95)} (${r.status429} 429s; ${budget}${r.missing ? `; ${r.missing} of ${CHANGES} changes not seen` : ''})`,
      target: `p95 <= ${minutes(targets.ban[s.version])}`,
      ok: ok && banP95 <= targets.ban[s.version],
      detail: { ...s, online: ONLINE, secondsToEffect: r.ban, perMinute: r.perMinute, status429: r.status429, realSeconds: r.realS },
    });
    if (s.version === 1) {
      const revokeP95 = percentile(r.revoke, 95);
      record({
        group: 6,
        metric: `freshness, cadences on: CAD revoke -> online player, ${label} p50 / p95`,
        value: `${minutes(median(r.revoke))} / ${minutes(revokeP95)} (${r.status429} 429s)`,
        target: `p95 <= ${minutes(targets.revoke)}`,
        ok: ok && revokeP95 <= targets.revoke,
        detail: { ...s, online: ONLINE, secondsToEffect: r.revoke },
      });
    }
    if (s.accounts === 50_000 && s.version === 1) {
      const longest = Math.max(...r.sweepMs, r.firstSweepMs);
      record({
        group: 6,
        metric: `freshness, cadences on: full-sweep length, ${label} (first / later sweeps)`,
        value: `${minutes(r.firstSweepMs / 1000)} / ${r.sweepMs.map((ms) => minutes(ms / 1000)).join(', ') || 'none'}`,
        target: '<= 1.5x 16.1 min (24.2 min)',
        ok: r.sweepMs.length > 0 && longest <= 1.5 * 16.1 * 60_000,
        detail: { ...s, firstSweepMs: r.firstSweepMs, laterSweepsMs: r.sweepMs },
      });
    }
  }
}
