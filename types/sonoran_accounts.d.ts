// Typed consumer API of the sonoran_accounts FiveM resource. Copy this file into your TypeScript
// resource (or reference it) to get typed `exports.sonoran_accounts.*` calls and event payloads.

export type CadPermission =
  | 'civilian' | 'lawyer' | 'dmv' | 'police' | 'fire' | 'ems' | 'dispatch' | 'admin'
  | 'polRecAdd' | 'polRecEdit' | 'polRecRemove' | 'polSuper' | 'polEditUnit' | 'polEditOtherUnit' | 'selfDispatch' | 'liveMap'
  | 'medRecAdd' | 'medRecEdit' | 'medRecRemove' | 'medSuper' | 'fireRecAdd' | 'fireRecEdit' | 'fireRecRemove' | 'fireSuper'
  | 'dmvRecAdd' | 'dmvRecEdit' | 'dmvRecRemove' | 'dmvSuper' | 'modifyStreetSigns' | 'lawRecAdd' | 'lawRecEdit' | 'lawRecRemove'
  | 'lawSuper' | 'adminAccounts' | 'adminPermissionKeys' | 'adminCustomization' | 'adminDepartments' | 'adminTenCodes'
  | 'adminPenalCodes' | 'adminInGameIntegration' | 'adminDiscordIntegration' | 'adminLimits' | 'adminLogs';

export type CadStatusName = 'pending' | 'active' | 'expired' | 'removed' | 'banned';

/** A server id as FXServer hands it out: a number, or a numeric string. */
export type PlayerId = number | string;

export interface CadAccount {
  uuid: string;
  username: string;
  communityUserId: string | null;
  apiIds: string[];
  /** 0 pending, 1 active, 2 expired, 3 removed, 4 banned. */
  status: number;
  statusName: CadStatusName | string;
  joined: string;
  lastLogin: string;
  /** Flags set in the CAD (use getPermissions for what counts in game). */
  permissions: string[];
}

export interface CadCacheInfo {
  ready: boolean;
  source: 'api' | 'snapshot' | 'empty';
  accounts: number;
  lastRefreshAt: number | null;
  lastError: string | null;
  refreshing: boolean;
  /** Epoch milliseconds (a whole number), or null while a sweep runs or after a fatal error. */
  nextRefreshAt: number | null;
  /** When the ban watch last finished a run over the CAD's banned list (read whole, or what changed since the run before; epoch ms); null before its first run or when freshness.banWatchSeconds is 0. */
  banWatchAt: number | null;
}

/** `granted` / `revoked` are in-game permissions, as in playerUpdated: a ban revokes them all. */
export interface CadAccountChange {
  uuid: string;
  username: string;
  granted: string[];
  revoked: string[];
  statusBefore: number | null;
  statusAfter: number | null;
}

export interface CadSweepSummary {
  ok: true;
  accounts: number;
  byStatus: Record<string, number>;
  added: number;
  removed: number;
  changed: number;
  calls: number;
  /** Accounts with odd non-critical fields (a null flag, `apiIds: null`), read tolerantly. */
  odd: number;
  /** Records without a readable uuid; each one's last synced version is kept when it can be found. */
  unreadable: number;
  durationMs: number;
  finishedAt: number;
  /** At most 500 per-account changes (the first sweep "adds" every account); the rest are counted. */
  changes: CadAccountChange[];
  changesOmitted: number;
}

export type CadRefreshResult = CadSweepSummary | { ok: false; error: string };

export interface CadPlayerDiff {
  granted: string[];
  revoked: string[];
  statusBefore: number | null;
  statusAfter: number | null;
}

export interface SonoranAccountsExports {
  hasPermission(player: PlayerId, permission: CadPermission | string): boolean;
  /** Any of a list; one name alone (`'dispatch'`, as Lua scripts often write it) is a list of one. */
  hasAnyPermission(player: PlayerId, permissions: (CadPermission | string)[] | CadPermission | string): boolean;
  getPermissions(player: PlayerId): string[];
  getAccount(player: PlayerId): CadAccount | null;
  getAccountByApiId(id: string): CadAccount | null;
  isBanned(player: PlayerId): boolean;
  isReady(): boolean;
  getCacheInfo(): CadCacheInfo;
  refresh(): Promise<CadRefreshResult>;
  refreshPlayer(player: PlayerId): Promise<CadAccount | null>;
}

/** Local server events, with their handler signatures. */
export interface SonoranAccountsEvents {
  'sonoran_accounts:ready': (info: CadCacheInfo) => void;
  'sonoran_accounts:refreshed': (summary: CadSweepSummary) => void;
  'sonoran_accounts:refreshFailed': (message: string) => void;
  'sonoran_accounts:playerLinked': (playerId: number, account: CadAccount) => void;
  'sonoran_accounts:playerUpdated': (playerId: number, account: CadAccount | null, diff: CadPlayerDiff) => void;
}

declare global {
  interface CitizenExports {
    // With @citizenfx/server's index signature (every resource's exports are Functions), so the file
    // also compiles with `skipLibCheck: false`.
    sonoran_accounts: SonoranAccountsExports & { [exportKey: string]: Function };
  }
  /** Typed handlers for this resource's events; any other event name falls through to FiveM's own `on`. */
  function on<E extends keyof SonoranAccountsEvents>(eventName: E, callback: SonoranAccountsEvents[E]): void;
  function AddEventHandler<E extends keyof SonoranAccountsEvents>(eventName: E, callback: SonoranAccountsEvents[E]): void;
}
