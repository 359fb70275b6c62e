// A snapshot write still slicing when the resource stops writes nothing: a stopped instance's late write
// would land over what a restarted one wrote (and, in the project's harness, in a folder being removed).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { captureLog, configFor, memoryFiles, realClock } from './helpers';

let cad: FakeCad;
afterEach(async () => {
  await cad?.close();
});

describe('snapshot write and stop', () => {
  it('a ban found just before stop: the write it started is abandoned, the file keeps what was there', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 20_000, seed: 9 });
    const files = memoryFiles();
    const make = () => createAccountCache({ config: configFor(cad, { refreshMinutes: 60 }), transport: createNodeTransport(), clock: realClock, files, log: captureLog(), random: () => 0 });
    const first = make();
    first.start();
    await first.refresh();
    first.stop();
    await new Promise((r) => setTimeout(r, 200));
    const before = files.files.get('cache/snapshot.json');
    expect(before).toBeDefined();

    cad.fault('latency', { ms: 60_000, route: 'accounts' }); // no sweep: only the lookup answers
    const z = cad.accounts.find((a) => a.status === 1 && a.apiIds.length > 0)!;
    cad.ban(z.uuid);
    const second = make();
    second.start();
    expect(second.info().source).toBe('snapshot');
    expect((await second.lookup(z.apiIds[0]!, 5000))?.status).toBe(4); // a new ban: a snapshot write starts (20,000 rows, in slices)
    second.stop();
    await new Promise((r) => setTimeout(r, 500));
    expect(files.files.get('cache/snapshot.json')).toBe(before);
  }, 60_000);
});
