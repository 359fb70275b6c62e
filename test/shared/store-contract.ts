// The one contract every shared-store backend passes (memory and MySQL/MariaDB run it), keyv-style:
// `sharedStoreContract(name, open)` where `open(community)` returns a new "server's" handle onto the
// same shared data. Each test uses a community of its own, so no test sees another's rows.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cachedAccount } from '../../src/core/account-record';
import { grantedPermissions, maskFromFlags } from '../../src/core/permissions';
import type { SharedStore } from '../../src/core/shared/store';
import type { CachedAccount } from '../../src/core/types';

export type OpenStore = (community: string) => Promise<SharedStore>;
/** The owner empties the lookups table by hand (TRUNCATE on a database). */
export type EmptyLookups = (community: string) => Promise<void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function account(n: number, opts: { status?: number; flags?: string[]; username?: string } = {}): CachedAccount {
  const { w0, w1, w2 } = maskFromFlags(Object.fromEntries((opts.flags ?? ['civilian']).map((f) => [f, true])));
  const uuid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return cachedAccount(uuid, opts.username ?? `user${n}`, n % 2 ? `cu-${n}` : null, n % 3 ? [`lic${n}abc`, `${n}`] : [], opts.status ?? 1, '2024-01-02T03:04:05.000Z', '2026-11-01T00:00:00.000Z', w0, w1, w2);
}

const plain = (a: CachedAccount) => ({ ...a, apiIds: [...a.apiIds], permissions: grantedPermissions(a) });

