// One community, several servers: whoever holds the lease sweeps the CAD and publishes the result as a
// version; every other server polls the small state row and loads a version only when a new one is
// current. Every CAD call of every server takes a token of one shared budget. Single lookup answers are
// written for the others. When the database cannot be reached, this server runs alone exactly as it
// would without sharing (its own sweep, pacing and snapshot) and rejoins once it answers again.
//
// It plugs into the refresher through three seams only: an AccountSource (where a refresh's accounts
// come from), the scheduler's permit (the shared budget: shared-budget.ts) and the lookup hook (answers to share). A
// version is one more source of observations (version-source.ts), lookups travel both ways
// (lookup-sharing.ts), and both are dated by the database's clock on the way (shared-clock.ts).
import { randomBytes } from 'crypto';
import type { AccountSource, SweepRunOptions } from '../account-cache';
import type { Config } from '../config';
import { intervalFor } from '../scheduler';
import type { SweepResult } from '../sweep';
import { ACCOUNT_STATUS, type CacheInfo, type CachedAccount, type Clock, type Logger, type TimerHandle } from '../types';
import { CONNECTION_CONVAR } from './connection-string';
import { classifyDbError, describeDbError } from './database';
import { lookupSharing } from './lookup-sharing';
import { sharedClock } from './shared-clock';
import type { SharedStore } from './store';
import { versionSource } from './version-source';
import { alonePace } from './alone-pace';
import { onlineSharing } from './online-sharing';
import { sharedBudget, tokenDeadlineMs } from './shared-budget';
import { sweepLease } from './sweep-lease';
import { keepBansRead } from '../bans-read';
import { cadHealth } from './cad-health';
import { sharedWatch } from './shared-watch';

/** What the coordinator drives on the refresher. */
export interface SharedCache {
  refresh(): Promise<unknown>;
  absorb(account: CachedAccount): void;
  /** Banned accounts it holds observed at or after `since` (its own clock). */
  bansObservedSince(since: number): CachedAccount[];
  info(): CacheInfo;
  /** The accounts (uuids) standing for this server's online players: published for the lease holder's online refresh. */
  onlineAccounts?(): Iterable<string>;
}

export type SharingMode = 'connecting' | 'shared' | 'alone' | 'refused';

export interface SharingStatus {
  mode: SharingMode;
  /** This server holds the sweep lease. */
  sweeping: boolean;
  /** This server's name in the lease row. */
  server: string;
  /** The lease holder as this server last saw it (null before it asked, or while not sharing). */
  leaseHolder: string | null;
}

export interface SharingDeps {
  store: SharedStore;
  config: Config;
  clock: Clock;
  log: Logger;
  /** How this server is named in the lease row (not a secret; random by default). */
  holderId?: string;
}

/** A holder finding no current version (the state row recreated) sweeps at once, but not more often than this. */
const NO_VERSION_RESWEEP_MS = 30_000;

