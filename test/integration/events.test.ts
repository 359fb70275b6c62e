// The local events other resources listen to, with their payloads, as a second resource receives them.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from './harness';
import { connectAs, isPolice, pick } from './players';

/** Records every sonoran_accounts event it hears, and hands the log out through an export. */
const LISTENER = `
const heard = [];
for (const name of ['ready', 'refreshed', 'refreshFailed', 'playerLinked', 'playerUpdated']) {
  on('sonoran_accounts:' + name, (...args) => heard.push({ name, args }));
}
exports('heard', () => heard);
`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Heard = { name: string; args: any[] }[];
const heard = () => h!.fx.callExport('listener', 'heard') as Heard;
const named = (name: string) => heard().filter((e) => e.name === name);

async function start(config: Record<string, unknown> = {}) {
  h = await startHarness({ cad: { accounts: 60, seed: 11 }, config, waitReady: false });
  await h.fx.startResource({ name: 'listener', code: LISTENER });
  await waitFor(() => named('ready').length === 1, 'ready event');
}

describe('events', () => {
  it('ready carries the cache info; refreshed the summary', async () => {
    await start();
    expect(named('ready')[0]!.args[0]).toMatchObject({ ready: true, source: 'api' });
    await waitFor(() => named('refreshed').length === 1, 'refreshed');
    expect(named('refreshed')[0]!.args[0]).toMatchObject({ ok: true, accounts: expect.any(Number), calls: expect.any(Number) });
  });

  it('a first sweep of a big community sends at most 500 changes and counts the rest', async () => {
    h = await startHarness({ cad: { accounts: 900, seed: 4 } });
    const seen = h.fx.callExport('event_spy', 'seen') as Heard;
    const summary = seen.find((e) => e.name === 'refreshed')!.args[0];
    expect(summary.changes).toHaveLength(500);
    expect(summary.changesOmitted).toBe(summary.accounts - 500);
    expect(summary.added).toBe(summary.accounts);
  });

  it('playerLinked when a known player joins; playerUpdated with the diff after a revoke', async () => {
    await start();
    const police = pick(h!.cad, isPolice, 'police');
    const { id } = await connectAs(h!.fx, h!.cad, police);
    await waitFor(() => named('playerLinked').length === 1, 'playerLinked');
    expect(named('playerLinked')[0]!.args).toEqual([id, expect.objectContaining({ uuid: police.uuid })]);

    h!.cad.revoke(police.uuid, 'police');
    await h!.fx.callExport('sonoran_accounts', 'refresh');
    const updated = named('playerUpdated');
    expect(updated).toHaveLength(1);
    const [playerId, account, diff] = updated[0]!.args;
    expect(playerId).toBe(id);
    expect(account.permissions).not.toContain('police');
    expect(diff).toEqual({ granted: [], revoked: ['police'], statusBefore: 1, statusAfter: 1 });
  });

  it('a player banned while online is dropped and the update says so', async () => {
    await start();
    const police = pick(h!.cad, isPolice, 'police');
    const { id } = await connectAs(h!.fx, h!.cad, police);
    h!.cad.ban(police.uuid);
    const summary = (await h!.fx.callExport('sonoran_accounts', 'refresh')) as { changes: { uuid: string }[] };
    const diff = named('playerUpdated')[0]!.args[2];
    expect(diff).toMatchObject({ statusBefore: 1, statusAfter: 4, granted: [] });
    expect(diff.revoked).toContain('police');
    // refresh()'s change entry and playerUpdated mean the same thing: in-game permissions.
    const { uuid: _uuid, username: _name, ...change } = summary.changes.find((c) => c.uuid === police.uuid)! as Record<string, unknown>;
    expect(change).toEqual(diff);
    expect(h!.fx.droppedBy).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });

  it('refreshFailed carries a message with the failure class, and the cache stays', async () => {
    await start();
    const before = h!.fx.callExport('sonoran_accounts', 'getCacheInfo') as { accounts: number };
    h!.cad.fault('5xx');
    const result = (await h!.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean; error: string };
    expect(result.ok).toBe(false);
    await waitFor(() => named('refreshFailed').length === 1, 'refreshFailed');
    expect(named('refreshFailed')[0]!.args[0]).toMatch(/transient/i);
    expect((h!.fx.callExport('sonoran_accounts', 'getCacheInfo') as { accounts: number }).accounts).toBe(before.accounts);
  });

  it('no client event reaches the resource: a client cannot trigger work', async () => {
    await start();
    h!.cad.resetRequests();
    for (const name of ['sonoran_accounts:refresh', 'sonoran_accounts:ready', 'playerJoining', 'sonoran_accounts:refreshed']) {
      h!.fx.emitNet(name, 1, {});
    }
    await h!.fx.nextTick();
    expect(h!.cad.requests).toHaveLength(0);
  });
});
