// The refresher: owns the live index, sweeps on an interval (single-flight, jittered), swaps a new
// index in only when a whole sweep succeeded, serves single lookups, and keeps the snapshot.
import { createCadClient, type CadClient } from './api/client';
import { asCadError, CadFailure } from './api/errors';
import { keepBansRead } from './bans-read';
import { createIndexBuilder, emptyIndex, type AccountIndex, type Conflict } from './account-index';
import type { Config } from './config';
import { accountChange, diffIndexes } from './diff';
import { createScheduler, intervalFor, type Scheduler, type SchedulerOptions } from './scheduler';
import { linkChecker } from './link-check';
import { indexOfSaved, loadSnapshot, saveSnapshot, snapshotOwner } from './snapshot';
import { bansOnly, earlyBansLine } from './early-bans';
import { keepLastGood, oddWarning } from './odd-records';
import type { GrowingMap } from './parted-map';
import { createSlicer, slots } from './slices';
import { createSingleLookups } from './single-lookups';
import { withNegativeCache, type Lookup } from './negative-cache';
import { sweepAccounts, type SweepMap, type SweepProgress, type SweepResult } from './sweep';
import { sweptAccounts } from './sweep-accounts';
import { dropsNone, patchIndex, readOver, type SweepOutcome } from './sweep-patch';
import { startCadences, type Cadences } from './cadences/cadences';
import { sweepResumer } from './sweep-resume';
import { ACCOUNT_STATUS } from './types';
import type {
  AccountCache,
  AccountChange,
  AccountCacheEvents,
  CacheInfo,
  CacheSource,
  CachedAccount,
  Clock,
  FileStore,
  HttpTransport,
  Logger,
  SweepSummary,
  TimerHandle,
} from './types';

/** First retry after a failed sweep while the cache is empty; doubles per failure up to refreshMinutes. */
const EMPTY_RETRY_MS = 5_000;
/** An observation dated further ahead of the clock than this is from a wrong clock. */
const FUTURE_SLACK_MS = 5_000;
/** A sweep the CAD rate-limited goes on from the page it reached this long after (sweep-resume.ts). */
const RESUME_AFTER_MS = 30_000;

export interface AccountCacheDeps {
  config: Config;
  /**
   * Set when the configuration cannot sync (no API key or community ID): the snapshot still gates, every
   * sweep and lookup fails at once with this reason instead of calling the CAD.
   */
  syncDisabled?: string;
  transport: HttpTransport;
  clock: Clock;
  files: FileStore;
  log: Logger;
  random?: () => number;
  onProgress?: (progress: SweepProgress) => void;
  /** Where a refresh's accounts come from; by default the CAD sweep itself. */
  source?: AccountSource;
  /** A budget beyond this process's pacing (servers sharing one API key). */
  permit?: SchedulerOptions['permit'];
  /** Told of every 429 pause (to pause the servers sharing the key). */
  onPause?: SchedulerOptions['onPause'];
  /** Told every account a single lookup found, and every change the ban watch read (to share it). */
  onLookedUp?: (account: CachedAccount) => void;
  /** Told every ban the ban watch read that changed nothing here: the shared database may still lack it. */
  onBanReread?: (account: CachedAccount) => void;
  /** False while another server runs the ban watch for the community (shared mode: the lease holder). */
  cadencesRunHere?: () => boolean;
  /** Whether the ban watch runs here now, when it differs from cadencesRunHere (shared mode: shared-watch.ts). */
  banWatchRunsHere?: () => boolean;
  /** Each online player's identifiers, in lookup order: their accounts are refreshed first (freshness.onlineRefreshMinutes). */
  online?: () => Iterable<readonly string[]>;
  /** The accounts (uuids) online on the community's other servers: the lease holder refreshes them too (shared mode). */
  onlineElsewhere?: () => Iterable<string>;
}

/**
 * Where the accounts of one refresh come from. `sweep` reads the CAD (paced, retried); a source may run
 * it, answer from elsewhere (another server's sweep) or say nothing changed since the last refresh.
 */
export interface AccountSource {
  accounts(sweep: (opts?: SweepRunOptions) => Promise<SweepResult>): Promise<SweepResult | 'unchanged'>;
  /** The accounts about to be swapped in, after the refresher's own rules (last good of unreadable records). */
  settled?(result: SweepResult): Promise<void>;
}

