// One odd account must never freeze the whole cache: a record with an odd non-critical field is read
// tolerantly and counted, a record without a readable uuid keeps its last good version, and a page whose
// shape is wrong still refuses the sweep. Over real HTTP against the fake CAD, v1 and v2.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeAccount, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { hasPermission, permissionIndex } from '../../src/core/permissions';
import type { AccountCache, CadError } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock } from './helpers';

let cad: FakeCad | undefined;
let cache: AccountCache | undefined;
afterEach(async () => {
  cache?.stop();
  await cad?.close();
  cache = cad = undefined;
});

type Rec = Record<string, any>;
type Page = { pagination: { limit: number; offset: number; total: number }; accounts: Rec[] };

async function world(version: 1 | 2 = 1) {
  cad = await startFakeCad({ rateLimit: false, accounts: 320, seed: 7 });
  const log = captureLog();
  cache = createAccountCache({ config: configFor(cad, { refreshMinutes: 60 }, version), transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log, random: () => 0 });
  const failures: string[] = [];
  cache.on('refreshFailed', (m) => failures.push(m));
  return { cad, cache, log, failures };
}

const warnings = (log: { lines: string[] }) => log.lines.filter((l) => l.startsWith('warn: the CAD sent odd account records'));
const officerOnPage = (page: Page) => page.accounts.find((a) => a.permissions?.police === true) ?? page.accounts[1]!;

/** Which account a rewrite touched, by uuid (read before the edit). */
function oddOne(edit: (a: Rec) => void) {
  const touched: string[] = [];
  const rewrite = (page: Page) => {
    const victim = officerOnPage(page);
    touched.push(victim.uuid);
    edit(victim);
    return page;
  };
  return { touched, rewrite };
}

const ODD_FORMS: [string, 1 | 2, (a: Rec) => void, string][] = [
  ['a permission flag of null', 1, (a) => (a.permissions.police = null), 'permissions.police'],
  ['a permission flag of "yes"', 2, (a) => (a.permissions.police = 'yes'), 'permissions.police'],
  ['permissions of null', 1, (a) => (a.permissions = null), 'permissions'],
  ['no permissions at all', 2, (a) => delete a.permissions, 'permissions'],
  ['apiIds of null', 1, (a) => (a.apiIds = null), 'apiIds'],
  ['no apiIds', 1, (a) => delete a.apiIds, 'apiIds'],
  ['apiIds holding a number', 1, (a) => (a.apiIds = [...a.apiIds, 12345]), 'apiIds'],
  ['a communityUserId that is an object', 2, (a) => (a.communityUserId = { id: 1 }), 'communityUserId'],
  ['a username of null', 1, (a) => (a.username = null), 'username'],
  ['a joined date that is a number', 2, (a) => (a.joined = 1700000000), 'joined'],
  ['a lastLogin that is an object', 1, (a) => (a.lastLogin = {}), 'lastLogin'],
  ['a status of null (the page says which status it lists)', 1, (a) => (a.status = null), 'status'],
];

describe.each([
  ['the first page', 0],
  ['a middle page', 1],
])('an odd record at %s', (_where, after) => {
  it.each(ODD_FORMS)('%s (v%s): the sweep succeeds, the account is findable, one warning names the field', async (_what, version, edit, field) => {
    const { cad, cache, log, failures } = await world(version);
    const { touched, rewrite } = oddOne(edit);
    cad.fault('rewrite', { after, times: 1, route: 'accounts', rewrite });
    const summary = await cache.refresh();

    expect(failures).toEqual([]);
    expect(cache.info().ready).toBe(true);
    const account = cache.find(touched[0]!)!;
    expect(account).toBeDefined();
    expect(account.status).toBe(1);
    // Every listed account made it, the odd one included.
    for (const a of cad.accounts.filter((x) => x.status === 1 || x.status === 4)) expect(cache.find(a.uuid), a.username).toBeDefined();
    expect([summary.odd, summary.unreadable]).toEqual([1, 0]);
    expect(warnings(log)).toEqual([expect.stringContaining(`${field} 1`)]);
    if (field.startsWith('permissions')) expect(hasPermission(account, permissionIndex('police'))).toBe(false);
  });
});

describe('odd records, mixed', () => {
  it('several odd records on several pages: one warning line per sweep, with counts, not one per account', async () => {
    const { cad, cache, log } = await world();
    cad.fault('rewrite', {
      route: 'accounts',
      rewrite: (p: Page) => {
        p.accounts[0]!.permissions.police = null;
        p.accounts[2]!.apiIds = null;
        return p;
      },
    });
    const first = await cache.refresh();
    await cache.refresh();
    const pages = cad.requests.filter((r) => r.fault === 'rewrite').length / 2;
    expect(first.odd).toBe(2 * pages);
    expect(warnings(log)).toHaveLength(2);
    expect(warnings(log)[0]).toMatch(new RegExp(`${2 * pages} accounts with odd fields.*permissions\\.police ${pages}.*apiIds ${pages}`));
  });

  it('a banned account next to an odd one stays banned; an odd record on a banned page is banned', async () => {
    const { cad, cache } = await world();
    const banned = cad.accounts.filter((a) => a.status === 4);
    expect(banned.length).toBeGreaterThan(1);
    const rewrite = (p: Page) => {
      if (p.accounts[0]?.status !== 4) return p;
      p.accounts[0]!.status = 'banned?';
      p.accounts[0]!.permissions = 'all of them';
      return p;
    };
    cad.fault('rewrite', { route: 'accounts', rewrite });
    const summary = await cache.refresh();
    for (const a of banned) expect(cache.find(a.uuid)?.status, a.username).toBe(4);
    expect(summary.byStatus.banned).toBe(banned.length);
  });
});

