// The contract between the core (API client, index, refresher) and the FiveM adapter.
// Nothing in src/core may touch a FiveM global: everything the core needs from the world
// (time, HTTP, files, logging) comes in through the small interfaces below.

/** Sonoran account status codes (v1 and v2 agree on these numbers). */
export const ACCOUNT_STATUS = {
  pending: 0,
  active: 1,
  expired: 2,
  removed: 3,
  banned: 4,
} as const;
export type AccountStatusName = keyof typeof ACCOUNT_STATUS;

/**
 * One cached account. Immutable once built; a sweep builds new objects off to the side. It is its own
 * permission mask (w0..w2 from ./permissions): a check reads a field of the account, no second object.
 */
export interface CachedAccount extends PermissionMask {
  readonly uuid: string;
  readonly username: string;
  /** v2's communityUserId; null when the API did not send one (v1). */
  readonly communityUserId: string | null;
  /** Non-empty API IDs as the CAD stores them (v1); empty for v2. */
  readonly apiIds: readonly string[];
  readonly status: number;
  readonly joined: string;
  readonly lastLogin: string;
  /**
   * When this version of the account was observed (ms): the arrival of the page or lookup answer that
   * carried it. Of two versions of one account, the newer observation wins (core/merge.ts).
   */
  readonly observedAt: number;
}

/** Bit words of granted permissions; layout owned by ./permissions. */
export interface PermissionMask {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
}

/** Plain-data view of an account: what exports return and events carry across resources. */
export interface AccountView {
  uuid: string;
  username: string;
  communityUserId: string | null;
  apiIds: string[];
  status: number;
  statusName: string;
  joined: string;
  lastLogin: string;
  permissions: string[];
}

/** What changed for one account between two sweeps (or a sweep and a single lookup). */
export interface AccountChange {
  uuid: string;
  username: string;
  before: CachedAccount | null;
  after: CachedAccount | null;
  granted: string[];
  revoked: string[];
  statusBefore: number | null;
  statusAfter: number | null;
}

export interface SweepSummary {
  accounts: number;
  /** Accounts per swept status, keyed by status name (`active`, `banned`, `pending`). */
  byStatus: Record<string, number>;
  added: number;
  removed: number;
  changed: number;
  /** HTTP calls this sweep made (retries included). */
  calls: number;
  /** Accounts with odd non-critical fields, read tolerantly (a flag that is not `true` grants nothing). */
  odd: number;
  /** Records without a readable uuid; each one's last good version is kept when it can be found. */
  unreadable: number;
  durationMs: number;
  finishedAt: number;
  changes: AccountChange[];
  /**
   * When the observations behind it began (this server's clock): its own sweep's start, or for a shared
   * version the start of the sweep another server ran. Not in the event payload.
   */
  startedAt: number;
  /** Loaded from another server's sweep (`calls` is 0 here): refreshing again sweeps nothing. Not in the event payload. */
  shared: boolean;
}

export type CacheSource = 'api' | 'snapshot' | 'empty';

export interface CacheInfo {
  ready: boolean;
  source: CacheSource;
  accounts: number;
  lastRefreshAt: number | null;
  lastError: string | null;
  refreshing: boolean;
  nextRefreshAt: number | null;
  /** When the ban watch last finished a run over the banned list (whole, or what changed since the run before; epoch ms); null before its first run or when it is off. */
  banWatchAt: number | null;
}

/** Failure classes; the FiveM layer logs them and the refresher decides what to do next. */
export type FailureKind = 'fatal' | 'rateLimited' | 'transient' | 'invalidResponse';

export interface CadError extends Error {
  readonly kind: FailureKind;
  /** Operator-facing hint ("check sonoran_apiKey"), never containing the key. */
  readonly hint?: string;
  /** For rateLimited: how long the server asked us to wait. */
  readonly retryAfterMs?: number;
}

// ---- Injected world -------------------------------------------------------------------------

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /**
   * Milliseconds from any origin on a clock no wall-clock step moves (NTP stepping, a VM restored): how
   * long passed between two readings, whatever now() did meanwhile (shared-clock.ts).
   */
  monotonic(): number;
  /**
   * Real milliseconds for timing this process's own work (slices.ts): how long the thread was held. When a
   * clock runs faster than real time (a test's warped clock), this one does not: CPU work does not speed
   * up with it. Defaults to monotonic().
   */
  elapsed?(): number;
  /** Schedules `fn` after `ms`; the handle cancels it. Must not keep a process alive in tests. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Reject responses whose (decoded) body exceeds this many bytes. */
  maxBytes: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/**
 * Files inside the resource folder; `writeAtomic` writes the chunks, in order, to a temp file and then
 * renames it over the target (asynchronously, so a big snapshot never blocks a tick). A chunk is text,
 * or text already encoded as UTF-8 (the snapshot's: its 15 MB at 50k accounts then never sit in V8's heap).
 */
export interface FileStore {
  read(name: string): string | null;
  writeAtomic(name: string, chunks: readonly (string | Uint8Array)[]): Promise<void>;
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

// ---- The account cache: what the FiveM adapter drives ---------------------------------------

/** What a player's identifiers lead to (core/standing.ts). */
export interface Standing {
  /**
   * The account that stands for the player: a banned one when any identifier reaches one, else the first
   * active one in identifier order, else the first one reached (pending, expired, removed); null for none.
   */
  account: CachedAccount | null;
  /** Some identifier reaches a banned account. */
  banned: boolean;
  /** Every distinct account reached, in identifier order. */
  reached: readonly CachedAccount[];
}

export interface AccountCacheEvents {
  /** The cache became usable (first successful sweep, or a valid snapshot at start). */
  ready: (info: CacheInfo) => void;
  refreshed: (summary: SweepSummary) => void;
  /** A sweep failed; the previous cache stays in use unchanged. `message` names the class and is key-free. */
  refreshFailed: (message: string, error: CadError) => void;
  /** A single lookup added or changed one account outside a sweep (status, flags, name, or the IDs it claims). */
  accountChanged: (change: AccountChange) => void;
}

export interface AccountCache {
  /** Loads the snapshot (if any), then starts the first sweep and the refresh interval. */
  start(): void;
  /** Cancels timers; an in-flight request is abandoned and its result ignored. */
  stop(): void;
  /** Runs a sweep now, or joins the one in progress. Rejects with a CadError if it fails. */
  refresh(): Promise<SweepSummary>;
  /** Tolerant lookup of one key: API ID (bare or `type:` prefixed, any case), communityUserId, uuid, username. */
  find(key: string): CachedAccount | undefined;
  /**
   * Every account the identifiers (FiveM `type:value` strings, in the configured order) lead to, and
   * what follows from them: banned or not, and which account stands for the player (core/standing.ts).
   */
  standing(identifiers: readonly string[]): Standing;
  /**
   * GET_ACCOUNT for `apiId` (bare, or `type:value`: the stored form is tried too, see single-lookups.ts)
   * at high priority (`background`: a follow-up), coalesced with any in-flight lookup of the same
   * id, bounded by `timeoutMs`. Resolves to the account (merged into the cache) or null when the CAD
   * does not know it. Rejects with a CadError when the CAD could not answer in time. An ID the CAD
   * did not know answers null without a call for `connect.unknownRetrySeconds`, unless `fresh`.
   */
  lookup(apiId: string, timeoutMs: number, options?: { fresh?: boolean; priority?: 'high' | 'cadence' | 'background' }): Promise<CachedAccount | null>;
  info(): CacheInfo;
  on<E extends keyof AccountCacheEvents>(event: E, handler: AccountCacheEvents[E]): void;
}
