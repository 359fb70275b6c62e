import { describe, expect, it } from 'vitest';
import { createIndexBuilder, normalizeId } from '../../src/core/account-index';
import { EMPTY_MASK } from '../../src/core/permissions';
import type { CachedAccount } from '../../src/core/types';

const account = (over: Partial<CachedAccount>): CachedAccount => ({
  uuid: 'u-1',
  username: 'Someone',
  communityUserId: null,
  apiIds: [],
  status: 1,
  joined: '2024-01-01T00:00:00Z',
  lastLogin: '2024-01-01T00:00:00Z',
  ...EMPTY_MASK,
  ...over,
});

describe('account index', () => {
  it('matches API IDs tolerantly: bare, prefixed, any case, either way round', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['license:ABC123', 'deadbeef'], communityUserId: 'player-7', username: 'Officer_Jones' }));
    const { index } = b.finish();
    for (const key of ['license:abc123', 'abc123', 'LICENSE:ABC123', ' abc123 ', 'steam:deadbeef', 'DEADBEEF', 'player-7', 'Officer_jones', 'A']) {
      expect(index.find(key)?.uuid, key).toBe('a');
    }
    expect(index.findByIdentifiers(['discord:1', 'license:ABC123'])?.uuid).toBe('a');
    expect(index.find('license:abc12')).toBeUndefined();
    expect(normalizeId('License2:Xy')).toBe('xy');
  });

  it('when two accounts claim one ID, a banned one wins, then the most recently active; the conflict is reported', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'old', username: 'old', apiIds: ['x'], lastLogin: '2023-01-01' }));
    b.add(account({ uuid: 'new', username: 'new', apiIds: ['x', 'y'], lastLogin: '2024-06-01' }));
    b.add(account({ uuid: 'ban', username: 'ban', apiIds: ['y'], status: 4, lastLogin: '2020-01-01' }));
    const { index, conflicts } = b.finish();
    expect(index.find('x')?.uuid).toBe('new');
    expect(index.find('y')?.uuid).toBe('ban');
    expect(conflicts.map((c) => [c.id, c.kept.uuid, c.dropped.uuid])).toEqual([
      ['x', 'new', 'old'],
      ['y', 'ban', 'new'],
    ]);
  });

  it('upsert replaces one account in place, dropping IDs it no longer claims', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['one'] }));
    const { index } = b.finish();
    const old = index.upsert(account({ uuid: 'a', apiIds: ['two'], status: 4 }));
    expect(old?.apiIds).toEqual(['one']);
    expect(index.find('one')).toBeUndefined();
    expect(index.find('two')?.status).toBe(4);
    expect(index.size).toBe(1);
  });
});
