import { describe, expect, it } from 'vitest';
import { claimOrder, newest, supersedes } from '../../src/core/merge';
import { account } from './helpers';

describe('merge: how observations combine', () => {
  it('the newer observation of an account wins, whatever its status', () => {
    const banned = account({ status: 4, observedAt: 10 });
    const active = account({ status: 1, observedAt: 11 });
    expect(newest(banned, active)).toBe(active);
    expect(newest(active, banned)).toBe(active);
    expect(supersedes(banned, null)).toBe(true);
  });

  it('on a tie a banned version wins, else the one arriving', () => {
    const banned = account({ status: 4, observedAt: 10 });
    const active = account({ status: 1, observedAt: 10 });
    expect(supersedes(active, banned)).toBe(false);
    expect(supersedes(banned, active)).toBe(true);
    expect(supersedes(account({ observedAt: 10 }), active)).toBe(true);
    // Two banned versions in one millisecond: the arriving one (it may name an API ID the other lacks).
    const laterBan = account({ status: 4, observedAt: 10, apiIds: ['x', 'y'] });
    expect(supersedes(laterBan, banned)).toBe(true);
  });

  it('accounts sharing an ID are ordered banned, active, then the most recent login', () => {
    const list = [account({ uuid: 'p', status: 0 }), account({ uuid: 'a1', lastLogin: '2020' }), account({ uuid: 'b', status: 4 }), account({ uuid: 'a2', lastLogin: '2024' })];
    expect([...list].sort(claimOrder).map((a) => a.uuid)).toEqual(['b', 'a2', 'a1', 'p']);
    expect([...list].reverse().sort(claimOrder).map((a) => a.uuid)).toEqual(['b', 'a2', 'a1', 'p']);
  });

  it('accounts equally good on one ID are ordered by uuid, whatever order they arrived in', () => {
    const same = (uuid: string) => account({ uuid, lastLogin: '2024-01-01' });
    for (const arrival of [['u2', 'u1', 'u3'], ['u3', 'u2', 'u1'], ['u1', 'u3', 'u2']]) {
      expect(arrival.map(same).sort(claimOrder).map((a) => a.uuid)).toEqual(['u1', 'u2', 'u3']);
    }
  });
});
