// The shared store in the community's MySQL/MariaDB. Every rule that matters with several writers is in
// the SQL itself, not in one process's memory: the lease is taken or renewed by one conditional UPDATE
// on the database's clock, a version and its flip only go through while the writer's fencing token is
// still the lease's, an older lookup answer loses to a newer one in the UPDATE's WHERE, and a token
// of the CAD budget is taken by an UPDATE that only matches while one is there. Nothing secret is
// stored: accounts as the CAD lists them, a hash naming the community, and timing.
import { cachedAccount } from '../account-record';
import { grantedPermissions, maskFromFlags } from '../permissions';
import { ACCOUNT_STATUS, type CachedAccount } from '../types';
import { NOW_MS, type Db, type Queryable, type WriteResult } from './database';
import { migrate, tableNames } from './schema';
import type { LoadedVersion, ObservedAccount, SharedStore, VersionInfo } from './store';

/** Rows per INSERT: well under max_allowed_packet (16 MB by default) for the longest accounts. */
const ROWS_PER_INSERT = 500;
/** Rows per DELETE of an old version, so no statement holds locks for long. */
const ROWS_PER_DELETE = 5000;

const ACCOUNT_COLUMNS = 'uuid, username, community_user_id, api_ids, status, joined, last_login, permissions';

type AccountRow = {
  uuid: string;
  username: string;
  community_user_id: string | null;
  api_ids: string;
  status: number;
  joined: string;
  last_login: string;
  permissions: string;
};

