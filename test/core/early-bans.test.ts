// Bans known before the first sweep ended (a connect lookup found them while a big community's first
// sweep still paged): written to the snapshot as bans only, and enforced after a restart without the
// cache counting as ready. Unknown is not "no": nothing else is taken from such a snapshot
// (red team round 6, hole 5).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import type { AccountCache } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock } from './helpers';

let cad: FakeCad;
const running: AccountCache[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) c.stop();
  await cad?.close();
});

function makeCache(files = memoryFiles(), overrides: Record<string, unknown> = {}) {
  const log = captureLog();
  const cache = createAccountCache({ config: configFor(cad, { refreshMinutes: 60, ...overrides }), transport: createNodeTransport(), clock: realClock, files, log, random: () => 0 });
  running.push(cache);
  const ready: string[] = [];
  cache.on('ready', (info) => ready.push(info.source));
  return { cache, log, files, ready };
}
const onDisk = async (files: { files: Map<string, string> }) => {
  await new Promise((r) => setTimeout(r, 50));
  return files.files.get('cache/snapshot.json');
};

describe('bans found before the first sweep ended', () => {
  it('are written to the snapshot, and a restart with the CAD down refuses them without the cache counting as ready', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 20 });
    const z = cad.addAccount({ status: 4 });
    const active = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    cad.fault('latency', { ms: 30_000, route: 'accounts' }); // the first sweep is slow
    const first = makeCache();
    first.cache.start();
    expect((await first.cache.lookup(z.apiIds[0]!, 2000))?.status).toBe(4);
    expect((await first.cache.lookup(active.apiIds[0]!, 2000))?.status).toBe(1);
    const text = await onDisk(first.files);
    expect(text).toBeDefined();
    // Bans only: the active account a lookup found is no account list.
    expect(text).toContain(z.uuid);
    expect(text).not.toContain(active.uuid);
    first.cache.stop();

    cad.clearFaults();
    cad.fault('5xx', { status: 503 });
    const second = makeCache(memoryFiles({ 'cache/snapshot.json': text! }), { requestTimeoutSeconds: 1 });
    second.cache.start();
    expect(second.cache.find(z.apiIds[0]!)?.status).toBe(4);
    expect(second.cache.standing([z.apiIds[0]!]).account?.status).toBe(4);
    expect(second.cache.info()).toMatchObject({ ready: false, source: 'empty', lastRefreshAt: null });
    expect(second.ready).toEqual([]);
    expect(second.cache.find(active.apiIds[0]!)).toBeUndefined();
  });

  it('the first sweep that succeeds replaces them with a complete snapshot; a ban lifted since is lifted', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 20 });
    const z = cad.addAccount({ status: 4 });
    cad.fault('latency', { ms: 30_000, route: 'accounts' });
    const first = makeCache();
    first.cache.start();
    expect((await first.cache.lookup(z.apiIds[0]!, 2000))?.status).toBe(4);
    const text = await onDisk(first.files);
    first.cache.stop();

    cad.clearFaults();
    cad.unban(z.uuid);
    const second = makeCache(memoryFiles({ 'cache/snapshot.json': text! }));
    second.cache.start();
    expect(second.cache.find(z.apiIds[0]!)?.status).toBe(4);
    await second.cache.refresh();
    expect(second.cache.info()).toMatchObject({ ready: true, source: 'api' });
    expect(second.cache.find(z.apiIds[0]!)?.status).toBe(1);
    const saved = JSON.parse((await onDisk(second.files))!) as { savedAt: number | null; accounts: unknown[] };
    expect(saved.savedAt).not.toBeNull();
    expect(saved.accounts.length).toBe(second.cache.info().accounts);
  });
});
