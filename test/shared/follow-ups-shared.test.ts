// Issue 20, hole 1: a follower admits a stranger without an answer (the CAD slow at connect); the
// stranger's new CAD account is banned. A lone server finds and drops such a player within seconds;
// a follower must too (it follows up with a lookup: pulling a sweep forward on a follower sweeps
// nothing). Built bundle in the emulator, two servers on one real MariaDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad } from '../../dev/fake-cad';
import { startMariaDb, type MariaDb } from '../../dev/mariadb';
import { API_KEY, COMMUNITY_ID, startHarness, waitFor, type FakeCad, type Harness } from '../integration/harness';
import { strangerIdentifiers } from '../integration/players';

let db: MariaDb;
let cad: FakeCad;
const servers: Harness[] = [];
beforeAll(async () => {
  db = await startMariaDb();
  cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 30, seed: 11 });
}, 60_000);
afterAll(async () => {
  for (const h of servers) await h.close().catch(() => {});
  await cad?.close();
  await db?.destroy();
});

// The connect lookup hangs past the 1 s connect deadline (request timeout 3 s): admitted without an answer.
const CONFIG = { database: { enabled: true, leaseSeconds: 2, pollSeconds: 0.2 }, connect: { timeoutSeconds: 1 }, requestTimeoutSeconds: 3 };
const start = async () => {
  const h = await startHarness({ existingCad: cad, config: CONFIG, convars: { mysql_connection_string: db.uri() } });
  servers.push(h);
  return h;
};
const says = (h: Harness, text: string) => h.fx.consoleLines.some((l) => l.includes(text));

describe('a follower admits a stranger without an answer (hole 1)', () => {
  it('follows the miss up and drops the player when the account turns out banned', async () => {
    const a = await start();
    await waitFor(() => says(a, 'this server now sweeps'), 'A holds the lease');
    const b = await start();
    expect(says(b, 'loaded shared version')).toBe(true);
    expect(says(b, 'this server now sweeps')).toBe(false);

    const ids = strangerIdentifiers();
    cad.addAccount({ status: 4, apiIds: [ids[0]!.slice('license:'.length)] });
    cad.fault('hang', { route: 'account', times: 1 });
    const joined = await b.fx.connectPlayer({ name: 'Stranger', identifiers: ids });
    expect(joined.accepted).toBe(true); // whenCadUnavailable "allow": admitted by policy
    await waitFor(() => b.fx.droppedBy.some((d) => d.id === joined.id), 'B drops the banned stranger', 8000);
    expect(b.fx.droppedBy.find((d) => d.id === joined.id)?.reason).toMatch(/banned/);
  }, 30_000);
});