export function sql(prefix: string) {
  const t = tableNames(prefix);
  return {
    t,
    /**
     * The community's rows, created at start and again whenever one is found missing (an owner cleaning
     * tables): a recreated lease row goes on from the highest token any version carries, so tokens never
     * repeat; a recreated state row names the version of the latest sweep still stored (every stored
     * version is whole: written in one transaction) and goes on from the highest lookup sequence still
     * stored (which may be lower than before: pollers see its updated_at change and read every lookup
     * again), and the current sweep start does not go back.
     */
    ensureLease: `INSERT IGNORE INTO ${t.lease} (community, holder, token, expires_at)
      SELECT ?, '', COALESCE(MAX(token), 0), 0 FROM ${t.versions} WHERE community = ?`,
    ensureState: `INSERT IGNORE INTO ${t.state} (community, current_version, lookup_seq, updated_at)
      SELECT ?, (SELECT v.id FROM ${t.versions} v WHERE v.community = ? ORDER BY v.started_at DESC, v.id DESC LIMIT 1),
        COALESCE(MAX(seq), 0), ${NOW_MS} FROM ${t.lookups} WHERE community = ?`,
    ensureBucket: `INSERT IGNORE INTO ${t.bucket} (community, tokens, updated_at, paused_until) VALUES (?, 1, ${NOW_MS}, 0)`,
    now: `SELECT ${NOW_MS} AS now`,
    /** LAST_INSERT_ID(token) hands the token back in the OK packet, no second read. */
    renewLease: `UPDATE ${t.lease} SET expires_at = ${NOW_MS} + ?, token = LAST_INSERT_ID(token)
      WHERE community = ? AND holder = ? AND token = ? AND expires_at > ${NOW_MS}`,
    takeLease: `UPDATE ${t.lease} SET token = LAST_INSERT_ID(token + 1), holder = ?, expires_at = ${NOW_MS} + ?
      WHERE community = ? AND expires_at <= ${NOW_MS}`,
    readLease: `SELECT holder, token, expires_at > ${NOW_MS} AS live FROM ${t.lease} WHERE community = ?`,
    releaseLease: `UPDATE ${t.lease} SET expires_at = 0 WHERE community = ? AND holder = ? AND token = ?`,
    /**
     * The version header is written only while the token its sweep began with is the lease's, and only
     * when that sweep began after the current version's (the current sweep start never goes back).
     */
    insertVersion: `INSERT INTO ${t.versions} (community, token, holder, started_at, created_at, accounts, by_status)
      SELECT l.community, l.token, l.holder, ?, ${NOW_MS}, ?, ? FROM ${t.lease} l
      LEFT JOIN ${t.state} s ON s.community = l.community
      LEFT JOIN ${t.versions} cv ON cv.id = s.current_version
      WHERE l.community = ? AND l.holder = ? AND l.token = ? AND (cv.id IS NULL OR cv.started_at < ?)`,
    insertAccounts: `INSERT IGNORE INTO ${t.accounts} (community, version, ${ACCOUNT_COLUMNS}, observed_at) VALUES ?`,
    fixCount: `UPDATE ${t.versions} SET accounts = ? WHERE id = ?`,
    /** The flip: one row, fenced by the token and the sweep start again in the WHERE. */
    flip: `UPDATE ${t.state} s JOIN ${t.lease} l ON l.community = s.community
      LEFT JOIN ${t.versions} cv ON cv.id = s.current_version
      SET s.current_version = ?, s.updated_at = ${NOW_MS}
      WHERE s.community = ? AND l.holder = ? AND l.token = ? AND (cv.id IS NULL OR cv.started_at < ?)`,
    currentForUpdate: `SELECT current_version FROM ${t.state} WHERE community = ? FOR UPDATE`,
    pruneLookups: `DELETE FROM ${t.lookups} WHERE community = ? AND observed_at < ? AND seq > 0`,
    /**
     * The lookups table's mark (store.ts SharedState.lookupsMark): a row that is no lookup (uuid '', seq 0,
     * its value in observed_at), which no prune, read or poll counts as one. A new one is dated NOW: later
     * than any mark a truncate took away.
     */
    markLookups: `INSERT IGNORE INTO ${t.lookups} (community, ${ACCOUNT_COLUMNS}, observed_at, seq)
      VALUES (?, '', '', NULL, '[]', 0, '', '', '[]', ${NOW_MS}, 0)`,
    bansHeld: `SELECT uuid FROM ${t.lookups} WHERE community = ? AND status = ${ACCOUNT_STATUS.banned} AND seq > 0 AND uuid IN (?)
      UNION SELECT a.uuid FROM ${t.accounts} a JOIN ${t.state} s ON s.community = a.community AND a.version = s.current_version
      WHERE a.community = ? AND a.status = ${ACCOUNT_STATUS.banned} AND a.uuid IN (?)`,
    readMark: `SELECT observed_at FROM ${t.lookups} WHERE community = ? AND uuid = '' AND seq = 0`,
    pruneAccounts: `DELETE FROM ${t.accounts} WHERE community = ? AND version < ? LIMIT ${ROWS_PER_DELETE}`,
    pruneVersions: `DELETE FROM ${t.versions} WHERE community = ? AND id < ?`,
    state: `SELECT s.current_version, s.lookup_seq, v.started_at, s.updated_at, ${NOW_MS} AS now,
      EXISTS (SELECT 1 FROM ${t.lookups} k WHERE k.community = s.community AND k.seq > 0) AS has_lookups,
      (SELECT m.observed_at FROM ${t.lookups} m WHERE m.community = s.community AND m.uuid = '' AND m.seq = 0) AS lookups_mark FROM ${t.state} s
      LEFT JOIN ${t.versions} v ON v.id = s.current_version WHERE s.community = ?`,
    currentVersion: `SELECT v.id, v.started_at, v.created_at, v.accounts, v.by_status, s.lookup_seq
      FROM ${t.state} s JOIN ${t.versions} v ON v.id = s.current_version WHERE s.community = ?`,
    versionAccounts: `SELECT ${ACCOUNT_COLUMNS}, observed_at FROM ${t.accounts} WHERE community = ? AND version = ?`,
    allLookups: `SELECT ${ACCOUNT_COLUMNS}, observed_at, seq FROM ${t.lookups} WHERE community = ? AND seq > 0 ORDER BY seq`,
    lookupsSince: `SELECT ${ACCOUNT_COLUMNS}, observed_at, seq FROM ${t.lookups} WHERE community = ? AND seq > ? ORDER BY seq`,
    nextLookupSeq: `UPDATE ${t.state} SET lookup_seq = LAST_INSERT_ID(lookup_seq + 1) WHERE community = ?`,
    insertLookup: `INSERT IGNORE INTO ${t.lookups} (community, ${ACCOUNT_COLUMNS}, observed_at, seq)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, LEAST(COALESCE(?, ${NOW_MS}), ${NOW_MS}), ?)`,
    /**
     * Newest observation wins: the older answer matches no row. No answer is dated past the database's
     * own now (insert and update alike): a server whose clock stepped ahead between two polls converts
     * with a stale offset, and a row dated minutes ahead would beat every later ban until then.
     */
    updateLookup: `UPDATE ${t.lookups} SET username = ?, community_user_id = ?, api_ids = ?, status = ?, joined = ?, last_login = ?,
      permissions = ?, observed_at = LEAST(COALESCE(?, ${NOW_MS}), ${NOW_MS}), seq = ?
      WHERE community = ? AND uuid = ? AND observed_at < LEAST(COALESCE(?, ${NOW_MS}), ${NOW_MS})`,
    /**
     * A token only while one is there (one every `interval` ms, no burst) and no 429 pause runs; a low
     * (sweep page) caller also only while no connect lookup announced it is waiting.
     */
    takeToken: `UPDATE ${t.bucket}
      SET tokens = LEAST(1, tokens + GREATEST(0, ${NOW_MS} - updated_at) / ?) - 1, updated_at = ${NOW_MS}
      WHERE community = ? AND paused_until <= ${NOW_MS} AND LEAST(1, tokens + GREATEST(0, ${NOW_MS} - updated_at) / ?) >= 1
        AND (? = 'high' OR high_until <= ${NOW_MS})`,
    announceHigh: `UPDATE ${t.bucket} SET high_until = GREATEST(high_until, ${NOW_MS} + ?) WHERE community = ?`,
    readBucket: `SELECT tokens, updated_at, paused_until, high_until, ${NOW_MS} AS now FROM ${t.bucket} WHERE community = ?`,
    pause: `UPDATE ${t.bucket} SET paused_until = GREATEST(paused_until, ${NOW_MS} + ?) WHERE community = ?`,
    checkIn: `INSERT INTO ${t.roster} (community, holder, seen_at) VALUES (?, ?, ${NOW_MS}) ON DUPLICATE KEY UPDATE seen_at = ${NOW_MS}`,
    rosterSize: `SELECT COUNT(*) AS n FROM ${t.roster} WHERE community = ? AND seen_at > ${NOW_MS} - ?`,
    leave: `DELETE FROM ${t.roster} WHERE community = ? AND holder = ?`,
    /** A server's online players are replaced whole, dated by the database's clock read in the same transaction. */
    clearOnline: `DELETE FROM ${t.online} WHERE community = ? AND holder = ?`,
    insertOnline: `INSERT IGNORE INTO ${t.online} (community, holder, uuid, seen_at) VALUES ?`,
    /** A server that stopped publishing (crashed, cut off) leaves rows nobody renews. */
    expireOnline: `DELETE FROM ${t.online} WHERE community = ? AND seen_at < ${NOW_MS} - ?`,
    onlineElsewhere: `SELECT DISTINCT uuid FROM ${t.online} WHERE community = ? AND holder <> ? AND seen_at > ${NOW_MS} - ?`,
    noteBanWatch: `INSERT INTO ${t.watch} (community, ran_at) VALUES (?, LEAST(?, ${NOW_MS}))
      ON DUPLICATE KEY UPDATE ran_at = GREATEST(ran_at, LEAST(?, ${NOW_MS}))`,
    lastBanWatch: `SELECT ran_at FROM ${t.watch} WHERE community = ?`,
  };
}

