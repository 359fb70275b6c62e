// Red team attacks that did not break the ban promise, kept as regressions (built bundle, emulator).
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../integration/harness';
import { connectAs, isBanned, pick, strangerIdentifiers } from '../integration/players';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bare = (identifier: string) => identifier.slice(identifier.indexOf(':') + 1);
const call = (name: string, ...args: unknown[]) => h!.fx.callExport('sonoran_accounts', name, ...args);

/** Names a client might send hoping to stop syncing, fake a link, a join, a drop or a sweep result. */
const CLIENT_EVENTS: [string, unknown[]][] = [
  ['onResourceStop', ['sonoran_accounts']],
  ['onServerResourceStart', ['sonorancad']],
  ['SonoranCAD::pushevents:CommunityLinkVerified', [{ communityUserId: 'someone-else' }]],
  ['playerJoining', [999]],
  ['playerDropped', ['bye']],
  ['playerConnecting', ['Evil', () => {}, {}]],
  ['sonoran_accounts:refreshed', [{ ok: true, changes: [] }]],
  ['sonoran_accounts:playerUpdated', [1, null, {}]],
  ['__cfx_export_sonoran_accounts_refresh', [() => {}]],
  ['__cfx_export_sonoran_accounts_isBanned', [() => {}]],
];

describe('ban rule held: what a client or another resource can send', () => {
  it('ban rule / client net events: no event name a client sends stops syncing, spends a CAD call or hides a later ban', async () => {
    const ids = strangerIdentifiers();
    let account!: { uuid: string };
    h = await startHarness({ cad: { accounts: 20, seed: 5 }, beforeStart: (cad) => void (account = cad.addAccount({ status: 1, apiIds: [bare(ids[0]!)] })) });
    const { id, accepted } = await h.fx.connectPlayer({ name: 'Client', identifiers: ids });
    expect(accepted).toBe(true);
    h.cad.resetRequests();
    for (const [name, args] of CLIENT_EVENTS) h.fx.emitNet(name, id!, ...args);
    await h.fx.nextTick();
    expect(h.cad.requests).toEqual([]);
    expect(call('getCacheInfo')).toMatchObject({ ready: true, lastError: null });
    h.cad.ban(account.uuid);
    await call('refresh');
    expect(h.fx.droppedBy).toEqual([{ id, reason: expect.stringContaining('banned') }]);
  });

  it('ban rule / exports with odd arguments: no form of a banned player\'s id reads as not banned with a permission, none throws', async () => {
    const ids = strangerIdentifiers();
    h = await startHarness({
      cad: { accounts: 20, seed: 5 },
      config: { connect: { blockBanned: false }, dropBannedPlayers: false },
      beforeStart: (cad) => void cad.addAccount({ status: 4, apiIds: [bare(ids[0]!)], permissions: { police: true } as never }),
    });
    const { id } = await h.fx.connectPlayer({ name: 'Banned', identifiers: ids });
    for (const form of [id, String(id), ` ${id}`, `${id}.0`, `0${id}`, [id], { id }, null, undefined, -id!, id! + 0.5, 'license:' + bare(ids[0]!)]) {
      expect(call('hasPermission', form, 'police')).toBe(false);
      expect(call('hasAnyPermission', form, ['police', 'civilian'])).toBe(false);
      expect(call('getPermissions', form)).toEqual([]);
    }
    expect(call('isBanned', id)).toBe(true);
    expect(call('isBanned', String(id))).toBe(true);
    expect(call('getAccountByApiId', ids[0])).toMatchObject({ statusName: 'banned' });
    expect(call('getAccountByApiId', ` ${ids[0]!.toUpperCase()} `)).toMatchObject({ statusName: 'banned' });
  });
});

describe('ban rule held: slow and refusing CADs at connect', () => {
  it.each([
    ['an answer slower than the connect deadline', 'latency', { ms: 1500 }],
    ['HTTP 429 with a Retry-After past the deadline', '429', { retryAfter: 2 }],
    ['a reset connection', 'reset', {}],
  ] as const)('ban rule / lookup of a ban the last sweep did not see: %s refused, or admitted and dropped once the answer or follow-up comes', async (_what, mode, opts) => {
    const ids = strangerIdentifiers();
    h = await startHarness({ cad: { accounts: 20, seed: 5 }, config: { connect: { timeoutSeconds: 1 } } });
    h.cad.addAccount({ status: 4, apiIds: [bare(ids[0]!)] }); // banned after the last sweep
    h.cad.fault(mode, { route: 'account', times: 1, ...opts });
    const result = await h.fx.connectPlayer({ name: 'Late', identifiers: ids });
    if (!result.accepted) {
      // A retry inside the deadline got the answer (a reset connection is retried at once).
      expect(result.reason).toContain('banned');
      return;
    }
    // No answer in time and the cache is ready: no account as of the last sweep, until the answer comes.
    await waitFor(() => h!.fx.droppedBy.some((d) => d.id === result.id), 'the drop once the CAD answered', 25_000);
    expect(h.fx.droppedBy).toEqual([{ id: result.id, reason: expect.stringContaining('banned') }]);
  }, 30_000);
});

describe('ban rule held: the snapshot at a restart', () => {
  it('ban rule / connected while the resource was stopped, restarted with the CAD down: the banned player is dropped from the snapshot', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 5 } });
    await waitFor(() => existsSync(join(h!.folder, 'cache/snapshot.json')), 'the snapshot');
    h.fx.stopResource('sonoran_accounts');
    const banned = await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'));
    expect(banned.accepted).toBe(true); // nobody gated while the resource was stopped
    h.cad.fault('reset');
    await h.fx.startResource({ name: 'sonoran_accounts', path: h.folder });
    await waitFor(() => h!.fx.droppedBy.some((d) => d.id === banned.id), 'the drop at start');
    expect(h.fx.droppedBy).toEqual([{ id: banned.id, reason: expect.stringContaining('banned') }]);
  });
});