export function sharedStoreContract(name: string, open: OpenStore, emptyLookups: EmptyLookups): void {
  const community = () => randomBytes(8).toString('hex');
  const two = async () => {
    const c = community();
    const a = await open(c);
    const b = await open(c);
    await a.prepare();
    await b.prepare();
    return { a, b, c, done: () => Promise.all([a.close(), b.close()]) };
  };

  describe(`shared store contract: ${name}`, () => {
    it('lease: one holder at a time, renewed by its token, taken over with a higher token only after it expired', async () => {
      const { a, b, done } = await two();
      const first = await a.takeLease('A', null, 400);
      expect(first).toMatchObject({ held: true, holder: 'A' });
      expect(await b.takeLease('B', null, 400)).toMatchObject({ held: false, holder: 'A', token: first.token });
      expect(await a.takeLease('A', first.token, 400)).toEqual({ held: true, holder: 'A', token: first.token });
      // The same server asking again without its token (two callers at once) still holds it, same token.
      expect(await a.takeLease('A', null, 400)).toEqual({ held: true, holder: 'A', token: first.token });
      await sleep(600);
      const second = await b.takeLease('B', null, 60_000);
      expect(second.held).toBe(true);
      expect(second.token).toBeGreaterThan(first.token);
      // The old holder comes back: its token no longer renews anything.
      expect(await a.takeLease('A', first.token, 400)).toMatchObject({ held: false, holder: 'B', token: second.token });
      await b.releaseLease('B', second.token);
      expect(await a.takeLease('A', null, 400)).toMatchObject({ held: true, holder: 'A' });
      await done();
    });

    it('versions: the holder publishes a whole version that loads back exactly; a stale token writes nothing', async () => {
      const { a, b, done } = await two();
      expect(await a.loadCurrent()).toBeNull();
      expect((await a.state()).version).toBeNull();
      const lease = await a.takeLease('A', null, 60_000);
      const accounts = [account(1, { flags: ['police', 'dispatch'] }), account(2, { status: 4 }), account(3, { flags: [] }), account(4, { username: 'Ünïcode 🚓' })];
      const started = await a.now();
      const id = await a.publish('A', lease.token, { startedAt: started, byStatus: { active: 3, banned: 1 }, accounts });
      expect(id).not.toBeNull();
      expect((await b.state()).version).toBe(id);
      const loaded = (await b.loadCurrent())!;
      expect(loaded.info).toMatchObject({ id, startedAt: started, accounts: 4, byStatus: { active: 3, banned: 1 } });
      expect(loaded.accounts.map(plain).sort((x, y) => x.uuid.localeCompare(y.uuid))).toEqual(accounts.map(plain));

      // B takes over after A released; A, now stale, cannot publish nor flip.
      await a.releaseLease('A', lease.token);
      const bLease = await b.takeLease('B', null, 60_000);
      expect(await a.publish('A', lease.token, { startedAt: await a.now(), byStatus: {}, accounts: [account(9)] })).toBeNull();
      expect((await b.state()).version).toBe(id);
      const next = await b.publish('B', bLease.token, { startedAt: await b.now(), byStatus: { active: 1 }, accounts: [account(5)] });
      expect(next).toBeGreaterThan(id!);
      expect((await a.loadCurrent())!.accounts.map((x) => x.username)).toEqual(['user5']);
      await done();
    });

    // Issue 20, hole 4: a sweep carries the token it began with, and a version only becomes current
    // while that token is the lease's and its sweep began after the current one's (I2).
    it('versions: a sweep begun under an older token, or earlier than the current version, is never published', async () => {
      const { a, b, done } = await two();
      const t1 = await a.takeLease('A', null, 60_000);
      const aStarted = await a.now();
      await a.releaseLease('A', t1.token);
      const t2 = await b.takeLease('B', null, 60_000);
      const bStarted = aStarted + 10;
      const bVersion = await b.publish('B', t2.token, { startedAt: bStarted, byStatus: {}, accounts: [account(1, { status: 4 })] });
      expect(bVersion).not.toBeNull();
      await b.releaseLease('B', t2.token);
      const t3 = await a.takeLease('A', null, 60_000);
      expect(t3.token).toBeGreaterThan(t2.token);
      // A's old sweep (token t1) ends now: refused, though A holds the lease again.
      expect(await a.publish('A', t1.token, { startedAt: aStarted, byStatus: {}, accounts: [account(1)] })).toBeNull();
      // Even under the current token, a sweep begun before the current version's is refused.
      expect(await a.publish('A', t3.token, { startedAt: aStarted, byStatus: {}, accounts: [account(1)] })).toBeNull();
      expect((await b.state()).version).toBe(bVersion);
      expect((await b.loadCurrent())!.accounts.map((x) => x.status)).toEqual([4]);
      const later = await a.publish('A', t3.token, { startedAt: bStarted + 1, byStatus: {}, accounts: [account(1)] });
      expect(later).not.toBeNull();
      expect((await b.state()).version).toBe(later);
      await done();
    });

    it('roster: counts the servers seen within the window, itself included; one that left no longer counts', async () => {
      const { a, b, done } = await two();
      expect(await a.checkIn('A', 60_000)).toBe(1);
      expect(await b.checkIn('B', 60_000)).toBe(2);
      expect(await a.checkIn('A', 60_000)).toBe(2);
      await b.leave('B');
      expect(await a.checkIn('A', 60_000)).toBe(1);
      await b.checkIn('B', 60_000);
      await sleep(300);
      expect(await a.checkIn('A', 200)).toBe(1); // B was seen too long ago
      await done();
    });

    it('online players: each server replaces its own list; the others read the union, without their own; a server that left or stopped publishing drops out', async () => {
      const shared = community();
      const [a, b, c] = await Promise.all([open(shared), open(shared), open(shared)]);
      for (const s of [a, b, c]) await s.prepare();
      const [u1, u2, u3] = [account(1).uuid, account(2).uuid.toUpperCase(), account(3).uuid];
      const sorted = (xs: string[]) => [...xs].sort();
      expect(await a.onlineElsewhere('A', 60_000)).toEqual([]);
      await a.publishOnline('A', [u1, u2], 60_000);
      await b.publishOnline('B', [u2, u3, u3], 60_000);
      // Keyed by uuid in lower case, like the lookups: each account once, whoever holds it.
      expect(sorted(await a.onlineElsewhere('A', 60_000))).toEqual(sorted([u2.toLowerCase(), u3]));
      expect(sorted(await b.onlineElsewhere('B', 60_000))).toEqual(sorted([u1, u2.toLowerCase()]));
      expect(sorted(await b.onlineElsewhere('C', 60_000))).toEqual(sorted([u1, u2.toLowerCase(), u3]));
      // A publishes again: its list is replaced, not added to.
      await a.publishOnline('A', [u3], 60_000);
      expect(await b.onlineElsewhere('B', 60_000)).toEqual([u3]);
      await a.publishOnline('A', [], 60_000);
      expect(await b.onlineElsewhere('B', 60_000)).toEqual([]);
      // B stops cleanly: gone at once.
      await b.leave('B');
      expect(await a.onlineElsewhere('A', 60_000)).toEqual([]);
      // B publishes, then stops publishing (a crash): past the window it is not read, and the next publish drops its rows.
      await b.publishOnline('B', [u1], 60_000);
      await sleep(300);
      expect(await a.onlineElsewhere('A', 200)).toEqual([]);
      expect(await a.onlineElsewhere('A', 60_000)).toEqual([u1]);
      await a.publishOnline('A', [u2], 200);
      expect(await c.onlineElsewhere('C', 60_000)).toEqual([u2.toLowerCase()]);
      await Promise.all([a.close(), b.close(), c.close()]);
    });

    it('ban watch: the latest run any server noted is read back (never dated past the store\'s now, never going back)', async () => {
      const { a, b, done } = await two();
      expect(await b.lastBanWatch()).toBeNull();
      const now = await a.now();
      await a.noteBanWatch(now - 5000);
      expect(await b.lastBanWatch()).toBe(now - 5000);
      await b.noteBanWatch(now - 9000); // an older run noted late changes nothing
      expect(await a.lastBanWatch()).toBe(now - 5000);
      await b.noteBanWatch(now + 3_600_000); // a run dated ahead counts as now
      const read = (await a.lastBanWatch())!;
      expect(read).toBeGreaterThanOrEqual(now);
      expect(read).toBeLessThan(now + 60_000);
      await done();
    });

    it('versions: a reader during publishes only ever sees a whole version', async () => {
      const { a, b, done } = await two();
      const lease = await a.takeLease('A', null, 60_000);
      const big = (base: number) => Array.from({ length: 1500 }, (_, i) => account(base + i));
      let writing = true;
      const writer = (async () => {
        for (let round = 0; round < 4; round++) await a.publish('A', lease.token, { startedAt: await a.now(), byStatus: { active: 1500 }, accounts: big(round * 10_000) });
        writing = false;
      })();
      const seen = new Set<number>();
      while (writing) {
        const v = await b.loadCurrent();
        if (!v) continue;
        seen.add(v.info.id);
        expect(v.accounts).toHaveLength(1500);
        // Every account of one load comes from the one sweep that version was.
        expect(new Set(v.accounts.map((x) => Math.floor(Number(x.uuid.slice(-12)) / 10_000))).size).toBe(1);
      }
      await writer;
      expect(seen.size).toBeGreaterThan(0);
      await done();
    });

    it('lookups: newest observation wins, pollers get them in order, a later sweep makes older ones redundant', async () => {
      const { a, b, done } = await two();
      // Observations dated in the past: the store dates none past its own now (the next test).
      const t0 = await a.now();
      await a.writeLookup(account(7, { flags: ['police'] }), t0 - 200);
      await b.writeLookup(account(7, { flags: [] , status: 4 }), t0 - 250); // older answer, arrives later
      await b.writeLookup(account(8), t0 - 240);
      const all = await b.lookupsSince(0);
      expect(all.map((l) => [l.account.username, l.observedAt, grantedPermissions(l.account), l.account.status])).toEqual(
        expect.arrayContaining([
          ['user7', t0 - 200, ['police'], 1],
          ['user8', t0 - 240, ['civilian'], 1],
        ]),
      );
      expect(all).toHaveLength(2);
      const seqs = all.map((l) => l.seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      const last = (await a.state()).lookupSeq;
      expect(await a.lookupsSince(last)).toEqual([]);
      await a.writeLookup(account(7, { flags: ['police', 'ems'] }), t0 - 100);
      expect((await a.lookupsSince(last)).map((l) => grantedPermissions(l.account))).toEqual([['police', 'ems']]);

      const lease = await a.takeLease('A', null, 60_000);
      await a.publish('A', lease.token, { startedAt: t0 - 150, byStatus: {}, accounts: [account(1)] });
      const loaded = (await b.loadCurrent())!;
      expect(loaded.lookups.map((l) => l.account.username)).toEqual(['user7']);
      expect(loaded.lookupSeq).toBe((await b.state()).lookupSeq);
      await done();
    });

    // Red team round 5, hole 7: a server whose clock stepped ahead wrote an answer dated minutes ahead,
    // and a later ban lost the newest-wins comparison to it until then.
    it('lookups: an answer dated past the store\'s now is stored at its now, so a later ban still wins', async () => {
      const { a, b, done } = await two();
      const t0 = await a.now();
      await a.writeLookup(account(9), t0 + 120_000);
      const [ahead] = await b.lookupsSince(0);
      expect(ahead!.observedAt).toBeLessThanOrEqual((await b.now()));
      await new Promise((r) => setTimeout(r, 20));
      await b.writeLookup(account(9, { status: 4 }), await b.now());
      const [after] = await a.lookupsSince(0);
      expect(after!.account.status).toBe(4);
      await done();
    });

    // Red team round 6, hole 8: a truncated lookups table was noticed only while it stayed empty until the
    // next poll; one answer written in between hid it. The table carries a mark no truncate keeps.
    it('lookups: a table emptied by hand loses its mark, whatever is written after; the mark is no lookup and outlives a flip', async () => {
      const { a, b, c, done } = await two();
      const before = (await a.state()).lookupsMark;
      expect(before).toEqual(expect.any(Number));
      await a.writeLookup(account(12, { status: 4 }), await a.now());
      await sleep(5);
      await emptyLookups(c);
      await b.writeLookup(account(13), await b.now());
      expect(await a.state()).toMatchObject({ hasLookups: true, lookupsMark: null });
      const after = await b.markLookups();
      expect(after).not.toBe(before);
      expect(await a.markLookups()).toBe(after); // one mark: the second server finds it
      expect((await a.state()).lookupsMark).toBe(after);
      expect((await a.lookupsSince(0)).map((l) => l.account.uuid)).toEqual([account(13).uuid]);
      // A flip prunes the answers its sweep makes redundant, never the mark.
      const lease = await a.takeLease('A', null, 60_000);
      await sleep(5);
      await a.publish('A', lease.token, { startedAt: await a.now(), byStatus: {}, accounts: [account(1)] });
      expect(await b.state()).toMatchObject({ hasLookups: false, lookupsMark: after });
      expect((await b.loadCurrent())!.lookups).toEqual([]);
      await done();
    });

    // Round 6 hole 8: the holder's ban watch writes again a ban it reads that the database lacks.
    it('bans missing: of the accounts asked, those neither a lookup answer nor the current version holds as banned', async () => {
      const { a, b, done } = await two();
      const lease = await a.takeLease('A', null, 60_000);
      await a.publish('A', lease.token, { startedAt: (await a.now()) - 1000, byStatus: {}, accounts: [account(21, { status: 4 }), account(22)] });
      await b.writeLookup(account(23, { status: 4 }), await b.now());
      await b.writeLookup(account(24), await b.now());
      const asked = [21, 22, 23, 24, 25].map((n) => account(n).uuid.toUpperCase());
      expect((await a.bansMissing(asked)).sort()).toEqual([22, 24, 25].map((n) => account(n).uuid));
      expect(await a.bansMissing([])).toEqual([]);
      await done();
    });

    // Issue 20, suspicion: permissions stored joined by ',' let a flag the CAD names "x,police" grant
    // police on every server that loads it. Stored in a form that cannot be split.
    it('permission flags come back as they went, whatever characters a flag name holds', async () => {
      const { a, b, done } = await two();
      const odd = account(11, { flags: ['civilian', 'x,police', 'a"b', 'c\\d'] });
      expect(grantedPermissions(odd)).toEqual(['civilian', 'x,police', 'a"b', 'c\\d']);
      const lease = await a.takeLease('A', null, 60_000);
      await a.publish('A', lease.token, { startedAt: await a.now(), byStatus: {}, accounts: [odd] });
      await a.writeLookup(account(12, { flags: ['x,police'] }));
      const loaded = (await b.loadCurrent())!;
      expect(grantedPermissions(loaded.accounts[0]!)).toEqual(['civilian', 'x,police', 'a"b', 'c\\d']);
      expect(grantedPermissions(loaded.lookups[0]!.account)).toEqual(['x,police']);
      expect(grantedPermissions((await b.lookupsSince(0))[0]!.account)).not.toContain('police');
      await done();
    });

    it('rate budget: one token per interval across every server, none while paused', async () => {
      const { a, b, done } = await two();
      expect(await a.takeToken(300)).toBe(0);
      const wait = await b.takeToken(300);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(300);
      await sleep(wait + 20);
      expect(await b.takeToken(300)).toBe(0);
      await sleep(320);
      await a.pauseTokens(500);
      expect(await b.takeToken(300)).toBeGreaterThan(300);

      // A connect lookup (high) that has to wait keeps sweep pages (low) of every server out.
      await sleep(600);
      expect(await a.takeToken(300, 'low')).toBe(0);
      const highWait = await b.takeToken(300, 'high');
      expect(highWait).toBeGreaterThan(0);
      await sleep(highWait + 20);
      expect(await a.takeToken(300, 'low')).toBeGreaterThan(0);
      expect(await b.takeToken(300, 'high')).toBe(0);

      // Four servers asking as fast as they can for 1.2 s: at most one token per 100 ms in all.
      const c = community();
      const stores = await Promise.all([0, 1, 2, 3].map(() => open(c)));
      await Promise.all(stores.map((s) => s.prepare()));
      const until = Date.now() + 1200;
      const taken = await Promise.all(
        stores.map(async (s) => {
          let n = 0;
          while (Date.now() < until) {
            const w = await s.takeToken(100);
            if (w === 0) n += 1;
            else await sleep(Math.min(w, 20));
          }
          return n;
        }),
      );
      const total = taken.reduce((x, y) => x + y, 0);
      expect(total).toBeGreaterThanOrEqual(2);
      expect(total).toBeLessThanOrEqual(1200 / 100 + 1);
      await Promise.all(stores.map((s) => s.close()));
      await done();
    });
  });
}
