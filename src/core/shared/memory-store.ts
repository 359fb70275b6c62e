// The shared store in memory: several "servers" in one process share one `MemoryShared`. It is the
// model the MySQL store must match (same contract suite), and lets coordinator tests run without a
// database.
import { ACCOUNT_STATUS, type Clock } from '../types';
import type { LeaseState, LoadedVersion, NewVersion, ObservedAccount, SharedStore, VersionInfo } from './store';

export interface MemoryShared {
  lease: { holder: string; token: number; expiresAt: number };
  versions: Map<number, { info: VersionInfo; accounts: NewVersion['accounts'] }>;
  current: number | null;
  lookups: Map<string, ObservedAccount>;
  lookupSeq: number;
  /** The lookups table's mark (store.ts SharedState.lookupsMark): a test emptying `lookups` sets it null. */
  lookupsMark: number | null;
  /** The last mark handed out: a new one is always another value. */
  lastMark: number;
  nextVersion: number;
  bucket: { tokens: number; updatedAt: number; pausedUntil: number; highUntil: number };
  roster: Map<string, number>;
  /** Each server's online players (uuids) and when it published them. */
  online: Map<string, { uuids: Set<string>; seenAt: number }>;
  banWatchAt: number | null;
}

export function memoryShared(): MemoryShared {
  return {
    lease: { holder: '', token: 0, expiresAt: 0 },
    versions: new Map(),
    current: null,
    lookups: new Map(),
    lookupSeq: 0,
    lookupsMark: null,
    lastMark: 0,
    nextVersion: 1,
    bucket: { tokens: 1, updatedAt: 0, pausedUntil: 0, highUntil: 0 },
    roster: new Map(),
    online: new Map(),
    banWatchAt: null,
  };
}

export function createMemoryStore(shared: MemoryShared, clock: Clock): SharedStore {
  const s = shared;
  const holds = (holder: string, token: number) => s.lease.holder === holder && s.lease.token === token;
  const mark = () => (s.lookupsMark ??= s.lastMark = Math.max(s.lastMark + 1, clock.now()));
  return {
    async prepare() {
      mark();
    },
    async now() {
      return clock.now();
    },
    async takeLease(holder, token, ttlMs): Promise<LeaseState> {
      const now = clock.now();
      if (s.lease.holder === holder && (token === null || token === s.lease.token) && s.lease.expiresAt > now) {
        s.lease.expiresAt = now + ttlMs;
      } else if (s.lease.expiresAt <= now) {
        s.lease = { holder, token: s.lease.token + 1, expiresAt: now + ttlMs };
      }
      return { held: s.lease.holder === holder && s.lease.expiresAt > now, holder: s.lease.holder, token: s.lease.token };
    },
    async releaseLease(holder, token) {
      if (holds(holder, token)) s.lease.expiresAt = 0;
    },
    async publish(holder, token, version) {
      // The token the sweep began with, and a sweep begun after the current version's (I2).
      const later = () => s.current === null || s.versions.get(s.current)!.info.startedAt < version.startedAt;
      if (!holds(holder, token) || !later()) return null;
      const id = s.nextVersion++;
      const info: VersionInfo = { id, startedAt: version.startedAt, createdAt: clock.now(), accounts: version.accounts.length, byStatus: { ...version.byStatus } };
      s.versions.set(id, { info, accounts: [...version.accounts] });
      if (!holds(holder, token) || !later()) return null;
      const previous = s.current;
      s.current = id;
      for (const [uuid, seen] of s.lookups) if (seen.observedAt < version.startedAt) s.lookups.delete(uuid);
      for (const old of s.versions.keys()) if (previous !== null && old < previous) s.versions.delete(old);
      return id;
    },
    async state() {
      const versionStartedAt = s.current === null ? null : (s.versions.get(s.current)?.info.startedAt ?? null);
      return { version: s.current, lookupSeq: s.lookupSeq, versionStartedAt, now: clock.now(), hasLookups: s.lookups.size > 0, lookupsMark: s.lookupsMark };
    },
    async loadCurrent(): Promise<LoadedVersion | null> {
      if (s.current === null) return null;
      const v = s.versions.get(s.current)!;
      const lookups = [...s.lookups.values()].sort((a, b) => a.seq - b.seq);
      return { info: { ...v.info }, accounts: [...v.accounts], lookups, lookupSeq: s.lookupSeq };
    },
    async writeLookup(account, observedAt) {
      // Never dated past the store's own now (mysql-store.ts caps the same way in its SQL).
      const at = Math.min(observedAt ?? clock.now(), clock.now());
      const key = account.uuid.toLowerCase();
      const before = s.lookups.get(key);
      s.lookupSeq += 1;
      if (before && before.observedAt >= at) return;
      s.lookups.set(key, { account: { ...account, observedAt: at }, observedAt: at, seq: s.lookupSeq });
    },
    async lookupsSince(seq) {
      return [...s.lookups.values()].filter((l) => l.seq > seq).sort((a, b) => a.seq - b.seq);
    },
    async bansMissing(uuids) {
      const version = s.current === null ? [] : s.versions.get(s.current)!.accounts;
      const held = new Set([...version, ...[...s.lookups.values()].map((l) => l.account)].filter((a) => a.status === ACCOUNT_STATUS.banned).map((a) => a.uuid.toLowerCase()));
      return uuids.map((u) => u.toLowerCase()).filter((u) => !held.has(u));
    },
    async markLookups() {
      return mark();
    },
    async takeToken(intervalMs, priority = 'low') {
      const now = clock.now();
      const b = s.bucket;
      const tokens = Math.min(1, b.tokens + Math.max(0, now - b.updatedAt) / intervalMs);
      const high = priority === 'high';
      if (b.pausedUntil <= now && tokens >= 1 && (high || b.highUntil <= now)) {
        b.tokens = tokens - 1;
        b.updatedAt = now;
        return 0;
      }
      if (high) b.highUntil = Math.max(b.highUntil, now + 2 * intervalMs);
      const lowWait = high ? 0 : b.highUntil - now;
      return Math.max(1, b.pausedUntil - now, lowWait, Math.ceil((1 - tokens) * intervalMs));
    },
    async pauseTokens(ms) {
      s.bucket.pausedUntil = Math.max(s.bucket.pausedUntil, clock.now() + ms);
    },
    async checkIn(holder, withinMs) {
      const now = clock.now();
      s.roster.set(holder, now);
      return [...s.roster.values()].filter((seenAt) => seenAt > now - withinMs).length;
    },
    async leave(holder) {
      s.roster.delete(holder);
      s.online.delete(holder);
    },
    async publishOnline(holder, uuids, expireMs) {
      const now = clock.now();
      for (const [server, row] of s.online) if (row.seenAt < now - expireMs) s.online.delete(server);
      s.online.set(holder, { uuids: new Set(uuids.map((u) => u.toLowerCase())), seenAt: now });
    },
    async onlineElsewhere(holder, withinMs) {
      const now = clock.now();
      const out = new Set<string>();
      for (const [server, row] of s.online) if (server !== holder && row.seenAt > now - withinMs) for (const uuid of row.uuids) out.add(uuid);
      return [...out];
    },
    async noteBanWatch(at) {
      s.banWatchAt = Math.max(s.banWatchAt ?? -Infinity, Math.min(at, clock.now()));
    },
    async lastBanWatch() {
      return s.banWatchAt;
    },
    async close() {},
  };
}
