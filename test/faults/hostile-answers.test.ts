// Answers a broken or hostile CAD (or something pretending to be it) could send, over real HTTP: each
// is refused with a clear invalidResponse naming where, or absorbed where it is harmless, and never
// reaches the cache half-applied.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { hasPermission, permissionIndex } from '../../src/core/permissions';
import type { AccountCache, CadError } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock } from '../core/helpers';

let cad: FakeCad | undefined;
let cache: AccountCache | undefined;
afterEach(async () => {
  cache?.stop();
  await cad?.close();
  cache = cad = undefined;
});

type Page = { pagination: { limit: number; offset: number; total: number }; accounts: Record<string, any>[] };

async function primed(accounts = 250) {
  cad = await startFakeCad({ rateLimit: false, accounts, seed: 12 });
  const log = captureLog();
  cache = createAccountCache({ config: configFor(cad, { refreshMinutes: 60, statuses: ['active'] }), transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log, random: () => 0 });
  await cache.refresh();
  return { cad, cache, log, accounts: cache.info().accounts };
}

const failureOf = (c: AccountCache) => c.refresh().then(() => null, (e: CadError) => e);

describe('hostile pages', () => {
  it.each<[string, (p: Page) => unknown, RegExp]>([
    ['a negative offset', (p) => ((p.pagination.offset = -100), p), /pagination\.offset/],
    ['a negative total', (p) => ((p.pagination.total = -1), p), /pagination\.total/],
    ['accounts that are not a list', (p) => ({ ...p, accounts: { 0: p.accounts[0] } }), /accounts/],
  ])('%s is refused as invalidResponse naming the field and the page; the cache stays', async (_what, rewrite, field) => {
    const { cad, cache, accounts } = await primed();
    cad.fault('rewrite', { after: 1, times: 1, route: 'accounts', rewrite });
    const err = await failureOf(cache);
    expect(err?.kind).toBe('invalidResponse');
    expect(err?.message).toMatch(field);
    expect(err?.message).toMatch(/offset 100/);
    expect(cache.info().accounts).toBe(accounts);
  });

  it.each<[string, (p: Page) => unknown]>([
    ['a permission flag that is a number', (p) => ((p.accounts[3]!.permissions.civilian = 1), p)],
    ['a permission flag that is null', (p) => ((p.accounts[0]!.permissions.police = null), p)],
    ['permissions that are a list', (p) => ((p.accounts[0]!.permissions = ['police']), p)],
    ['an account without a uuid', (p) => (delete p.accounts[5]!.uuid, p)],
  ])('%s is one odd record: the sweep lands, counts it, and no account is lost', async (_what, rewrite) => {
    const { cad, cache, accounts } = await primed();
    cad.fault('rewrite', { after: 1, times: 1, route: 'accounts', rewrite });
    const summary = await cache.refresh();
    expect(summary.odd + summary.unreadable).toBe(1);
    expect(cache.info().accounts).toBe(accounts);
  });

  it('a new flag the CAD starts sending with a non-boolean value is kept, never granted, warned once', async () => {
    const { cad, cache, log } = await primed();
    cad.fault('rewrite', { route: 'accounts', rewrite: (p: Page) => (p.accounts.forEach((a) => (a.permissions.radioAccess = 'yes')), p) });
    await cache.refresh();
    await cache.refresh();
    const someone = cache.find(cad.accounts.find((a) => a.status === 1)!.uuid)!;
    expect(hasPermission(someone, permissionIndex('radioAccess'))).toBe(false);
    expect(log.lines.filter((l) => l.includes('"radioAccess"'))).toHaveLength(1);
  });

  it('the same page for every offset (duplicate uuids, steady total) is refused after re-reading, with bounded calls', async () => {
    const { cad, cache, accounts } = await primed(250);
    let first: Page['accounts'] | undefined;
    cad.fault('rewrite', { route: 'accounts', rewrite: (p: Page) => ((first ??= p.accounts), { ...p, accounts: first }) });
    cad.resetRequests();
    const err = await failureOf(cache);
    expect(err?.kind).toBe('invalidResponse');
    expect(err?.message).toMatch(/3 passes listed \d+ different accounts while total says \d+; some were never listed/);
    expect(cad.requests.length).toBe(3 * Math.ceil(cad.accounts.filter((a) => a.status === 1).length / 100));
    expect(cache.info().accounts).toBe(accounts);
  });

  it('one account listed twice while the total holds means another was skipped: the status is read again and nobody is missing', async () => {
    const { cad, cache } = await primed(250);
    cad.fault('rewrite', { after: 1, times: 1, route: 'accounts', rewrite: (p: Page) => ((p.accounts[1] = p.accounts[0]!), p) });
    cad.resetRequests();
    const summary = await cache.refresh();
    const active = cad.accounts.filter((a) => a.status === 1).length;
    expect(summary.calls).toBe(2 * Math.ceil(active / 100));
    expect(summary.byStatus.active).toBe(active);
  });
});
