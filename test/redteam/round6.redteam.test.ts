// Red team, round 6: the round-5 fixes (holes 1, 3, 5, 7) and the new cadences (ban watch, online refresh,
// snapshot rewrite) attacked through the BUILT bundle in the emulator against the fake CAD and a real
// MariaDB (dev/mariadb.ts), plus the bundle's own refreshers and Sharing in process where one server's
// clock must step (the emulator cannot step one server's clock). Holes (cause), each an `openHole` test
// while open (skipped in `npm test`; `REDTEAM_OPEN=1 npx vitest run test/redteam/round6.redteam.test.ts`
// runs them, and they fail there), an `it` once fixed (marked "fixed" below and in the test's name); the
// other `it` tests are attacks that held, kept as guards:
// 1. a server whose clock steps BACK between two polls dates what it writes minutes in the past
//    (shared-clock.ts toShared caps a stamp at the LOCAL now + 5 s, then adds the stale offset): a ban its
//    lookup finds loses the newest-wins UPDATE to any answer written in those minutes and is never shared
//    (neighbour of round 5 hole 7; the round-4 suspicion guessed the opposite direction);
// 2. (fixed) the ban watch ran on the lease holder only, with the holder's own `freshness` (not in the share
//    identity, open.ts): a holder with the watch off (or slow) left every follower without one. Now every
//    run is noted in the database (schema 4, <prefix>watch), and a follower whose own banWatchSeconds
//    passed since the last noted run runs the watch itself (shared-watch.ts); its test runs;
// 3. (fixed) a holder that cannot reach the CAD (a revoked/old API key: fatal, syncing stopped) kept
//    renewing the lease (sharing.ts tick): no server swept or watched bans for the community. Now a holder
//    whose sync stopped, or whose CAD calls failed for longer than the lease, gives the lease up (said
//    once) and takes it again only once its own calls succeed (cad-health.ts); its test runs;
// 4. the database dropped and recreated (a restore) answers ER_BAD_DB_ERROR for a moment: classifyDbError
//    calls it 'credentials' and every server stops sharing until restarted (database.ts CREDENTIAL_ERRORS);
// 5. (fixed) a ban a connect lookup found before the first sweep ended was never written to the snapshot
//    (account-cache.ts persist: lastRefreshAt === null): a restart with the CAD down admitted the player.
//    Now the snapshot holds those bans only (savedAt null), enforced on load without the cache counting
//    as ready (early-bans.ts); its test runs;
// 6. hole 5's fix keeps the old hash for default statuses; an earlier release hashes every server that
//    way: an un-updated holder sweeping only "active" still hides bans from an updated main server;
// 7. (fixed) the sweep lease lost mid-sweep dropped the whole result, bans its pages read included (sharing.ts
//    sweepHere catch), and the next holder found the last version fresh and did not sweep. Now the bans
//    the stopped sweep's pages read are merged and written as lookups (bans-read.ts); its test runs;
// 8. a truncated lookups table with a lookup written before the next poll is never noticed (hole 9's fix
//    looks for emptiness only, lookup-sharing.ts poll `emptied`); the holder's ban watch does not repair it
//    (its intake shares only what changed the holder's own cache: account-cache.ts start, intake);
// 9. (fixed, by 7's fix) the same drop as 7 on a follower back from an outage in the middle of its own
//    alone sweep: the ban its pages read was merged nowhere (neighbour of round 5 hole 1); its test runs.
// Also fixed (now `it`; docs/architecture.md "Round 6"): 1 (the shared clock carries the database's time
// between polls by the monotonic clock: Clock.monotonic, shared-clock.ts), 4 (a credentials-class code
// refuses for good only before the first connect: sharing.ts lost), 6 (the share identity always carries
// the statuses and a share-format marker: open.ts shareIdentity), 8 (the lookups table's mark, which no
// truncate keeps, and the holder's ban watch writing a ban the database lacks: store.bansMissing).
// Held (guards): the same clock scenario without a step; the ban watch at the holder reaching a follower;
// the versions table truncated (id reuse: the flip's fence refuses it, the bans go as lookups); a ban the
// holder's ban watch reads while its database is cut, also while the lease moves (written at rejoin).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { info, lines, sharedDatabaseBench, statusOf, sweepsNow } from './shared-db';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad } from '../integration/harness';
import { connectAs } from '../integration/players';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { openDatabase } from '../../src/core/shared/database';
import { createMysqlStore } from '../../src/core/shared/mysql-store';
import { createSharing } from '../../src/core/shared/sharing';
import type { Clock } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock } from '../core/helpers';

