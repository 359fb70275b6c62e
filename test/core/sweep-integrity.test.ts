// What a sweep must notice when the CAD's list moves or its answers do not add up: it either lists every
// account the CAD holds or fails (the last good cache then stays), and it stops paging when the resource
// stops. Over real HTTP against the fake CAD; `rewrite` edits an answer the way a busy or broken CAD would.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { createCadClient } from '../../src/core/api/client';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createScheduler } from '../../src/core/scheduler';
import { sweepAccounts, type StatusName, type SweepDeps } from '../../src/core/sweep';
import { configFor, realClock } from './helpers';

let cad: FakeCad;
afterEach(() => cad?.close());

const actives = (n: number) => generateAccounts(n, 5).map((a) => ({ ...a, status: 1 }));

function sweep(cancelled?: () => boolean, onProgress?: SweepDeps['onProgress'], statuses: StatusName[] = ['active']) {
  const client = createCadClient({ config: configFor(cad), transport: createNodeTransport(), now: Date.now });
  return sweepAccounts({ client, scheduler: createScheduler(realClock, 0), clock: realClock, statuses, random: () => 0, cancelled, onProgress });
}

const pageCalls = () => cad.requests.filter((r) => r.path.endsWith('get_accounts'));
const stillInCad = () => cad.accounts.filter((a) => a.status === 1).map((a) => a.uuid);

describe('a list that moves while we page', () => {
  it('three accounts created at the front after the first page are all listed', async () => {
    // Three pushes three already-read accounts onto the next page: few enough repeats to pass for a
    // quirk, so only the moving total tells that the front of the list changed.
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    cad.fault('totalChange', { times: 1, insert: 3, route: 'accounts' });
    const result = await sweep();
    expect(cad.accounts).toHaveLength(253);
    expect([...result.accounts.keys()]).toEqual(expect.arrayContaining(stillInCad()));
  });

  it('accounts removed at the front after the first page do not hide the ones that moved up onto it', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    const movedUp = cad.accounts.slice(100, 103).map((a) => a.uuid);
    cad.fault('rewrite', {
      times: 1,
      route: 'accounts',
      rewrite: (body) => {
        for (const gone of cad.accounts.slice(0, 3)) cad.removeAccount(gone.uuid);
        return body;
      },
    });
    const result = await sweep();
    expect([...result.accounts.keys()]).toEqual(expect.arrayContaining(movedUp));
    expect([...result.accounts.keys()]).toEqual(expect.arrayContaining(stillInCad()));
  });

  it('a short page answered while accounts vanished (the total moved with it) is read again, not refused', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(300) });
    cad.fault('rewrite', {
      after: 1,
      times: 1,
      route: 'accounts',
      rewrite: (body) => {
        // Ten accounts deleted between the CAD counting and listing the second page.
        const gone = body.accounts.splice(0, 10) as { uuid: string }[];
        for (const account of gone) cad.removeAccount(account.uuid);
        body.pagination.total -= 10;
        return body;
      },
    });
    const result = await sweep();
    expect(cad.accounts).toHaveLength(290);
    expect([...result.accounts.keys()]).toEqual(expect.arrayContaining(stillInCad()));
  });
});

describe('a CAD whose order moves between pages (the total holds, an account is listed twice)', () => {
  /** Page two of each pass lists page one's first account again in place of another one. */
  const hideOnePerPass = (hidden: (pass: number) => number) => {
    let pass = 0;
    cad.fault('rewrite', {
      route: 'accounts',
      rewrite: (body) => {
        if (body.pagination.offset !== 100) return body;
        pass += 1;
        body.accounts[hidden(pass)] = body.accounts[0];
        return body;
      },
    });
  };

  it('each pass hides another account: the passes together listed everyone, so the sweep is accepted', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    hideOnePerPass((pass) => 40 + pass);
    const result = await sweep();
    expect(pageCalls()).toHaveLength(9);
    expect(result.accounts.size).toBe(250);
    expect(result.byStatus).toEqual({ active: 250 });
  });

  it('every pass hides the same account: refused, it was never listed', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    hideOnePerPass(() => 40);
    const err = await sweep().catch((e) => e);
    expect(err).toMatchObject({ kind: 'invalidResponse', message: expect.stringMatching(/249 different accounts while total says 250/) });
  });
});

