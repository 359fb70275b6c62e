// Round 6 hole 8 on the coordinator: an owner empties the lookups table (TRUNCATE) and a stranger's
// answer is written before any server polls again. The bans lookups found since the current sweep began
// were only there: every server notices (the table's mark is gone) and writes the bans it holds again,
// so a server started afterwards refuses the banned player. Real MariaDB, built bundle: round6 red team.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { memoryShared } from '../../src/core/shared/memory-store';
import { memoryServers, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);

describe('the lookups table emptied by hand (round 6 hole 8)', () => {
  it('an answer written right after the truncate does not hide it: the bans are written again and reach a server started afterwards', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 30, seed: 70 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const shared = memoryShared();
    const a = start(shared, 'A', undefined, { database: { pollSeconds: 0.2 } });
    await a.cache.refresh();
    await until(() => a.sharing.sweeping(), 'A holds the lease');
    const b = start(shared, 'B', undefined, { database: { pollSeconds: 0.2 } });
    await b.cache.refresh();
    cad.ban(z.uuid);
    expect((await b.cache.lookup(z.apiIds[0]!, 2000, { fresh: true }))?.status).toBe(4);
    await until(() => a.cache.find(z.apiIds[0]!)?.status === 4, 'A merged B\'s answer');

    // TRUNCATE, then a stranger's answer before the next poll.
    shared.lookups.clear();
    shared.lookupsMark = null;
    const stranger = cad.addAccount({ status: 1 });
    expect((await a.cache.lookup(stranger.apiIds[0]!, 2000, { fresh: true }))?.status).toBe(1);
    await until(() => [...shared.lookups.values()].some((l) => l.account.uuid === z.uuid && l.account.status === 4), 'the ban written again');

    const c = start(shared, 'C', undefined, { database: { pollSeconds: 0.2 } });
    await c.cache.refresh();
    expect(c.cache.find(z.apiIds[0]!)?.status).toBe(4);
    expect([...a.log.lines, ...b.log.lines].some((l) => /lookups table was emptied/.test(l))).toBe(true);
  });
});