let cad: FakeCad;
const bench = sharedDatabaseBench(() => cad);
const { servers, proxyTo, viaProxy, sqlQuery, start } = bench;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ban rule: a server clock stepped BACK between two polls (round 6, neighbour of round 5 hole 7)', () => {
  // Hole 7's fix caps what the database takes at its own NOW (mysql-store.ts LEAST(..., NOW)): a lookup
  // dated ahead no longer outranks a later one. The other direction was left: shared-clock.ts toShared()
  // caps a local stamp at the LOCAL now + 5 s and adds the offset measured at the last poll. A server whose
  // clock steps BACK by minutes (NTP stepping a fast clock, a VM restored) dates every answer it writes
  // until its next poll that many minutes in the past, whatever account-cache.ts's monotonic stamp says.
  // A ban its lookup finds then loses the newest-wins UPDATE (`observed_at < ?`) against any answer
  // another server wrote in those minutes (the player connected to C a minute ago, active): it is never
  // written, no other server hears of it, and the player stays on C until the next sweep (refreshMinutes).
  // Real refreshers and Sharing (the bundle's code, in process) on the real MariaDB.
  const clockBackScenario = async (stepMs: number) => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 61 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const parsed = parseConnectionString(bench.db.uri());
    if (!parsed.ok) throw new Error(parsed.error);
    const prefix = `r6back${stepMs === 0 ? 0 : 1}_`;
    const running: { stop(): void; sharing: { stop(): Promise<void> } }[] = [];
    const server = (name: string, clock: Clock, pollSeconds: number) => {
      const config = configFor(cad, { refreshMinutes: 60, database: { enabled: true, leaseSeconds: 30, pollSeconds, tablePrefix: prefix } });
      const log = captureLog();
      const store = createMysqlStore(openDatabase(parsed.connection), prefix, 'c10c4b4c6c10c4b4');
      const sharing = createSharing({ store, config, clock, log, holderId: name });
      const cache = createAccountCache({ config, transport: createNodeTransport(), clock, files: memoryFiles(), log, random: () => 0, ...sharing.cacheDeps });
      sharing.attach(cache);
      running.push({ stop: () => cache.stop(), sharing });
      return { cache, sharing, log };
    };
    try {
      const a = server('A', realClock, 0.1);
      await a.cache.refresh();
      await waitFor(() => a.sharing.sweeping(), 'A holds the lease');
      let step = 0;
      const stepped: Clock = { now: () => Date.now() + step, monotonic: realClock.monotonic, setTimeout: realClock.setTimeout };
      // F polls every 10 s (the default is 5): the step falls between two of its polls.
      const f = server('F', stepped, 10);
      await f.cache.refresh();
      const c = server('C', realClock, 0.1);
      await c.cache.refresh();
      // The player connects to C: C's lookup writes Z active (dated now).
      expect((await c.cache.lookup(z.apiIds[0]!, 2000, { fresh: true }))?.status).toBe(1);
      await sleep(300);
      // The CAD bans Z; F's clock has just stepped 2 minutes back; a refreshPlayer on F finds the ban.
      cad.ban(z.uuid);
      step = stepMs;
      expect((await f.cache.lookup(z.apiIds[0]!, 2000, { fresh: true }))?.status).toBe(4);
      await sleep(3000);
      expect([a.cache.find(z.apiIds[0]!)?.status, c.cache.find(z.apiIds[0]!)?.status]).toEqual([4, 4]);
    } finally {
      for (const r of running) {
        r.stop();
        await r.sharing.stop();
      }
    }
  };
  it('ban rule / a ban found by a server whose clock just stepped 2 min BACK is never written (it loses to an older answer): the other servers keep the banned account active', () => clockBackScenario(-120_000), 30_000);
  it('ban rule / the same with no clock step: the ban reaches the other servers (guard)', () => clockBackScenario(0), 30_000);
});

