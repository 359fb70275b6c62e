// Red team round 2, the ban promise when the server clock jumps backwards (an NTP correction of a clock
// that ran fast, a VM restored from a snapshot). In-process (fake host, in-memory CAD, manual clock): the
// emulator's sandbox runs on the real Date.now(), which a test cannot turn back.
import { describe, expect, it } from 'vitest';
import { startResource } from '../../src/fivem/start';
import { manualClock, memoryFiles } from '../core/helpers';
import { fakeHost } from '../property/fake-host';
import { memoryCad } from '../property/memory-cad';

const HOUR = 3_600_000;

describe('ban rule: the server clock jumps backwards', () => {
  it('ban rule / clock jumped back an hour: a lookup that brings a ban (refreshPlayer) drops the online player and isBanned says so', async () => {
    const manual = manualClock(10 * HOUR);
    let offset = HOUR; // the clock runs an hour fast
    const clock = { ...manual, now: () => manual.now() + offset };
    const cad = memoryCad(() => {});
    cad.accounts.push({ uuid: 'uuid-a', username: 'Early', status: 1, apiIds: ['aa11'], police: false });
    const config = { identifiers: ['license'], refreshMinutes: 60, rateLimit: { v1PerSecond: 1000 }, dropBannedPlayers: true, connect: { blockBanned: true } };
    const fx = fakeHost({ files: { 'config.json': JSON.stringify(config) }, convars: { sonoran_apiKey: 'redteam-key-123456', sonoran_communityID: 'rt', sonoran_apiUrl: 'http://cad.invalid' } });
    startResource(fx.host, { transport: cad.transport, files: memoryFiles(), clock });
    const settle = async () => {
      for (let i = 0; i < 20; i++) {
        while (cad.deliver(0)) {}
        await manual.advance(5);
        await new Promise((r) => setImmediate(r));
      }
    };
    await settle();
    const player = fx.connect(['license:aa11']);
    await settle();
    expect(player.admitted).toBe(true);
    const id = fx.join(player);
    await settle();
    expect(fx.exports.get('isBanned')!(id)).toBe(false);

    offset = 0; // NTP sets the clock right: an hour back
    await manual.advance(60_000);
    cad.accounts[0]!.status = 4; // banned in the CAD
    const answer = fx.exports.get('refreshPlayer')!(id) as Promise<unknown>;
    // Well within the lookup's own deadline: the CAD answers at once.
    for (let i = 0; i < 10; i++) {
      await settle();
      await manual.advance(500);
    }
    const settled = await Promise.race([answer.then(() => 'answered'), new Promise((r) => setImmediate(() => r('still waiting')))]);
    expect(settled).toBe('answered');

    // The lookup's answer is the newest information: the player is banned and goes.
    expect(fx.dropped).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });
});
