import { describe, expect, it } from 'vitest';
import { createIndexBuilder, lookupKey, normalizeId, STEAM64_FORM } from '../../src/core/account-index';
import { account } from './helpers';

describe('account index', () => {
  it('matches API IDs tolerantly: bare, prefixed, any case, either way round', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['license:ABC123', 'deadbeef'], communityUserId: 'player-7', username: 'Officer_Jones' }));
    const { index } = b.finish();
    for (const key of ['license:abc123', 'abc123', 'LICENSE:ABC123', ' abc123 ', 'steam:deadbeef', 'DEADBEEF', 'player-7', 'Officer_jones', 'A']) {
      expect(index.find(key)?.uuid, key).toBe('a');
    }
    expect(index.standing(['discord:1', 'license:ABC123']).account?.uuid).toBe('a');
    expect(index.find('license:abc12')).toBeUndefined();
    expect(normalizeId('License2:Xy')).toBe('xy');
  });

  it('keeps every account claiming one ID; find shows a banned one, then the most recently active; the conflict is reported', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'old', username: 'old', apiIds: ['x'], lastLogin: '2023-01-01' }));
    b.add(account({ uuid: 'new', username: 'new', apiIds: ['x', 'y'], lastLogin: '2024-06-01' }));
    b.add(account({ uuid: 'ban', username: 'ban', apiIds: ['y'], status: 4, lastLogin: '2020-01-01' }));
    const { index, conflicts } = b.finish();
    expect(index.find('x')?.uuid).toBe('new');
    expect(index.find('y')?.uuid).toBe('ban');
    expect(index.accountsFor('license:x').map((a) => a.uuid)).toEqual(['new', 'old']);
    expect(index.accountsFor('Y').map((a) => a.uuid)).toEqual(['ban', 'new']);
    expect(conflicts.map((c) => [c.id, c.kept.uuid, c.dropped.uuid])).toEqual([
      ['x', 'new', 'old'],
      ['y', 'ban', 'new'],
    ]);
  });

  it('two equally good accounts on one ID: find shows the same one whichever a sweep met first', () => {
    const twin = (uuid: string) => account({ uuid, username: uuid, apiIds: ['shared'], lastLogin: '2024-06-01' });
    const shown = (order: string[]) => {
      const b = createIndexBuilder();
      for (const uuid of order) b.add(twin(uuid));
      return b.finish().index.find('shared')?.uuid;
    };
    expect(shown(['b', 'a'])).toBe('a');
    expect(shown(['a', 'b'])).toBe('a');
  });

  it('upsert replaces one account in place, dropping IDs it no longer claims', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['one'] }));
    const { index } = b.finish();
    const { replaced } = index.upsert(account({ uuid: 'a', apiIds: ['two'], status: 4, observedAt: 2_000 }));
    expect(replaced?.apiIds).toEqual(['one']);
    expect(index.find('one')).toBeUndefined();
    expect(index.find('two')?.status).toBe(4);
    expect(index.size).toBe(1);
  });

  it('an older observation of an account changes nothing (newest information wins)', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['one'], status: 4, observedAt: 5_000 }));
    const { index } = b.finish();
    expect(index.upsert(account({ uuid: 'a', apiIds: ['one'], status: 1, observedAt: 4_999 })).applied).toBe(false);
    expect(index.find('one')?.status).toBe(4);
    expect(index.upsert(account({ uuid: 'a', apiIds: ['one'], status: 1, observedAt: 5_001 })).applied).toBe(true);
    expect(index.find('one')?.status).toBe(1);
  });

  it('a shared ID whose later account loses reports the later one as dropped', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'new', username: 'new', apiIds: ['x'], lastLogin: '2024-06-01' }));
    b.add(account({ uuid: 'old', username: 'old', apiIds: ['x'], lastLogin: '2023-01-01' }));
    expect(b.finish().conflicts.map((c) => [c.id, c.kept.uuid, c.dropped.uuid])).toEqual([['x', 'new', 'old']]);
  });

  it('an account listing one ID twice (in two forms) is no conflict with itself and is listed once', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['license:abc', 'ABC', 'abc '] }));
    const { index, conflicts } = b.finish();
    expect(conflicts).toEqual([]);
    expect(index.accountsFor('abc').map((a) => a.uuid)).toEqual(['a']);
  });

  it('conflicts are reported for what a sweep built, not collected from later lookups (memory of a long run)', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['x'] }));
    expect(b.size).toBe(1);
    const { index } = b.finish();
    index.upsert(account({ uuid: 'b', username: 'b', apiIds: ['x'] }));
    expect(index.accountsFor('x')).toHaveLength(2);
    expect(b.finish().conflicts).toEqual([]);
  });

  it('an empty or blank stored ID, or a bare prefix, is no key: a player with an empty identifier reaches nobody', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'ban', username: 'ban', status: 4, apiIds: ['', '   ', 'license:', '\u200b'] }));
    const { index } = b.finish();
    for (const id of ['', ' ', 'license:', 'steam:']) {
      expect(index.accountsFor(id), JSON.stringify(id)).toEqual([]);
      expect(index.standing([id]), JSON.stringify(id)).toMatchObject({ account: null, banned: false });
    }
  });

  it('a key with a type prefix is never looked up as it is: "license:abc" finds the account on "abc", not one storing "license:license:abc"', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'double', username: 'double', apiIds: ['license:license:abc'] }));
    b.add(account({ uuid: 'ban', username: 'ban', apiIds: ['abc'], status: 4 }));
    const { index } = b.finish();
    expect(index.find('license:abc')?.uuid).toBe('ban');
    expect(index.find('abc')?.uuid).toBe('ban');
  });

  it('finds by uuid and by username (any case, spaces around) when no ID matches', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'u-1', username: 'Officer_Jones', apiIds: ['abc'] }));
    const { index } = b.finish();
    expect(index.find('u-1')?.uuid).toBe('u-1');
    expect(index.find(' officer_JONES ')?.uuid).toBe('u-1');
    expect(index.find('nobody')).toBeUndefined();
  });

  it('a renamed account is no longer found by its old name, and a name another account took stays with it', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', username: 'Sam_Hill', apiIds: ['a1'], observedAt: 1 }));
    const { index } = b.finish();
    index.upsert(account({ uuid: 'a', username: 'Alex_Hill', apiIds: ['a1'], observedAt: 2 }));
    expect(index.find('sam_hill')).toBeUndefined();
    expect(index.find('alex_hill')?.uuid).toBe('a');

    index.upsert(account({ uuid: 'b', username: 'Alex_Hill', apiIds: ['b1'], observedAt: 3 }));
    index.upsert(account({ uuid: 'a', username: 'Sam_Hill', apiIds: ['a1'], observedAt: 4 }));
    expect(index.find('alex_hill')?.uuid).toBe('b');
    expect(index.find('sam_hill')?.uuid).toBe('a');
  });

  it('a Steam ID stored in decimal (SteamID64, as Steam\'s pages show it) reaches the player whose steam: identifier is its hex', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'ban', username: 'ban', status: 4, apiIds: ['76561198012345678'] }));
    b.add(account({ uuid: 'cop', username: 'cop', apiIds: ['steam:76561197960265729'] }));
    const { index } = b.finish();
    const hex = (76561198012345678n).toString(16);
    expect(hex).toBe('1100001031aad4e');
    expect(index.standing(['license:aaaa', `steam:${hex}`]).banned).toBe(true);
    expect(index.find('steam:110000100000001')?.uuid).toBe('cop');
    expect(index.find('76561197960265729')?.uuid).toBe('cop');
    // Not a SteamID64: a Discord snowflake, a number past the individual-account range, 17 digits with a letter.
    expect(normalizeId('discord:80351110224678912')).toBe('80351110224678912');
    expect(normalizeId('76561202255233024')).toBe('76561202255233024');
    expect(normalizeId('76561197960265727')).toBe('76561197960265727');
    expect(normalizeId('7656119796026572x')).toBe('7656119796026572x');
    expect(normalizeId('76561202255233023')).toBe('1100001ffffffff');
    expect(normalizeId('76561197960265728')).toBe('110000100000000');
  });

  it('a Steam account written in any of Steam\'s notations is one key: SteamID64, SteamID2, SteamID3, profile URL, FiveM hex', () => {
    const hex = (76561197960265728n + 52089n).toString(16);
    for (const form of ['76561197960317817', 'STEAM_0:1:26044', 'STEAM_1:1:26044', '[U:1:52089]', 'U:1:52089', 'https://steamcommunity.com/profiles/76561197960317817/', `steam:${hex}`, hex.toUpperCase()]) {
      expect(normalizeId(form), form).toBe(hex);
    }
    // One index key, two lookups: a stranger's "unknown" on the Steam side must not answer for the Discord side.
    expect(lookupKey('discord:76561197960317817')).not.toBe(lookupKey(`steam:${hex}`));
    expect(lookupKey(' LICENSE:ABC')).toBe(lookupKey('abc'));
    // Not Steam accounts: a vanity URL, another universe, a letter inside, past the account range.
    for (const other of ['https://steamcommunity.com/id/someone', '[U:2:52089]', '76561197x60317817', 'STEAM_0:2:26044']) expect(normalizeId(other)).toBe(other.toLowerCase());
  });

  it('invisible characters a paste brings along are trimmed: direction marks, embeddings, the soft hyphen', () => {
    for (const [before, after] of [['\u200e', ''], ['', '\u200f'], ['\u202a', '\u202c'], ['', '\u00ad'], ['\u2066', '\u2069'], ['\u061c', '\ufeff']]) {
      expect(normalizeId(`${before}license:ABC${after}`)).toBe('abc');
    }
  });

  it('an ID three accounts claim keeps the other two when one of them lets it go', () => {
    const b = createIndexBuilder();
    for (const uuid of ['a', 'b', 'c']) b.add(account({ uuid, username: uuid, apiIds: ['shared'], observedAt: 1 }));
    const { index } = b.finish();
    index.upsert(account({ uuid: 'b', username: 'b', apiIds: ['elsewhere'], observedAt: 2 }));
    expect(index.accountsFor('shared').map((a) => a.uuid)).toEqual(['a', 'c']);
    index.upsert(account({ uuid: 'a', username: 'a', apiIds: ['elsewhere'], observedAt: 3 }));
    expect(index.accountsFor('shared').map((a) => a.uuid)).toEqual(['c']);
  });

  it('learns that the community stores Steam IDs in decimal (bare or prefixed), for lookups to ask that form', () => {
    const learned = (...apiIds: string[]) => {
      const b = createIndexBuilder();
      b.add(account({ uuid: 'a', apiIds }));
      return b.finish().index.prefixedTypes.has(STEAM64_FORM);
    };
    expect(learned('76561197960265729')).toBe(true);
    expect(learned('abc', ' steam:76561197960265729')).toBe(true);
    expect(learned('110000100000001', '7656119796026572', '765611979602657290', 'x76561197960265729', '7656119796026572x')).toBe(false);
  });

  it('learns which identifier types the community stores prefixed (API IDs and communityUserId, any case, blanks around)', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'a', apiIds: ['abc', 'Steam:110000112345678', 'custom:1', '\u00a0fivem:42'] }));
    b.add(account({ uuid: 'b', username: 'b', apiIds: [], communityUserId: 'DISCORD:123' }));
    b.add(account({ uuid: 'c', username: 'c', apiIds: [], communityUserId: 'player-7' }));
    expect([...b.finish().index.prefixedTypes].sort()).toEqual(['discord', 'fivem', 'steam']);
  });

  it('finds each account by its username, any case, also two names the index files under one number ("ab" and "c$"), and forgets a renamed one', () => {
    const b = createIndexBuilder();
    b.add(account({ uuid: 'u1', username: 'AB', apiIds: ['one'] }));
    b.add(account({ uuid: 'u2', username: 'c$', apiIds: ['two'] }));
    const { index } = b.finish();
    expect(index.find('ab')?.uuid).toBe('u1');
    expect(index.find(' C$ ')?.uuid).toBe('u2');
    index.upsert(account({ uuid: 'u1', username: 'Renamed', apiIds: ['one'], observedAt: 2000 }));
    expect(index.find('AB')).toBeUndefined();
    expect(index.find('renamed')?.uuid).toBe('u1');
    expect(index.find('c$')?.uuid).toBe('u2');
  });
});