describe('ban rule: the ban watch runs on the lease holder only (round 6)', () => {
  // The owner README ("Freshness"): with `freshness.banWatchSeconds` a CAD ban "closes the connect gate and
  // drops the online player" within about that long; with `database.enabled` "the server holding the sweep
  // lease runs the ban watch for the community" (sharing.ts cadencesRunHere: mode !== 'shared' || holds()).
  // But the holder's own settings decide whether and how often that watch runs: `freshness` is not part of
  // the share identity (open.ts shareIdentity: URL, version, community, statuses), like `statuses` before
  // round 5's hole 5. A holder with the watch off (0) or slow (3600) leaves every follower without one; a
  // follower configured for 10 s never reads the banned list itself, and its banned online player stays
  // until the holder's next sweep (refreshMinutes).
  const watchScenario = async (holderWatchSeconds: number, prefix: string) => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 62 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const a = await start(prefix, bench.db.uri(), { config: { freshness: { banWatchSeconds: holderWatchSeconds, onlineRefreshMinutes: 0 } } });
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const b = await start(prefix, bench.db.uri(), { config: { freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } } });
    await waitFor(() => lines(b, 'loaded shared version').length >= 1, 'B loads A\'s version');
    const player = await connectAs(b.fx, cad, z);
    expect(player.accepted).toBe(true);
    cad.ban(z.uuid);
    const banned = Date.now();
    // B's own promise: within about banWatchSeconds (10 s) + pollSeconds; 16 s is generous.
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === player.id), 'B drops the banned player', 16_000).catch(() => {});
    expect({ dropped: b.fx.droppedBy.map((d) => d.id), within16s: Date.now() - banned <= 16_500 }).toEqual({ dropped: [player.id], within16s: true });
  };
  it('ban rule / a holder with the ban watch off (banWatchSeconds 0): a follower set to 10 s runs the watch itself and drops its banned online player (hole 2, fixed)', () => watchScenario(0, 'r6watch0_'), 45_000);
  it('ban rule / a holder with the watch at 10 s: the follower drops its banned online player within about 10 s (guard)', () => watchScenario(10, 'r6watch10_'), 45_000);
});

describe('ban rule: a holder that cannot reach the CAD keeps the lease (round 6)', () => {
  // The owner rotates the API key (or one machine's network to the CAD fails) and one server keeps the old
  // key: the CAD refuses it ("INVALID API KEY", fatal: that server stops syncing until restart). Its
  // database connection is fine, so its poll keeps renewing the sweep lease (sharing.ts tick -> renewOrTake,
  // whatever the refresher's state): no other server ever sweeps, and the ban watch, which runs only on the
  // holder, never reads the banned list for anyone. A player online on a healthy follower (right key, ban
  // watch 10 s) banned in the CAD is never dropped there. The API key api (the old one) leaks nowhere either.
  it('ban rule / a holder with a revoked API key gives the lease up: the healthy follower sweeps and watches bans, its banned online player is dropped (hole 3, fixed)', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 63 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const a = await start('r6key_', bench.db.uri(), { convars: { sonoran_apiKey: 'OLD-KEY-7d41c2aa-revoked' }, waitReady: false, config: { freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } } });
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const b = await start('r6key_', bench.db.uri(), { waitReady: false, config: { freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } } });
    await waitFor(() => lines(b, 'shared database connected').length >= 1, 'B connected');
    const player = await connectAs(b.fx, cad, z);
    expect(player.accepted).toBe(true);
    cad.ban(z.uuid);
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === player.id), 'B drops the banned player', 20_000).catch(() => {});
    // (held) A's revoked key is in none of its console lines.
    expect(a.fx.consoleLines.filter((l) => l.includes('OLD-KEY-7d41c2aa'))).toEqual([]);
    expect({ dropped: b.fx.droppedBy.map((d) => d.id), bSweeps: sweepsNow(b) }).toEqual({ dropped: [player.id], bSweeps: true });
  }, 45_000);
});

