// The one rule for what a player's identifiers lead to (core/standing.ts), over a real index.
import { describe, expect, it } from 'vitest';
import { createIndexBuilder } from '../../src/core/account-index';
import type { CachedAccount } from '../../src/core/types';
import { account } from './helpers';

const indexOf = (...accounts: CachedAccount[]) => {
  const b = createIndexBuilder();
  for (const a of accounts) b.add(a);
  return b.finish().index;
};

describe('standing: every identifier counts', () => {
  it('way 1: a banned old account on steam is not laundered by a new active account on license', () => {
    const index = indexOf(
      account({ uuid: 'old', username: 'OldBanned', apiIds: ['steam:110000100000001'], status: 4 }),
      account({ uuid: 'new', username: 'FreshStart', apiIds: ['abcdef0123'], status: 1 }),
    );
    const standing = index.standing(['license:abcdef0123', 'steam:110000100000001']);
    expect(standing.banned).toBe(true);
    expect(standing.account?.username).toBe('OldBanned');
    expect(standing.reached.map((a) => a.uuid)).toEqual(['new', 'old']);
  });

  it('banned on two identifiers: the ban on the first one in the configured order stands for the player', () => {
    const index = indexOf(
      account({ uuid: 'l', username: 'BannedByLicense', apiIds: ['abcdef0123'], status: 4 }),
      account({ uuid: 's', username: 'BannedBySteam', apiIds: ['110000100000001'], status: 4 }),
    );
    expect(index.standing(['steam:110000100000001', 'license:abcdef0123']).account?.username).toBe('BannedBySteam');
    expect(index.standing(['license:abcdef0123', 'steam:110000100000001']).account?.username).toBe('BannedByLicense');
  });

  it('way 1: a pending account on license does not hide the active one on steam', () => {
    const index = indexOf(
      account({ uuid: 'p', username: 'Pending', apiIds: ['abcdef0123'], status: 0 }),
      account({ uuid: 'a', username: 'Active', apiIds: ['110000100000001'], status: 1 }),
    );
    const standing = index.standing(['license:abcdef0123', 'steam:110000100000001']);
    expect([standing.banned, standing.account?.username]).toEqual([false, 'Active']);
  });

  it('two active accounts: the one of the first identifier in the configured order counts', () => {
    const index = indexOf(
      account({ uuid: 'l', username: 'ByLicense', apiIds: ['abcdef0123'] }),
      account({ uuid: 's', username: 'BySteam', apiIds: ['110000100000001'] }),
    );
    expect(index.standing(['steam:110000100000001', 'license:abcdef0123']).account?.username).toBe('BySteam');
    expect(index.standing(['license:abcdef0123', 'steam:110000100000001']).account?.username).toBe('ByLicense');
  });

  it('only inactive accounts: the first one reached stands for the player; nothing reached: nobody', () => {
    const index = indexOf(account({ uuid: 'e', username: 'Expired', apiIds: ['abc'], status: 2 }));
    expect(index.standing(['discord:1', 'license:abc']).account?.username).toBe('Expired');
    expect(index.standing(['discord:1'])).toMatchObject({ account: null, banned: false, reached: [] });
  });
});
