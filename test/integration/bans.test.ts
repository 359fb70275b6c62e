// Issue 10: a banned CAD account cannot be dodged. Through the built bundle in the emulator, against the
// fake CAD: a second account on another identifier (way 1), a ban in the join window (way 2), accounts
// stored with prefixed IDs that a bare lookup never finds (way 5).
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { connectAs, isPolice, pick, strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bare = (identifier: string) => identifier.slice(identifier.indexOf(':') + 1);
const lookups = (hh: Harness) => hh.cad.requests.filter((r) => r.path.endsWith('get_account'));
const call = (name: string, ...args: unknown[]) => h!.fx.callExport('sonoran_accounts', name, ...args);
const POLICE = { police: true, civilian: true } as Record<string, boolean>;

describe('a Steam ID stored in decimal', () => {
  it('a ban on a decimal SteamID64 (as Steam\'s pages show it) refuses the player whose steam: identifier is its hex', async () => {
    const steam64 = 76561198000123456n;
    const ids = [`license:${'e'.repeat(40)}`, `steam:${steam64.toString(16)}`];
    let banned!: { username: string };
    h = await startHarness({ cad: { accounts: 40, seed: 3 }, beforeStart: (cad) => void (banned = cad.addAccount({ status: 4, apiIds: [String(steam64)] })) });
    const result = await h.fx.connectPlayer({ name: 'Hex', identifiers: ids });
    expect([result.accepted, result.reason]).toEqual([false, expect.stringContaining(banned.username)]);
  });
});

describe('way 1: two accounts, two identifiers', () => {
  it('an old banned account on steam is refused although a new active account is on license', async () => {
    const ids = strangerIdentifiers();
    let banned!: { username: string };
    h = await startHarness({
      cad: { accounts: 40, seed: 3 },
      beforeStart: (cad) => {
        banned = cad.addAccount({ status: 4, apiIds: [bare(ids[1]!)] });
        cad.addAccount({ status: 1, apiIds: [bare(ids[0]!)] });
      },
    });
    const result = await h.fx.connectPlayer({ name: 'Dodger', identifiers: ids });
    expect([result.accepted, result.reason]).toEqual([false, expect.stringContaining(banned.username)]);
  });

  it('an online player is dropped when a sweep finds a banned account on another of their identifiers', async () => {
    const ids = strangerIdentifiers();
    h = await startHarness({ cad: { accounts: 40, seed: 3 }, beforeStart: (cad) => void cad.addAccount({ status: 1, apiIds: [bare(ids[0]!)] }) });
    const { id } = await h.fx.connectPlayer({ name: 'Dodger', identifiers: ids });
    expect(call('isBanned', id)).toBe(false);
    h.cad.addAccount({ status: 4, apiIds: [bare(ids[2]!)] });
    await call('refresh');
    expect(h.fx.droppedBy).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });

  it('a lookup that shows an online player\'s ID newly linked to a banned account drops them at once (found by the emulator property)', async () => {
    const ids = strangerIdentifiers();
    let banned!: Harness['cad']['accounts'][number];
    h = await startHarness({ cad: { accounts: 40, seed: 3 }, beforeStart: (cad) => void (banned = cad.addAccount({ status: 4, apiIds: ['someone-else'] })) });
    const { id } = await h.fx.connectPlayer({ name: 'Online', identifiers: ids });
    banned.apiIds.push(bare(ids[1]!)); // linked in the CAD after the last sweep; only its IDs change
    const second = await h.fx.connectPlayer({ name: 'Same steam', identifiers: [ids[1]!] });
    expect(second.accepted).toBe(false);
    expect(h.fx.droppedBy).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });

  it('a pending account on license does not hide the active police account on steam', async () => {
    const ids = strangerIdentifiers();
    h = await startHarness({
      cad: { accounts: 40, seed: 3 },
      config: { statuses: ['pending', 'active', 'banned'] },
      beforeStart: (cad) => {
        cad.addAccount({ status: 0, apiIds: [bare(ids[0]!)] });
        const officer = cad.addAccount({ status: 1, apiIds: [bare(ids[1]!)] });
        Object.assign(officer.permissions, POLICE);
      },
    });
    const { id } = await h.fx.connectPlayer({ name: 'Officer', identifiers: ids });
    expect(call('hasPermission', id, 'police')).toBe(true);
    expect(call('getAccount', id)).toMatchObject({ statusName: 'active' });
  });
});

describe('way 2: banned in the join window', () => {
  it('a ban a sweep brings after the gate admitted, before playerJoining, drops the player at join', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 3 } });
    const officer = pick(h.cad, isPolice, 'police');
    const result = await h.fx.connectPlayer({
      name: 'Queued',
      identifiers: h.cad.identitiesOf(officer.uuid),
      beforeJoin: async () => {
        h!.cad.ban(officer.uuid);
        await call('refresh');
      },
    });
    expect(result.accepted).toBe(true); // the gate's verdict came before the ban
    expect(h.fx.droppedBy).toEqual([{ id: result.id, reason: expect.stringContaining('banned') }]);
    // Later sweeps do not let them back in either.
    await call('refresh');
    expect((await connectAs(h.fx, h.cad, officer)).accepted).toBe(false);
  });
});

describe('way 5: lookups find what sweeps find, whatever ID form the community stored', () => {
  /** A community that stores some licenses prefixed (`license:abc`): the sweeps learn it. */
  const teachPrefixedLicenses = (cad: Harness['cad']) => {
    for (const account of cad.accounts.slice(0, 3)) account.apiIds = [account.identities.license];
  };

  it('a banned account linked as `license:<hash>` after the last sweep is refused at connect (2 calls: bare, then prefixed)', async () => {
    h = await startHarness({ cad: { accounts: 40, seed: 3 }, beforeStart: teachPrefixedLicenses });
    const ids = strangerIdentifiers();
    const banned = h.cad.addAccount({ status: 4, apiIds: [ids[0]!] });
    h.cad.resetRequests();
    const result = await h.fx.connectPlayer({ name: 'Linked late', identifiers: ids });
    expect([result.accepted, result.reason]).toEqual([false, expect.stringContaining(banned.username)]);
    expect(lookups(h).map((r) => (r.body as { data: { apiId: string }[] }).data[0]!.apiId)).toEqual([bare(ids[0]!), ids[0]]);
  });

  it('refreshPlayer finds an account linked prefixed after the player joined', async () => {
    h = await startHarness({ cad: { accounts: 40, seed: 3 }, beforeStart: teachPrefixedLicenses });
    const ids = strangerIdentifiers();
    const { id } = await h.fx.connectPlayer({ name: 'Linker', identifiers: ids });
    const linked = h.cad.addAccount({ status: 1, apiIds: [ids[0]!.toUpperCase()] });
    Object.assign(linked.permissions, POLICE);
    expect(await call('refreshPlayer', id)).toMatchObject({ uuid: linked.uuid });
    expect(call('hasPermission', id, 'police')).toBe(true);
  });

  it('where no sweep saw a prefixed license, a stranger costs one call', async () => {
    h = await startHarness({ cad: { accounts: 40, seed: 3 } });
    h.cad.resetRequests();
    expect((await h.fx.connectPlayer({ name: 'Stranger', identifiers: strangerIdentifiers() })).accepted).toBe(true);
    expect(lookups(h)).toHaveLength(1);
  });
});