describe('ban rule: the database dropped and recreated (a restore from backup) (round 6)', () => {
  // Restoring the database from a dump (`DROP DATABASE x; CREATE DATABASE x;` then the import, as
  // mysqldump --add-drop-database writes it) leaves a moment where the database does not exist. A server
  // that asks just then gets ER_BAD_DB_ERROR, which database.ts classifyDbError files under 'credentials'
  // (CREDENTIAL_ERRORS), and sharing.ts lost() turns that into mode 'refused' "until the resource restarts":
  // it never rejoins, never reads another server's answers again, and writes none of its own
  // (lookup-sharing.ts found: refused -> dropped). I1 ("a ban found by a lookup (written at once) ...
  // every server connected to it refuses that account ... within about 5 s") fails for good.
  it('ban rule / database dropped and recreated for 2 s: the follower stops sharing for good, a ban another server\'s lookup found never reaches its online player', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 64 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const name = 'r6restore';
    await sqlQuery(`CREATE DATABASE IF NOT EXISTS \`${name}\``);
    const watchOff = { freshness: { banWatchSeconds: 0, onlineRefreshMinutes: 0 } };
    const a = await start('r6rst_', bench.db.uri(name), { config: watchOff });
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const b = await start('r6rst_', bench.db.uri(name), { config: watchOff });
    await waitFor(() => lines(b, 'loaded shared version').length >= 1, 'B loads A\'s version');
    const onA = await connectAs(a.fx, cad, z);
    const onB = await connectAs(b.fx, cad, z, 'Twin');
    expect([onA.accepted, onB.accepted]).toEqual([true, true]);

    // The restore: the database is gone for 2 s, then recreated (empty; the servers recreate their tables).
    await sqlQuery(`DROP DATABASE \`${name}\``);
    await sleep(2000);
    await sqlQuery(`CREATE DATABASE \`${name}\``);
    await sleep(3000);

    // The CAD bans Z; A's refreshPlayer finds it and drops the player there. B must follow within ~5 s.
    cad.ban(z.uuid);
    await a.fx.callExport('sonoran_accounts', 'refreshPlayer', onA.id);
    expect(a.fx.droppedBy.map((d) => d.id)).toContain(onA.id);
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === onB.id), 'B drops the banned player', 6000).catch(() => {});
    const refused = lines(b, 'refused this server').length + lines(a, 'refused this server').length;
    expect({ dropped: b.fx.droppedBy.map((d) => d.id), refused }).toEqual({ dropped: [onB.id], refused: 0 });
  }, 45_000);
});

describe('ban rule: a ban a lookup found before the first sweep ended, across a restart (round 6, neighbour of round 5 hole 3)', () => {
  // Hole 3's fix writes the snapshot when a new ban arrives between sweeps (account-cache.ts persist()),
  // but not before the cache holds a sweep or a snapshot (`lastRefreshAt === null`: "a handful of lookups is
  // no account list"). The first sweep of a big community takes minutes (v1) to most of an hour (v2, the
  // owner README); a banned player refused meanwhile by a connect lookup is remembered in memory only. The
  // resource restarts (an owner's restart, a crash) while the CAD is in an outage: the cache is empty, the
  // lookup cannot answer and `connect.whenCadUnavailable` (default "allow") admits the banned player, whom
  // this server already knew to be banned. No database here: the default, one-server setup.
  it('ban rule / a ban a connect lookup found during the first (slow) sweep survives a restart: with the CAD down the banned player is refused (hole 5, fixed)', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 65 });
    const z = cad.addAccount({ status: 4 });
    cad.fault('latency', { ms: 30_000, route: 'accounts' });
    const h = await startHarness({ existingCad: cad, waitReady: false, config: { refreshMinutes: 10 } });
    servers.push(h);
    const first = await connectAs(h.fx, cad, z);
    expect([first.accepted, h.fx.callExport('sonoran_accounts', 'isReady')]).toEqual([false, false]);

    await sleep(500);
    h.fx.stopResource('sonoran_accounts');
    cad.clearFaults();
    cad.fault('5xx', { status: 503 });
    await h.fx.startResource({ name: 'sonoran_accounts', path: h.folder });
    const again = await connectAs(h.fx, cad, z);
    cad.clearFaults();
    expect(again.accepted).toBe(false);
  }, 45_000);
});