describe('records without a readable uuid', () => {
  const noUuid = (pick: (p: Page) => Rec | undefined) => (p: Page) => {
    const victim = pick(p);
    if (victim) victim.uuid = victim.uuid ? null : victim.uuid;
    return p;
  };

  it('keep their last good version (found by their API IDs), never erase a ban, and are counted', async () => {
    const { cad, cache, log } = await world();
    await cache.refresh();
    const target: FakeAccount = cad.accounts.find((a) => a.status === 4)!;
    cad.fault('rewrite', { route: 'accounts', rewrite: noUuid((p) => p.accounts.find((a) => a.uuid === target.uuid)) });
    const summary = await cache.refresh();
    expect(summary.unreadable).toBe(1);
    expect(summary.removed).toBe(0);
    expect(cache.find(target.uuid)?.status).toBe(4);
    expect(cache.find(target.apiIds[0]!)?.uuid).toBe(target.uuid);
    expect(warnings(log).at(-1)).toMatch(/1 record without a readable uuid \(1 kept as last synced/);
  });

  it('banned records without a uuid and with long ID lists each ban their own IDs, under a uuid that fits 64 characters', async () => {
    const { cad, cache } = await world();
    const longIds = (n: number) => Array.from({ length: 6 }, (_, i) => `license:${String(n).repeat(40)}${i}`);
    const strays = [longIds(1), longIds(2)];
    cad.fault('rewrite', {
      route: 'accounts',
      rewrite: (p: Page) => {
        if (p.accounts[0]?.status !== 4 || p.pagination.offset !== 0) return p;
        p.accounts.push(...strays.map((apiIds) => ({ ...p.accounts[0]!, uuid: null, apiIds })));
        p.pagination.total += strays.length;
        return p;
      },
    });
    const summary = await cache.refresh();
    expect(summary.unreadable).toBe(2);
    const standIns = strays.map((ids) => cache.find(ids[5]!)!);
    expect(standIns.map((a) => a.status)).toEqual([4, 4]);
    expect(new Set(standIns.map((a) => a.uuid)).size).toBe(2);
    for (const a of standIns) expect(a.uuid.length).toBeLessThanOrEqual(64);
  });

  it('with no last good version: counted and warned, the rest of the sweep lands', async () => {
    const { cad, cache, log } = await world(2);
    const target = cad.accounts.find((a) => a.status === 1)!;
    cad.fault('rewrite', { route: 'accounts', rewrite: noUuid((p) => p.accounts.find((a) => a.uuid === target.uuid)) });
    const summary = await cache.refresh();
    expect(summary.unreadable).toBe(1);
    expect(cache.info().ready).toBe(true);
    expect(cache.info().accounts).toBe(cad.accounts.filter((a) => a.status === 1 || a.status === 4).length - 1);
    expect(warnings(log)).toEqual([expect.stringMatching(/1 record without a readable uuid \(0 kept/)]);
  });
});

describe('a page whose shape is wrong is still a failed sweep that keeps the last good cache', () => {
  it.each<[string, (p: Page) => unknown]>([
    ['a page that is a list', (p) => p.accounts],
    ['no pagination', (p) => ({ accounts: p.accounts })],
    ['no accounts list', (p) => ({ pagination: p.pagination })],
    ['accounts that are an object', (p) => ({ ...p, accounts: { 0: p.accounts[0] } })],
  ])('%s', async (_what, rewrite) => {
    const { cad, cache, failures } = await world(2);
    await cache.refresh();
    const before = cache.info().accounts;
    cad.fault('rewrite', { after: 1, times: 1, route: 'accounts', rewrite });
    const err = (await cache.refresh().catch((e: unknown) => e)) as CadError;
    expect(err.kind).toBe('invalidResponse');
    expect(cache.info().accounts).toBe(before);
    expect(failures).toHaveLength(1);
  });
});

describe('single lookups', () => {
  it('an odd account answered to a lookup is kept, with a warning naming the field', async () => {
    const { cad, cache, log } = await world();
    const someone = cad.accounts.find((a) => a.status === 1)!;
    cad.fault('rewrite', { route: 'account', rewrite: (a: Rec) => ((a.permissions.police = null), a) });
    const found = await cache.lookup(someone.apiIds[0]!, 5000);
    expect(found?.uuid).toBe(someone.uuid);
    expect(log.lines).toContainEqual(expect.stringMatching(new RegExp(`warn: the CAD answered account ${someone.uuid} with odd fields.*permissions\\.police`)));
  });

  it('a lookup answer without a readable uuid or status is an invalid answer, not an account', async () => {
    const { cad, cache } = await world();
    const someone = cad.accounts.find((a) => a.status === 1)!;
    cad.fault('rewrite', { route: 'account', times: 3, rewrite: (a: Rec) => ((a.status = 'x'), a) });
    await expect(cache.lookup(someone.apiIds[0]!, 5000)).rejects.toMatchObject({ kind: 'invalidResponse' });
  });
});
