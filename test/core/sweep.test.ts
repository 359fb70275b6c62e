// Sweeps over the fake CAD on real HTTP: exact call counts, shifting pages, hostile answers.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { renderAccount } from '../../dev/fake-cad/render';
import { createCadClient } from '../../src/core/api/client';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createScheduler } from '../../src/core/scheduler';
import { createIndexBuilder } from '../../src/core/account-index';
import { newSweepState, sweepAccounts, type StatusName, type SweepMap } from '../../src/core/sweep';
import { sweptAccounts } from '../../src/core/sweep-accounts';
import { configFor, realClock } from './helpers';

let cad: FakeCad;
afterEach(() => cad?.close());

async function sweep(statuses: StatusName[] = ['active', 'banned'], version: 1 | 2 = 1) {
  const client = createCadClient({ config: configFor(cad, {}, version), transport: createNodeTransport(), now: Date.now });
  return sweepAccounts({ client, scheduler: createScheduler(realClock, 0), clock: realClock, statuses, random: () => 0 });
}

const community = (active: number, banned: number) =>
  [...generateAccounts(active, 1).map((a) => ({ ...a, status: 1 })), ...generateAccounts(banned, 2, 50_000).map((a) => ({ ...a, status: 4 }))];

describe('sweep call count is the minimum: ceil(n/100) per status, 1 for an empty one', () => {
  it.each([0, 1, 100, 101, 250])('%i active accounts + 0 banned', async (n) => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(n, 0) });
    const result = await sweep();
    expect(result.accounts.size).toBe(n);
    expect(result.calls).toBe(Math.max(1, Math.ceil(n / 100)) + 1);
    expect(cad.requests).toHaveLength(result.calls);
  });

  it('10,000 accounts over v2: 100 + 1 calls', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(9_950, 50) });
    const result = await sweep(['active', 'banned'], 2);
    expect(result.byStatus).toEqual({ active: 9_950, banned: 50 });
    expect(result.calls).toBe(100 + 1);
  });
});

describe('shifting and hostile answers', () => {
  it('accounts inserted mid-sweep (total changes) are not missed: the status is re-read', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(250, 0) });
    cad.fault('totalChange', { times: 1, insert: 7, route: 'accounts' });
    const result = await sweep(['active']);
    expect(result.accounts.size).toBe(257);
    expect(new Set(cad.accounts.map((a) => a.uuid))).toEqual(new Set(result.accounts.keys()));
  });

  it('a total that promises 100,000 accounts on empty pages fails the sweep instead of paging forever', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(20, 0) });
    cad.fault('hostileTotal');
    await expect(sweep(['active'])).rejects.toMatchObject({ kind: 'invalidResponse' });
    expect(cad.requests.length).toBeLessThanOrEqual(2);
  });

  it('a body over the size cap is refused while streaming, not buffered', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(5, 0) });
    cad.fault('hugeBody', { bytes: 50 * 1024 * 1024 });
    const client = createCadClient({ config: configFor(cad, { maxResponseMegabytes: 1 }), transport: createNodeTransport(), now: Date.now });
    const err = await sweepAccounts({ client, scheduler: createScheduler(realClock, 0), clock: realClock, statuses: ['active'], random: () => 0 }).catch((e) => e);
    expect(err.message).toMatch(/larger than 1048576 bytes/);
  });
});

describe('issue 10 way 4: a sweep that provably skipped accounts is refused or re-read', () => {
  /** Page 2 of `banned` starts with the last account of page 1 again and drops `skipped`: total holds still. */
  const skipOnce = (skipped: string, times: number) => {
    let left = times;
    cad.fault('rewrite', {
      route: 'accounts',
      rewrite: (body: { pagination: { offset: number }; accounts: { uuid: string }[] }) => {
        if (left === 0 || body.pagination.offset !== 100 || !body.accounts.some((a) => a.uuid === skipped)) return body;
        left -= 1;
        const repeat = renderAccount(cad.accounts.filter((a) => a.status === 4)[99]!, 1);
        return { ...body, accounts: [repeat, ...body.accounts.filter((a) => a.uuid !== skipped)] };
      },
    });
  };

  it('one account listed twice while total holds: the status is read again and the skipped (banned) account is found', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(10, 150) });
    const skipped = cad.accounts.filter((a) => a.status === 4)[120]!;
    skipOnce(skipped.uuid, 1);
    const result = await sweep(['active', 'banned']);
    expect(result.accounts.get(skipped.uuid)?.status).toBe(4);
    expect(result.byStatus.banned).toBe(150);
    expect(result.calls).toBe(1 + 2 * 2);
  });

  it('a CAD that skips on every pass: the sweep is refused, naming the shortfall', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(10, 150) });
    skipOnce(cad.accounts.filter((a) => a.status === 4)[120]!.uuid, Infinity);
    await expect(sweep(['banned'])).rejects.toMatchObject({ kind: 'invalidResponse', message: expect.stringMatching(/149 different accounts while total says 150/) });
  });
});

describe('issue 23: a steady sweep over the held index reads what the CAD lists', () => {
  it('an unchanged account comes back as the page listed it (the new date), a changed one as its new record', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: community(150, 0) });
    const first = await sweep(['active']);
    const builder = createIndexBuilder();
    for (const account of first.accounts.values()) builder.add(account);
    const { index } = builder.finish();
    const changed = cad.accounts[7]!;
    changed.permissions.police = !changed.permissions.police;
    // A minute later, so the two observations never share a millisecond.
    const client = createCadClient({ config: configFor(cad, {}), transport: createNodeTransport(), now: () => Date.now() + 60_000 });
    const over = (accounts?: SweepMap) => sweepAccounts({ client, scheduler: createScheduler(realClock, 0), clock: realClock, statuses: ['active'], random: () => 0 }, newSweepState(0, accounts));
    const held = await over(sweptAccounts(index));
    const plain = await over();
    expect([...held.accounts.keys()]).toEqual([...plain.accounts.keys()]);
    for (const [uuid, account] of held.accounts) {
      const { observedAt, ...record } = account;
      const { observedAt: plainAt, ...plainRecord } = plain.accounts.get(uuid)!;
      expect(record).toEqual(plainRecord);
      // The page's observation, newer than the first sweep's: a lookup answered in between loses to it (merge.ts).
      expect(observedAt).toBeGreaterThan(first.accounts.get(uuid)!.observedAt);
      expect(observedAt).toBeLessThanOrEqual(plainAt);
      if (uuid === changed.uuid) expect(account.w0).not.toBe(first.accounts.get(uuid)!.w0);
    }
    // The index it read over is unchanged: the sweep's result is swapped in later, whole (account-cache.ts).
    expect(index.byUuid.get(changed.uuid)).toEqual(first.accounts.get(changed.uuid));
  });
});