describe('ban rule: the versions table emptied by the owner (round 6)', () => {
  // Attack: a follower knows which version it holds by its id alone (version-source.ts read, sharing.ts
  // tick). TRUNCATE resets <prefix>versions' AUTO_INCREMENT: the holder's next version reuses id 1, the id
  // a follower that loaded the first version still holds. Held: the reused row is the one state already
  // names, so the flip's fence (`cv.started_at < ?`) refuses it, and the holder shares the sweep's bans
  // as lookup answers (sharing.ts settled -> shareBans); the follower drops the player within a poll.
  it('ban rule / versions table truncated: the holder\'s next version reuses id 1; its bans still reach a follower holding version 1 (guard)', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 66 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const a = await start('r6vtr_', bench.db.uri());
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const b = await start('r6vtr_', bench.db.uri());
    await waitFor(() => lines(b, 'loaded shared version 1:').length >= 1, 'B loads version 1');
    const player = await connectAs(b.fx, cad, z);
    expect(player.accepted).toBe(true);

    await sqlQuery('TRUNCATE TABLE `r6vtr_accounts`');
    await sqlQuery('TRUNCATE TABLE `r6vtr_versions`');
    await sleep(1000);
    cad.ban(z.uuid);
    expect(((await a.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean }).ok).toBe(true);
    expect(statusOf(a, z.apiIds[0]!)).toBe(4);
    const ids = ((await sqlQuery('SELECT id FROM `r6vtr_versions`')) as { id: number }[]).map((r) => Number(r.id));
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === player.id), 'B drops the banned player', 5000).catch(() => {});
    expect({ ids, dropped: b.fx.droppedBy.map((d) => d.id) }).toEqual({ ids: [1], dropped: [player.id] });
  }, 45_000);
});

describe('ban rule: the ban watch on a holder whose database fails mid-run (round 6)', () => {
  // Attack: the holder's ban watch reads a ban while its database connection is cut (the write of that
  // answer fails, or the server already runs alone and keeps it); optionally the lease moves to the
  // follower meanwhile (a holder change mid-watch; the new holder's own watch is off, so only the old
  // holder's answer can bring the ban). Held: the answer is kept (lookup-sharing.ts keep) and written at
  // rejoin before anything is loaded (sharing.ts connect -> shareHeldBans, flush); the follower drops the
  // player within a poll of the rejoin.
  const midWatch = async (prefix: string, outageMs: number) => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 67 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const hop = await proxyTo(bench.db.port);
    const a = await start(prefix, viaProxy(hop), { config: { freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } }, database: { leaseSeconds: 4 } });
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const b = await start(prefix, bench.db.uri(), { config: { freshness: { banWatchSeconds: 0, onlineRefreshMinutes: 0 } }, database: { leaseSeconds: 4 } });
    await waitFor(() => lines(b, 'loaded shared version').length >= 1, 'B loads A\'s version');
    const player = await connectAs(b.fx, cad, z);
    expect(player.accepted).toBe(true);

    // A's next ban watch page is slow; while it is on its way A's database connection is cut and the CAD bans Z.
    cad.fault('latency', { ms: 1500 + outageMs / 2, route: 'accounts', times: 1 });
    await waitFor(() => cad.requests.some((r) => r.fault === 'latency'), 'A\'s ban watch asks', 15_000);
    hop.cut();
    cad.ban(z.uuid);
    await waitFor(() => statusOf(a, z.apiIds[0]!) === 4, 'A\'s watch read the ban', 15_000);
    await sleep(Math.max(0, outageMs - 1500));
    if (outageMs > 4000) expect(sweepsNow(b)).toBe(true);
    expect(b.fx.droppedBy).toEqual([]);
    hop.restore();
    await waitFor(() => lines(a, 'shared database is back').length >= 1, 'A is back', 10_000);
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === player.id), 'B drops the banned player', 5000).catch(() => {});
    expect(b.fx.droppedBy.map((d) => d.id)).toEqual([player.id]);
  };
  it('ban rule / the holder\'s ban watch reads a ban while its database is cut: written at rejoin, the follower drops the player (guard)', () => midWatch('r6bwcut_', 1500), 60_000);
  it('ban rule / the same while the lease moves to the follower (its watch off): the old holder\'s answer still reaches it (guard)', () => midWatch('r6bwmove_', 9000), 60_000);
});