describe('what a sweep costs and reports', () => {
  it('a record without a readable uuid counts as listed: no re-read, the minimum of calls', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    cad.fault('wrongSchema', { times: 1, route: 'accounts' });
    const result = await sweep();
    expect(pageCalls()).toHaveLength(3);
    expect(result.accounts.size).toBe(249);
  });

  it('progress says page N of M, and page 1 of 1 for an empty status', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    const seen: string[] = [];
    await sweep(undefined, (p) => seen.push(`${p.status} ${p.page}/${p.pages}`), ['active', 'banned']);
    expect(seen).toEqual(['active 1/3', 'active 2/3', 'active 3/3', 'banned 1/1']);
  });
});

describe('answers that do not add up are refused', () => {
  it('a page answered for another offset than the one asked fails the sweep', async () => {
    // A CAD (or cache in front of it) that ignores offset would hand back page one again and again.
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    cad.fault('rewrite', { after: 1, route: 'accounts', rewrite: (body) => ({ ...body, pagination: { ...body.pagination, offset: 0 } }) });
    const err = await sweep().catch((e) => e);
    expect(err).toMatchObject({ kind: 'invalidResponse', message: 'GET_ACCOUNTS status active offset 100: the CAD answered for offset 0' });
    expect(pageCalls()).toHaveLength(2);
  });

  it('a total beyond any community (two million) is refused at the first page instead of paging on', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    cad.fault('rewrite', { route: 'accounts', rewrite: (body) => ({ ...body, pagination: { ...body.pagination, total: 2_000_000 } }) });
    const err = await sweep().catch((e) => e);
    expect(err).toMatchObject({ kind: 'invalidResponse', message: expect.stringMatching(/2000000/) });
    expect(pageCalls()).toHaveLength(1);
  });
});

describe('a CAD whose total lists more than its pages hold', () => {
  it('a short page in the middle while the total holds still is refused at once, naming the page', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(300) });
    cad.fault('rewrite', { after: 1, times: 1, route: 'accounts', rewrite: (body) => ({ ...body, accounts: body.accounts.slice(10) }) });
    const err = await sweep().catch((e) => e);
    expect(err).toMatchObject({ kind: 'invalidResponse', message: 'GET_ACCOUNTS status active offset 100: 90 accounts on a page while total says 300' });
    expect(pageCalls()).toHaveLength(2);
  });
});

describe('odd records while a status is read again', () => {
  it('an odd record is counted once, from the pass that completed, not once per pass', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    cad.fault('totalChange', { times: 1, insert: 3, route: 'accounts' });
    cad.fault('rewrite', {
      route: 'accounts',
      rewrite: (body) => {
        if (body.pagination.offset === 0) body.accounts[20].permissions.police = 'yes';
        return body;
      },
    });
    const result = await sweep();
    expect(pageCalls().length).toBeGreaterThan(3);
    expect(result.odd.oddAccounts).toBe(1);
  });

  it('an odd record on a CAD that never holds still (three passes, accepted together) is counted once', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    let pass = 0;
    cad.fault('rewrite', {
      route: 'accounts',
      rewrite: (body) => {
        if (body.pagination.offset === 0) body.accounts[20].permissions.police = 'yes';
        if (body.pagination.offset === 100) body.accounts[40 + ++pass] = body.accounts[0];
        return body;
      },
    });
    const result = await sweep();
    expect(pageCalls()).toHaveLength(9);
    expect(result.odd.oddAccounts).toBe(1);
  });
});

describe('stopping', () => {
  it('a resource stopping between two pages makes no further call', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(350) });
    const err = await sweep(() => pageCalls().length >= 2).catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', message: expect.stringMatching(/stopping/) });
    expect(pageCalls()).toHaveLength(2);
  });
});