export function createSharing(deps: SharingDeps) {
  const { store, config, clock, log } = deps;
  const holder = deps.holderId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  const leaseMs = config.database.leaseSeconds * 1000;
  const pollMs = config.database.pollSeconds * 1000;
  const refreshMs = config.refreshMinutes * 60_000;
  const intervalMs = intervalFor(config.apiVersion, config.rateLimit);

  let mode: SharingMode = 'connecting';
  let cache: SharedCache | null = null;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let connecting: Promise<void> | null = null;
  /** This server has connected once: from then on a refusal is the database away, not a wrong convar. */
  let everShared = false;
  let ticking = false;
  const shared = sharedClock(clock);
  /** Reads the shared clock (and measures this server's offset to it) with every state read. */
  const readState = async () => {
    const sent = clock.monotonic();
    const state = await store.state();
    shared.measured(state.now, sent);
    return state;
  };
  const sharedNow = async () => {
    const sent = clock.monotonic();
    const now = await store.now();
    shared.measured(now, sent);
    return now;
  };
  const lookups = lookupSharing({
    store,
    clock: shared,
    connected: () => mode === 'shared',
    refused: () => mode === 'refused',
    warn: (line) => log.warn(line),
    lost: (err) => lost(err),
    absorb: (account) => cache?.absorb(account),
  });
  const versions = versionSource({ clock: shared, lookups, log, absorb: (account) => cache?.absorb(account) });
  /** Servers seen lately in the roster: while alone, this server takes its share of the key's rate. */
  const alone = alonePace(intervalMs);
  /** This server's online players for the holder, and (holding the lease) the other servers'. */
  const online = onlineSharing({ store, holder, now: clock.now, windowMs: 2 * leaseMs + pollMs, rewriteMs: leaseMs, warn: (line) => log.warn(line) });
  /** This server's own CAD calls: unfit, it neither holds nor takes the sweep lease (cad-health.ts). */
  const health = cadHealth(clock, leaseMs, 2 * leaseMs);
  /** Who runs the ban watch while sharing (shared-watch.ts). */
  const watch = sharedWatch({ clock, everyMs: config.freshness.banWatchSeconds * 1000, pollMs });
  /** A failing network helps nobody by giving the lease up when no other server is there to take it. */
  const unfit = () => health.unfit() && (health.syncStopped() || alone.servers() > 1);

  const lease = sweepLease({ store, holder, leaseMs, log });
  const renewOrTake = lease.renewOrTake;
  const holds = () => mode === 'shared' && lease.token() !== null;

  // ---- faults ---------------------------------------------------------------------------------

  /** Any failed database call: run alone until it answers again (or for good, on bad credentials). */
  const lost = (err: unknown) => {
    if (stopped || mode === 'refused') return;
    lease.forget();
    const failure = classifyDbError(err);
    // Credentials are judged on the first connect only: once this server has shared, the same codes mean
    // the database is away for now (dropped and recreated by a restore, rights being re-granted).
    if (failure === 'credentials' && !everShared) {
      mode = 'refused';
      log.error(`shared database refused this server (${describeDbError(err)}): check the user, password, database and rights in the convar ${CONNECTION_CONVAR}. Running alone (own sweep, pacing and snapshot) until the resource restarts`);
      store.close().catch(() => {});
      return;
    }
    if (mode === 'alone') return;
    const wasShared = mode === 'shared';
    mode = 'alone';
    if (failure === 'credentials') {
      log.warn(`shared database answered ${describeDbError(err)} although it accepted this server before (the database dropped and recreated by a restore, or its rights changed): running alone (own sweep, pacing and snapshot) and retrying every poll; it rejoins and recreates its tables when the database is back`);
      return;
    }
    const share = alone.servers() > 1 ? `, at 1/${alone.servers()} of the key's rate (${alone.servers()} servers seen lately)` : '';
    const aloneLine = `running alone (own sweep, pacing and snapshot${share}) and rejoining when it answers again`;
    log.warn(wasShared ? `shared database lost (${describeDbError(err)}); ${aloneLine}` : `shared database unreachable (${describeDbError(err)}); ${aloneLine}`);
  };

  /** Tells the others every ban this server holds that the current version's sweep cannot know. */
  const shareHeldBans = (state: { versionStartedAt: number | null }) => {
    const since = state.versionStartedAt === null ? -Infinity : shared.toLocal(state.versionStartedAt);
    const bans = cache?.bansObservedSince(since) ?? [];
    for (const account of bans) lookups.found(account);
    return bans.length;
  };

  const connect = async () => {
    try {
      await store.prepare();
      await sharedNow();
      // Bans this server holds that the current version cannot know (its snapshot, saved by an instance
      // that ran alone and then stopped or crashed with its answers unwritten) are told to the others too.
      shareHeldBans(await readState());
      // What this server's lookups found while the database was away goes in before any version is
      // loaded: a version whose sweep read an account before a ban found here would otherwise take it back.
      await lookups.flush();
      const wasAlone = mode === 'alone';
      mode = 'shared';
      everShared = true;
      log.info(
        wasAlone
          ? 'shared database is back: sharing sweeps and the CAD rate budget again'
          : `shared database connected (tables ${config.database.tablePrefix}*): sharing sweeps and the CAD rate budget with this community's other servers`,
      );
    } catch (err) {
      lost(err);
    }
  };
  const ensureConnected = () => {
    if (mode === 'shared' || mode === 'refused') return Promise.resolve();
    connecting ??= connect().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  /** The lease while this server's own CAD calls work; unfit, it gives the lease up (said once) and takes none. */
  let gaveUp = false;
  const leaseIfFit = async (): Promise<boolean> => {
    if (!unfit()) {
      if (gaveUp) log.info('this server\'s CAD calls succeed again: it may sweep for the community again');
      gaveUp = false;
      return renewOrTake();
    }
    if (!gaveUp) {
      gaveUp = true;
      const why = health.syncStopped() ? 'its CAD sync has stopped (a fatal answer, see the sweep failure above)' : 'its CAD calls have failed for longer than the lease';
      log.warn(`this server gives the sweep lease up: ${why}; another server sweeps and watches bans for the community, and this one takes the lease again once its own CAD calls succeed`);
    }
    await lease.release();
    return false;
  };

  // ---- where accounts come from -----------------------------------------------------------------

  /**
   * This server's sweep as the holder: the fencing token and the shared clock when it BEGAN. It is
   * published only while that token is still the lease's and no version of a later sweep is current.
   */
  let holding: { token: number; startedAt: number } | null = null;
  /** When this server's own CAD sweep began (local clock): the one running, and the last one that succeeded. */
  let ownSweepStarting: number | null = null;
  let ownSweptAt: number | null = null;
  /**
   * This server's own CAD sweep pages only while it runs alone or holds the lease: back with the
   * database and following another server (or its lease lost mid-sweep), it stops between two pages and
   * serves the current version instead, so while the database is up only one server sweeps (I3).
   */
  const handedOver = () => mode === 'shared' && !holds();
  const sweepHere = async (sweep: (opts?: SweepRunOptions) => Promise<SweepResult>): Promise<SweepResult | 'unchanged'> => {
    ownSweepStarting = clock.now();
    let read: Iterable<CachedAccount> = [];
    try {
      const result = await sweep({ cancelled: handedOver, readSoFar: (accounts) => (read = accounts) });
      health.succeeded();
      return result;
    } catch (err) {
      if (!handedOver()) {
        health.failed(err);
        throw err;
      }
      holding = null;
      ownSweepStarting = null;
      const bans = keepBansRead(read, { absorb: (account) => cache?.absorb(account), share: (account) => lookups.found(account) });
      const kept = bans > 0 ? `; the ${bans} ban(s) its pages read are kept and shared as lookups` : '';
      log.info(`stopped this sweep: another server holds the sweep lease now; following its versions${kept}`);
      return versions.read(await store.loadCurrent().catch(() => null), ownSweptAt);
    }
  };
  /** A sweep that could not be published still tells the others every ban it saw (as lookup answers). */
  const shareBans = (result: SweepResult) => {
    for (const account of result.accounts.values()) if (account.status === ACCOUNT_STATUS.banned) lookups.found(account);
  };
  const source: AccountSource = {
    async accounts(sweep) {
      holding = null;
      ownSweepStarting = null;
      await ensureConnected();
      if (mode !== 'shared') return sweepHere(sweep);
      try {
        if (!(await leaseIfFit())) return versions.read(await store.loadCurrent(), ownSweptAt);
        const taken = lease.token()!;
        const state = await readState();
        // Just took over from a holder whose last version is still fresh: use it, sweep on schedule.
        if (state.version !== null && state.version !== versions.loaded()?.id) {
          const current = await store.loadCurrent();
          if (current && state.now - current.info.createdAt < refreshMs / 2) return versions.read(current, ownSweptAt);
        }
        holding = { token: taken, startedAt: await sharedNow() };
      } catch (err) {
        lost(err);
      }
      return sweepHere(sweep);
    },
    // After the refresher kept the last good version of any unreadable record: what we swap in is
    // exactly what the others load.
    async settled(result) {
      if (ownSweepStarting !== null) ownSweptAt = ownSweepStarting;
      ownSweepStarting = null;
      const run = holding;
      holding = null;
      if (run === null || mode !== 'shared') {
        // Swept alone (or the database lost since it began): the bans it found reach the other servers
        // as lookup answers when the database answers again (kept until then).
        if (result.shared !== true) shareBans(result);
        return;
      }
      try {
        const accounts = [...result.accounts.values()].map(shared.accountToShared);
        // A sweep resumed after a 429 began before this run: dated by its first page, never later.
        const startedAt = result.startedAt === undefined ? run.startedAt : Math.min(run.startedAt, Math.round(shared.toShared(result.startedAt)));
        const id = await store.publish(holder, run.token, { startedAt, byStatus: result.byStatus, accounts });
        if (id === null) {
          log.warn(`this sweep is not published: the sweep lease changed hands since it began (token ${run.token}), or a later sweep's version is current; the bans it found are shared as lookups`);
          shareBans(result);
        } else {
          versions.noteLoaded({ id, startedAt, createdAt: await sharedNow() });
        }
      } catch (err) {
        lost(err);
        shareBans(result); // kept, and written when the database answers again
      }
    },
  };

  // ---- the shared budget (shared-budget.ts) ----------------------------------------------------

  const budget = sharedBudget({
    store,
    clock,
    intervalMs,
    alone,
    deadlineMs: tokenDeadlineMs(config.connect.timeoutSeconds),
    connected: () => mode === 'shared',
    lost: (err) => lost(err),
    log,
  });

  // ---- lookups shared -------------------------------------------------------------------------

  const onLookedUp = (account: CachedAccount) => {
    health.succeeded(); // a CAD answer: this server's calls work
    lookups.found(account);
  };
  /**
   * Bans the ban watch (run here: the holder, or a follower whose period passed) read again: those the
   * database holds neither as a lookup answer nor in the current version (a row deleted by hand, a table
   * emptied unnoticed) are written again. Checked a page at a time: one query for every ban a page read.
   */
  const reread = new Map<string, CachedAccount>();
  let rereadCheck: TimerHandle | null = null;
  const onBanReread = (account: CachedAccount) => {
    if (mode !== 'shared') return; // alone: what it holds is shared at rejoin (shareHeldBans)
    reread.set(account.uuid.toLowerCase(), account);
    rereadCheck ??= clock.setTimeout(() => {
      rereadCheck = null;
      const batch = new Map(reread);
      reread.clear();
      store.bansMissing([...batch.keys()]).then(
        (missing) => {
          for (const uuid of missing) lookups.found(batch.get(uuid)!);
        },
        (err: unknown) => lost(err),
      );
    }, 0);
  };

  // ---- the poll loop --------------------------------------------------------------------------

  const refreshQuietly = () => {
    cache?.refresh().catch(() => {
      /* reported by the refresher (refreshFailed) */
    });
  };

  /**
   * A new version while this server's own refresh is still running (a long sweep begun alone, a page
   * the CAD is slow to answer): its bans are merged at once, not after that refresh, which may take
   * minutes. The version itself loads at the next poll after the refresh.
   */
  let bansTakenFrom: number | null = null;
  const bansMeanwhile = async (id: number) => {
    if (bansTakenFrom === id || !cache) return;
    const version = await store.loadCurrent();
    if (!version) return;
    bansTakenFrom = version.info.id;
    for (const account of version.accounts) if (account.status === ACCOUNT_STATUS.banned) cache.absorb(shared.accountToLocal(account));
    lookups.takeAll(version.lookups, version.lookupSeq);
  };

  /**
   * The roster only paces this server when it runs alone: a failed check-in (its table dropped by an
   * owner) must not keep the poll from reading versions and lookups. The tables are recreated
   * (store.prepare: CREATE TABLE IF NOT EXISTS) and the failure said once until a check-in succeeds.
   */
  let checkInFailing = false;
  const checkIn = async () => {
    try {
      alone.seen(await store.checkIn(holder, 2 * leaseMs + pollMs));
      checkInFailing = false;
    } catch (err) {
      if (checkInFailing) return;
      checkInFailing = true;
      log.warn(`shared database: this server's check-in failed (${describeDbError(err)}); recreating any missing table and polling on`);
      await store.prepare().catch(() => {});
    }
  };

  /**
   * Notes this server's last ban-watch run and hears of the others'. Like the check-in, a failure here
   * (its table dropped by an owner) must not keep the poll from reading versions and lookups.
   */
  let watchNoteFailing = false;
  const noteWatch = async () => {
    try {
      const ran = watch.unnoted(cache?.info().banWatchAt ?? null);
      if (ran !== null) {
        await store.noteBanWatch(shared.toShared(ran));
        watch.noted(ran);
      }
      const last = await store.lastBanWatch();
      watch.heard(last === null ? null : shared.toLocal(last));
      watchNoteFailing = false;
    } catch (err) {
      if (watchNoteFailing) return;
      watchNoteFailing = true;
      log.warn(`shared database: this server could not note or read the last ban-watch run (${describeDbError(err)}); recreating any missing table and polling on`);
      await store.prepare().catch(() => {});
    }
  };

  const tick = async () => {
    await ensureConnected();
    if (mode !== 'shared' || !cache) return;
    try {
      const sweeping = await leaseIfFit();
      await checkIn();
      await online.poll(cache.onlineAccounts?.() ?? [], sweeping);
      const state = await readState();
      await noteWatch();
      const refreshing = cache.info().refreshing;
      const loaded = versions.loaded();
      if (sweeping) {
        // No version yet (also after the state row was recreated: new servers would start with nothing
        // to load), or the last holder's is long overdue: sweep now rather than at our timer.
        const lastRefreshAt = cache.info().lastRefreshAt ?? 0;
        const overdue =
          state.version === null
            ? loaded === null || clock.now() - lastRefreshAt > NO_VERSION_RESWEEP_MS
            : loaded !== null && state.now - loaded.createdAt > refreshMs + config.refreshJitterSeconds * 1000 + 60_000;
        if (!refreshing && (overdue || state.version !== loaded?.id)) refreshQuietly();
      } else if (!refreshing && state.version !== null && state.version !== loaded?.id) {
        refreshQuietly();
      }
      if (refreshing && state.version !== null && state.version !== loaded?.id) await bansMeanwhile(state.version);
      if (await lookups.poll(state)) {
        // Emptied by hand (TRUNCATE): the bans found by lookups since the current sweep began were only there.
        const n = shareHeldBans(state);
        log.warn(`the shared lookups table was emptied without a new version (truncated?): wrote again the ${n} ban(s) this server holds since the current version's sweep began`);
      }
    } catch (err) {
      lost(err);
    }
  };

  const loop = () => {
    if (stopped || mode === 'refused') return;
    timer = clock.setTimeout(async () => {
      if (ticking) return loop();
      ticking = true;
      try {
        await tick();
      } finally {
        ticking = false;
        loop();
      }
    }, pollMs);
  };

  return {
    /** Everything the refresher takes from sharing, in one piece (AccountCacheDeps). */
    // The ban watch and the online refresh run on the lease holder (alone, every server runs its own); what
    // they find is shared like a lookup. The holder's online refresh covers every server's online players;
    // the ban watch also runs on a follower whose own period passed since the last run any server noted
    // (shared-watch.ts).
    cacheDeps: {
      source,
      permit: budget.permit,
      onPause: budget.onPause,
      onLookedUp,
      onBanReread,
      cadencesRunHere: () => mode !== 'shared' || holds(),
      banWatchRunsHere: () => mode !== 'shared' || holds() || watch.due(),
      onlineElsewhere: () => (holds() ? online.elsewhere() : []),
    },
    holderId: holder,
    mode: () => mode,
    /** True while this server holds the sweep lease. */
    sweeping: holds,
    /** For the status endpoint: this server's role and who holds the lease, as last seen. */
    status: (): SharingStatus => ({ mode, sweeping: holds(), server: holder, leaseHolder: mode === 'shared' ? lease.seenHolder() : null }),
    attach(target: SharedCache) {
      cache = target;
      loop();
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
      if (holds()) await lease.release();
      if (mode === 'shared') await store.leave(holder).catch(() => {});
      lease.forget();
      await store.close().catch(() => {});
    },
  };
}

export type Sharing = ReturnType<typeof createSharing>;
