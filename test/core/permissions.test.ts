// Permission checks as a job script makes them: by flag name, in any case, in any order, for flags in
// every part of the list, for flags the CAD adds later, and for names that are no flag at all.
import { describe, expect, it } from 'vitest';
import { diffPermissions, flagNames, grantedPermissions, hasPermission, maskFromFlags, MAX_FLAGS, permissionIndex, PERMISSIONS, sameMask } from '../../src/core/permissions';

const granted = (flags: Record<string, unknown>) => maskFromFlags(flags);
const can = (mask: ReturnType<typeof maskFromFlags>, name: string) => hasPermission(mask, permissionIndex(name));
const ALL = Object.fromEntries(PERMISSIONS.map((p) => [p, true]));

describe('bits (stored in the snapshot and the shared database)', () => {
  it('each known flag has its place in Sonoran\'s list as its bit, whatever order the first account sends them in', () => {
    // (this file's first parse: no flag has been seen before it)
    const mask = maskFromFlags(Object.fromEntries([...PERMISSIONS].reverse().map((p) => [p, p === 'police'])));
    expect(flagNames().slice(0, PERMISSIONS.length)).toEqual([...PERMISSIONS]);
    expect(hasPermission(mask, PERMISSIONS.indexOf('police'))).toBe(true);
  });

  it('two masks differing only in a flag of the second or third word are different', () => {
    const base = maskFromFlags({ police: true });
    for (const bit of [35, 59, 61]) {
      const other = { ...base, w1: bit < 60 ? base.w1 | (1 << (bit - 30)) : base.w1, w2: bit >= 60 ? base.w2 | (1 << (bit - 60)) : base.w2 };
      expect(sameMask(base, other), String(bit)).toBe(false);
    }
    expect(sameMask(base, maskFromFlags({ police: true }))).toBe(true);
  });
});

describe('asking by name', () => {
  it('an empty name is no flag, asked first or after another', () => {
    // (this file's first check: nothing has been asked before it)
    expect(can(granted(ALL), '')).toBe(false);
    expect(can(granted(ALL), 'police')).toBe(true);
    expect(can(granted(ALL), '')).toBe(false);
  });

  it('the same flag asked again and again, and alternating with others, answers the same each time', () => {
    const officer = granted({ police: true, civilian: true });
    const answers = ['police', 'police', 'ems', 'police', 'POLICE', 'Police', 'ems', 'ems', 'civilian', 'superCop', 'superCop', 'police'].map((n) => can(officer, n));
    expect(answers).toEqual([true, true, false, true, true, true, false, false, true, false, false, true]);
  });

  it('every flag answers to its name in lower case, upper case and as listed', () => {
    for (const flag of PERMISSIONS) {
      const mask = granted({ [flag]: true });
      for (const asked of [flag, flag.toLowerCase(), flag.toUpperCase()]) expect(can(mask, asked)).toBe(true);
      expect(can(granted({ police: flag !== 'police' }), flag.toLowerCase())).toBe(false);
    }
  });

  it('a name that is no flag, asked right after one that is, is still not granted', () => {
    const everything = granted(ALL);
    for (const flag of ['civilian', 'police', 'lawRecEdit', 'adminLogs']) {
      expect(can(everything, flag)).toBe(true);
      expect(permissionIndex('notAFlag')).toBe(-1);
      expect(can(everything, 'notAFlag')).toBe(false);
    }
  });
});

describe('flags in every part of the list', () => {
  it.each(PERMISSIONS.map((p) => [p]))('%s alone is granted, checkable and listed; nothing else is', (flag) => {
    const mask = granted({ [flag]: true });
    expect(grantedPermissions(mask)).toEqual([flag]);
    for (const other of PERMISSIONS) expect(can(mask, other)).toBe(other === flag);
  });

  it('an account holding only admin flags (the end of the list) keeps them', () => {
    const admin = granted({ adminAccounts: true, adminLogs: true, police: false });
    expect(grantedPermissions(admin)).toEqual(['adminAccounts', 'adminLogs']);
  });

  it('grants and revocations are reported across the whole list', () => {
    const before = granted({ civilian: true, lawRecEdit: true, adminLogs: true });
    const after = granted({ police: true, lawRecEdit: true, adminAccounts: true });
    expect(diffPermissions(before, after)).toEqual({ granted: ['police', 'adminAccounts'], revoked: ['civilian', 'adminLogs'] });
    expect(diffPermissions(after, after)).toEqual({ granted: [], revoked: [] });
  });
});

describe('flags the CAD starts sending', () => {
  it(`are kept up to ${MAX_FLAGS} flags in all, each checkable alone; further ones are ignored and never granted`, () => {
    const reported: string[] = [];
    const newFlags = Array.from({ length: MAX_FLAGS - PERMISSIONS.length + 3 }, (_, i) => `futureFlag${i}`);
    const kept = newFlags.slice(0, MAX_FLAGS - PERMISSIONS.length);
    const dropped = newFlags.slice(kept.length);
    maskFromFlags(Object.fromEntries(newFlags.map((f) => [f, false])), (name) => reported.push(name));
    expect(reported).toEqual(kept);

    for (const flag of kept) {
      const mask = granted({ [flag]: true });
      expect(grantedPermissions(mask)).toEqual([flag]);
      expect(can(mask, flag.toUpperCase())).toBe(true);
      expect(can(mask, 'police')).toBe(false);
    }
    const withDropped = granted(Object.fromEntries(dropped.map((f) => [f, true])));
    expect(grantedPermissions(withDropped)).toEqual([]);
    for (const flag of dropped) expect(can(withDropped, flag)).toBe(false);

    const last = kept[kept.length - 1]!;
    expect(diffPermissions(granted({ police: true }), granted({ [last]: true }))).toEqual({ granted: [last], revoked: ['police'] });
  });
});
