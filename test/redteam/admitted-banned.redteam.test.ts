// Red team round 2, the ban promise with connect.blockBanned off and dropBannedPlayers on: the gate lets a
// banned player in on purpose, and that choice covers the ban it saw, not a later, different one.
// In-process (fake host, in-memory CAD): the same path the emulator drives, with answers delivered by hand.
import { describe, expect, it } from 'vitest';
import { startResource } from '../../src/fivem/start';
import { manualClock, memoryFiles } from '../core/helpers';
import { fakeHost } from '../property/fake-host';
import { memoryCad } from '../property/memory-cad';

async function admittedWhileBanned() {
  const clock = manualClock(1_000_000);
  const cad = memoryCad(() => {});
  cad.accounts.push({ uuid: 'uuid-x', username: 'BannedOnPurpose', status: 4, apiIds: ['aa11'], police: false });
  cad.accounts.push({ uuid: 'uuid-y', username: 'SecondAccount', status: 1, apiIds: ['dd22'], police: true });
  const config = { identifiers: ['license', 'discord'], refreshMinutes: 60, rateLimit: { v1PerSecond: 1000 }, dropBannedPlayers: true, connect: { blockBanned: false } };
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
  const player = fx.connect(['license:aa11', 'discord:dd22']);
  await settle();
  expect(player.admitted).toBe(true); // blockBanned off: let in on purpose
  const id = fx.join(player);
  await settle();
  expect(fx.dropped).toEqual([]); // the ban the gate saw is not enforced at join either
  const refresh = async () => {
    const done = fx.exports.get('refresh')!() as Promise<unknown>;
    await settle();
    await done;
    await settle();
  };
  return { cad, fx, id, refresh };
}

describe('ban rule: a player the gate let in while banned (blockBanned off, dropBannedPlayers on)', () => {
  it('ban rule / admitted while banned, then a different account of theirs is banned: dropped at the sweep that brings it', async () => {
    const { cad, fx, id, refresh } = await admittedWhileBanned();
    cad.accounts[1]!.status = 4;
    await refresh();
    expect(fx.dropped).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });

  it('ban rule / admitted while banned, unbanned, then banned again: dropped (held before this round too)', async () => {
    const { cad, fx, id, refresh } = await admittedWhileBanned();
    cad.accounts[0]!.status = 1;
    await refresh();
    expect(fx.dropped).toEqual([]);
    cad.accounts[0]!.status = 4;
    await refresh();
    expect(fx.dropped).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });

  it('held / admitted while banned and nothing new: a sweep that sees the same ban does not drop (the operator chose to let it in)', async () => {
    const { fx, refresh } = await admittedWhileBanned();
    await refresh();
    expect(fx.dropped).toEqual([]);
  });
});