export function createMysqlStore(db: Db, prefix: string, community: string): SharedStore {
  const q = sql(prefix);
  const toRow = (a: CachedAccount) => [
    a.uuid.toLowerCase(),
    a.username,
    a.communityUserId,
    JSON.stringify(a.apiIds),
    a.status,
    a.joined,
    a.lastLogin,
    // A JSON array: a flag name may hold any character (a CAD flag "x,police" joined by ',' came back as police).
    JSON.stringify(grantedPermissions(a)),
  ];
  /** Each account keeps when its server observed it (merge.ts: the newer observation wins). */
  const fromRow = (r: AccountRow & { observed_at: number | string }): CachedAccount => {
    const granted = readFlags(r.permissions);
    const { w0, w1, w2 } = maskFromFlags(Object.fromEntries(granted.map((name) => [name, true])));
    return cachedAccount(r.uuid, r.username, r.community_user_id, JSON.parse(r.api_ids) as string[], Number(r.status), r.joined, r.last_login, w0, w1, w2, Number(r.observed_at));
  };
  const observed = (r: AccountRow & { observed_at: number | string; seq: number | string }): ObservedAccount => ({
    account: fromRow(r),
    observedAt: Number(r.observed_at),
    seq: Number(r.seq),
  });

  const ensureLease = (on: Queryable) => on.query(q.ensureLease, [community, community]);
  const ensureState = (on: Queryable) => on.query(q.ensureState, [community, community, community]);
  const ensureBucket = (on: Queryable) => on.query(q.ensureBucket, [community]);

  return {
    async prepare() {
      await migrate(db, prefix);
      await ensureLease(db);
      await ensureState(db);
      await ensureBucket(db);
      await db.query(q.markLookups, [community]);
    },
    async now() {
      const rows = await db.query<{ now: number | string }[]>(q.now);
      return Number(rows[0]!.now);
    },
    async takeLease(holder, token, ttlMs) {
      if (token !== null) {
        const renewed = await db.query<WriteResult>(q.renewLease, [ttlMs, community, holder, token]);
        if (renewed.affectedRows === 1) return { held: true, holder, token: Number(renewed.insertId) };
      }
      const take = () => db.query<WriteResult>(q.takeLease, [holder, ttlMs, community]);
      const taken = await take();
      if (taken.affectedRows === 1) return { held: true, holder, token: Number(taken.insertId) };
      let row = (await db.query<{ holder: string; token: number | string; live: number }[]>(q.readLease, [community]))[0];
      if (!row) {
        // The row is gone (deleted by hand): recreated free, so the lease is never held by nobody forever.
        await ensureLease(db);
        const retaken = await take();
        if (retaken.affectedRows === 1) return { held: true, holder, token: Number(retaken.insertId) };
        row = (await db.query<{ holder: string; token: number | string; live: number }[]>(q.readLease, [community]))[0];
      }
      // Our own live lease, asked for without its token (a second caller of this same server): still ours.
      const ours = row?.holder === holder && Number(row.live) === 1;
      return { held: ours, holder: row?.holder ?? '', token: Number(row?.token ?? 0) };
    },
    async releaseLease(holder, token) {
      await db.query(q.releaseLease, [community, holder, token]);
    },
    async publish(holder, token, version) {
      // 1. The whole version, in one transaction: readers never see it until the flip below names it.
      const id = await db.transaction(async (tx) => {
        const header = await tx.query<WriteResult>(q.insertVersion, [version.startedAt, version.accounts.length, JSON.stringify(version.byStatus), community, holder, token, version.startedAt]);
        if (header.affectedRows !== 1) return null;
        const versionId = Number(header.insertId);
        let stored = 0;
        for (let i = 0; i < version.accounts.length; i += ROWS_PER_INSERT) {
          const rows = version.accounts.slice(i, i + ROWS_PER_INSERT).map((a) => [community, versionId, ...toRow(a), a.observedAt]);
          stored += (await tx.query<WriteResult>(q.insertAccounts, [rows])).affectedRows;
        }
        // Two accounts whose uuids differ only in case are one account here, as in the index.
        if (stored !== version.accounts.length) await tx.query(q.fixCount, [stored, versionId]);
        return versionId;
      });
      if (id === null) return null;
      // 2. The flip, fenced again: a holder that lost the lease meanwhile changes nothing.
      const previous = await db.transaction(async (tx) => {
        await ensureState(tx);
        const before = await tx.query<{ current_version: number | string | null }[]>(q.currentForUpdate, [community]);
        const flipped = await tx.query<WriteResult>(q.flip, [id, community, holder, token, version.startedAt]);
        if (flipped.affectedRows !== 1) return undefined;
        // Lookup answers older than this sweep's start are in it now.
        await tx.query(q.pruneLookups, [community, version.startedAt]);
        const prev = before[0]?.current_version;
        return prev === null || prev === undefined ? null : Number(prev);
      });
      if (previous === undefined) return null;
      // 3. Versions before the previous one: nobody can be reading them (loads read one snapshot).
      if (previous !== null) {
        try {
          while ((await db.query<WriteResult>(q.pruneAccounts, [community, previous])).affectedRows === ROWS_PER_DELETE);
          await db.query(q.pruneVersions, [community, previous]);
        } catch {
          // Old rows stay until the next publish prunes them; the version itself is current.
        }
      }
      return id;
    },
    async state() {
      type StateRow = {
        current_version: number | string | null;
        lookup_seq: number | string;
        started_at: number | string | null;
        updated_at: number | string;
        now: number | string;
        has_lookups: number | string;
        lookups_mark: number | string | null;
      };
      let row = (await db.query<StateRow[]>(q.state, [community]))[0];
      if (!row) {
        await ensureState(db);
        row = (await db.query<StateRow[]>(q.state, [community]))[0];
      }
      return {
        version: row?.current_version === null || row?.current_version === undefined ? null : Number(row.current_version),
        lookupSeq: Number(row?.lookup_seq ?? 0),
        versionStartedAt: row?.started_at === null || row?.started_at === undefined ? null : Number(row.started_at),
        now: Number(row?.now ?? Date.now()),
        changedAt: Number(row?.updated_at ?? 0),
        hasLookups: Number(row?.has_lookups ?? 0) === 1,
        lookupsMark: row?.lookups_mark === null || row?.lookups_mark === undefined ? null : Number(row.lookups_mark),
      };
    },
    async loadCurrent(): Promise<LoadedVersion | null> {
      const loaded = await db.transaction(
        async (tx: Queryable) => {
          const head = (await tx.query<Record<string, number | string>[]>(q.currentVersion, [community]))[0];
          if (!head) return null;
          const rows = await tx.query<(AccountRow & { observed_at: number })[]>(q.versionAccounts, [community, head.id]);
          const lookups = await tx.query<(AccountRow & { observed_at: number; seq: number })[]>(q.allLookups, [community]);
          return { head, rows, lookups };
        },
        { consistentSnapshot: true },
      );
      if (!loaded) return null;
      const { head, rows, lookups } = loaded;
      const info: VersionInfo = {
        id: Number(head.id),
        startedAt: Number(head.started_at),
        createdAt: Number(head.created_at),
        accounts: Number(head.accounts),
        byStatus: JSON.parse(String(head.by_status)) as Record<string, number>,
      };
      // Belt and braces: a version is served whole or not at all.
      if (rows.length !== info.accounts) throw new Error(`shared version ${info.id} has ${rows.length} of its ${info.accounts} accounts; not loaded`);
      return { info, accounts: rows.map(fromRow), lookups: lookups.map(observed), lookupSeq: Number(head.lookup_seq) };
    },
    async writeLookup(account, observedAt) {
      const at = observedAt ?? null;
      await db.transaction(async (tx) => {
        // The state row's lock orders lookup writers: sequence order is commit order for pollers.
        let next = await tx.query<WriteResult>(q.nextLookupSeq, [community]);
        if (next.affectedRows !== 1) {
          await ensureState(tx);
          next = await tx.query<WriteResult>(q.nextLookupSeq, [community]);
        }
        const seq = Number(next.insertId);
        const row = toRow(account);
        const inserted = await tx.query<WriteResult>(q.insertLookup, [community, ...row, at, seq]);
        if (inserted.affectedRows === 1) return;
        const [uuid, ...rest] = row;
        await tx.query(q.updateLookup, [...rest, at, seq, community, uuid, at]);
      });
    },
    async bansMissing(uuids) {
      const asked = [...new Set(uuids.map((u) => u.toLowerCase()))];
      if (asked.length === 0) return [];
      const rows = await db.query<{ uuid: string }[]>(q.bansHeld, [community, asked, community, asked]);
      const held = new Set(rows.map((r) => r.uuid));
      return asked.filter((u) => !held.has(u));
    },
    async markLookups() {
      await db.query(q.markLookups, [community]);
      const rows = await db.query<{ observed_at: number | string }[]>(q.readMark, [community]);
      return Number(rows[0]?.observed_at ?? 0);
    },
    async lookupsSince(seq) {
      const rows = await db.query<(AccountRow & { observed_at: number; seq: number })[]>(q.lookupsSince, [community, seq]);
      return rows.map(observed);
    },
    async takeToken(intervalMs, priority = 'low') {
      const taken = await db.query<WriteResult>(q.takeToken, [intervalMs, community, intervalMs, priority]);
      if (taken.affectedRows === 1) return 0;
      if (priority === 'high') await db.query(q.announceHigh, [2 * intervalMs, community]);
      const row = (await db.query<Record<string, number | string>[]>(q.readBucket, [community]))[0];
      if (!row) {
        await ensureBucket(db);
        return 1;
      }
      const now = Number(row.now);
      const tokens = Math.min(1, Number(row.tokens) + Math.max(0, now - Number(row.updated_at)) / intervalMs);
      const lowWait = priority === 'high' ? 0 : Number(row.high_until) - now;
      return Math.max(1, Number(row.paused_until) - now, lowWait, Math.ceil((1 - tokens) * intervalMs));
    },
    async pauseTokens(ms) {
      await db.query(q.pause, [ms, community]);
    },
    async checkIn(holder, withinMs) {
      await db.query(q.checkIn, [community, holder]);
      const rows = await db.query<{ n: number | string }[]>(q.rosterSize, [community, withinMs]);
      return Math.max(1, Number(rows[0]?.n ?? 1));
    },
    async leave(holder) {
      await db.query(q.leave, [community, holder]);
      await db.query(q.clearOnline, [community, holder]);
    },
    async publishOnline(holder, uuids, expireMs) {
      await db.transaction(async (tx) => {
        const now = Number((await tx.query<{ now: number | string }[]>(q.now))[0]!.now);
        await tx.query(q.clearOnline, [community, holder]);
        const rows = [...new Set(uuids.map((u) => u.toLowerCase()))].map((uuid) => [community, holder, uuid, now]);
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await tx.query(q.insertOnline, [rows.slice(i, i + ROWS_PER_INSERT)]);
        await tx.query(q.expireOnline, [community, expireMs]);
      });
    },
    async onlineElsewhere(holder, withinMs) {
      const rows = await db.query<{ uuid: string }[]>(q.onlineElsewhere, [community, holder, withinMs]);
      return rows.map((r) => r.uuid);
    },
    async noteBanWatch(at) {
      await db.query(q.noteBanWatch, [community, Math.round(at), Math.round(at)]);
    },
    async lastBanWatch() {
      const row = (await db.query<{ ran_at: number | string }[]>(q.lastBanWatch, [community]))[0];
      return row ? Number(row.ran_at) : null;
    },
    close: () => db.close(),
  };
}

/** Flags as stored: a JSON array; rows a resource before issue 20 wrote joined by ',' are still read. */
function readFlags(stored: string): string[] {
  if (stored.startsWith('[')) {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((f): f is string => typeof f === 'string') : [];
  }
  return stored === '' ? [] : stored.split(',');
}
