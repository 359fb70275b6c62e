// What a sweep must notice when the CAD's list moves or its answers do not add up: it either lists every
// account the CAD holds or fails (the last good cache then stays), and it stops paging when the resource
// stops. Over real HTTP against the fake CAD; `rewrite` edits an answer the way a busy or broken CAD would.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { createCadClient } from '../../src/core/api/client';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createScheduler } from '../../src/core/scheduler';
import { sweepAccounts } from '../../src/core/sweep';
import { configFor, realClock } from './helpers';

let cad: FakeCad;
afterEach(() => cad?.close());

const actives = (n: number) => generateAccounts(n, 5).map((a) => ({ ...a, status: 1 }));

function sweep(cancelled?: () => boolean) {
  const client = createCadClient({ config: configFor(cad), transport: createNodeTransport(), now: Date.now });
  return sweepAccounts({ client, scheduler: createScheduler(realClock, 0), clock: realClock, statuses: ['active'], random: () => 0, cancelled });
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

describe('answers that do not add up are refused', () => {
  it('a page answered for another offset than the one asked fails the sweep', async () => {
    // A CAD (or cache in front of it) that ignores offset would hand back page one again and again.
    cad = await startFakeCad({ rateLimit: false, accounts: actives(250) });
    cad.fault('rewrite', { after: 1, route: 'accounts', rewrite: (body) => ({ ...body, pagination: { ...body.pagination, offset: 0 } }) });
    const err = await sweep().catch((e) => e);
    expect(err).toMatchObject({ kind: 'invalidResponse', message: expect.stringMatching(/offset 0/) });
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

describe('stopping', () => {
  it('a resource stopping between two pages makes no further call', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: actives(350) });
    const err = await sweep(() => pageCalls().length >= 2).catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', message: expect.stringMatching(/stopping/) });
    expect(pageCalls()).toHaveLength(2);
  });
});