describe('ban rule: a holder of the previous release sweeping only "active" (round 6, bypass of round 5 hole 5)', () => {
  // Hole 5's fix puts `statuses` in the share identity, but keeps the old hash for the default statuses
  // ("servers of an earlier release with default settings keep sharing their rows", open.ts shareIdentity).
  // An earlier release hashes every server the old way, whatever its statuses: a training server not yet
  // updated, configured with `statuses: ["active"]`, lands on the very hash the updated main server
  // (default statuses) uses, holds the lease, and publishes versions without a single ban. The schema is
  // the same (no migration since), so nothing tells them apart: hole 5 again during a rolling update. The
  // earlier release is the bundle built from the commit before the fix (d22e8f0^), built by this test.
  it('ban rule / an earlier-release holder with statuses ["active"] shares with an updated main server: a player banned in the CAD stays online there', async () => {
    const { execFileSync } = await import('node:child_process');
    const { existsSync, mkdtempSync, rmSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const old = mkdtempSync(join(tmpdir(), 'r6-old-release-'));
    execFileSync('sh', ['-c', `git archive d22e8f0^ | tar -x -C '${old}'`], { cwd: process.cwd() });
    symlinkSync(join(process.cwd(), 'node_modules'), join(old, 'node_modules'));
    execFileSync('node', ['build.mjs'], { cwd: old, stdio: 'ignore' });
    expect(existsSync(join(old, 'dist/server.js'))).toBe(true);
    const oldBundle = readFileSync(join(old, 'dist/server.js'), 'utf8');
    rmSync(old, { recursive: true, force: true });

    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 40, seed: 68 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const training = await startHarness({
      existingCad: cad,
      config: { refreshMinutes: 10, statuses: ['active'], database: { enabled: true, leaseSeconds: 10, pollSeconds: 0.2, tablePrefix: 'r6mix_' } },
      convars: { mysql_connection_string: bench.db.uri() },
      files: { 'dist/server.js': oldBundle },
    });
    servers.push(training);
    await waitFor(() => sweepsNow(training), 'the training server (earlier release) holds the lease');
    const main = await start('r6mix_', bench.db.uri());
    await waitFor(() => sweepsNow(main) || lines(main, 'loaded shared version').length >= 1, 'main sweeps or loads a version');
    const player = await connectAs(main.fx, cad, z);
    expect(player.accepted).toBe(true);

    cad.ban(z.uuid);
    await training.fx.callExport('sonoran_accounts', 'refresh');
    await main.fx.callExport('sonoran_accounts', 'refresh');
    await sleep(1500);
    expect({ loadedFromTraining: lines(main, 'loaded shared version').length, dropped: main.fx.droppedBy.map((d) => d.id) }).toEqual({ loadedFromTraining: 0, dropped: [player.id] });
  }, 90_000);
});

describe('ban rule: the sweep lease lost mid-sweep, after a page read the ban (round 6)', () => {
  // The holder's sweep reads the banned list's first page (Z banned there) and loses the sweep lease before
  // its last page (its database stalled past leaseSeconds, another server took it and died: here the lease
  // row handed to a ghost for 3 s). sharing.ts sweepHere: the sweep stops between two pages and its result
  // is dropped whole, the ban its pages already read included (never merged, never shared as a lookup,
  // unlike a finished sweep that could not be published: settled -> shareBans). The next holder finds the
  // last version still fresh and does not sweep ("use it, sweep on schedule"): the player stays online on
  // both servers until the next ban-watch run or sweep, though a page of this community's sweep read the ban.
  it('ban rule / the holder loses the lease after its sweep read a ban: the ban its pages read is kept and shared, both servers drop the player (hole 7, fixed)', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 40, seed: 69 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    for (let i = 0; i < 205; i++) cad.addAccount({ status: 4 }); // three pages of bans; Z, banned later, is on the first
    // Default freshness (ban watch every 60 s: its first run is past the end of this test).
    const a = await start('r6mid_', bench.db.uri(), { database: { leaseSeconds: 2 } });
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const b = await start('r6mid_', bench.db.uri(), { database: { leaseSeconds: 2 } });
    await waitFor(() => lines(b, 'loaded shared version').length >= 1, 'B loads A\'s version');
    const onA = await connectAs(a.fx, cad, z);
    const onB = await connectAs(b.fx, cad, z, 'Twin');
    expect([onA.accepted, onB.accepted]).toEqual([true, true]);

    cad.ban(z.uuid);
    cad.resetRequests();
    // A's sweep: the active page and the first banned page at once, the second banned page slow.
    cad.fault('latency', { ms: 3000, route: 'accounts', after: 2, times: 1 });
    const sweep = a.fx.callExport('sonoran_accounts', 'refresh') as Promise<{ ok: boolean }>;
    await waitFor(() => cad.requests.some((r) => r.fault === 'latency'), 'A reads its slow page');
    await sqlQuery("UPDATE `r6mid_lease` SET holder = 'ghost', token = token + 1, expires_at = CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) + 3000");
    await sweep.catch(() => null);
    await waitFor(() => lines(a, 'lost the sweep lease').length >= 1, 'A lost the lease');
    // The ghost's lease runs out in 3 s; within 6 s more both servers must have dropped Z's players.
    await sleep(3000);
    await waitFor(() => a.fx.droppedBy.length > 0 && b.fx.droppedBy.length > 0, 'both drop the banned player', 6000).catch(() => {});
    expect({ a: a.fx.droppedBy.map((d) => d.id), b: b.fx.droppedBy.map((d) => d.id), stopped: lines(a, 'stopped this sweep').length }).toEqual({ a: [onA.id], b: [onB.id], stopped: 1 });
  }, 60_000);
});

