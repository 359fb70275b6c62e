// Red team, the ban promise in the join window (issue 10 way 2) with a queue longer than the hour after
// which the registry forgets an unjoined connection. In-process (fake host, in-memory CAD): the hour is
// Date.now() inside the resource, which the emulator's sandbox cannot be made to skip.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startResource } from '../../src/fivem/start';
import { manualClock, memoryFiles } from '../core/helpers';
import { fakeHost } from '../property/fake-host';
import { memoryCad } from '../property/memory-cad';

afterEach(() => void vi.useRealTimers());

describe('ban rule: a queue longer than an hour', () => {
  it('ban rule / join window past the unjoined-forget hour: a ban that arrived meanwhile is enforced at join (connect.blockBanned, dropBannedPlayers off)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const clock = manualClock(1_000_000);
    const cad = memoryCad(() => {});
    cad.accounts.push({ uuid: 'uuid-a', username: 'Queued', status: 1, apiIds: ['aa11'], police: false });
    const config = { identifiers: ['license'], refreshMinutes: 60, rateLimit: { v1PerSecond: 1000 }, dropBannedPlayers: false, connect: { blockBanned: true } };
    const fx = fakeHost({ files: { 'config.json': JSON.stringify(config) }, convars: { sonoran_apiKey: 'redteam-key-123456', sonoran_communityID: 'rt', sonoran_apiUrl: 'http://cad.invalid' } });
    startResource(fx.host, { transport: cad.transport, files: memoryFiles(), clock });
    const settle = async () => {
      for (let i = 0; i < 20; i++) {
        while (cad.deliver(0)) {}
        await clock.advance(5);
        await new Promise((r) => setImmediate(r));
      }
    };
    await settle();
    const queued = fx.connect(['license:aa11']);
    await settle();
    expect(queued.admitted).toBe(true);

    vi.setSystemTime(Date.now() + 61 * 60_000); // a long queue
    fx.connect(['license:bb22']); // anyone connecting makes the registry forget unjoined entries older than an hour
    await settle();
    cad.accounts[0]!.status = 4;
    const refreshed = fx.exports.get('refresh')!() as Promise<unknown>;
    await settle();
    await refreshed;

    const id = fx.join(queued);
    await settle();
    expect(fx.dropped).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });
});