export interface SweepRunOptions {
  /** Asked between pages: true makes the sweep stop paging and fail (the source then answers otherwise). */
  cancelled?: () => boolean;
  /** Told what the pages read when the sweep fails or stops (its bans are observations too). */
  readSoFar?: (accounts: Iterable<CachedAccount>) => void;
}

const CAD_SOURCE: AccountSource = { accounts: (sweep) => sweep() };

export type RefresherCache = AccountCache & {
  readonly scheduler: Scheduler;
  /** Merges an account another server observed (as a single lookup here would). */
  absorb(account: CachedAccount): void;
  /** Banned accounts held that were observed at or after `since` (to tell servers that cannot know them). */
  bansObservedSince(since: number): CachedAccount[];
  /** The accounts (uuids) standing for the online players (to tell the server that refreshes them). */
  onlineAccounts(): string[];
};

/** What a sweep read, in order: an unchanged account as its slot of the held index (sweep-accounts.ts), else its object. */
const entriesOf = (accounts: SweepMap): Iterable<CachedAccount | number> => accounts.raw?.() ?? accounts.values();

export function createAccountCache(deps: AccountCacheDeps): RefresherCache {
  const { config, clock, files, log } = deps;
  const random = deps.random ?? Math.random;
  const warnedFlags = new Set<string>();
  // Observations are dated by a stamp that never goes back and is later than any observation held
  // (a snapshot, another server's answer): with the wall clock alone, a clock set back an hour dated a
  // ban found now before the active record seen an hour "later", and merge.ts kept the active one.
  // An observation dated in the future (a snapshot saved under a wrong clock) does not carry the stamps
  // with it: they would date every later observation as far ahead, past any other server's.
  let latestObserved = 0;
  const noteStamp = (observedAt: number) => {
    const at = Math.min(observedAt, clock.now() + FUTURE_SLACK_MS);
    if (at > latestObserved) latestObserved = at;
  };
  const noteObserved = (account: CachedAccount) => noteStamp(account.observedAt);
  const stamp = () => (latestObserved = Math.max(latestObserved + 1, clock.now()));
  const client: CadClient = createCadClient({
    config,
    transport: deps.transport,
    now: clock.now,
    stamp,
    pause: () => new Promise<void>((resolve) => clock.setTimeout(resolve, 0)),
    onOddAccount: (uuid, fields) => log.warn(`the CAD answered account ${uuid} with odd fields, read tolerantly: ${fields.join(', ')}`),
    onNewFlag: (name) => {
      if (warnedFlags.has(name)) return;
      warnedFlags.add(name);
      log.warn(`the CAD sent a permission flag this version does not know, "${name}"; it is kept and can be checked by name`);
    },
  });
  const scheduler = createScheduler(clock, intervalFor(config.apiVersion, config.rateLimit), { permit: deps.permit, onPause: deps.onPause });
  const accountSource = deps.source ?? CAD_SOURCE;
  const owner = snapshotOwner(config.apiUrl, config.apiVersion, config.communityID);
  const listeners: { [E in keyof AccountCacheEvents]: AccountCacheEvents[E][] } = {
    ready: [],
    refreshed: [],
    refreshFailed: [],
    accountChanged: [],
  };
  const fire = <E extends keyof AccountCacheEvents>(event: E, ...args: Parameters<AccountCacheEvents[E]>) => {
    for (const listener of listeners[event]) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (err) {
        log.error(`a ${event} listener failed: ${(err as Error).message}`);
      }
    }
  };

  let index: AccountIndex = emptyIndex();
  let source: CacheSource = 'empty';
  let lastRefreshAt: number | null = null;
  let lastError: string | null = null;
  let nextRefreshAt: number | null = null;
  let inFlight: Promise<SweepSummary> | null = null;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let halted = false;
  let cadences: Cadences | null = null;
  /** Banned accounts the last sweep did not list but kept (keepMissedBans); a second miss lets them go. */
  let missedOnce = new Set<string>();
  /** Failed sweeps in a row while the cache is empty: the retry comes sooner (see scheduleNext). */
  let emptyFailures = 0;
  const knownConflicts = new Set<string>();
  /**
   * Single lookups merged while a sweep runs: merged again into the new index before it is swapped in,
   * where the newer observation wins (a lookup answered before the page that listed the account loses).
   */
  const lookedUpDuringSweep = new Map<string, CachedAccount>();
  /**
   * What the last sweep begun read (running, kept to be resumed, or failed: its bans are walked after it
   * failed) until a swap: it may name accounts by their slot in the live index (sweep-accounts.ts), so a
   * slot about to change is detached from it first (merge()).
   */
  let reading: SweepMap | null = null;
  // 1 ms slices on the monotonic clock (slices.ts): a scavenge landing in one still ends in a few ms.
  const slicer = createSlicer(clock);
  /** The status codes a sweep reads (`statuses`); an account of any other status is known only from lookups. */
  const swept = new Set<number>(config.statuses.map((name) => ACCOUNT_STATUS[name]));
  // v2: a connect miss asks links/check first (its own budget); a held account costs no account call.
  const links = config.apiVersion === 2 ? linkChecker({ client, clock, random, held: (uuid) => index.byUuid.get(uuid) ?? index.byUuid.get(uuid.toLowerCase()) ?? null, intake: (account) => void merge(account) }) : null;
  const resumer = sweepResumer(clock, 2 * config.refreshMinutes * 60_000);
  const lookupDeps = {
    client,
    scheduler,
    clock,
    random,
    stopped: () => stopped,
    onFound: (account: CachedAccount) => {
      merge(account);
      deps.onLookedUp?.(account);
    },
    prefixedTypes: () => (source === 'empty' ? null : index.prefixedTypes),
  };
  // links/check only for a connect's lookup: one asked `fresh` (refreshPlayer, the online refresh) wants the account as the CAD has it now.
  const lookupNow = createSingleLookups({ ...lookupDeps, heldLinkedAccount: links?.heldLinkedAccount });
  const lookupFresh = createSingleLookups(lookupDeps);
  const lookupLater = createSingleLookups({ ...lookupDeps, priority: 'background' });
  const lookupOnCadence = createSingleLookups({ ...lookupDeps, priority: 'cadence' });
  const cachedLookup = withNegativeCache(
    (apiId, timeoutMs, options) =>
      (options?.priority === 'background' ? lookupLater : options?.priority === 'cadence' ? lookupOnCadence : options?.fresh ? lookupFresh : lookupNow)(apiId, timeoutMs, options?.fresh === true),
    clock,
    config.connect.unknownRetrySeconds * 1000,
  );
  const lookup: Lookup = (apiId, timeoutMs, options) =>
    deps.syncDisabled !== undefined ? Promise.reject(new CadFailure('fatal', deps.syncDisabled)) : cachedLookup(apiId, timeoutMs, options);

  const info = (): CacheInfo => ({
    ready: source !== 'empty',
    source,
    accounts: index.size,
    lastRefreshAt,
    lastError,
    refreshing: inFlight !== null,
    nextRefreshAt,
    banWatchAt: cadences?.banWatchAt() ?? null,
  });

  const becomeReady = (from: CacheSource) => {
    const wasReady = source !== 'empty';
    source = from;
    if (!wasReady) fire('ready', info());
  };

  const reportConflicts = (conflicts: Conflict[]) => {
    for (const c of conflicts) {
      const key = `${c.id}|${c.kept.uuid}|${c.dropped.uuid}`;
      if (knownConflicts.has(key)) continue;
      if (knownConflicts.size < 10_000) knownConflicts.add(key);
      const rule = c.kept.status === 4 ? `${c.kept.username} is banned, so a player holding it is refused` : `a player holding it gets the first active account's permissions`;
      log.warn(`API ID "${c.id}" is linked to CAD accounts ${c.kept.username} and ${c.dropped.username}; ${rule}`);
    }
  };

  /**
   * The next sweep: `refreshMinutes` (± jitter) after this one. While the cache is still empty (a fresh
   * install or a lost snapshot with the CAD down) a failed sweep is retried much sooner: 5 s, 10 s, 20 s...
   * capped at refreshMinutes, so players are not gated blind for a whole interval.
   */
  const scheduleNext = () => {
    timer?.cancel();
    if (stopped || halted) {
      nextRefreshAt = null;
      return;
    }
    const interval = config.refreshMinutes * 60_000;
    const jitter = (random() * 2 - 1) * config.refreshJitterSeconds * 1000;
    // Whole milliseconds: nextRefreshAt is a timestamp other resources compare and print.
    const delay = Math.round(
      emptyFailures > 0
        ? Math.min(interval, EMPTY_RETRY_MS * 2 ** (emptyFailures - 1)) * (0.75 + random() * 0.5)
        : resumer.pending()
          ? RESUME_AFTER_MS * (0.75 + random() * 0.5) // a rate-limited sweep goes on soon, from its page
          : Math.max(30_000, interval + jitter),
    );
    nextRefreshAt = clock.now() + delay;
    timer = clock.setTimeout(() => {
      refresh().catch(() => {
        /* reported through refreshFailed */
      });
    }, delay);
  };

  async function sweep(): Promise<SweepSummary | null> {
    if (deps.syncDisabled !== undefined) throw new CadFailure('fatal', deps.syncDisabled);
    const started = clock.now();
    lookedUpDuringSweep.clear();
    const result = await accountSource.accounts(async (run) => {
      // Read over the index held now: an account it holds unchanged costs the sweep two numbers (sweep-accounts.ts).
      const state = resumer.begin(stamp(), () => sweptAccounts(index));
      reading = state.accounts;
      const cancelled = () => stopped || run?.cancelled?.() === true;
      const sweepDeps = { client, scheduler, clock, statuses: config.statuses, onProgress: deps.onProgress, cancelled, random };
      return sweepAccounts(sweepDeps, state).catch((err: unknown) => {
        // `reading` stays: what the pages read is walked below and by the source (readSoFar) after this.
        resumer.failed(state, err);
        run?.readSoFar?.(state.accounts.values());
        // Failed, not stopped (a stopped one's bans are the source's to keep: sharing.ts): its bans count.
        if (!cancelled()) keepBansRead(state.accounts.values(), { absorb: merge, share: (account) => deps.onLookedUp?.(account) });
        throw err;
      });
    });
    if (stopped) throw new CadFailure('transient', 'sweep abandoned: the resource stopped');
    if (result === 'unchanged') return null;
    // A steady sweep's unchanged accounts are read as slots of the held index (sweep-accounts.ts): their
    // dates and columns are taken from there, not from 50,000 objects built for the walk.
    const { accounts } = result;
    await slicer.each(entriesOf(accounts), (entry) => noteStamp(typeof entry === 'number' ? accounts.seenAt!(entry) : entry.observedAt));
    const kept = keepLastGood(result.odd.unreadable, index, result.accounts);
    await keepMissedBans(result.accounts);
    await keepUnswept(result.accounts);
    await accountSource.settled?.(result);
    // The sweep's own objects where they are what the index holds: reported and saved as they are,
    // instead of 50,000 copies built from the columns (and collected right after).
    sweptObjects = result.accounts;
    let outcome: SweepOutcome;
    try {
      outcome = (await patchInPlace(result)) ?? (await rebuild(result));
      if (stopped) throw new CadFailure('transient', 'sweep abandoned: the resource stopped');
    } catch (err) {
      sweptObjects = null;
      throw err;
    }
    const { changes, added, removed, changed, conflicts } = outcome;
    // Nothing rewrites the index the sweep read over any more (and it is not kept alive for it).
    reading = null;
    lastRefreshAt = clock.now();
    lastError = null;
    emptyFailures = 0;
    reportConflicts(conflicts);
    const oddLine = oddWarning(result.odd, kept);
    if (oddLine) log.warn(oddLine);
    await persist();
    sweptObjects = null;
    const summary: SweepSummary = {
      accounts: index.size,
      byStatus: result.byStatus,
      added,
      removed,
      changed,
      calls: result.calls,
      odd: result.odd.oddAccounts,
      unreadable: result.odd.unreadable.length,
      durationMs: lastRefreshAt - started,
      finishedAt: lastRefreshAt,
      changes,
      startedAt: result.startedAt ?? started,
      shared: result.shared === true,
    };
    return summary;
  }

  /**
   * A sweep read over the live index that drops none of its accounts (the steady case): applied to it in
   * place, each account as a lookup's answer is (sweep-patch.ts). Null when it cannot be: the rebuild.
   */
  async function patchInPlace(result: SweepResult): Promise<SweepOutcome | null> {
    const held = index;
    const { accounts } = result;
    // A first sweep (nothing held) or one listing many accounts the index lacks is built beside, its
    // columns made for exactly its size (account-store.ts `expected`) rather than grown onto these.
    if (!readOver(accounts, held) || held.size === 0 || accounts.size > held.size + (held.size >> 3)) return null;
    // What the rebuild keeps of the held index besides what the pages listed (below): the same rules.
    const from = result.startedAt;
    const keeps = (slot: number, uuid: string) => (from !== undefined && held.store.observedAt(slot) >= from) || lookedUpDuringSweep.has(uuid);
    if (!(await dropsNone(held, accounts, keeps, slicer)) || index !== held || stopped) return null;
    const outcome = await patchIndex(accounts, slicer);
    // Merged into this index as they were answered: nothing to merge again.
    lookedUpDuringSweep.clear();
    return outcome;
  }

  /** A new index from what the sweep read, off to the side, swapped in once complete. */
  async function rebuild(result: SweepResult): Promise<SweepOutcome> {
    const { accounts } = result;
    // Off to the side and in slices: 50,000 accounts would otherwise block the server for ~0.1-0.7 s.
    const builder = createIndexBuilder(accounts.size);
    await slicer.each(entriesOf(accounts), (entry) => (typeof entry === 'number' ? builder.addFrom(accounts.held!, entry, accounts.seenAt!(entry)) : builder.add(entry)));
    const { index: fresh, conflicts } = builder.finish();
    if (stopped) throw new CadFailure('transient', 'sweep abandoned: the resource stopped');
    // A source never erases a newer observation: what the index holds observed after the result's
    // observations began (a lookup here, another server's answer, a ban found while the database was
    // away) is merged over it by the one rule.
    const from = result.startedAt;
    if (from !== undefined) {
      const held = index;
      await slicer.each(slots(held.store), (slot) => {
        if (held.store.observedAt(slot) >= from) fresh.upsert(held.accountAt(slot));
      });
    }
    // Lookups answered while the pages were read: merged by the one rule, so a lookup older than the page
    // that listed the account loses, and one newer (or of an account no page listed) stays.
    for (const account of lookedUpDuringSweep.values()) fresh.upsert(account);
    lookedUpDuringSweep.clear();
    const diff = await diffIndexes(index, fresh, slicer, (slot, uuid) => objectOf(fresh, slot, uuid));
    if (stopped) throw new CadFailure('transient', 'sweep abandoned: the resource stopped');
    // Anything merged into the live index since (a lookup during the diff) is merged once more.
    for (const account of lookedUpDuringSweep.values()) fresh.upsert(account);
    lookedUpDuringSweep.clear();
    // The swap: one assignment, only after every page of every status arrived and validated.
    index = fresh;
    return { ...diff, conflicts };
  }

  function refresh(): Promise<SweepSummary> {
    if (inFlight) return inFlight;
    if (halted) return Promise.reject(new CadFailure('fatal', lastError ?? 'stopped after a fatal error'));
    timer?.cancel();
    nextRefreshAt = null;
    const run = sweep().then(
      (summary) => {
        inFlight = null;
        scheduleNext();
        // Nothing new from the source: no swap, no event; the caller still gets the cache as it is.
        if (!summary) return unchangedSummary();
        becomeReady('api');
        fire('refreshed', summary);
        return summary;
      },
      (thrown: unknown) => {
        inFlight = null;
        const err = asCadError(thrown);
        const message = `account sweep failed (${err.kind}): ${err.message}${err.hint ? ` — ${err.hint}` : ''}`;
        lastError = message;
        if (!stopped) {
          if (source === 'empty') emptyFailures += 1;
          if (err.kind === 'fatal') halted = true;
          // Scheduled first, so a refreshFailed listener reading getCacheInfo() sees when the next try is.
          scheduleNext();
          const outcome = halted
            ? 'Syncing stopped until the resource restarts.'
            : source === 'empty'
              ? 'Nothing cached yet: no sweep has succeeded and no snapshot was loaded.'
              : `Keeping the last good cache (${index.size} accounts).`;
          fire('refreshFailed', `${message}. ${outcome}`, err);
        }
        throw err;
      },
    );
    inFlight = run;
    return run;
  }

  function unchangedSummary(): SweepSummary {
    const at = lastRefreshAt ?? clock.now();
    return { accounts: index.size, byStatus: {}, added: 0, removed: 0, changed: 0, calls: 0, odd: 0, unreadable: 0, durationMs: 0, finishedAt: at, changes: [], startedAt: at, shared: true };
  }

  /**
   * A banned account no page listed this time stays (as last observed) until a second sweep in a row
   * misses it: offset paging cannot see every skipped account (sweep.ts), and a ban must not lapse for a
   * whole interval because of one. The cost: a deleted banned account lingers one sweep longer.
   */
  async function keepMissedBans(listed: GrowingMap<CachedAccount>) {
    const missedNow = new Set<string>();
    const held = index;
    await slicer.each(slots(held.store), (slot) => {
      if (held.store.status(slot) !== ACCOUNT_STATUS.banned) return;
      const uuid = held.store.uuid(slot);
      if (listed.has(uuid) || missedOnce.has(uuid)) return;
      listed.set(uuid, held.accountAt(slot));
      missedNow.add(uuid);
    });
    missedOnce = missedNow;
  }

  /**
   * An account whose status this sweep does not read (a pending one a connect lookup found, with the
   * default `statuses`) was not listed because it was not asked for, not because the CAD changed it: it
   * keeps what the lookup found until a sweep lists it (activated) or a lookup says otherwise.
   */
  async function keepUnswept(listed: GrowingMap<CachedAccount>) {
    const held = index;
    await slicer.each(slots(held.store), (slot) => {
      if (!swept.has(held.store.status(slot)) && !listed.has(held.store.uuid(slot))) listed.set(held.store.uuid(slot), held.accountAt(slot));
    });
  }

  /**
   * One observation (a lookup's answer, an account the ban watch read) into the live index, by merge.ts's
   * rule (an older observation changes nothing). True when it changed what the cache says.
   */
  /**
   * Writes the snapshot of what the cache holds: at the end of each sweep, and when a new ban arrives
   * between sweeps (a lookup, the ban watch, another server's answer), so a restart, even with the
   * database and the CAD away, still refuses it. One write at a time, in order (a later one never
   * overtaken by an earlier one); a write asked while one waits is that one. `savedAt` stays the last
   * sweep's end: the snapshot is as old as its sweep, its newer observations are dated each. Before the
   * cache holds a sweep or a snapshot only its bans are written (early-bans.ts): a handful of lookups is
   * no account list, but a ban is enforced from every observation, across a restart too.
   */
  let writing: Promise<void> = Promise.resolve();
  /** The accounts of the sweep being swapped in, until its snapshot is written (objectOf). */
  let sweptObjects: SweepMap | null = null;
  /** The account of a slot: the sweep's own object when it is exactly what the index holds, else one built. */
  const objectOf = (held: AccountIndex, slot: number, uuid: string): CachedAccount => {
    // An unchanged account the sweep kept as a reading has no object of its own: built once, from `held`.
    const own = sweptObjects?.own !== undefined ? sweptObjects.own(uuid) : sweptObjects?.get(uuid);
    return own !== undefined && held.store.sameAs(slot, own) ? own : held.accountAt(slot);
  };
  function* accountsOf(held: AccountIndex): Generator<CachedAccount, undefined> {
    for (let slot = 0; slot < held.store.size; slot++) yield sweptObjects === null ? held.accountAt(slot) : objectOf(held, slot, held.store.uuid(slot));
    return undefined;
  }
  let writeQueued = false;
  function persist(): Promise<void> {
    if (!config.snapshot.enabled) return Promise.resolve();
    if (writeQueued) return writing;
    writeQueued = true;
    writing = writing.then(async () => {
      writeQueued = false;
      if (stopped) return;
      try {
        const held = lastRefreshAt === null ? bansOnly(accountsOf(index)) : accountsOf(index);
        await saveSnapshot(files, config.snapshot.file, owner, held, lastRefreshAt, slicer, () => stopped);
      } catch (err) {
        log.warn(`could not write the snapshot ${config.snapshot.file}: ${(err as Error).message}`);
      }
    });
    return writing;
  }

  function merge(account: CachedAccount): boolean {
    noteObserved(account);
    reading?.detach?.(account.uuid);
    const { replaced, applied } = index.upsert(account);
    if (!applied) return false;
    if (account.status === ACCOUNT_STATUS.banned && replaced?.status !== ACCOUNT_STATUS.banned) void persist();
    if (inFlight) lookedUpDuringSweep.set(account.uuid, account);
    // Also when only the IDs it claims changed: a newly linked ID can lead an online player to a ban.
    const change = accountChange(replaced ?? null, account) ?? (replaced && !sameKeys(replaced, account) ? idsOnlyChange(replaced, account) : null);
    if (change) fire('accountChanged', change);
    return change !== null;
  }

  const self: RefresherCache = {
    scheduler,
    absorb: (account) => void merge(account),
    bansObservedSince: (since) => {
      const { store } = index;
      const bans: CachedAccount[] = [];
      for (let slot = 0; slot < store.size; slot++) if (store.status(slot) === ACCOUNT_STATUS.banned && store.observedAt(slot) >= since) bans.push(index.accountAt(slot));
      return bans;
    },
    onlineAccounts() {
      const uuids: string[] = [];
      for (const identifiers of deps.online?.() ?? []) {
        const account = index.standing(identifiers).account;
        if (account !== null) uuids.push(account.uuid);
      }
      return uuids;
    },
    start() {
      const snap = config.snapshot.enabled ? loadSnapshot(files, config.snapshot.file, owner, log) : null;
      if (snap?.savedAt === null) {
        // Anything else in a bans-only snapshot is ignored.
        index = indexOfSaved(bansOnly(snap.accounts), 0, clock.now(), noteObserved);
        log.info(earlyBansLine(index.size));
      } else if (snap && snap.savedAt !== null && snap.accounts.length > 0) {
        index = indexOfSaved(snap.accounts, snap.accounts.length, clock.now(), noteObserved);
        lastRefreshAt = snap.savedAt;
        log.info(`loaded ${index.size} accounts from the snapshot of ${new Date(snap.savedAt).toISOString()}`);
        becomeReady('snapshot');
      }
      if (deps.syncDisabled !== undefined) {
        halted = true;
        lastError = deps.syncDisabled;
        return;
      }
      refresh().catch(() => {
        /* reported through refreshFailed */
      });
      cadences = startCadences({
        config,
        client,
        scheduler,
        clock,
        random,
        log,
        // What the watch read changes the cache by the one rule, and is shared like a lookup's answer.
        intake: (account) => {
          if (merge(account)) deps.onLookedUp?.(account);
          else if (account.status === ACCOUNT_STATUS.banned) deps.onBanReread?.(account);
        },
        runsHere: deps.cadencesRunHere,
        watchRunsHere: deps.banWatchRunsHere,
        cache: self,
        online: deps.online,
        elsewhere: deps.onlineElsewhere,
      });
    },
    stop() {
      stopped = true;
      cadences?.stop();
      links?.stop();
      timer?.cancel();
      timer = null;
      nextRefreshAt = null;
      scheduler.stop();
    },
    refresh,
    find: (key) => (typeof key === 'string' ? index.find(key) : undefined),
    standing: (identifiers) => index.standing(identifiers),
    lookup,
    info,
    on(event, handler) {
      listeners[event].push(handler);
    },
  };
  return self;
}


function sameKeys(a: CachedAccount, b: CachedAccount): boolean {
  return a.communityUserId === b.communityUserId && a.apiIds.length === b.apiIds.length && a.apiIds.every((id, i) => id === b.apiIds[i]);
}

function idsOnlyChange(before: CachedAccount, after: CachedAccount): AccountChange {
  return { uuid: after.uuid, username: after.username, before, after, granted: [], revoked: [], statusBefore: before.status, statusAfter: after.status };
}