describe('ban rule: the lookups table truncated while players keep connecting (round 6, bypass of round 5 hole 9)', () => {
  // Hole 9's fix notices a truncated lookups table by its emptiness: a poll that sees `has_lookups` go
  // from true to false with the state row unchanged (lookup-sharing.ts poll `emptied`), and then has every
  // server write its held bans again. A busy community writes a lookup answer every few seconds (each
  // stranger's connect): one written between the TRUNCATE and the next poll (pollSeconds, 5 s by default)
  // makes the table non-empty again, no server ever sees it empty, and the bans found by lookups since the
  // current version's sweep began are gone for good. A server started afterwards admits the banned player.
  // The holder's ban watch does not repair it: it reads the ban every run, but shares only what changed
  // its own cache, and the holder already holds the ban.
  it('ban rule / lookups table truncated and a stranger connects right after: no server notices, a server started afterwards admits a player another server shows as banned', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 70 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const slowPoll = { pollSeconds: 2, leaseSeconds: 5 };
    // The ban watch at 10 s on every server: it runs on A (the holder) and reads Z banned, but A already
    // holds that ban, so its intake shares nothing (account-cache.ts: `if (merge(account)) onLookedUp`).
    const watch = { freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } };
    const a = await start('r6trc_', bench.db.uri(), { database: slowPoll, config: watch });
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const b = await start('r6trc_', bench.db.uri(), { database: slowPoll, config: watch });
    await waitFor(() => lines(b, 'loaded shared version').length >= 1, 'B loads A\'s version');
    const player = await connectAs(b.fx, cad, z);
    cad.ban(z.uuid);
    await b.fx.callExport('sonoran_accounts', 'refreshPlayer', player.id);
    expect(statusOf(b, z.apiIds[0]!)).toBe(4);
    await waitFor(() => statusOf(a, z.apiIds[0]!) === 4, 'A merged B\'s answer', 6000);

    await sqlQuery('TRUNCATE TABLE `r6trc_lookups`');
    // A stranger joins A at once: their lookup answer is written before any server polls again.
    expect((await connectAs(a.fx, cad, cad.addAccount({ status: 1 }), 'Stranger')).accepted).toBe(true);
    // Past a run of A's ban watch.
    await sleep(12_000);
    const c = await start('r6trc_', bench.db.uri(), { database: slowPoll, config: watch });
    await waitFor(() => lines(c, 'loaded shared version').length >= 1, 'C loads the version');
    await sleep(5000);
    const joined = await connectAs(c.fx, cad, z);
    expect(info(a).banWatchAt).not.toBeNull(); // A's watch has read the banned list since the truncate
    expect([statusOf(b, z.apiIds[0]!), statusOf(c, z.apiIds[0]!), joined.accepted]).toEqual([4, 4, false]);
  }, 60_000);
});

