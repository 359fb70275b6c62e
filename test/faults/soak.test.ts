// A long evening compressed: 1,000 players connect and leave (officers, strangers who cost a lookup,
// banned accounts), 50 sweeps bring changing data, with the ACE bridge and state bags on. Afterwards the
// resource holds no more timers, players, principals or heap than it did after warming up.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../integration/harness';
import { connectAs, isBanned, isPolice } from '../integration/players';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RESOURCE = 'sonoran_accounts';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    cad: { accounts: 300, seed: 21 },
    config: { ace: { enabled: true }, stateBag: true },
    exec: ['add_ace resource.sonoran_accounts command.add_principal allow', 'add_ace resource.sonoran_accounts command.remove_principal allow'],
  });
});
afterAll(() => h.close());

interface Gauge {
  heap: number;
  timers: number;
  principals: number;
  players: number;
}

function gauge(): Gauge {
  h.clearRecords(); // the emulator's and fake CAD's own logs are not the resource's memory
  for (let i = 0; i < 3; i++) gc();
  const principals = h.fx.players().reduce((n, id) => n + h.fx.principalsOf(`player.${id}`).length, 0);
  return { heap: process.memoryUsage().heapUsed, timers: h.fx.timerCount(RESOURCE), principals, players: h.fx.players().length };
}

let round = 0;
/** One stretch of play: `cycles` connect/drop pairs and `sweeps` sweeps over a changing CAD. */
async function play(cycles: number, sweeps: number) {
  const { fx, cad } = h;
  const active = cad.accounts.filter((a) => a.status === 1);
  for (let i = 0; i < cycles; i++) {
    round += 1;
    const kind = round % 5;
    const account = kind === 0 ? null : kind === 1 ? cad.accounts.find(isBanned)! : active[round % active.length]!;
    const result = await connectAs(fx, cad, account, `P${round}`);
    if (result.accepted) fx.dropPlayer(result.id!);
    if (i % Math.max(1, Math.floor(cycles / sweeps)) === 0 && sweeps > 0) {
      // The CAD changes under the server between sweeps: flags flip, accounts come and go.
      const someone = active[round % active.length]!;
      if (someone.permissions.police) cad.revoke(someone.uuid, 'police');
      else cad.grant(someone.uuid, 'police');
      cad.addAccount({ status: 1 });
      await fx.callExport(RESOURCE, 'refresh');
    }
  }
}

describe('soak: 1,000 connect/drop cycles and 50 sweeps', () => {
  it('keeps timers, players, principals and heap flat', async () => {
    // One officer stays online all along, so sweeps have someone to re-resolve and re-principal.
    const resident = await connectAs(h.fx, h.cad, h.cad.accounts.find(isPolice)!, 'Resident');
    await play(500, 50); // warm up: JIT, and maps and arrays growing to their working size
    const before = gauge();
    await play(1_000, 50);
    const after = gauge();

    expect(h.fx.players()).toEqual([resident.id]);
    expect(after.timers).toBe(before.timers);
    expect(after.principals).toBe(before.principals);
    expect(after.players).toBe(before.players);
    // A leak of 1 KB a cycle would show as 1 MB; what remains after GC is compiled code and noise.
    const growth = after.heap - before.heap;
    console.log(`soak: heap ${(before.heap / 1e6).toFixed(1)} MB -> ${(after.heap / 1e6).toFixed(1)} MB (${(growth / 1e3).toFixed(0)} KB), timers ${before.timers} -> ${after.timers}`);
    expect(growth).toBeLessThan(1_000_000);
    expect(h.fx.droppedBy.filter((d) => d.id === resident.id)).toEqual([]);
  }, 120_000);
});