describe('ban rule: a follower back from an outage in the middle of its own sweep (round 6, neighbour of round 5 hole 1)', () => {
  // Round 5 hole 1's fix merges an older version account by account once the follower's alone sweep is
  // done. Unfinished, that sweep is dropped: back with the database and not the holder, the follower stops
  // between two pages (sharing.ts sweepHere: cancelled -> handedOver) and serves the current version,
  // which the holder swept before the ban. The ban the alone sweep's pages already read is merged nowhere
  // and written for nobody (connect -> shareHeldBans reads the cache, which never got it): the follower's
  // banned player stays online until the holder's next ban-watch run or sweep.
  it('ban rule / a follower rejoins while its alone sweep is between two pages: the ban its pages read is kept, the player dropped (hole 9, fixed)', async () => {
    cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 40, seed: 71 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    for (let i = 0; i < 205; i++) cad.addAccount({ status: 4 });
    const a = await start('r6half_', bench.db.uri());
    await waitFor(() => sweepsNow(a), 'A holds the lease');
    const hop = await proxyTo(bench.db.port);
    const b = await start('r6half_', viaProxy(hop));
    await waitFor(() => lines(b, 'loaded shared version').length >= 1, 'B loads A\'s version');
    const player = await connectAs(b.fx, cad, z);
    expect(player.accepted).toBe(true);

    hop.cut();
    await waitFor(() => lines(b, 'shared database lost').length === 1, 'B runs alone');
    cad.ban(z.uuid);
    cad.resetRequests();
    cad.fault('latency', { ms: 3000, route: 'accounts', after: 2, times: 1 });
    const sweep = b.fx.callExport('sonoran_accounts', 'refresh') as Promise<unknown>;
    await waitFor(() => cad.requests.some((r) => r.fault === 'latency'), 'B reads its slow page (its first banned page read)');
    hop.restore();
    await waitFor(() => lines(b, 'shared database is back').length === 1, 'B is back');
    await sweep;
    await waitFor(() => b.fx.droppedBy.length > 0, 'B drops the banned player', 5000).catch(() => {});
    expect({ dropped: b.fx.droppedBy.map((d) => d.id), stopped: lines(b, 'stopped this sweep').length }).toEqual({ dropped: [player.id], stopped: 1 });
  }, 60_000);
});
